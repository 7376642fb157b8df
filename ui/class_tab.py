"""What the detail tabs of the classes page share: the class shown, the host that opens dialogs and asks
questions, a `changed` signal after every write, and a plain read-only table view set up the house way."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget
from sqlite_utils import Database

from trainer.training import TrainingClass
from ui.prompts import Prompts

NOTE_STYLE = "color: #555;"
OK_STYLE = "color: #1b7f3b;"
ERROR_STYLE = "color: #c0392b;"


class Host(Protocol):
    prompts: Prompts
    today: dt.date

    def open_dialog(self, dialog: QWidget) -> None: ...


class ClassTab(QWidget):
    """A tab about one class; `load(None)` empties it. Emits `changed` after it wrote to the database.

    `cls` is always the class whose data the tab holds (None: it holds nothing): a hidden tab is not read
    on every change, so it is marked `stale` instead and read when shown, but it never keeps one class's
    rows under another class's name (`load_later`)."""

    changed = Signal()
    # True where changes come in bursts (a key per attendance mark or score): the page then tells the
    # other pages once the burst is over instead of after every key.
    bursts = False

    def __init__(self, db: Database, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.host = host
        self.cls: TrainingClass | None = None
        self.stale = False  # to be read (again) when next shown

    def load(self, cls: TrainingClass | None) -> None:
        self.cls = cls
        self.stale = False
        self.reload()

    def load_later(self, cls: TrainingClass | None) -> None:
        """`cls` is to be read when the tab is next shown. Another class empties the tab at once (reading
        nothing); the same class keeps its rows meanwhile (a page asks the 考勤 tab for its session)."""
        if cls is None or self.cls is None or cls.id != self.cls.id:
            self.load(None)
        self.stale = True

    def reload(self) -> None:
        raise NotImplementedError

    @property
    def class_id(self) -> int:
        assert self.cls is not None and self.cls.id is not None
        return self.cls.id


def table_view(selection: QAbstractItemView.SelectionMode = QAbstractItemView.SelectionMode.SingleSelection,
               view: QTableView | None = None) -> QTableView:
    """`view` (a subclass with its own key handling) or a new QTableView: rows selected whole, read-only,
    fixed row heights (no measuring), no row numbers (the models number their rows where it matters)."""
    view = view or QTableView()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(selection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def fit_columns(view: QTableView, samples: dict[int, str]) -> None:
    """Each column as wide as its header or a typical value, whichever is wider (no measuring every row)."""
    model = view.model()
    metrics = view.fontMetrics()
    bold = view.horizontalHeader().fontMetrics()
    for column, sample in samples.items():
        header = str(model.headerData(column, view.horizontalHeader().orientation()) or "")
        width = max(metrics.horizontalAdvance(sample), bold.horizontalAdvance(header) + 12) + 14
        view.horizontalHeader().resizeSection(column, width)


def longest_unit_name(db: Database) -> str:
    """A unit column's sample width: the longest unit name on file (streets can be long)."""
    row = db.execute("SELECT name FROM units ORDER BY LENGTH(name) DESC LIMIT 1").fetchone()
    return max(str(row[0]) if row else "", "城乡一体化示范区", key=len)


def stretch_column(view: QTableView, column: int) -> None:
    """Give the spare width to one text column (a topic, a note) instead of the last one."""
    view.horizontalHeader().setStretchLastSection(False)
    view.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)


def note_label(text: str = "", style: str = NOTE_STYLE) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label
