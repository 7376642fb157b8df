"""As a training officer I pick an as-of date and see, per person and check, who is 合格, who is behind
and who is 逾期. Every rule of issue 4's "Compliance semantics" is checked at its boundaries: the day
before, on and after a due date, exactly the minimum days or 学时 and just under it.

People are saved on the register with `trainer.people.save`; their training arrives through the
external records import (plan, then apply), as a training officer would bring it in.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlite_utils import Database
from training_support import D, add_record, checks, person, status

from trainer import compliance, rules
from trainer.compliance import ANNUAL, APPOINTMENT, CARD, CHECKS, COVERAGE, INITIAL

DAY = dt.timedelta(days=1)


def days(start: dt.date, n: int) -> tuple[dt.date, dt.date]:
    """A course of n days (inclusive) starting on `start`."""
    return start, start + dt.timedelta(days=n - 1)


# ---- 初任培训 -------------------------------------------------------------------------------------

HIRE = D(2025, 3, 10)
DUE = D(2026, 3, 10)


@pytest.mark.parametrize(("as_of", "expected"), [
    (DUE - DAY, "未完成"),
    (DUE, "未完成"),  # on the due date the recruit is not yet late
    (DUE + DAY, "逾期"),
])
def test_a_recruit_without_initial_training_is_late_only_after_the_due_date(
        db: Database, as_of: dt.date, expected: str) -> None:
    recruit = person(db, hire=HIRE)
    row = checks(db, recruit, as_of)[INITIAL]
    assert (row.status, row.due) == (expected, DUE)
    assert "入职2025-03-10" in row.note


def test_initial_training_is_due_one_year_after_hire_keeping_month_and_day(db: Database) -> None:
    recruit = person(db, hire=D(2025, 12, 31))
    assert checks(db, recruit, D(2026, 1, 1))[INITIAL].due == D(2026, 12, 31)


def test_a_recruit_hired_on_29_february_is_due_on_28_february_next_year(db: Database) -> None:
    recruit = person(db, hire=D(2024, 2, 29))
    assert checks(db, recruit, D(2025, 1, 1))[INITIAL].due == D(2025, 2, 28)
    assert status(db, recruit, INITIAL, D(2025, 2, 28)) == "未完成"
    assert status(db, recruit, INITIAL, D(2025, 3, 1)) == "逾期"


def test_exactly_twelve_days_of_initial_training_ending_on_the_due_date_meets_it(db: Database) -> None:
    recruit = person(db, hire=HIRE)
    add_record(db, recruit, "初任培训", *days(DUE - dt.timedelta(days=11), 12), hours="96")
    row = checks(db, recruit, DUE)[INITIAL]
    assert (row.status, row.due) == ("合格", DUE)
    assert "12天" in row.note and "逾期" not in row.note
    assert status(db, recruit, INITIAL, DUE + dt.timedelta(days=400)) == "合格"


def test_eleven_days_of_initial_training_are_not_enough(db: Database) -> None:
    recruit = person(db, hire=HIRE)
    add_record(db, recruit, "初任培训", *days(D(2025, 6, 2), 11), hours="200")
    assert status(db, recruit, INITIAL, DUE) == "未完成"
    assert status(db, recruit, INITIAL, DUE + DAY) == "逾期"


def test_the_days_a_record_states_win_over_its_dates(db: Database) -> None:
    twelve_stated, eleven_stated = person(db, hire=HIRE), person(db, hire=HIRE)
    add_record(db, twelve_stated, "初任培训", *days(D(2025, 6, 2), 20), days="12")
    add_record(db, eleven_stated, "初任培训", *days(D(2025, 6, 2), 20), days="11")
    assert status(db, twelve_stated, INITIAL, DUE) == "合格"
    assert status(db, eleven_stated, INITIAL, DUE) == "未完成"


def test_a_late_initial_training_passes_and_the_note_says_it_was_late(db: Database) -> None:
    recruit = person(db, hire=HIRE)
    add_record(db, recruit, "初任培训", *days(DUE + DAY - dt.timedelta(days=11), 12))  # ends the day after the due date
    assert status(db, recruit, INITIAL, DUE) == "未完成"  # it ends after the as-of date: not counted yet
    row = checks(db, recruit, DUE + DAY)[INITIAL]
    assert row.status == "合格"
    assert "逾期完成" in row.note and "2026-03-10" in row.note


def test_an_unfinished_or_other_kind_of_training_does_not_count_as_initial_training(db: Database) -> None:
    recruit = person(db, hire=HIRE)
    add_record(db, recruit, "初任培训", *days(D(2025, 6, 2), 15), completed=False)
    add_record(db, recruit, "业务知识培训", *days(D(2025, 8, 4), 15))
    assert status(db, recruit, INITIAL, DUE + DAY) == "逾期"


@pytest.mark.parametrize(("hire", "applies"), [
    (D(2021, 6, 5), False),  # hired the day before the rule set's start date
    (D(2021, 6, 6), True),
    (D(2010, 1, 1), False),
])
def test_initial_training_applies_to_officers_hired_on_or_after_the_start_date(
        db: Database, hire: dt.date, applies: bool) -> None:
    officer = person(db, hire=hire)
    assert (INITIAL in checks(db, officer, D(2026, 6, 30))) is applies


def test_auxiliaries_take_no_initial_training(db: Database) -> None:
    aux = person(db, category="协管人员", hire=HIRE)
    assert INITIAL not in checks(db, aux, DUE + DAY)


# ---- 任职培训 -------------------------------------------------------------------------------------

SINCE = D(2025, 5, 20)
LEADER_DUE = D(2026, 5, 20)


@pytest.mark.parametrize(("end", "counts"), [
    (D(2024, 5, 20), True),  # ends exactly one year before the appointment
    (D(2024, 5, 19), False),  # one day earlier: too long before the post
    (SINCE, True),
    (LEADER_DUE, True),
])
def test_appointment_training_counts_from_one_year_before_the_appointment(
        db: Database, end: dt.date, counts: bool) -> None:
    leader = person(db, hire=D(2012, 3, 1), leader_since=SINCE)
    add_record(db, leader, "任职培训", end - dt.timedelta(days=14), end)
    assert status(db, leader, APPOINTMENT, LEADER_DUE) == ("合格" if counts else "未完成")
    assert status(db, leader, APPOINTMENT, LEADER_DUE + DAY) == ("合格" if counts else "逾期")


@pytest.mark.parametrize(("n", "expected"), [(15, "合格"), (14, "逾期")])
def test_appointment_training_needs_fifteen_days(db: Database, n: int, expected: str) -> None:
    leader = person(db, hire=D(2012, 3, 1), leader_since=SINCE)
    add_record(db, leader, "任职培训", *days(D(2025, 9, 1), n), hours="120")
    assert status(db, leader, APPOINTMENT, LEADER_DUE + DAY) == expected


@pytest.mark.parametrize(("as_of", "expected"), [
    (LEADER_DUE - DAY, "未完成"), (LEADER_DUE, "未完成"), (LEADER_DUE + DAY, "逾期")])
def test_a_leader_without_appointment_training_is_late_only_after_the_due_date(
        db: Database, as_of: dt.date, expected: str) -> None:
    leader = person(db, hire=D(2012, 3, 1), leader_since=SINCE)
    row = checks(db, leader, as_of)[APPOINTMENT]
    assert (row.status, row.due) == (expected, LEADER_DUE)


def test_a_late_appointment_training_passes_with_a_note(db: Database) -> None:
    leader = person(db, hire=D(2012, 3, 1), leader_since=SINCE)
    add_record(db, leader, "任职培训", *days(D(2026, 6, 1), 15))
    row = checks(db, leader, D(2026, 7, 1))[APPOINTMENT]
    assert row.status == "合格" and "逾期完成" in row.note


def test_a_leader_appointed_on_29_february(db: Database) -> None:
    leader = person(db, hire=D(2012, 3, 1), leader_since=D(2024, 2, 29))
    add_record(db, leader, "任职培训", D(2023, 2, 14), D(2023, 2, 28))  # ends on "one year before"
    row = checks(db, leader, D(2025, 3, 1))[APPOINTMENT]
    assert (row.status, row.due) == ("合格", D(2025, 2, 28))


@pytest.mark.parametrize(("since", "applies"), [(D(2021, 6, 5), False), (D(2021, 6, 6), True), (None, False)])
def test_appointment_training_applies_to_leaders_appointed_on_or_after_the_start_date(
        db: Database, since: dt.date | None, applies: bool) -> None:
    p = person(db, hire=D(2012, 3, 1), leader_since=since)
    assert (APPOINTMENT in checks(db, p, D(2026, 6, 30))) is applies


def test_an_unfinished_appointment_training_does_not_count(db: Database) -> None:
    leader = person(db, hire=D(2012, 3, 1), leader_since=SINCE)
    add_record(db, leader, "任职培训", *days(D(2025, 9, 1), 20), completed=False)
    assert status(db, leader, APPOINTMENT, LEADER_DUE + DAY) == "逾期"


# ---- 年度学时 -------------------------------------------------------------------------------------

AS_OF = D(2026, 6, 30)


@pytest.mark.parametrize(("hours", "expected"), [
    (("45", "45"), "合格"),  # exactly 90 学时 from two courses
    (("45", "44.99"), "未完成"),  # 89.99
    (("90",), "合格"),
    (("89.99",), "未完成"),
])
def test_ninety_hours_in_the_year_are_enough(db: Database, hours: tuple[str, ...], expected: str) -> None:
    officer = person(db)
    for i, h in enumerate(hours):
        add_record(db, officer, "业务知识培训", *days(D(2026, 3, 2) + dt.timedelta(days=7 * i), 3), hours=h)
    row = checks(db, officer, AS_OF)[ANNUAL]
    assert (row.status, row.due) == (expected, D(2026, 12, 31))
    assert f"已完成{'90' if expected == '合格' else '89.99'}学时" in row.note


@pytest.mark.parametrize(("n", "expected"), [(12, "合格"), (11, "未完成")])
def test_twelve_days_in_the_year_are_enough_whatever_the_hours(db: Database, n: int, expected: str) -> None:
    officer = person(db)
    add_record(db, officer, "业务知识培训", *days(D(2026, 3, 2), n - 5), hours="10")
    add_record(db, officer, "专题培训", *days(D(2026, 5, 4), 5), hours="10")
    assert status(db, officer, ANNUAL, AS_OF) == expected


def test_hours_of_unfinished_and_of_last_years_training_do_not_count(db: Database) -> None:
    officer = person(db)
    add_record(db, officer, "业务知识培训", *days(D(2025, 12, 1), 3), hours="90")  # last year
    add_record(db, officer, "执法技能培训", *days(D(2026, 3, 2), 5), hours="90", completed=False)
    assert status(db, officer, ANNUAL, AS_OF) == "未完成"
    assert "0学时" in checks(db, officer, AS_OF)[ANNUAL].note


def test_a_course_across_new_year_counts_in_the_year_it_ends(db: Database) -> None:
    officer = person(db)
    add_record(db, officer, "业务知识培训", D(2025, 12, 28), D(2026, 1, 8), hours="20")  # 12 days
    assert status(db, officer, ANNUAL, D(2026, 1, 8)) == "合格"
    assert status(db, officer, ANNUAL, D(2025, 12, 31)) == "逾期"


def test_hours_ending_after_the_as_of_date_do_not_count_yet(db: Database) -> None:
    officer = person(db)
    add_record(db, officer, "业务知识培训", *days(D(2026, 6, 29), 3), hours="90")  # ends 1 July
    assert status(db, officer, ANNUAL, AS_OF) == "未完成"
    assert status(db, officer, ANNUAL, D(2026, 7, 1)) == "合格"


@pytest.mark.parametrize(("as_of", "expected"), [(D(2026, 12, 30), "未完成"), (D(2026, 12, 31), "逾期")])
def test_annual_hours_are_late_only_on_31_december(db: Database, as_of: dt.date, expected: str) -> None:
    officer = person(db)
    add_record(db, officer, "业务知识培训", *days(D(2026, 3, 2), 3), hours="24")
    assert status(db, officer, ANNUAL, as_of) == expected


@pytest.mark.parametrize(("hire", "applies"), [(D(2026, 1, 1), False), (D(2025, 12, 31), True)])
def test_officers_hired_in_the_as_of_year_have_no_annual_hours_check(
        db: Database, hire: dt.date, applies: bool) -> None:
    officer = person(db, hire=hire)
    assert (ANNUAL in checks(db, officer, AS_OF)) is applies


def test_auxiliaries_have_no_annual_hours_check(db: Database) -> None:
    assert ANNUAL not in checks(db, person(db, category="协管人员"), AS_OF)


# ---- 培训覆盖 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("category", ["执法人员", "协管人员"])
def test_everyone_needs_one_completed_training_in_the_year(db: Database, category: str) -> None:
    trained, untrained, unfinished = (person(db, category=category) for _ in range(3))
    add_record(db, trained, "协管人员培训", *days(D(2026, 6, 8), 1), hours="4")
    add_record(db, unfinished, "协管人员培训", *days(D(2026, 6, 8), 1), hours="4", completed=False)
    add_record(db, untrained, "协管人员培训", *days(D(2025, 6, 8), 1), hours="4")  # last year
    row = checks(db, trained, AS_OF)[COVERAGE]
    assert (row.status, row.due) == ("合格", D(2026, 12, 31))
    assert status(db, untrained, COVERAGE, AS_OF) == "未完成"
    assert status(db, unfinished, COVERAGE, AS_OF) == "未完成"
    assert status(db, untrained, COVERAGE, D(2026, 12, 30)) == "未完成"
    assert status(db, untrained, COVERAGE, D(2026, 12, 31)) == "逾期"
    assert status(db, trained, COVERAGE, D(2026, 6, 7)) == "未完成"  # the course had not happened yet


def test_coverage_applies_to_people_hired_this_year(db: Database) -> None:
    assert status(db, person(db, category="协管人员", hire=D(2026, 5, 1)), COVERAGE, AS_OF) == "未完成"


# ---- 持证上岗 -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("expiry", "expected"), [
    (AS_OF - DAY, "不合格"),
    (AS_OF, "即将到期"),
    (AS_OF + dt.timedelta(days=90), "即将到期"),
    (AS_OF + dt.timedelta(days=91), "合格"),
])
def test_card_expiry_against_the_as_of_date(db: Database, expiry: dt.date, expected: str) -> None:
    officer = person(db, card_expiry=expiry)
    row = checks(db, officer, AS_OF)[CARD]
    assert (row.status, row.due) == (expected, expiry)
    assert officer.card_number in row.note


def test_an_officer_without_a_card_fails_with_no_due_date(db: Database) -> None:
    officer = person(db, card_expiry=None)
    row = checks(db, officer, AS_OF)[CARD]
    assert (row.status, row.due) == ("不合格", None)
    assert row.csv_row()[5] == ""


def test_a_card_number_without_an_expiry_date_is_no_valid_card(db: Database) -> None:
    officer = person(db, card="豫41999999", card_expiry=None)
    assert status(db, officer, CARD, AS_OF) == "不合格"


def test_auxiliaries_have_no_card_check(db: Database) -> None:
    assert CARD not in checks(db, person(db, category="协管人员"), AS_OF)


# ---- who is checked, and in which order ------------------------------------------------------------

@pytest.mark.parametrize("post", ["离岗", "借调", "退休", "调出"])
def test_only_people_on_post_are_checked(db: Database, post: str) -> None:
    away = person(db, hire=HIRE, leader_since=SINCE, card_expiry=None, post_status=post)
    assert checks(db, away, AS_OF) == {}


def test_a_new_leader_recruit_gets_every_check_in_the_contract_order(db: Database) -> None:
    p = person(db, hire=D(2023, 9, 1), leader_since=D(2025, 9, 1))
    rows = compliance.evaluate(db, rules.active(db), AS_OF, person_ids=[int(p.id or 0)])
    assert [r.check for r in rows] == list(CHECKS)
    assert {(r.id_number, r.name, r.unit) for r in rows} == {(p.id_number, p.name, "新华区")}


def test_check_person_alone_agrees_with_evaluate(db: Database) -> None:
    """check_person is the pure rule: given the same records it answers the same."""
    from trainer import records

    p = person(db, hire=HIRE)
    add_record(db, p, "初任培训", *days(D(2025, 6, 2), 12), hours="96")
    active = rules.active(db)
    recs = records.by_person(db, active, [int(p.id or 0)])[int(p.id or 0)]
    pure = compliance.check_person(p, recs, active, AS_OF)
    assert [(c, s, d) for c, s, d, _ in pure] == [(r.check, r.status, r.due) for r in checks(db, p, AS_OF).values()]
    assert compliance.check_person(p, recs, active, DUE + DAY)[0][:2] == (INITIAL, "合格")
