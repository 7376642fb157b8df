"""The people table: all rows in memory, filtered and sorted in plain Python over row indices.

A QSortFilterProxyModel would call filterAcceptsRow / data() through Python once per row per
keystroke; at 50,000 people that is far too slow. Instead the model precomputes a search key and
the filter attributes of every row once, keeps the current sort order of all rows, and holds the
list of visible row indices. Filtering is a few list comprehensions over that order; sorting uses
cached per-column keys. The view sees only the visible rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import compress
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCollator, QLocale, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from trainer.dates import iso
from trainer.people import CARD_WARNING_DAYS, Person
from trainer.units import Unit

Index = QModelIndex | QPersistentModelIndex

(COL_NAME, COL_GENDER, COL_ID_NUMBER, COL_UNIT, COL_CATEGORY, COL_POSITION, COL_LEADER, COL_HIRE_DATE,
 COL_CARD_NUMBER, COL_CARD_EXPIRY, COL_CARD_STATE, COL_POST_STATUS, COL_PHONE) = range(13)
HEADERS = ("姓名", "性别", "身份证号", "单位", "人员类别", "职务", "队伍负责人", "入职日期", "执法证号",
           "执法证有效期至", "证件状态", "岗位状态", "联系电话")

CARD_STATES = ("已过期", "即将到期", "无证", "有效")
# Most urgent first when sorting by 证件状态; auxiliaries ('') last.
_CARD_RANK = {"已过期": 0, "即将到期": 1, "无证": 2, "有效": 3, "": 4}
CARD_COLOURS = {
    "已过期": ("#b03a2e", "#fdecea"),
    "即将到期": ("#9a6700", "#fff4d6"),
    "无证": ("#b03a2e", "#f6f0f0"),
    "有效": ("#1e7b45", None),
}
ROLE_PERSON = int(Qt.ItemDataRole.UserRole) + 1
# data() runs for every painted cell and role: compare plain ints, not enum members.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_USED_ROLES = frozenset({_TOOLTIP, _FONT, _BACKGROUND, _FOREGROUND, ROLE_PERSON})


@dataclass(frozen=True)
class PeopleFilter:
    """What the people page shows. Empty / None parts do not filter.

    text: substring of the name or of the ID number (case-insensitive, so a typed x finds X).
    unit_ids: the selected unit and all units below it (trainer.units.descendants), None for all.
    category / post_status: one of the register's values, '' for all.
    card_state: '已过期', '即将到期' (within the warning window) or '无证', '' for all.
    """

    text: str = ""
    unit_ids: frozenset[int] | None = None
    category: str = ""
    post_status: str = ""
    card_state: str = ""

    def needle(self) -> str:
        return "".join(self.text.split()).upper()


@dataclass
class _SortState:
    column: int = -1
    order: Qt.SortOrder = Qt.SortOrder.AscendingOrder
    keys: dict[int, list[Any]] = field(default_factory=dict)  # column → key per row, built on demand


def _chinese_collator() -> QCollator:
    collator = QCollator(QLocale("zh_CN"))
    collator.setNumericMode(True)
    return collator


class PeopleTableModel(QAbstractTableModel):
    """Rows are trainer.people.Person; `visible_people()` is the filtered, sorted view for export."""

    def __init__(self, people: Sequence[Person] = (), units: Sequence[Unit] = (), today: dt.date | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._today = today or dt.date.today()
        self._filter = PeopleFilter()
        self._sort = _SortState()
        self.filter_time_ms = 0.0  # duration of the last set_filter, for the benchmark and the status line
        self._bold = QFont()
        self._bold.setBold(True)
        self._brushes: dict[tuple[str, int], QBrush] = {}
        for state, (fg, bg) in CARD_COLOURS.items():
            self._brushes[(state, _FOREGROUND)] = QBrush(QColor(fg))
            if bg:
                self._brushes[(state, _BACKGROUND)] = QBrush(QColor(bg))
        # rows passing the non-text filters, in display order, with copies of their search keys
        self._base_spec: tuple[object, ...] | None = None
        self._base: list[int] = []
        self._base_keys: list[str] = []
        self._load(people, units)

    # ---- loading ---------------------------------------------------------------------------------

    def set_people(self, people: Sequence[Person], units: Sequence[Unit], today: dt.date | None = None) -> None:
        """Replace every row (after an import or a unit rename); the filter and sort order are kept."""
        self.beginResetModel()
        if today:
            self._today = today
        self._load(people, units)
        self.endResetModel()

    def _load(self, people: Sequence[Person], units: Sequence[Unit]) -> None:
        self._people: list[Person] = list(people)
        self._unit_names = {u.id: u.name for u in units}
        self._unit_rank = {u.id: i for i, u in enumerate(units)}  # tree display order
        self._unit_of = [p.unit_id for p in self._people]
        self._category = [p.category for p in self._people]
        self._status = [p.post_status for p in self._people]
        self._card = [p.card_state(self._today, CARD_WARNING_DAYS) for p in self._people]
        self._key = [_search_key(p) for p in self._people]
        self._cells: dict[int, tuple[str, ...]] = {}  # display texts of rows already painted
        self._row_of_id = {p.id: i for i, p in enumerate(self._people) if p.id is not None}
        self._sort.keys.clear()
        # Default order: unit in tree order, then name by pinyin — how a bureau's roster is laid out.
        names = self._column_keys(COL_NAME)
        self._order = sorted(range(len(self._people)), key=lambda i: (self._unit_rank.get(self._unit_of[i], 1 << 30),
                                                                        names[i]))
        if self._sort.column >= 0:
            self._order = self._sorted(self._order, self._sort.column, self._sort.order)
        self._base_spec = None
        self._visible, self._visible_keys = self._apply(self._filter)

    # ---- filtering -------------------------------------------------------------------------------

    @property
    def current_filter(self) -> PeopleFilter:
        return self._filter

    def set_filter(self, flt: PeopleFilter) -> float:
        """Show the rows matching `flt` in the current sort order; returns the time taken in ms.

        Typing one more character narrows the previous result instead of scanning every row.
        Called directly by the benchmark (bench/); `filter_time_ms` keeps the last duration.
        """
        start = time.perf_counter()
        narrowing = self._filter.needle() in flt.needle()
        rows, keys = self._apply(flt, narrowing)
        self.beginResetModel()
        self._filter = flt
        self._visible, self._visible_keys = rows, keys
        self.endResetModel()
        self.filter_time_ms = (time.perf_counter() - start) * 1000
        return self.filter_time_ms

    def _apply(self, flt: PeopleFilter, narrowing: bool = False) -> tuple[list[int], list[str]]:
        """Visible rows for `flt` and their search keys. `narrowing`: the previous text is part of the new one.

        The search keys are copied into display order whenever the other filters or the order change,
        so each keystroke scans memory front to back: testing 50,000 keys in a random memory order
        (the sorted order) is several times slower because of cache misses.
        """
        spec = (flt.unit_ids, flt.category, flt.post_status, flt.card_state)
        if spec != self._base_spec:
            rows = self._order
            if flt.unit_ids is not None:
                unit_of, ids = self._unit_of, flt.unit_ids
                rows = [i for i in rows if unit_of[i] in ids]
            if flt.category:
                cat, want = self._category, flt.category
                rows = [i for i in rows if cat[i] == want]
            if flt.post_status:
                status, want = self._status, flt.post_status
                rows = [i for i in rows if status[i] == want]
            if flt.card_state:
                card, want = self._card, flt.card_state
                rows = [i for i in rows if card[i] == want]
            key = self._key
            self._base = list(rows)
            self._base_keys = [key[i] + "\x1f" for i in rows]  # new string objects, laid out in this order
            self._base_spec = spec
            narrowing = False
        rows, keys = (self._visible, self._visible_keys) if narrowing else (self._base, self._base_keys)
        needle = flt.needle()
        if not needle:
            return list(rows), keys
        mask = [needle in k for k in keys]
        return list(compress(rows, mask)), list(compress(keys, mask))

    # ---- sorting ---------------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort every row by `column` (stable, so the previous order breaks ties); keeps the filter."""
        if not 0 <= column < len(HEADERS):
            return
        self.layoutAboutToBeChanged.emit()
        # Keep the selection on the same people: remember rows by person, not by position.
        persistent = self.persistentIndexList()
        before = [(self._visible[ix.row()] if 0 <= ix.row() < len(self._visible) else -1, ix.column())
                  for ix in persistent]
        self._sort.column, self._sort.order = column, order
        self._order = self._sorted(self._order, column, order)
        self._base_spec = None
        self._visible, self._visible_keys = self._apply(self._filter)
        if persistent:
            position = {r: n for n, r in enumerate(self._visible)}
            self.changePersistentIndexList(
                persistent, [self.index(position[r], c) if r in position else QModelIndex() for r, c in before])
        self.layoutChanged.emit()

    def _sorted(self, rows: list[int], column: int, order: Qt.SortOrder) -> list[int]:
        keys = self._column_keys(column)
        return sorted(rows, key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)

    def _column_keys(self, column: int) -> list[Any]:
        cached = self._sort.keys.get(column)
        if cached is not None:
            return cached
        ps = self._people
        keys: list[Any]
        if column == COL_UNIT:
            keys = [self._unit_rank.get(u, 1 << 30) for u in self._unit_of]
        elif column == COL_CARD_STATE:
            keys = [_CARD_RANK.get(c, 9) for c in self._card]
        elif column in (COL_NAME, COL_POSITION):
            texts = [p.name if column == COL_NAME else p.position for p in ps]
            keys = _pinyin_keys(texts)
        elif column == COL_LEADER:
            keys = [(not p.is_leader, iso(p.leader_since)) for p in ps]
        else:
            keys = [self._text(p, column) for p in ps]
        self._sort.keys[column] = keys
        return keys

    @property
    def sort_column(self) -> int:
        return self._sort.column

    # ---- changes from the dialogs ----------------------------------------------------------------

    def upsert(self, person: Person) -> None:
        """Add or replace one saved person, then re-apply the filter and sort order."""
        row = self._row_of_id.get(person.id) if person.id is not None else None
        if row is None:
            row = len(self._people)
            self._people.append(person)
            self._unit_of.append(person.unit_id)
            self._category.append(person.category)
            self._status.append(person.post_status)
            self._card.append(person.card_state(self._today, CARD_WARNING_DAYS))
            self._key.append(_search_key(person))
            self._order.append(row)
            if person.id is not None:
                self._row_of_id[person.id] = row
        else:
            self._people[row] = person
            self._unit_of[row] = person.unit_id
            self._category[row] = person.category
            self._status[row] = person.post_status
            self._card[row] = person.card_state(self._today, CARD_WARNING_DAYS)
            self._key[row] = _search_key(person)
        self._cells.pop(row, None)
        self._sort.keys.clear()
        self.beginResetModel()
        if self._sort.column >= 0:
            self._order = self._sorted(self._order, self._sort.column, self._sort.order)
        self._base_spec = None
        self._visible, self._visible_keys = self._apply(self._filter)
        self.endResetModel()

    # ---- queries ---------------------------------------------------------------------------------

    def visible_people(self) -> list[Person]:
        """The rows on screen, in screen order (the filtered view an export writes)."""
        return [self._people[i] for i in self._visible]

    def visible_count(self) -> int:
        return len(self._visible)

    def total_count(self) -> int:
        return len(self._people)

    def person_at(self, row: int) -> Person:
        return self._people[self._visible[row]]

    def row_of(self, person_id: int) -> int:
        """Visible row of a person, -1 when filtered out or unknown."""
        target = self._row_of_id.get(person_id)
        if target is None:
            return -1
        try:
            return self._visible.index(target)
        except ValueError:
            return -1

    def unit_counts(self) -> Counter[int]:
        """People per unit (the unit itself, not its children), over all rows."""
        return Counter(self._unit_of)

    def card_state_of(self, person: Person) -> str:
        return person.card_state(self._today, CARD_WARNING_DAYS)

    def unit_name(self, unit_id: int) -> str:
        return self._unit_names.get(unit_id, "")

    # ---- Qt model interface ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
                return HEADERS[section]
            if orientation == Qt.Orientation.Vertical:
                return str(section + 1)
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # The fast path first: the delegate asks ~7 roles per painted cell, most of them unused.
        r = index.row()
        if r < 0:
            return None
        if role == _DISPLAY:
            row = self._visible[r]
            cells = self._cells.get(row)
            if cells is None:
                if len(self._cells) > 20_000:  # scrolling through everything must not grow without bound
                    self._cells.clear()
                cells = self._cells[row] = self._row_texts(row)
            return cells[index.column()]
        if role not in _USED_ROLES:
            return None
        row, column = self._visible[r], index.column()
        if column == COL_CARD_STATE:
            if role in (_FOREGROUND, _BACKGROUND):
                return self._brushes.get((self._card[row], role))
            if role == _FONT and self._card[row] == "已过期":
                return self._bold
        elif role == _TOOLTIP and column == COL_LEADER and self._people[row].is_leader:
            return f"任职日期：{iso(self._people[row].leader_since)}"
        if role == ROLE_PERSON:
            return self._people[row]
        return None

    def _row_texts(self, row: int) -> tuple[str, ...]:
        p = self._people[row]
        return tuple(self._text(p, column, self._card[row]) for column in range(len(HEADERS)))

    def _text(self, p: Person, column: int, card: str | None = None) -> str:
        getter = _TEXT.get(column)
        if getter is not None:
            return getter(p)
        if column == COL_UNIT:
            return self._unit_names.get(p.unit_id, "")
        if column == COL_CARD_STATE:
            return card if card is not None else p.card_state(self._today, CARD_WARNING_DAYS)
        return ""


_TEXT: dict[int, Callable[[Person], str]] = {
    COL_NAME: lambda p: p.name,
    COL_GENDER: lambda p: p.gender,
    COL_ID_NUMBER: lambda p: p.id_number,
    COL_CATEGORY: lambda p: p.category,
    COL_POSITION: lambda p: p.position,
    COL_LEADER: lambda p: "是" if p.is_leader else "",  # blank for 否: leaders stand out
    COL_HIRE_DATE: lambda p: iso(p.hire_date),
    COL_CARD_NUMBER: lambda p: p.card_number,
    COL_CARD_EXPIRY: lambda p: iso(p.card_expiry),
    COL_POST_STATUS: lambda p: p.post_status,
    COL_PHONE: lambda p: p.phone,
}


def _search_key(p: Person) -> str:
    # The unit separator cannot be typed, so a match never spans name and ID number.
    return f"{p.name}\x1f{p.id_number}".upper()


def _pinyin_keys(texts: Iterable[str]) -> list[tuple[int, ...]]:
    """Sort keys in Chinese (pinyin) order, as Excel sorts names.

    Ranking the few hundred distinct characters once with QCollator and comparing tuples of ranks
    is far faster than 50,000 collator sort keys or cmp-based sorting through Qt.
    """
    texts = list(texts)
    distinct = set(texts)
    chars = {ch for t in distinct for ch in t}
    ranked = sorted(chars, key=functools.cmp_to_key(_chinese_collator().compare))
    rank = {ch: n for n, ch in enumerate(ranked)}
    keys = {t: tuple(rank[ch] for ch in t) for t in distinct}
    return [keys[t] for t in texts]
