"""The 首页 figures for a year and an as-of date: the coverage matrix (units × checks), 学时 by month,
coverage by county-level unit, who is overdue and whose card expires soon — with the people behind
every number.

Everything is counted from `compliance.evaluate` (the one place each rule lives) and the training records
it was given; figures are about the people the checks apply to (在岗).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlite_utils import Database

from trainer import compliance, records, units
from trainer.amounts import half_up
from trainer.compliance import CARD, CHECKS, COVERAGE, EXPIRING, FAILED, OK, OVERDUE, PENDING, CheckResult
from trainer.gc_pause import gc_paused
from trainer.record_cache import RecordCache, Records
from trainer.records import TrainingRecord
from trainer.rules import RuleSet
from trainer.unit_groups import UnitGroup, county_groups

STATUSES = (OK, EXPIRING, PENDING, OVERDUE, FAILED)  # the order a cell lists them in
RED, AMBER, GREEN = "red", "amber", "green"
SEVERITY = {OVERDUE: RED, FAILED: RED, PENDING: AMBER, EXPIRING: AMBER, OK: GREEN}
TOTAL_LABEL = "全市合计"


def default_as_of(year: int, today: dt.date) -> dt.date:
    """Today within the current year; the last day of a past year; the first day of a future one."""
    return min(max(today, dt.date(year, 1, 1)), dt.date(year, 12, 31))


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


@dataclass
class Dashboard:
    year: int
    as_of: dt.date
    rules_label: str
    results: list[CheckResult]
    rows: list[MatrixRow]
    hours_by_month: list[Decimal]  # 12 months
    coverage: list[GroupCoverage]
    overdue: list[CheckResult]
    expiring: list[CheckResult]
    month_records: list[list[TrainingRecord]] = field(default_factory=list)  # per month, completed, by end date
    people: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # person id → name, ID number, unit

    def people_behind(self, unit_ids: Iterable[int] | None, check: str | None = None,
                      statuses: Iterable[str] | None = None) -> list[CheckResult]:
        """The check rows behind a number, in evaluate's order (unit, ID number, check)."""
        scope = frozenset(unit_ids) if unit_ids is not None else None
        wanted = frozenset(statuses) if statuses is not None else None
        return [r for r in self.results
                if (scope is None or r.unit_id in scope) and (check is None or r.check == check)
                and (wanted is None or r.status in wanted)]

    def row_people(self, row: MatrixRow, check: str, status: str | None = None) -> list[CheckResult]:
        return self.people_behind(row.unit_ids, check, None if status is None else (status,))

    @property
    def total_hours(self) -> Decimal:
        return sum(self.hours_by_month, Decimal(0))


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

    cache: reuse everyone's records while the database is unchanged (the page keeps one).
    step: called with a short Chinese description before each slow step (for a progress line)."""
    with gc_paused():  # a few hundred thousand objects: see trainer.gc_pause
        say = step or (lambda _text: None)
        as_of = as_of or default_as_of(year, today or dt.date.today())
        if as_of.year != year:
            raise ValueError("截至日期应在所选年度之内")
        say("正在读取培训记录…")
        recs: Records = cache.get(db, rules) if cache is not None else records.by_person(db, rules)
        say("正在检查合规情况…")
        register = cache.register(db) if cache is not None else None
        results = compliance.evaluate(db, rules, as_of, recs=recs, register=register)
        tree = units.all_units(db)
        names = {u.id: u.name for u in tree}
        tally = Counter((r.unit_id, r.check, r.status) for r in results)

        # Hours by the month a completed record ended, for the people the checks cover (those with a 培训覆盖 row).
        people = {r.person_id: (r.name, r.id_number, names.get(r.unit_id, "")) for r in results if r.check == COVERAGE}
        months: list[list[TrainingRecord]] = [[] for _ in range(12)]
        start = dt.date(year, 1, 1)
        for pid in people:
            for rec in recs.get(pid, ()):
                if rec.completed and start <= rec.end_date <= as_of:
                    months[rec.end_date.month - 1].append(rec)
        for month in months:
            month.sort(key=lambda r: (r.end_date, r.person_id))
        hours = [sum((r.hours for r in m), Decimal(0)) for m in months]

        overdue = [r for r in results if r.status == OVERDUE]
        expiring = sorted((r for r in results if r.check == CARD and r.status == EXPIRING),
                          key=lambda r: (r.due or as_of, r.id_number))
        return Dashboard(year, as_of, rules.label(), results, _matrix(tree, tally), hours,
                         _coverage(county_groups(tree), tally), overdue, expiring, months, people)
