"""The annual plan as a printed document: a landscape table of its items with totals and a signature line.

    build_plan_pdf(db, plan_id, "plan.pdf")
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlite_utils import Database

from exports.pdf import build_pdf, data_table, para, signature_line, title_block
from trainer import plans
from trainer.amounts import fmt
from trainer.dates import chinese_date
from trainer.plan_fields import Lookups, audience_text, money, totals, when_text
from trainer.plan_import import default_title

HEADERS = ("序号", "项目名称", "培训类型", "培训对象", "计划时间", "天数", "学时", "培训基地", "主办单位",
           "预算（元）", "计划人数", "状态")
WIDTHS = (10, 38, 22, 34, 26, 9, 9, 35, 31, 18, 15, 12)  # mm at A4 landscape: the usual longest texts fit
ALIGN = "CLLLCRRLLRRC"


def plan_document_title(unit_name: str, year: int) -> str:
    return default_title(unit_name, year)


def build_plan_pdf(db: Database, plan_id: int, path: str | Path, *, font: str | Path | None = None,
                   today: dt.date | None = None) -> Path:
    """Write the plan as an A4 landscape PDF; raises PlanError for an unknown plan, FontError or
    MissingGlyphsError before anything is written."""
    plan = plans.get_plan(db, plan_id)
    if plan is None:
        raise plans.PlanError("计划不存在")
    lookups = Lookups.load(db)
    unit_name = lookups.units.name(plan.unit_id)
    title = plan_document_title(unit_name, plan.year)
    items = plans.items(db, plan_id)
    rows = [
        [n, it.title, it.type, audience_text(it.audience, lookups), when_text(it), fmt(it.days), fmt(it.hours),
         lookups.base_name(it.base_id),
         lookups.units.name(it.organiser_unit_id) if it.organiser_unit_id in lookups.units.by_id else "",
         money(it.budget), str(it.planned_people) if it.planned_people else "", it.status]
        for n, it in enumerate(items, start=1)
    ]
    days, hours, budget, people = totals(items)
    total = ["合计", "", "", "", "", fmt(days), fmt(hours), "", "", money(budget), str(people) if people else "", ""]
    notes = []
    if any(it.status == "已取消" for it in items):
        notes.append("合计不含已取消的项目。")
    if plan.note.strip():
        notes.append(f"说明：{plan.note.strip()}")
    tail = [para(n, "text") for n in notes] + [signature_line(("制表人", "审核人", "日期"))]
    story = [
        *title_block(title, subtitle=plan.title if plan.title != title else None,
                     meta=[f"编制单位：{unit_name}", f"计划状态：{plan.status}（共 {len(items)} 项）",
                           f"打印日期：{chinese_date(today or dt.date.today())}"]),
        data_table(HEADERS, rows, widths=WIDTHS, align=ALIGN, total=total, tail=tail),
    ]
    return build_pdf(path, title, story, landscape=True, font=font, subject=f"{plan.year}年度教育培训计划")


def plan_pdf_name(unit_name: str, year: int) -> str:
    return f"{plan_document_title(unit_name, year)}.pdf"

