"""Classes (培训班), their sessions (课程), enrolment, attendance, assessment and computed completion (结业)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlite_utils import Database

from trainer import enrolment_hours
from trainer.amounts import fmt, from_x100, to_x100
from trainer.dates import iso
from trainer.rules import ATTENDANCE_STATUSES, RuleSet

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]
    Bools = npt.NDArray[np.bool_]

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
        twin = db.execute("SELECT 1 FROM classes WHERE title = ? AND start_date = ? AND end_date = ? AND id IS NOT ?",
                          [values[0], values[2], values[3], c.id]).fetchone()
        if twin:  # entered twice: two identical lines in the list would split one class's people and records
            raise TrainingError(f"已有同名、同日期的培训班“{values[0]}”（{values[2]}至{values[3]}），不能重复新建；"
                                "如是另一期，请在名称中写明期次")
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


def namesakes(db: Database, c: TrainingClass) -> list[TrainingClass]:
    """Other classes of the same title starting in the same year: most likely the same class entered twice
    (the window asks before saving one); a title repeated in another year is a course run yearly."""
    rows = db.execute(f"SELECT {_CLASS_COLS} FROM classes WHERE title = ? AND substr(start_date, 1, 4) = ?"
                      " AND id IS NOT ? ORDER BY start_date, id", [c.title.strip(), f"{c.start_date.year:04d}", c.id])
    return [_class(r) for r in rows]


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


@dataclass(frozen=True)
class OutcomeArrays:
    """Every enrolment in scope (ordered by class and enrolment) as numpy columns: what `Outcome` holds, in
    exact integers (×100; credited hours already rounded half up to hundredths)."""

    class_id: Ints
    person_id: Ints
    class_x100: Ints
    credited_x100: Ints
    missed_x100: Ints
    score_x100: Ints
    has_score: Bools
    passed: Bools
    leave_ok: Bools
    computed: Bools
    completed: Bools
    reason: list[str]


def _ints(text: str | None) -> Ints:
    import numpy as np

    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, dtype=np.int64)


def outcome_arrays(db: Database, rules: RuleSet, *, class_id: int | None = None, finished_only: bool = False,
                   person_ids: Iterable[int] | None = None,
                   marks: Callable[[], enrolment_hours.Marks] | None = None) -> OutcomeArrays:
    """This is the one place completion is decided (`outcome_rows` and `outcomes` read it).
    marks: `enrolment_hours.prefetch` of the same scope, when the caller started reading them earlier."""
    import numpy as np  # here, not at the top: the command line and a cold start need not load it

    scope = enrolment_hours.Scope(class_id, finished_only, list(person_ids) if person_ids is not None else None)
    # Finished classes are picked out below rather than by SQLite per enrolment (a third of the time).
    where, args = enrolment_hours.Scope(class_id, False, scope.person_ids).where("class_id", "person_id")
    # One row of concatenated columns costs a fraction of 100,000 rows; most enrolments have no override.
    ids, cids, pids, scores, unscored = db.execute(
        "SELECT group_concat(id), group_concat(class_id), group_concat(person_id), group_concat(coalesce(score_x100,"
        f" 0)), group_concat(score_x100 IS NULL) FROM enrolments{where}", args).fetchone()
    eid, cid = _ints(ids), _ints(cids)
    keep = np.lexsort((eid, cid))
    if finished_only:
        finished = np.array([r[0] for r in db.execute("SELECT id FROM classes WHERE status = '已结束'")],
                            dtype=np.int64)
        keep = keep[np.isin(cid[keep], finished)]
    eid, cid, pid = eid[keep], cid[keep], _ints(pids)[keep]
    score, has_score = _ints(scores)[keep], _ints(unscored)[keep] == 0
    n = len(eid)
    override = np.full(n, -1, dtype=np.int64)
    reason = [""] * n
    overridden = db.execute(
        f"SELECT id, override_completed, override_reason FROM enrolments{where or ' WHERE 1'}"
        " AND (override_completed IS NOT NULL OR override_reason <> '')", args).fetchall()
    if overridden and n:
        by_id = np.argsort(eid)
        wanted = np.array([r[0] for r in overridden], dtype=np.int64)
        at = np.minimum(np.searchsorted(eid[by_id], wanted), n - 1)
        for i, hit, (_id, value, text) in zip(by_id[at].tolist(), (eid[by_id][at] == wanted).tolist(), overridden,
                                              strict=True):
            if not hit:
                continue  # a class out of scope
            if value is not None:
                override[i] = int(bool(value))
            reason[i] = text
    pass_marks = dict(db.execute("SELECT id, pass_mark_x100 FROM classes").fetchall())
    class_list = np.unique(cid)
    at_class = np.searchsorted(class_list, cid)
    pass_mark = np.array([-1 if pass_marks.get(c) is None else pass_marks[c] for c in class_list.tolist()],
                         dtype=np.int64)
    no_mark = np.array([pass_marks.get(c) is None for c in class_list.tolist()], dtype=np.bool_)
    credit_pct = {s: to_x100(rules.credit(s)) for s in ATTENDANCE_STATUSES}
    leave = rules.leave_statuses
    totals = enrolment_hours.class_hours(db, scope)
    recorded, credited, missed = enrolment_hours.recorded_arrays(db, (cid << 32) | pid, scope, credit_pct, leave,
                                                                 marks)
    total = np.array([totals.get(c, 0) for c in class_list.tolist()], dtype=np.int64)[at_class] if n else \
        np.zeros(0, dtype=np.int64)
    # Sessions without a mark count as 缺勤, for credit and for leave alike.
    unrecorded = total - recorded
    got = credited + unrecorded * credit_pct["缺勤"]
    lost = missed + unrecorded * int("缺勤" in leave)
    fraction = rules.leave_max_fraction
    passed = no_mark[at_class] | (has_score & (score >= pass_mark[at_class])) if n else np.zeros(0, dtype=bool)
    leave_ok = lost * fraction.denominator <= total * fraction.numerator  # exact: no float at 1/7
    computed = passed & leave_ok
    completed = np.where(override < 0, computed, override == 1)
    # half_up(got / 10000) to hundredths: got is a whole number of (hours ×100 × percent)
    credit = np.where(got >= 0, (got + 50) // 100, -((-got + 50) // 100))
    return OutcomeArrays(cid, pid, total, credit, lost, score, has_score, passed, leave_ok, computed, completed,
                         reason)


def outcome_rows(db: Database, rules: RuleSet, *, class_id: int | None = None, finished_only: bool = False,
                 person_ids: Iterable[int] | None = None) -> list[OutcomeRow]:
    """The fields of `Outcome`, in its order, as tuples: bulk readers skip building an object per enrolment."""
    o = outcome_arrays(db, rules, class_id=class_id, finished_only=finished_only, person_ids=person_ids)
    hundredths: dict[int, Decimal] = {}  # a few distinct values repeat across 100,000 enrolments

    def x100(v: int) -> Decimal:
        d = hundredths.get(v)
        if d is None:
            d = hundredths[v] = from_x100(v)
        return d

    return [(cid, pid, x100(total), x100(credit), x100(lost), x100(score) if scored else None,
             passed, leave_ok, computed, completed, reason)
            for cid, pid, total, credit, lost, score, scored, passed, leave_ok, computed, completed, reason in zip(
                o.class_id.tolist(), o.person_id.tolist(), o.class_x100.tolist(), o.credited_x100.tolist(),
                o.missed_x100.tolist(), o.score_x100.tolist(), o.has_score.tolist(), o.passed.tolist(),
                o.leave_ok.tolist(), o.computed.tolist(), o.completed.tolist(), o.reason, strict=True)]


# ---- closing a class and marking sessions ahead of their day ------------------------------------

ADVANCE_STATUSES = frozenset({"请假"})  # known before the day: leave is asked for in advance


def closing_warnings(db: Database, c: TrainingClass, today: dt.date) -> list[str]:
    """What the officer is asked to confirm before closing `c` on `today`, one paragraph each (none: close).

    Closing early is allowed (the last day may be a ceremony, results may be wanted before it), but it is
    said plainly: completion is computed from today's marks, and the records count from the end date.
    Raises TrainingError when there is nothing to close: no sessions or no members."""
    if c.id is None:
        raise TrainingError("培训班不存在")
    n_sessions = len(sessions(db, c.id))
    n_people = len(enrolled_ids(db, c.id))
    if not n_sessions or not n_people:
        raise TrainingError("本班还没有" + ("课程" if not n_sessions else "学员") + "，不能结班。")
    warnings = []
    if c.end_date > today:
        ahead = db.execute("SELECT COUNT(*) FROM class_sessions WHERE class_id = ? AND date > ?",
                           [c.id, iso(today)]).fetchone()[0]
        lessons = f"还有 {ahead} 节课程在今天之后；" if ahead else ""
        warnings.append(
            f"本班的结束日期是 {iso(c.end_date)}，培训还没有结束（今天是 {iso(today)}）。{lessons}"
            "现在结班将按目前已登记的考勤和成绩计算结业，"
            f"结业学员的天数和学时记在结束日期 {iso(c.end_date)}，在此之前不计入合规统计。"
            "\n如培训已提前结束，请先点“编辑”把结束日期改为实际的结束日期。")
    marked = db.execute("SELECT COUNT(*) FROM attendance a JOIN class_sessions s ON s.id = a.session_id"
                        " WHERE s.class_id = ?", [c.id]).fetchone()[0]
    missing = n_sessions * n_people - marked
    if missing:
        warnings.append(f"还有 {missing} 人次未登记考勤，未登记的按缺勤计算（不计学时）。")
    return warnings


def early_mark_warning(s: Session, status: str | None, today: dt.date) -> str:
    """Why a mark for a session that has not taken place needs a second look ('' when it does not).

    出勤, 迟到, 早退 and 缺勤 cannot be known before the day — most likely the wrong session is chosen; 请假
    can (leave is asked for in advance), and clearing a mark always can."""
    if status is None or status in ADVANCE_STATUSES or s.date <= today:
        return ""
    return (f"这节课的日期是 {iso(s.date)}，还没有到（今天是 {iso(today)}）。“{status}”要到上课当天才能确定，"
            "请确认没有选错课程。")


def class_status_for(today: dt.date, c: TrainingClass) -> str:
    """What the status would naturally be on a day (the officer still closes a class explicitly)."""
    if today < c.start_date:
        return "筹备"
    return "进行中" if today <= c.end_date else "已结束"

