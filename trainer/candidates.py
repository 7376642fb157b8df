"""Who still needs a class: the rule behind the one-click 添加尚需此培训的人员.

- 初任培训: officers 在岗 whose 初任培训 check (compliance.check_person) is not 合格;
- 任职培训: leaders 在岗 whose 任职培训 check is not 合格;
- any other type: the people 在岗 of the class's audience — the plan item's audience (categories, units,
  leaders only) when the class comes from a plan, else 协管人员 for 协管人员培训 and 执法人员 otherwise —
  who, on the class's first day, are not yet 合格 for 年度学时 or have no completed training that year
  (培训覆盖): regular training is how people make up their year, and those already through it can wait.

People already in the class are left out, and so are people waiting in another class of the same type
that has not ended yet: they are already on their way to it and must not be booked twice. Each person
comes with the reason they are offered (`Candidates.reasons`), for the list the officer picks from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlite_utils import Database

from trainer import compliance, people, plans, training, units
from trainer.people import Person
from trainer.plans import Audience
from trainer.rules import RuleSet
from trainer.training import TrainingClass

OFFICER, AUXILIARY = "执法人员", "协管人员"
# Types whose candidates come from a compliance check rather than from the audience.
CHECKED_TYPES = {compliance.INITIAL: compliance.INITIAL, compliance.APPOINTMENT: compliance.APPOINTMENT}
YEAR_CHECKS = (compliance.ANNUAL, compliance.COVERAGE)  # what regular training makes up, year by year


@dataclass(frozen=True)
class Candidates:
    people: list[Person]
    rule: str  # the rule in words, for the confirmation the officer reads
    elsewhere: int  # people who qualified but wait in another unfinished class of the same type
    reasons: dict[int, str] = field(default_factory=dict)  # person id → why they are offered


def audience_of(db: Database, c: TrainingClass) -> Audience:
    """The plan item's audience when the class was made from one, else the default for its type."""
    if c.plan_item_id is not None:
        row = db.execute("SELECT plan_id FROM plan_items WHERE id = ?", [c.plan_item_id]).fetchone()
        if row:
            for item in plans.items(db, row[0]):
                if item.id == c.plan_item_id:
                    return item.audience
    return Audience(categories=(AUXILIARY,) if c.type == "协管人员培训" else (OFFICER,))


def _waiting_elsewhere(db: Database, c: TrainingClass) -> set[int]:
    rows = db.execute(
        "SELECT e.person_id FROM enrolments e JOIN classes k ON k.id = e.class_id"
        " WHERE k.type = ? AND k.status != '已结束' AND k.id != ?", [c.type, c.id or 0])
    return {r[0] for r in rows}


def describe(db: Database, c: TrainingClass) -> str:
    if c.type == compliance.INITIAL:
        return "在岗执法人员中初任培训未合格的人员"
    if c.type == compliance.APPOINTMENT:
        return "在岗队伍负责人中任职培训未合格的人员"
    names = {u.id: u.name for u in units.all_units(db)}
    return (f"在岗的{audience_of(db, c).describe(names)}中，截至开班日（{c.start_date.isoformat()}）"
            f"{c.start_date.year}年度学时未达标或当年尚无完成的培训的人员")


def find(db: Database, c: TrainingClass, rules: RuleSet, as_of: dt.date) -> Candidates:
    """Everyone who still needs this class, in unit order then ID number: for 初任/任职培训 on `as_of`, for
    the other types on the class's first day (what they have done by then counts toward its year)."""
    enrolled = set(training.enrolled_ids(db, c.id)) if c.id is not None else set()
    tree = units.all_units(db)
    order = {u.id: i for i, u in enumerate(tree)}
    pool = [p for p in people.all_people(db) if p.post_status == "在岗" and p.id not in enrolled]
    check = CHECKED_TYPES.get(c.type)
    if check is not None:
        pool = [p for p in pool if (p.category == OFFICER if check == compliance.INITIAL else p.is_leader)]
        reasons = _behind(db, pool, rules, as_of, (check,))
    else:
        audience = audience_of(db, c)
        scope: set[int] | None = None
        if audience.unit_ids:
            scope = set().union(*(units.descendants(tree, u) for u in audience.unit_ids))
        pool = [p for p in pool if (not audience.categories or p.category in audience.categories)
                and (scope is None or p.unit_id in scope) and (p.is_leader or not audience.leaders_only)]
        reasons = _behind(db, pool, rules, c.start_date, YEAR_CHECKS)
    pool = [p for p in pool if int(p.id or 0) in reasons]
    waiting = _waiting_elsewhere(db, c)
    chosen = [p for p in pool if p.id not in waiting]
    chosen.sort(key=lambda p: (order.get(p.unit_id, 1 << 30), p.id_number))
    return Candidates(chosen, describe(db, c), len(pool) - len(chosen),
                      {int(p.id or 0): reasons[int(p.id or 0)] for p in chosen})


def _behind(db: Database, pool: list[Person], rules: RuleSet, as_of: dt.date, checks: tuple[str, ...]
            ) -> dict[int, str]:
    """person id → why, for the people of `pool` not 合格 on `as_of` in any of `checks` (one table for all:
    thousands of people are checked at once)."""
    if not pool:
        return {}
    table = compliance.table(db, rules, as_of, person_ids=[int(p.id or 0) for p in pool], register=pool)
    codes = [compliance.CHECKS.index(name) for name in checks]
    rows = [i for i, (check, status) in enumerate(zip(table.check.tolist(), table.status.tolist(), strict=True))
            if check in codes and status != compliance.STATUS_CODES.index(compliance.OK)]
    found: dict[int, dict[str, str]] = {}
    for r in table.results(rows):
        found.setdefault(r.person_id, {})[r.check] = r.note if r.check == compliance.COVERAGE \
            else f"{r.check}{r.status}：{r.note}"
    # no training at all says it all; the hours are short otherwise
    return {pid: why.get(compliance.COVERAGE) or next(iter(why.values())) for pid, why in found.items()}
