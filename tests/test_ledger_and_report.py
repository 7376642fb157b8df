"""As a training officer I export the year's training ledger (培训台账) per unit for an inspection, and print
the quarterly report (季度通报) with per-unit figures; both are checked against a small bureau built by hand
so every figure is known."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlite_utils import Database
from training_support import D, add_record, make_class, person

from exports import ledger_xlsx, quarterly_pdf
from trainer import ledger, quarterly, rules, training, units
from trainer.amounts import half_up
from trainer.people import Person

TODAY = D(2026, 11, 25)


@pytest.fixture
def bureau(db: Database) -> dict[str, Person]:
    """Eight people in four county-level units, with training in Q1, Q3 and Q4 of 2026."""
    county = units.UnitIndex.load(db).resolve("新华区")
    assert county is not None
    units.add_street(db, "西市场街道", county.id)
    ps = {
        "A": person(db, "甲", unit="新华区"),
        "B": person(db, "乙", unit="西市场街道"),
        "C": person(db, "丙", unit="卫东区", category="协管人员"),
        "D": person(db, "丁", unit="卫东区", category="协管人员"),
        "E": person(db, "戊", unit="新华区", post_status="退休"),
        "F": person(db, "己", unit="法规科", hire=D(2025, 3, 10)),  # a recruit: 初任培训 due 2026-03-10
        "G": person(db, "庚", unit="法规科", card_expiry=D(2026, 10, 15)),
        "H": person(db, "辛", unit="湛河区", card_expiry=None),  # no card
    }
    a = int(ps["A"].id or 0)
    c, sessions = make_class(db, "业务知识培训", D(2026, 3, 2), D(2026, 3, 4), session_hours=("8", "8", "8"),
                             title="2026年业务知识轮训第1期")
    training.enrol(db, int(c.id or 0), [a])
    for s in sessions:
        training.set_attendance(db, int(s.id or 0), {a: "出勤"})
    add_record(db, ps["A"], "业务知识培训", D(2026, 7, 6), D(2026, 7, 8), hours="24", title="全省执法业务培训班")
    add_record(db, ps["C"], "协管人员培训", D(2026, 8, 1), D(2026, 8, 1), hours="2")
    add_record(db, ps["D"], "协管人员培训", D(2026, 9, 30), D(2026, 9, 30), hours="2.01")  # on the quarter's last day
    add_record(db, ps["E"], "专题培训", D(2026, 8, 10), D(2026, 8, 10), hours="8")
    add_record(db, ps["G"], "专题培训", D(2026, 10, 10), D(2026, 10, 10), hours="8")  # the fourth quarter
    return ps


# ---- quarterly report ------------------------------------------------------------------------------------

def figures(report: quarterly.QuarterlyReport, label: str) -> quarterly.UnitFigures:
    return report.total if label == "合计" else next(u for u in report.units if u.label == label)


def test_the_quarterly_figures_per_county_level_unit(db: Database, bureau: dict[str, Person]) -> None:
    report = quarterly.build(db, rules.active(db), 2026, 3, today=TODAY)
    assert (report.first, report.last, report.as_of) == (D(2026, 7, 1), D(2026, 9, 30), D(2026, 9, 30))
    assert report.title == "2026年第三季度教育培训工作通报"
    assert [u.label for u in report.units[:4]] == ["市直单位", "新华区", "卫东区", "湛河区"]

    city, xinhua, weidong, zhanhe = (figures(report, x) for x in ("市直单位", "新华区", "卫东区", "湛河区"))
    # 己 and 庚 in 法规科; nobody trained this quarter (庚's course is in October); 己's 初任培训 is late.
    assert (city.on_register, city.trained, city.covered, city.hours) == (2, 0, 0, Decimal(0))
    assert city.overdue == (1, 0, 0, 0) and (city.cards_failed, city.cards_expiring) == (0, 1)
    # 甲 (trained in March and July) and 乙 of the street; the retired 戊 is not on the register.
    assert (xinhua.on_register, xinhua.trained, xinhua.covered, xinhua.hours) == (2, 1, 1, Decimal(24))
    assert xinhua.hours_per_capita == Decimal("12.00") and xinhua.coverage_percent == Decimal("50.0")
    # 2 + 2.01 学时 for two people: 2.005 per head rounds half-up to 2.01 (half-even would give 2.00).
    assert (weidong.on_register, weidong.trained, weidong.hours) == (2, 2, Decimal("4.01"))
    assert weidong.hours_per_capita == Decimal("2.01") != (Decimal("2.005")).quantize(Decimal("0.01"))
    assert weidong.coverage_percent == Decimal("100.0")
    assert (zhanhe.on_register, zhanhe.cards_failed) == (1, 1)
    total = report.total
    assert (total.on_register, total.trained, total.covered, total.hours) == (7, 3, 3, Decimal("28.01"))
    assert total.hours_per_capita == Decimal("4.00") and total.coverage_percent == Decimal("42.9")
    assert total.overdue == (1, 0, 0, 0) and (total.cards_failed, total.cards_expiring) == (1, 1)
    assert sum(u.on_register for u in report.units) == total.on_register


def test_a_running_quarter_counts_up_to_today_and_a_future_one_is_refused(db: Database,
                                                                         bureau: dict[str, Person]) -> None:
    q4 = quarterly.build(db, rules.active(db), 2026, 4, today=TODAY)
    assert q4.as_of == TODAY and figures(q4, "市直单位").trained == 1  # 庚, in October
    with pytest.raises(ValueError, match="尚未开始"):
        quarterly.build(db, rules.active(db), 2027, 1, today=TODAY)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_quarterly_pdf_prints_the_table_with_totals_and_the_rule_set(db: Database, bureau: dict[str, Person],
                                                                        tmp_path: Path) -> None:
    report = quarterly.build(db, rules.active(db), 2026, 3, today=TODAY)
    path = quarterly_pdf.build(tmp_path / "q3.pdf", report)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "2026年第三季度教育培训工作通报" in text
    lines = {line.split()[1] if line.split()[0].isdigit() else line.split()[0]: line.split()
             for line in text.splitlines() if line.strip() and line.split()[0] in ("1", "2", "3", "4", "合计")}
    assert lines["卫东区"][2:9] == ["2", "2", "2", "100.0%", "4.01", "2.01", "0"]
    assert lines["合计"][1:8] == ["7", "3", "3", "42.9%", "28.01", "4.00", "1"]
    assert rules.active(db).label().split("（")[0] in text
    assert "制表人" in text and "审核人" in text
    size = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "landscape" in size or _landscape(size)


def _landscape(info: str) -> bool:
    line = next(x for x in info.splitlines() if x.startswith("Page size:"))
    w, h = (float(v) for v in line.split(":")[1].split("pts")[0].split("x"))
    return w > h


def test_per_capita_hours_round_half_up() -> None:
    f = quarterly.UnitFigures("x", 2, 2, 2, Decimal("4.01"), (0, 0, 0, 0), 0, 0)
    assert f.hours_per_capita == Decimal("2.01")
    assert quarterly.UnitFigures("x", 8, 0, 0, Decimal("0.04"), (0, 0, 0, 0), 0, 0).hours_per_capita == \
        half_up(Decimal("0.005")) == Decimal("0.01")
    assert quarterly.UnitFigures("x", 0, 0, 0, Decimal(0), (0, 0, 0, 0), 0, 0).hours_per_capita == Decimal(0)


# ---- ledger ----------------------------------------------------------------------------------------------

def test_the_ledger_workbook_has_a_summary_and_a_sheet_per_county_level_unit(db: Database, bureau, tmp_path) -> None:
    book = ledger.build(db, rules.active(db), 2026, today=TODAY)
    path = ledger_xlsx.write(tmp_path / "台账.xlsx", book)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:5] == ["汇总", "市直单位", "新华区", "卫东区", "湛河区"]

    summary = list(wb["汇总"].iter_rows(values_only=True))
    assert summary[0] == tuple(ledger_xlsx.SUMMARY_HEADERS)
    names = [r[2] for r in summary[1:]]
    assert names == ["己", "庚", "甲", "戊", "乙", "丙", "丁", "辛"]  # unit order, then ID number
    row_a = summary[1 + names.index("甲")]
    assert row_a[1:9] == ("新华区", "甲", bureau["A"].id_number, "执法人员", "在岗", 2, 6, 48)
    assert row_a[9:] == ("—", "—", "未完成", "合格", "合格")
    row_e = summary[1 + names.index("戊")]
    assert row_e[5:9] == ("退休", 1, 1, 8) and row_e[9:] == ("—",) * 5  # trained, but no check applies

    xinhua = list(wb["新华区"].iter_rows(values_only=True))
    header = xinhua[0]
    col = {h: i for i, h in enumerate(header)}
    a_rows = [r for r in xinhua[1:] if r[col["姓名"]] == "甲"]
    assert [r[col["培训名称"]] for r in a_rows] == ["2026年业务知识轮训第1期", "全省执法业务培训班"]
    assert [r[col["学时"]] for r in a_rows] == [24, 24] and a_rows[0][col["来源"]] == "培训班"
    assert a_rows[0][col["开始日期"]].date() == D(2026, 3, 2)
    assert (a_rows[0][col["合计学时"]], a_rows[1][col["合计学时"]]) == (48, None)  # totals once a person
    assert a_rows[0][col["年度学时"]] == "未完成" and a_rows[1][col["年度学时"]] is None
    b_rows = [r for r in xinhua[1:] if r[col["姓名"]] == "乙"]
    assert len(b_rows) == 1 and b_rows[0][col["培训名称"]] is None and b_rows[0][col["合计学时"]] == 0
    assert b_rows[0][col["单位"]] == "西市场街道" and b_rows[0][col["培训覆盖"]] == "未完成"
    assert sum(r[col["学时"]] or 0 for r in xinhua[1:]) == sum(r[col["合计学时"]] or 0 for r in xinhua[1:]) == 56
    assert isinstance(a_rows[0][col["身份证号"]], str)  # ID numbers stay text


def test_the_ledger_only_counts_completed_training_of_the_year(db: Database, bureau: dict[str, Person]) -> None:
    add_record(db, bureau["B"], "专题培训", D(2026, 4, 1), D(2026, 4, 2), hours="16", completed=False)
    add_record(db, bureau["B"], "专题培训", D(2025, 4, 1), D(2025, 4, 2), hours="16")
    book = ledger.build(db, rules.active(db), 2026, today=TODAY)
    b = next(p for p in book.people if p.person.name == "乙")
    assert b.trainings == () and b.hours == 0
    last_year = ledger.build(db, rules.active(db), 2025, today=TODAY)
    assert last_year.as_of == D(2025, 12, 31)
    b25 = next(p for p in last_year.people if p.person.name == "乙")
    assert [r.hours for r in b25.trainings] == [Decimal(16)]


def test_sheet_names_follow_excels_rules() -> None:
    taken: set[str] = set()
    assert ledger_xlsx.sheet_name("新华区", taken) == "新华区"
    assert ledger_xlsx.sheet_name("新华区", taken) == "新华区(2)"
    assert ledger_xlsx.sheet_name("a/b:c", taken) == "a_b_c"
    assert len(ledger_xlsx.sheet_name("长" * 40, taken)) == 31


# ---- from the dashboard ----------------------------------------------------------------------------------

def test_the_dashboard_exports_the_ledger_and_prints_the_report(qtbot, db: Database, bureau, tmp_path) -> None:
    from ui.dashboard_page import DashboardPage

    page = DashboardPage(db, today=TODAY)
    qtbot.addWidget(page)
    told: list[str] = []
    page.ask_save_path = lambda title, name, filt, suffix: str(tmp_path / name)  # type: ignore[method-assign]
    page.tell = lambda title, text, error=False: told.append(text)  # type: ignore[method-assign]
    page.export_ledger()
    qtbot.waitUntil(lambda: page.export_task is not None and page.export_task.done, timeout=20_000)
    assert (tmp_path / "2026年度培训台账（截至2026-11-25）.xlsx").exists() and "已保存到" in told[-1]
    page._fill_quarters()
    actions = page.quarter_menu.actions()
    assert [a.isEnabled() for a in actions] == [True, True, True, True] and "进行中" in actions[3].text()
    actions[2].trigger()
    qtbot.waitUntil(lambda: page.export_task is not None and page.export_task.done, timeout=20_000)
    assert (tmp_path / "2026年第三季度教育培训工作通报.pdf").exists()
    page.ask_save_path = lambda title, name, filt, suffix: ""  # type: ignore[method-assign]
    before = page.export_task
    page.print_quarterly(1)
    assert page.export_task is before  # backing out of the file dialog starts nothing
