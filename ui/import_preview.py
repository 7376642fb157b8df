"""An import preview: every row of the file with its Excel row number, what will happen to it, and its bad
cells marked. The roster import shows its ImportPlan; other imports (training records) give any rows with
`row`, `cells`, `action` and `problems` (PreviewRow)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from trainer.person_fields import COLUMNS, text
from trainer.roster import ImportPlan
from trainer.tabular import NEW, UNCHANGED, UPDATED, RowProblem

ROW_COLUMN, ACTION_COLUMN, FIRST_CELL_COLUMN = 0, 1, 2
BAD = "有问题"
HAS_PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 2
EXCEL_ROW_ROLE = Qt.ItemDataRole.UserRole + 3

BAD_CELL = QBrush(QColor("#f4a6a6"))
BAD_ROW = QBrush(QColor("#fdecec"))
BAD_TEXT = QBrush(QColor("#8b0000"))
ACTION_COLOURS = {NEW: QColor("#1b7f3b"), UPDATED: QColor("#1f5fa8"), UNCHANGED: QColor("#6b6b6b"),
                  BAD: QColor("#b00020")}

Index = QModelIndex | QPersistentModelIndex


class PreviewRow(Protocol):
    @property
    def row(self) -> int: ...  # as Excel numbers it

    @property
    def cells(self) -> dict[str, object]: ...

    @property
    def action(self) -> str: ...  # 新增 / 更新 / 未变, '' for a row with problems

    @property
    def problems(self) -> Sequence[RowProblem]: ...


class HasProblems(Protocol):
    @property
    def problems(self) -> Sequence[RowProblem]: ...


def bad_reasons(rows: Sequence[HasProblems]) -> list[dict[str, str]]:
    """Per row: column → its problems' reasons (one per line)."""
    out: list[dict[str, str]] = []
    for r in rows:
        reasons: dict[str, list[str]] = {}
        for p in r.problems:
            reasons.setdefault(p.column, []).append(p.message)
        out.append({c: "\n".join(m) for c, m in reasons.items()})
    return out


def preview_columns(headers: list[str], plan: ImportPlan, known: Sequence[str] = COLUMNS) -> list[str]:
    """The known columns the file has, plus any a problem names, in the known order."""
    wanted = set(headers) | {p.column for p in plan.problems}
    return [c for c in known if c in wanted]


class ImportPreviewModel(QAbstractTableModel):
    """Read-only; rows with problems come first, then the file's order."""

    def __init__(self, cell_text: Callable[[object], str] = text) -> None:
        super().__init__()
        self._text = cell_text  # how a raw cell shows (and sorts)
        self._rows: list[PreviewRow] = []
        self._columns: list[str] = []
        self._bad: list[dict[str, str]] = []  # per row: column → reasons (one per line)

    def set_plan(self, plan: ImportPlan | None, headers: list[str]) -> None:
        """A roster import's plan."""
        if plan is None:
            self.set_rows([], [])
        else:
            self.set_rows(plan.rows, preview_columns(headers, plan))

    def set_rows(self, rows: Sequence[PreviewRow], columns: Sequence[str]) -> None:
        """Any import's rows, shown with `columns` (in that order)."""
        self.beginResetModel()
        if not rows and not columns:
            self._rows, self._columns, self._bad = [], [], []
        else:
            self._rows = sorted(rows, key=lambda r: (not r.problems, r.row))
            self._columns = list(columns)
            self._bad = bad_reasons(self._rows)
        self.endResetModel()

    @property
    def columns(self) -> list[str]:
        return list(self._columns)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted here with precomputed keys: a proxy calling data() per comparison takes seconds on 20,000 rows."""
        if column < 0 or column >= self.columnCount():
            return
        rank = {BAD: 0, NEW: 1, UPDATED: 2, UNCHANGED: 3}
        name = self._columns[column - FIRST_CELL_COLUMN] if column >= FIRST_CELL_COLUMN else ""

        def key(i: int) -> tuple[object, ...]:
            r = self._rows[i]
            if column == ROW_COLUMN:
                return (r.row,)
            if column == ACTION_COLUMN:
                return (rank[r.action or BAD], r.row)
            return (self._text(r.cells.get(name)), r.row)

        order_ = sorted(range(len(self._rows)), key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.beginResetModel()
        self._rows = [self._rows[i] for i in order_]
        self._bad = [self._bad[i] for i in order_]
        self.endResetModel()

    def source_row_of(self, excel_row: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.row == excel_row), None)

    def column_of(self, name: str) -> int | None:
        return FIRST_CELL_COLUMN + self._columns.index(name) if name in self._columns else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIRST_CELL_COLUMN + len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return None
        if section == ROW_COLUMN:
            return "行号"
        if section == ACTION_COLUMN:
            return "处理"
        return self._columns[section - FIRST_CELL_COLUMN]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, col = self._rows[index.row()], index.column()
        bad = self._bad[index.row()]
        column = self._columns[col - FIRST_CELL_COLUMN] if col >= FIRST_CELL_COLUMN else ""
        action = row.action or BAD
        if role == HAS_PROBLEM_ROLE:
            return bool(row.problems)
        if role == EXCEL_ROW_ROLE:
            return row.row
        if role == Qt.ItemDataRole.DisplayRole:
            if col == ROW_COLUMN:
                return str(row.row)
            if col == ACTION_COLUMN:
                return action
            value = self._text(row.cells.get(column))
            if not value and column in bad:
                return "（空）"  # an empty required cell must still be visible as marked
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in bad:
                return f"{column}：{bad[column]}"
            if col < FIRST_CELL_COLUMN and row.problems:
                return "\n".join(str(p) for p in row.problems)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if column in bad:
                return BAD_CELL
            return BAD_ROW if row.problems else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in bad:
                return BAD_TEXT
            if col == ACTION_COLUMN:
                return QBrush(ACTION_COLOURS[action])
            return None
        if role == Qt.ItemDataRole.FontRole and (column in bad or (col == ACTION_COLUMN and row.problems)):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col == ROW_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ProblemRowsFilter(QSortFilterProxyModel):
    """Can hide rows without problems; sorting is left to the source model, which does it fast."""

    def __init__(self) -> None:
        super().__init__()
        self._only_problems = False

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    @property
    def only_problems(self) -> bool:
        return self._only_problems

    def set_only_problems(self, on: bool) -> None:
        if on != self._only_problems:
            self.beginFilterChange()
            self._only_problems = on
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._only_problems:
            return True
        return bool(self.sourceModel().index(source_row, 0, source_parent).data(HAS_PROBLEM_ROLE))
