"""一人一档: one person's training file — every record (classes and external), days and 学时 per year, the
certificates issued to the person, and the compliance checks as of a date. The person detail window and the
printed file show the same object.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlite_utils import Database

from trainer import cert_register, compliance, idnumber, people, records, rules, units
from trainer.cert_register import CertFilter, Certificate
from trainer.compliance import CheckResult
from trainer.people import Person
from trainer.records import TrainingRecord


@dataclass(frozen=True)
class YearTotal:
    year: int
    records: int  # all records ending in the year
    completed: int
    days: Decimal  # completed records only: what counts toward the rules
    hours: Decimal


@dataclass(frozen=True)
class PersonalFile:
    person: Person
    unit_path: str  # 平顶山市城市管理局 / 新华区 / 西市场街道
    birth_date: dt.date | None
    records: list[TrainingRecord]  # by start date
    years: list[YearTotal]  # newest first
    certificates: list[Certificate]  # every status (有效, 已撤销, 已补发), in register order
    checks: list[CheckResult]  # empty when the person is not 在岗
    as_of: dt.date
    rules_label: str


def unit_path(tree: list[units.Unit], unit_id: int) -> str:
    by_id = {u.id: u for u in tree}
    names = []
    unit = by_id.get(unit_id)
    while unit is not None:
        names.append(unit.name)
        unit = by_id.get(unit.parent_id) if unit.parent_id is not None else None
    return " / ".join(reversed(names))


def year_totals(recs: list[TrainingRecord]) -> list[YearTotal]:
    years = sorted({r.end_date.year for r in recs}, reverse=True)
    out = []
    for y in years:
        in_year = [r for r in recs if r.end_date.year == y]
        done = [r for r in in_year if r.completed]
        out.append(YearTotal(y, len(in_year), len(done), sum((r.days for r in done), Decimal(0)),
                             sum((r.hours for r in done), Decimal(0))))
    return out


def load(db: Database, person_id: int, as_of: dt.date) -> PersonalFile:
    person = people.get(db, person_id)
    if person is None:
        raise KeyError(person_id)
    active = rules.active(db)
    recs = records.by_person(db, active, [person_id]).get(person_id, [])
    try:
        birth: dt.date | None = idnumber.parse(person.id_number).birth_date
    except idnumber.IdNumberError:
        birth = None
    checks = compliance.evaluate(db, active, as_of, person_ids=[person_id])
    certificates = cert_register.search(db, CertFilter(person_id=person_id))
    return PersonalFile(person, unit_path(units.all_units(db), person.unit_id), birth, list(recs),
                        year_totals(list(recs)), certificates, checks, as_of, active.label())
