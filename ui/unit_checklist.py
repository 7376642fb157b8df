"""Choosing several units at once from the unit tree (a plan item's 限定单位): checking a county checks its
streets with it, and the chosen names come back in tree order so the field reads like the tree."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QTreeView, QVBoxLayout, QWidget

from trainer.units import Unit


class UnitChecklist(QDialog):
    def __init__(self, units: Sequence[Unit], chosen: Iterable[int] = (), parent: QWidget | None = None,
                 title: str = "选择单位") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(420, 560)
        self._units = list(units)
        chosen_ids = set(chosen)
        self.model = QStandardItemModel(self)
        self.items: dict[int, QStandardItem] = {}
        for u in self._units:
            item = QStandardItem(u.name)
            item.setCheckable(True)
            item.setEditable(False)
            item.setData(u.id, Qt.ItemDataRole.UserRole)
            item.setCheckState(Qt.CheckState.Checked if u.id in chosen_ids else Qt.CheckState.Unchecked)
            parent_item = self.items.get(u.parent_id) if u.parent_id is not None else None
            (parent_item or self.model.invisibleRootItem()).appendRow(item)
            self.items[u.id] = item
        self.tree = QTreeView()
        self.tree.setHeaderHidden(True)
        self.tree.setModel(self.model)
        self.tree.expandToDepth(0)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("输入单位名称的一部分筛选")
        self.filter_edit.textChanged.connect(self._filter)
        hint = QLabel("勾选县（市、区）时其下街道（乡镇）一并勾选。")
        hint.setStyleSheet("color:#666;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(self.filter_edit)
        box.addWidget(self.tree, 1)
        box.addWidget(hint)
        box.addWidget(buttons)
        self.model.itemChanged.connect(self._cascade)

    def _cascade(self, item: QStandardItem) -> None:
        # A county's check goes down to its streets; signals are held so each child does not cascade again.
        state = item.checkState()
        self.model.blockSignals(True)
        try:
            stack = [item.child(r) for r in range(item.rowCount())]
            while stack:
                child = stack.pop()
                child.setCheckState(state)
                stack.extend(child.child(r) for r in range(child.rowCount()))
        finally:
            self.model.blockSignals(False)
        self.tree.viewport().update()

    def _filter(self, text: str) -> None:
        needle = text.strip()
        for u in self._units:
            item = self.items[u.id]
            hidden = bool(needle) and needle not in u.name and not any(
                needle in self.items[c].text() for c in self._child_ids(u.id))
            parent = item.parent()
            parent_index = parent.index() if parent is not None else self.model.invisibleRootItem().index()
            self.tree.setRowHidden(item.row(), parent_index, hidden)
        if needle:
            self.tree.expandAll()

    def _child_ids(self, unit_id: int) -> list[int]:
        return [u.id for u in self._units if u.parent_id == unit_id]

    def set_checked(self, unit_id: int, checked: bool = True) -> None:
        self.items[unit_id].setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def chosen_ids(self) -> list[int]:
        """Checked units in tree order; a street whose county is checked too is left out (the county covers it)."""
        checked = {uid for uid, item in self.items.items() if item.checkState() == Qt.CheckState.Checked}
        by_id = {u.id: u for u in self._units}
        return [u.id for u in self._units if u.id in checked and not self._under_checked(by_id, u, checked)]

    @staticmethod
    def _under_checked(by_id: dict[int, Unit], unit: Unit, checked: set[int]) -> bool:
        parent = unit.parent_id
        while parent is not None:
            if parent in checked:
                return True
            parent = by_id[parent].parent_id
        return False

    def chosen_names(self) -> list[str]:
        names = {u.id: u.name for u in self._units}
        return [names[i] for i in self.chosen_ids()]
