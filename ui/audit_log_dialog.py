"""查看审计日志: every change the audit chain holds — scores, locks, awards, contest setup, judges' files,
certificates, training records, restores — newest first, filtered by kind and by any text, and exported
to Excel for an inspection. Read-only: the log itself cannot be changed."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import audit_view
from trainer.audit_view import ALL, CATEGORIES, AuditPage
from ui.class_tab import note_label, table_view
from ui.prompts import Prompts
from ui.row_model import RowModel

HEADERS = ("时间", "操作人", "操作", "对象", "原值", "新值", "原因", "说明")
SHOWN = 2000  # the newest this many are listed; the count says how many match in all
SEARCH_DELAY_MS = 250


class AuditLogDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.prompts = Prompts(self)
        self.page = AuditPage([], 0)
        self.setWindowTitle("审计日志")
        self.resize(1280, 720)
        self.category_combo = QComboBox()
        self.category_combo.addItems([ALL, *CATEGORIES])
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("查找：操作人、比武或项目名称、评委、原值、新值、原因、说明（如证书编号、姓名）")
        self.search_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.export_button = QPushButton("导出Excel…")
        self.model = RowModel(HEADERS, "LLLLRRLL")
        self.view = table_view()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(False)  # newest first is the order that matters
        for column, width in enumerate((150, 110, 130, 330, 90, 110, 200)):
            self.view.setColumnWidth(column, width)
        self.view.horizontalHeader().setStretchLastSection(True)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(lambda _text: self._timer.start())
        self.category_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.export_button.clicked.connect(self.export)

        top = QHBoxLayout()
        top.addWidget(QLabel("类别："))
        top.addWidget(self.category_combo)
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.export_button)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.count_label)
        box.addWidget(self.view, 1)
        box.addWidget(note_label("每条记录带前一条的哈希，日志只能追加、不能修改或删除；在“数据安全”中校验整条链。"
                                 "盲评项目的选手只显示抽签号。"))
        self.refresh()

    def refresh(self) -> None:
        self._timer.stop()
        self.page = audit_view.browse(self.db, category=self.category_combo.currentText(),
                                      text=self.search_edit.text(), limit=SHOWN)
        self.model.set_rows(self.page.rows, [[r.at, r.actor, r.what, r.subject, r.old, r.new, r.reason, r.detail]
                                             for r in self.page.rows])
        shown = len(self.page.rows)
        more = f"，列出最新的 {shown} 条（导出Excel包含全部）" if shown < self.page.total else ""
        self.count_label.setText(f"共 {self.page.total} 条{more}")
        self.export_button.setEnabled(self.page.total > 0)

    def export(self) -> None:
        from exports.excel import Sheet, write_xlsx

        path = self.prompts.save_path("导出审计日志", "审计日志.xlsx", "Excel 文件 (*.xlsx)", ".xlsx")
        if not path:
            return
        every = audit_view.browse(self.db, category=self.category_combo.currentText(),
                                  text=self.search_edit.text(), limit=-1)  # SQLite: no limit
        write_xlsx(path, [Sheet("审计日志", list(HEADERS),
                                [[r.at, r.actor, r.what, r.subject, r.old, r.new, r.reason, r.detail]
                                 for r in every.rows])])
        self.prompts.saved("导出审计日志", path)
