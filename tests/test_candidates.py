"""添加尚需此培训的人员: who a class is for, decided by the compliance checks for 初任/任职培训 and by the
audience for everything else; nobody is booked twice."""

from __future__ import annotations

import datetime as dt

import pytest
from training_support import D, add_record, make_class, person, unit_id

from trainer import candidates, plans, rules, training
from trainer.plans import Audience

AS_OF = D(2026, 11, 25)


def names(db, c: training.TrainingClass) -> list[str]:
    return [p.name for p in candidates.find(db, c, rules.active(db), AS_OF).people]


def test_initial_training_is_for_recent_recruits_who_have_not_passed_it(db):
    person(db, "新人甲", hire=D(2026, 1, 5))
    done = person(db, "新人乙", hire=D(2025, 12, 1))
    add_record(db, done, "初任培训", D(2026, 2, 1), D(2026, 2, 12))  # exactly 12 days: 合格
    short = person(db, "新人丙", hire=D(2025, 12, 1))
    add_record(db, short, "初任培训", D(2026, 2, 1), D(2026, 2, 11))  # 11 days: still needs it
    person(db, "老队员", hire=D(2015, 7, 1))  # hired before the rule's start date: no 初任培训 check
    person(db, "协管新人", category="协管人员", hire=D(2026, 1, 5))
    person(db, "离岗新人", hire=D(2026, 1, 5), post_status="离岗")
    c, _ = make_class(db, "初任培训", D(2026, 12, 1), D(2026, 12, 15), status="筹备")
    assert sorted(names(db, c)) == ["新人丙", "新人甲"]


def test_appointment_training_is_for_leaders_without_it(db):
    person(db, "新队长", leader_since=D(2026, 3, 1))
    trained = person(db, "老队长", leader_since=D(2026, 3, 1))
    add_record(db, trained, "任职培训", D(2026, 4, 1), D(2026, 4, 15))
    person(db, "队员", hire=D(2015, 1, 1))
    c, _ = make_class(db, "任职培训", D(2026, 12, 1), D(2026, 12, 15), status="筹备")
    assert names(db, c) == ["新队长"]


def test_other_classes_take_the_people_on_duty_of_the_matching_category_who_are_behind(db):
    person(db, "执法甲")
    person(db, "协管乙", category="协管人员")
    person(db, "退休丙", post_status="退休")
    skills, _ = make_class(db, "执法技能培训", status="筹备")
    aux, _ = make_class(db, "协管人员培训", status="筹备")
    assert names(db, skills) == ["执法甲"]
    assert names(db, aux) == ["协管乙"]


@pytest.mark.parametrize("kind", ["业务知识培训", "执法技能培训", "岗位练兵", "专题培训"])
def test_regular_training_is_offered_to_those_behind_on_the_years_hours_or_coverage(db, kind):
    """The class starts on 1 December: what each officer has completed by then, in its year, decides."""
    start = D(2026, 12, 1)
    done = person(db, "已满学时")
    add_record(db, done, "业务知识培训", D(2026, 3, 2), D(2026, 3, 4), hours="90")  # exactly 90 学时: 合格
    short = person(db, "学时不足")
    add_record(db, short, "业务知识培训", D(2026, 3, 2), D(2026, 3, 4), hours="24")
    last_year = person(db, "去年培训")
    add_record(db, last_year, "业务知识培训", D(2025, 3, 2), D(2025, 3, 16), hours="120")
    late = person(db, "开班后才完成")
    add_record(db, late, "业务知识培训", D(2026, 12, 2), D(2026, 12, 20), hours="120")  # after the class starts
    recruit = person(db, "今年新人", hire=D(2026, 2, 1))  # no 年度学时 check in the year of hire, coverage only
    add_record(db, recruit, "初任培训", D(2026, 3, 2), D(2026, 3, 13))
    person(db, "新人未培训", hire=D(2026, 2, 1))
    c, _ = make_class(db, kind, start, start, status="筹备")
    found = candidates.find(db, c, rules.active(db), AS_OF)
    why = {p.name: found.reasons[int(p.id or 0)] for p in found.people}
    assert sorted(why) == ["去年培训", "学时不足", "开班后才完成", "新人未培训"]
    assert why["学时不足"] == "年度学时未完成：2026年已完成24学时、3天（要求90学时或12天）"
    assert why["去年培训"] == why["新人未培训"] == "2026年尚无完成的培训"
    assert "截至开班日（2026-12-01）2026年度学时未达标" in found.rule


def test_auxiliaries_are_offered_their_class_until_they_have_a_training_that_year(db):
    trained = person(db, "协管甲", category="协管人员")
    add_record(db, trained, "协管人员培训", D(2026, 6, 8), D(2026, 6, 9), hours="16")
    person(db, "协管乙", category="协管人员")
    aux, _ = make_class(db, "协管人员培训", D(2026, 12, 1), status="筹备")
    assert names(db, aux) == ["协管乙"]


def test_initial_training_candidates_come_with_their_reason(db):
    recruit = person(db, "新人甲", hire=D(2026, 1, 5))
    c, _ = make_class(db, "初任培训", D(2026, 12, 1), D(2026, 12, 15), status="筹备")
    found = candidates.find(db, c, rules.active(db), AS_OF)
    assert found.reasons == {int(recruit.id or 0): "初任培训未完成：入职2026-01-05，须在一年内完成不少于12天的初任培训"}


def test_a_class_from_a_plan_item_takes_the_items_audience(db):
    person(db, "新华甲", unit="新华区")
    person(db, "卫东乙", unit="卫东区")
    person(db, "新华协管", unit="新华区", category="协管人员")
    plan = plans.save_plan(db, plans.Plan(None, unit_id(db, "平顶山市城市管理局"), 2026, "2026年计划"))
    item = plans.save_item(db, plans.PlanItem(None, int(plan.id or 0), "新华区专题培训", "专题培训", Audience(
        categories=("执法人员", "协管人员"), unit_ids=(unit_id(db, "新华区"),))))
    c = training.save_class(db, plans.class_from_item(item, 2026))
    assert sorted(names(db, c)) == ["新华协管", "新华甲"]
    assert "限新华区" in candidates.describe(db, c)


def test_people_already_in_this_class_or_waiting_in_another_are_left_out(db):
    a = person(db, "甲", hire=D(2026, 1, 5))
    b = person(db, "乙", hire=D(2026, 1, 5))
    person(db, "丙", hire=D(2026, 1, 5))
    first, _ = make_class(db, "初任培训", D(2026, 12, 1), D(2026, 12, 15), status="筹备", title="第1期")
    second, _ = make_class(db, "初任培训", D(2026, 12, 16), D(2026, 12, 30), status="筹备", title="第2期")
    training.enrol(db, int(first.id or 0), [int(a.id or 0)])
    training.enrol(db, int(second.id or 0), [int(b.id or 0)])
    found = candidates.find(db, first, rules.active(db), AS_OF)
    assert [p.name for p in found.people] == ["丙"]
    assert found.elsewhere == 1  # 乙 waits in 第2期


def test_candidates_are_listed_in_unit_order(db):
    person(db, "卫东", unit="卫东区", hire=D(2026, 1, 5))
    person(db, "新华", unit="新华区", hire=D(2026, 1, 5))
    c, _ = make_class(db, "初任培训", dt.date(2026, 12, 1), dt.date(2026, 12, 15), status="筹备")
    assert names(db, c) == ["新华", "卫东"]
