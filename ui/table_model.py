"""The boilerplate every table here shares: a list of row objects under fixed column headers.

A subclass names its columns (`headers`), keeps its objects in `_rows` (its typed `set_rows` calls
`_replace_rows`, or its own loader sets them inside a reset) and answers `data()` for its cells; row and
column counts, the horizontal header texts and column alignment come from here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
CENTER = int(Qt.AlignmentFlag.AlignCenter)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ALIGN = {"L": LEFT, "C": CENTER, "R": RIGHT}  # one letter a column, for the text tables


class ObjectTableModel(QAbstractTableModel):
    """`align`: column → alignment (CENTER, RIGHT) for the columns not left-aligned by default."""

    def __init__(self, headers: Sequence[str], parent: Any = None, align: Mapping[int, int] | None = None) -> None:
        super().__init__(parent)
        self.headers = tuple(headers)
        self._column_align = dict(align or {})
        self._rows: list[Any] = []

    def _replace_rows(self, rows: Sequence[Any]) -> None:
        """For a subclass's typed `set_rows`."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def alignment(self, column: int) -> int | None:
        """The column's TextAlignmentRole (None: the view's default)."""
        return self._column_align.get(column)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None
