"""A read-only table model of precomputed rows: display texts, sort keys and the object behind each row.

Small tables (plan items, bases, rule versions) are formatted once when loaded, so painting and sorting
never call back into the services.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ui.table_model import ALIGN

OBJECT_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
MUTED = QBrush(QColor("#8a8a8a"))

Index = QModelIndex | QPersistentModelIndex


class RowModel(QAbstractTableModel):
    """`align` is one letter per column (L, C, R); rows in `muted` print grey (cancelled items)."""

    def __init__(self, headers: Sequence[str], align: str, tooltips: Sequence[str] = ()) -> None:
        super().__init__()
        assert len(align) == len(headers)
        self.headers = tuple(headers)
        self._align = [ALIGN[a] for a in align]
        self._header_tips = tuple(tooltips)
        self._objects: list[Any] = []
        self._cells: list[tuple[str, ...]] = []
        self._keys: list[tuple[object, ...]] = []
        self._muted: list[bool] = []

    def set_rows(self, objects: Sequence[Any], cells: Sequence[Sequence[str]],
                 keys: Sequence[Sequence[object]] | None = None, muted: Sequence[bool] | None = None) -> None:
        self.beginResetModel()
        self._objects = list(objects)
        self._cells = [tuple(c) for c in cells]
        self._keys = [tuple(k) for k in keys] if keys is not None else [tuple(c) for c in self._cells]
        self._muted = list(muted) if muted is not None else [False] * len(self._objects)
        self.endResetModel()

    def object_at(self, row: int) -> Any:
        return self._objects[row]

    def objects(self) -> list[Any]:
        return list(self._objects)

    def row_texts(self, row: int) -> tuple[str, ...]:
        return self._cells[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if role == Qt.ItemDataRole.ToolTipRole and section < len(self._header_tips):
            return self._header_tips[section] or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._align[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[r][c]
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self._cells[r][c]
            return text if len(text) > 12 else None  # long texts may be cut off by the column
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._align[c]
        if role == Qt.ItemDataRole.ForegroundRole and self._muted[r]:
            return MUTED
        if role == OBJECT_ROLE:
            return self._objects[r]
        if role == SORT_ROLE:
            key = self._keys[r][c]
            if isinstance(key, Decimal):
                return float(key)
            return key if isinstance(key, int | float | str) else str(key)
        return None
