"""The small dialog that asks why a certificate is revoked (撤销, reason required) or reissued (补发), and for
the certificate administrator's PIN when one is set (trainer.cert_admin)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.class_tab import ERROR_STYLE, note_label


class ReasonDialog(QDialog):
    """`submitted(reason)` then closes; with `required`, an empty reason keeps it open with a note."""

    submitted = Signal(str)

    def __init__(self, title: str, explanation: str, *, required: bool, ok_text: str, placeholder: str = "",
                 default: str = "", ask_pin: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.required = required
        self.explanation_label = QLabel(explanation)
        self.explanation_label.setWordWrap(True)
        self.reason_edit = QLineEdit(default)
        self.reason_edit.setPlaceholderText(placeholder)
        self.reason_edit.setMaxLength(200)
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setPlaceholderText("证书管理口令")
        self.pin_edit.setVisible(ask_pin)
        self.error_label = note_label(style=ERROR_STYLE)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(self.explanation_label)
        box.addWidget(QLabel("原因（必填）：" if required else "原因："))
        box.addWidget(self.reason_edit)
        if ask_pin:
            box.addWidget(QLabel("证书管理口令："))
            box.addWidget(self.pin_edit)
        box.addWidget(self.error_label)
        box.addWidget(self.buttons)

    def submit(self) -> None:
        reason = self.reason_edit.text().strip()
        if self.required and not reason:
            self.error_label.setText("请填写原因：它记入证书登记，核验时会显示。")
            self.reason_edit.setFocus()
            return
        if self.pin_edit.isVisibleTo(self) and not self.pin_edit.text():
            self.error_label.setText("已设置证书管理口令：请输入口令。")
            self.pin_edit.setFocus()
            return
        self.submitted.emit(reason)
        self.accept()

    def pin(self) -> str | None:
        return self.pin_edit.text() if self.pin_edit.isVisibleTo(self) else None
