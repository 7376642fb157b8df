"""添加尚需此培训的人员: who a class is for, decided by the compliance checks for 初任/任职培训 and by the
audience for everything else; nobody is booked twice."""

from __future__ import annotations

import datetime as dt

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


def test_other_classes_take_everyone_on_duty_of_the_matching_category(db):
    person(db, "执法甲")
    person(db, "协管乙", category="协管人员")
    person(db, "退休丙", post_status="退休")
    skills, _ = make_class(db, "执法技能培训", status="筹备")
    aux, _ = make_class(db, "协管人员培训", status="筹备")
    assert names(db, skills) == ["执法甲"]
    assert names(db, aux) == ["协管乙"]


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
