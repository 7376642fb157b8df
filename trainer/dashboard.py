"""The 首页 figures for a year and an as-of date: the coverage matrix (units × checks), 学时 by month,
coverage by county-level unit, who is overdue and whose card is missing, expired or expires soon — with
the people behind every number.

Everything is counted from `compliance.table` (the columns `compliance.evaluate` builds its rows from: the one
place each rule lives) and the training records it was given; figures are about the people the checks apply
to (在岗). With 50,000 people and a million attendance marks the figures are ready in well under a second:
they are counted over numpy columns, and the rows behind them are built only when someone asks.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlite_utils import Database

from trainer import compliance, enrolment_hours, records, units
from trainer.amounts import half_up
from trainer.checks import AMBER as AMBER  # here before; the window's colours need them without the rest
from trainer.checks import GREEN as GREEN
from trainer.checks import RED as RED
from trainer.checks import SEVERITY as SEVERITY
from trainer.compliance import (
    CARD,
    CHECKS,
    COVERAGE,
    EXPIRING,
    FAILED,
    OK,
    OVERDUE,
    PENDING,
    STATUS_CODES,
    CheckResult,
    CheckTable,
    Staff,
)
from trainer.dates import default_as_of as default_as_of  # here before; the window needs it without the rest
from trainer.gc_pause import gc_paused
from trainer.record_cache import RecordCache
from trainer.records import TrainingRecord
from trainer.rules import RuleSet
from trainer.unit_groups import UnitGroup, county_groups

STATUSES = (OK, EXPIRING, PENDING, OVERDUE, FAILED)  # the order a cell lists them in
TOTAL_LABEL = "全市合计"


@dataclass(frozen=True)
class Cell:
    """How many people of a row have each status for one check."""

    counts: tuple[tuple[str, int], ...]  # (status, count) in STATUSES order, zero counts left out

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    def count(self, status: str) -> int:
        return dict(self.counts).get(status, 0)

    @property
    def colour(self) -> str:
        """red when anyone is 逾期/不合格, amber when anyone is 未完成/即将到期, green when all 合格, '' when empty."""
        found = {SEVERITY[s] for s, _ in self.counts}
        return next((c for c in (RED, AMBER, GREEN) if c in found), "")

    @property
    def text(self) -> str:
        return " / ".join(f"{s} {n}" for s, n in self.counts)


@dataclass(frozen=True)
class MatrixRow:
    label: str
    kind: str  # 市局 / 科室 / 县级 (rolled up with its streets) / 本级 / 街道 / 合计
    unit_ids: frozenset[int]
    cells: dict[str, Cell]
    people: int  # in post: everyone has a 培训覆盖 row
    parent: int | None = None  # index of the county row a 本级/街道 row belongs to
    children: tuple[int, ...] = ()  # indexes of a county's 本级 and street rows

    @property
    def expandable(self) -> bool:
        return bool(self.children)


@dataclass(frozen=True)
class GroupCoverage:
    label: str
    unit_ids: frozenset[int]
    people: int
    covered: int

    @property
    def percent(self) -> Decimal:
        return half_up(Decimal(self.covered) * 100 / self.people, 1) if self.people else Decimal(0)


class _Details:
    """The rows behind the figures, built from the columns they were counted from: a drill-down builds only
    the rows it shows; the whole lists are built on first use (once; safe from any thread)."""

    def __init__(self, table: CheckTable, month_index: list[list[int]]) -> None:
        self.table, self.month_index = table, month_index
        self._lock = threading.Lock()
        self._results: list[CheckResult] | None = None
        self._months: dict[int, list[TrainingRecord]] = {}
        self._people: dict[int, tuple[str, str, str]] | None = None

    def results(self) -> list[CheckResult]:
        with self._lock:
            if self._results is None:
                with gc_paused():
                    self._results = self.table.results()
            return self._results

    def behind(self, unit_ids: frozenset[int] | None, check: str | None, statuses: frozenset[str] | None
               ) -> list[CheckResult]:
        import numpy as np

        t = self.table
        keep = np.ones(len(t), dtype=bool)
        if unit_ids is not None:
            keep &= np.isin(t.staff.unit[t.row], np.fromiter(unit_ids, dtype=np.int64, count=len(unit_ids)))
        if check is not None:
            keep &= t.check == (CHECKS.index(check) if check in CHECKS else -1)
        if statuses is not None:
            codes = [STATUS_CODES.index(s) for s in statuses if s in STATUS_CODES]
            keep &= np.isin(t.status, np.array(codes, dtype=np.int64))
        return t.results(np.flatnonzero(keep).tolist())

    def month(self, index: int) -> list[TrainingRecord]:
        with self._lock:
            found = self._months.get(index)
            if found is None:
                with gc_paused():
                    found = self._months[index] = [self.table.recs.record(i) for i in self.month_index[index]]
            return found

    def people(self) -> dict[int, tuple[str, str, str]]:
        with self._lock:
            if self._people is None:
                s = self.table.staff
                self._people = {s.ids[i]: (s.names[i], s.id_numbers[i], s.unit_names[i]) for i in range(s.n)}
            return self._people


@dataclass
class Dashboard:
    year: int
    as_of: dt.date
    rules_label: str
    rows: list[MatrixRow]
    hours_by_month: list[Decimal]  # 12 months
    coverage: list[GroupCoverage]
    overdue: list[CheckResult]
    cards: list[CheckResult]  # 持证上岗 not 合格: no card or expired (不合格) first, then 即将到期 (`card_order`)
    details: _Details = field(repr=False, compare=False)

    @property
    def expiring(self) -> list[CheckResult]:
        """The cards that are still valid but expire within the warning window."""
        return [r for r in self.cards if r.status == EXPIRING]

    @property
    def results(self) -> list[CheckResult]:
        """Every check row, in evaluate's order (unit, ID number, check)."""
        return self.details.results()

    @property
    def month_records(self) -> list[list[TrainingRecord]]:
        """Per month, the completed records that ended in it, by end date and person."""
        return [self.details.month(m) for m in range(12)]

    def records_of_month(self, month: int) -> list[TrainingRecord]:
        """month_records[month - 1], building only that month's records."""
        return self.details.month(month - 1)

    @property
    def people(self) -> dict[int, tuple[str, str, str]]:
        """person id → name, ID number, unit, for everyone the checks cover."""
        return self.details.people()

    def people_behind(self, unit_ids: Iterable[int] | None, check: str | None = None,
                      statuses: Iterable[str] | None = None) -> list[CheckResult]:
        """The check rows behind a number, in evaluate's order (unit, ID number, check)."""
        return self.details.behind(frozenset(unit_ids) if unit_ids is not None else None, check,
                                   frozenset(statuses) if statuses is not None else None)

    def row_people(self, row: MatrixRow, check: str, status: str | None = None) -> list[CheckResult]:
        return self.people_behind(row.unit_ids, check, None if status is None else (status,))

    @property
    def total_hours(self) -> Decimal:
        return sum(self.hours_by_month, Decimal(0))


NO_CARD, CARD_EXPIRED = "无执法证", "已过期"
CARD_STATES = (NO_CARD, CARD_EXPIRED, EXPIRING)  # most urgent first


def card_state(r: CheckResult) -> str:
    """What is wrong with a 持证上岗 row of `Dashboard.cards`: 无执法证, 已过期 or 即将到期."""
    if r.status == EXPIRING:
        return EXPIRING
    return CARD_EXPIRED if r.due else NO_CARD


def card_order(r: CheckResult) -> tuple[int, int, str]:
    """Most urgent first: no card, then expired longest ago, then expiring soonest."""
    return (CARD_STATES.index(card_state(r)), r.due.toordinal() if r.due else 0, r.id_number)


def _matrix(tree: Sequence[units.Unit], tally: Counter[tuple[int, str, str]]) -> list[MatrixRow]:
    """The city total first; 市局 and its departments one row each; each county rolled up, with its 本级
    and street rows after it."""
    def row(label: str, kind: str, ids: Iterable[int], parent: int | None = None) -> MatrixRow:
        scope = frozenset(ids)
        cells = {}
        for check in CHECKS:
            counts = tuple((s, n) for s in STATUSES if (n := sum(tally.get((u, check, s), 0) for u in scope)))
            cells[check] = Cell(counts)
        return MatrixRow(label, kind, scope, cells, cells[COVERAGE].total, parent)

    rows: list[MatrixRow] = [row(TOTAL_LABEL, "合计", [u.id for u in tree])]
    for u in tree:
        if u.level == "市局":
            rows.append(row(f"{u.name}（本级）", "市局", [u.id]))
        elif u.level == "科室":
            rows.append(row(u.name, "科室", [u.id]))
        elif u.level == "县级":
            below = [s for s in tree if s.parent_id == u.id]
            head = len(rows)
            rows.append(row(u.name, "县级", units.descendants(tree, u.id)))
            rows.append(row(f"{u.name}本级", "本级", [u.id], head))
            for s in below:
                rows.append(row(s.name, "街道", units.descendants(tree, s.id), head))
            rows[head] = replace(rows[head], children=tuple(range(head + 1, len(rows))))
    return rows


def _coverage(groups: Sequence[UnitGroup], tally: Counter[tuple[int, str, str]]) -> list[GroupCoverage]:
    out = []
    for g in groups:
        people = sum(tally.get((u, COVERAGE, s), 0) for u in g.unit_ids for s in STATUSES)
        covered = sum(tally.get((u, COVERAGE, OK), 0) for u in g.unit_ids)
        out.append(GroupCoverage(g.label, g.unit_ids, people, covered))
    return out


def load(db: Database, rules: RuleSet, year: int, as_of: dt.date | None = None, *,
         cache: RecordCache | None = None, today: dt.date | None = None,
         step: Callable[[str], None] | None = None) -> Dashboard:
    """The dashboard for `year` as of `as_of` (default: today, kept within the year).

    cache: reuse everyone's records, and the figures themselves, while the database is unchanged (the page
    keeps one). step: called with a short Chinese description before each slow step (for a progress line).

    The figures are counted from `compliance.table` (the columns `evaluate` builds its rows from); the rows
    behind them (`results`, `month_records`, `people`) are built on first use."""
    as_of = as_of or default_as_of(year, today or dt.date.today())
    if as_of.year != year:
        raise ValueError("截至日期应在所选年度之内")
    kept = cache.figures_key(db, rules, as_of) if cache is not None else None
    if cache is not None:
        found = cache.figures(kept)
        if isinstance(found, Dashboard):
            return found
    with gc_paused():
        say = step or (lambda _text: None)
        say("正在读取培训记录…")
        # The attendance marks are most of the reading: they are read on a thread of their own meanwhile.
        marks = None
        if cache is None or not cache.has_columns(db, rules):
            marks = enrolment_hours.prefetch(db, enrolment_hours.Scope(finished_only=True))
        staff = cache.staff(db) if cache is not None else Staff.everyone(db)
        if cache is not None:
            recs = cache.columns(db, rules, marks)
        else:
            assert marks is not None
            recs = records.columns_with(db, rules, marks)
        say("正在检查合规情况…")
        table = compliance.table(db, rules, as_of, recs=recs, register=staff)
        staff = table.staff
        tree = units.all_units(db)
        import numpy as np  # here, not first: the reading (in SQLite, off the interpreter) starts meanwhile

        # (unit, check, status) → people, counted over the columns
        keys = (staff.unit[table.row] * len(CHECKS) + table.check) * len(STATUS_CODES) + table.status
        found_keys, counts = np.unique(keys, return_counts=True)
        tally: Counter[tuple[int, str, str]] = Counter()
        for code, n in zip(found_keys.tolist(), counts.tolist(), strict=True):
            unit, rest = divmod(code, len(CHECKS) * len(STATUS_CODES))
            check, status = divmod(rest, len(STATUS_CODES))
            tally[(unit, CHECKS[check], STATUS_CODES[status])] = n

        # Hours by the month a completed record ended, for the people the checks cover (everyone 在岗).
        month_starts = np.array([dt.date(year, m, 1).toordinal() for m in range(1, 13)], dtype=np.int64)
        r = table.recs
        mine = np.flatnonzero(r.completed & (table.rec_row >= 0) & (r.end >= month_starts[0])
                              & (r.end <= as_of.toordinal()))
        # by end date and person; one person's records of a day in their listed order
        mine = mine[np.lexsort((r.order[mine], r.person[mine], r.end[mine]))]
        month = np.searchsorted(month_starts, r.end[mine], side="right") - 1
        sums = np.rint(np.bincount(month, weights=r.hours_x100[mine].astype(np.float64), minlength=12)).astype(np.int64)
        filled = np.bincount(month, minlength=12)
        # what summing the records' Decimals gives: hundredths once any record is in the month
        hours = [Decimal(int(v)).scaleb(-2) if k else Decimal(0) for v, k in zip(sums.tolist(), filled.tolist(),
                                                                                     strict=True)]
        month_index = [mine[month == m].tolist() for m in range(12)]

        late = np.flatnonzero(table.status == STATUS_CODES.index(OVERDUE)).tolist()
        card_rows = np.flatnonzero((table.check == CHECKS.index(CARD)) & np.isin(
            table.status, np.array([STATUS_CODES.index(FAILED), STATUS_CODES.index(EXPIRING)], dtype=np.int64)))
        listed = table.results(late + card_rows.tolist())  # one call: each reads every row's columns once
        overdue, cards = listed[:len(late)], sorted(listed[len(late):], key=card_order)
        d = Dashboard(year, as_of, rules.label(), _matrix(tree, tally), hours, _coverage(county_groups(tree), tally),
                      overdue, cards, _Details(table, month_index))
    if cache is not None:
        cache.keep_figures(kept, d)
    return d
