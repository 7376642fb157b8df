"""The score-entry grid: one item's competitors (by draw number) × its judges — or, for a 评分细则 item, × the
judges on one criterion, or × the criteria of one judge — typed from the paper sheets by keyboard only.

Type a value and press Enter: it is checked (ScoringContext.slot_problem / parse_value, the same checks as
imports), saved at once and the cursor moves down the column to the next cell that may be scored. An empty
cell is "not scored" and is distinct from 0. Recused cells (回避) and a locked item cannot be typed into;
the reason shows as soon as a key is pressed on them. The model only shows; the tab decides and writes.

Double entry (paper sheets typed twice): in the second pass (CHECK_PASS) the grid shows only the second
clerk's values, never the first entry's, and colours nothing until the clerk asks to compare (`reveal`);
then mismatched cells turn red and matched ones green. The first pass colours open mismatches red.

A blind item (密封编号) that is not locked yet shows the anonymous code only, rows in code order: no draw
number, name or unit, so nobody at the scoring table can tie a code to a person. Once locked, all show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from trainer import contest
from trainer.blind import code_text
from trainer.contest import Item
from trainer.contest_people import Competitor, code_key
from trainer.contest_values import show_plain
from trainer.scoring import Mismatch, ScoringContext, Slot

Index = QModelIndex | QPersistentModelIndex
RECUSED_BG = QBrush(QColor("#ececec"))
RECUSED_FG = QBrush(QColor("#9a9a9a"))
LOCKED_FG = QBrush(QColor("#555555"))
FLAG_BG = QBrush(QColor("#fde2c4"))
MISMATCH_BG = QBrush(QColor("#f6c1bb"))
MATCHED_BG = QBrush(QColor("#d4eed6"))
EDITOR_ERROR = "QLineEdit { background: #fdecea; border: 2px solid #c0392b; }"
EDITOR_OK = "QLineEdit { background: #ffffff; border: 2px solid #2f7bd1; }"
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CENTER = int(Qt.AlignmentFlag.AlignCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
FIRST_PASS, CHECK_PASS = "first", "check"
# Roles as plain ints: data() runs for every visible cell and role on each repaint of a 200-row grid.
DISPLAY, EDIT, ALIGN = (int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.EditRole),
                        int(Qt.ItemDataRole.TextAlignmentRole))
BACKGROUND, FOREGROUND, TOOLTIP = (int(Qt.ItemDataRole.BackgroundRole), int(Qt.ItemDataRole.ForegroundRole),
                                   int(Qt.ItemDataRole.ToolTipRole))
SHOWN_ROLES = frozenset({DISPLAY, EDIT, ALIGN, BACKGROUND, FOREGROUND, TOOLTIP})  # every other role is None
DRAW_COL, CODE_COL, NAME_COL, UNIT_COL = "抽签号", "密封编号", "姓名", "单位"


@dataclass
class DoubleEntry:
    """What the grid knows of the second pass: the mode typed in, the second clerk's values, the open
    mismatches, and whether the second pass may see them yet."""
    mode: str = FIRST_PASS
    checks: dict[Slot, int] = field(default_factory=dict)
    mismatches: dict[Slot, Mismatch] = field(default_factory=dict)
    reveal: bool = False

    @property
    def checking(self) -> bool:
        return self.mode == CHECK_PASS

    @property
    def colour(self) -> bool:
        """Mismatches may be coloured: always in the first pass, in the second only once revealed."""
        return not self.checking or self.reveal


def anonymous_rows(competitors: Sequence[Competitor], codes: dict[int, str]) -> list[Competitor]:
    """A blind item's rows in code order (draw-number order would tie codes to the public draw list)."""
    return sorted(competitors, key=lambda c: (code_key(codes.get(c.id, "")), c.id))


@dataclass(frozen=True)
class GridColumn:
    header: str
    judge_id: int | None
    criterion_id: int | None
    tip: str = ""


@dataclass(frozen=True)
class GridPage:
    """One way of laying out an item's slots: its value columns and a label for the chooser."""
    key: str
    label: str
    columns: tuple[GridColumn, ...]


def grid_pages(ctx: ScoringContext, item: Item) -> list[GridPage]:
    """The layouts an item offers: judges as columns; for 评分细则 one page per criterion (judges as columns)
    and one per judge (criteria as columns), so a judge's whole sheet can be typed in one go."""
    if not item.judged:
        unit = f"（{item.raw_unit}）" if item.converted and item.raw_unit else ""
        tip = "测得成绩，按换算表折算为分数" if item.converted else f"满分{show_plain(item.full_milli)}"
        return [GridPage("single", "单一成绩", (GridColumn(f"成绩{unit}", None, None, tip),))]
    judges = [ctx.panel.judge_by_id[j] for j in ctx.panel.assigned.get(item.id, [])]
    if item.method != contest.RUBRIC:
        columns = tuple(GridColumn(f"{j.code} {j.name}", j.id, None, f"评委{j.code} {j.name}（"
                                   f"{ctx.panel.judge_unit_text(j)}）") for j in judges)
        return [GridPage("judges", "全部评委", columns)]
    pages = []
    for c in item.criteria:
        most = show_plain(c.max_milli)
        pages.append(GridPage(f"crit:{c.id}", f"细则：{c.name}（满分{most}）", tuple(
            GridColumn(f"{j.code} {j.name}", j.id, c.id, f"评委{j.code}：{c.name}，满分{most}") for j in judges)))
    for j in judges:
        pages.append(GridPage(f"judge:{j.id}", f"评委{j.code} {j.name}：全部细则", tuple(
            GridColumn(f"{c.name}（{show_plain(c.max_milli)}）", j.id, c.id, f"评委{j.code}：{c.name}")
            for c in item.criteria)))
    return pages


class ScoreGridModel(QAbstractTableModel):
    """Read-only view of the stored values for one item and page; `values` is the tab's cache of the
    contest's stored values (slot → thousandths), updated by the tab after each save."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx: ScoringContext | None = None
        self.item: Item | None = None
        self.page: GridPage | None = None
        self.values: dict[Slot, int] = {}
        self._rows: list[Competitor] = []
        self._fixed: list[str] = []
        self._codes: dict[int, str] = {}
        self._deductions: dict[int, tuple[int, str]] = {}
        self._flags: dict[int, str] = {}
        self._blocked: dict[tuple[int, int], str] = {}  # (row, value column) → why nobody may type there
        self._recused: set[tuple[int, int]] = set()
        self._filled: list[int] | None = None  # [done, total] of filled(), counted once per load
        self.anonymous = False
        self.double = DoubleEntry()

    def load(self, ctx: ScoringContext | None, item: Item | None, page: GridPage | None, values: dict[Slot, int],
             codes: dict[int, str], deductions: dict[int, tuple[int, str]], flags: dict[int, str], *,
             rows: Sequence[Competitor] | None = None, anonymous: bool = False,
             double: DoubleEntry | None = None) -> None:
        """`rows`: the item's entrants in display order (default: every competitor by draw number);
        `anonymous`: a blind item not locked yet, shown by code only."""
        self.beginResetModel()
        self.ctx, self.item, self.page, self.values = ctx, item, page, values
        if ctx is None or page is None:
            self._rows = []
        else:
            self._rows = list(rows) if rows is not None else list(ctx.panel.competitors)
        self._codes, self._deductions, self._flags = codes, deductions, flags
        self.anonymous = anonymous
        self.double = double or DoubleEntry()
        if anonymous:
            self._fixed = [CODE_COL] if codes else [DRAW_COL]
        else:
            self._fixed = [DRAW_COL, *([CODE_COL] if codes else []), NAME_COL, UNIT_COL]
        self._blocked, self._recused, self._filled = {}, set(), None
        if ctx is not None and item is not None and page is not None:
            for r, comp in enumerate(self._rows):
                for c, col in enumerate(page.columns):
                    judge = ctx.panel.judge_by_id.get(col.judge_id or 0)
                    if judge is not None and ctx.panel.recused(judge, comp):
                        self._recused.add((r, c))
                    problem = ctx.slot_problem(Slot(item.id, comp.id, col.judge_id, col.criterion_id))
                    if problem is not None:
                        self._blocked[(r, c)] = problem[1]
                        if anonymous and (r, c) in self._recused and not item.locked and judge is not None:
                            # the service's text names the draw number and unit: say it without them
                            self._blocked[(r, c)] = f"回避：评委{judge.code}与该选手同属一个单位，不能为其评分"
        self.endResetModel()

    def set_flags(self, flags: dict[int, str]) -> None:
        """New spread flags: only the rows whose flag changed are repainted (a save changes one at most)."""
        old, self._flags = self._flags, flags
        if not self._rows:
            return
        changed = {cid for cid in old.keys() | flags.keys() if old.get(cid) != flags.get(cid)}
        rows = [r for r, comp in enumerate(self._rows) if comp.id in changed] if changed else []
        for r in rows:
            self.dataChanged.emit(self.index(r, 0), self.index(r, 0))

    def set_double(self, mismatches: dict[Slot, Mismatch] | None = None, reveal: bool | None = None) -> None:
        """New mismatches (after a save or a decision) or the second pass asked to compare."""
        if mismatches is not None:
            self.double.mismatches = mismatches
        if reveal is not None:
            self.double.reveal = reveal
        if self._rows and self.page is not None:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))

    def fixed_columns(self) -> list[str]:
        return list(self._fixed)

    def who(self, row: int) -> str:
        """The competitor as this grid may name them: the code alone on a blind item."""
        comp = self._rows[row]
        if self.anonymous:
            code = self._codes.get(comp.id)
            return code_text(code) if code else comp.label
        return f"{comp.label} {comp.name}"

    def row_of(self, competitor_id: int) -> int:
        return next((r for r, c in enumerate(self._rows) if c.id == competitor_id), -1)

    def column_of(self, slot: Slot) -> int:
        if self.page is None:
            return -1
        return next((self.first_value_column + i for i, col in enumerate(self.page.columns)
                     if (col.judge_id, col.criterion_id) == (slot.judge_id, slot.criterion_id)), -1)

    # ---- what is where -------------------------------------------------------------------------

    @property
    def first_value_column(self) -> int:
        return len(self._fixed)

    def value_columns(self) -> range:
        n = len(self.page.columns) if self.page else 0
        return range(self.first_value_column, self.first_value_column + n)

    def is_value(self, index: Index) -> bool:
        return index.isValid() and index.column() in self.value_columns()

    def competitor_at(self, row: int) -> Competitor:
        return self._rows[row]

    def slot_at(self, index: Index) -> Slot | None:
        if not self.is_value(index) or self.item is None or self.page is None:
            return None
        col = self.page.columns[index.column() - self.first_value_column]
        return Slot(self.item.id, self._rows[index.row()].id, col.judge_id, col.criterion_id)

    def blocked(self, index: Index) -> str | None:
        """Why nobody may enter a value here (locked, 回避 …), else None."""
        return self._blocked.get((index.row(), index.column() - self.first_value_column))

    def shown_values(self) -> dict[Slot, int]:
        """The values the grid shows and types into: the first entries, or in the second pass the checks."""
        return self.double.checks if self.double.checking else self.values

    def value_at(self, index: Index) -> int | None:
        slot = self.slot_at(index)
        return self.shown_values().get(slot) if slot is not None else None

    def mismatch_at(self, index: Index) -> Mismatch | None:
        slot = self.slot_at(index)
        return self.double.mismatches.get(slot) if slot is not None else None

    def stored(self, index: Index, milli: int | None) -> None:
        """The tab saved (or cleared) this cell."""
        slot = self.slot_at(index)
        if slot is None:
            return
        values = self.shown_values()
        had = slot in values
        if milli is None:
            values.pop(slot, None)
        else:
            values[slot] = milli
        if self._filled is not None and (index.row(), index.column() - self.first_value_column) not in self._recused:
            self._filled[0] += (milli is not None) - had
        self.dataChanged.emit(index, index)

    def filled(self) -> tuple[int, int]:
        """(values entered, cells that take one) on this page; recused cells take none."""
        if self.page is None or self.item is None:
            return 0, 0
        if self._filled is None:  # counted once, then kept by stored(): the tab asks after every Enter
            total = done = 0
            values = self.shown_values()
            for r, comp in enumerate(self._rows):
                for c, col in enumerate(self.page.columns):
                    if (r, c) not in self._recused:
                        total += 1
                        done += Slot(self.item.id, comp.id, col.judge_id, col.criterion_id) in values
            self._filled = [done, total]
        return self._filled[0], self._filled[1]

    # ---- Qt -------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.page is None:
            return 0
        return len(self._fixed) + len(self.page.columns) + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.page is None:
            return None
        n_fixed, n_values = len(self._fixed), len(self.page.columns)
        if role == Qt.ItemDataRole.DisplayRole:
            if section < n_fixed:
                team = self.item is not None and self.item.team
                team_headers = {DRAW_COL: "队号", NAME_COL: "队伍"} if team else {}
                return team_headers.get(self._fixed[section], self._fixed[section])
            if section < n_fixed + n_values:
                return self.page.columns[section - n_fixed].header
            return "扣分"
        if role == Qt.ItemDataRole.ToolTipRole:
            if n_fixed <= section < n_fixed + n_values:
                return self.page.columns[section - n_fixed].tip or None
            if section == n_fixed + n_values:
                return "本项目的扣分（在汇总后减去），原因见单元格提示"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if self.is_value(index) and self.blocked(index) is None:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        role = int(role)
        if role not in SHOWN_ROLES or self.page is None or not index.isValid():
            return None
        row, col = index.row(), index.column()
        comp = self._rows[row]
        n_fixed = len(self._fixed)
        if col < n_fixed:
            return self._fixed_data(comp, self._fixed[col], role)
        c = col - n_fixed
        if c >= len(self.page.columns):
            points = self._deductions.get(comp.id)
            if role == DISPLAY:
                return f"-{show_plain(points[0])}" if points else ""
            if role == TOOLTIP and points:
                return points[1]
            if role == ALIGN:
                return RIGHT
            return None
        recused = (row, c) in self._recused
        if role in (DISPLAY, EDIT):
            if recused:
                return "回避" if role == DISPLAY else ""
            value = self._value(comp, c)
            return show_plain(value) if value is not None else ""
        if role == ALIGN:
            return CENTER if recused else RIGHT
        if role == BACKGROUND:
            return RECUSED_BG if recused else self._double_background(index)
        blocked = self._blocked.get((row, c))
        if role == FOREGROUND:
            if recused:
                return RECUSED_FG
            if blocked is not None:
                return LOCKED_FG
            return None
        # TOOLTIP
        if blocked is not None:
            return blocked
        mismatch = self.mismatch_at(index) if self.double.colour else None
        if mismatch is not None:
            first = str(mismatch.first) if mismatch.first is not None else "未录入"
            return (f"两遍录入不一致：第一遍 {first}（{mismatch.first_by or '—'}），第二遍 {mismatch.second}"
                    f"（{mismatch.second_by}），待裁判长裁定")
        return None if self._value(comp, c) is not None else "未评分（与0分不同）"

    def _value(self, comp: Competitor, c: int) -> int | None:
        """The shown value of a row's competitor in value column `c` (counted from the first value column)."""
        assert self.item is not None and self.page is not None
        col = self.page.columns[c]
        return self.shown_values().get(Slot(self.item.id, comp.id, col.judge_id, col.criterion_id))

    def first_open(self, skip_blocked: bool) -> tuple[QModelIndex | None, QModelIndex | None]:
        """Down the value columns, column by column: (the first cell considered, the first one still to be
        scored that may be typed into). `skip_blocked`: blocked cells are not considered at all."""
        first: QModelIndex | None = None
        if self.page is None or self.item is None:
            return None, None
        values, item_id, n_fixed = self.shown_values(), self.item.id, len(self._fixed)
        for c, col in enumerate(self.page.columns):
            for r, comp in enumerate(self._rows):
                blocked = (r, c) in self._blocked
                if blocked and skip_blocked:
                    continue
                if first is None:
                    first = self.index(r, n_fixed + c)
                if not blocked and Slot(item_id, comp.id, col.judge_id, col.criterion_id) not in values:
                    return first, self.index(r, n_fixed + c)
        return first, None

    def _double_background(self, index: Index) -> QBrush | None:
        if not self.double.colour:
            return None
        slot = self.slot_at(index)
        if slot is None:
            return None
        if slot in self.double.mismatches:
            return MISMATCH_BG
        if self.double.checking and slot in self.double.checks:
            return MATCHED_BG
        return None

    def _fixed_data(self, comp: Competitor, name: str, role: int) -> Any:
        if role == DISPLAY:
            if name == DRAW_COL:
                return str(comp.number) if comp.number is not None else ""
            if name == CODE_COL:
                return self._codes.get(comp.id, "")
            if name == NAME_COL:
                return comp.name
            return self.ctx.panel.unit_name(comp.unit_id) if self.ctx else ""
        if role == ALIGN:
            return CENTER if name in (DRAW_COL, CODE_COL) else LEFT
        if name == self._fixed[0] and comp.id in self._flags:
            if role == BACKGROUND:
                return FLAG_BG
            if role == TOOLTIP:
                return self._flags[comp.id]
        return None


# ---- the view -----------------------------------------------------------------------------------

Submit = Callable[[QModelIndex, str], bool]
DOWN, UP, RIGHT_STEP, LEFT_STEP = "down", "up", "right", "left"
STEP_KEYS = {int(Qt.Key.Key_Return): DOWN, int(Qt.Key.Key_Enter): DOWN, int(Qt.Key.Key_Down): DOWN,
             int(Qt.Key.Key_Up): UP, int(Qt.Key.Key_Tab): RIGHT_STEP, int(Qt.Key.Key_Backtab): LEFT_STEP}


class ScoreDelegate(QStyledItemDelegate):
    """A plain line editor; Enter (or Tab, ↑, ↓) hands the text to the view, which saves or refuses it.
    Nothing is written on focus-out: a half-typed value must never be saved by a stray click."""

    def __init__(self, view: ScoreGridView) -> None:
        super().__init__(view)
        self.view = view

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        editor.setStyleSheet(EDITOR_OK)
        editor.textEdited.connect(lambda text, e=editor: self.view.editor_typed(e, text))
        self.view.active_editor = editor
        return editor

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        return  # saving is the view's submit (Enter): see the class docstring

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, QLineEdit) and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = STEP_KEYS.get(int(event.key()))
            if step is not None:
                self.view.submit_editor(watched, step)
                return True
        return super().eventFilter(watched, event)


class ScoreGridView(QTableView):
    """Keyboard entry: a printable key opens the cell's editor; Enter saves and moves down; Delete asks to
    clear a stored value. `on_submit(index, text)` (the tab) returns True once the value is settled."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.active_editor: QLineEdit | None = None
        self.on_submit: Submit = lambda _i, _t: False
        self.on_typed: Callable[[QModelIndex, str], str | None] = lambda _i, _t: None
        self.on_clear: Callable[[QModelIndex], None] = lambda _i: None
        self.on_refused_key: Callable[[QModelIndex], None] = lambda _i: None
        self.setItemDelegate(ScoreDelegate(self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)

    def grid(self) -> ScoreGridModel:
        model = self.model()
        assert isinstance(model, ScoreGridModel)
        return model

    # ---- editing ---------------------------------------------------------------------------------

    def editor_typed(self, editor: QLineEdit, text: str) -> None:
        """Refused as typed: the editor turns red while the text could not be saved."""
        problem = self.on_typed(self.currentIndex(), text)
        editor.setStyleSheet(EDITOR_ERROR if problem else EDITOR_OK)

    def submit_editor(self, editor: QLineEdit, step: str) -> None:
        index = self.currentIndex()
        if self.on_submit(index, editor.text()):
            self.close_editor()
            self.step(step, index)
        elif self.active_editor is editor:
            editor.setStyleSheet(EDITOR_ERROR)
            editor.selectAll()

    def close_editor(self) -> None:
        """Close the open editor without writing (before a question box, or after a save)."""
        editor, self.active_editor = self.active_editor, None
        if editor is not None and self.state() == QAbstractItemView.State.EditingState:
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self.setFocus()

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        if editor is self.active_editor:
            self.active_editor = None
        super().closeEditor(editor, hint)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = int(event.key())
        index = self.currentIndex()
        if self.state() != QAbstractItemView.State.EditingState and index.isValid():
            model = self.grid()
            if key in (int(Qt.Key.Key_Return), int(Qt.Key.Key_Enter)):
                self.step(DOWN, index)
                event.accept()
                return
            if key in (int(Qt.Key.Key_Delete), int(Qt.Key.Key_Backspace)) and model.is_value(index):
                self.on_clear(index)
                event.accept()
                return
            if event.text().strip() and model.is_value(index) and model.blocked(index) is not None:
                self.on_refused_key(index)  # a locked item or a recused cell: say why instead of nothing
                event.accept()
                return
        super().keyPressEvent(event)

    # ---- moving ----------------------------------------------------------------------------------

    def step(self, step: str, origin: QModelIndex | None = None) -> None:
        """Down the column to the next cell that may be scored (then the top of the next column), or across."""
        model = self.grid()
        index = origin if origin is not None and origin.isValid() else self.currentIndex()
        if not index.isValid():
            return
        rows, columns = model.rowCount(), list(model.value_columns())
        r, c = index.row(), index.column()
        if step in (RIGHT_STEP, LEFT_STEP):
            targets = [(r, c + (1 if step == RIGHT_STEP else -1))]
        elif step == UP:
            targets = [(x, c) for x in range(r - 1, -1, -1)]
        else:
            targets = [(x, c) for x in range(r + 1, rows)]
            targets += [(x, nc) for nc in columns if nc > c for x in range(rows)]
        for tr, tc in targets:
            target = model.index(tr, tc)
            if target.isValid() and model.is_value(target) and model.blocked(target) is None:
                self.go_to(target)
                return
        if step in (RIGHT_STEP, LEFT_STEP) and 0 <= targets[0][1] < model.columnCount():
            self.go_to(model.index(r, targets[0][1]))

    def go_to(self, index: QModelIndex) -> None:
        self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)
