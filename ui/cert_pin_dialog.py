"""Setting or changing the certificate administrator's PIN (证书管理口令, trainer.cert_admin)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget
from sqlite_utils import Database

from trainer import cert_admin, pins
from ui.form_dialog import error_line, pin_edit


class CertPinDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.has_pin = cert_admin.pin_is_set(db)
        self.setWindowTitle("修改证书管理口令" if self.has_pin else "设置证书管理口令")
        self.setMinimumWidth(420)
        self.old_edit = pin_edit("当前口令")
        self.new_edit = pin_edit(f"至少{pins.MIN_PIN}位")
        self.again_edit = pin_edit("再输入一次")
        self.error_label = error_line()
        explanation = QLabel("设置后，保存证书设置、撤销证书和补发证书都须输入此口令；连续输错5次锁定5分钟。"
                             "口令只保存其不可逆的散列值，遗忘后无法找回，请妥善保管。")
        explanation.setWordWrap(True)
        form = QFormLayout()
        if self.has_pin:
            form.addRow("当前口令：", self.old_edit)
        form.addRow("新口令：", self.new_edit)
        form.addRow("确认新口令：", self.again_edit)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("保存口令", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(explanation)
        box.addLayout(form)
        box.addWidget(self.error_label)
        box.addWidget(buttons)

    def save(self) -> None:
        if self.new_edit.text() != self.again_edit.text():
            self.error_label.setText("两次输入的新口令不一致")
            return
        try:
            cert_admin.set_pin(self.db, self.new_edit.text(), "证书管理",
                               old_pin=self.old_edit.text() if self.has_pin else None)
        except cert_admin.CertPinError as exc:
            self.error_label.setText(str(exc))
            return
        self.accept()
