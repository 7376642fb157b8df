"""打印证书: what to print (the selected certificates or a whole class), where, and whether to zip the
personal files. The page runs the batch in the background; this dialog only hands over a PrintJob."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import cert_facets
from trainer.cert_register import Certificate
from ui.class_tab import ERROR_STYLE, note_label
from ui.prompts import Prompts


@dataclass(frozen=True)
class PrintJob:
    folder: Path
    zip_files: bool
    serials: tuple[str, ...] = ()  # the selected certificates, when class_id is None
    class_id: int | None = None
    count: int = 0  # certificates to print, for the progress text


class CertPrintDialog(QDialog):
    """`chosen(PrintJob)` when the user starts printing."""

    chosen = Signal(object)

    def __init__(self, db: Database, prompts: Prompts, selected: Sequence[Certificate] = (),
                 class_id: int | None = None, folder: str | Path = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompts = prompts
        self.job: PrintJob | None = None
        self.setWindowTitle("打印证书")
        self.setMinimumWidth(620)
        self.valid_serials = tuple(c.serial for c in selected if c.valid)
        void = len(selected) - len(self.valid_serials)

        self.selected_radio = QRadioButton(f"所选证书：{len(self.valid_serials)} 份"
                                           + (f"（另有 {void} 份已撤销或已补发，不打印）" if void else ""))
        self.class_radio = QRadioButton("整个培训班：")
        self.class_combo = QComboBox()
        for c in cert_facets.classes(db):
            if c.valid:
                self.class_combo.addItem(f"{c.title}（有效证书 {c.valid} 份）", (c.id, c.valid))
        self.scope = QButtonGroup(self)
        self.scope.addButton(self.selected_radio)
        self.scope.addButton(self.class_radio)
        self.selected_radio.setEnabled(bool(self.valid_serials))
        self.class_radio.setEnabled(self.class_combo.count() > 0)
        self.class_combo.setEnabled(self.class_combo.count() > 0)
        if class_id is not None and self.select_class(class_id):
            self.class_radio.setChecked(True)
        elif self.valid_serials:
            self.selected_radio.setChecked(True)
        else:
            self.class_radio.setChecked(self.class_radio.isEnabled())
        self.class_combo.currentIndexChanged.connect(lambda *_: self.class_radio.setChecked(True))

        self.folder_edit = QLineEdit(str(folder))
        self.folder_edit.setPlaceholderText("选择保存证书文件的文件夹")
        self.browse_button = QPushButton("浏览…")
        self.browse_button.clicked.connect(self.browse)
        self.zip_check = QCheckBox("个人证书打包为一个 ZIP 文件（便于发送）")
        self.note_label = note_label("将生成一个“合并打印”PDF 送打印机（A4 横向，每人一页），以及每人一份 PDF，"
                                     "文件名为“证书编号_姓名.pdf”。只打印有效证书；打印次数记入证书登记。")
        self.error_label = note_label(style=ERROR_STYLE)
        self.buttons = QDialogButtonBox()
        self.print_button = self.buttons.addButton("开始打印", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self.print_button.setEnabled(self.selected_radio.isEnabled() or self.class_radio.isEnabled())

        grid = QGridLayout()
        grid.addWidget(self.selected_radio, 0, 0, 1, 2)
        grid.addWidget(self.class_radio, 1, 0)
        grid.addWidget(self.class_combo, 1, 1)
        grid.setColumnStretch(1, 1)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel("保存到："))
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)
        box = QVBoxLayout(self)
        box.addLayout(grid)
        box.addSpacing(6)
        box.addLayout(folder_row)
        box.addWidget(self.zip_check)
        box.addWidget(self.note_label)
        box.addWidget(self.error_label)
        box.addWidget(self.buttons)

    def select_class(self, class_id: int) -> bool:
        for i in range(self.class_combo.count()):
            if self.class_combo.itemData(i)[0] == class_id:
                self.class_combo.setCurrentIndex(i)
                self.class_radio.setChecked(True)
                return True
        return False

    def browse(self) -> None:
        folder = self.prompts.folder_path("选择保存证书的文件夹", self.folder_edit.text().strip() or None)
        if folder:
            self.folder_edit.setText(folder)

    def start(self) -> None:
        folder = self.folder_edit.text().strip()
        if not folder:
            self.error_label.setText("请选择保存证书文件的文件夹。")
            return
        zip_files = self.zip_check.isChecked()
        if self.class_radio.isChecked() and self.class_combo.currentIndex() >= 0:
            class_id, count = self.class_combo.currentData()
            self.job = PrintJob(Path(folder), zip_files, class_id=int(class_id), count=int(count))
        elif self.selected_radio.isChecked() and self.valid_serials:
            self.job = PrintJob(Path(folder), zip_files, serials=self.valid_serials, count=len(self.valid_serials))
        else:
            self.error_label.setText("没有可打印的有效证书。")
            return
        self.chosen.emit(self.job)
        self.accept()
