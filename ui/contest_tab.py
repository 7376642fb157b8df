"""What the tabs of the 技能比武 page share: the contest shown, the host (the page) that opens dialogs, asks
questions and names who acts, and a `changed` signal after every write."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget
from sqlite_utils import Database

from trainer.contest import Contest
from ui.prompts import Prompts


class ContestHost(Protocol):
    prompts: Prompts

    def open_dialog(self, dialog: QWidget) -> None: ...

    def clerk(self) -> str:
        """Who types scores (the audit log names them)."""
        ...

    def chief(self) -> str:
        """Who locks, unlocks, overrides and confirms: the contest's chief judge."""
        ...


class ContestTab(QWidget):
    """A tab about one contest; `load(None)` empties it. Emits `changed` after it wrote to the database."""

    changed = Signal()
    bursts = False  # True where writes come a key at a time: the page then notifies once per burst

    def __init__(self, db: Database, host: ContestHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.host = host
        self.contest: Contest | None = None

    def load(self, contest: Contest | None) -> None:
        self.contest = contest
        self.reload()

    def reload(self) -> None:
        raise NotImplementedError

    @property
    def contest_id(self) -> int:
        assert self.contest is not None
        return self.contest.id
