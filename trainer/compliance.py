"""Compliance checks for an as-of date: 初任培训, 任职培训, 年度学时, 培训覆盖, 持证上岗.

Semantics (issue #4, defaults from the active rule set): dates inclusive; only completed records count; only
people 在岗 are checked; "one year after" keeps month and day (29 Feb → 28 Feb); a due date is met by a record
ending on it; 逾期 means the as-of date is after the due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlite_utils import Database

from trainer import people, records, units
from trainer.amounts import fmt
from trainer.dates import one_year_after, one_year_before
from trainer.gc_pause import gc_paused
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


class _Context:
    """A rule set's thresholds and the as-of date's year, worked out once per evaluation rather than once per
    person (with 50,000 people the per-person work is what the dashboard waits for)."""

    def __init__(self, rules: RuleSet, as_of: dt.date) -> None:
        self.rules, self.as_of = rules, as_of
        self.start = rules.start_date
        self.initial_days = rules.decimal("initial_min_days")
        self.appointment_days = rules.decimal("appointment_min_days")
        self.annual_hours = rules.decimal("annual_min_hours")
        self.annual_days = rules.decimal("annual_min_days")
        self.warn_until = as_of + dt.timedelta(days=rules.card_warning_days)
        self.year_start, self.year_end = dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31)
        self.year_late = OVERDUE if as_of >= self.year_end else PENDING
        # the note texts that depend only on the rule set and the year
        self.initial_need = f"在一年内完成不少于{fmt(self.initial_days)}天的初任培训"
        self.appointment_need = f"须在任职前后一年内完成不少于{fmt(self.appointment_days)}天的任职培训"
        self.annual_done = f"{as_of.year}年已完成"
        self.annual_need = f"（要求{fmt(self.annual_hours)}学时或{fmt(self.annual_days)}天）"
        self.coverage_none = f"{as_of.year}年尚无完成的培训"


_last_context: list[_Context] = []


def _context(rules: RuleSet, as_of: dt.date) -> _Context:
    if _last_context and _last_context[0].rules is rules and _last_context[0].as_of == as_of:
        return _last_context[0]
    ctx = _Context(rules, as_of)
    _last_context[:] = [ctx]
    return ctx


_fmt_cache: dict[Decimal, str] = {}


def _fmt(value: Decimal) -> str:
    """amounts.fmt, remembered: the same few totals recur for thousands of people (equal values print alike)."""
    text = _fmt_cache.get(value)
    if text is None:
        if len(_fmt_cache) > 10_000:
            _fmt_cache.clear()
        text = _fmt_cache[value] = fmt(value)
    return text


def _done(first: TrainingRecord, due: dt.date) -> str:
    note = f"{first.title}（{first.end_date.isoformat()}结束，{_fmt(first.days)}天）"
    if first.end_date > due:
        note += f"，逾期完成（应于{due.isoformat()}前）"
    return note


def check_person(p: Person, recs: Sequence[TrainingRecord], rules: RuleSet, as_of: dt.date
                 ) -> list[tuple[str, str, dt.date | None, str]]:
    """(check, status, due date, note) for each check that applies to this person."""
    return _check(p, recs, _context(rules, as_of))


def _check(p: Person, recs: Sequence[TrainingRecord], c: _Context) -> list[tuple[str, str, dt.date | None, str]]:
    if p.post_status != "在岗":
        return []
    as_of = c.as_of
    done = [r for r in recs if r.completed and r.end_date <= as_of]
    out: list[tuple[str, str, dt.date | None, str]] = []
    officer = p.category == "执法人员"

    if officer and p.hire_date >= c.start:
        due = one_year_after(p.hire_date)
        hits = [r for r in done if r.type == INITIAL and r.days >= c.initial_days]
        if hits:
            out.append((INITIAL, OK, due, _done(min(hits, key=_end), due)))
        else:
            out.append((INITIAL, OVERDUE if as_of > due else PENDING, due,
                        f"入职{p.hire_date.isoformat()}，须{c.initial_need}"))

    if p.is_leader and p.leader_since and p.leader_since >= c.start:
        due = one_year_after(p.leader_since)
        earliest = one_year_before(p.leader_since)
        hits = [r for r in done if r.type == APPOINTMENT and r.days >= c.appointment_days and r.end_date >= earliest]
        if hits:
            out.append((APPOINTMENT, OK, due, _done(min(hits, key=_end), due)))
        else:
            out.append((APPOINTMENT, OVERDUE if as_of > due else PENDING, due,
                        f"任职{p.leader_since.isoformat()}，{c.appointment_need}"))

    year_start, year_end = c.year_start, c.year_end
    this_year = [r for r in done if r.end_date >= year_start]
    if officer and p.hire_date < year_start:
        hours = days = Decimal(0)
        for r in this_year:
            hours += r.hours
            days += r.days
        note = f"{c.annual_done}{_fmt(hours)}学时、{_fmt(days)}天{c.annual_need}"
        if hours >= c.annual_hours or days >= c.annual_days:
            out.append((ANNUAL, OK, year_end, note))
        else:
            out.append((ANNUAL, c.year_late, year_end, note))

    if this_year:
        out.append((COVERAGE, OK, year_end, f"{c.annual_done}{len(this_year)}次培训"))
    else:
        out.append((COVERAGE, c.year_late, year_end, c.coverage_none))

    if officer:
        expiry = p.card_expiry
        if not p.card_number or expiry is None:
            out.append((CARD, FAILED, None, "无执法证，不得从事执法工作"))
        elif expiry < as_of:
            out.append((CARD, FAILED, expiry, f"执法证{p.card_number}已于{expiry.isoformat()}过期"))
        elif expiry <= c.warn_until:
            out.append((CARD, EXPIRING, expiry, f"执法证{p.card_number}还有{(expiry - as_of).days}天到期"))
        else:
            out.append((CARD, OK, expiry, f"执法证{p.card_number}有效"))
    return out


def _end(r: TrainingRecord) -> dt.date:
    return r.end_date


def unit_order(db: Database) -> dict[int, int]:
    """Display position of each unit: 市局 and departments, then each county followed by its streets."""
    return {u.id: i for i, u in enumerate(units.all_units(db))}


def evaluate(db: Database, rules: RuleSet, as_of: dt.date, unit_id: int | None = None,
             person_ids: Iterable[int] | None = None,
             recs: Mapping[int, Sequence[TrainingRecord]] | None = None,
             register: Sequence[Person] | None = None) -> list[CheckResult]:
    """Every applicable check for every person (optionally within a unit and its sub-units).

    recs, register: the records of everyone concerned (`records.by_person`) and everyone on the register
    (`people.all_people`), when the caller has them already.
    """
    with gc_paused():
        tree = units.all_units(db)
        order = {u.id: i for i, u in enumerate(tree)}
        names = {u.id: u.name for u in tree}
        if register is None:
            register = people.all_people(db) if person_ids is None else list(people.iter_people(db, person_ids))
        elif person_ids is not None:
            wanted_ids = set(person_ids)
            register = [p for p in register if p.id in wanted_ids]
        if unit_id is not None:
            scope = units.descendants(tree, unit_id)
            register = [p for p in register if p.unit_id in scope]
        staff = [p for p in register if p.post_status == "在岗"]
        if recs is None:
            # A short list of people is fetched by id; anything larger reads every record once (no huge IN lists).
            wanted = [int(p.id or 0) for p in staff] if len(staff) <= 500 else None
            recs = records.by_person(db, rules, wanted)
        staff.sort(key=lambda p: (order.get(p.unit_id, 1 << 30), p.id_number))
        ctx = _context(rules, as_of)
        none: Sequence[TrainingRecord] = ()
        results = []
        for p in staff:
            pid = int(p.id or 0)
            unit = names.get(p.unit_id, "")
            for check, status, due, note in _check(p, recs.get(pid, none), ctx):
                results.append(CheckResult(pid, p.id_number, p.name, p.unit_id, unit, check, status, due, note))
        return results
