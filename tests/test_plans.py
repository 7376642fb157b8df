"""As a training officer I keep the training bases (定点培训基地), one annual plan (年度培训计划) per unit
and year with its items, start next year's plan from this year's, and compare each item with what
actually happened: classes held, people enrolled, people who completed.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlite_utils import Database
from training_support import D, make_class, person, unit_id

from trainer import plans, training
from trainer.plans import Audience, Base, Plan, PlanError, PlanItem


def party_school(db: Database) -> Base:
    return plans.save_base(db, Base(None, "中共平顶山市委党校", "党校", "新华区建设路中段", "张老师", "0375-2345601"))


def city_plan(db: Database, year: int = 2026) -> Plan:
    city = unit_id(db, "平顶山市城市管理局")
    return plans.save_plan(db, Plan(None, city, year, f"平顶山市城市管理局{year}年度教育培训计划"))


def item(plan: Plan, title: str = "新招录执法人员初任培训", **changes: object) -> PlanItem:
    base = PlanItem(None, int(plan.id or 0), title, "初任培训", Audience(recruits_only=True), 3, None, None,
                    Decimal(15), Decimal(90), None, None, Decimal(30000), 40)
    return replace(base, **changes)  # type: ignore[arg-type]


# ---- training bases --------------------------------------------------------------------------------

def test_bases_are_created_listed_edited_and_deleted(db: Database) -> None:
    school = party_school(db)
    college = plans.save_base(db, Base(None, "平顶山学院", "高校"))
    assert school.id and college.id
    assert [b.name for b in plans.bases(db)] == ["中共平顶山市委党校", "平顶山学院"]  # by kind, then name
    plans.save_base(db, replace(college, phone="0375-2657000"))
    assert next(b for b in plans.bases(db) if b.id == college.id).phone == "0375-2657000"
    plans.save_base(db, replace(school, name="  中共平顶山市委党校  "))  # its own name is no clash
    plans.delete_base(db, int(college.id))
    assert [b.id for b in plans.bases(db)] == [school.id]


@pytest.mark.parametrize(("base", "message"), [
    (Base(None, "  ", "党校"), "名称不能为空"),
    (Base(None, "某培训中心", "培训中心"), "类别应为"),
    (Base(None, "中共平顶山市委党校", "其他"), "已有名为"),
])
def test_a_base_needs_a_unique_name_and_a_known_kind(db: Database, base: Base, message: str) -> None:
    party_school(db)
    with pytest.raises(PlanError, match=message):
        plans.save_base(db, base)
    assert len(plans.bases(db)) == 1


def test_a_base_used_by_a_class_or_a_plan_item_cannot_be_deleted(db: Database) -> None:
    school = party_school(db)
    c = training.save_class(db, training.TrainingClass(None, "初任培训班", "初任培训", D(2026, 4, 7), D(2026, 4, 18),
                                                       base_id=school.id))
    with pytest.raises(PlanError, match="1个培训班或计划项目使用"):
        plans.delete_base(db, int(school.id or 0))
    plans.save_item(db, item(city_plan(db), base_id=school.id))
    with pytest.raises(PlanError, match="2个培训班或计划项目使用"):
        plans.delete_base(db, int(school.id or 0))
    assert len(plans.bases(db)) == 1
    training.delete_class(db, int(c.id or 0))
    with pytest.raises(PlanError, match="1个"):
        plans.delete_base(db, int(school.id or 0))


# ---- plans -----------------------------------------------------------------------------------------

def test_one_plan_per_unit_and_year(db: Database) -> None:
    first = city_plan(db)
    with pytest.raises(PlanError, match="2026年度的培训计划已存在"):
        plans.save_plan(db, Plan(None, first.unit_id, 2026, "另一份计划"))
    plans.save_plan(db, Plan(None, unit_id(db, "新华区"), 2026, "新华区2026年度培训计划"))
    last_year = plans.save_plan(db, Plan(None, first.unit_id, 2025, "2025年度计划"))
    with pytest.raises(PlanError, match="已存在"):
        plans.save_plan(db, replace(last_year, year=2026))  # moving a plan onto a taken year
    plans.save_plan(db, replace(first, status="已发布", title="平顶山市城市管理局2026年度教育培训计划（定稿）"))
    assert [(p.year, p.status) for p in plans.plans(db, 2026)] == [(2026, "已发布"), (2026, "草稿")]
    assert len(plans.plans(db)) == 3


@pytest.mark.parametrize(("changes", "message"), [
    ({"title": " "}, "计划名称不能为空"), ({"year": 26}, "四位年份"), ({"status": "作废"}, "未知的状态")])
def test_a_plan_needs_a_title_a_year_and_a_known_status(db: Database, changes: dict[str, object], message: str) -> None:
    plan = Plan(None, unit_id(db, "新华区"), 2026, "计划")
    with pytest.raises(PlanError, match=message):
        plans.save_plan(db, replace(plan, **changes))  # type: ignore[arg-type]
    assert plans.plans(db) == []


def test_deleting_a_plan_deletes_its_items_and_keeps_the_classes(db: Database) -> None:
    plan = city_plan(db)
    it = plans.save_item(db, item(plan))
    c, _ = make_class(db, "初任培训")
    training.save_class(db, replace(c, plan_item_id=it.id))
    plans.delete_plan(db, int(plan.id or 0))
    assert plans.items(db, int(plan.id or 0)) == []
    kept = training.get_class(db, int(c.id or 0))
    assert kept is not None and kept.plan_item_id is None


# ---- items -----------------------------------------------------------------------------------------

def test_items_are_saved_with_their_audience_and_amounts(db: Database) -> None:
    plan = city_plan(db)
    leaders = Audience(("执法人员",), leaders_only=True, unit_ids=(unit_id(db, "新华区"),))
    saved = plans.save_item(db, item(plan, "县、街道队伍负责人任职培训", type="任职培训", audience=leaders,
                                     planned_month=None, start_date=D(2026, 5, 11), end_date=D(2026, 5, 25),
                                     hours=Decimal("112.5"), budget=Decimal("45000.50")))
    plans.save_item(db, item(plan))
    got = plans.items(db, int(plan.id or 0))
    assert len(got) == 2 and saved in got  # read back exactly as saved: Decimal hours and budget included
    assert leaders.describe({unit_id(db, "新华区"): "新华区"}) == "执法人员，队伍负责人，限新华区"
    plans.save_item(db, replace(saved, status="已完成"))
    assert next(i for i in plans.items(db, int(plan.id or 0)) if i.id == saved.id).status == "已完成"


@pytest.mark.parametrize(("changes", "message"), [
    ({"title": ""}, "项目名称不能为空"),
    ({"type": "读书会"}, "未知的培训类型"),
    ({"planned_month": 0}, "1到12"),
    ({"planned_month": 13}, "1到12"),
    ({"start_date": D(2026, 5, 2), "end_date": D(2026, 5, 1)}, "结束日期早于开始日期"),
    ({"days": Decimal(-1)}, "不能为负"),
    ({"hours": Decimal(-1)}, "不能为负"),
    ({"budget": Decimal("-0.01")}, "不能为负"),
    ({"planned_people": -1}, "不能为负"),
    ({"status": "搁置"}, "未知的状态"),
    ({"start_date": D(2027, 3, 1), "end_date": D(2027, 3, 5)}, "开始日期：2027-03-01不在2026年度内"),
    ({"start_date": D(2026, 12, 28), "end_date": D(2028, 1, 5)}, "结束日期：2028-01-05不在2026年度内"),
])
def test_item_validation(db: Database, changes: dict[str, object], message: str) -> None:
    plan = city_plan(db)
    with pytest.raises(PlanError, match=message):
        plans.save_item(db, item(plan, **changes))
    assert plans.items(db, int(plan.id or 0)) == []


def test_an_item_may_run_over_new_year(db: Database) -> None:
    plan = city_plan(db)
    plans.save_item(db, item(plan, start_date=D(2026, 12, 28), end_date=D(2027, 1, 8)))
    assert len(plans.items(db, int(plan.id or 0))) == 1


# ---- copy to next year -----------------------------------------------------------------------------

def test_copying_a_plan_to_next_year_moves_dates_and_resets_statuses(db: Database) -> None:
    school = party_school(db)
    plan = plans.save_plan(db, Plan(None, unit_id(db, "新华区"), 2024, "新华区2024年度培训计划", "已发布",
                                    "经局务会通过"))
    leap = plans.save_item(db, item(plan, "春训", start_date=D(2024, 2, 29), end_date=D(2024, 3, 14), status="已完成",
                                    base_id=school.id, sort_order=1))
    monthly = plans.save_item(db, item(plan, "岗位练兵", type="岗位练兵", planned_month=10, status="已取消",
                                       audience=Audience(("执法人员", "协管人员")), sort_order=2))
    new = plans.copy_plan(db, int(plan.id or 0), 2025)
    assert (new.year, new.title, new.status, new.note, new.unit_id) == (
        2025, "新华区2025年度培训计划", "草稿", "经局务会通过", plan.unit_id)
    copied = plans.items(db, int(new.id or 0))
    assert [(i.title, i.start_date, i.end_date, i.status) for i in copied] == [
        ("春训", D(2025, 2, 28), D(2025, 3, 14), "计划"),
        ("岗位练兵", None, None, "计划"),
    ]
    assert copied[0].base_id == school.id and copied[1].audience == monthly.audience
    assert copied[1].planned_month == 10
    assert all(i.plan_id == new.id and i.id not in (leap.id, monthly.id) for i in copied)
    original = plans.items(db, int(plan.id or 0))
    assert [i.status for i in original] == ["已完成", "已取消"]  # the source plan is untouched


def test_copying_onto_a_year_that_has_a_plan_is_refused_and_writes_nothing(db: Database) -> None:
    plan = city_plan(db, 2025)
    plans.save_item(db, item(plan))
    city_plan(db, 2026)
    with pytest.raises(PlanError, match="已存在"):
        plans.copy_plan(db, int(plan.id or 0), 2026)
    assert db.execute("SELECT COUNT(*) FROM plan_items").fetchone()[0] == 1


def test_a_class_is_prefilled_from_an_item() -> None:
    it = PlanItem(7, 1, "业务知识轮训", "业务知识培训", planned_month=5, days=Decimal(3), base_id=2,
                  organiser_unit_id=1, planned_people=60)
    c = plans.class_from_item(it, 2026)
    assert (c.title, c.type, c.start_date, c.end_date, c.capacity, c.plan_item_id, c.base_id) == (
        "业务知识轮训", "业务知识培训", D(2026, 5, 1), D(2026, 5, 3), 60, 7, 2)


# ---- plan against actual -----------------------------------------------------------------------------

def test_plan_vs_actual_counts_classes_enrolled_and_completed(db: Database) -> None:
    plan = city_plan(db)
    recruits_item = plans.save_item(db, item(plan, sort_order=1))
    untouched = plans.save_item(db, item(plan, "执法技能提升培训", type="执法技能培训", sort_order=2))
    done, done_ss = make_class(db, "初任培训", D(2026, 4, 7), D(2026, 4, 8), session_hours=("4", "4"), title="第1期")
    later, _ = make_class(db, "初任培训", D(2026, 6, 1), D(2026, 6, 2), session_hours=("4",), status="进行中",
                          title="第2期")
    stray, _ = make_class(db, "初任培训", title="不属于计划的班")
    for c in (done, later):
        training.save_class(db, replace(c, plan_item_id=recruits_item.id))
    a, b, c_, d, e = (person(db) for _ in range(5))
    training.enrol(db, int(done.id or 0), [int(p.id or 0) for p in (a, b, c_)])
    training.enrol(db, int(later.id or 0), [int(p.id or 0) for p in (d, e)])
    training.enrol(db, int(stray.id or 0), [int(a.id or 0)])
    for s in done_ss:
        training.set_attendance(db, int(s.id or 0), {int(a.id or 0): "出勤", int(b.id or 0): "出勤",
                                                     int(c_.id or 0): "请假"})
    actual = {x.item.id: x for x in plans.plan_vs_actual(db, int(plan.id or 0))}
    got = actual[recruits_item.id]
    assert (got.classes, got.enrolled, got.completed, got.hours_held) == (2, 5, 2, Decimal(12))
    nothing = actual[untouched.id]
    assert (nothing.classes, nothing.enrolled, nothing.completed, nothing.hours_held) == (0, 0, 0, Decimal(0))


def test_a_class_still_being_prepared_has_not_been_held(db: Database) -> None:
    plan = city_plan(db)
    it = plans.save_item(db, item(plan))
    held, _ = make_class(db, "初任培训", D(2026, 4, 7), D(2026, 4, 8), session_hours=("4", "4"), title="第1期")
    prepared, _ = make_class(db, "初任培训", D(2026, 12, 1), session_hours=("6",), status="筹备", title="第2期")
    for c in (held, prepared):
        training.save_class(db, replace(c, plan_item_id=it.id))
    training.enrol(db, int(prepared.id or 0), [int(person(db).id or 0) for _ in range(3)])
    got = plans.plan_vs_actual(db, int(plan.id or 0))[0]
    assert (got.classes, got.preparing, got.enrolled, got.hours_held) == (1, 1, 0, Decimal(8))


def test_plan_vs_actual_follows_a_completion_override(db: Database) -> None:
    plan = city_plan(db)
    it = plans.save_item(db, item(plan))
    c, _ = make_class(db, "初任培训")
    training.save_class(db, replace(c, plan_item_id=it.id))
    p = person(db)
    training.enrol(db, int(c.id or 0), [int(p.id or 0)])
    assert plans.plan_vs_actual(db, int(plan.id or 0))[0].completed == 0  # unrecorded attendance
    training.set_override(db, int(c.id or 0), int(p.id or 0), True, "补课合格")
    assert plans.plan_vs_actual(db, int(plan.id or 0))[0].completed == 1
