"""The 课程 tab: a class's sessions, their 学时 totals by 理论/实操/线上, and add / edit / delete."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from sqlite_utils import Database

from trainer import training
from trainer.amounts import fmt
from trainer.training import Session
from ui.class_tab import ClassTab, Host, fit_columns, stretch_column, table_view
from ui.table_model import CENTER, RIGHT, Index, ObjectTableModel

WEEKDAYS = "一二三四五六日"
HEADERS = ("日期", "星期", "时间", "课程内容", "授课教师", "学时", "方式", "考勤登记")
(COL_DATE, COL_WEEKDAY, COL_TIME, COL_TOPIC, COL_TEACHER, COL_HOURS, COL_MODE, COL_MARKED) = range(8)


def session_time(s: Session) -> str:
    return s.start_time + (f"—{s.end_time}" if s.end_time else "") if s.start_time else ""


def session_label(s: Session) -> str:
    """How a session is named in lists: 2026-03-02 08:30—11:30 行政处罚法精讲（4学时）."""
    return f"{s.date.isoformat()} {session_time(s)} {s.topic}（{fmt(s.hours)}学时）".replace("  ", " ")


class SessionModel(ObjectTableModel):
    _rows: list[Session]

    def __init__(self, parent: Any = None) -> None:
        super().__init__(HEADERS, parent, {COL_HOURS: RIGHT, COL_MARKED: RIGHT, COL_WEEKDAY: CENTER, COL_MODE: CENTER})
        self._marked: dict[int, int] = {}
        self._enrolled = 0

    def set_rows(self, rows: Sequence[Session], marked: dict[int, int], enrolled: int) -> None:
        self._marked, self._enrolled = marked, enrolled
        self._replace_rows(rows)

    def session_at(self, row: int) -> Session:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        s, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            marked = self._marked.get(int(s.id or 0), 0)
            return (s.date.isoformat(), WEEKDAYS[s.date.weekday()], session_time(s), s.topic, s.teacher,
                    fmt(s.hours), s.mode, f"{marked}/{self._enrolled}")[col]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(col)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_MARKED:
            return "已登记考勤人数 / 报名人数"
        return None


class SessionsTab(ClassTab):
    def __init__(self, db: Database, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(db, host, parent)
        self.model = SessionModel(self)
        self.view = table_view()
        self.view.setModel(self.model)
        fit_columns(self.view, {COL_DATE: "2026-03-02", COL_WEEKDAY: "一", COL_TIME: "08:30—11:30",
                                COL_TOPIC: "城市管理行政执法文书制作规范", COL_TEACHER: "欧阳某某", COL_HOURS: "3.5",
                                COL_MODE: "理论", COL_MARKED: "60/60"})
        stretch_column(self.view, COL_TOPIC)
        self.totals_label = QLabel()
        self.add_button = QPushButton("添加课程…")
        self.edit_button = QPushButton("编辑…")
        self.delete_button = QPushButton("删除")
        buttons = QHBoxLayout()
        buttons.addWidget(self.totals_label, 1)
        for b in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        box = QVBoxLayout(self)
        box.addWidget(self.view, 1)
        box.addLayout(buttons)
        self.add_button.clicked.connect(self.add_session)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.view.activated.connect(lambda index: self.edit_session(self.model.session_at(index.row())))
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def reload(self) -> None:
        if self.cls is None:
            self.model.set_rows([], {}, 0)
        else:
            rows = training.sessions(self.db, self.class_id)
            marked = dict(self.db.execute(
                "SELECT a.session_id, COUNT(*) FROM attendance a JOIN class_sessions s ON s.id = a.session_id"
                " WHERE s.class_id = ? GROUP BY a.session_id", [self.class_id]).fetchall())
            self.model.set_rows(rows, marked, len(training.enrolled_ids(self.db, self.class_id)))
        self._update_totals()

    def _update_totals(self) -> None:
        rows = [self.model.session_at(r) for r in range(self.model.rowCount())]
        if not rows:
            self.totals_label.setText("尚未安排课程" if self.cls else "")
            return
        by_mode = {m: sum((s.hours for s in rows if s.mode == m), Decimal(0)) for m in training.SESSION_MODES}
        parts = "，".join(f"{m} {fmt(h)}" for m, h in by_mode.items() if h)
        total = sum((s.hours for s in rows), Decimal(0))
        self.totals_label.setText(f"共 {len(rows)} 节课，合计 <b>{fmt(total)}</b> 学时（{parts}）")

    def _update_buttons(self, *_: object) -> None:
        chosen = self.selected_session() is not None
        self.add_button.setEnabled(self.cls is not None)
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def selected_session(self) -> Session | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.session_at(rows[0].row()) if rows else None

    def select_session(self, session_id: int) -> None:
        for r in range(self.model.rowCount()):
            if self.model.session_at(r).id == session_id:
                self.view.selectRow(r)
                return

    def _next_date(self) -> dt.date:
        """A new session goes on the last session's day (two lessons a day is usual), else the first day."""
        assert self.cls is not None
        count = self.model.rowCount()
        return self.model.session_at(count - 1).date if count else self.cls.start_date

    def add_session(self) -> None:
        if self.cls is None:
            return
        from ui.session_dialog import SessionDialog

        dialog = SessionDialog(self.db, self.cls, None, self, default_date=self._next_date())
        dialog.saved.connect(self._saved)
        self.host.open_dialog(dialog)

    def edit_session(self, s: Session) -> None:
        if self.cls is None:
            return
        from ui.session_dialog import SessionDialog

        dialog = SessionDialog(self.db, self.cls, s, self)
        dialog.saved.connect(self._saved)
        self.host.open_dialog(dialog)

    def edit_selected(self) -> None:
        s = self.selected_session()
        if s:
            self.edit_session(s)

    def _saved(self, s: Session) -> None:
        self.reload()
        self.select_session(int(s.id or 0))
        self.changed.emit()

    def delete_selected(self) -> None:
        s = self.selected_session()
        if s is None:
            return
        marked = len(training.attendance(self.db, int(s.id or 0)))
        text = f"删除课程“{session_label(s)}”？"
        if marked:
            text += f"\n\n该课程已登记 {marked} 人的考勤，将一并删除，学员的学时会相应减少。"
        if not self.host.prompts.confirm("删除课程", text, yes="删除"):
            return
        training.delete_session(self.db, int(s.id or 0))
        self.reload()
        self.changed.emit()
