"""查看评委重开码: the chief judge picks a judge, types the contest PIN and reads the judge's reopen code
(重开码), to type on that judge's laptop when a submitted sheet must be reopened.

The PIN is checked by trainer.judge_kit.reveal_reopen_code (a wrong one counts toward the contest's PIN
lock-out) and every reveal is written to the audit chain. The dialog stays open after a reveal so another judge
can be chosen; each reveal asks for the PIN again, and choosing another judge hides the code shown.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget
from sqlite_utils import Database

from trainer import contest_people, judge_kit
from trainer.contest import ContestError
from trainer.judge_kit import RevealedCodes
from ui.class_tab import note_label
from ui.pin_dialog import PinDialog

CODE_PT = 26
INTRO = ("评委提交评分表后如需修改，须由裁判长在该评委的电脑上输入其评分包的8位重开码重新打开。"
         "查看重开码须输入裁判长PIN（输错计入PIN锁定次数），每次查看都记入审计日志。")


class ReopenCodeDialog(PinDialog):
    """Emits `succeeded(RevealedCodes)` after each reveal; `judge_combo` lists the judges with an exported kit."""

    def __init__(self, db: Database, contest_id: int, actor: str, parent: QWidget | None = None) -> None:
        super().__init__("查看评委重开码", INTRO,
                         lambda pin, _reason: judge_kit.reveal_reopen_code(
                             db, contest_id, self.judge_code(), pin, actor),
                         ok_text="查看重开码", parent=parent)
        self.judge_combo = QComboBox()
        with_kits = {k.judge_id for k in judge_kit.kits(db, contest_id)}
        for judge in contest_people.judges(db, contest_id):
            if judge.id in with_kits:
                self.judge_combo.addItem(f"{judge.code}　{judge.name}", judge.code)
        form = self.findChild(QFormLayout)
        assert form is not None
        form.insertRow(0, "评委：", self.judge_combo)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("关闭")
        self.code_title = note_label()
        self.code_label = QLabel()
        font = QFont(self.code_label.font())
        font.setPointSize(CODE_PT)
        font.setBold(True)
        self.code_label.setFont(font)
        self.code_label.setStyleSheet("color:#1a3d7c; background:#eef3fb; border:1px solid #b8c9e6; padding:8px;")
        self.earlier_label = note_label()  # other kits of the same judge, in case the judge holds an older one
        self.code_hint = note_label("请当面告知评委或亲自在评委电脑上输入；不要写在评分表或评分包上。")
        box = self.layout()
        assert isinstance(box, QVBoxLayout)
        at = box.indexOf(self.error_label)
        for offset, widget in enumerate(self._code_widgets()):
            box.insertWidget(at + offset, widget)
        self.judge_combo.currentIndexChanged.connect(lambda _i: self.hide_codes())
        self.hide_codes()
        self.pin_edit.setFocus()

    def judge_code(self) -> str:
        return str(self.judge_combo.currentData() or "")

    def submit(self) -> None:
        """Reveal the chosen judge's codes and keep the dialog open (PinDialog would close it)."""
        self.hide_codes()
        try:
            revealed = self.action(self.pin_edit.text(), "")
        except ContestError as exc:
            self.refused(exc)
            return
        assert isinstance(revealed, RevealedCodes)
        self.outcome = revealed
        self.show_codes(revealed)
        self.succeeded.emit(revealed)

    def show_codes(self, revealed: RevealedCodes) -> None:
        self.error_label.setText("")
        self.pin_edit.clear()
        newest, *earlier = revealed.codes
        self.code_title.setText(f"评委{revealed.judge_code}（{revealed.judge_name}）的重开码，{newest.kit_label}：")
        self.code_label.setText(judge_kit.group_code(newest.code))
        self.earlier_label.setText("\n".join(f"较早导出的{c.kit_label}：{judge_kit.group_code(c.code)}"
                                              for c in earlier))
        for widget in self._code_widgets():
            widget.setVisible(widget is not self.earlier_label or bool(earlier))
        self.adjustSize()  # room for the code, which was hidden when the dialog was laid out

    def hide_codes(self) -> None:
        self.code_label.clear()
        self.earlier_label.clear()
        for widget in self._code_widgets():
            widget.hide()

    def _code_widgets(self) -> tuple[QLabel, ...]:
        return self.code_title, self.code_label, self.earlier_label, self.code_hint
