"""Compliance checks for an as-of date: 初任培训, 任职培训, 年度学时, 培训覆盖, 持证上岗.

Semantics (issue #4, defaults from the active rule set): dates inclusive; only completed records count; only
people 在岗 are checked; "one year after" keeps month and day (29 Feb → 28 Feb); a due date is met by a record
ending on it; 逾期 means the as-of date is after the due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING

from sqlite_utils import Database

from trainer import people, records, units
from trainer.amounts import fmt

# The names live in trainer.checks (the window shows them before it loads this module); used from here too.
from trainer.checks import ANNUAL as ANNUAL
from trainer.checks import APPOINTMENT as APPOINTMENT
from trainer.checks import CARD as CARD
from trainer.checks import CHECKS as CHECKS
from trainer.checks import COVERAGE as COVERAGE
from trainer.checks import EXPIRING as EXPIRING
from trainer.checks import FAILED as FAILED
from trainer.checks import INITIAL as INITIAL
from trainer.checks import OK as OK
from trainer.checks import OVERDUE as OVERDUE
from trainer.checks import PENDING as PENDING
from trainer.dates import one_year_after, one_year_before
from trainer.gc_pause import gc_paused
from trainer.people import Person
from trainer.records import TrainingRecord
from trainer.rules import RuleSet

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]
    Bools = npt.NDArray[np.bool_]

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


def _done(title: str, end: dt.date, days: Decimal, due: dt.date) -> str:
    note = f"{title}（{end.isoformat()}结束，{_fmt(days)}天）"
    if end > due:
        note += f"，逾期完成（应于{due.isoformat()}前）"
    return note


def check_person(p: Person, recs: Sequence[TrainingRecord], rules: RuleSet, as_of: dt.date
                 ) -> list[tuple[str, str, dt.date | None, str]]:
    """(check, status, due date, note) for each check that applies to this person."""
    if p.post_status != IN_POST:
        return []
    table = CheckTable(Staff.of([p], {}), records.RecordColumns.of({int(p.id or 0): list(recs)}),
                       _context(rules, as_of))
    return [(r.check, r.status, r.due, r.note) for r in table.results()]


IN_POST = "在岗"
_OFFICER = "执法人员"
STATUS_CODES = (OK, OVERDUE, PENDING, FAILED, EXPIRING)  # a status's code is its index here
_OK, _OVERDUE, _PENDING, _FAILED, _EXPIRING = range(5)
_INITIAL, _APPOINTMENT, _ANNUAL, _COVERAGE, _CARD = range(5)  # a check's code is its index in CHECKS


def _x100_at_least(threshold: Decimal) -> int:
    """The least whole number of hundredths that is ≥ threshold: `v ≥ threshold` ⇔ `v×100 ≥ this`."""
    return int((threshold * 100).to_integral_value(rounding=ROUND_CEILING))


class Staff:
    """The people checked (在岗), in report order (unit, then ID number), as columns; dates as day numbers
    (`date.toordinal`, 0 for none)."""

    def __init__(self, pid: Ints, unit: Ints, officer: Bools, hire_day: Ints, since_day: Ints, expiry_day: Ints,
                 id_numbers: list[str], names: list[str], card_numbers: list[str], order: Mapping[int, int],
                 unit_names: Mapping[int, str]) -> None:
        import numpy as np

        self.n = n = len(pid)
        rank = np.array([order.get(u, 1 << 30) for u in unit.tolist()], dtype=np.int64)
        by_number = np.argsort(np.array(id_numbers, dtype=str), kind="stable") if n else np.zeros(0, dtype=np.int64)
        sort = by_number[np.argsort(rank[by_number], kind="stable")]
        self.pid, self.unit, self.officer = pid[sort], unit[sort], officer[sort]
        self.hire_day, self.since_day, self.expiry_day = hire_day[sort], since_day[sort], expiry_day[sort]
        at = sort.tolist()
        self.ids = self.pid.tolist()
        self.unit_ids = self.unit.tolist()
        self.id_numbers = [id_numbers[i] for i in at]
        self.names = [names[i] for i in at]
        self.card_numbers = [card_numbers[i] for i in at]
        self.unit_names = [unit_names.get(u, "") for u in self.unit_ids]
        self.leader = self.since_day > 0
        self.has_card = np.array([bool(c) for c in self.card_numbers], dtype=bool) & (self.expiry_day > 0)

    @classmethod
    def read(cls, db: Database, order: Mapping[int, int], unit_names: Mapping[int, str]) -> Staff:
        """Everyone 在岗, straight from the register: one row of concatenated columns (45,000 rows of ten
        columns would cost ten times as much); SQLite turns the dates into day numbers."""
        day = "CAST(julianday({}) - 1721424.5 AS INTEGER)"  # julianday of 0001-01-01 is 1721425.5: ordinal 1
        row = db.execute(
            "SELECT group_concat(id), group_concat(unit_id), group_concat(category = ?),"
            f" group_concat(coalesce({day.format('hire_date')}, 1)),"
            f" group_concat(CASE WHEN is_leader THEN coalesce({day.format('leader_since')}, 0) ELSE 0 END),"
            f" group_concat(coalesce({day.format('card_expiry')}, 0)),"
            " group_concat(id_number, char(31)), group_concat(name, char(31)), group_concat(card_number, char(31)),"
            " count(*) FROM people WHERE post_status = ?", [_OFFICER, IN_POST]).fetchone()
        import numpy as np  # after the query: a first import runs while another thread's query is in SQLite

        if not row[-1]:
            empty = np.zeros(0, dtype=np.int64)
            return cls(empty, empty, empty.astype(bool), empty, empty, empty, [], [], [], order, unit_names)

        def ints(text: str) -> Ints:
            return np.fromstring(text, dtype=np.int64, sep=",")

        return cls(ints(row[0]), ints(row[1]), ints(row[2]) == 1, ints(row[3]), ints(row[4]), ints(row[5]),
                   row[6].split("\x1f"), row[7].split("\x1f"), row[8].split("\x1f"), order, unit_names)

    @classmethod
    def everyone(cls, db: Database) -> Staff:
        """`read` in the units' display order."""
        tree = units.all_units(db)
        return cls.read(db, {u.id: i for i, u in enumerate(tree)}, {u.id: u.name for u in tree})

    @classmethod
    def of(cls, register: Iterable[Person], order: Mapping[int, int], unit_names: Mapping[int, str] | None = None
           ) -> Staff:
        import numpy as np

        staff = [p for p in register if p.post_status == IN_POST]

        def ints(values: Iterable[int]) -> Ints:
            return np.fromiter(values, dtype=np.int64, count=len(staff))

        return cls(ints(int(p.id or 0) for p in staff), ints(p.unit_id for p in staff),
                   np.array([p.category == _OFFICER for p in staff], dtype=bool),
                   ints(p.hire_date.toordinal() for p in staff),
                   ints(p.leader_since.toordinal() if p.is_leader and p.leader_since else 0 for p in staff),
                   ints(p.card_expiry.toordinal() if p.card_expiry else 0 for p in staff),
                   [p.id_number for p in staff], [p.name for p in staff], [p.card_number for p in staff], order,
                   unit_names or {})


def _day(n: int) -> dt.date:
    return dt.date.fromordinal(n)


class CheckTable:
    """Every applicable check of every person in `staff` as columns — the one place the rules are applied.

    `check`, `status` (codes into CHECKS and STATUS_CODES), `row` (index into staff) and `due` (day number,
    0 for none) hold one entry per result, in report order (staff order, then check order); `results()`
    builds the CheckResult rows, notes included."""

    def __init__(self, staff: Staff, recs: records.RecordColumns, c: _Context) -> None:
        import numpy as np

        self.staff, self.recs, self.ctx = staff, recs, c
        n = staff.n
        as_of = c.as_of.toordinal()
        year_start = c.year_start.toordinal()
        start = c.start.toordinal()
        # Each record finds its person's row; records of anyone else fall out.
        by_id = np.argsort(staff.pid, kind="stable")
        sorted_ids = staff.pid[by_id]
        if n:
            at = np.minimum(np.searchsorted(sorted_ids, recs.person), n - 1)
            row = np.where(sorted_ids[at] == recs.person, by_id[at], -1) if len(recs) else at
        else:
            row = np.full(len(recs), -1, dtype=np.int64)
        done = recs.completed & (recs.end <= as_of) & (row >= 0)
        self.rec_row = row

        def first_hit(hit: Bools) -> Ints:
            """Per row, the record of the earliest end (the first listed on a tie) among `hit`, else -1."""
            idx = np.flatnonzero(hit)
            best = np.full(n, -1, dtype=np.int64)
            if len(idx):
                idx = idx[np.lexsort((recs.order[idx], recs.end[idx], row[idx]))]
                rows, first = np.unique(row[idx], return_index=True)
                best[rows] = idx[first]
            return best

        parts: list[tuple[int, Ints, Ints, Ints]] = []  # (check, rows, status, due)

        def overdue_or_pending(due: Ints) -> Ints:
            return np.where(as_of > due, _OVERDUE, _PENDING)

        applies = np.flatnonzero(staff.officer & (staff.hire_day >= start))
        due = np.array([one_year_after(_day(d)).toordinal() for d in staff.hire_day[applies].tolist()],
                       dtype=np.int64)
        self.initial = first_hit(done & (recs.kind == _INITIAL) & (recs.days_x100 >= _x100_at_least(c.initial_days)))
        parts.append((_INITIAL, applies, np.where(self.initial[applies] >= 0, _OK, overdue_or_pending(due)), due))

        applies = np.flatnonzero(staff.leader & (staff.since_day >= start))
        since = [_day(d) for d in staff.since_day[applies].tolist()]
        due = np.array([one_year_after(d).toordinal() for d in since], dtype=np.int64)
        earliest = np.zeros(n, dtype=np.int64)
        earliest[applies] = [one_year_before(d).toordinal() for d in since]
        self.appointment = first_hit(done & (recs.kind == _APPOINTMENT) & (recs.end >= earliest[np.maximum(row, 0)])
                                     & (recs.days_x100 >= _x100_at_least(c.appointment_days)))
        parts.append((_APPOINTMENT, applies, np.where(self.appointment[applies] >= 0, _OK, overdue_or_pending(due)),
                      due))

        this_year = done & (recs.end >= year_start)
        rows_this_year = row[this_year]

        def per_row(values: Ints) -> Ints:  # float64 sums of whole hundredths stay exact (2**53)
            return np.rint(np.bincount(rows_this_year, weights=values[this_year].astype(np.float64),
                                       minlength=n)).astype(np.int64)

        self.hours_x100, self.days_x100 = per_row(recs.hours_x100), per_row(recs.days_x100)
        self.count = np.bincount(rows_this_year, minlength=n)
        year_late = _OVERDUE if c.year_late == OVERDUE else _PENDING
        year_end = np.int64(c.year_end.toordinal())
        applies = np.flatnonzero(staff.officer & (staff.hire_day < year_start))
        met = (self.hours_x100[applies] >= _x100_at_least(c.annual_hours)) | \
            (self.days_x100[applies] >= _x100_at_least(c.annual_days))
        parts.append((_ANNUAL, applies, np.where(met, _OK, year_late), np.full(len(applies), year_end)))

        applies = np.arange(n)
        parts.append((_COVERAGE, applies, np.where(self.count > 0, _OK, year_late), np.full(n, year_end)))

        applies = np.flatnonzero(staff.officer)
        has, expiry = staff.has_card[applies], staff.expiry_day[applies]
        status = np.select([~has, expiry < as_of, expiry <= c.warn_until.toordinal()], [_FAILED, _FAILED, _EXPIRING],
                           _OK)
        parts.append((_CARD, applies, status, np.where(has, expiry, 0)))

        rows_all = np.concatenate([p[1] for p in parts]).astype(np.int64)
        checks = np.concatenate([np.full(len(p[1]), p[0], dtype=np.int64) for p in parts])
        order = np.argsort(rows_all * len(CHECKS) + checks, kind="stable")
        self.row = rows_all[order]
        self.check = checks[order]
        self.status = np.concatenate([p[2] for p in parts]).astype(np.int64)[order]
        self.due = np.concatenate([p[3] for p in parts]).astype(np.int64)[order]

    def __len__(self) -> int:
        return len(self.row)

    def results(self, which: Iterable[int] | None = None) -> list[CheckResult]:
        """The CheckResult of each result index in `which` (default: all, in report order)."""
        s = self.staff
        idx = range(len(self.row)) if which is None else which
        rows, checks, statuses, dues = self.row.tolist(), self.check.tolist(), self.status.tolist(), self.due.tolist()
        out = []
        for i in idx:
            r, check, status, day = rows[i], checks[i], statuses[i], dues[i]
            due = dt.date.fromordinal(day) if day else None
            out.append(CheckResult(s.ids[r], s.id_numbers[r], s.names[r], s.unit_ids[r], s.unit_names[r],
                                   CHECKS[check], STATUS_CODES[status], due, self._note(r, check, status, due)))
        return out

    def _note(self, r: int, check: int, status: int, due: dt.date | None) -> str:
        s, c = self.staff, self.ctx
        if check in (_INITIAL, _APPOINTMENT):
            assert due is not None
            hit = int((self.initial if check == _INITIAL else self.appointment)[r])
            if status == _OK:
                rec = self.recs
                return _done(rec.titles[hit], dt.date.fromordinal(int(rec.end[hit])),
                             Decimal(int(rec.days_x100[hit])).scaleb(-2), due)
            if check == _INITIAL:
                return f"入职{_day(int(s.hire_day[r])).isoformat()}，须{c.initial_need}"
            return f"任职{_day(int(s.since_day[r])).isoformat()}，{c.appointment_need}"
        if check == _ANNUAL:
            hours, days = Decimal(int(self.hours_x100[r])).scaleb(-2), Decimal(int(self.days_x100[r])).scaleb(-2)
            return f"{c.annual_done}{_fmt(hours)}学时、{_fmt(days)}天{c.annual_need}"
        if check == _COVERAGE:
            return f"{c.annual_done}{int(self.count[r])}次培训" if status == _OK else c.coverage_none
        number, expiry = s.card_numbers[r], due
        if expiry is None:
            return "无执法证，不得从事执法工作"
        if status == _FAILED:
            return f"执法证{number}已于{expiry.isoformat()}过期"
        if status == _EXPIRING:
            return f"执法证{number}还有{(expiry - c.as_of).days}天到期"
        return f"执法证{number}有效"


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
    return table(db, rules, as_of, unit_id, person_ids, recs, register).results()


def table(db: Database, rules: RuleSet, as_of: dt.date, unit_id: int | None = None,
          person_ids: Iterable[int] | None = None,
          recs: Mapping[int, Sequence[TrainingRecord]] | records.RecordColumns | None = None,
          register: Sequence[Person] | Staff | None = None) -> CheckTable:
    """`evaluate` as columns (the dashboard counts them without building a row per check).

    recs may also be `records.columns(db, rules)` and register a `Staff` read before (of everyone 在岗)."""
    with gc_paused():
        tree = units.all_units(db)
        order = {u.id: i for i, u in enumerate(tree)}
        names = {u.id: u.name for u in tree}
        scope = units.descendants(tree, unit_id) if unit_id is not None else None
        wanted_ids = set(person_ids) if person_ids is not None else None
        if isinstance(register, Staff) and scope is None and wanted_ids is None:
            staff = register
        elif register is None and scope is None and wanted_ids is None:
            staff = Staff.read(db, order, names)
        else:
            if isinstance(register, Staff) or register is None:
                found = people.all_people(db) if person_ids is None else list(people.iter_people(db, wanted_ids or ()))
            else:
                found = list(register)
            staff = Staff.of([p for p in found if (wanted_ids is None or p.id in wanted_ids)
                              and (scope is None or p.unit_id in scope)], order, names)
        if recs is None:
            # A short list of people is fetched by id; anything larger reads every record once (no huge IN lists).
            recs = records.by_person(db, rules, staff.ids) if staff.n <= 500 else records.columns(db, rules)
        if not isinstance(recs, records.RecordColumns):
            recs = records.RecordColumns.of(recs)
        return CheckTable(staff, recs, _context(rules, as_of))
