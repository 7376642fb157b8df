"""The officer's decision over a computed completion (人工认定结业), which needs a recorded reason."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import training
from trainer.training import Outcome, TrainingError
from ui.class_tab import note_label
from ui.form_dialog import error_line, save_cancel_buttons
from ui.form_draft import FormDraft


class OverrideDialog(QDialog):
    """Emits `saved` after training.set_override accepted the choice."""

    saved = Signal()

    def __init__(self, db: Database, outcome: Outcome, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.outcome = outcome
        self.setWindowTitle(f"人工认定结业 — {name}")
        self.setMinimumWidth(520)
        computed = "结业" if outcome.computed else "未结业"
        self.completed_radio = QRadioButton("认定为结业")
        self.failed_radio = QRadioButton("认定为未结业")
        self.rule_radio = QRadioButton(f"按规则计算（{computed}），取消人工认定")
        group = QButtonGroup(self)
        for radio in (self.completed_radio, self.failed_radio, self.rule_radio):
            group.addButton(radio)
        overridden = outcome.completed != outcome.computed
        if overridden:
            (self.completed_radio if outcome.completed else self.failed_radio).setChecked(True)
        else:
            (self.failed_radio if outcome.computed else self.completed_radio).setChecked(True)
        self.reason_edit = QLineEdit(outcome.override_reason)
        self.reason_edit.setPlaceholderText("必填，如：因执行防汛任务缺课，已补学并经分管领导同意")
        self.error_label = error_line()
        buttons = save_cancel_buttons(self, self.save)
        box = QVBoxLayout(self)
        box.addWidget(QLabel(f"按规则计算：{computed}"))
        box.addWidget(note_label(outcome.explanation))
        for radio in (self.completed_radio, self.failed_radio, self.rule_radio):
            box.addWidget(radio)
        box.addWidget(QLabel("理由："))
        box.addWidget(self.reason_edit)
        box.addWidget(self.error_label)
        box.addWidget(buttons)
        self.rule_radio.toggled.connect(lambda on: self.reason_edit.setEnabled(not on))
        self.draft = FormDraft(self, db, f"override:{outcome.class_id}:{outcome.person_id}", self.windowTitle())

    def choice(self) -> bool | None:
        if self.rule_radio.isChecked():
            return None
        return self.completed_radio.isChecked()

    def save(self) -> None:
        try:
            training.set_override(self.db, self.outcome.class_id, self.outcome.person_id, self.choice(),
                                  self.reason_edit.text())
        except TrainingError as exc:
            self.error_label.setText(str(exc))
            self.reason_edit.setFocus()
            return
        self.saved.emit()
        self.accept()
