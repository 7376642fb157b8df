"""The chief judge's PIN dialogs: lock an item (with the spread override), unlock it, accept one spread.

The action runs when 确定 is pressed; a refusal (wrong PIN, open spread flags, a missing reason) is shown in
the dialog, which stays open so the chief judge can correct it. Nothing is written on a refusal.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from trainer.contest import ContestError
from trainer.contest_locks import LockRefused
from ui.class_tab import ERROR_STYLE, note_label

Action = Callable[[str, str], object]  # (pin, reason) → result; raises ContestError when refused


class PinDialog(QDialog):
    """Emits `succeeded(result)` once the action accepted the PIN (and reason)."""

    succeeded = Signal(object)

    def __init__(self, title: str, intro: str, action: Action, *, ok_text: str = "确定",
                 reason_label: str | None = None, reason_hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.action = action
        self.outcome: object = None
        self.intro_label = note_label(intro, style="")
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setPlaceholderText("裁判长PIN")
        self.reason_label = QLabel(reason_label or "理由：")
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(reason_hint)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(160)
        self.details.hide()
        self.error_label = note_label(style=ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(ok_text)
        ok.setAutoDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("裁判长PIN：", self.pin_edit)
        form.addRow(self.reason_label, self.reason_edit)
        box = QVBoxLayout(self)
        box.addWidget(self.intro_label)
        box.addLayout(form)
        box.addWidget(self.details)
        box.addWidget(self.error_label)
        box.addWidget(self.buttons)
        self.set_reason_visible(reason_label is not None)
        self.pin_edit.setFocus()

    def set_reason_visible(self, on: bool) -> None:
        self.reason_label.setVisible(on)
        self.reason_edit.setVisible(on)

    def submit(self) -> None:
        try:
            self.outcome = self.action(self.pin_edit.text(), self.reason_edit.text())
        except ContestError as exc:
            self.refused(exc)
            return
        self.succeeded.emit(self.outcome)
        self.accept()

    def refused(self, exc: ContestError) -> None:
        self.error_label.setText(str(exc))
        self.pin_edit.setFocus()
        self.pin_edit.selectAll()


class LockDialog(PinDialog):
    """Locking refused for open spread flags lists them and asks for the chief judge's reason; pressing 锁定
    again with a reason overrides every listed flag (each override is logged) and locks."""

    def __init__(self, item_name: str, action: Action, parent: QWidget | None = None) -> None:
        super().__init__(f"锁定项目 — {item_name}",
                         f"锁定后“{item_name}”的成绩只读，不能再录入或修改；解锁须裁判长PIN和原因。",
                         action, ok_text="锁定", reason_label="确认分差的理由：",
                         reason_hint="如：经评委合议，分差属评分尺度差异，维持原评分", parent=parent)
        self.set_reason_visible(False)

    def refused(self, exc: ContestError) -> None:
        if isinstance(exc, LockRefused) and exc.flags:
            self.details.setPlainText("\n".join(f.text() for f in exc.flags))
            self.details.show()
            self.set_reason_visible(True)
            self.error_label.setText(f"有{len(exc.flags)}名选手评委分差超过上限（见上）。请先修正成绩；或由裁判长填写"
                                     "确认理由后再次点击“锁定”，即确认上述分差并锁定。")
            self.reason_edit.setFocus()
            return
        super().refused(exc)
