"""The people enrolled in a class, in the one order every list of them uses.

The enrolment list, the attendance grid, the results table, the attendance template and the printed
roster and sign-in sheets all list members in this order (unit tree order, then order of enrolment),
so an officer typing attendance from a paper sign-in sheet finds the same person on the same line.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from trainer import people, training, units
from trainer.people import Person


@dataclass(frozen=True)
class Member:
    person: Person
    unit: str

    @property
    def person_id(self) -> int:
        return int(self.person.id or 0)


def members(db: Database, class_id: int) -> list[Member]:
    tree = units.all_units(db)
    order = {u.id: i for i, u in enumerate(tree)}
    names = {u.id: u.name for u in tree}
    enrolled = training.enrolled_ids(db, class_id)
    position = {pid: i for i, pid in enumerate(enrolled)}
    found = list(people.iter_people(db, enrolled))
    found.sort(key=lambda p: (order.get(p.unit_id, 1 << 30), position[int(p.id or 0)]))
    return [Member(p, names.get(p.unit_id, "")) for p in found]


def capacity_problem(db: Database, c: training.TrainingClass) -> str | None:
    """Why a class's capacity cannot be saved: below the number already enrolled (enrol keeps it from then on)."""
    if c.id is None or not c.capacity:
        return None
    enrolled = len(training.enrolled_ids(db, c.id))
    return f"人数上限不能少于已报名的{enrolled}人" if c.capacity < enrolled else None
