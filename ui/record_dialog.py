"""Correct one external training record (编辑培训记录): every field the import reads, checked by the import's own
rules (trainer.records.update_record); a refusal shows under the form with everything typed kept. The change
goes into the audit chain with the reason given here, and counts toward compliance at once."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget
from sqlite_utils import Database

from trainer import records
from trainer.records import ExternalRecord, RecordError, RecordUpdate
from trainer.training import TRAINING_TYPES
from ui.class_dialog import date_edit, pydate
from ui.class_tab import note_label
from ui.form_dialog import error_line, form_column, save_cancel_buttons, save_form
from ui.form_draft import FormDraft

YES_NO = ("是", "否")


class RecordDialog(QDialog):
    """Edits `record`; `saved` carries the `RecordUpdate` (before and after)."""

    saved = Signal(object)

    def __init__(self, db: Database, record: ExternalRecord, parent: QWidget | None = None, *,
                 actor: str = records.ACTOR) -> None:
        super().__init__(parent)
        self.db, self.record, self.actor = db, record, actor
        self.result_update: RecordUpdate | None = None
        self.setWindowTitle(f"编辑培训记录 — {record.name} {record.fields.title}")
        self.setMinimumWidth(560)
        cells = record.cells()
        self.id_edit = QLineEdit(cells["身份证号"])
        self.name_edit = QLineEdit(cells["姓名"])
        self.title_edit = QLineEdit(cells["培训名称"])
        self.type_combo = QComboBox()
        self.type_combo.addItems(TRAINING_TYPES)
        self.type_combo.setCurrentText(cells["培训类型"])
        self.start_edit = date_edit(record.fields.start_date)
        self.end_edit = date_edit(record.fields.end_date)
        dates = QHBoxLayout()
        dates.addWidget(self.start_edit)
        dates.addWidget(QLabel("至"))
        dates.addWidget(self.end_edit)
        dates.addStretch(1)
        self.days_edit = QLineEdit(cells["天数"])
        self.hours_edit = QLineEdit(cells["学时"])
        self.hours_edit.setPlaceholderText("最多两位小数，如 40 或 3.5")
        for edit in (self.days_edit, self.hours_edit):
            edit.setMaximumWidth(220)
        self.completed_combo = QComboBox()
        self.completed_combo.addItems(YES_NO)
        self.completed_combo.setCurrentText(cells["是否结业"])
        self.organiser_edit = QLineEdit(cells["主办单位"])
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("选填，如 学时录入有误，按结业证书更正")
        self.reason_edit.setMaxLength(200)
        self.error_label = error_line()

        form = QFormLayout()
        form.addRow("身份证号：", self.id_edit)
        form.addRow("姓名：", self.name_edit)
        form.addRow("培训名称：", self.title_edit)
        form.addRow("培训类型：", self.type_combo)
        form.addRow("起止日期：", dates)
        form.addRow("天数：", self.days_edit)
        form.addRow("学时：", self.hours_edit)
        form.addRow("是否结业：", self.completed_combo)
        form.addRow("主办单位：", self.organiser_edit)
        form.addRow("修改原因：", self.reason_edit)
        self.buttons = save_cancel_buttons(self, self.save)
        imported = record.imported_at.replace("T", " ")
        form_column(self, form, self.error_label, self.buttons, above=[note_label(
            f"外部培训记录（编号 {record.id}，导入于 {imported}）。按导入时的规则检查；保存后立即计入各项合规检查，"
            "修改前后的内容和原因记入审计日志。")])
        self.start_edit.dateChanged.connect(self._show_span)
        self.end_edit.dateChanged.connect(self._show_span)
        self._show_span()
        self.draft = FormDraft(self, db, f"record:{record.id}", self.windowTitle())

    def _show_span(self, *_: object) -> None:
        span = (pydate(self.end_edit.date()) - pydate(self.start_edit.date())).days + 1
        self.days_edit.setPlaceholderText(f"不填按起止日期计算（{span}天）" if span > 0 else "不填按起止日期计算")

    def cells(self) -> dict[str, object]:
        """The form as an import row: the service reads it by the import's rules."""
        start: dt.date = pydate(self.start_edit.date())
        end: dt.date = pydate(self.end_edit.date())
        return {"身份证号": self.id_edit.text(), "姓名": self.name_edit.text().strip(),
                "培训名称": self.title_edit.text(), "培训类型": self.type_combo.currentText(),
                "开始日期": start.isoformat(), "结束日期": end.isoformat(), "天数": self.days_edit.text(),
                "学时": self.hours_edit.text(), "是否结业": self.completed_combo.currentText(),
                "主办单位": self.organiser_edit.text()}

    def save(self) -> None:
        save_form(self, self.error_label, self.saved, self._store, RecordError)

    def _store(self) -> RecordUpdate:
        self.result_update = records.update_record(self.db, self.record.id, self.cells(),
                                                   reason=self.reason_edit.text(), actor=self.actor)
        return self.result_update
