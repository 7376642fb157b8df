"""The 证书核验 page: scan a certificate's QR code (a USB scanner types the text and Enter) or type a serial,
and see in one glance whether it stands — 有效 green, 已撤销 orange, 未知 grey, 被篡改 red — with the
register's record beneath. For a tampered text whose serial is readable, the record shown is the one of the
serial the text claims, under a red heading that says so, to compare with the certificate in hand.

The verdict comes from trainer.cert_payload.verify, the same check as `trainer cert verify`.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget
from sqlite_utils import Database

from trainer import cert_payload
from trainer.cert_payload import CLAIMED_TITLE, OK, REVOKED_VERDICT, TAMPERED, UNKNOWN, Verification
from trainer.cert_register import REVOKED, Certificate

# verdict → (background, text colour); one glance from across the desk
BANNER_COLOURS = {OK: ("#1e8449", "white"), REVOKED_VERDICT: ("#e67e22", "white"), UNKNOWN: ("#7f8c8d", "white"),
                  TAMPERED: ("#c0392b", "white")}
BANNER_TEXT = {OK: "有效", REVOKED_VERDICT: "已撤销", UNKNOWN: "未知", TAMPERED: "被篡改"}
IDLE_STYLE = "background: #ecf0f1; color: #7f8c8d; border-radius: 8px; padding: 18px;"
RECORD_FIELDS = ("证书编号", "持证人", "身份证号", "类型", "内容", "培训", "发证", "状态", "撤销或补发")


class VerifyPage(QWidget):
    """Built by the main window as VerifyPage(db, main_window). Read-only: it never changes the register."""

    verified = Signal(object)  # Verification

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.result: Verification | None = None
        self._build()
        self.clear()

    def _build(self) -> None:
        title = QLabel("证书核验")
        title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        hint = QLabel("用扫码枪扫描证书上的二维码，或输入证书编号（如 PDS2026JY000122）后按回车。")
        hint.setStyleSheet("color: #555;")
        self.input = QLineEdit()
        self.input.setPlaceholderText("扫描二维码或输入证书编号")
        self.input.setClearButtonEnabled(True)
        big = QFont(self.input.font())
        big.setPointSizeF(max(14.0, big.pointSizeF() * 1.5))
        self.input.setFont(big)
        self.input.setMinimumHeight(44)
        self.verify_button = QPushButton("核验")
        self.verify_button.setMinimumHeight(44)
        self.verify_button.setMinimumWidth(96)
        self.clear_button = QPushButton("清空")
        self.clear_button.setMinimumHeight(44)
        entry = QHBoxLayout()
        entry.addWidget(self.input, 1)
        entry.addWidget(self.verify_button)
        entry.addWidget(self.clear_button)

        self.banner = QLabel()
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setMinimumHeight(120)
        self.banner.setFont(banner_font(self.font()))
        self.message_label = QLabel()
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("font-size: 12pt; color: #333;")

        self.record_title = QLabel(CLAIMED_TITLE)
        self.record_title.setWordWrap(True)
        self.record_title.setStyleSheet("font-size: 11pt; font-weight: bold; color: #c0392b;")
        self.record = QFrame()
        self.record.setFrameShape(QFrame.Shape.StyledPanel)
        form = QFormLayout(self.record)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(18)
        form.setVerticalSpacing(8)
        self.fields: dict[str, QLabel] = {}
        for name in RECORD_FIELDS:
            value = QLabel()
            value.setTextFormat(Qt.TextFormat.RichText)  # values are escaped; links lead to a reissue
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByMouse)
            value.setWordWrap(True)
            value.setStyleSheet("font-size: 11pt;")
            value.linkActivated.connect(self.verify_text)
            label = QLabel(f"{name}：")
            label.setStyleSheet("font-size: 11pt; color: #555;")
            form.addRow(label, value)
            self.fields[name] = value

        box = QVBoxLayout(self)
        box.setContentsMargins(24, 18, 24, 18)
        box.setSpacing(12)
        box.addWidget(title)
        box.addWidget(hint)
        box.addLayout(entry)
        box.addWidget(self.banner)
        box.addWidget(self.message_label)
        box.addWidget(self.record_title)
        box.addWidget(self.record)
        box.addStretch(1)

        self.input.returnPressed.connect(self.verify)
        self.verify_button.clicked.connect(self.verify)
        self.clear_button.clicked.connect(self.clear)

    # ---- verifying -------------------------------------------------------------------------------

    @property
    def verdict(self) -> str:
        return self.result.verdict if self.result else ""

    def verify(self) -> Verification | None:
        text = self.input.text().strip()
        if not text:
            self.clear()
            return None
        self.result = cert_payload.verify(self.db, text)
        self._show(self.result)
        self.input.selectAll()  # the next scan replaces this one
        self.input.setFocus()
        self.verified.emit(self.result)
        return self.result

    def verify_text(self, text: str) -> None:
        """Verify `text` as if scanned (the reissue links in the record)."""
        self.input.setText(text)
        self.verify()

    def clear(self) -> None:
        self.result = None
        self.input.clear()
        self.banner.setText("等待扫码")
        self.banner.setStyleSheet(IDLE_STYLE)
        self.message_label.setText("")
        self._show_record(None)
        self.input.setFocus()

    def refresh(self) -> None:
        """The register changed (a revoke elsewhere): the verdict on screen must not be stale."""
        if self.result is not None and self.input.text().strip():
            self.result = cert_payload.verify(self.db, self.input.text().strip())
            self._show(self.result)

    def _show(self, v: Verification) -> None:
        background, colour = BANNER_COLOURS[v.verdict]
        self.banner.setText(BANNER_TEXT[v.verdict])
        self.banner.setStyleSheet(f"background: {background}; color: {colour}; border-radius: 8px; padding: 18px;")
        self.message_label.setText(v.message)
        self._show_record(v.record, claimed=v.certificate is None)

    def _show_record(self, c: Certificate | None, *, claimed: bool = False) -> None:
        """The register's record; `claimed`: the one a tampered text points to, not this text's holder."""
        self.record.setVisible(c is not None)
        self.record_title.setVisible(c is not None and claimed)
        if c is None:
            for value in self.fields.values():
                value.clear()
            return
        period = ""
        if c.start_date and c.end_date:
            hours = f"，{c.hours.normalize():f} 学时" if c.hours is not None else ""
            period = f"{c.start_date.isoformat()} 至 {c.end_date.isoformat()}{hours}"
        links = []
        if c.status == REVOKED:
            links.append(f"{(c.revoked_at or '')[:10]} 撤销，原因：{html.escape(c.revoke_reason)}")
        if c.reissued_by and c.status == REVOKED:
            links.append(f"已重新发证为 <a href='{c.reissued_by}'>{c.reissued_by}</a>")
        elif c.reissued_by:
            links.append(f"已补发为 <a href='{c.reissued_by}'>{c.reissued_by}</a>"
                         f"（{html.escape(c.revoke_reason)}），本证书作废")
        if c.reissued_from:
            links.append(f"补发自 <a href='{c.reissued_from}'>{c.reissued_from}</a>")
        values = {"证书编号": c.serial, "持证人": html.escape(c.holder_name), "身份证号": c.id_masked,
                  "类型": c.kind_label, "内容": html.escape(c.subject), "培训": period or "—",
                  "发证": f"{c.issue_date.isoformat()}　{html.escape(c.issuer)}", "状态": c.status,
                  "撤销或补发": "<br>".join(links) or "—"}
        for name, text in values.items():
            self.fields[name].setText(text)


def banner_font(base: QFont) -> QFont:
    """36 pt, bold only where the family has a real bold face: a synthesised bold fills dense glyphs such
    as 篡 into a blot (WenQuanYi Micro Hei on Linux); Microsoft YaHei has one."""
    font = QFont(base)
    font.setPointSizeF(36)
    font.setBold(any("bold" in style.lower() for style in QFontDatabase.styles(font.family())))
    font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 6)
    return font
