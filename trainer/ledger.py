"""培训台账: for one year, per person — unit, name, ID number, category, every completed training with its
dates, days and 学时, the year's totals, and the compliance status of each check at the year's end (as of
today while the year runs). Grouped by county-level unit, as inspections ask for it.

Everyone 在岗 is listed, trained or not; anyone else only with a completed training that year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlite_utils import Database

from trainer import compliance, people, records, units
from trainer.dashboard import default_as_of
from trainer.gc_pause import gc_paused
from trainer.people import Person
from trainer.records import TrainingRecord
from trainer.rules import RuleSet
from trainer.unit_groups import county_groups, group_of


@dataclass(frozen=True)
class LedgerPerson:
    unit: str
    person: Person
    trainings: tuple[TrainingRecord, ...]  # completed, ended within the year by the as-of date
    days: Decimal
    hours: Decimal
    statuses: dict[str, str]  # check → status, for the checks that apply

    def status(self, check: str) -> str:
        return self.statuses.get(check, "")


@dataclass(frozen=True)
class LedgerSheet:
    label: str  # the county-level unit
    people: list[LedgerPerson]


@dataclass(frozen=True)
class Ledger:
    year: int
    as_of: dt.date
    rules_label: str
    sheets: list[LedgerSheet]

    @property
    def people(self) -> list[LedgerPerson]:
        return [p for s in self.sheets for p in s.people]


def build(db: Database, rules: RuleSet, year: int, as_of: dt.date | None = None, *,
          recs: Mapping[int, Sequence[TrainingRecord]] | None = None, today: dt.date | None = None) -> Ledger:
    with gc_paused():  # 50,000 people's rows: see trainer.gc_pause
        return _build(db, rules, year, as_of, recs, today)


def _build(db: Database, rules: RuleSet, year: int, as_of: dt.date | None,
           recs: Mapping[int, Sequence[TrainingRecord]] | None, today: dt.date | None) -> Ledger:
    as_of = as_of or default_as_of(year, today or dt.date.today())
    if recs is None:
        recs = records.by_person(db, rules)
    results = compliance.evaluate(db, rules, as_of, recs=recs)
    statuses: dict[int, dict[str, str]] = {}
    for r in results:
        statuses.setdefault(r.person_id, {})[r.check] = r.status
    tree = units.all_units(db)
    order = {u.id: i for i, u in enumerate(tree)}
    names = {u.id: u.name for u in tree}
    groups = county_groups(tree)
    where = group_of(groups)
    start = dt.date(year, 1, 1)

    sheets: list[list[LedgerPerson]] = [[] for _ in groups]
    register = sorted(people.all_people(db), key=lambda p: (order.get(p.unit_id, 1 << 30), p.id_number))
    for p in register:
        pid = int(p.id or 0)
        done = tuple(r for r in recs.get(pid, ()) if r.completed and start <= r.end_date <= as_of)
        if pid not in statuses and not done:
            continue
        g = where.get(p.unit_id)
        if g is None:
            continue
        sheets[g].append(LedgerPerson(names.get(p.unit_id, ""), p, done, sum((r.days for r in done), Decimal(0)),
                                      sum((r.hours for r in done), Decimal(0)), statuses.get(pid, {})))
    return Ledger(year, as_of, rules.label(), [LedgerSheet(g.label, rows) for g, rows in zip(groups, sheets,
                                                                                            strict=True)])
