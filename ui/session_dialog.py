"""Add / edit one session (课程) of a class: date within the class, time, topic, teacher, 学时, 理论/实操/线上."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)
from sqlite_utils import Database

from trainer import training
from trainer.amounts import AmountError, fmt, parse_amount
from trainer.training import Session, TrainingClass, TrainingError
from ui.class_dialog import date_edit, pydate, qdate
from ui.form_dialog import error_line, form_column, save_cancel_buttons, save_form
from ui.form_draft import FormDraft

_TIME = re.compile(r"^(\d{1,2})\s*[:：]\s*(\d{2})$")


def parse_time(text: str, label: str) -> str:
    """'8:30' → '08:30'; '' stays ''; anything else raises TrainingError naming the field."""
    text = text.strip()
    if not text:
        return ""
    m = _TIME.match(text)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise TrainingError(f"{label}应为“时:分”，如 08:30")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


class SessionDialog(QDialog):
    """`session=None` adds a session on `default_date`; `saved` carries the stored session."""

    saved = Signal(object)

    def __init__(self, db: Database, cls: TrainingClass, session: Session | None = None,
                 parent: QWidget | None = None, default_date: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.cls = cls
        self.original = session
        self.setWindowTitle(f"编辑课程 — {session.topic}" if session else f"添加课程 — {cls.title}")
        self.setMinimumWidth(480)

        day = session.date if session else (default_date or cls.start_date)
        self.date_edit = date_edit(min(max(day, cls.start_date), cls.end_date))
        self.date_edit.setDateRange(qdate(cls.start_date), qdate(cls.end_date))  # only days of the class
        self.start_edit = QLineEdit(session.start_time if session else "08:30")
        self.end_edit = QLineEdit(session.end_time if session else "11:30")
        for edit in (self.start_edit, self.end_edit):
            edit.setPlaceholderText("时:分")
            edit.setMaximumWidth(80)
        times = QHBoxLayout()
        times.addWidget(self.start_edit)
        times.addWidget(QLabel("至"))
        times.addWidget(self.end_edit)
        times.addStretch(1)
        self.topic_edit = QLineEdit(session.topic if session else "")
        self.topic_edit.setPlaceholderText("如 行政处罚法精讲")
        self.teacher_edit = QLineEdit(session.teacher if session else "")
        self.hours_edit = QLineEdit(fmt(session.hours) if session else "4")
        self.hours_edit.setPlaceholderText("最多两位小数，如 3.5")
        self.hours_edit.setMaximumWidth(100)
        self.mode_combo = QComboBox()
        self.mode_combo.addItems(training.SESSION_MODES)
        if session:
            self.mode_combo.setCurrentText(session.mode)
        self.error_label = error_line()

        form = QFormLayout()
        form.addRow("日期：", self.date_edit)
        form.addRow("时间：", times)
        form.addRow("课程内容：", self.topic_edit)
        form.addRow("授课教师：", self.teacher_edit)
        form.addRow("学时：", self.hours_edit)
        form.addRow("授课方式：", self.mode_combo)
        span = f"培训班：{cls.title}（{cls.start_date.isoformat()} 至 {cls.end_date.isoformat()}）"
        form_column(self, form, self.error_label, save_cancel_buttons(self, self.save), above=[QLabel(span)])
        self.draft = FormDraft(self, db, f"session:{session.id}" if session else f"session:new:{cls.id}",
                               self.windowTitle())

    def current_session(self) -> Session:
        start = parse_time(self.start_edit.text(), "开始时间")
        end = parse_time(self.end_edit.text(), "结束时间")
        if start and end and end <= start:
            raise TrainingError("结束时间应晚于开始时间")
        try:
            hours = parse_amount(self.hours_edit.text())
        except AmountError as exc:
            raise TrainingError(f"学时：{exc}") from None
        assert hours is not None
        base = self.original or Session(None, int(self.cls.id or 0), self.cls.start_date, "", hours)
        return replace(base, date=pydate(self.date_edit.date()), start_time=start, end_time=end,
                       topic=self.topic_edit.text().strip(), teacher=self.teacher_edit.text().strip(), hours=hours,
                       mode=self.mode_combo.currentText())

    def save(self) -> None:
        save_form(self, self.error_label, self.saved, lambda: training.save_session(self.db, self.current_session()),
                  TrainingError)
