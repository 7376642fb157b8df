"""As a training officer I run a class: its sessions, who attends, the assessment, and who completes
(结业). Completion is computed — passed the assessment and leave within 1/7 of the class hours — and
I can override it with a recorded reason. A finished class credits its days and the credited 学时 to
each person, and those count toward compliance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlite_utils import Database
from training_support import D, checks, make_class, person, status

from trainer import amounts, records, rules, training
from trainer.compliance import ANNUAL, COVERAGE, INITIAL
from trainer.people import Person
from trainer.training import Outcome, TrainingError


def pid(p: Person) -> int:
    return int(p.id or 0)


def outcome(db: Database, class_id: int, p: Person) -> Outcome:
    found = [o for o in training.outcomes(db, rules.active(db), class_id=class_id) if o.person_id == p.id]
    assert len(found) == 1
    return found[0]


def mark(db: Database, sessions: list[training.Session], p: Person, *statuses: str | None) -> None:
    for s, st in zip(sessions, statuses, strict=False):
        training.set_attendance(db, int(s.id or 0), {pid(p): st})


# ---- credited hours --------------------------------------------------------------------------------

def test_attended_late_and_early_leavers_get_full_hours_leave_and_absence_none(db: Database) -> None:
    c, ss = make_class(db, session_hours=("1", "2", "3", "4", "5"))
    p = person(db)
    training.enrol(db, int(c.id or 0), [pid(p)])
    mark(db, ss, p, "出勤", "迟到", "早退", "请假", "缺勤")
    o = outcome(db, int(c.id or 0), p)
    assert (o.class_hours, o.credited_hours, o.missed_hours) == (Decimal(15), Decimal(6), Decimal(9))


def test_a_changed_credit_in_the_rule_set_changes_the_credited_hours(db: Database) -> None:
    c, ss = make_class(db, session_hours=("4", "4", "4", "4"))
    p = person(db)
    training.enrol(db, int(c.id or 0), [pid(p)])
    mark(db, ss, p, "出勤", "迟到", "早退", "出勤")
    assert outcome(db, int(c.id or 0), p).credited_hours == Decimal(16)
    rules.save_changes(db, {"credit_迟到": "0.5", "credit_早退": "0"})
    assert outcome(db, int(c.id or 0), p).credited_hours == Decimal(10)
    rules.save_changes(db, {"credit_请假": "0.25"})
    mark(db, ss[3:], p, "请假")
    assert outcome(db, int(c.id or 0), p).credited_hours == Decimal(7)


def test_credited_hours_round_half_up_not_to_even(db: Database) -> None:
    rules.save_changes(db, {"credit_迟到": "0.5"})
    c, ss = make_class(db, session_hours=("2.25",))
    p = person(db)
    training.enrol(db, int(c.id or 0), [pid(p)])
    mark(db, ss, p, "迟到")
    assert outcome(db, int(c.id or 0), p).credited_hours == Decimal("1.13")  # 1.125 → 1.13, never 1.12


@pytest.mark.parametrize(("value", "expected"), [
    ("2.345", "2.35"), ("2.335", "2.34"), ("1.125", "1.13"), ("2.344", "2.34"), ("0.005", "0.01")])
def test_half_up_never_rounds_to_even(value: str, expected: str) -> None:
    assert amounts.half_up(Decimal(value)) == Decimal(expected)
    assert str(amounts.half_up(Decimal(value))) == expected


def test_hundredths_are_stored_and_read_back_exactly() -> None:
    assert amounts.to_x100(Decimal("2.345")) == 235
    assert amounts.to_x100(Decimal("2.335")) == 234
    assert amounts.from_x100(225) == Decimal("2.25")
    assert amounts.fmt(Decimal("2.50")) == "2.5" and amounts.fmt(Decimal("90")) == "90"


def test_unrecorded_attendance_counts_as_absence(db: Database) -> None:
    c, ss = make_class(db, session_hours=("2", "2", "2"))
    p = person(db)
    training.enrol(db, int(c.id or 0), [pid(p)])
    mark(db, ss, p, "出勤")
    o = outcome(db, int(c.id or 0), p)
    assert (o.credited_hours, o.missed_hours) == (Decimal(2), Decimal(4))
    assert not o.leave_ok and not o.completed


def test_a_cleared_mark_is_unrecorded_again(db: Database) -> None:
    c, ss = make_class(db, session_hours=("2",))
    p = person(db)
    training.enrol(db, int(c.id or 0), [pid(p)])
    mark(db, ss, p, "出勤")
    mark(db, ss, p, None)
    assert training.attendance(db, int(ss[0].id or 0)) == {}
    assert outcome(db, int(c.id or 0), p).credited_hours == 0


# ---- leave within 1/7 ------------------------------------------------------------------------------

SEVEN = ("1",) * 7


@pytest.mark.parametrize(("away", "completed"), [
    ((), True),
    (("请假",), True),  # exactly 1/7 of the class hours
    (("缺勤",), True),
    (("请假", "请假"), False),  # 2/7
    (("请假", None), False),  # one leave and one session nobody marked
])
def test_leave_of_exactly_one_seventh_of_the_hours_still_completes(
        db: Database, away: tuple[str | None, ...], completed: bool) -> None:
    c, ss = make_class(db, session_hours=SEVEN, end=D(2026, 3, 8))
    p = person(db)
    training.enrol(db, int(c.id or 0), [pid(p)])
    mark(db, ss, p, *(("出勤",) * (7 - len(away)) + away))
    o = outcome(db, int(c.id or 0), p)
    assert (o.leave_ok, o.completed) == (completed, completed)
    assert o.missed_hours == len(away)
    if not completed:
        assert "请假超过规定比例" in o.explanation


def test_just_over_one_seventh_in_hours_fails(db: Database) -> None:
    c, ss = make_class(db, session_hours=("6", "1.01"))  # 1.01 of 7.01 学时 is just over 1/7
    ok_class, ok_ss = make_class(db, session_hours=("6", "1"), title="对照班")  # 1 of 7: exactly 1/7
    p = person(db)
    for cls, sessions in ((c, ss), (ok_class, ok_ss)):
        training.enrol(db, int(cls.id or 0), [pid(p)])
        mark(db, sessions, p, "出勤", "请假")
    assert outcome(db, int(c.id or 0), p).completed is False
    assert outcome(db, int(ok_class.id or 0), p).completed is True


def test_the_leave_fraction_and_leave_statuses_come_from_the_rule_set(db: Database) -> None:
    c, ss = make_class(db, session_hours=SEVEN, end=D(2026, 3, 8))
    p = person(db)
    training.enrol(db, int(c.id or 0), [pid(p)])
    mark(db, ss, p, "出勤", "出勤", "出勤", "出勤", "出勤", "请假", "缺勤")
    assert outcome(db, int(c.id or 0), p).completed is False
    rules.save_changes(db, {"leave_max_fraction": "2/7"})
    assert outcome(db, int(c.id or 0), p).completed is True
    rules.save_changes(db, {"leave_max_fraction": "1/7", "leave_statuses": "请假"})
    assert outcome(db, int(c.id or 0), p).completed is True  # 缺勤 no longer counts as leave
    assert outcome(db, int(c.id or 0), p).missed_hours == 1


# ---- assessment and override -----------------------------------------------------------------------

@pytest.mark.parametrize(("score", "passed"), [("60", True), ("59.99", False), ("100", True), (None, False)])
def test_a_score_equal_to_the_pass_mark_passes(db: Database, score: str | None, passed: bool) -> None:
    c, ss = make_class(db, pass_mark="60")
    p = person(db)
    training.enrol(db, int(c.id or 0), [pid(p)])
    mark(db, ss, p, "出勤")
    training.set_score(db, int(c.id or 0), pid(p), Decimal(score) if score is not None else None)
    o = outcome(db, int(c.id or 0), p)
    assert (o.passed, o.completed) == (passed, passed)
    if score is None:
        assert "无考核成绩" in o.explanation
    elif not passed:
        assert "考核未通过" in o.explanation


def test_a_class_without_a_pass_mark_needs_no_score(db: Database) -> None:
    c, ss = make_class(db)
    p = person(db)
    training.enrol(db, int(c.id or 0), [pid(p)])
    mark(db, ss, p, "出勤")
    assert outcome(db, int(c.id or 0), p).completed is True


def test_scores_out_of_range_and_for_strangers_are_refused(db: Database) -> None:
    c, _ = make_class(db, pass_mark="60")
    p, stranger = person(db), person(db)
    training.enrol(db, int(c.id or 0), [pid(p)])
    with pytest.raises(TrainingError, match="成绩"):
        training.set_score(db, int(c.id or 0), pid(p), Decimal(-1))
    with pytest.raises(TrainingError, match="不在本班"):
        training.set_score(db, int(c.id or 0), pid(stranger), Decimal(80))


def test_the_officer_overrides_completion_with_a_reason(db: Database) -> None:
    c, ss = make_class(db, pass_mark="60")
    p = person(db)
    training.enrol(db, int(c.id or 0), [pid(p)])
    mark(db, ss, p, "出勤")
    training.set_score(db, int(c.id or 0), pid(p), Decimal(55))
    training.set_override(db, int(c.id or 0), pid(p), True, "  补考合格  ")
    o = outcome(db, int(c.id or 0), p)
    assert (o.computed, o.completed, o.override_reason) == (False, True, "补考合格")
    assert "人工认定为结业：补考合格" in o.explanation
    training.set_override(db, int(c.id or 0), pid(p), None)
    o = outcome(db, int(c.id or 0), p)
    assert (o.completed, o.override_reason) == (False, "")


def test_an_override_can_also_refuse_completion(db: Database) -> None:
    c, ss = make_class(db)
    p = person(db)
    training.enrol(db, int(c.id or 0), [pid(p)])
    mark(db, ss, p, "出勤")
    training.set_override(db, int(c.id or 0), pid(p), False, "考试作弊")
    o = outcome(db, int(c.id or 0), p)
    assert (o.computed, o.completed) == (True, False)


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_override_without_a_reason_is_refused_and_changes_nothing(db: Database, reason: str) -> None:
    c, ss = make_class(db)
    p = person(db)
    training.enrol(db, int(c.id or 0), [pid(p)])
    mark(db, ss, p, "出勤")
    with pytest.raises(TrainingError, match="理由"):
        training.set_override(db, int(c.id or 0), pid(p), False, reason)
    assert outcome(db, int(c.id or 0), p).completed is True


# ---- finished classes become training records ------------------------------------------------------

def test_only_finished_classes_produce_training_records(db: Database) -> None:
    p = person(db)
    for st in ("筹备", "进行中"):
        c, ss = make_class(db, status=st, title=f"{st}班")
        training.enrol(db, int(c.id or 0), [pid(p)])
        mark(db, ss, p, "出勤")
    assert records.class_records(db, rules.active(db)) == []
    c, ss = make_class(db, status="进行中", title="收尾班")
    training.enrol(db, int(c.id or 0), [pid(p)])
    mark(db, ss, p, "出勤")
    training.save_class(db, replace(c, status="已结束"))  # the officer closes the class
    recs = records.class_records(db, rules.active(db))
    assert [(r.title, r.source, r.class_id) for r in recs] == [("收尾班", "培训班", c.id)]


def test_a_completed_class_credits_its_days_and_credited_hours_to_compliance(db: Database) -> None:
    # 3 days, 7 sessions of 2 学时: one leave is exactly 1/7, two are too many
    c, ss = make_class(db, start=D(2026, 3, 2), end=D(2026, 3, 4), session_hours=("2",) * 7)
    one_leave, two_leaves = person(db), person(db)
    training.enrol(db, int(c.id or 0), [pid(one_leave), pid(two_leaves)])
    mark(db, ss, one_leave, *(["出勤"] * 6 + ["请假"]))
    mark(db, ss, two_leaves, *(["出勤"] * 5 + ["请假", "请假"]))
    by_person = records.by_person(db, rules.active(db))
    rec = by_person[pid(one_leave)][0]
    assert (rec.days, rec.hours, rec.completed) == (Decimal(3), Decimal(12), True)
    assert by_person[pid(two_leaves)][0].completed is False
    row = checks(db, one_leave, D(2026, 6, 30))
    assert "已完成12学时、3天" in row[ANNUAL].note
    assert row[COVERAGE].status == "合格"
    assert status(db, two_leaves, COVERAGE, D(2026, 6, 30)) == "未完成"


def test_a_twelve_day_initial_class_passes_the_recruits_initial_training(db: Database) -> None:
    recruit = person(db, hire=D(2026, 1, 5))
    c, ss = make_class(db, "初任培训", D(2026, 4, 7), D(2026, 4, 18), session_hours=("8",) * 12,
                       title="2026年初任培训班第1期")
    training.enrol(db, int(c.id or 0), [pid(recruit)])
    mark(db, ss, recruit, *(["出勤"] * 12))
    row = checks(db, recruit, D(2026, 4, 18))[INITIAL]
    assert row.status == "合格" and "2026年初任培训班第1期" in row.note and "12天" in row.note
    assert status(db, recruit, INITIAL, D(2026, 4, 17)) == "未完成"  # the class had not ended yet


def test_an_overridden_completion_counts_toward_compliance(db: Database) -> None:
    c, ss = make_class(db, session_hours=("2", "2"))
    p = person(db)
    training.enrol(db, int(c.id or 0), [pid(p)])
    mark(db, ss, p, "出勤", "请假")
    assert status(db, p, COVERAGE, D(2026, 6, 30)) == "未完成"
    training.set_override(db, int(c.id or 0), pid(p), True, "因公请假，已补课")
    assert status(db, p, COVERAGE, D(2026, 6, 30)) == "合格"


# ---- class, session and enrolment rules ------------------------------------------------------------

def test_enrolment_beyond_the_capacity_is_refused_and_writes_nothing(db: Database) -> None:
    c, _ = make_class(db, capacity=2)
    a, b, extra = person(db), person(db), person(db)
    with pytest.raises(TrainingError, match="超出人数上限"):
        training.enrol(db, int(c.id or 0), [pid(a), pid(b), pid(extra)])
    assert training.enrolled_ids(db, int(c.id or 0)) == []
    assert training.enrol(db, int(c.id or 0), [pid(a), pid(b)]) == 2
    assert training.enrol(db, int(c.id or 0), [pid(a)]) == 0  # already enrolled: skipped, not refused
    with pytest.raises(TrainingError, match="上限2人"):
        training.enrol(db, int(c.id or 0), [pid(extra)])
    assert training.enrolled_ids(db, int(c.id or 0)) == [pid(a), pid(b)]


def test_a_session_must_fall_within_the_class_dates(db: Database) -> None:
    c, _ = make_class(db, start=D(2026, 3, 2), end=D(2026, 3, 4), session_hours=())
    cid = int(c.id or 0)
    for day in (D(2026, 3, 1), D(2026, 3, 5)):
        with pytest.raises(TrainingError, match="不在培训班起止日期"):
            training.save_session(db, training.Session(None, cid, day, "课", Decimal(2)))
    for day in (D(2026, 3, 2), D(2026, 3, 4)):
        training.save_session(db, training.Session(None, cid, day, "课", Decimal(2)))
    assert len(training.sessions(db, cid)) == 2


def test_moving_class_dates_away_from_its_sessions_is_refused(db: Database) -> None:
    c, _ = make_class(db, start=D(2026, 3, 2), end=D(2026, 3, 4), session_hours=("2", "2", "2"))
    cid = int(c.id or 0)
    moved = training.TrainingClass(cid, c.title, c.type, D(2026, 3, 3), D(2026, 3, 4), status=c.status)
    with pytest.raises(TrainingError, match="不在新的起止日期内"):
        training.save_class(db, moved)
    assert training.get_class(db, cid) == c


@pytest.mark.parametrize(("hours", "message"), [(Decimal(0), "学时应大于0"), (Decimal(-1), "学时应大于0")])
def test_a_session_needs_hours(db: Database, hours: Decimal, message: str) -> None:
    c, _ = make_class(db, session_hours=())
    with pytest.raises(TrainingError, match=message):
        training.save_session(db, training.Session(None, int(c.id or 0), c.start_date, "课", hours))


def test_a_class_needs_a_known_type_and_ordered_dates(db: Database) -> None:
    with pytest.raises(TrainingError, match="未知的培训类型"):
        training.save_class(db, training.TrainingClass(None, "班", "观摩", D(2026, 3, 2), D(2026, 3, 2)))
    with pytest.raises(TrainingError, match="结束日期早于开始日期"):
        training.save_class(db, training.TrainingClass(None, "班", "专题培训", D(2026, 3, 2), D(2026, 3, 1)))
    assert training.list_classes(db) == []


def test_only_enrolled_people_get_attendance_and_only_known_statuses(db: Database) -> None:
    c, ss = make_class(db)
    p, stranger = person(db), person(db)
    training.enrol(db, int(c.id or 0), [pid(p)])
    sid = int(ss[0].id or 0)
    with pytest.raises(TrainingError, match="本班学员"):
        training.set_attendance(db, sid, {pid(p): "出勤", pid(stranger): "出勤"})
    assert training.attendance(db, sid) == {}  # the whole batch was refused
    with pytest.raises(TrainingError, match="未知的考勤状态"):
        training.set_attendance(db, sid, {pid(p): "旷课"})


def test_unenrolling_removes_the_persons_attendance(db: Database) -> None:
    c, ss = make_class(db)
    p = person(db)
    training.enrol(db, int(c.id or 0), [pid(p)])
    mark(db, ss, p, "出勤")
    training.unenrol(db, int(c.id or 0), [pid(p)])
    assert training.attendance(db, int(ss[0].id or 0)) == {}
    assert training.outcomes(db, rules.active(db), class_id=int(c.id or 0)) == []


def test_a_class_counts_its_days_inclusively() -> None:
    c = training.TrainingClass(None, "班", "专题培训", D(2026, 2, 27), dt.date(2026, 3, 2))
    assert c.days == 4


# ---- closing early, marking ahead of the day -----------------------------------------------------------

def test_closing_before_the_end_date_is_said_plainly_but_allowed(db: Database) -> None:
    c, ss = make_class(db, start=D(2026, 3, 2), end=D(2026, 3, 4), session_hours=("4", "4", "4"), status="进行中")
    p = person(db)
    training.enrol(db, int(c.id or 0), [pid(p)])
    mark(db, ss, p, "出勤", "出勤", "出勤")
    on_the_day_before = training.closing_warnings(db, c, D(2026, 3, 3))
    assert len(on_the_day_before) == 1
    assert "结束日期是 2026-03-04" in on_the_day_before[0] and "还有 1 节课程在今天之后" in on_the_day_before[0]
    assert "现在结班将按目前已登记的考勤和成绩计算结业" in on_the_day_before[0]
    assert training.closing_warnings(db, c, D(2026, 3, 4)) == []  # on the last day: nothing to warn of


def test_closing_counts_the_marks_not_entered_and_refuses_an_empty_class(db: Database) -> None:
    c, ss = make_class(db, start=D(2026, 3, 2), end=D(2026, 3, 4), session_hours=("4", "4", "4"), status="进行中")
    with pytest.raises(TrainingError, match="本班还没有学员，不能结班"):
        training.closing_warnings(db, c, D(2026, 3, 10))
    p = person(db)
    training.enrol(db, int(c.id or 0), [pid(p)])
    mark(db, ss, p, "出勤")
    assert training.closing_warnings(db, c, D(2026, 3, 10)) == [
        "还有 2 人次未登记考勤，未登记的按缺勤计算（不计学时）。"]
    empty, _ = make_class(db, session_hours=(), status="进行中", title="空班")
    with pytest.raises(TrainingError, match="本班还没有课程，不能结班"):
        training.closing_warnings(db, empty, D(2026, 3, 10))


def test_only_leave_can_be_marked_before_the_sessions_day(db: Database) -> None:
    _c, ss = make_class(db, start=D(2026, 3, 2), session_hours=("4",), status="筹备")
    before = D(2026, 3, 1)
    assert "还没有到" in training.early_mark_warning(ss[0], "出勤", before)
    assert "“缺勤”要到上课当天才能确定" in training.early_mark_warning(ss[0], "缺勤", before)
    assert training.early_mark_warning(ss[0], "请假", before) == ""  # leave is asked for in advance
    assert training.early_mark_warning(ss[0], None, before) == ""  # clearing a mark
    assert training.early_mark_warning(ss[0], "出勤", D(2026, 3, 2)) == ""  # on the day


def test_the_same_class_cannot_be_entered_twice(db: Database) -> None:
    c, _ = make_class(db, start=D(2026, 3, 2), end=D(2026, 3, 4), title="初任培训班第2期")
    twin = replace(c, id=None, note="又录了一遍")
    with pytest.raises(TrainingError,
                       match="已有同名、同日期的培训班“初任培训班第2期”（2026-03-02至2026-03-04），不能重复新建"):
        training.save_class(db, twin)
    with pytest.raises(TrainingError, match="不能重复新建"):
        training.save_class(db, replace(twin, title=" 初任培训班第2期 "))
    assert len(training.list_classes(db)) == 1
    training.save_class(db, replace(c, note="改备注"))  # saving the class itself is no duplicate
    later = training.save_class(db, replace(twin, start_date=D(2026, 6, 1), end_date=D(2026, 6, 3)))
    assert [x.id for x in training.namesakes(db, later)] == [c.id]  # the window asks about this one
    next_year = replace(twin, start_date=D(2027, 3, 1), end_date=D(2027, 3, 3))
    assert training.namesakes(db, next_year) == []  # a course run yearly under one name
