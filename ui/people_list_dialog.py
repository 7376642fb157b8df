"""The people behind a number: a searchable list (check results or training records); a double-click opens
the person's detail (一人一档), and the list can be saved as Excel."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer.amounts import fmt
from trainer.compliance import CheckResult
from trainer.dashboard import STATUSES
from trainer.dates import iso
from trainer.records import TrainingRecord
from ui.plain_table import plain_table
from ui.prompts import ask_save_path
from ui.text_table import PERSON_ROLE, TextFilter, TextTableModel

CHECK_HEADERS = ("姓名", "身份证号", "单位", "检查项", "状态", "应完成日期", "说明")
RECORD_HEADERS = ("姓名", "身份证号", "单位", "培训名称", "培训类型", "结束日期", "学时", "来源")
ALL = "全部状态"
COLUMN_WIDTHS = {"姓名": 80, "身份证号": 160, "单位": 150, "检查项": 80, "状态": 72, "应完成日期": 96, "培训名称": 260,
                 "培训类型": 100, "结束日期": 96, "学时": 60, "来源": 72}  # pixels; any other column 120


class PeopleList:
    """What a list shows: headers, alignment, rows of text with sort keys, and the person of each row."""

    def __init__(self, headers: Sequence[str], align: str) -> None:
        self.headers, self.align = tuple(headers), align
        self.rows: list[tuple[str, ...]] = []
        self.keys: list[tuple[object, ...]] = []
        self.people: list[int] = []

    @classmethod
    def of_checks(cls, results: Iterable[CheckResult]) -> PeopleList:
        out = cls(CHECK_HEADERS, "LCLCCCL")
        for n, r in enumerate(results):
            due = iso(r.due)
            out.rows.append((r.name, r.id_number, r.unit, r.check, r.status, due, r.note))
            out.keys.append((r.name, r.id_number, n, n, STATUSES.index(r.status), due, r.note))
            out.people.append(r.person_id)
        return out

    @classmethod
    def of_records(cls, recs: Iterable[TrainingRecord], who: Mapping[int, tuple[str, str, str]]) -> PeopleList:
        out = cls(RECORD_HEADERS, "LCLLLCRC")
        for n, r in enumerate(recs):
            name, number, unit = who.get(r.person_id, ("", "", ""))
            out.rows.append((name, number, unit, r.title, r.type, iso(r.end_date), fmt(r.hours), r.source))
            out.keys.append((name, number, n, r.title, r.type, iso(r.end_date), float(r.hours), r.source))
            out.people.append(r.person_id)
        return out


class PeopleListDialog(QDialog):
    """`person_saved` passes on an edit made in a detail opened from the list."""

    person_saved = Signal(object)

    def __init__(self, db: Database, title: str, content: PeopleList, parent: QWidget | None = None,
                 today: dt.date | None = None, status: str = "") -> None:
        super().__init__(parent)
        self.db = db
        self._today = today or dt.date.today()
        self.content = content
        self.detail: QDialog | None = None
        self.setWindowTitle(title)
        self.resize(1180, 640)

        self.model = TextTableModel(content.headers, content.align)
        self.model.set_rows(content.rows, content.keys, content.people)
        self.proxy = TextFilter()
        self.proxy.setSourceModel(self.model)
        self.view = plain_table(self.proxy, [COLUMN_WIDTHS.get(name, 120) for name in content.headers], row_height=24)
        # No indicator when sorting is switched on: the caller's order stays until a header is clicked.
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.doubleClicked.connect(self._open_row)

        self.search = QLineEdit()
        self.search.setPlaceholderText("按姓名、身份证号或单位查找")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.status_combo = QComboBox()
        counts = Counter(r[content.headers.index("状态")] for r in content.rows) if "状态" in content.headers \
            else Counter()
        self.status_combo.addItem(f"{ALL}（{len(content.rows)}）", "")
        for s in STATUSES:
            if counts[s]:
                self.status_combo.addItem(f"{s}（{counts[s]}）", s)
        self.status_combo.setVisible(bool(counts))
        self.status_combo.currentIndexChanged.connect(self._filter)
        self.count_label = QLabel()
        export = QPushButton("导出名单…")
        export.setAutoDefault(False)
        export.clicked.connect(self.export)
        close = QPushButton("关闭")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        heading = QLabel(title)
        heading.setStyleSheet("font-weight: bold; font-size: 11pt;")
        heading.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status_combo)
        top.addWidget(self.count_label)
        hint = QLabel("双击一行查看此人的一人一档。")
        hint.setStyleSheet("color: #666;")
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(export)
        bottom.addWidget(close)
        box = QVBoxLayout(self)
        box.addWidget(heading)
        box.addLayout(top)
        box.addWidget(self.view, 1)
        box.addLayout(bottom)
        if status:
            self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(status)))
        self._filter()

    def _filter(self) -> None:
        self.proxy.set_status(str(self.status_combo.currentData() or ""))
        self.proxy.set_text(self.search.text())
        self.count_label.setText(f"共 {self.proxy.rowCount()} 条")

    def shown_rows(self) -> list[tuple[str, ...]]:
        """The rows as the table shows them, top to bottom (for tests and the export)."""
        return [tuple(str(self.proxy.index(r, c).data()) for c in range(self.proxy.columnCount()))
                for r in range(self.proxy.rowCount())]

    def shown_people(self) -> list[int]:
        return [int(self.proxy.index(r, 0).data(PERSON_ROLE)) for r in range(self.proxy.rowCount())]

    def _open_row(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_person(int(index.data(PERSON_ROLE)))

    def open_person(self, person_id: int) -> None:
        from ui.person_detail import PersonDetailDialog

        self.detail = PersonDetailDialog(self.db, person_id, self, today=self._today)
        self.detail.person_saved.connect(self.person_saved)
        self.detail.open()

    # ---- export -----------------------------------------------------------------------------------------

    def ask_save_path(self) -> str:
        """The save dialog (tests replace this)."""
        name = f"{self.windowTitle().replace('/', '-')}.xlsx"
        return ask_save_path(self, "导出名单", Path.home() / name, "Excel 工作簿 (*.xlsx)", ".xlsx")

    def tell(self, title: str, text: str, error: bool = False) -> None:
        (QMessageBox.warning if error else QMessageBox.information)(self, title, text)

    def export(self) -> None:
        path = self.ask_save_path()
        if not path:
            return
        from exports.excel import Sheet, write_xlsx

        try:
            write_xlsx(path, [Sheet("名单", list(self.content.headers), self.shown_rows())])
        except Exception as exc:  # xlsxwriter wraps a locked file in its own error type
            self.tell("导出失败", f"无法写入 {path}（文件是否正在 Excel 中打开？）\n{exc}", error=True)
            return
        self.tell("导出名单", f"已导出 {self.proxy.rowCount()} 条到 {path}")
