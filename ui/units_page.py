"""The unit tree page: see every unit with its people, add and manage street/town (街道/乡镇) units."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import units
from trainer.units import Unit, UnitError

LEVEL_NAMES = {"市局": "市局", "科室": "局机关科室", "县级": "县（市、区）", "街道": "街道（乡镇）"}
HEADERS = ("单位", "级别", "本级人数", "含下级人数", "别名（导入时可用的其他名称）")
NAME_COLUMN, LEVEL_COLUMN, OWN_COLUMN, TOTAL_COLUMN, ALIAS_COLUMN = range(5)
UNIT_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class UnitsPage(QWidget):
    """Emits `units_changed` after any successful change to the tree."""

    units_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.units: dict[int, Unit] = {}
        self._items: dict[int, QStandardItem] = {}
        self._sized = False
        self._build()
        self.refresh()

    def _build(self) -> None:
        title = QLabel("单位管理")
        title.setStyleSheet("font-size:16px; font-weight:bold;")
        hint = QLabel("市局、科室和县（市、区）由系统内置，可编辑别名；街道（乡镇）单位可添加、重命名、移动和删除。"
                      "有人员的单位不能删除。导入花名册时，“单位”一列可填单位名称或别名。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555;")

        self.add_button = QPushButton("添加街道（乡镇）")
        self.rename_button = QPushButton("重命名")
        self.move_button = QPushButton("移动到…")
        self.delete_button = QPushButton("删除")
        self.aliases_button = QPushButton("编辑别名")
        self.add_button.clicked.connect(self.add_street)
        self.rename_button.clicked.connect(self.rename_selected)
        self.move_button.clicked.connect(self.move_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.aliases_button.clicked.connect(self.edit_aliases)
        actions = QHBoxLayout()
        for b in (self.add_button, self.rename_button, self.move_button, self.delete_button, self.aliases_button):
            actions.addWidget(b)
        actions.addStretch(1)

        self.model = QStandardItemModel()
        self.model.setHorizontalHeaderLabels(list(HEADERS))
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.selectionModel().selectionChanged.connect(self._selection_changed)
        self.tree.doubleClicked.connect(self._double_clicked)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Interactive)

        self.status = QLabel()
        self.status.setStyleSheet("color:#555;")

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(actions)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)

    # ---- showing the tree ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the tree from the database, keeping the selection."""
        keep = self.selected_unit()
        tree = units.all_units(self.db)
        self.units = {u.id: u for u in tree}
        own = {u.id: units.people_count(self.db, u.id) for u in tree}
        total = dict(own)
        for u in reversed(tree):  # children come after parents, so walking backwards sums bottom-up
            if u.parent_id is not None and u.parent_id in total:
                total[u.parent_id] += total[u.id]

        self.model.removeRows(0, self.model.rowCount())
        self._items = {}
        for u in tree:
            row = self._row_items(u, own[u.id], total[u.id])
            parent = self._items.get(u.parent_id) if u.parent_id is not None else None
            (parent or self.model.invisibleRootItem()).appendRow(row)
            self._items[u.id] = row[0]
        self.tree.expandAll()
        if not self._sized:  # once: later refreshes keep the widths the user chose
            self._sized = True
            for c in (NAME_COLUMN, LEVEL_COLUMN, OWN_COLUMN, TOTAL_COLUMN):
                self.tree.resizeColumnToContents(c)
                self.tree.setColumnWidth(c, self.tree.columnWidth(c) + 16)
        streets = sum(1 for u in tree if u.level == "街道")
        self.status.setText(f"共 {len(tree)} 个单位，其中街道（乡镇）{streets} 个；人员 {sum(own.values())} 人。")
        if keep is not None and keep.id in self._items:
            self.select_unit(keep.id)
        self._update_buttons()

    def _row_items(self, u: Unit, own: int, total: int) -> list[QStandardItem]:
        cells = [u.name, LEVEL_NAMES.get(u.level, u.level), str(own), str(total), "，".join(u.aliases)]
        row = [QStandardItem(c) for c in cells]
        for item in row:
            item.setData(u.id, UNIT_ID_ROLE)
            item.setEditable(False)
        for c in (OWN_COLUMN, TOTAL_COLUMN):
            row[c].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if not u.editable:
            row[NAME_COLUMN].setToolTip("系统内置单位：只能编辑别名")
        return row

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # people counts change with imports and edits on other pages

    # ---- selection ----------------------------------------------------------------------------

    def selected_unit(self) -> Unit | None:
        index = self.tree.currentIndex()
        if not index.isValid() or not self.tree.selectionModel().isSelected(index):
            return None
        return self.units.get(index.data(UNIT_ID_ROLE))

    def select_unit(self, unit_id: int) -> None:
        item = self._items[unit_id]
        index = item.index()
        flags = QItemSelectionModel.SelectionFlag
        self.tree.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        self.tree.scrollTo(index)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()

    def _county_for(self, unit: Unit | None) -> Unit | None:
        """Where 添加街道 adds: the selected county, or the county of the selected street."""
        if unit is None:
            return None
        if unit.level == "县级":
            return unit
        if unit.level == "街道" and unit.parent_id is not None:
            return self.units.get(unit.parent_id)
        return None

    def _update_buttons(self) -> None:
        unit = self.selected_unit()
        editable = unit is not None and unit.editable
        county = self._county_for(unit)
        self.add_button.setEnabled(county is not None)
        self.add_button.setToolTip(f"在“{county.name}”下添加" if county else "先选中一个县（市、区）")
        for b in (self.rename_button, self.move_button, self.delete_button):
            b.setEnabled(editable)
            b.setToolTip("" if editable else "只能修改街道（乡镇）单位")
        self.aliases_button.setEnabled(unit is not None)

    def _double_clicked(self, index: QModelIndex) -> None:
        unit = self.units.get(index.data(UNIT_ID_ROLE))
        if unit is not None and unit.editable:
            self.rename_selected()

    # ---- actions ------------------------------------------------------------------------------

    def add_street(self) -> None:
        county = self._county_for(self.selected_unit())
        if county is None:
            self.show_error("请先选中要添加到的县（市、区）。")
            return
        name = self.ask_text("添加街道（乡镇）", f"在“{county.name}”下添加街道（乡镇）单位，名称：", "")
        if name is None:
            return
        if self._change(lambda: units.add_street(self.db, name, county.id)):
            added = next(u for u in self.units.values() if u.name == name.strip())
            self.select_unit(added.id)

    def rename_selected(self) -> None:
        unit = self.selected_unit()
        if unit is None or not unit.editable:
            return
        name = self.ask_text("重命名单位", f"“{unit.name}”的新名称：", unit.name)
        if name is None or name.strip() == unit.name:
            return
        self._change(lambda: units.rename(self.db, unit.id, name))

    def move_selected(self) -> None:
        unit = self.selected_unit()
        if unit is None or not unit.editable:
            return
        counties = [u for u in self.units.values() if u.level == "县级" and u.id != unit.parent_id]
        choice = self.ask_choice("移动单位", f"把“{unit.name}”移动到：", [c.name for c in counties])
        if choice is None:
            return
        target = next(c for c in counties if c.name == choice)
        self._change(lambda: units.move(self.db, unit.id, target.id))

    def delete_selected(self) -> None:
        unit = self.selected_unit()
        if unit is None or not unit.editable:
            return
        if not self.confirm("删除单位", f"确定删除“{unit.name}”吗？"):
            return
        self._change(lambda: units.delete(self.db, unit.id))

    def edit_aliases(self) -> None:
        unit = self.selected_unit()
        if unit is None:
            return
        text = self.ask_text("编辑别名", f"“{unit.name}”的别名（多个用逗号分隔，清空则删除全部别名）：",
                             "，".join(unit.aliases))
        if text is None:
            return
        aliases = [a for a in text.replace("，", ",").replace("、", ",").split(",") if a.strip()]
        self._change(lambda: units.set_aliases(self.db, unit.id, aliases))

    def _change(self, action: Callable[[], object]) -> bool:
        """Run one service call; on UnitError show its message (the service changed nothing)."""
        try:
            action()
        except UnitError as exc:
            self.show_error(str(exc))
            return False
        self.refresh()
        self.units_changed.emit()
        return True

    # ---- questions to the user (tests replace these) -----------------------------------------

    def ask_text(self, title: str, label: str, text: str) -> str | None:
        value, ok = QInputDialog.getText(self, title, label, text=text)
        return value if ok else None

    def ask_choice(self, title: str, label: str, items: list[str]) -> str | None:
        value, ok = QInputDialog.getItem(self, title, label, items, 0, False)
        return value if ok and value else None

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def show_error(self, text: str) -> None:
        QMessageBox.warning(self, "无法完成操作", text)
