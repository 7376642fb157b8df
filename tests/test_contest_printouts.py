"""As the scorer I print the contest's paperwork, as PDF for signing and as Excel for checking: the draw list,
the sealed code sheet, every judge's score sheet (a blind item carries codes only, never a name), the per-item
summary with each raw judge score and the dropped ones marked, the team ranking, the award list and its 公示,
and the judges' severity table — from the window's 打印与导出 menu or `trainer contest print`."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DEMO_DAY
from contest_support import build, item
from python_calamine import CalamineWorkbook

from exports.contest_sheets_pdf import report_pdf
from exports.contest_sheets_xlsx import report_xlsx
from trainer import contest, contest_awards, contest_locks, contest_people, contest_report, draw, ranking, scoring
from trainer.cli import main
from trainer.contest import SINGLE, ContestError
from trainer.contest_awards import PrizeTier

PIN = "2468"


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def xlsx(path: Path) -> dict[str, list[list[object]]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def table_of(rows: list[list[object]], first_header: str) -> tuple[list[str], list[list[object]]]:
    """The table under a worksheet's title lines: its header row and the rows down to the first blank one."""
    start = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
    body = []
    for r in rows[start + 1:]:
        if all(c in ("", None) for c in r):
            break
        body.append(r)
    return [str(c) for c in rows[start]], body


def both(report: contest_report.Report, tmp_path: Path) -> tuple[str, dict[str, list[list[object]]]]:
    pdf = report_pdf(report, tmp_path / f"{report.kind}.pdf")
    book = report_xlsx(report, tmp_path / f"{report.kind}.xlsx")
    return pdf_text(pdf), xlsx(book)


def build_report(db, kind: str, **kw) -> contest_report.Report:
    return contest_report.build(db, 1, kind, today=DEMO_DAY, **kw)


# ---- 评委评分表 -------------------------------------------------------------------------------------

def test_a_blind_items_score_sheet_has_codes_only_and_leaves_out_the_recused(demo_db, tmp_path) -> None:
    report = build_report(demo_db, "sheets", judge="J3", item="案卷评审")   # J3 is 新华区's judge
    panel = contest_people.Panel.load(demo_db, 1)
    j3 = panel.judge_by_code["J3"]
    it = next(i for i in contest.items(demo_db, 1) if i.name == "案卷评审")
    codes = draw.codes(demo_db, it.id)
    recused = [c for c in panel.competitors if panel.recused(j3, c)]
    assert it.blind and recused
    text, book = both(report, tmp_path)
    for c in panel.competitors:
        assert c.name not in text                                   # no name of anyone, on any page
        assert (codes[c.id] in text) == (c not in recused)          # recused competitors are not listed
    assert "评委J3 孙立" in text and "首届执法技能比武评委评分表" in text and "2026-11-18至2026-11-19" in text
    for label in ("评委签名", "日期", "记分员", "总裁判"):
        assert f"{label}：" in text
    headers, rows = table_of(next(iter(book.values())), "序号")
    assert headers == ["序号", "密封编号", "分数\n满分100", "备注"]
    assert [r[1] for r in rows] == sorted((codes[c.id] for c in panel.competitors if c not in recused),
                                          key=contest_people.code_key)
    assert all(r[2] == "" for r in rows)                            # blank: filled by hand
    assert not any(c.name in str(cell) for c in panel.competitors for r in book.values() for row in r
                   for cell in row)


def test_a_rubric_sheet_has_a_column_per_criterion_and_can_carry_the_stored_scores(demo_db, tmp_path) -> None:
    report = build_report(demo_db, "sheets", judge="J1", item="情景模拟执法", filled=True)
    _text, book = both(report, tmp_path)
    headers, rows = table_of(next(iter(book.values())), "序号")
    assert headers == ["序号", "抽签号", "姓名", "仪容仪表\n满分20", "语言规范\n满分25", "程序规范\n满分30",
                       "文书规范\n满分25", "合计\n满分100", "备注"]
    it = next(i for i in contest.items(demo_db, 1) if i.name == "情景模拟执法")
    panel = contest_people.Panel.load(demo_db, 1)
    j1 = panel.judge_by_code["J1"]
    first = panel.competitors[0]
    stored = [scoring.get_score(demo_db, scoring.Slot(it.id, first.id, j1.id, k.id)) for k in it.criteria]
    assert rows[0][:3] == [1, str(first.draw_no), first.name]
    assert [Decimal(str(v)) for v in rows[0][3:7]] == stored
    assert Decimal(str(rows[0][7])) == sum(stored, Decimal(0))


def test_all_sheets_make_one_section_per_judge_and_item_each_on_its_own_pages(demo_db, tmp_path) -> None:
    report = build_report(demo_db, "sheets")
    panel = contest_people.Panel.load(demo_db, 1)
    expected = [(it.name, panel.judge_by_id[j].code) for it in contest.items(demo_db, 1) if it.judged
                for j in panel.assigned[it.id]]
    assert len(report.sections) == len(expected) == 28                # 7 judges × 4 judged items, 队列会操 too
    pdf = report_pdf(report, tmp_path / "all.pdf")
    total = pdf_pages(pdf)
    pages = {p: subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), str(pdf), "-"], capture_output=True,
                               text=True, check=True).stdout for p in range(1, total + 1)}
    first_pages = [p for p, text in pages.items() if "（空白评分表）" in text]
    assert len(first_pages) == 28                                     # every section starts a page with its title
    ends = [*first_pages[1:], total + 1]
    for start, end in zip(first_pages, ends, strict=True):            # each judge's sheet is numbered on its own
        assert f"第 1 页 共 {end - start} 页" in pages[start]
    assert len(xlsx(report_xlsx(report, tmp_path / "all.xlsx"))) == 28


def test_a_sheet_for_a_judge_not_on_the_item_or_an_unknown_one_is_refused(demo_db) -> None:
    with pytest.raises(ContestError, match="没有评委编号“J9”"):
        build_report(demo_db, "sheets", judge="J9")
    with pytest.raises(ContestError, match="单一成绩项目"):
        build_report(demo_db, "sheets", item="法律知识笔试")
    with pytest.raises(ContestError, match="没有名为“跳远”的项目"):
        build_report(demo_db, "sheets", item="跳远")


# ---- 单项成绩汇总表 ---------------------------------------------------------------------------------

def test_the_summary_shows_every_raw_score_with_the_dropped_ones_in_brackets(demo_db, tmp_path) -> None:
    report = build_report(demo_db, "summary", item="执法文书制作")
    text, book = both(report, tmp_path)
    assert "方括号 [ ] 内为" in text.replace("\n", "")
    headers, rows = table_of(next(iter(book.values())), "抽签号")
    assert headers[:4] == ["抽签号", "密封编号", "姓名", "单位"] and headers[4:11] == [f"J{n}" for n in range(1, 8)]
    r = ranking.compute(demo_db, 1)
    idx = [i.name for i in r.items].index("执法文书制作")
    checked = 0
    for row in rows:
        s = next(s for s in r.standings if s.competitor.draw_no == int(row[0]))
        ex = ranking.explain(demo_db, 1, s.competitor.id, r).items[idx]
        marked = {headers[4 + k] for k, cell in enumerate(row[4:11]) if str(cell).startswith("[")}
        assert marked == {f"{js.judge.code}" for js in ex.scores if js.dropped}   # as the ranking drops them
        if s.item_milli[idx] is not None:
            assert Decimal(str(row[headers.index("项目得分")])) == s.item_scores[idx]
            checked += 1
    assert checked >= 50 and len(marked) == 2


def test_a_blind_items_summary_stays_sealed_until_the_item_is_locked(demo_db, tmp_path) -> None:
    it = next(i for i in contest.items(demo_db, 1) if i.name == "案卷评审")
    assert it.blind and not it.locked
    panel = contest_people.Panel.load(demo_db, 1)
    codes = draw.codes(demo_db, it.id)
    text, book = both(build_report(demo_db, "summary", item="案卷评审"), tmp_path)
    assert "本表只列密封编号" in text.replace("\n", "")
    for c in panel.competitors:
        assert c.name not in text and codes[c.id] in text
    headers, rows = table_of(next(iter(book.values())), "密封编号")
    assert headers[0] == "密封编号" and "姓名" not in headers and "抽签号" not in headers and "单位" not in headers
    assert [r[0] for r in rows] == sorted(codes.values(), key=contest_people.code_key)
    # the locked blind item (执法文书制作) is unsealed: names and units are printed
    unsealed, _ = both(build_report(demo_db, "summary", item="执法文书制作"), tmp_path / "x")
    assert all(c.name in unsealed for c in panel.competitors[:5])


def test_the_summary_by_hand_average_deduction_and_spread_flag(db, tmp_path) -> None:
    b = build(db, [item("文书", weight=100, spread="15")], [(1, "张三", "新华区"), (2, "李四", "湛河区")],
              [(f"J{n}", f"评委{n}", None, ["文书"]) for n in range(1, 5)])
    b.scores("文书", 1, {"J1": "80", "J2": "90", "J3": "85", "J4": "70"})   # drop 90 and 70: (80 + 85) / 2 = 82.50
    b.scores("文书", 2, {"J1": "60", "J2": "88", "J3": "70"})                # J4 not yet: incomplete
    scoring.add_deduction(db, b.items["文书"], b.competitors[1], "2", "超时30秒", "裁判长")
    report = contest_report.build(db, b.contest_id, "summary", today=DEMO_DAY)
    text, book = both(report, tmp_path)
    headers, rows = table_of(next(iter(book.values())), "抽签号")
    assert headers == ["抽签号", "姓名", "单位", "J1", "J2", "J3", "J4", "平均分", "扣分", "扣分原因", "项目得分",
                       "备注"]
    assert rows[0][:11] == [1, "张三", "新华区", "80", "[90]", "85", "[70]", 82.5, 2, "超时30秒", 80.5]
    assert "分差20超过上限15" in rows[0][11]
    assert rows[1][3:8] == ["60", "88", "70", "未评", ""] and rows[1][11].startswith("成绩不完整")
    assert "82.50" in text and "80.50" in text and "※分差20超过上限15" in text


# ---- 抽签, 密封编号, 团体, 尺度 ----------------------------------------------------------------------------

def test_the_draw_list_is_in_draw_number_order_with_name_and_unit(demo_db, tmp_path) -> None:
    text, book = both(build_report(demo_db, "draw"), tmp_path)
    headers, rows = table_of(next(iter(book.values())), "抽签号")
    panel = contest_people.Panel.load(demo_db, 1)
    assert headers == ["抽签号", "姓名", "单位"]
    assert [r[0] for r in rows] == list(range(1, 61))
    assert [(r[1], r[2]) for r in rows] == [(c.name, panel.unit_name(c.unit_id)) for c in panel.competitors]
    assert "抽签人：" in text and "监督员：" in text and "首届执法技能比武抽签结果表" in text


def test_the_sealed_code_sheet_maps_codes_to_people_under_a_seal_banner(demo_db, tmp_path) -> None:
    report = build_report(demo_db, "codes")
    assert [s.subtitle for s in report.sections] == ["项目：执法文书制作", "项目：案卷评审"]
    text, book = both(report, tmp_path)
    assert text.count("密封 — 成绩录入完毕前不得拆封") == 2
    for label in ("密封人：", "见证人：", "拆封人："):
        assert label in text
    it = next(i for i in contest.items(demo_db, 1) if i.name == "案卷评审")
    panel = contest_people.Panel.load(demo_db, 1)
    headers, rows = table_of(book["密封编号-案卷评审"], "密封编号")
    assert headers == ["密封编号", "抽签号", "姓名", "单位"]
    codes = draw.codes(demo_db, it.id)
    assert {(r[0], r[2]) for r in rows} == {(code, panel.by_id[cid].name) for cid, code in codes.items()}
    with pytest.raises(ContestError, match="不是密封评分项目"):
        build_report(demo_db, "codes", item="情景模拟执法")


def test_the_team_table_follows_the_team_ranking(demo_db, tmp_path) -> None:
    text, book = both(build_report(demo_db, "teams"), tmp_path)
    teams = ranking.team_ranking(ranking.compute(demo_db, 1))
    _headers, rows = table_of(next(iter(book.values())), "名次")
    assert [(r[1], Decimal(str(r[2])).quantize(Decimal("0.01"))) for r in rows] == [
        (t.name, Decimal(t.total_x100).scaleb(-2)) for t in teams]
    assert "成绩最好的4名选手" in text


def test_the_severity_table_lists_every_judge_on_every_judged_item(demo_db, tmp_path) -> None:
    text, book = both(build_report(demo_db, "severity"), tmp_path)
    headers, rows = table_of(next(iter(book.values())), "项目")
    assert headers[4:9] == ["评分数", "本人均分", "其他评委均分", "均差（本人-其他）", "最大偏差"]
    assert len(rows) == 28 and "评委评分尺度表" in text


# ---- 获奖名单 and 公示 ----------------------------------------------------------------------------------

def awarded(db):
    b = build(db, [item("笔试", SINGLE, 100)], [(d, f"选手{d}", "卫东区") for d in range(1, 5)], [],
              name="第二届执法技能比武")
    for d, v in zip(range(1, 5), ("95", "90", "85", "80"), strict=True):
        b.score("笔试", d, None, v)
    contest_locks.set_pin(db, b.contest_id, PIN, "裁判长")
    contest_locks.lock_item(db, b.items["笔试"], PIN, "裁判长")
    plan = contest_awards.plan_awards(ranking.compute(db, b.contest_id),
                                      [PrizeTier("一等奖", count=1), PrizeTier("二等奖", count=2)])
    contest_awards.confirm_awards(db, b.contest_id, plan, PIN, "裁判长")
    return b


def test_the_award_list_and_its_public_notice(db, tmp_path) -> None:
    b = awarded(db)
    text, book = both(contest_report.build(db, b.contest_id, "awards", today=DEMO_DAY), tmp_path)
    _headers, rows = table_of(next(iter(book.values())), "奖项")
    assert [r[:4] for r in rows] == [["一等奖", 1, 1, "选手1"], ["二等奖", 2, 2, "选手2"], ["二等奖", 3, 3, "选手3"]]
    assert "选手4" not in text
    options = contest_report.NoticeOptions(5, dt.date(2026, 11, 27), "李静", "0375-1234567")   # a Friday
    report = contest_report.build(db, b.contest_id, "notice", today=DEMO_DAY, notice_options=options)
    text = pdf_text(report_pdf(report, tmp_path / "notice.pdf")).replace("\n", "").replace(" ", "")
    assert "关于第二届执法技能比武获奖名单的公示" in text
    assert ("现将第二届执法技能比武获奖名单予以公示，公示期为5个工作日，"
            "自二〇二六年十一月二十七日至二〇二六年十二月三日。") in text
    assert "如有异议" in text and "联系人：李静" in text and "联系电话：0375-1234567" in text
    assert text.index("选手3") < text.rindex("二〇二六年十一月二十五日")   # organiser and date under the list
    book = xlsx(report_xlsx(report, tmp_path / "notice.xlsx"))
    cells = [str(c) for row in next(iter(book.values())) for c in row]
    assert any("公示期为5个工作日" in c for c in cells) and "选手1" in cells


def test_no_award_list_before_the_chief_judge_confirms_one(demo_db) -> None:
    for kind in ("awards", "notice"):
        with pytest.raises(ContestError, match="尚未确认获奖名单"):
            build_report(demo_db, kind)


def test_a_notice_period_counts_working_days() -> None:
    assert contest_report.working_day_end(dt.date(2026, 11, 27), 3) == dt.date(2026, 12, 1)   # Fri → Tue
    assert contest_report.first_working_day(dt.date(2026, 11, 28)) == dt.date(2026, 11, 30)  # Sat → Mon
    with pytest.raises(ContestError):
        contest_report.working_day_end(dt.date(2026, 11, 27), 0)


def test_a_notice_period_skips_public_holidays_and_counts_the_weekend_days_worked_in_lieu() -> None:
    # 国庆节 2026: 10月1日至7日放假，9月20日（周日）、10月10日（周六）上班 (国务院办公厅关于2026年部分节假日安排的通知)
    # Wed 9-30, then Thu 10-8, Fri 10-9, Sat 10-10 (worked), Mon 10-12: weekends alone would end on Tue 10-6
    assert contest_report.working_day_end(dt.date(2026, 9, 30), 5) == dt.date(2026, 10, 12)
    assert contest_report.first_working_day(dt.date(2026, 10, 1)) == dt.date(2026, 10, 8)
    assert contest_report.first_working_day(dt.date(2026, 9, 20)) == dt.date(2026, 9, 20)   # a Sunday worked
    # 春节 2026: 2月15日至23日放假，2月14日（周六）、2月28日（周六）上班
    assert contest_report.first_working_day(dt.date(2026, 2, 15)) == dt.date(2026, 2, 24)
    assert contest_report.working_day_end(dt.date(2026, 2, 12), 4) == dt.date(2026, 2, 24)   # Thu, Fri, Sat 14th, Tue
    # 2024: 元旦 1月1日; 2023: 元旦 2022年12月31日至2023年1月2日
    assert contest_report.working_day_end(dt.date(2023, 12, 29), 2) == dt.date(2024, 1, 2)
    assert contest_report.first_working_day(dt.date(2022, 12, 31)) == dt.date(2023, 1, 3)
    assert contest_report.holidays_note(dt.date(2026, 9, 30), dt.date(2026, 10, 12)) == ""


def test_a_notice_period_in_a_year_without_holiday_data_skips_weekends_and_fixed_holidays_and_says_so(
        db, tmp_path) -> None:
    # 2027 is not in the file: Thu 9-30, then 国庆节 1–3 October (fixed by 《全国年节及纪念日放假办法》), Mon 10-4 …
    assert contest_report.working_day_end(dt.date(2027, 9, 30), 5) == dt.date(2027, 10, 7)
    b = awarded(db)
    options = contest_report.NoticeOptions(5, dt.date(2026, 12, 29))   # runs into 2027: 元旦 (a Friday) is skipped
    report = contest_report.build(db, b.contest_id, "notice", today=DEMO_DAY, notice_options=options)
    text = pdf_text(report_pdf(report, tmp_path / "notice.pdf")).replace("\n", "").replace(" ", "")
    assert "自二〇二六年十二月二十九日至二〇二七年一月五日" in text
    assert "注：2027年的法定节假日安排未收录（已收录2021年至2026年" in text
    assert ("公示期只扣除了周六、周日和每年日期固定的法定节假日（元旦、劳动节、国庆节），未扣除春节、清明节、端午节、"
            "中秋节，也未计调休上班日，请按当年通知核对起止日期。") in text
    # within the years the file holds the notice carries no such note
    inside = contest_report.build(db, b.contest_id, "notice", today=DEMO_DAY,
                                  notice_options=contest_report.NoticeOptions(5, dt.date(2026, 9, 30)))
    assert inside.sections[0].notes == ()
    assert "自二〇二六年九月三十日至二〇二六年十月十二日" in inside.sections[0].paragraphs[0]


# ---- the command line ----------------------------------------------------------------------------------

def test_contest_print_writes_the_document_or_says_why_not(demo_db, db_path, tmp_path, capsys) -> None:
    demo_db.close()
    out = tmp_path / "评分表.pdf"
    code = main(["--db", str(db_path), "contest", "print", "--contest", "1", "--kind", "sheets", "--judge", "J3",
                 "--item", "案卷评审", "--format", "pdf", "--out", str(out)])
    assert code == 0 and out.exists() and "已写出评委评分表" in capsys.readouterr().out
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert all(" yes " in line for line in fonts.splitlines()[2:])           # every font embedded
    book = tmp_path / "汇总.xlsx"
    assert main(["--db", str(db_path), "contest", "print", "--contest", "1", "--kind", "summary", "--format", "xlsx",
                 "--out", str(book)]) == 0
    assert len(xlsx(book)) == 6                                               # one sheet per item
    assert main(["--db", str(db_path), "contest", "print", "--contest", "1", "--kind", "awards", "--out",
                 str(tmp_path / "a.pdf")]) == 2
    assert "尚未确认获奖名单" in capsys.readouterr().err and not (tmp_path / "a.pdf").exists()
    assert main(["--db", str(db_path), "contest", "print", "--contest", "9", "--kind", "draw", "--out",
                 str(tmp_path / "d.pdf")]) == 2


# ---- the window ----------------------------------------------------------------------------------------

@pytest.fixture
def page(qtbot, demo_db, tmp_path, monkeypatch):
    from contest_window_support import shown_page

    from ui import contest_ranking_tab

    opened: list[str] = []
    monkeypatch.setattr(contest_ranking_tab, "open_document", lambda path: opened.append(str(path)))
    p = shown_page(qtbot, demo_db, tmp_path, today=DEMO_DAY)
    p.opened = opened
    return p


def test_the_print_menu_writes_a_judges_sheet_and_offers_to_open_it(qtbot, page, demo_db, tmp_path) -> None:
    page.tabs.setCurrentWidget(page.ranking_tab)
    tab = page.ranking_tab
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)
    assert tab.print_button.text() == "打印与导出" and tab.print_button.isEnabled()
    assert [a.text() for a in tab.print_menu.actions()] == list(contest_report.KINDS.values())
    tab.print_actions[("sheets", "pdf")].trigger()
    dialog = page.active_dialog
    assert dialog.judge_combo is not None and dialog.item_combo is not None
    dialog.judge_combo.setCurrentIndex(dialog.judge_combo.findData("J3"))
    dialog.item_combo.setCurrentIndex(dialog.item_combo.findData("案卷评审"))
    dialog.accept()
    assert tab.print_task is not None and tab.print_task.wait()
    qtbot.waitUntil(lambda: bool(page.opened), timeout=10_000)
    path = Path(page.opened[-1])
    assert path.name == "首届执法技能比武评委评分表_J3_案卷评审.pdf"
    assert any("已保存到" in text for text in page.prompts.asked)
    text = pdf_text(path)
    assert "评委J3 孙立" in text and not any(c.name in text for c in contest_people.competitors(demo_db, 1))


def test_the_print_menu_says_why_a_document_cannot_be_made_yet(qtbot, page) -> None:
    page.tabs.setCurrentWidget(page.ranking_tab)
    tab = page.ranking_tab
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)
    tab.print_actions[("awards", "xlsx")].trigger()
    assert tab.print_task is not None and tab.print_task.wait()
    qtbot.waitUntil(lambda: bool(page.prompts.told), timeout=10_000)
    assert "尚未确认获奖名单" in page.prompts.told[-1] and not page.opened


# ---- 团体 items: the teams, by 队号, on every document ------------------------------------------------------

def team_contest(db):
    """test_team_items' contest: 笔试 and 文书 per competitor, 队列会操 (团体, 权重20) per team, all scored."""
    from test_team_items import make_field

    f = make_field(db)
    f.score_everything()
    return f


def test_a_team_items_score_sheet_lists_the_teams_by_number_without_the_judges_own(db, tmp_path) -> None:
    from test_team_items import DRILL, TEAM_SCORES

    f = team_contest(db)
    report = contest_report.build(db, f.contest_id, "sheets", judge="J1", item=DRILL, filled=True, today=DEMO_DAY)
    text, book = both(report, tmp_path)
    headers, rows = table_of(next(iter(book.values())), "序号")
    assert headers == ["序号", "队号", "参赛队伍", "分数\n满分100", "备注"]
    teams = [t for t in contest_people.team_entries(db, f.contest_id) if t.name != "新华区"]  # J1 is of 新华区
    assert [(r[1], r[2], r[3]) for r in rows] == [(str(t.team_no), t.name, str(TEAM_SCORES[t.name]["J1"]))
                                                  for t in teams]
    assert "队列会操（团体项目）" in text and "本表共 2 支队伍" in text and "（新华区）的队伍不列入本表" in text
    every = contest_report.build(db, f.contest_id, "sheets", today=DEMO_DAY)
    assert [s.subtitle.split("　")[0] for s in every.sections].count(f"{DRILL}（团体项目）") == 5


def test_the_summary_of_a_team_item_has_a_row_per_team_with_its_judges_scores(db, tmp_path) -> None:
    from test_team_items import DRILL

    f = team_contest(db)
    text, book = both(contest_report.build(db, f.contest_id, "summary", today=DEMO_DAY), tmp_path)
    assert list(book) == ["汇总-笔试", "汇总-文书", f"汇总-{DRILL}"]
    headers, rows = table_of(book[f"汇总-{DRILL}"], "队号")
    assert headers == ["队号", "参赛队伍", "J1", "J2", "J3", "J4", "J5", "平均分", "扣分", "扣分原因", "项目得分",
                       "备注"]
    by_team = {r[1]: r for r in rows}
    # 新华区: J1 recused, 90 and 95 dropped, (92 + 93) ÷ 2 = 92.50 — as the team ranking counts it
    assert by_team["新华区"][2:7] == ["回避", "[90]", "92", "93", "[95]"] and by_team["新华区"][10] == 92.5
    assert by_team["卫东区"][2:7] == ["[88]", "89", "91", "回避", "[96]"] and by_team["卫东区"][10] == 90
    assert [r[0] for r in rows] == [t.team_no for t in contest_people.team_entries(db, f.contest_id)]
    assert "评委与队伍同属一个单位" in text.replace("\n", "") and "不计入个人总分" in text.replace("\n", "")


def test_the_draw_list_adds_the_teams_numbers_and_says_when_they_are_not_drawn_yet(db, tmp_path) -> None:
    from test_team_items import make_field

    f = make_field(db)
    text, book = both(contest_report.build(db, f.contest_id, "draw", today=DEMO_DAY), tmp_path)
    assert list(book) == ["抽签结果", "队号抽签"]
    headers, rows = table_of(book["队号抽签"], "队号")
    assert headers == ["队号", "参赛队伍", "队员（抽签号）"]
    panel = contest_people.Panel.load(db, f.contest_id)
    assert [(r[0], r[1]) for r in rows] == [(t.team_no, t.name) for t in panel.team_entries]
    xinhua = next(r for r in rows if r[1] == "新华区")
    assert sorted(xinhua[2].split("、")) == sorted(f"{c.draw_no}号{c.name}" for c in panel.competitors
                                                   if c.name in ("张三", "李四"))
    assert "团体项目队号抽签结果表" in text and "队号”" in text  # the team draw's own seed is recorded

    # a contest whose 团体 item came after the draw: its teams are listed, marked 未抽签, until 队号 are drawn
    plain = build(db, [item("笔试", SINGLE, 100)], [(1, "张三", "新华区"), (2, "李四", "卫东区")], [], name="复赛")
    contest.add_item(db, plain.contest_id, contest.NewItem("队列会操", contest.DROP_HIGH_LOW, Decimal(100),
                                                           Decimal(20), kind=contest.TEAM))
    contest_people.sync_teams(db, plain.contest_id)
    report = contest_report.build(db, plain.contest_id, "draw", today=DEMO_DAY)
    assert [r[0] for r in report.sections[1].table.rows] == ["未抽签", "未抽签"]
    assert any("2支队伍尚未抽取队号" in n for n in report.sections[1].notes)
    only_solo = contest_report.build(db, build(db, [item("笔试", SINGLE, 100)], [(1, "王五", "湛河区")], [],
                                               name="个人赛").contest_id, "draw", today=DEMO_DAY)
    assert len(only_solo.sections) == 1  # no team item: no 队号 page


def test_a_blind_team_items_codes_go_to_the_teams_and_its_sheet_shows_codes_only(db, tmp_path) -> None:
    from test_team_items import CHIEF, make_field

    f = make_field(db)
    drill = "队列会操"
    draw.draw_codes(db, f.items[drill], CHIEF, seed="会操 密封")
    codes = draw.codes(db, f.items[drill])
    _text, book = both(contest_report.build(db, f.contest_id, "codes", today=DEMO_DAY), tmp_path)
    headers, rows = table_of(book[f"密封编号-{drill}"], "密封编号")
    assert headers == ["密封编号", "队号", "参赛队伍"]
    teams = {t.id: t for t in contest_people.team_entries(db, f.contest_id)}
    assert {(r[0], r[2]) for r in rows} == {(code, teams[tid].name) for tid, code in codes.items()}
    sheet = contest_report.build(db, f.contest_id, "sheets", judge="J2", item=drill, today=DEMO_DAY)
    text = pdf_text(report_pdf(sheet, tmp_path / "blind.pdf"))
    assert all(code in text for code in codes.values())
    assert not any(t.name in text for t in teams.values())  # no team's name on a blind sheet


def test_the_team_table_states_the_formula_with_the_team_items_and_shows_their_scores(db, tmp_path) -> None:
    from test_team_items import DRILL

    f = team_contest(db)
    text, book = both(contest_report.build(db, f.contest_id, "teams", today=DEMO_DAY), tmp_path)
    headers, rows = table_of(next(iter(book.values())), "名次")
    assert headers[:7] == ["名次", "单位", "团体成绩", "计入人数", "参赛人数", "队号", f"{DRILL}\n满分100 权重20"]
    assert [(r[1], r[2], r[6]) for r in rows] == [("新华区", 184.5, 92.5), ("卫东区", 184.5, 90), ("湛河区", 179, 85)]
    assert rows[0][5] == f.team("新华区").team_no
    assert rows[0][8].startswith("个人总分合计166.00 + 团体项目折合18.50")
    flat = text.replace("\n", "").replace(" ", "")
    assert "团体成绩=各单位选手总分之和（合计）+团体项目折合" in flat and "队列会操（满分100，权重20）" in flat
    assert "未锁定：笔试、文书、队列会操" in flat  # the team item is unlocked too


def test_a_damaged_holiday_file_stops_the_notice_with_the_reason(monkeypatch) -> None:
    from trainer import holidays

    def damaged() -> holidays.Calendar:
        raise holidays.HolidayFileError("holidays_cn.csv 第9行：类别应为“放假”或“上班”（“休息”）")

    monkeypatch.setattr(holidays, "calendar", damaged)
    with pytest.raises(ContestError, match=r"节假日数据文件（data/holidays_cn\.csv）无法使用：.*第9行"):
        contest_report.working_day_end(dt.date(2026, 9, 30), 5)
