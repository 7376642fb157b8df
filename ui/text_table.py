"""A read-only table of prepared texts with sort keys, the person behind each row, and a coloured status
column — for the lists that lead from a number to people (drill-downs, overdue lists, training history)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QFont

from ui.status_style import text_colour
from ui.table_model import ALIGN

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 11
PERSON_ROLE = Qt.ItemDataRole.UserRole + 12
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 13


class TextTableModel(QAbstractTableModel):
    """`align`: one letter (L, C, R) per column. The column named 状态 (if any) is coloured by status."""

    def __init__(self, headers: Sequence[str], align: str) -> None:
        super().__init__()
        assert len(headers) == len(align)
        self.headers = tuple(headers)
        self._align = [ALIGN[a] for a in align]
        self._status_col = self.headers.index("状态") if "状态" in self.headers else -1
        self._rows: list[tuple[str, ...]] = []
        self._keys: list[tuple[object, ...]] = []
        self._people: list[int] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: Sequence[Sequence[str]], keys: Sequence[Sequence[object]] | None = None,
                 people: Sequence[int] | None = None) -> None:
        self.beginResetModel()
        self._rows = [tuple(r) for r in rows]
        self._keys = [tuple(k) for k in keys] if keys is not None else list(self._rows)
        self._people = list(people) if people is not None else [0] * len(self._rows)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted here on the prepared keys: a proxy calling data() per comparison takes seconds on 45,000 rows."""
        if not 0 <= column < len(self.headers):
            return
        ranked = sorted(range(len(self._rows)), key=lambda i: _key(self._keys[i][column]),
                        reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutAboutToBeChanged.emit()
        self._rows = [self._rows[i] for i in ranked]
        self._keys = [self._keys[i] for i in ranked]
        self._people = [self._people[i] for i in ranked]
        self.layoutChanged.emit()

    def row_texts(self, row: int) -> tuple[str, ...]:
        return self._rows[row]

    def person_at(self, row: int) -> int:
        return self._people[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[r][c]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._align[c]
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self._rows[r][c]
            return text if len(text) > 14 else None  # a long 说明 may be cut off by its column
        if c == self._status_col and role == Qt.ItemDataRole.ForegroundRole:
            colour = text_colour(self._rows[r][c])
            return QBrush(colour) if colour else None
        if c == self._status_col and role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == SORT_ROLE:
            key = self._keys[r][c]
            return key if isinstance(key, int | float | str) else str(key)
        if role == PERSON_ROLE:
            return self._people[r]
        if role == SEARCH_ROLE:
            return " ".join(self._rows[r])
        return None


def _key(value: object) -> tuple[int, object]:
    """Numbers before texts, so a column of both still sorts (an empty 学时 is '')."""
    return (0, value) if isinstance(value, int | float) else (1, str(value))


class TextFilter(QSortFilterProxyModel):
    """Keeps the rows containing the typed text and, optionally, one status; sorting is the model's own."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)
        self._text = ""
        self._status = ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, TextTableModel):
            source.sort(column, order)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().upper()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_status(self, status: str) -> None:
        self.beginFilterChange()
        self._status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, TextTableModel):
            return True
        texts = model.row_texts(source_row)
        if self._status and "状态" in model.headers and texts[model.headers.index("状态")] != self._status:
            return False
        return not self._text or self._text in " ".join(texts).upper()
