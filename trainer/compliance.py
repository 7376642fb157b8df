"""Compliance checks for an as-of date: 初任培训, 任职培训, 年度学时, 培训覆盖, 持证上岗.

Semantics (issue #4, defaults from the active rule set): dates inclusive; only completed records count; only
people 在岗 are checked; "one year after" keeps month and day (29 Feb → 28 Feb); a due date is met by a record
ending on it; 逾期 means the as-of date is after the due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlite_utils import Database

from trainer import people, records, units
from trainer.amounts import fmt
from trainer.dates import one_year_after, one_year_before
from trainer.people import Person
from trainer.records import TrainingRecord
from trainer.rules import RuleSet

INITIAL, APPOINTMENT, ANNUAL, COVERAGE, CARD = "初任培训", "任职培训", "年度学时", "培训覆盖", "持证上岗"
CHECKS = (INITIAL, APPOINTMENT, ANNUAL, COVERAGE, CARD)
OK, OVERDUE, PENDING, FAILED, EXPIRING = "合格", "逾期", "未完成", "不合格", "即将到期"
CSV_COLUMNS = ("身份证号", "姓名", "单位", "检查项", "状态", "应完成日期", "说明")


@dataclass(frozen=True)
class CheckResult:
    person_id: int
    id_number: str
    name: str
    unit_id: int
    unit: str
    check: str
    status: str
    due: dt.date | None
    note: str

    @property
    def behind(self) -> bool:
        """Needs attention: not 合格 (即将到期 included)."""
        return self.status != OK

    def csv_row(self) -> list[str]:
        return [self.id_number, self.name, self.unit, self.check, self.status,
                self.due.isoformat() if self.due else "", self.note]


def _completed(recs: Iterable[TrainingRecord], as_of: dt.date) -> list[TrainingRecord]:
    return [r for r in recs if r.completed and r.end_date <= as_of]


def check_person(p: Person, recs: Sequence[TrainingRecord], rules: RuleSet, as_of: dt.date
                 ) -> list[tuple[str, str, dt.date | None, str]]:
    """(check, status, due date, note) for each check that applies to this person."""
    if p.post_status != "在岗":
        return []
    done = _completed(recs, as_of)
    out: list[tuple[str, str, dt.date | None, str]] = []
    officer = p.category == "执法人员"
    start = rules.start_date

    if officer and p.hire_date >= start:
        due = one_year_after(p.hire_date)
        need = rules.decimal("initial_min_days")
        hits = [r for r in done if r.type == INITIAL and r.days >= need]
        if hits:
            first = min(hits, key=lambda r: r.end_date)
            note = f"{first.title}（{first.end_date.isoformat()}结束，{fmt(first.days)}天）"
            if first.end_date > due:
                note += f"，逾期完成（应于{due.isoformat()}前）"
            out.append((INITIAL, OK, due, note))
        else:
            out.append((INITIAL, OVERDUE if as_of > due else PENDING, due, f"入职{p.hire_date.isoformat()}，须"
                        f"在一年内完成不少于{fmt(need)}天的初任培训"))

    if p.is_leader and p.leader_since and p.leader_since >= start:
        due = one_year_after(p.leader_since)
        earliest = one_year_before(p.leader_since)
        need = rules.decimal("appointment_min_days")
        hits = [r for r in done if r.type == APPOINTMENT and r.days >= need and r.end_date >= earliest]
        if hits:
            first = min(hits, key=lambda r: r.end_date)
            note = f"{first.title}（{first.end_date.isoformat()}结束，{fmt(first.days)}天）"
            if first.end_date > due:
                note += f"，逾期完成（应于{due.isoformat()}前）"
            out.append((APPOINTMENT, OK, due, note))
        else:
            out.append((APPOINTMENT, OVERDUE if as_of > due else PENDING, due,
                        f"任职{p.leader_since.isoformat()}，须在任职前后一年内完成不少于{fmt(need)}天的任职培训"))

    year_start, year_end = dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31)
    this_year = [r for r in done if r.end_date >= year_start]
    if officer and p.hire_date < year_start:
        hours = sum((r.hours for r in this_year), Decimal(0))
        days = sum((r.days for r in this_year), Decimal(0))
        need_h, need_d = rules.decimal("annual_min_hours"), rules.decimal("annual_min_days")
        note = f"{as_of.year}年已完成{fmt(hours)}学时、{fmt(days)}天（要求{fmt(need_h)}学时或{fmt(need_d)}天）"
        if hours >= need_h or days >= need_d:
            out.append((ANNUAL, OK, year_end, note))
        else:
            out.append((ANNUAL, OVERDUE if as_of >= year_end else PENDING, year_end, note))

    if this_year:
        out.append((COVERAGE, OK, year_end, f"{as_of.year}年已完成{len(this_year)}次培训"))
    else:
        out.append((COVERAGE, OVERDUE if as_of >= year_end else PENDING, year_end, f"{as_of.year}年尚无完成的培训"))

    if officer:
        warn = rules.card_warning_days
        if not p.card_number or p.card_expiry is None:
            out.append((CARD, FAILED, None, "无执法证，不得从事执法工作"))
        elif p.card_expiry < as_of:
            out.append((CARD, FAILED, p.card_expiry, f"执法证{p.card_number}已于{p.card_expiry.isoformat()}过期"))
        elif p.card_expiry <= as_of + dt.timedelta(days=warn):
            days_left = (p.card_expiry - as_of).days
            out.append((CARD, EXPIRING, p.card_expiry, f"执法证{p.card_number}还有{days_left}天到期"))
        else:
            out.append((CARD, OK, p.card_expiry, f"执法证{p.card_number}有效"))
    return out


def unit_order(db: Database) -> dict[int, int]:
    """Display position of each unit: 市局 and departments, then each county followed by its streets."""
    return {u.id: i for i, u in enumerate(units.all_units(db))}


def evaluate(db: Database, rules: RuleSet, as_of: dt.date, unit_id: int | None = None,
             person_ids: Iterable[int] | None = None) -> list[CheckResult]:
    """Every applicable check for every person (optionally within a unit and its sub-units)."""
    tree = units.all_units(db)
    order = {u.id: i for i, u in enumerate(tree)}
    names = {u.id: u.name for u in tree}
    register = people.all_people(db) if person_ids is None else list(people.iter_people(db, person_ids))
    if unit_id is not None:
        scope = units.descendants(tree, unit_id)
        register = [p for p in register if p.unit_id in scope]
    register = [p for p in register if p.post_status == "在岗"]
    # A short list of people is fetched by id; anything larger reads every record once (no huge IN lists).
    wanted = [int(p.id or 0) for p in register] if len(register) <= 500 else None
    recs = records.by_person(db, rules, wanted)
    register.sort(key=lambda p: (order.get(p.unit_id, 1 << 30), p.id_number))
    results = []
    for p in register:
        for check, status, due, note in check_person(p, recs.get(int(p.id or 0), []), rules, as_of):
            results.append(CheckResult(int(p.id or 0), p.id_number, p.name, p.unit_id, names.get(p.unit_id, ""),
                                       check, status, due, note))
    return results
