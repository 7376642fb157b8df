"""As a training officer I print the annual plan for signature: an A4 landscape table of every item with a
totals row, every font embedded so it prints the same on any machine."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

from sqlite_utils import Database
from training_support import unit_id

from exports.plan_pdf import build_plan_pdf
from trainer import plans


def _text(pdf: Path) -> str:
    # -raw keeps content-stream order, so a cell's wrapped lines stay together once whitespace is dropped.
    out = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def test_the_plan_prints_as_a_landscape_table_with_totals_and_embedded_fonts(demo_db: Database, tmp_path: Path) -> None:
    city = unit_id(demo_db, "平顶山市城市管理局")
    plan = next(p for p in plans.plans(demo_db, 2026) if p.unit_id == city)
    items = plans.items(demo_db, int(plan.id or 0))
    pdf = build_plan_pdf(demo_db, int(plan.id or 0), tmp_path / "plan.pdf")

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, height = (float(v) for v in size.split(":")[1].split("pts")[0].split(" x "))
    assert width > height  # landscape A4, 842 × 595 pt

    text = _text(pdf)
    assert "平顶山市城市管理局2026年度教育培训计划" in text
    for it in items:
        assert it.title in text, it.title
    budget = sum(i.budget for i in items)
    assert "合计" in text and f"{budget:,.2f}" in text
    assert "制表人" in text and "审核人" in text

    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts, "no fonts listed"
    assert all(line.split()[-5] == "yes" for line in fonts), fonts  # the emb column


def test_cancelled_items_are_printed_but_left_out_of_the_totals(db: Database, tmp_path: Path) -> None:
    plan = plans.save_plan(db, plans.Plan(None, unit_id(db, "新华区"), 2027, "新华区2027年度培训计划", "草稿", "试行"))
    plans.save_item(db, plans.PlanItem(None, int(plan.id or 0), "业务知识轮训", "业务知识培训", days=Decimal(3),
                                       hours=Decimal(24), budget=Decimal(6000), planned_people=50))
    plans.save_item(db, plans.PlanItem(None, int(plan.id or 0), "外出考察", "专题培训", days=Decimal(5),
                                       hours=Decimal(40), budget=Decimal(50000), status="已取消", sort_order=1))
    text = _text(build_plan_pdf(db, int(plan.id or 0), tmp_path / "plan.pdf"))
    assert "新华区2027年度教育培训计划" in text and "新华区2027年度培训计划" in text  # the plan's own title as subtitle
    assert "外出考察" in text and "合计不含已取消的项目" in text and "说明：试行" in text
    assert "合计3246,000.0050" in text  # days, 学时, budget, people of the live item only
