"""As a training officer I export a plan to Excel, let a county adapt it, and import it into that county's
plan; a file with mistakes is refused with one `第R行 列名: 原因` line per problem and writes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlite_utils import Database
from training_support import unit_id

from exports.excel import Sheet, write_xlsx
from exports.tables import read_table
from trainer import plans
from trainer.plan_fields import COLUMNS, TITLE, Lookups, parse_audience, same_item
from trainer.plan_import import NEW, UNCHANGED, UPDATED, apply_items_import, export_rows, plan_items_import
from trainer.plans import Audience, Plan, PlanItem
from trainer.tabular import RawTable

D = dt.date


def city_plan(db: Database, year: int = 2026) -> Plan:
    return next(p for p in plans.plans(db, year) if p.unit_id == unit_id(db, "平顶山市城市管理局"))


def export_file(db: Database, plan_id: int, path: Path) -> Path:
    headers, rows = export_rows(db, plan_id)
    return write_xlsx(path, [Sheet("年度培训计划", headers, rows)])


def count(db: Database, table: str) -> int:
    return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_an_exported_plan_imports_into_another_unit_unchanged(demo_db: Database, tmp_path: Path) -> None:
    source = city_plan(demo_db)
    county = unit_id(demo_db, "新华区")
    # Dates, decimals and a unit-limited audience must survive the trip through Excel too.
    first = plans.items(demo_db, int(source.id or 0))[0]
    plans.save_item(demo_db, replace(first, start_date=D(2026, 3, 2), end_date=D(2026, 3, 16), hours=Decimal("90.5"),
                                     budget=Decimal("30000.75"), planned_people=40, status="已完成",
                                     audience=Audience(("执法人员", "协管人员"), True, False, (county,))))
    path = export_file(demo_db, int(source.id or 0), tmp_path / "plan.xlsx")

    table = read_table(path, header_hint=TITLE)
    assert table.headers == list(COLUMNS)
    imp = plan_items_import(demo_db, table, county, 2026)
    assert imp.ok, [str(p) for p in imp.problems]
    assert imp.plan is None and imp.counts() == {NEW: 7, UPDATED: 0, UNCHANGED: 0}
    plan = apply_items_import(demo_db, imp, "新华区")
    assert (plan.unit_id, plan.year, plan.title, plan.status) == (county, 2026, "新华区2026年度教育培训计划", "草稿")

    copied = plans.items(demo_db, int(plan.id or 0))
    original = plans.items(demo_db, int(source.id or 0))
    assert [i.title for i in copied] == [i.title for i in original]
    assert all(same_item(a, b) for a, b in zip(copied, original, strict=True))
    assert copied[0].audience.unit_ids == (county,) and copied[0].hours == Decimal("90.5")

    # The same file again changes nothing; a changed budget updates that item in place.
    again = plan_items_import(demo_db, read_table(path, header_hint=TITLE), county, 2026)
    assert again.counts() == {NEW: 0, UPDATED: 0, UNCHANGED: 7}
    headers, rows = export_rows(demo_db, int(plan.id or 0))
    rows[1][COLUMNS.index("预算（元）")] = 12345.6
    changed = plan_items_import(demo_db, RawTable(headers, [(i + 2, r) for i, r in enumerate(rows)]), county, 2026)
    assert changed.counts() == {NEW: 0, UPDATED: 1, UNCHANGED: 6}
    apply_items_import(demo_db, changed, "新华区")
    updated = plans.items(demo_db, int(plan.id or 0))
    assert updated[1].budget == Decimal("12345.60") and updated[1].id == copied[1].id


def test_a_file_with_mistakes_is_refused_row_by_row_and_nothing_is_written(demo_db: Database, tmp_path: Path) -> None:
    good = ["新任队长任职培训", "任职培训", "执法人员，队伍负责人", 4, None, None, 15, 90, "中共平顶山市委党校",
            "新华区", 30000, 20, "计划"]
    rows = [
        good,
        ["岗位练兵", "读书会", "执法人员", 13, None, None, 2, 16, None, None, None, None, None],
        ["春训", "业务知识培训", "辅警", None, "2027-05-10", "2027-05-01", None, "八", "某酒店", "不存在区", -5, None,
         "搁置"],
        [None, "专题培训", "执法人员，限卫东区、无名区", None, "2027-13-01", None, "1.234", None, None, None, None,
         "2.5", None],
        [*good[:1], "专题培训", *good[2:]],
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", [Sheet("年度培训计划", list(COLUMNS), rows)])
    plans_before, items_before = count(demo_db, "annual_plans"), count(demo_db, "plan_items")

    imp = plan_items_import(demo_db, read_table(path, header_hint=TITLE), unit_id(demo_db, "新华区"), 2027)
    assert [str(p) for p in imp.problems] == [
        "第3行 培训类型: 未知的培训类型“读书会”，应为初任培训、任职培训、业务知识培训、执法技能培训、岗位练兵、"
        "协管人员培训、专题培训之一",
        "第3行 计划月份: 应为1到12",
        "第4行 培训对象: 无法识别“辅警”（可填执法人员、协管人员、全体人员，"
        "加“，队伍负责人”“，新招录人员”“，限某单位、某单位”）",
        "第4行 结束日期: 结束日期早于开始日期",
        "第4行 学时: “八”不是数字",
        "第4行 培训基地: 未知的培训基地“某酒店”（请先在“培训基地”中添加）",
        "第4行 主办单位: 未知的单位“不存在区”",
        "第4行 预算（元）: 不能为负数（-5）",
        "第4行 状态: 未知的状态“搁置”，应为计划、进行中、已完成、已取消之一",
        "第5行 项目名称: 必填项为空",
        "第5行 培训对象: 未知的单位“无名区”",
        "第5行 开始日期: 日期“2027-13-01”不存在",
        "第5行 天数: 最多保留两位小数（1.234）",
        "第5行 计划人数: “2.5”不是整数",
        "第6行 项目名称: 与第2行项目名称重复",
    ]
    assert not imp.ok and [r.action for r in imp.rows] == [NEW, "", "", "", ""]
    with pytest.raises(ValueError, match="nothing written"):
        apply_items_import(demo_db, imp, "新华区")
    assert (count(demo_db, "annual_plans"), count(demo_db, "plan_items")) == (plans_before, items_before)


def test_dates_outside_the_plans_year_are_refused_and_nothing_is_written(demo_db: Database) -> None:
    """Last year's file imported into this year's plan kept last year's dates: each such date is refused."""
    rest = [None] * 5  # base, organiser, budget, people, status
    rows = [
        ["春季轮训", "业务知识培训", "执法人员", None, D(2027, 3, 1), D(2027, 3, 3), None, 24, *rest],
        ["跨年集训", "专题培训", "执法人员", None, D(2028, 12, 28), D(2029, 1, 4), None, 48, *rest],
        ["年末收尾", "专题培训", "执法人员", None, None, D(2027, 12, 30), None, 8, *rest],
        ["秋季练兵", "岗位练兵", "执法人员", 9, None, None, 2, 16, *rest],
    ]
    table = RawTable(list(COLUMNS), [(i + 2, r) for i, r in enumerate(rows)])
    before = count(demo_db, "plan_items")
    imp = plan_items_import(demo_db, table, unit_id(demo_db, "新华区"), 2028)
    assert [str(p) for p in imp.problems] == [
        "第2行 开始日期: 2027-03-01不在2028年度内",
        "第2行 结束日期: 2027-03-03不在2028年度内",
        "第4行 结束日期: 2027-12-30不在2028年度内",
    ]  # a class over New Year (第3行) and a planned month (第5行) are fine
    assert not imp.ok and [r.action for r in imp.rows] == ["", NEW, "", NEW]
    with pytest.raises(ValueError, match="nothing written"):
        apply_items_import(demo_db, imp, "新华区")
    assert count(demo_db, "plan_items") == before


def test_a_file_without_the_required_columns_is_refused(db: Database) -> None:
    table = RawTable(["名称", "类型"], [(2, ["初任培训", "初任培训"])])
    imp = plan_items_import(db, table, unit_id(db, "新华区"), 2026)
    assert [str(p) for p in imp.problems] == ["第1行 项目名称: 缺少必填列", "第1行 培训类型: 缺少必填列"]
    assert imp.rows == []


def test_empty_days_follow_the_dates(db: Database) -> None:
    table = RawTable(list(COLUMNS[:6]), [(2, ["初任培训班", "初任培训", "", None, D(2026, 4, 7), D(2026, 4, 18)])])
    imp = plan_items_import(db, table, unit_id(db, "新华区"), 2026)
    assert imp.ok
    item = imp.rows[0].item
    assert isinstance(item, PlanItem) and item.days == Decimal(12) and item.audience == Audience()


@pytest.mark.parametrize(("text", "expected"), [
    ("", Audience()),
    ("全体人员", Audience(())),
    ("协管人员", Audience(("协管人员",))),
    ("执法人员、协管人员，新招录人员", Audience(("执法人员", "协管人员"), recruits_only=True)),
    ("队伍负责人", Audience(leaders_only=True)),
])
def test_audience_texts_read_back(db: Database, text: str, expected: Audience) -> None:
    lookups = Lookups.load(db)
    assert parse_audience(text, lookups.units) == expected
    assert parse_audience(expected.describe(lookups.unit_names()), lookups.units) == expected
