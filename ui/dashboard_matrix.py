"""The coverage matrix: units down, the five checks across, each cell `合格 120 / 逾期 3` in its colours.

Counties are rolled up with their streets and open with a click on the ▸. Every number is a link: a click
on `逾期 3` lists those three people, a click elsewhere in the cell lists everyone in it, a click on the
在岗人数 lists everyone in the row.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TypeGuard

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QKeyEvent, QMouseEvent, QPainter, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QTableView, QWidget

from trainer.checks import CHECKS
from ui.status_style import TEXT, TINT, text_colour

if TYPE_CHECKING:  # trainer.dashboard loads with the figures, after the window's first paint
    from PySide6.QtWidgets import QStyleOptionViewItem

    from trainer.dashboard import Cell, Dashboard, MatrixRow

UNIT_COL, PEOPLE_COL, FIRST_CHECK_COL = 0, 1, 2
HEADERS = ("单位", "在岗人数", *CHECKS)
CELL_ROLE = Qt.ItemDataRole.UserRole + 21
SEPARATOR = " / "
PAD = 8
Index = QModelIndex | QPersistentModelIndex


class MatrixModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dashboard: Dashboard | None = None
        self._visible: list[int] = []  # indexes into dashboard.rows
        self.expanded: set[str] = set()  # county labels, kept when the figures are reloaded
        self._bold = QFont()
        self._bold.setBold(True)

    def set_dashboard(self, dashboard: Dashboard | None) -> None:
        self.beginResetModel()
        self.dashboard = dashboard
        self._layout()
        self.endResetModel()

    def _layout(self) -> None:
        rows = self.dashboard.rows if self.dashboard else []
        self._visible = [i for i, r in enumerate(rows)
                         if r.parent is None or rows[r.parent].label in self.expanded]

    def matrix_row(self, view_row: int) -> MatrixRow:
        assert self.dashboard is not None
        return self.dashboard.rows[self._visible[view_row]]

    def view_row_of(self, label: str) -> int | None:
        return next((n for n in range(len(self._visible)) if self.matrix_row(n).label == label), None)

    def toggle(self, view_row: int) -> None:
        row = self.matrix_row(view_row)
        if not row.expandable:
            return
        self.beginResetModel()
        self.expanded.symmetric_difference_update({row.label})
        self._layout()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section >= FIRST_CHECK_COL:
            return "点击数字查看对应人员名单"
        return None

    def cell(self, index: Index) -> Cell | None:
        if index.column() < FIRST_CHECK_COL:
            return None
        return self.matrix_row(index.row()).cells[CHECKS[index.column() - FIRST_CHECK_COL]]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or self.dashboard is None:
            return None
        row, col = self.matrix_row(index.row()), index.column()
        cell = self.cell(index)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == UNIT_COL:
                if row.expandable:
                    return ("▾ " if row.label in self.expanded else "▸ ") + row.label
                return ("      " if row.parent is not None else "   ") + row.label
            if col == PEOPLE_COL:
                return str(row.people)
            return cell.text if cell and cell.counts else "—"
        if role == CELL_ROLE:
            return cell
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == UNIT_COL:
                return int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
            return int(Qt.AlignmentFlag.AlignCenter.value)
        if role == Qt.ItemDataRole.FontRole and (row.kind in ("合计", "县级") or col == PEOPLE_COL):
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole:
            if cell is not None and cell.colour:
                return QBrush(TINT[cell.colour])
            if row.kind == "合计":
                return QBrush(QColor("#e8edf3"))
            return None
        if role == Qt.ItemDataRole.ForegroundRole and col == PEOPLE_COL:
            return QBrush(QColor("#1f5fa8"))
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == UNIT_COL and row.expandable:
                return "点击展开或收起本级和街道（乡镇）"
            if col == PEOPLE_COL:
                return f"{row.label}在岗 {row.people} 人（点击查看名单）"
            if cell is not None and cell.counts:
                parts = "，".join(f"{s} {n} 人" for s, n in cell.counts)
                return (f"{row.label} · {HEADERS[col]}：{parts}\n"
                        f"点击某个数字查看这些人，点击空白处查看全部 {cell.total} 人")
        return None


def _is_cell(value: object) -> TypeGuard[Cell]:
    """isinstance(value, trainer.dashboard.Cell); a cell exists only once trainer.dashboard is loaded."""
    module = sys.modules.get("trainer.dashboard")
    return module is not None and isinstance(value, module.Cell)


def segments(metrics: QFontMetrics, rect: QRect, cell: Cell) -> list[tuple[str, int, int]]:
    """(status, left x, right x) of each `状态 数` piece as painted centred in `rect`; painting and
    clicking both use it, so a click lands on the number it was aimed at."""
    pieces = [f"{s} {n}" for s, n in cell.counts]
    widths = [metrics.horizontalAdvance(p) for p in pieces]
    sep = metrics.horizontalAdvance(SEPARATOR)
    total = sum(widths) + sep * (len(pieces) - 1)
    x = rect.left() + max(PAD, (rect.width() - total) // 2)
    out = []
    for (status, _n), w in zip(cell.counts, widths, strict=True):
        out.append((status, x, x + w))
        x += w + sep
    return out


class CellDelegate(QStyledItemDelegate):
    """Paints a check cell as coloured `状态 数` pieces on the tint of its worst status."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        cell = index.data(CELL_ROLE)
        if not _is_cell(cell) or not cell.counts:
            super().paint(painter, option, index)
            return
        painter.save()
        rect = option.rect
        # What the view puts in option.state as State_Selected, asked without the QStyle enums (the window's
        # start would create all of them, ~15 ms, for this one flag).
        view = self.parent()
        selected = isinstance(view, QAbstractItemView) and view.selectionModel().isSelected(index)
        painter.fillRect(rect, TINT[cell.colour])
        if selected:
            painter.fillRect(rect, QColor(31, 95, 168, 40))
        font = QFont(option.font)
        font.setBold(index.data(Qt.ItemDataRole.FontRole) is not None)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        pieces = segments(metrics, rect, cell)
        for i, (status, left, right) in enumerate(pieces):
            painter.setPen(text_colour(status) or TEXT["green"])
            painter.drawText(QRect(left, rect.top(), right - left, rect.height()),
                             int(Qt.AlignmentFlag.AlignVCenter.value), f"{status} {cell.count(status)}")
            if i < len(pieces) - 1:
                painter.setPen(QColor("#888888"))
                painter.drawText(QRect(right, rect.top(), metrics.horizontalAdvance(SEPARATOR), rect.height()),
                                 int(Qt.AlignmentFlag.AlignVCenter.value), SEPARATOR)
        painter.restore()


class MatrixView(QTableView):
    """`number_clicked(view row, column, status)`: status '' means the whole cell (or the row's people)."""

    number_clicked = Signal(int, int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(CellDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(28)
        self.setMouseTracking(True)

    def fit_columns(self) -> None:
        """Each check column as wide as its widest cell (over every row, open or not); what is left of the
        view is shared among them. Called on new figures and when the view is resized."""
        model = self.model()
        if not isinstance(model, MatrixModel) or model.dashboard is None:
            return
        bold = QFont(self.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        header = self.horizontalHeader()
        needs = []
        for check in CHECKS:
            texts = [check, *(r.cells[check].text for r in model.dashboard.rows)]
            needs.append(max(metrics.horizontalAdvance(t) for t in texts) + 2 * PAD + 6)
        fixed = sum(header.sectionSize(c) for c in range(FIRST_CHECK_COL))
        spare = max(0, self.viewport().width() - fixed - sum(needs)) // len(needs)
        for c, need in enumerate(needs, start=FIRST_CHECK_COL):
            header.resizeSection(c, need + spare)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def status_at(self, index: QModelIndex, x: int) -> str:
        """The status whose number is under x in a check cell, else ''."""
        cell = index.data(CELL_ROLE)
        if not _is_cell(cell):
            return ""
        font = QFont(self.font())
        font.setBold(index.data(Qt.ItemDataRole.FontRole) is not None)
        for status, left, right in segments(QFontMetrics(font), self.visualRect(index), cell):
            if left - 3 <= x <= right + 3:
                return status
        return ""

    def number_rect(self, index: QModelIndex, status: str) -> QRect:
        """Where the number of `status` is painted (tests click there)."""
        cell = index.data(CELL_ROLE)
        rect = self.visualRect(index)
        assert _is_cell(cell)
        font = QFont(self.font())
        font.setBold(index.data(Qt.ItemDataRole.FontRole) is not None)
        for s, left, right in segments(QFontMetrics(font), rect, cell):
            if s == status:
                return QRect(left, rect.top(), right - left, rect.height())
        raise KeyError(status)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        x = int(event.position().x())
        link = index.isValid() and (index.column() == PEOPLE_COL or bool(self.status_at(index, x))
                                    or (index.column() == UNIT_COL and self._expandable(index)))
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if link else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        index = self.indexAt(event.position().toPoint())
        if index.isValid():
            status = self.status_at(index, int(event.position().x())) if index.column() >= FIRST_CHECK_COL else ""
            self.number_clicked.emit(index.row(), index.column(), status)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            index = self.currentIndex()
            self.number_clicked.emit(index.row(), index.column(), "")
            return
        super().keyPressEvent(event)

    def _expandable(self, index: QModelIndex) -> bool:
        model = self.model()
        return isinstance(model, MatrixModel) and model.matrix_row(index.row()).expandable
