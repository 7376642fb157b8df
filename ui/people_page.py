"""The people page: search, unit tree and filters on the left and top, the register table, actions below."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import people
from trainer.people import Person
from trainer.units import Unit, all_units
from ui.people_filter_bar import ALL, PeopleFilterBar
from ui.people_model import (
    COL_CARD_EXPIRY,
    COL_CARD_NUMBER,
    COL_CARD_STATE,
    COL_CATEGORY,
    COL_GENDER,
    COL_HIRE_DATE,
    COL_ID_NUMBER,
    COL_LEADER,
    COL_NAME,
    COL_PHONE,
    COL_POSITION,
    COL_POST_STATUS,
    COL_UNIT,
    HEADERS,
    PeopleFilter,
    PeopleTableModel,
)

CARD_CHOICES = ((ALL, ""), ("已过期", "已过期"), ("即将到期（90天内）", "即将到期"), ("无证", "无证"))
# Widest text a column usually holds; the header text counts too.
_COLUMN_SAMPLES = {
    COL_NAME: "欧阳某某某", COL_GENDER: "男", COL_ID_NUMBER: "41040219900101123X", COL_UNIT: "城乡一体化示范区",
    COL_CATEGORY: "执法人员", COL_POSITION: "执法队员", COL_LEADER: "是", COL_HIRE_DATE: "2021-06-06",
    COL_CARD_NUMBER: "豫41123456", COL_CARD_EXPIRY: "2021-06-06", COL_CARD_STATE: "即将到期",
    COL_POST_STATUS: "在岗", COL_PHONE: "0375-12345678",
}
UNIT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
BACKGROUND_EXPORT_ROWS = 2000  # fewer rows write in well under a second: no progress dialog


def export_people(db: Database, persons: list[Person], path: str | Path) -> Path:
    """Write a roster .xlsx of `persons` that the roster import reads back as 未变."""
    from exports.excel import Sheet, write_xlsx
    from trainer import roster

    headers, rows = roster.export_rows(db, persons)
    return write_xlsx(path, [Sheet("人员名册", headers, rows)])


def start_export(parent: QWidget, db: Database, persons: list[Person], path: str,
                 done: Callable[[], None]) -> None:
    """Export with a wait cursor, or behind the background helper's progress dialog when it is long
    (50,000 people take seconds). `done` runs on the GUI thread after a successful write."""
    if len(persons) >= BACKGROUND_EXPORT_ROWS:
        try:
            from ui.worker import run_task
        except ModuleNotFoundError as exc:
            if exc.name != "ui.worker":
                raise
        else:
            run_task(parent, "导出花名册", lambda ctx: export_people(db, persons, path), lambda _: done(),
                     on_error=lambda exc: _export_failed(parent, path, exc), cancellable=False)
            return
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        export_people(db, persons, path)
    except Exception as exc:  # xlsxwriter wraps a locked file in its own error type
        QApplication.restoreOverrideCursor()
        _export_failed(parent, path, exc)
        return
    QApplication.restoreOverrideCursor()
    done()


def _export_failed(parent: QWidget, path: str, exc: BaseException) -> None:
    QMessageBox.critical(parent, "导出失败", f"无法写入 {path}（文件是否正在 Excel 中打开？）\n{exc}")


def ask_export_path(parent: QWidget, title: str) -> str:
    default = str(Path.home() / f"人员名册_{dt.date.today():%Y%m%d}.xlsx")
    path, _ = QFileDialog.getSaveFileName(parent, title, default, "Excel 工作簿 (*.xlsx)")
    if path and not path.lower().endswith(".xlsx"):
        path += ".xlsx"
    return path


class PeoplePage(QWidget):
    """`message` carries a one-line result for the status bar (saved, exported …)."""

    message = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._today = today or dt.date.today()
        self._units: list[Unit] = all_units(db)
        self.model = PeopleTableModel(people.all_people(db), self._units, self._today, self)
        self.active_dialog: QWidget | None = None
        self._build()
        self._rebuild_unit_tree()
        self._update_count()

    # ---- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.card_combo = QComboBox()
        for text, value in CARD_CHOICES:
            self.card_combo.addItem(text, value)
        bar = self.filter_bar = PeopleFilterBar(last=("证件", self.card_combo), gap=8, search_min_width=240)
        self.search_edit, self.category_combo, self.status_combo = bar.search_edit, bar.category_combo, bar.status_combo
        self.clear_button = QPushButton("清除筛选")
        bar.addSpacing(8)
        bar.addWidget(self.clear_button)
        bar.addStretch(1)

        self.table = QTableView()
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        # The model starts in unit order; no arrow (and no re-sort) until the user clicks a column.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = self.table.verticalHeader()
        vertical.hide()
        # Fixed row heights keep a 50,000-row reset cheap: Qt never measures rows.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        self._size_columns()

        self.count_label = QLabel()
        self.add_button = QPushButton("新增")
        self.edit_button = QPushButton("编辑")
        self.detail_button = QPushButton("详情")
        self.export_button = QPushButton("导出当前视图…")
        actions = QHBoxLayout()
        actions.addWidget(self.count_label)
        actions.addStretch(1)
        for b in (self.add_button, self.edit_button, self.detail_button, self.export_button):
            actions.addWidget(b)

        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addLayout(bar)
        right_box.addWidget(self.table, 1)
        right_box.addLayout(actions)

        self.unit_model = QStandardItemModel(self)
        self.unit_tree = QTreeView()
        self.unit_tree.setModel(self.unit_model)
        self.unit_tree.setHeaderHidden(True)
        self.unit_tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.unit_tree.setMinimumWidth(160)
        # long street names scroll sideways rather than being cut off
        self.unit_tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.unit_tree.header().setStretchLastSection(False)
        self._unit_items: dict[int, QStandardItem] = {}
        self.unit_tree.selectionModel().currentChanged.connect(self.apply_filter)

        splitter = QSplitter()
        splitter.addWidget(self.unit_tree)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 1200])
        box = QVBoxLayout(self)
        box.addWidget(splitter)

        bar.changed.connect(self.apply_filter)
        self.clear_button.clicked.connect(self.clear_filters)
        self.add_button.clicked.connect(self.add_person)
        self.edit_button.clicked.connect(self.edit_selected)
        self.detail_button.clicked.connect(self.show_selected_detail)
        self.export_button.clicked.connect(self.export_view)
        # activated = double-click, or Enter on the selected row
        self.table.activated.connect(lambda index: self.show_detail(self.model.person_at(index.row())))
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        QShortcut(QKeySequence.StandardKey.New, self, self.add_person)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def _size_columns(self) -> None:
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        bold = header.fontMetrics()
        longest_unit = max((u.name for u in self._units), key=len, default="")[:11]
        for column, sample in _COLUMN_SAMPLES.items():
            if column == COL_UNIT:
                sample = max(sample, longest_unit, key=metrics.horizontalAdvance)
            # the widest usual value, or the header text plus room for the sort arrow
            width = max(metrics.horizontalAdvance(sample), bold.horizontalAdvance(HEADERS[column]) + 10)
            header.resizeSection(column, width + 10)

    # ---- unit tree -------------------------------------------------------------------------------

    def _rebuild_unit_tree(self) -> None:
        selected = self.selected_unit_id()
        selection = self.unit_tree.selectionModel()
        selection.blockSignals(True)  # the filter is applied once, by the caller
        self.unit_model.clear()
        self._unit_items = {}
        root = QStandardItem()
        root.setData(None, UNIT_ID_ROLE)
        self.unit_model.appendRow(root)
        self._root_item = root
        for u in self._units:
            item = QStandardItem()
            item.setData(u.id, UNIT_ID_ROLE)
            item.setToolTip(u.name)
            parent = self._unit_items.get(u.parent_id) if u.parent_id is not None else None
            (parent or root).appendRow(item)
            self._unit_items[u.id] = item
        self._update_unit_counts()
        self.unit_tree.expandToDepth(1)  # 全部 → 市局 → 科室 / 县级; streets stay folded
        self.select_unit(selected if selected in self._unit_items else None)
        selection.blockSignals(False)

    def _update_unit_counts(self) -> None:
        own = self.model.unit_counts()
        total: Counter[int] = Counter()
        by_id = {u.id: u for u in self._units}
        for unit_id, n in own.items():
            cursor: int | None = unit_id
            while cursor is not None:  # a person counts for their unit and every unit above it
                total[cursor] += n
                cursor = by_id[cursor].parent_id if cursor in by_id else None
        self._root_item.setText(f"全部单位（{self.model.total_count()}）")
        for u in self._units:
            self._unit_items[u.id].setText(f"{u.name}（{total[u.id]}）")

    def selected_unit_id(self) -> int | None:
        index = self.unit_tree.currentIndex()
        value = index.data(UNIT_ID_ROLE) if index.isValid() else None
        return int(value) if value is not None else None

    def select_unit(self, unit_id: int | None) -> None:
        item = self._unit_items.get(unit_id) if unit_id is not None else self._root_item
        if item is not None:
            index = item.index()
            self.unit_tree.setCurrentIndex(index)
            self.unit_tree.scrollTo(index)

    # ---- filtering -------------------------------------------------------------------------------

    def _focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def current_filter(self) -> PeopleFilter:
        return self.filter_bar.people_filter(self._units, self.selected_unit_id(), self.card_combo.currentData() or "")

    def apply_filter(self, *_: object) -> None:
        self.model.set_filter(self.current_filter())
        self._update_count()

    def clear_filters(self) -> None:
        self.filter_bar.reset()
        self.unit_tree.selectionModel().blockSignals(True)
        self.select_unit(None)
        self.unit_tree.selectionModel().blockSignals(False)
        self.apply_filter()

    def _update_count(self) -> None:
        self.count_label.setText(f"显示 {self.model.visible_count()} / 共 {self.model.total_count()} 人")
        self.count_label.setToolTip(f"筛选用时 {self.model.filter_time_ms:.1f} 毫秒")

    def _update_buttons(self, *_: object) -> None:
        chosen = self.selected_person() is not None
        self.edit_button.setEnabled(chosen)
        self.detail_button.setEnabled(chosen)
        self.export_button.setEnabled(self.model.visible_count() > 0)

    # ---- data ------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read people and units from the database (after an import or a unit change)."""
        self._units = all_units(self.db)
        self.model.set_people(people.all_people(self.db), self._units)
        self._rebuild_unit_tree()
        self.apply_filter()

    refresh = reload

    def selected_person(self) -> Person | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.person_at(rows[0].row()) if rows else None

    def select_person(self, person_id: int) -> bool:
        row = self.model.row_of(person_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _saved(self, person: Person) -> None:
        self.model.upsert(person)
        self._update_unit_counts()
        self._update_count()
        if self.select_person(person.id or -1):
            self.message.emit(f"已保存：{person.name}")
        else:
            self.message.emit(f"已保存：{person.name}（不在当前筛选范围内）")

    # ---- actions ---------------------------------------------------------------------------------

    def _open(self, dialog: QWidget) -> None:
        # open(), not exec(): the dialog is modal to the window but the caller (and a test) keeps running.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.active_dialog = dialog
        dialog.destroyed.connect(lambda *_: setattr(self, "active_dialog", None))
        dialog.open()  # type: ignore[attr-defined]

    def add_person(self) -> None:
        from ui.person_dialog import PersonDialog

        dialog = PersonDialog(self.db, None, self, today=self._today)
        unit_id = self.selected_unit_id()
        if unit_id is not None:  # adding while a unit is selected: that is the likely unit
            dialog.unit_combo.set_unit(unit_id)
        dialog.person_saved.connect(self._saved)
        self._open(dialog)

    def edit_person(self, person: Person) -> None:
        from ui.person_dialog import PersonDialog

        dialog = PersonDialog(self.db, person, self, today=self._today)
        dialog.person_saved.connect(self._saved)
        self._open(dialog)

    def edit_selected(self) -> None:
        person = self.selected_person()
        if person:
            self.edit_person(person)

    def show_detail(self, person: Person) -> None:
        from ui.person_detail import PersonDetailDialog

        if person.id is None:
            return
        dialog = PersonDetailDialog(self.db, person.id, self, today=self._today)
        dialog.person_saved.connect(self._saved)
        self._open(dialog)

    def show_selected_detail(self) -> None:
        person = self.selected_person()
        if person:
            self.show_detail(person)

    def export_view(self) -> None:
        """Ask for a file and write the rows on screen (filter and order as shown)."""
        path = ask_export_path(self, "导出当前视图")
        if not path:
            return
        persons = self.model.visible_people()
        start_export(self, self.db, persons, path,
                     lambda: self.message.emit(f"已导出 {len(persons)} 人到 {path}"))
