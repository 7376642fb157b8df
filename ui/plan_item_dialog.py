"""Add / edit one plan item. The form is read as spreadsheet cells through trainer.plan_fields.parse_item,
so the dialog and the plan import refuse the same things in the same words; a refused save keeps the form.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import plans, training
from trainer.amounts import fmt
from trainer.person_fields import CATEGORIES
from trainer.plan_fields import (
    AUDIENCE,
    BASE,
    BUDGET,
    DAYS,
    END,
    EVERYONE,
    HOURS,
    LEADERS,
    MONTH,
    ONLY,
    ORGANISER,
    PEOPLE,
    RECRUITS,
    START,
    STATUS,
    TITLE,
    TYPE,
    Lookups,
    parse_item,
)
from trainer.plans import PlanError, PlanItem
from trainer.units import all_units
from ui.form_draft import FormDraft
from ui.person_dialog import ERROR_STYLE, DateField, UnitCombo
from ui.unit_checklist import UnitChecklist

NO_BASE = "（未定）"
NO_MONTH = "（未定）"


class PlanItemDialog(QDialog):
    """`item=None` adds an item to plan `plan_id`; after a save, `saved` is the item as stored."""

    item_saved = Signal(object)

    def __init__(self, db: Database, plan_id: int, item: PlanItem | None = None, parent: QWidget | None = None,
                 next_order: int = 0) -> None:
        super().__init__(parent)
        self.db = db
        self.plan_id = plan_id
        self.original = item
        self.next_order = next_order
        self.saved: PlanItem | None = None
        self.lookups = Lookups.load(db)
        self.setWindowTitle(f"编辑计划项目 — {item.title}" if item else "添加计划项目")
        self._build()
        if item:
            self._fill(item)
        self.draft = FormDraft(self, db, f"plan_item:{item.id}" if item else f"plan_item:new:{plan_id}",
                               self.windowTitle())

    # ---- widgets ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("如：新招录执法人员初任培训")
        self.type_combo = QComboBox()
        self.type_combo.addItems(training.TRAINING_TYPES)
        self.category_checks = {c: QCheckBox(c) for c in CATEGORIES}
        self.category_checks[CATEGORIES[0]].setChecked(True)
        self.leaders_check = QCheckBox(f"仅{LEADERS}")
        self.recruits_check = QCheckBox(f"仅{RECRUITS}")
        audience = QWidget()
        row = QHBoxLayout(audience)
        row.setContentsMargins(0, 0, 0, 0)
        for w in (*self.category_checks.values(), self.leaders_check, self.recruits_check):
            row.addWidget(w)
        row.addStretch(1)
        audience.setToolTip(f"不勾选人员类别即为{EVERYONE}")
        self.units_edit = QLineEdit()
        self.units_edit.setPlaceholderText("不限；或填单位名称，多个用“、”分隔")
        self.units_button = QPushButton("选择…")
        self.units_button.setToolTip("从单位树中勾选限定单位")
        self.units_button.clicked.connect(self.choose_units)
        units_row = QWidget()
        units_layout = QHBoxLayout(units_row)
        units_layout.setContentsMargins(0, 0, 0, 0)
        units_layout.addWidget(self.units_edit, 1)
        units_layout.addWidget(self.units_button)
        self.month_combo = QComboBox()
        self.month_combo.addItem(NO_MONTH, None)
        for m in range(1, 13):
            self.month_combo.addItem(f"{m}月", m)
        self.start = DateField()
        self.end = DateField()
        self.days_edit = QLineEdit()
        self.days_edit.setPlaceholderText("空：按起止日期计算")
        self.hours_edit = QLineEdit()
        self.base_combo = QComboBox()
        self.base_combo.addItem(NO_BASE, None)
        for b in self.lookups.bases:
            self.base_combo.addItem(f"{b.name}（{b.kind}）", b.name)
        self.unit_list = all_units(self.db)
        self.organiser_combo = UnitCombo(self.unit_list)
        self.budget_edit = QLineEdit()
        self.budget_edit.setPlaceholderText("元，如 30000 或 4500.50")
        self.people_spin = QSpinBox()
        self.people_spin.setRange(0, 100_000)
        self.people_spin.setSuffix(" 人")
        self.status_combo = QComboBox()
        self.status_combo.addItems(plans.ITEM_STATUSES)

        self.inputs: dict[str, QWidget] = {
            TITLE: self.title_edit, TYPE: self.type_combo, AUDIENCE: audience, ONLY: units_row,
            BASE: self.base_combo, ORGANISER: self.organiser_combo, STATUS: self.status_combo,
            MONTH: self.month_combo, START: self.start, END: self.end, DAYS: self.days_edit, HOURS: self.hours_edit,
            BUDGET: self.budget_edit, PEOPLE: self.people_spin,
        }
        labels = {ONLY: "限定单位"}
        left = (TITLE, TYPE, AUDIENCE, ONLY, BASE, ORGANISER, STATUS)
        right = (MONTH, START, END, DAYS, HOURS, BUDGET, PEOPLE)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        grid.setColumnMinimumWidth(1, 380)
        grid.setColumnMinimumWidth(3, 230)
        self.errors: dict[str, QLabel] = {}
        for col, names in enumerate((left, right)):
            for r, name in enumerate(names):
                star = "<span style='color:#c0392b'>*</span>" if name in (TITLE, TYPE) else ""
                label = QLabel(labels.get(name, name) + star + "：")
                label.setBuddy(self.inputs[name])
                error = QLabel()
                error.setStyleSheet(ERROR_STYLE)
                error.setWordWrap(True)
                error.setVisible(False)
                error.setObjectName(f"error_{name}")
                cell = QVBoxLayout()
                cell.setSpacing(1)
                cell.addWidget(self.inputs[name])
                cell.addWidget(error)
                grid.addWidget(label, r, col * 2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                grid.addLayout(cell, r, col * 2 + 1)
                self.errors[name] = error
        hint = QLabel("计划时间可只填计划月份，也可填写起止日期；天数留空时按起止日期计算。预算单位为元。")
        hint.setStyleSheet("color:#666;")
        hint.setWordWrap(True)

        self.footer = QLabel()
        self.footer.setWordWrap(True)
        self.footer.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        box = QVBoxLayout(self)
        box.addLayout(grid)
        box.addWidget(hint)
        box.addWidget(self.footer)
        box.addWidget(self.buttons)

    def unit_checklist(self) -> UnitChecklist:
        """The 限定单位 chooser, pre-checked with the units the field names now (tests drive it directly)."""
        names = self.units_edit.text().replace(",", "、").replace("，", "、").split("、")
        chosen = [u.id for u in (self.lookups.units.resolve(n) for n in names if n.strip()) if u is not None]
        return UnitChecklist(self.unit_list, chosen, self, title="选择限定单位")

    def choose_units(self) -> None:
        dialog = self.unit_checklist()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.units_edit.setText("、".join(dialog.chosen_names()))

    def _fill(self, it: PlanItem) -> None:
        self.title_edit.setText(it.title)
        self.type_combo.setCurrentText(it.type)
        for name, check in self.category_checks.items():
            check.setChecked(name in it.audience.categories)
        self.leaders_check.setChecked(it.audience.leaders_only)
        self.recruits_check.setChecked(it.audience.recruits_only)
        names = self.lookups.unit_names()
        self.units_edit.setText("、".join(names.get(u, "") for u in it.audience.unit_ids))
        self.month_combo.setCurrentIndex(max(0, self.month_combo.findData(it.planned_month)))
        self.start.set_date(it.start_date)
        self.end.set_date(it.end_date)
        self.days_edit.setText(fmt(it.days) if it.days else "")
        self.hours_edit.setText(fmt(it.hours) if it.hours else "")
        self.base_combo.setCurrentIndex(max(0, self.base_combo.findData(self.lookups.base_name(it.base_id) or None)))
        self.organiser_combo.set_unit(it.organiser_unit_id)
        self.budget_edit.setText(fmt(it.budget) if it.budget else "")
        self.people_spin.setValue(it.planned_people)
        self.status_combo.setCurrentText(it.status)

    # ---- reading the form --------------------------------------------------------------------------

    def audience_text(self) -> str:
        chosen = [c for c, check in self.category_checks.items() if check.isChecked()]
        parts = ["、".join(chosen) or EVERYONE]
        if self.leaders_check.isChecked():
            parts.append(LEADERS)
        if self.recruits_check.isChecked():
            parts.append(RECRUITS)
        units = self.units_edit.text().strip().replace(",", "、").replace("，", "、")
        if units:
            parts.append(ONLY + units)
        return "，".join(parts)

    def cells(self) -> dict[str, object]:
        """The form as plan spreadsheet cells, ready for parse_item."""
        return {
            TITLE: self.title_edit.text(), TYPE: self.type_combo.currentText(), AUDIENCE: self.audience_text(),
            MONTH: self.month_combo.currentData(), START: self.start.text(), END: self.end.text(),
            DAYS: self.days_edit.text(), HOURS: self.hours_edit.text(), BASE: self.base_combo.currentData() or "",
            ORGANISER: self.organiser_combo.currentText(), BUDGET: self.budget_edit.text(),
            PEOPLE: self.people_spin.value(), STATUS: self.status_combo.currentText(),
        }

    def error_text(self, column: str) -> str:
        return self.errors[column].text()

    def _show_errors(self, errors: dict[str, str]) -> None:
        for name, label in self.errors.items():
            label.setText(errors.get(name, ""))
            label.setVisible(name in errors)

    # ---- saving ------------------------------------------------------------------------------------

    def accept(self) -> None:
        item, problems = parse_item(self.cells(), self.lookups, self.plan_id)
        by_field: dict[str, str] = {}
        for p in problems:
            # A unit named in 限定单位 is the likelier culprit of an audience problem.
            name = ONLY if p.column == AUDIENCE and self.units_edit.text().strip() else p.column
            by_field[name] = "；".join(filter(None, (by_field.get(name), p.message)))
        self._show_errors(by_field)
        if item is None:
            self.footer.setText(f"有{len(problems)}处需要更正（见红字），未保存。")
            return
        if self.original is not None:
            item = replace(item, id=self.original.id, sort_order=self.original.sort_order)
        else:
            item = replace(item, sort_order=self.next_order)
        try:
            self.saved = plans.save_item(self.db, item)
        except PlanError as exc:  # the form stays as typed
            self.footer.setText(f"未保存：{exc}")
            return
        except Exception as exc:  # a database error must not lose the form
            QMessageBox.critical(self, "保存失败", f"保存失败，未写入任何数据：{exc}")
            return
        self.footer.setText("")
        self.item_saved.emit(self.saved)
        super().accept()
