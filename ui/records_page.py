"""培训记录: the training done outside the bureau's own classes (provincial courses, party school, earlier
years), searchable by name or ID number and filtered by year; the import of more from Excel, and the
correction (编辑…, or a double-click) and deletion (删除…, with a reason) of one or several, which the
dashboard and every compliance figure follow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import records
from trainer.amounts import fmt, from_x100
from trainer.training import TRAINING_TYPES
from ui.people_filter_bar import name_or_id_search
from ui.plain_table import plain_table
from ui.prompts import Prompts, ask_save_path
from ui.text_table import PERSON_ROLE, SORT_ROLE, TextTableModel

HEADERS = ("姓名", "身份证号", "单位", "培训名称", "培训类型", "开始日期", "结束日期", "天数", "学时", "是否结业",
           "主办单位", "导入时间")
NAME, ID_NUMBER, END = 0, 1, 6
WIDTHS = (80, 160, 120, 220, 100, 92, 92, 50, 60, 70, 170)
ALL_YEARS = "全部年度"
Index = QModelIndex | QPersistentModelIndex
LISTED = 8  # records named in the delete question; the rest are counted


class RecordsModel(TextTableModel):
    """The records, each row's record number kept after its sort keys so that it moves with its row."""

    def set_records(self, rows: Sequence[Sequence[str]], keys: Sequence[Sequence[object]], people: Sequence[int],
                    ids: Sequence[int]) -> None:
        self.set_rows(rows, [(*k, i) for k, i in zip(keys, ids, strict=True)], people)

    def record_at(self, row: int) -> int:
        number = self._keys[row][-1]
        assert isinstance(number, int)
        return number


class RecordsFilter(QSortFilterProxyModel):
    """Rows whose name or ID number contains the typed text (x finds X), ending in the chosen year."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)
        self.text = ""
        self.year = ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, TextTableModel):
            source.sort(column, order)  # on prepared keys, not through data() per comparison

    def set_filter(self, text: str, year: str) -> None:
        self.beginFilterChange()
        self.text, self.year = text.strip().upper(), year
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, TextTableModel)
        row = model.row_texts(source_row)
        if self.year and not row[END].startswith(self.year):
            return False
        return not self.text or self.text in row[NAME].upper() or self.text in row[ID_NUMBER]


class RecordsPage(QWidget):
    """`data_changed` after an import, an edit or a deletion, so the dashboard and the other pages reload."""

    data_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._today = today or dt.date.today()
        self.import_dialog: QWidget | None = None
        self.detail: QWidget | None = None
        self.editor: QWidget | None = None
        self.prompts = Prompts(self)
        self.model = RecordsModel(HEADERS, "LCLLLCCRRCLC")
        self.proxy = RecordsFilter()
        self.proxy.setSourceModel(self.model)
        self._stale = True
        self._build()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:  # read when first shown: the window's start does not wait for this page
            self.refresh()

    def _build(self) -> None:
        self.search_edit = name_or_id_search(min_width=240)
        self.search_edit.textChanged.connect(self._filter)
        self.year_combo = QComboBox()
        self.year_combo.currentIndexChanged.connect(self._filter)
        self.count_label = QLabel()
        self.import_button = QPushButton("导入培训记录…")
        self.import_button.setToolTip("从 Excel 导入外部、往年的培训记录：先预览检查，确认后全部写入")
        self.import_button.clicked.connect(lambda: self.import_records())
        template = QPushButton("下载导入模板…")
        template.clicked.connect(lambda: self.save_template())
        self.edit_button = QPushButton("编辑…")
        self.edit_button.setToolTip("更正选中的一条记录（也可双击）；修改记入审计日志")
        self.edit_button.clicked.connect(lambda: self.edit_selected())
        self.delete_button = QPushButton("删除…")
        self.delete_button.setToolTip("删除选中的记录（可多选），须填写原因；删除记入审计日志")
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.person_button = QPushButton("一人一档…")
        self.person_button.setToolTip("查看选中记录所属人员的一人一档")
        self.person_button.clicked.connect(lambda: self._open_selected_person())
        top = QHBoxLayout()
        top.addWidget(self.search_edit)
        top.addWidget(QLabel("年度："))
        top.addWidget(self.year_combo)
        top.addWidget(self.count_label, 1)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)
        top.addWidget(self.person_button)
        top.addWidget(template)
        top.addWidget(self.import_button)
        note = QLabel("这里是在本局培训班以外完成的培训（省级培训、党校、往年培训等），"
                      "与培训班记录一样计入各项合规检查；培训班的记录随培训班变化，在“培训班”中查看和修改。"
                      "双击一行编辑；导入有误的记录可编辑或删除，也可勾选“更新已有记录”重新导入改正后的文件。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")

        self.view = plain_table(self.proxy, WIDTHS, row_height=24,
                                selection=QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(END, Qt.SortOrder.DescendingOrder)
        self.view.doubleClicked.connect(self.edit_record)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._refresh_buttons())
        self.empty = QLabel("还没有外部培训记录。点击“导入培训记录…”从 Excel 导入；可先“下载导入模板…”。")
        self.empty.setStyleSheet("color: #666; padding: 12px;")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(note)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)

    # ---- data --------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the records now if the page is on screen, else when it is next shown."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        rows = self.db.execute(
            "SELECT r.id, r.person_id, p.name, p.id_number, u.name, r.title, r.type, r.start_date, r.end_date,"
            " r.days_x100, r.hours_x100, r.completed, r.organiser, r.imported_at FROM external_records r"
            " JOIN people p ON p.id = r.person_id LEFT JOIN units u ON u.id = p.unit_id"
            " ORDER BY r.end_date DESC, p.id_number").fetchall()
        cells, keys, who, ids = [], [], [], []
        for rid, pid, name, number, unit, title, kind, start, end, days, hours, done, organiser, imported in rows:
            shown = (name, number, unit or "", title, kind, start, end, fmt(from_x100(days)), fmt(from_x100(hours)),
                     "是" if done else "否", organiser, imported.replace("T", " "))
            cells.append(shown)
            keys.append((*shown[:7], days, hours, *shown[9:]))
            who.append(pid)
            ids.append(rid)
        self.model.set_records(cells, keys, who, ids)
        years = sorted({r[8][:4] for r in rows}, reverse=True)
        current = self.year_combo.currentData()
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        self.year_combo.addItem(ALL_YEARS, "")
        for y in years:
            self.year_combo.addItem(f"{y}年", y)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(current)))
        self.year_combo.blockSignals(False)
        self.empty.setVisible(not rows)
        self.view.setVisible(bool(rows))
        self._filter()

    def _filter(self) -> None:
        self.proxy.set_filter(self.search_edit.text(), str(self.year_combo.currentData() or ""))
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"共 {total} 条" if shown == total else f"显示 {shown} 条，共 {total} 条")
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        chosen = len(self.view.selectionModel().selectedRows())
        self.edit_button.setEnabled(chosen == 1)
        self.delete_button.setEnabled(chosen > 0)
        self.person_button.setEnabled(chosen == 1)

    def selected_ids(self) -> list[int]:
        """The record numbers of the selected rows, top to bottom as shown."""
        rows = sorted(self.view.selectionModel().selectedRows(), key=lambda i: i.row())
        return [self.model.record_at(self.proxy.mapToSource(i).row()) for i in rows]

    def shown_rows(self) -> list[tuple[str, ...]]:
        return [tuple(str(self.proxy.index(r, c).data()) for c in range(len(HEADERS)))
                for r in range(self.proxy.rowCount())]

    def _open_selected_person(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if len(rows) == 1:
            self._open_person(rows[0])

    def _open_person(self, index: QModelIndex) -> None:
        from ui.person_detail import PersonDetailDialog

        if index.isValid():
            dialog = PersonDetailDialog(self.db, int(index.data(PERSON_ROLE)), self, today=self._today)
            dialog.person_saved.connect(lambda *_: self._imported())  # a new name or unit shows in the list
            self.detail = dialog
            dialog.open()

    # ---- edit and delete ---------------------------------------------------------------------------

    def edit_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            self.open_editor(ids[0])

    def edit_record(self, index: QModelIndex) -> None:
        """Double-click: the row's record in the edit form."""
        if index.isValid():
            self.open_editor(self.model.record_at(self.proxy.mapToSource(index).row()))

    def open_editor(self, record_id: int) -> None:
        from ui.record_dialog import RecordDialog

        record = records.get_record(self.db, record_id)
        if record is None:  # deleted from elsewhere since the list was read
            self.prompts.refuse("编辑培训记录", f"编号为{record_id}的记录已不存在。")
            self._imported()
            return
        dialog = RecordDialog(self.db, record, self)
        dialog.saved.connect(lambda update: self._imported() if update.changed else None)
        self.editor = dialog
        dialog.open()

    def delete_selected(self) -> None:
        """Asks for the reason (the question names the records), then deletes them all or none."""
        ids = self.selected_ids()
        if not ids:
            return
        chosen = [r for i in ids if (r := records.get_record(self.db, i)) is not None]
        named = "\n".join(f"· {r.name}（{r.id_number}）{r.fields.title}，{r.fields.start_date.isoformat()}，"
                          f"{fmt(r.fields.hours)}学时" for r in chosen[:LISTED])
        more = f"\n… 等共 {len(chosen)} 条" if len(chosen) > LISTED else ""
        reason = self.prompts.ask_text(
            "删除培训记录", f"删除以下 {len(chosen)} 条外部培训记录？删除后不再计入合规检查；"
            f"删除的内容和原因记入审计日志。\n{named}{more}\n\n删除原因（必填）：")
        if reason is None:
            return
        try:
            gone = records.delete_records(self.db, ids, reason)
        except records.RecordError as exc:
            self.prompts.refuse("删除培训记录", f"未删除任何记录：{exc}")
            return
        self._imported()
        self.prompts.inform("删除培训记录", f"已删除 {len(gone)} 条培训记录。")

    # ---- import ------------------------------------------------------------------------------------

    def import_records(self, path: str | None = None) -> None:
        """Open the import preview (on `path`, or after asking for a file)."""
        from ui.records_import_dialog import RecordsImportDialog

        dialog = RecordsImportDialog(self.db, self, path=path)
        dialog.imported.connect(lambda _n: self._imported())
        self.import_dialog = dialog
        dialog.open()

    def _imported(self) -> None:
        self.refresh()
        self.data_changed.emit()

    def ask_save_path(self, name: str) -> str:
        """The save dialog (tests replace this)."""
        return ask_save_path(self, "下载导入模板", Path.home() / name, "Excel 工作簿 (*.xlsx)", ".xlsx")

    def tell(self, title: str, text: str, error: bool = False) -> None:
        """A message box (tests replace this)."""
        (QMessageBox.warning if error else QMessageBox.information)(self, title, text)

    def save_template(self) -> None:
        """An empty workbook with the import's headers and one example row to overwrite."""
        from exports.excel import Sheet, write_xlsx

        path = self.ask_save_path("培训记录导入模板.xlsx")
        if not path:
            return
        example = ["410402198501010012", "张三", "全省城市管理执法业务培训班", "业务知识培训", dt.date(2026, 5, 11),
                   dt.date(2026, 5, 15), 5, 40, "是", "河南省住房和城乡建设厅"]
        try:
            write_xlsx(path, [Sheet("培训记录", list(records.COLUMNS), [example])])
        except Exception as exc:  # xlsxwriter wraps a locked file in its own error type
            self.tell("下载导入模板", f"无法写入 {path}：{exc}", error=True)
            return
        self.tell("下载导入模板", f"已保存到：\n{path}\n\n培训类型可填：{'、'.join(TRAINING_TYPES)}。")
