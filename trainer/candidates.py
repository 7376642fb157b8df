"""Who still needs a class: the rule behind the one-click 添加尚需此培训的人员.

- 初任培训: officers 在岗 whose 初任培训 check (compliance.check_person) is not 合格;
- 任职培训: leaders 在岗 whose 任职培训 check is not 合格;
- any other type: everyone 在岗 of the class's audience — the plan item's audience (categories, units,
  leaders only) when the class comes from a plan, else 协管人员 for 协管人员培训 and 执法人员 otherwise.

People already in the class are left out, and so are people waiting in another class of the same type
that has not ended yet: they are already on their way to it and must not be booked twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlite_utils import Database

from trainer import compliance, people, plans, records, training, units
from trainer.people import Person
from trainer.plans import Audience
from trainer.rules import RuleSet
from trainer.training import TrainingClass

OFFICER, AUXILIARY = "执法人员", "协管人员"
# Types whose candidates come from a compliance check rather than from the audience.
CHECKED_TYPES = {compliance.INITIAL: compliance.INITIAL, compliance.APPOINTMENT: compliance.APPOINTMENT}


@dataclass(frozen=True)
class Candidates:
    people: list[Person]
    rule: str  # the rule in words, for the confirmation the officer reads
    elsewhere: int  # people who qualified but wait in another unfinished class of the same type


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
    return "全部在岗的" + audience_of(db, c).describe(names)


def find(db: Database, c: TrainingClass, rules: RuleSet, as_of: dt.date) -> Candidates:
    """Everyone who still needs this class on `as_of`, in unit order then ID number."""
    enrolled = set(training.enrolled_ids(db, c.id)) if c.id is not None else set()
    tree = units.all_units(db)
    order = {u.id: i for i, u in enumerate(tree)}
    pool = [p for p in people.all_people(db) if p.post_status == "在岗" and p.id not in enrolled]
    check = CHECKED_TYPES.get(c.type)
    if check is not None:
        pool = [p for p in pool if (p.category == OFFICER if check == compliance.INITIAL else p.is_leader)]
        wanted = [int(p.id or 0) for p in pool] if len(pool) <= 500 else None  # no huge IN lists
        recs = records.by_person(db, rules, wanted)
        pool = [p for p in pool if any(
            name == check and status != compliance.OK
            for name, status, _due, _note in compliance.check_person(p, recs.get(int(p.id or 0), []), rules, as_of))]
    else:
        audience = audience_of(db, c)
        scope: set[int] | None = None
        if audience.unit_ids:
            scope = set().union(*(units.descendants(tree, u) for u in audience.unit_ids))
        pool = [p for p in pool if (not audience.categories or p.category in audience.categories)
                and (scope is None or p.unit_id in scope) and (p.is_leader or not audience.leaders_only)]
    waiting = _waiting_elsewhere(db, c)
    chosen = [p for p in pool if p.id not in waiting]
    chosen.sort(key=lambda p: (order.get(p.unit_id, 1 << 30), p.id_number))
    return Candidates(chosen, describe(db, c), len(pool) - len(chosen))
