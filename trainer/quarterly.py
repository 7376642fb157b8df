"""The quarterly report (季度通报): per county-level unit, the people on the register, who trained this quarter,
cumulative coverage, 学时 in total and per capita, who is overdue on each check, and the cards that have
expired or expire soon — as of the quarter's last day (or today, while the quarter runs).

All figures count the people the checks apply to (在岗). Percentages and per-capita hours are Decimal,
rounded half-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlite_utils import Database

from trainer import compliance, records, units
from trainer.amounts import half_up
from trainer.compliance import ANNUAL, APPOINTMENT, CARD, COVERAGE, EXPIRING, FAILED, INITIAL, OK, OVERDUE
from trainer.gc_pause import gc_paused
from trainer.records import TrainingRecord
from trainer.rules import RuleSet
from trainer.unit_groups import county_groups, group_of

QUARTER_NAMES = ("一", "二", "三", "四")
OVERDUE_CHECKS = (INITIAL, APPOINTMENT, ANNUAL, COVERAGE)


def quarter_dates(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("季度应为1至4")
    first = dt.date(year, 3 * quarter - 2, 1)
    last = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, last - dt.timedelta(days=1)


def report_title(year: int, quarter: int) -> str:
    return f"{year}年第{QUARTER_NAMES[quarter - 1]}季度教育培训工作通报"


@dataclass(frozen=True)
class UnitFigures:
    label: str
    on_register: int  # in post
    trained: int  # with a completed training that ended in the quarter
    covered: int  # with a completed training this year by the as-of date (培训覆盖 合格)
    hours: Decimal  # completed trainings that ended in the quarter
    overdue: tuple[int, ...]  # 逾期 per OVERDUE_CHECKS
    cards_failed: int  # 持证上岗 不合格: no card, or expired
    cards_expiring: int

    @property
    def coverage_percent(self) -> Decimal:
        return half_up(Decimal(self.covered) * 100 / self.on_register, 1) if self.on_register else Decimal(0)

    @property
    def hours_per_capita(self) -> Decimal:
        return half_up(self.hours / self.on_register) if self.on_register else Decimal(0)


@dataclass(frozen=True)
class QuarterlyReport:
    year: int
    quarter: int
    first: dt.date
    last: dt.date
    as_of: dt.date
    rules_label: str
    units: list[UnitFigures]
    total: UnitFigures

    @property
    def title(self) -> str:
        return report_title(self.year, self.quarter)


def _sum(label: str, rows: Sequence[UnitFigures]) -> UnitFigures:
    return UnitFigures(
        label, sum(r.on_register for r in rows), sum(r.trained for r in rows), sum(r.covered for r in rows),
        sum((r.hours for r in rows), Decimal(0)), tuple(sum(col) for col in zip(*(r.overdue for r in rows),
                                                                                 strict=True))
        if rows else (0,) * len(OVERDUE_CHECKS),
        sum(r.cards_failed for r in rows), sum(r.cards_expiring for r in rows))


def build(db: Database, rules: RuleSet, year: int, quarter: int, *, today: dt.date | None = None,
          recs: Mapping[int, Sequence[TrainingRecord]] | None = None) -> QuarterlyReport:
    with gc_paused():  # see trainer.gc_pause
        return _build(db, rules, year, quarter, today, recs)


def _build(db: Database, rules: RuleSet, year: int, quarter: int, today: dt.date | None,
           recs: Mapping[int, Sequence[TrainingRecord]] | None) -> QuarterlyReport:
    first, last = quarter_dates(year, quarter)
    as_of = min(last, today or dt.date.today())
    if as_of < first:
        raise ValueError(f"{year}年第{QUARTER_NAMES[quarter - 1]}季度尚未开始")
    if recs is None:
        recs = records.by_person(db, rules)
    results = compliance.evaluate(db, rules, as_of, recs=recs)
    tree = units.all_units(db)
    groups = county_groups(tree)
    where = group_of(groups)
    n = len(groups)
    on_register, trained, covered = [0] * n, [0] * n, [0] * n
    hours = [Decimal(0)] * n
    overdue = [[0] * len(OVERDUE_CHECKS) for _ in range(n)]
    failed, expiring = [0] * n, [0] * n
    column = {c: i for i, c in enumerate(OVERDUE_CHECKS)}
    for r in results:
        g = where.get(r.unit_id)
        if g is None:
            continue
        if r.check == COVERAGE:  # everyone in post has exactly one 培训覆盖 row
            on_register[g] += 1
            covered[g] += r.status == OK
            quarter_recs = [x for x in recs.get(r.person_id, ()) if x.completed and first <= x.end_date <= as_of]
            trained[g] += bool(quarter_recs)
            hours[g] += sum((x.hours for x in quarter_recs), Decimal(0))
        if r.status == OVERDUE and r.check in column:
            overdue[g][column[r.check]] += 1
        elif r.check == CARD:
            failed[g] += r.status == FAILED
            expiring[g] += r.status == EXPIRING
    rows = [UnitFigures(g.label, on_register[i], trained[i], covered[i], hours[i], tuple(overdue[i]), failed[i],
                        expiring[i]) for i, g in enumerate(groups)]
    return QuarterlyReport(year, quarter, first, last, as_of, rules.label(), rows, _sum("合计", rows))
