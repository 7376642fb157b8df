"""The chief judge decides one double-entry mismatch: keep the first entry, take the second clerk's value, or
type the value read off the paper sheet; always with a reason and the chief judge's PIN. Nothing is decided
by default: no choice is preselected, so the first entry never wins by a stray Enter.

The decision goes through scoring.resolve_mismatch, which checks the reason and the PIN itself (once: the dialog
does not check it first) and writes the score, the check row's decision and the audit log in one transaction;
a refusal (wrong PIN, no reason, a value out of range, a locked item) stays in the dialog.
"""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLineEdit, QRadioButton, QVBoxLayout, QWidget
from sqlite_utils import Database

from trainer import scoring
from trainer.contest import ContestError
from trainer.contest_values import show_plain, to_milli
from trainer.scoring import EntryResult, Mismatch, ScoreError, ScoringContext
from ui.class_tab import note_label
from ui.pin_dialog import PinDialog

FIRST, SECOND, TYPED = 1, 2, 3


class MismatchDialog(PinDialog):
    """`succeeded(EntryResult)` once decided. `where` names the slot as the caller may show it (a code, not a
    name, on a blind item)."""

    def __init__(self, db: Database, contest_id: int, mismatch: Mismatch, where: str, actor: str,
                 ctx: ScoringContext | None = None, parent: QWidget | None = None) -> None:
        self.db, self.contest_id, self.mismatch, self.ctx, self.actor = db, contest_id, mismatch, ctx, actor
        first = f"{mismatch.first}（{mismatch.first_by}）" if mismatch.first is not None else "未录入"
        super().__init__(f"裁定两遍录入不一致 — {where}",
                         f"{where}\n第一遍录入：{first}\n第二遍核对录入：{mismatch.second}（{mismatch.second_by}）\n"
                         "请核对原始评分表后选择应记录的分数；裁定及原因记入修改记录和审计日志。",
                         self._decide, ok_text="裁定", reason_label="裁定原因：",
                         reason_hint="如：核对原始评分表，第一遍录入笔误", parent=parent)
        self.first_radio = QRadioButton(f"采用第一遍录入：{mismatch.first}" if mismatch.first is not None
                                        else "第一遍未录入（不可选）")
        self.first_radio.setEnabled(mismatch.first is not None)
        self.second_radio = QRadioButton(f"采用第二遍核对录入：{mismatch.second}")
        self.typed_radio = QRadioButton("按原始评分表另填：")
        self.value_edit = QLineEdit()
        self.value_edit.setPlaceholderText("分数")
        self.value_edit.setMaximumWidth(120)
        self.group = QButtonGroup(self)
        for button, key in ((self.first_radio, FIRST), (self.second_radio, SECOND), (self.typed_radio, TYPED)):
            self.group.addButton(button, key)
        typed_row = QHBoxLayout()
        typed_row.addWidget(self.typed_radio)
        typed_row.addWidget(self.value_edit)
        typed_row.addStretch(1)
        choices = QVBoxLayout()
        choices.addWidget(note_label("应记录的分数：", style="font-weight: bold;"))
        choices.addWidget(self.first_radio)
        choices.addWidget(self.second_radio)
        choices.addLayout(typed_row)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(1, choices)
        self.value_edit.textEdited.connect(lambda _t: self.typed_radio.setChecked(True))

    def choose(self, which: int, value: str = "") -> None:
        """FIRST, SECOND or TYPED (with the value), as the chief judge clicks it."""
        button = self.group.button(which)
        button.setChecked(True)
        if which == TYPED:
            self.value_edit.setText(value)

    def chosen_value(self) -> str:
        which = self.group.checkedId()
        if which == FIRST and self.mismatch.first is not None:
            return show_plain(to_milli(self.mismatch.first))
        if which == SECOND:
            return show_plain(to_milli(self.mismatch.second))
        if which == TYPED:
            if not self.value_edit.text().strip():
                raise ContestError("请填写按原始评分表应记录的分数")
            return self.value_edit.text().strip()
        raise ContestError("请选择应记录的分数：第一遍、第二遍或另填")

    def _decide(self, pin: str, reason: str) -> EntryResult:
        value = self.chosen_value()
        try:  # the service checks the reason, then the PIN (once), then the value
            return scoring.resolve_mismatch(self.db, self.mismatch.slot, value, pin, self.actor, reason,
                                            ctx=self.ctx)
        except ScoreError as exc:
            raise ContestError(str(exc)) from None
