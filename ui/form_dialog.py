"""The pieces of a form dialog (添加 / 编辑 …): the form with the red error line under it and 保存 / 取消 below, a
save that shows the service's Chinese refusal on that line and keeps everything typed, and a PIN edit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.class_tab import ERROR_STYLE, note_label

T = TypeVar("T")


def pin_edit(placeholder: str) -> QLineEdit:
    """A line edit that shows dots, for a PIN or 口令."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


def error_line() -> QLabel:
    """The red line under a form where a refused save says why."""
    return note_label(style=ERROR_STYLE)


def save_cancel_buttons(dialog: QDialog, on_save: Callable[[], object], ok_text: str = "保存") -> QDialogButtonBox:
    """OK (`ok_text`) runs `on_save`, which closes the dialog when it succeeds; 取消 closes it."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    buttons.accepted.connect(on_save)
    buttons.rejected.connect(dialog.reject)
    return buttons


def form_column(dialog: QDialog, form: QFormLayout, error_label: QLabel, buttons: QDialogButtonBox, *,
                above: Sequence[QWidget] = (), below: Sequence[QWidget] = (), below_stretch: int = 0) -> QVBoxLayout:
    """The dialog's layout, top to bottom: `above`, the form, `below` (each with `below_stretch`), the error
    line, the buttons."""
    box = QVBoxLayout(dialog)
    for widget in above:
        box.addWidget(widget)
    box.addLayout(form)
    for widget in below:
        box.addWidget(widget, below_stretch)
    box.addWidget(error_label)
    box.addWidget(buttons)
    return box


def save_form(dialog: QDialog, error_label: QLabel, saved: SignalInstance, store: Callable[[], T],
              refusal: type[Exception]) -> T | None:
    """Runs `store`. Refused (`refusal`): its Chinese message goes on the error line, the dialog stays open
    with everything typed, None. Stored: the line is cleared, `saved` carries what was stored, the dialog
    closes, and that is returned."""
    try:
        stored = store()
    except refusal as exc:
        error_label.setText(str(exc))
        return None
    error_label.clear()
    saved.emit(stored)
    dialog.accept()
    return stored
