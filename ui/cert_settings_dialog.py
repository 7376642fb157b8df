"""证书设置: serial prefix, issuing unit, seal, layout (with a live preview of a sample certificate), offsets
for pre-printed paper, and the font files every PDF embeds.

Nothing is stored until 保存, and then only when every value is usable: a font file reportlab cannot
embed, a prefix that is not 1-8 capital letters or a missing seal image keeps the dialog open with the
reason, and the database unchanged.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from exports import font_settings, fonts
from exports.font_settings import FontChoice
from exports.fonts import FontError
from trainer import cert_admin, cert_serials, cert_settings
from trainer.cert_settings import LAYOUTS, MAX_OFFSET_MM, CertSettings, CertSettingsError
from ui.cert_pin_dialog import CertPinDialog
from ui.class_tab import ERROR_STYLE, NOTE_STYLE, note_label
from ui.pdf_view import PdfPageView
from ui.print_problems import preview_problem_text
from ui.prompts import Prompts

FONT_FILTER = "TrueType 字体 (*.ttf *.ttc *.TTF *.TTC);;所有文件 (*)"
PNG_FILTER = "PNG 图片 (*.png)"
PREVIEW_DELAY_MS = 300  # typing the issuer re-renders once the user pauses
SEAL_PX = 72


class CertSettingsDialog(QDialog):
    """`saved` after the settings were stored (and the fonts applied)."""

    saved = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None, prompts: Prompts | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.today = today or dt.date.today()
        self.prompts = prompts or Prompts(self)
        self.setWindowTitle("证书设置")
        self.resize(1120, 640)
        s = cert_settings.load(db)
        choice = font_settings.load(db)
        self.default_issuer = cert_settings.issuer(db, CertSettings())

        self.prefix_edit = QLineEdit(s.prefix)
        self.prefix_edit.setMaxLength(8)
        self.prefix_edit.setValidator(QRegularExpressionValidator(QRegularExpression("[A-Za-z]{0,8}"), self))
        self.prefix_edit.setToolTip("证书编号 = 前缀 + 年份 + 类型（JY 结业 / HJ 获奖）+ 5 位序号 + 校验位")
        self.next_label = note_label()
        self.issuer_edit = QLineEdit(s.issuer)
        self.issuer_edit.setPlaceholderText(f"{self.default_issuer}（默认：市局名称）")

        self.seal_image = QLabel()
        self.seal_image.setFixedSize(SEAL_PX + 4, SEAL_PX + 4)
        self.seal_image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.seal_image.setStyleSheet("border: 1px dashed #bbb; color: #999; background: white;")
        self.seal_edit = QLineEdit(s.seal_path)
        self.seal_edit.setReadOnly(True)
        self.seal_edit.setPlaceholderText("不加盖印章")
        self.seal_button = QPushButton("选择…")
        self.seal_button.setToolTip("选择本单位印章的扫描图片（PNG，背景透明或白色均可，打印为红色）")
        self.sample_seal_button = QPushButton("生成示例印章")
        self.sample_seal_button.setToolTip("按发证单位名称画一枚示例印章，仅供试用；正式证书请使用本单位印章图片")
        self.no_seal_button = QPushButton("不用印章")

        self.layout_combo = QComboBox()
        for name, label in LAYOUTS.items():
            self.layout_combo.addItem(label, name)
        self.layout_combo.setCurrentIndex(max(0, self.layout_combo.findData(s.layout)))
        self.offset_x_spin = self._offset_spin(s.offset_x_mm, "正数向右移，负数向左移")
        self.offset_y_spin = self._offset_spin(s.offset_y_mm, "正数向上移，负数向下移")

        self.font_edit = QLineEdit(choice.font)
        self.rare_edit = QLineEdit(choice.rare)
        for edit in (self.font_edit, self.rare_edit):
            edit.setReadOnly(True)
            edit.setPlaceholderText("自动查找")
        self.font_button = QPushButton("选择…")
        self.font_auto_button = QPushButton("自动")
        self.rare_button = QPushButton("选择…")
        self.rare_auto_button = QPushButton("自动")
        self.font_info = note_label()

        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setPlaceholderText("保存时须输入")
        self.pin_button = QPushButton()
        self.pin_button.clicked.connect(self.change_pin)
        self.pin_note = note_label()
        self.pin_dialog: CertPinDialog | None = None

        self.error_label = note_label(style=ERROR_STYLE)
        self.preview = PdfPageView(placeholder="正在生成示例证书…", zoom_bar=False)
        self.preview.setMinimumSize(520, 380)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._build()

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.render_preview)
        self.prefix_edit.textEdited.connect(self._prefix_edited)
        self.issuer_edit.textChanged.connect(lambda *_: self._preview_timer.start())
        self.layout_combo.currentIndexChanged.connect(lambda *_: self._layout_changed())
        self.offset_x_spin.valueChanged.connect(lambda *_: self._preview_timer.start())
        self.offset_y_spin.valueChanged.connect(lambda *_: self._preview_timer.start())
        self.seal_button.clicked.connect(self.choose_seal)
        self.sample_seal_button.clicked.connect(self.make_sample_seal)
        self.no_seal_button.clicked.connect(lambda: self.set_seal(""))
        self.font_button.clicked.connect(self.choose_font)
        self.rare_button.clicked.connect(self.choose_rare_font)
        self.font_auto_button.clicked.connect(lambda: self._set_font(self.font_edit, ""))
        self.rare_auto_button.clicked.connect(lambda: self._set_font(self.rare_edit, ""))

        self._update_next_serial()
        self._show_seal()
        self._layout_changed()
        self._describe_fonts()
        self.render_preview()

    def _offset_spin(self, value: float, tip: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(-MAX_OFFSET_MM, MAX_OFFSET_MM)
        spin.setDecimals(1)
        spin.setSingleStep(0.5)
        spin.setSuffix(" 毫米")
        spin.setValue(value)
        spin.setToolTip(tip)
        return spin

    def _build(self) -> None:
        def row(*widgets: QWidget, stretch: int = 0) -> QHBoxLayout:
            line = QHBoxLayout()
            for i, w in enumerate(widgets):
                line.addWidget(w, 1 if i == stretch else 0)
            return line

        serial_box = QGroupBox("证书编号与发证单位")
        serial_form = QFormLayout(serial_box)
        serial_form.addRow("编号前缀：", self.prefix_edit)
        serial_form.addRow("", self.next_label)
        serial_form.addRow("发证单位：", self.issuer_edit)

        seal_box = QGroupBox("印章")
        seal_buttons = row(self.seal_button, self.sample_seal_button, self.no_seal_button, stretch=-1)
        seal_buttons.addStretch(1)
        seal_right = QVBoxLayout()
        seal_right.addWidget(self.seal_edit)
        seal_right.addLayout(seal_buttons)
        seal_row = QHBoxLayout(seal_box)
        seal_row.addWidget(self.seal_image)
        seal_row.addLayout(seal_right, 1)

        layout_box = QGroupBox("版式")
        layout_form = QFormLayout(layout_box)
        layout_form.addRow("证书版式：", self.layout_combo)
        offsets = row(QLabel("左右"), self.offset_x_spin, QLabel("上下"), self.offset_y_spin, stretch=-1)
        offsets.addStretch(1)
        layout_form.addRow("套打偏移：", offsets)
        self.offset_note = note_label("套打：只打印姓名、内容、日期、编号和二维码，用于已印好边框和标题的证书纸；"
                                      "先用普通纸试打，对着光与证书纸比对，再按偏差调整。")
        layout_form.addRow("", self.offset_note)

        font_box = QGroupBox("字体（所有打印文件嵌入此字体）")
        font_form = QFormLayout(font_box)
        font_form.addRow("正文字体：", row(self.font_edit, self.font_button, self.font_auto_button))
        font_form.addRow("生僻字字体：", row(self.rare_edit, self.rare_button, self.rare_auto_button))
        font_form.addRow("", self.font_info)

        pin_box = QGroupBox("证书管理口令")
        pin_form = QFormLayout(pin_box)
        pin_form.addRow("口令：", row(self.pin_edit, self.pin_button))
        pin_form.addRow("", self.pin_note)
        self._show_pin_state()

        left = QVBoxLayout()
        for w in (serial_box, seal_box, layout_box, font_box, pin_box):
            left.addWidget(w)
        left.addStretch(1)
        left.addWidget(self.error_label)
        right = QVBoxLayout()
        title = QLabel("示例证书预览（虚构人员，保存前即可查看效果）")
        title.setStyleSheet(NOTE_STYLE)
        right.addWidget(title)
        right.addWidget(self.preview, 1)
        body = QHBoxLayout()
        body.addLayout(left, 5)
        body.addLayout(right, 6)
        box = QVBoxLayout(self)
        box.addLayout(body, 1)
        box.addWidget(self.buttons)

    # ---- values ----------------------------------------------------------------------------------

    def settings(self) -> CertSettings:
        return CertSettings(prefix=self.prefix_edit.text().strip().upper(), issuer=self.issuer_edit.text().strip(),
                            seal_path=self.seal_edit.text().strip(), layout=str(self.layout_combo.currentData()),
                            offset_x_mm=self.offset_x_spin.value(), offset_y_mm=self.offset_y_spin.value())

    def font_choice(self) -> FontChoice:
        return FontChoice(self.font_edit.text().strip(), self.rare_edit.text().strip())

    def _prefix_edited(self, text: str) -> None:
        if text != text.upper():
            pos = self.prefix_edit.cursorPosition()
            self.prefix_edit.setText(text.upper())
            self.prefix_edit.setCursorPosition(pos)
        self._update_next_serial()
        self._preview_timer.start()

    def _update_next_serial(self) -> None:
        year = self.today.year
        try:
            serial = cert_serials.format_serial(self.settings().prefix, year, "JY",
                                                cert_serials.peek(self.db, year, "JY"))
        except cert_serials.SerialError as exc:
            self.next_label.setText(str(exc))
            self.next_label.setStyleSheet(ERROR_STYLE)
            return
        self.next_label.setText(f"下一份结业证书的编号：{serial}")
        self.next_label.setStyleSheet(NOTE_STYLE)

    def _layout_changed(self) -> None:
        preprinted = self.layout_combo.currentData() == "preprinted"
        for w in (self.offset_x_spin, self.offset_y_spin):
            w.setEnabled(preprinted)
        self.offset_note.setVisible(preprinted)
        self._preview_timer.start()

    # ---- seal ------------------------------------------------------------------------------------

    def set_seal(self, path: str) -> None:
        self.seal_edit.setText(path)
        self._show_seal()
        self._preview_timer.start()

    def _show_seal(self) -> None:
        path = self.seal_edit.text().strip()
        pixmap = QPixmap(path) if path else QPixmap()
        if pixmap.isNull():
            self.seal_image.setPixmap(QPixmap())
            self.seal_image.setText("无印章" if not path else "无法读取")
            return
        self.seal_image.setPixmap(pixmap.scaled(SEAL_PX, SEAL_PX, Qt.AspectRatioMode.KeepAspectRatio,
                                                Qt.TransformationMode.SmoothTransformation))

    def choose_seal(self) -> None:
        path = self.prompts.open_path("选择印章图片", PNG_FILTER)
        if not path:
            return
        if QPixmap(path).isNull():
            self.error_label.setText(f"无法读取图片“{Path(path).name}”，请选择 PNG 格式的印章图片。")
            return
        self.error_label.clear()
        self.set_seal(path)

    def make_sample_seal(self) -> None:
        from exports.seal_maker import make_seal_png

        path = self.prompts.save_path("保存示例印章", "示例印章.png", PNG_FILTER, ".png")
        if not path:
            return
        try:
            make_seal_png(path, self.issuer_edit.text().strip() or self.default_issuer, "培训专用章")
        except (FontError, OSError) as exc:
            self.error_label.setText(f"无法生成示例印章：{exc}")
            return
        self.error_label.clear()
        self.set_seal(path)

    # ---- fonts -----------------------------------------------------------------------------------

    def choose_font(self) -> None:
        path = self.prompts.open_path("选择正文字体文件（中文 TrueType：.ttf 或 .ttc）", FONT_FILTER)
        if path:
            self._set_font(self.font_edit, path)

    def choose_rare_font(self) -> None:
        path = self.prompts.open_path("选择生僻字字体文件（如 simsunb.ttf）", FONT_FILTER)
        if path:
            self._set_font(self.rare_edit, path)

    def _set_font(self, edit: QLineEdit, path: str) -> None:
        """Take a font file only once it proved usable; otherwise say why and keep the previous one."""
        old = edit.text()
        edit.setText(path)
        try:
            font_settings.check(self.font_choice())
        except FontError as exc:
            edit.setText(old)
            self.error_label.setText(str(exc))
            return
        self.error_label.clear()
        self._describe_fonts()
        self._preview_timer.start()

    def _describe_fonts(self) -> None:
        choice = self.font_choice()
        try:
            used = fonts.register_fonts(choice.font or None, choice.rare or None)
        except FontError as exc:
            self.font_info.setText(str(exc))
            self.font_info.setStyleSheet(ERROR_STYLE)
            return
        rare = used.rare.family if used.rare else "无（生僻字须正文字体自带）"
        self.font_info.setText(f"正文：{used.body.family}；楷体：{used.kai.family}；黑体：{used.heading.family}；"
                               f"生僻字：{rare}")
        self.font_info.setStyleSheet(NOTE_STYLE)

    # ---- preview and save ------------------------------------------------------------------------

    def render_preview(self) -> None:
        from exports.certificate_pdf import CertificateStyle
        from exports.certificate_sample import sample_preview

        self._preview_timer.stop()
        s = self.settings()
        choice = self.font_choice()
        style = CertificateStyle(layout=s.layout, seal=Path(s.seal_path) if s.seal_path else None,
                                 offset_x_mm=s.offset_x_mm, offset_y_mm=s.offset_y_mm,
                                 font=Path(choice.font) if choice.font else None)
        try:
            data = sample_preview(style, s.issuer or self.default_issuer, s.prefix)
        except Exception as exc:  # a font, seal or glyph problem: shown where the certificate would be
            self.preview.show_message(preview_problem_text(exc))
            return
        self.preview.set_pdf(data)

    def _show_pin_state(self) -> None:
        has_pin = cert_admin.pin_is_set(self.db)
        self.pin_edit.setEnabled(has_pin)
        self.pin_button.setText("修改口令…" if has_pin else "设置口令…")
        self.pin_note.setText("保存设置、撤销和补发证书须输入口令。" if has_pin else
                              "未设置：任何人都能修改证书设置、撤销和补发证书。建议由人事部门设置。")

    def change_pin(self) -> None:
        dialog = CertPinDialog(self.db, self)
        self.pin_dialog = dialog  # tests drive it
        dialog.accepted.connect(self._show_pin_state)
        dialog.open()

    def save(self) -> None:
        s = self.settings()
        choice = self.font_choice()
        pin = self.pin_edit.text() if cert_admin.pin_is_set(self.db) else None
        try:
            cert_admin.require(self.db, pin)  # outside the save's transaction: a wrong PIN must still count
        except cert_admin.CertPinError as exc:
            self.error_label.setText(str(exc))
            self.pin_edit.setFocus()
            return
        try:
            s.check()
            if s.seal_path and not Path(s.seal_path).is_file():
                raise CertSettingsError(f"印章图片不存在：{s.seal_path}")
            font_settings.check(choice)
        except (CertSettingsError, FontError) as exc:
            self.error_label.setText(str(exc))
            return
        with self.db.atomic():
            cert_settings.save(self.db, s, pin=pin)
            font_settings.save(self.db, choice)
        self.accept()
        self.saved.emit()
