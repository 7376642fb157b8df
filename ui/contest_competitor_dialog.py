"""Add a competitor by hand (one not on the personnel register), or correct one: name and unit. The draw
number comes at the draw (抽签…), never here."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QWidget
from sqlite_utils import Database

from trainer import contest_setup
from trainer.contest import ContestError
from trainer.contest_people import Competitor
from trainer.units import UnitIndex, all_units
from ui.class_tab import note_label
from ui.form_dialog import error_line, form_column, save_cancel_buttons, save_form
from ui.form_draft import FormDraft
from ui.person_dialog import UnitCombo


class CompetitorDialog(QDialog):
    """`saved` carries the competitor as stored; the dialog stays open on a refusal."""

    saved = Signal(object)

    def __init__(self, db: Database, contest_id: int, actor: str, parent: QWidget | None = None,
                 competitor: Competitor | None = None) -> None:
        super().__init__(parent)
        self.db, self.contest_id, self.actor = db, contest_id, actor
        self.original = competitor
        self._units = all_units(db)
        self.setWindowTitle("修改选手" if competitor else "手工添加选手")
        self.setMinimumWidth(480)
        self.name_edit = QLineEdit(competitor.name if competitor else "")
        self.unit_combo = UnitCombo(self._units)
        if competitor is not None:
            self.unit_combo.set_unit(competitor.unit_id)
            if competitor.person_id is not None:  # the register's name: corrected in 人员名册
                self.name_edit.setReadOnly(True)
                self.name_edit.setToolTip("来自人员名册：姓名请在“人员名册”中修改")
        self.error_label = error_line()
        form = QFormLayout()
        form.addRow("姓名：", self.name_edit)
        form.addRow("单位：", self.unit_combo)
        self.buttons = save_cancel_buttons(self, self.save, "保存" if competitor else "添加")
        form_column(self, form, self.error_label, self.buttons,
                    above=[note_label("单位决定代表队和评委回避，已有成绩后不能再改。" if competitor else
                                      "名册中的人员请用“从名册添加…”。抽签号在抽签时分配；单位决定代表队和评委回避。")])
        self.draft = FormDraft(self, db, f"contest_competitor:{contest_id}:{competitor.id if competitor else 'new'}",
                               self.windowTitle())

    def save(self) -> None:
        save_form(self, self.error_label, self.saved, self._store, ContestError)

    def _store(self) -> Competitor:
        text = self.unit_combo.currentText().strip()
        unit = UnitIndex(self._units).resolve(text) if text else None
        if text and unit is None:
            raise ContestError(f"没有名为“{text}”的单位")
        if self.original is not None:
            return contest_setup.update_competitor(self.db, self.original.id, self.name_edit.text(),
                                                   unit.id if unit else None, self.actor)
        return contest_setup.add_competitor(self.db, self.contest_id, self.name_edit.text(),
                                            unit.id if unit else None, self.actor)
