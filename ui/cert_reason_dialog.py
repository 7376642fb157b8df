"""The small dialog that asks why a certificate is revoked (撤销, reason required) or reissued (补发)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.class_tab import ERROR_STYLE, note_label


class ReasonDialog(QDialog):
    """`submitted(reason)` then closes; with `required`, an empty reason keeps it open with a note."""

    submitted = Signal(str)

    def __init__(self, title: str, explanation: str, *, required: bool, ok_text: str, placeholder: str = "",
                 default: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.required = required
        self.explanation_label = QLabel(explanation)
        self.explanation_label.setWordWrap(True)
        self.reason_edit = QLineEdit(default)
        self.reason_edit.setPlaceholderText(placeholder)
        self.reason_edit.setMaxLength(200)
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
        box.addWidget(self.error_label)
        box.addWidget(self.buttons)

    def submit(self) -> None:
        reason = self.reason_edit.text().strip()
        if self.required and not reason:
            self.error_label.setText("请填写原因：它记入证书登记，核验时会显示。")
            self.reason_edit.setFocus()
            return
        self.submitted.emit(reason)
        self.accept()
