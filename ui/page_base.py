"""What the main window's work pages (培训班, 证书管理, 技能比武) share, so each page holds only its own work:

- `Page`: the database, the day it counts from, the prompts a test replaces, the dialog open on the page
  (a test answers it), the last background task (a test waits on it), a message line, and `data_changed`
  after every write so the other pages reload.
- `BurstNoticePage`: a page whose tabs write in bursts (a key per attendance mark or score) tells the
  other pages once the burst is over, and before the user leaves the page.
- `column` / `splitter` / `rich_label`: the master-detail layout (a list, the chosen item's tabs or
  preview, the message line) built the same way on every page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QLabel, QLayout, QSplitter, QVBoxLayout, QWidget
from sqlite_utils import Database

from ui.class_tab import note_label
from ui.prompts import Prompts
from ui.worker import TaskHandle

NOTIFY_DELAY_MS = 700  # a burst of typed marks or scores tells the other pages once, after the burst


class Page(QWidget):
    """Built by the main window as SomePage(db, main_window, today=…); `data_changed` after every change."""

    data_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.today = today or dt.date.today()
        self.prompts = Prompts(self)
        self.active_dialog: QWidget | None = None
        self.task: TaskHandle[Any] | None = None  # the last background job (tests wait on it)
        self.message_label = note_label()  # the page places it, under its list or tabs

    def open_dialog(self, dialog: QWidget) -> None:
        # open(), not exec(): modal to the window, but the caller (and a test) keeps running.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.active_dialog = dialog
        dialog.destroyed.connect(lambda *_: self._dialog_gone(dialog))
        dialog.open()  # type: ignore[attr-defined]

    def _dialog_gone(self, dialog: QWidget) -> None:
        if self.active_dialog is dialog:  # a dialog opened from another one's result is still active
            self.active_dialog = None

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)


class BurstNoticePage(Page):
    """Start `_notify_timer` after a change that comes in a burst, call `_notify()` after any other;
    `_show_changes` is what the page itself re-reads before the other pages hear of it."""

    def __init__(self, db: Database, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(db, parent, today)
        self._notify_timer = QTimer(self)
        self._notify_timer.setSingleShot(True)
        self._notify_timer.setInterval(NOTIFY_DELAY_MS)
        self._notify_timer.timeout.connect(self._notify)

    def _show_changes(self) -> None:
        raise NotImplementedError

    def _notify(self) -> None:
        self._notify_timer.stop()
        self._show_changes()
        self.data_changed.emit()

    def flush(self) -> None:
        """Send a pending change notice now (before closing, and for tests)."""
        if self._notify_timer.isActive():
            self._notify()

    def hideEvent(self, event: QHideEvent) -> None:
        # Leaving for another section: it must show what was just typed. Not while the window closes or is
        # torn down: the other pages may be half destroyed, and every change is in the database already.
        if self.window().isVisible() and self.window() is not self:
            self.flush()
        else:
            self._notify_timer.stop()
        super().hideEvent(event)


def column(*parts: QWidget | QLayout, stretch: QWidget | None = None, top: int = 0) -> QWidget:
    """A widget stacking `parts` top to bottom with no margin (`top` pixels above); `stretch` takes the
    spare height. One side of a page's splitter: a list with its bar and count, or the chosen item's tabs."""
    widget = QWidget()
    box = QVBoxLayout(widget)
    box.setContentsMargins(0, top, 0, 0)
    for part in parts:
        if isinstance(part, QLayout):
            box.addLayout(part)
        else:
            box.addWidget(part, 1 if part is stretch else 0)
    return widget


def splitter(orientation: Qt.Orientation, first: QWidget, second: QWidget, stretch: tuple[int, int],
             sizes: Sequence[int] = ()) -> QSplitter:
    """The list beside (or above) the chosen item; neither side can be dragged shut and lost."""
    split = QSplitter(orientation)
    split.addWidget(first)
    split.addWidget(second)
    split.setStretchFactor(0, stretch[0])
    split.setStretchFactor(1, stretch[1])
    if sizes:
        split.setSizes(list(sizes))
    split.setChildrenCollapsible(False)
    return split


def rich_label() -> QLabel:
    """The chosen item's heading or details: rich text (a bold title, grey facts), wrapped."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    return label
