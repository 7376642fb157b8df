"""Add / edit a judge (评委): 评委编号, name, and a unit from the unit tree (recusal goes by it) or 外聘 with where
they come from; one judge may be the chief judge (裁判长). trainer.contest_setup decides what is valid."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QLineEdit, QWidget
from sqlite_utils import Database

from trainer import contest_people, contest_setup
from trainer.contest import ContestError
from trainer.contest_people import Judge
from trainer.contest_setup import JudgeSpec
from trainer.units import UnitIndex, all_units
from ui.class_tab import note_label
from ui.form_dialog import error_line, form_column, save_cancel_buttons, save_form
from ui.form_draft import FormDraft
from ui.person_dialog import UnitCombo


def next_code(judges: list[Judge]) -> str:
    """J1, J2, … : one more than the highest J-number in use."""
    used = [int(j.code[1:]) for j in judges if j.code[:1].upper() == "J" and j.code[1:].isdigit()]
    return f"J{max(used, default=0) + 1}"


class JudgeDialog(QDialog):
    """`judge=None` adds a judge to the contest; `saved` carries the judge as stored."""

    saved = Signal(object)

    def __init__(self, db: Database, contest_id: int, actor: str, judge: Judge | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.contest_id, self.actor, self.original = db, contest_id, actor, judge
        self.result_judge: Judge | None = None
        self._units = all_units(db)
        self.setWindowTitle(f"编辑评委 — {judge.code} {judge.name}" if judge else "添加评委")
        self.setMinimumWidth(520)
        self.code_edit = QLineEdit(next_code(contest_people.judges(db, contest_id)) if judge is None else "")
        self.name_edit = QLineEdit()
        self.external_check = QCheckBox("外聘评委（不回避任何选手）")
        self.unit_combo = UnitCombo(self._units)
        self.external_edit = QLineEdit()
        self.external_edit.setPlaceholderText("外聘评委的单位，如 平顶山学院")
        self.chief_check = QCheckBox("裁判长（锁定、确认等操作记在裁判长名下）")
        self.error_label = error_line()
        form = QFormLayout()
        form.addRow("评委编号：", self.code_edit)
        form.addRow("姓名：", self.name_edit)
        form.addRow("", self.external_check)
        form.addRow("单位：", self.unit_combo)
        form.addRow("外聘单位：", self.external_edit)
        form.addRow("", self.chief_check)
        self.buttons = save_cancel_buttons(self, self.save)
        form_column(self, form, self.error_label, self.buttons,
                    below=[note_label("评委回避本单位选手：县（市、区）评委也回避其下属街道（乡镇）的选手。")])
        self.external_check.toggled.connect(self._update_enabled)
        if judge is not None:
            spec = contest_setup.judge_spec(judge)
            self.code_edit.setText(spec.code)
            self.name_edit.setText(spec.name)
            self.external_check.setChecked(spec.unit_id is None)
            self.unit_combo.set_unit(spec.unit_id)
            self.external_edit.setText(spec.unit_text)
            self.chief_check.setChecked(spec.is_chief)
        self._update_enabled()
        self.draft = FormDraft(self, db, f"contest_judge:{contest_id}:{judge.id if judge else 'new'}",
                               self.windowTitle())

    def _update_enabled(self, *_: object) -> None:
        external = self.external_check.isChecked()
        self.unit_combo.setEnabled(not external)
        self.external_edit.setEnabled(external)

    def current_spec(self) -> JudgeSpec:
        unit_id = None
        if not self.external_check.isChecked():
            text = self.unit_combo.currentText().strip()
            unit = UnitIndex(self._units).resolve(text) if text else None
            if unit is None:
                raise ContestError(f"没有名为“{text}”的单位" if text else "请选择评委所在单位，或勾选外聘评委")
            unit_id = unit.id
        return JudgeSpec(self.code_edit.text().strip(), self.name_edit.text().strip(), unit_id,
                         self.external_edit.text().strip() if unit_id is None else "", self.chief_check.isChecked())

    def save(self) -> None:
        save_form(self, self.error_label, self.saved, self._store, ContestError)

    def _store(self) -> Judge:
        spec = self.current_spec()
        if self.original is None:
            self.result_judge = contest_setup.add_judge(self.db, self.contest_id, spec, self.actor)
        else:
            self.result_judge = contest_setup.update_judge(self.db, self.original.id, spec, self.actor)
        return self.result_judge
