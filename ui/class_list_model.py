"""The year's classes as a table (one trainer.class_summary line each), with search and status filter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from trainer.amounts import fmt
from trainer.class_summary import ClassSummary
from ui.table_model import RIGHT, Index, ObjectTableModel

(COL_TITLE, COL_TYPE, COL_START, COL_END, COL_DAYS, COL_HOURS, COL_ENROLLED, COL_COMPLETED, COL_STATUS, COL_BASE,
 COL_ORGANISER) = range(11)
HEADERS = ("培训班名称", "培训类型", "开始日期", "结束日期", "天数", "学时", "报名人数", "结业人数", "状态", "培训基地",
           "主办单位")
NUMERIC = frozenset({COL_DAYS, COL_HOURS, COL_ENROLLED, COL_COMPLETED})
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CLASS_ID_ROLE = Qt.ItemDataRole.UserRole + 2
STATUS_COLOURS = {"筹备": "#6b6b6b", "进行中": "#1f5fa8", "已结束": "#1b7f3b"}


class ClassListModel(ObjectTableModel):
    _rows: list[ClassSummary]

    def __init__(self, parent: Any = None) -> None:
        super().__init__(HEADERS, parent, dict.fromkeys(NUMERIC, RIGHT))

    def set_rows(self, rows: Sequence[ClassSummary]) -> None:
        self._replace_rows(rows)

    def summary_at(self, row: int) -> ClassSummary:
        return self._rows[row]

    def row_of(self, class_id: int) -> int:
        return next((i for i, s in enumerate(self._rows) if s.cls.id == class_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        s, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(s, col)
        if role == SORT_ROLE:
            value = self._value(s, col)
            return value if value is not None else -1
        if role == CLASS_ID_ROLE:
            return s.cls.id
        if role == Qt.ItemDataRole.TextAlignmentRole and col in NUMERIC:
            return self.alignment(col)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATUS:
            return QBrush(QColor(STATUS_COLOURS.get(s.cls.status, "#000")))
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_TITLE:
            return s.cls.title + (f"\n备注：{s.cls.note}" if s.cls.note else "")
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_COMPLETED and s.completed is None:
            return "结班后显示结业人数"
        return None

    def _value(self, s: ClassSummary, col: int) -> Any:
        if col == COL_DAYS:
            return s.cls.days
        if col == COL_HOURS:
            return float(s.hours)
        if col == COL_ENROLLED:
            return s.enrolled
        if col == COL_COMPLETED:
            return s.completed
        return self._text(s, col)

    def _text(self, s: ClassSummary, col: int) -> str:
        c = s.cls
        return (c.title, c.type, c.start_date.isoformat(), c.end_date.isoformat(), str(c.days), fmt(s.hours),
                str(s.enrolled) + (f"/{c.capacity}" if c.capacity else ""),
                "" if s.completed is None else str(s.completed), c.status, s.base, s.organiser)[col]


class ClassFilter(QSortFilterProxyModel):
    """Search text over name, type, base and organiser; one status or all."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._status = ""
        self.setSortRole(SORT_ROLE)

    def set_filter(self, text: str, status: str) -> None:
        self.beginFilterChange()
        self._text, self._status = "".join(text.split()).upper(), status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ClassListModel)
        s = model.summary_at(source_row)
        if self._status and s.cls.status != self._status:
            return False
        if self._text:
            hay = "\x1f".join((s.cls.title, s.cls.type, s.base, s.organiser, s.cls.note)).upper()
            return self._text in hay
        return True
