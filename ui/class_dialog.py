"""Add / edit a class (培训班): from a plan item or ad hoc. training.save_class decides what is valid; its
Chinese message is shown under the form and everything typed stays in place."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import class_roster, plans, training
from trainer.amounts import AmountError, fmt, parse_amount
from trainer.training import TrainingClass, TrainingError
from trainer.units import UnitIndex, all_units
from ui.form_draft import FormDraft
from ui.person_dialog import ERROR_STYLE, UnitCombo

NO_BASE = "（不指定）"
AD_HOC = "（不关联计划，临时举办）"


def qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(d: QDate) -> dt.date:
    return dt.date(d.year(), d.month(), d.day())


def date_edit(value: dt.date) -> QDateEdit:
    edit = QDateEdit(qdate(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class ClassDialog(QDialog):
    """`cls=None` adds a class in `year`; after a successful save `saved` carries the class as stored."""

    saved = Signal(object)

    def __init__(self, db: Database, cls: TrainingClass | None = None, parent: QWidget | None = None,
                 year: int | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.original = cls
        self.result_class: TrainingClass | None = None
        today = today or dt.date.today()
        self._year = cls.start_date.year if cls else (year or today.year)
        self._units = all_units(db)
        self.setWindowTitle(f"编辑培训班 — {cls.title}" if cls else "新建培训班")
        self.setMinimumWidth(560)
        self._build(today)
        if cls:
            self._fill(cls)
        self.draft = FormDraft(self, db, f"class:{cls.id if cls else 'new'}", self.windowTitle())

    def _build(self, today: dt.date) -> None:
        self.item_combo = QComboBox()
        self.item_combo.addItem(AD_HOC, None)
        self._items: dict[int, plans.PlanItem] = {}
        for plan in plans.plans(self.db, self._year):
            for item in plans.items(self.db, int(plan.id or 0)):
                self._items[int(item.id or 0)] = item
                self.item_combo.addItem(f"{plan.title} · {item.title}（{item.type}）", item.id)
        self.item_combo.setToolTip("从年度培训计划的项目建班：名称、类型、日期、基地等按计划预填，计划执行情况也会统计到该项目")
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("如 2026年新招录执法人员初任培训班第1期")
        self.type_combo = QComboBox()
        self.type_combo.addItems(training.TRAINING_TYPES)
        start = max(today, dt.date(self._year, 1, 1)) if today.year == self._year else dt.date(self._year, 1, 1)
        self.start_edit = date_edit(start)
        self.end_edit = date_edit(start)
        self.days_label = QLabel()
        self.base_combo = QComboBox()
        self.base_combo.addItem(NO_BASE, None)
        for b in plans.bases(self.db):
            self.base_combo.addItem(f"{b.name}（{b.kind}）", b.id)
        self.organiser_combo = UnitCombo(self._units)
        self.organiser_combo.set_unit(self._units[0].id if self._units else None)
        self.capacity_spin = QSpinBox()
        self.capacity_spin.setRange(0, 100_000)
        self.capacity_spin.setSpecialValueText("不限")
        self.capacity_spin.setSuffix(" 人")
        self.pass_edit = QLineEdit()
        self.pass_edit.setPlaceholderText("不设考核时留空，如 60")
        self.status_combo = QComboBox()
        self.status_combo.addItems(training.CLASS_STATUSES)
        self.status_combo.setToolTip("结班请用“结班”按钮；此处可把误结的培训班改回")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setFixedHeight(60)
        self.error_label = QLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self._namesake_asked: tuple[str, int] | None = None  # title and year asked about: 保存 again saves

        form = QFormLayout()
        form.addRow("计划项目：", self.item_combo)
        form.addRow("培训班名称：", self.title_edit)
        form.addRow("培训类型：", self.type_combo)
        form.addRow("开始日期：", self.start_edit)
        form.addRow("结束日期：", self.end_edit)
        form.addRow("", self.days_label)
        form.addRow("培训基地：", self.base_combo)
        form.addRow("主办单位：", self.organiser_combo)
        form.addRow("人数上限：", self.capacity_spin)
        form.addRow("考核及格分：", self.pass_edit)
        form.addRow("状态：", self.status_combo)
        form.addRow("备注：", self.note_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.error_label)
        box.addWidget(self.buttons)

        self.item_combo.currentIndexChanged.connect(self._item_chosen)
        self.start_edit.dateChanged.connect(self._dates_changed)
        self.end_edit.dateChanged.connect(self._update_days)
        self._update_days()

    def _fill(self, c: TrainingClass) -> None:
        self.item_combo.blockSignals(True)
        index = self.item_combo.findData(c.plan_item_id) if c.plan_item_id is not None else 0
        self.item_combo.setCurrentIndex(max(index, 0))
        self.item_combo.blockSignals(False)
        self.title_edit.setText(c.title)
        self.type_combo.setCurrentText(c.type)
        self.start_edit.setDate(qdate(c.start_date))  # start first: moving it drags an earlier end along
        self.end_edit.setDate(qdate(c.end_date))
        self.base_combo.setCurrentIndex(max(self.base_combo.findData(c.base_id), 0) if c.base_id else 0)
        self.organiser_combo.set_unit(c.organiser_unit_id)
        self.capacity_spin.setValue(c.capacity)
        self.pass_edit.setText(fmt(c.pass_mark) if c.pass_mark is not None else "")
        self.status_combo.setCurrentText(c.status)
        self.note_edit.setPlainText(c.note)

    def _item_chosen(self) -> None:
        item_id = self.item_combo.currentData()
        if item_id is None or self.original is not None:
            return  # linking an existing class to an item keeps what the officer already entered
        c = plans.class_from_item(self._items[item_id], self._year)
        self.title_edit.setText(c.title)
        self.type_combo.setCurrentText(c.type)
        self.start_edit.setDate(qdate(c.start_date))
        self.end_edit.setDate(qdate(c.end_date))
        if c.base_id is not None:
            self.base_combo.setCurrentIndex(max(self.base_combo.findData(c.base_id), 0))
        if c.organiser_unit_id is not None:
            self.organiser_combo.set_unit(c.organiser_unit_id)
        self.capacity_spin.setValue(c.capacity)

    def _dates_changed(self) -> None:
        if self.end_edit.date() < self.start_edit.date():
            self.end_edit.setDate(self.start_edit.date())
        self._update_days()

    def _update_days(self) -> None:
        days = self.start_edit.date().daysTo(self.end_edit.date()) + 1
        self.days_label.setText(f"共 {days} 天" if days > 0 else "")

    # ---- saving ----------------------------------------------------------------------------------

    def current_class(self) -> TrainingClass:
        """The class as typed; raises TrainingError with a message for the form."""
        try:
            pass_mark = parse_amount(self.pass_edit.text(), allow_empty=True)
        except AmountError as exc:
            raise TrainingError(f"考核及格分：{exc}") from None
        organiser_text = self.organiser_combo.currentText().strip()
        organiser = UnitIndex(self._units).resolve(organiser_text) if organiser_text else None
        if organiser_text and organiser is None:
            raise TrainingError(f"没有名为“{organiser_text}”的单位")
        base = self.original or TrainingClass(None, "", "", dt.date.today(), dt.date.today())
        return replace(
            base, title=self.title_edit.text().strip(), type=self.type_combo.currentText(),
            start_date=pydate(self.start_edit.date()), end_date=pydate(self.end_edit.date()),
            base_id=self.base_combo.currentData(), organiser_unit_id=organiser.id if organiser else None,
            capacity=self.capacity_spin.value(), pass_mark=Decimal(pass_mark) if pass_mark is not None else None,
            status=self.status_combo.currentText(), note=self.note_edit.toPlainText().strip(),
            plan_item_id=self.item_combo.currentData())

    def save(self) -> None:
        try:
            c = self.current_class()
            problem = class_roster.capacity_problem(self.db, c)
            if problem:
                raise TrainingError(problem)
            if self._namesake_question(c):
                return
            stored = training.save_class(self.db, c)
        except TrainingError as exc:
            self.error_label.setText(str(exc))
            return
        self.result_class = stored
        self.error_label.clear()
        self.saved.emit(stored)
        self.accept()

    def _namesake_question(self, c: TrainingClass) -> bool:
        """True (and the question under the form) when another class of this title starts in the same
        year and the officer has not yet said, by clicking 保存 again, that this one is meant."""
        same = training.namesakes(self.db, c)
        asked = (c.title, c.start_date.year)
        if not same or asked == self._namesake_asked or (self.original and self.original.title == c.title):
            return False
        self._namesake_asked = asked
        listed = "、".join(f"{x.start_date}至{x.end_date}" for x in same[:3])
        self.error_label.setText(f"已有同名培训班“{c.title}”（{listed}）。如确是另一个班，请再次点击“保存”；"
                                 "否则请修改名称（如写明期次）。")
        return True
