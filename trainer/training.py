"""Classes (培训班), their sessions (课程), enrolment, attendance, assessment and computed completion (结业)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlite_utils import Database

from trainer import enrolment_hours
from trainer.amounts import fmt, from_x100, half_up, to_x100
from trainer.dates import iso
from trainer.rules import ATTENDANCE_STATUSES, RuleSet

TRAINING_TYPES = ("初任培训", "任职培训", "业务知识培训", "执法技能培训", "岗位练兵", "协管人员培训", "专题培训")
CLASS_STATUSES = ("筹备", "进行中", "已结束")
SESSION_MODES = ("理论", "实操", "线上")


class TrainingError(ValueError):
    """A refused change; the message is for the user."""


@dataclass(frozen=True)
class TrainingClass:
    id: int | None
    title: str
    type: str
    start_date: dt.date
    end_date: dt.date
    base_id: int | None = None
    organiser_unit_id: int | None = None
    capacity: int = 0
    pass_mark: Decimal | None = None
    status: str = "筹备"
    note: str = ""
    plan_item_id: int | None = None

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1


@dataclass(frozen=True)
class Session:
    id: int | None
    class_id: int
    date: dt.date
    topic: str
    hours: Decimal
    teacher: str = ""
    start_time: str = ""
    end_time: str = ""
    mode: str = "理论"


@dataclass(frozen=True)
class Outcome:
    """One enrolled person's result in one class, with the numbers that decided it."""

    class_id: int
    person_id: int
    class_hours: Decimal
    credited_hours: Decimal
    missed_hours: Decimal  # hours with a leave status (请假/缺勤 by default), unrecorded sessions included
    score: Decimal | None
    passed: bool
    leave_ok: bool
    computed: bool
    completed: bool
    override_reason: str

    @property
    def explanation(self) -> str:
        parts = [f"应到{fmt(self.class_hours)}学时，计入{fmt(self.credited_hours)}学时，"
                 f"请假/缺勤{fmt(self.missed_hours)}学时"]
        if not self.leave_ok:
            parts.append("请假超过规定比例")
        if not self.passed:
            parts.append("考核未通过" if self.score is not None else "无考核成绩")
        if self.computed != self.completed:
            parts.append(f"人工认定为{'结业' if self.completed else '未结业'}：{self.override_reason}")
        return "；".join(parts)


_CLASS_COLS = ("id, title, type, start_date, end_date, base_id, organiser_unit_id, capacity, pass_mark_x100,"
               " status, note, plan_item_id")


def _class(row: tuple[object, ...]) -> TrainingClass:
    return TrainingClass(
        id=int(row[0]),  # type: ignore[call-overload]
        title=str(row[1]), type=str(row[2]),
        start_date=dt.date.fromisoformat(str(row[3])), end_date=dt.date.fromisoformat(str(row[4])),
        base_id=row[5], organiser_unit_id=row[6],  # type: ignore[arg-type]
        capacity=int(row[7]),  # type: ignore[call-overload]
        pass_mark=from_x100(row[8]) if row[8] is not None else None,  # type: ignore[arg-type]
        status=str(row[9]), note=str(row[10]), plan_item_id=row[11],  # type: ignore[arg-type]
    )


def check_class(c: TrainingClass) -> None:
    if not c.title.strip():
        raise TrainingError("培训班名称不能为空")
    if c.type not in TRAINING_TYPES:
        raise TrainingError(f"未知的培训类型“{c.type}”")
    if c.end_date < c.start_date:
        raise TrainingError("结束日期早于开始日期")
    if c.status not in CLASS_STATUSES:
        raise TrainingError(f"未知的状态“{c.status}”")
    if c.capacity < 0:
        raise TrainingError("人数上限不能为负")


def save_class(db: Database, c: TrainingClass) -> TrainingClass:
    check_class(c)
    values = [c.title.strip(), c.type, iso(c.start_date), iso(c.end_date), c.base_id, c.organiser_unit_id,
              c.capacity, to_x100(c.pass_mark) if c.pass_mark is not None else None, c.status, c.note,
              c.plan_item_id]
    with db.atomic():
        if c.id is None:
            cur = db.execute(
                "INSERT INTO classes (title, type, start_date, end_date, base_id, organiser_unit_id, capacity,"
                " pass_mark_x100, status, note, plan_item_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
            return replace(c, id=int(cur.lastrowid or 0))
        outside = db.execute(
            "SELECT COUNT(*) FROM class_sessions WHERE class_id = ? AND (date < ? OR date > ?)",
            [c.id, iso(c.start_date), iso(c.end_date)]).fetchone()[0]
        if outside:
            raise TrainingError(f"有{outside}节课程不在新的起止日期内，请先调整课程日期")
        db.execute(
            "UPDATE classes SET title = ?, type = ?, start_date = ?, end_date = ?, base_id = ?, organiser_unit_id = ?,"
            " capacity = ?, pass_mark_x100 = ?, status = ?, note = ?, plan_item_id = ? WHERE id = ?", [*values, c.id])
        return c


def get_class(db: Database, class_id: int) -> TrainingClass | None:
    row = db.execute(f"SELECT {_CLASS_COLS} FROM classes WHERE id = ?", [class_id]).fetchone()
    return _class(row) if row else None


def list_classes(db: Database, year: int | None = None) -> list[TrainingClass]:
    sql = f"SELECT {_CLASS_COLS} FROM classes"
    args: list[object] = []
    if year is not None:
        sql += " WHERE start_date <= ? AND end_date >= ?"
        args = [f"{year}-12-31", f"{year}-01-01"]
    return [_class(r) for r in db.execute(sql + " ORDER BY start_date, id", args)]


def delete_class(db: Database, class_id: int) -> None:
    with db.atomic():
        db.execute("DELETE FROM attendance WHERE session_id IN (SELECT id FROM class_sessions WHERE class_id = ?)",
                   [class_id])
        db.execute("DELETE FROM classes WHERE id = ?", [class_id])


# ---- sessions -----------------------------------------------------------------------------------

def save_session(db: Database, s: Session) -> Session:
    c = get_class(db, s.class_id)
    if c is None:
        raise TrainingError("培训班不存在")
    if not s.topic.strip():
        raise TrainingError("课程内容不能为空")
    if not c.start_date <= s.date <= c.end_date:
        raise TrainingError(f"课程日期{iso(s.date)}不在培训班起止日期（{iso(c.start_date)}至{iso(c.end_date)}）内")
    if s.hours <= 0:
        raise TrainingError("学时应大于0")
    if s.mode not in SESSION_MODES:
        raise TrainingError(f"未知的授课方式“{s.mode}”")
    values = [s.class_id, iso(s.date), s.start_time, s.end_time, s.topic.strip(), s.teacher, to_x100(s.hours), s.mode]
    with db.atomic():
        if s.id is None:
            cur = db.execute(
                "INSERT INTO class_sessions (class_id, date, start_time, end_time, topic, teacher, hours_x100, mode)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", values)
            return replace(s, id=int(cur.lastrowid or 0))
        db.execute("UPDATE class_sessions SET class_id = ?, date = ?, start_time = ?, end_time = ?, topic = ?,"
                   " teacher = ?, hours_x100 = ?, mode = ? WHERE id = ?", [*values, s.id])
        return s


def sessions(db: Database, class_id: int) -> list[Session]:
    rows = db.execute(
        "SELECT id, class_id, date, topic, hours_x100, teacher, start_time, end_time, mode FROM class_sessions"
        " WHERE class_id = ? ORDER BY date, start_time, id", [class_id])
    return [Session(r[0], r[1], dt.date.fromisoformat(r[2]), r[3], from_x100(r[4]), r[5], r[6], r[7], r[8])
            for r in rows]


def delete_session(db: Database, session_id: int) -> None:
    with db.atomic():
        db.execute("DELETE FROM class_sessions WHERE id = ?", [session_id])


# ---- enrolment -----------------------------------------------------------------------------------

def enrolled_ids(db: Database, class_id: int) -> list[int]:
    return [r[0] for r in db.execute("SELECT person_id FROM enrolments WHERE class_id = ? ORDER BY id", [class_id])]


def enrol(db: Database, class_id: int, person_ids: Iterable[int]) -> int:
    """Add people to a class (already enrolled ones are skipped); refuses to exceed the capacity."""
    c = get_class(db, class_id)
    if c is None:
        raise TrainingError("培训班不存在")
    with db.atomic():
        present = set(enrolled_ids(db, class_id))
        new = [p for p in dict.fromkeys(person_ids) if p not in present]
        if c.capacity and len(present) + len(new) > c.capacity:
            raise TrainingError(f"超出人数上限：已报名{len(present)}人，本次{len(new)}人，上限{c.capacity}人")
        db.conn.executemany("INSERT INTO enrolments (class_id, person_id) VALUES (?, ?)", [(class_id, p) for p in new])
    return len(new)


def unenrol(db: Database, class_id: int, person_ids: Iterable[int]) -> None:
    ids = list(person_ids)
    with db.atomic():
        for pid in ids:
            db.execute("DELETE FROM attendance WHERE person_id = ? AND session_id IN"
                       " (SELECT id FROM class_sessions WHERE class_id = ?)", [pid, class_id])
            db.execute("DELETE FROM enrolments WHERE class_id = ? AND person_id = ?", [class_id, pid])


# ---- attendance and assessment -------------------------------------------------------------------

def set_attendance(db: Database, session_id: int, marks: Mapping[int, str | None]) -> None:
    """person id → status (None clears the mark). Only enrolled people can be marked."""
    row = db.execute("SELECT class_id FROM class_sessions WHERE id = ?", [session_id]).fetchone()
    if row is None:
        raise TrainingError("课程不存在")
    enrolled = set(enrolled_ids(db, row[0]))
    with db.atomic():
        for pid, status in marks.items():
            if pid not in enrolled:
                raise TrainingError("只能为本班学员登记考勤")
            if status is None:
                db.execute("DELETE FROM attendance WHERE session_id = ? AND person_id = ?", [session_id, pid])
            elif status not in ATTENDANCE_STATUSES:
                raise TrainingError(f"未知的考勤状态“{status}”")
            else:
                db.execute("INSERT OR REPLACE INTO attendance (session_id, person_id, status) VALUES (?, ?, ?)",
                           [session_id, pid, status])


def attendance(db: Database, session_id: int) -> dict[int, str]:
    return {r[0]: r[1] for r in
            db.execute("SELECT person_id, status FROM attendance WHERE session_id = ?", [session_id])}


def set_score(db: Database, class_id: int, person_id: int, score: Decimal | None) -> None:
    if score is not None and (score < 0 or score > 1000):
        raise TrainingError("成绩应在0到1000之间")
    with db.atomic():
        cur = db.execute("UPDATE enrolments SET score_x100 = ? WHERE class_id = ? AND person_id = ?",
                         [to_x100(score) if score is not None else None, class_id, person_id])
        if cur.rowcount == 0:
            raise TrainingError("此人不在本班")


def set_override(db: Database, class_id: int, person_id: int, completed: bool | None, reason: str = "") -> None:
    """The officer's decision over the computed completion; a reason is required to override."""
    if completed is not None and not reason.strip():
        raise TrainingError("人工认定结业情况须填写理由")
    with db.atomic():
        cur = db.execute(
            "UPDATE enrolments SET override_completed = ?, override_reason = ? WHERE class_id = ? AND person_id = ?",
            [None if completed is None else int(completed), reason.strip() if completed is not None else "",
             class_id, person_id])
        if cur.rowcount == 0:
            raise TrainingError("此人不在本班")


def outcomes(db: Database, rules: RuleSet, *, class_id: int | None = None, finished_only: bool = False,
             person_ids: Iterable[int] | None = None) -> list[Outcome]:
    """Completion for every enrolment, ordered by class and enrolment.

    Unrecorded attendance counts as 缺勤: a missing mark must not give hours.
    """
    return [Outcome(*row) for row in outcome_rows(db, rules, class_id=class_id, finished_only=finished_only,
                                                  person_ids=person_ids)]


OutcomeRow = tuple[int, int, Decimal, Decimal, Decimal, Decimal | None, bool, bool, bool, bool, str]


def outcome_rows(db: Database, rules: RuleSet, *, class_id: int | None = None, finished_only: bool = False,
                 person_ids: Iterable[int] | None = None) -> list[OutcomeRow]:
    """The fields of `Outcome`, in its order, as tuples: bulk readers (training records for 50,000 people)
    skip building an object per enrolment. This is the one place completion is decided."""
    scope = enrolment_hours.Scope(class_id, finished_only, list(person_ids) if person_ids is not None else None)
    where, args = scope.where("e.class_id", "e.person_id")
    enrolled = db.execute(
        "SELECT e.class_id, e.person_id, e.score_x100, e.override_completed, e.override_reason, c.pass_mark_x100"
        f" FROM enrolments e JOIN classes c ON c.id = e.class_id{where} ORDER BY e.class_id, e.id", args).fetchall()
    credit_pct = {s: to_x100(rules.credit(s)) for s in ATTENDANCE_STATUSES}
    leave = rules.leave_statuses
    totals = enrolment_hours.class_hours(db, scope)
    recorded, credited, missed = enrolment_hours.recorded_sums(
        db, [(r[0], r[1]) for r in enrolled], scope, credit_pct, leave)
    # Sessions without a mark count as 缺勤, for credit and for leave alike.
    absent_credit, absent_leave = credit_pct["缺勤"], int("缺勤" in leave)
    fraction = rules.leave_max_fraction
    hundredths: dict[int, Decimal] = {}  # a few distinct values repeat across 100,000 enrolments
    credits: dict[int, Decimal] = {}

    def x100(v: int) -> Decimal:
        d = hundredths.get(v)
        if d is None:
            d = hundredths[v] = from_x100(v)
        return d

    out: list[OutcomeRow] = []
    for i, (cid, pid, score, override, reason, pass_mark) in enumerate(enrolled):
        total = totals.get(cid, 0)
        unrecorded = total - recorded[i]
        got = credited[i] + unrecorded * absent_credit
        lost = missed[i] + unrecorded * absent_leave
        passed = pass_mark is None or (score is not None and score >= pass_mark)
        leave_ok = lost * fraction.denominator <= total * fraction.numerator  # exact: no float at 1/7
        computed = passed and leave_ok
        credit = credits.get(got)
        if credit is None:
            credit = credits[got] = half_up(Decimal(got) / 10000)
        out.append((cid, pid, x100(total), credit, x100(lost), x100(score) if score is not None else None, passed,
                    leave_ok, computed, computed if override is None else bool(override), reason))
    return out


def class_status_for(today: dt.date, c: TrainingClass) -> str:
    """What the status would naturally be on a day (the officer still closes a class explicitly)."""
    if today < c.start_date:
        return "筹备"
    return "进行中" if today <= c.end_date else "已结束"

