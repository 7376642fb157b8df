"""The contest's printed documents as plain tables, so the PDF and the Excel writer print the same thing.

    report = contest_report.build(db, contest_id, "sheets", judge="J1", item="执法文书制作", filled=False)
    report.sections[0].table.headers        # ('序号', '密封编号', '分数（满分100）', '备注') on a blind item
    exports.contest_sheets_pdf.report_pdf(report, "评分表.pdf")
    exports.contest_sheets_xlsx.report_xlsx(report, "评分表.xlsx")

Kinds (KINDS): draw 抽签结果表 · codes 密封编号对照表 · sheets 评委评分表 (one section per judge × item) ·
summary 单项成绩汇总表 (every raw judge score, the dropped ones in brackets) · teams 团体排名表 · awards 获奖名单 ·
notice 获奖名单公示 · severity 评委评分尺度表. A document that cannot be made yet (no draw, no blind item, no
confirmed awards, an unknown judge or item) raises ContestError with the reason in Chinese.

A blind (密封) item's score sheet carries the anonymous codes only, never a name, a unit or a draw number.

The 公示 period of the award notice counts working days by trainer.holidays (the State Council's notices in
data/holidays_cn.csv): public holidays are skipped, Saturdays and Sundays worked in lieu (调休) count; for a year
the file lacks only weekends and the fixed-date holidays (元旦, 劳动节, 国庆节) are skipped, and a note on the notice
says so.

团体 items are scored per team (trainer.contest_people: a team row per unit, known by its 队号): their score
sheets, sealed codes, summaries and severity rows list the teams (队号, team name) instead of the competitors,
the draw list adds the teams' 队号 on a page of its own, and the team table states the team formula with the
团体 items and their weights (team_rule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlite_utils import Database

from trainer import (
    contest,
    contest_awards,
    contest_people,
    contest_results,
    draw,
    holidays,
    judge_severity,
    ranking,
    scoring,
)
from trainer.contest import RUBRIC, Contest, ContestError, Item
from trainer.contest_people import Competitor, Judge, Panel, code_key
from trainer.contest_values import fmt_decimal, places, show, show_plain, to_milli
from trainer.dates import chinese_date

KINDS = {
    "draw": "抽签结果表",
    "codes": "密封编号对照表",
    "sheets": "评委评分表",
    "summary": "单项成绩汇总表",
    "teams": "团体排名表",
    "awards": "获奖名单",
    "notice": "获奖名单公示",
    "severity": "评委评分尺度表",
}
SEALED_BANNER = "密封 — 成绩录入完毕前不得拆封"
RECUSED, NOT_SCORED = "回避", "未评"
SPREAD_MARK = "※"
DEFAULT_ORGANISER = "平顶山市城市管理局"
SUMMARY_LEGEND = (f"说明：方括号 [ ] 内为按“去掉最高最低取平均”去掉的一个最高分和一个最低分；“{RECUSED}”为评委与"
                  f"选手同属一个单位，按规定回避不评分；“{NOT_SCORED}”为尚未录入；{SPREAD_MARK} 为评委分差超过该项目的"
                  "分差上限。"
                  "平均分为有效评分的平均，按项目小数位四舍五入；项目得分 = 平均分 - 扣分。")
TEAM_NOTE = "团体项目：按队评分，每个单位一支队伍，按队号排列；项目得分计入团体成绩，不计入个人总分。"


def summary_legend(item: Item) -> str:
    return SUMMARY_LEGEND.replace("评委与选手同属", "评委与队伍同属") if item.team else SUMMARY_LEGEND


def _kind_text(item: Item) -> str:
    return "团体项目，" if item.team else ""


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    align: str                              # one letter per column: L, C, R
    widths: tuple[float, ...]               # relative widths
    row_height_mm: float | None = None      # room to write by hand (blank score sheets)


@dataclass(frozen=True)
class Section:
    """One printed part: a page (or pages) of its own in the PDF, a worksheet in Excel."""
    name: str                               # the worksheet's name
    title: str
    subtitle: str = ""
    meta: tuple[str, ...] = ()
    banner: str = ""                        # a boxed warning above the table (密封)
    paragraphs: tuple[str, ...] = ()        # running text above the table (公示)
    table: Table | None = None
    notes: tuple[str, ...] = ()             # under the table (legend, recusal note)
    signers: tuple[tuple[str, ...], ...] = ()   # signature lines, one tuple per line
    closing: tuple[str, str] | None = None  # (organiser, date) at the bottom right


@dataclass(frozen=True)
class Report:
    kind: str
    title: str                              # the running header and the file's title
    contest: Contest
    sections: tuple[Section, ...]
    landscape: bool = False
    names: tuple[str, ...] = field(default=())  # people printed, so a missing glyph names them

    @property
    def label(self) -> str:
        return KINDS[self.kind]


@dataclass(frozen=True)
class NoticeOptions:
    days: int = 5                           # 公示期 in working days
    start: dt.date | None = None            # first day (default: the print date)
    contact: str = ""
    phone: str = ""


# ---- helpers --------------------------------------------------------------------------------------

def _meta(c: Contest, today: dt.date, *extra: str) -> tuple[str, ...]:
    return (f"比武时间：{c.dates_text or '—'}", *extra, f"打印日期：{chinese_date(today)}")


def pick_item(items: Sequence[Item], name: str) -> Item:
    found = next((it for it in items if it.name == name.strip()), None)
    if found is None:
        raise ContestError(f"没有名为“{name.strip()}”的项目（可选：{'、'.join(it.name for it in items)}）")
    return found


def pick_judge(panel: Panel, code: str) -> Judge:
    found = panel.judge_by_code.get(code.strip())
    if found is None:
        raise ContestError(f"没有评委编号“{code.strip()}”（可选：{'、'.join(j.code for j in panel.judges)}）")
    return found


def _holidays() -> holidays.Calendar:
    try:
        return holidays.calendar()
    except (OSError, holidays.HolidayFileError) as exc:
        raise ContestError(f"节假日数据文件（data/{holidays.FILE_NAME}）无法使用：{exc}") from exc


def working_day_end(start: dt.date, days: int, cal: holidays.Calendar | None = None) -> dt.date:
    """The last day of a period of `days` working days from `start`: Monday to Friday except public holidays, plus
    the Saturdays and Sundays worked in lieu (调休上班), as the State Council's notices in data/holidays_cn.csv have
    them (`cal`, default the shipped file); a year the file lacks counts Monday to Friday except 元旦, 劳动节 and
    国庆节, whose dates are fixed (holidays.fixed_holidays)."""
    if days < 1:
        raise ContestError("公示期应至少为1个工作日")
    cal = cal or _holidays()
    day, left = start, days
    while True:
        if cal.is_working_day(day):
            left -= 1
            if left == 0:
                return day
        day += dt.timedelta(days=1)


def first_working_day(start: dt.date, cal: holidays.Calendar | None = None) -> dt.date:
    """`start`, or the next working day when it falls on a weekend or a public holiday."""
    cal = cal or _holidays()
    while not cal.is_working_day(start):
        start += dt.timedelta(days=1)
    return start


def holidays_note(start: dt.date, end: dt.date, cal: holidays.Calendar | None = None) -> str:
    """'' when the file knows the holidays of every year of the period, else what the period could not skip."""
    cal = cal or _holidays()
    missing = cal.missing_years(start, end)
    if not missing:
        return ""
    years = "、".join(str(y) for y in missing)
    return (f"注：{years}年的法定节假日安排未收录（已收录{cal.years_text}，依据国务院办公厅各年部分节假日安排的通知），"
            f"公示期{holidays.FALLBACK_TEXT}，请按当年通知核对起止日期。")


def _draw_text(c: Competitor) -> str:
    """The number an entrant is known by on paper: 队号 for a team row, 抽签号 for a competitor."""
    return str(c.number) if c.number is not None else ""


def _who(item: Item) -> tuple[str, str]:
    """(number header, name header) of an item's entrants: 队号 and 参赛队伍 for a 团体 item."""
    return ("队号", "参赛队伍") if item.team else ("抽签号", "姓名")


def _entrant_cells(panel: Panel, item: Item, p: Competitor) -> list[object]:
    """Number, name (and unit, for a competitor: a team is its unit) of one entrant of the item."""
    if item.team:
        return [p.number, p.name]
    return [p.draw_no, p.name, panel.unit_name(p.unit_id)]


def _count_text(item: Item, n: int) -> str:
    return f"{n} 支队伍" if item.team else f"{n} 人"


def team_rule(r: ranking.Ranking) -> str:
    """How team scores are made, as printed under every team table: the members' part (合计 or 前N名), the
    团体 items with 满分 and 权重 when the contest has any, and how ties are broken."""
    c = r.contest
    if c.team_mode == contest.TEAM_BEST:
        members = f"各单位成绩最好的{c.team_best_n}名选手总分之和（前{c.team_best_n}名）"
    else:
        members = "各单位选手总分之和（合计）"
    text = f"团体成绩 = {members}"
    if r.team_items:
        parts = "、".join(f"{it.name}（满分{fmt_decimal(it.full_marks)}，权重{fmt_decimal(it.weight)}）"
                          for it in r.team_items)
        text += (f" + 团体项目折合（Σ 团体项目得分 ÷ 满分 × 权重，四舍五入保留两位小数；团体项目：{parts}）"
                 "；只计成绩完整的选手；团体项目成绩不完整或未抽取队号的单位暂不排名")
    else:
        text += "；只计成绩完整的选手"
    breakers = sorted((it for it in r.team_items if it.tiebreak is not None), key=lambda it: it.tiebreak or 0)
    if breakers:
        text += (f"。团体成绩相同者按决胜顺序比较团体项目得分（{'、'.join(it.name for it in breakers)}），"
                 "仍相同者名次并列。")
    else:
        text += "。团体成绩相同者名次并列。"
    return text


# ---- 抽签结果表 ----------------------------------------------------------------------------------

def draw_list(db: Database, contest_id: int, today: dt.date) -> Report:
    """The competitors by 抽签号; with 团体 items, a second page of the teams by 队号 with their members."""
    c = contest.require_contest(db, contest_id)
    panel = Panel.load(db, contest_id)
    if not panel.competitors:
        raise ContestError("还没有选手")
    undrawn = [p.name for p in panel.competitors if p.draw_no is None]
    if undrawn:
        raise ContestError(f"尚未抽签：{len(undrawn)}名选手还没有抽签号")
    rows = tuple((p.draw_no, p.name, panel.unit_name(p.unit_id)) for p in panel.competitors)
    records = draw.draws(db, contest_id)
    numbers = [d for d in records if d.what == "抽签号"]
    notes = [f"共 {len(rows)} 名选手，按抽签号排列。"]
    if numbers:
        notes.append(_record_note(numbers[-1]))
    meta = _meta(c, today, f"地点：{c.venue or '—'}")
    sections = [Section("抽签结果", f"{c.name}抽签结果表", meta=meta,
                        table=Table(("抽签号", "姓名", "单位"), rows, "CLL", (1, 1.6, 3.4)),
                        notes=tuple(notes), signers=(("抽签人", "监督员", "日期"),))]
    team_items = [it.name for it in contest.items(db, contest_id) if it.team]
    if team_items:
        sections.append(_team_draw_section(c, panel, [d for d in records if d.what == "队号"], team_items, meta))
    return Report("draw", f"{c.name}抽签结果表", c, tuple(sections), names=tuple(r[1] for r in rows))


def _record_note(d: draw.DrawRecord) -> str:
    return (f"抽签记录：种子“{d.seed}”，方法：{d.method}；{d.drawn_by}于{d.drawn_at.replace('T', ' ')}抽取，"
            "按同一种子可复现。")


def _team_draw_section(c: Contest, panel: Panel, records: Sequence[draw.DrawRecord], team_items: Sequence[str],
                       meta: tuple[str, ...]) -> Section:
    members = contest_people.teams(panel)
    rows = []
    for t in panel.team_entries:
        who = "、".join(f"{m.draw_no}号{m.name}" if m.draw_no is not None else m.name
                       for m in members.get(t.unit_id, []))
        rows.append((t.team_no if t.team_no is not None else "未抽签", t.name, who or "（已无选手）"))
    notes = [f"共 {len(rows)} 支队伍，按队号排列；团体项目（{'、'.join(team_items)}）按队号评分，"
             "评分表只列队号和队伍。"]
    unnumbered = sum(1 for t in panel.team_entries if t.team_no is None)
    if not rows:
        notes.append("还没有参赛队伍：队伍按选手的单位生成。")
    if unnumbered:
        notes.append(f"注意：{unnumbered}支队伍尚未抽取队号，请在“设置”中为团体项目抽取队号后重新打印。")
    if records:
        notes.append(_record_note(records[-1]))
    return Section("队号抽签", f"{c.name}团体项目队号抽签结果表", meta=meta,
                   table=Table(("队号", "参赛队伍", "队员（抽签号）"), tuple(rows), "CLL", (0.8, 2.0, 5.2)),
                   notes=tuple(notes), signers=(("抽签人", "监督员", "日期"),))


# ---- 密封编号对照表 --------------------------------------------------------------------------------

def sealed_codes(db: Database, contest_id: int, today: dt.date, item_name: str | None = None) -> Report:
    c = contest.require_contest(db, contest_id)
    items = contest.items(db, contest_id)
    blind = [it for it in items if it.blind]
    if item_name:
        chosen = pick_item(items, item_name)
        if not chosen.blind:
            raise ContestError(f"“{chosen.name}”不是密封评分项目，没有密封编号")
        blind = [chosen]
    if not blind:
        raise ContestError("本次比武没有密封评分的项目（没有抽取密封编号）")
    panel = Panel.load(db, contest_id)
    sections = []
    for it in blind:
        codes = draw.codes(db, it.id)
        entrants = panel.entrants(it)
        rows = sorted(((code, *_entrant_cells(panel, it, p)) for p in entrants if (code := codes.get(p.id))),
                      key=lambda r: code_key(str(r[0])))
        uncoded = len(entrants) - len(rows)
        notes = [f"共 {len(rows)} 个密封编号，按编号排列。本表单独密封保管，评委评分表只印密封编号。"]
        if uncoded:
            notes.append(f"注意：{uncoded}{'支队伍' if it.team else '名选手'}没有密封编号，请重新抽取密封编号。")
        table = (Table(("密封编号", *_who(it)), tuple(rows), "CCL", (1.2, 1, 4.8)) if it.team else
                 Table(("密封编号", "抽签号", "姓名", "单位"), tuple(rows), "CCLL", (1.2, 1, 1.6, 3.2)))
        sections.append(Section(f"密封编号-{it.name}", f"{c.name}密封编号对照表",
                                subtitle=f"项目：{it.name}" + ("（团体项目）" if it.team else ""),
                                meta=_meta(c, today), banner=SEALED_BANNER, table=table,
                                notes=tuple(notes),
                                signers=(("密封人", "见证人", "密封时间"), ("拆封人", "见证人", "拆封时间"))))
    names = tuple(p.name for p in panel.competitors)
    return Report("codes", f"{c.name}密封编号对照表", c, tuple(sections), names=names)


# ---- 评委评分表 -----------------------------------------------------------------------------------

def _sheet_section(c: Contest, panel: Panel, item: Item, judge: Judge, values: dict[scoring.Slot, int],
                   codes: dict[int, str], filled: bool, today: dt.date) -> Section:
    sheet = panel.sheet(judge, item)
    recused = [p for p in panel.entrants(item) if panel.recused(judge, p)]
    number, name = _who(item)
    if item.blind:
        uncoded = [p for p in sheet if p.id not in codes]
        if uncoded:
            whom = f"{len(uncoded)}支队伍" if item.team else f"{len(uncoded)}名选手"
            raise ContestError(f"“{item.name}”为密封评分项目，但有{whom}没有密封编号，"
                               "请先在“设置”页用“抽签…”抽取密封编号")
        keyed = sorted(((codes[p.id], p) for p in sheet), key=lambda t: code_key(t[0]))
    else:
        keyed = [(_draw_text(p), p) for p in sheet]
    head: list[str] = ["序号", "密封编号" if item.blind else number]
    widths: list[float] = [0.7, 1.1]
    align = "CC"
    if not item.blind:
        head.append(name)
        widths.append(2.2 if item.team else 1.4)  # a team is a unit: 城乡一体化示范区 on one line
        align += "L"
    crits = item.criteria if item.method == RUBRIC else ()
    if crits:
        head += [f"{k.name}\n满分{fmt_decimal(k.max_points)}" for k in crits]
        head.append(f"合计\n满分{fmt_decimal(item.full_marks)}")
        widths += [1.3] * (len(crits) + 1)
        align += "R" * (len(crits) + 1)
    else:
        head.append(f"分数\n满分{fmt_decimal(item.full_marks)}")
        widths.append(1.6)
        align += "R"
    head.append("备注")
    widths.append(1.8 if crits else 2.4)
    align += "L"
    rows = []
    for n, (key, p) in enumerate(keyed, start=1):
        cells: list[object] = [n, key] if item.blind else [n, key, p.name]
        if crits:
            got = [values.get(scoring.Slot(item.id, p.id, judge.id, k.id)) if filled else None for k in crits]
            cells += [show_plain(v) if v is not None else "" for v in got]
            done = filled and all(v is not None for v in got)
            cells.append(show_plain(sum(v or 0 for v in got)) if done else "")
        else:
            v = values.get(scoring.Slot(item.id, p.id, judge.id)) if filled else None
            cells.append(show_plain(v) if v is not None else "")
        cells.append("")
        rows.append(tuple(cells))
    allowed = f"最多保留{item.decimals}位小数" if item.decimals else "应为整数"
    notes = [f"本表共 {_count_text(item, len(rows))}。请填写0至满分之间的分数，{allowed}；涂改处须评委签名确认。"]
    if item.team:
        notes.append("团体项目：按队评分，每支队伍一个分数；表中按队号列出参赛队伍。")
    if crits:
        notes.append("评分细则项目：逐项填写各细则得分，合计为各细则得分之和。")
    if item.blind:
        notes.append("本项目为密封评分：表中只列密封编号，不列" + ("队伍名称。" if item.team else "选手姓名和单位。"))
    if recused:
        whom = "队伍" if item.team else f"选手{len(recused)}人"
        notes.append(f"按回避规定，与评委同单位（{panel.unit_name(panel.judge_team(judge))}）的{whom}不列入本表。")
    if filled:
        notes.append("本表为已录入成绩的核对稿：空白处为尚未录入的分数。")
    state = "已录入成绩核对稿" if filled else "空白评分表"
    return Section(
        f"{judge.code}-{item.name}", f"{c.name}评委评分表",
        subtitle=f"{item.name}{'（团体项目）' if item.team else ''}　评委{judge.code} {judge.name}（{state}）",
        meta=_meta(c, today, f"计分方式：{item.method_text}（满分{fmt_decimal(item.full_marks)}）"),
        table=Table(tuple(head), tuple(rows), align, tuple(widths), None if filled else 7.5),
        notes=tuple(notes), signers=(("评委签名", "日期"), ("记分员", "总裁判")))


def score_sheets(db: Database, contest_id: int, today: dt.date, *, judge: str | None = None,
                 item: str | None = None, filled: bool = False) -> Report:
    """One section per judge × item the judge is assigned to (评委编号 order within sheet order)."""
    c = contest.require_contest(db, contest_id)
    items = contest.items(db, contest_id)
    panel = Panel.load(db, contest_id)
    if item:
        chosen = pick_item(items, item)
        if not chosen.judged:
            raise ContestError(f"“{chosen.name}”是单一成绩项目，不设评委，没有评委评分表")
        items = [chosen]
    judges = [pick_judge(panel, judge)] if judge else panel.judges
    values = scoring.stored_values(db, contest_id) if filled else {}
    sections = []
    for it in items:
        if not it.judged:
            continue
        codes = draw.codes(db, it.id) if it.blind else {}
        for j in judges:
            if j.id in panel.assigned.get(it.id, []):
                sections.append(_sheet_section(c, panel, it, j, values, codes, filled, today))
    if not sections:
        who = f"评委{judge.strip()}" if judge else "评委"
        what = f"“{item.strip()}”" if item else "任何由评委评分的项目"
        raise ContestError(f"{who}没有分配评{what}，没有评分表")
    names = tuple(p.name for p in panel.competitors) + tuple(j.name for j in panel.judges)
    return Report("sheets", f"{c.name}评委评分表", c, tuple(sections), names=names)


# ---- 单项成绩汇总表 --------------------------------------------------------------------------------

def _deductions(db: Database, contest_id: int) -> dict[tuple[int, int], list[scoring.Deduction]]:
    out: dict[tuple[int, int], list[scoring.Deduction]] = {}
    for d in scoring.deductions(db, contest_id):
        out.setdefault((d.item_id, d.competitor_id), []).append(d)
    return out


def _summary_section(c: Contest, item: Item, today: dt.date, rules: str, table: Table,
                     notes: list[str]) -> Section:
    """One item's 单项成绩汇总表 around its table; `rules` closes the subtitle's brackets after 满分."""
    return Section(f"汇总-{item.name}", f"{c.name}单项成绩汇总表",
                   subtitle=f"项目：{item.name}（{_kind_text(item)}{item.method_text}，"
                            f"满分{fmt_decimal(item.full_marks)}{rules}）",
                   meta=_meta(c, today, "成绩状态：" + ("已锁定" if item.locked else "未锁定（初稿）")),
                   table=table, notes=tuple(notes), signers=(("记分员", "裁判长", "日期"),))


def _summary_judged(c: Contest, db: Database, panel: Panel, item: Item, flags: dict[tuple[int, int], str],
                    deds: dict[tuple[int, int], list[scoring.Deduction]], today: dt.date) -> Section:
    values = judge_severity.judge_values(db, item)
    judges = [panel.judge_by_id[j] for j in panel.assigned.get(item.id, [])]
    codes = draw.codes(db, item.id) if item.blind else {}
    # Until a blind item is locked its summary is as sealed as the judges' sheets: codes only, in code order,
    # so a printed draft cannot be laid next to the public draw list.
    sealed = item.blind and not item.locked
    need = contest.MIN_SCORES.get(item.aggregate_method, 1)
    rows = []
    entrants = panel.entrants(item)
    if sealed:
        entrants = sorted(entrants, key=lambda e: code_key(codes.get(e.id, "")))
    for p in entrants:
        got = values.get(p.id, {})
        expected = [j.id for j in panel.expected_judges(item, p)]
        dropped = judge_severity.dropped_judges(got, expected, item.aggregate_method, item.decimals)
        who = _entrant_cells(panel, item, p)
        cells: list[object] = ([codes.get(p.id, "")] if sealed else
                               [who[0], *([codes.get(p.id, "")] if item.blind else []), *who[1:]])
        for j in judges:
            if panel.recused(j, p):
                cells.append(RECUSED)
            elif j.id in got:
                text = show_plain(got[j.id])
                cells.append(f"[{text}]" if dropped and j.id in dropped else text)
            else:
                cells.append(NOT_SCORED)
        complete = bool(expected) and all(j in got for j in expected)
        note = []
        average: Decimal | None = None
        final: Decimal | None = None
        ded = deds.get((item.id, p.id), [])
        ded_milli = sum(to_milli(d.points) for d in ded)
        if complete and len(expected) >= need:
            score = ranking.aggregate([got[j] for j in expected], item.aggregate_method, item.decimals).score
            average = places(score, item.decimals)
            final = places(score - ded_milli, item.decimals)
        elif complete:
            note.append(f"评分不足：回避后只有{len(expected)}名评委，{item.aggregate_method}至少需要{need}个评分")
        else:
            note.append("成绩不完整")
        if (item.id, p.id) in flags:
            note.append(flags[(item.id, p.id)])
        cells += [average, places(ded_milli, item.decimals) if ded else None,
                  "；".join(d.reason for d in ded), final, "；".join(note)]
        rows.append(tuple(cells))
    number, name = _who(item)
    names = [name] if item.team else [name, "单位"]
    scores_head = [*(j.code for j in judges), "平均分", "扣分", "扣分原因", "项目得分", "备注"]
    scores_widths = [*([0.85] * len(judges)), 0.95, 0.7, 1.6, 0.95, 2.0]
    if sealed:
        head, widths, align = ["密封编号", *scores_head], [1.0, *scores_widths], "C" + "C" * len(judges) + "RRLRL"
    else:
        head = [number, *(["密封编号"] if item.blind else []), *names, *scores_head]
        widths = [0.8, *([0.9] if item.blind else []), *([3.2] if item.team else [1.2, 2.0]), *scores_widths]
        align = "C" + ("C" if item.blind else "") + "L" * len(names) + "C" * len(judges) + "RRLRL"
    judges_text = "；".join(f"{j.code} {j.name}（{panel.judge_unit_text(j)}）" for j in judges)
    notes = [summary_legend(item), f"评委：{judges_text}"]
    if item.method == RUBRIC:
        notes.insert(1, "评分细则项目：各评委分数为其各细则得分之和。")
    if item.team:
        notes.insert(1, TEAM_NOTE)
    if sealed:
        notes.insert(0, "密封评审项目尚未锁定：本表只列密封编号；项目锁定（拆封）后打印可见姓名和单位。")
    return _summary_section(c, item, today, f"，保留{item.decimals}位小数",
                            Table(tuple(head), tuple(rows), align, tuple(widths)), notes)


def _summary_single(c: Contest, db: Database, panel: Panel, item: Item,
                    deds: dict[tuple[int, int], list[scoring.Deduction]], today: dt.date) -> Section:
    raw = {int(r[0]): int(r[1]) for r in db.execute(
        "SELECT competitor_id, value_x1000 FROM contest_scores WHERE item_id = ? AND judge_id IS NULL", [item.id])}
    rows = []
    for p in panel.entrants(item):
        value = raw.get(p.id)
        ded = deds.get((item.id, p.id), [])
        ded_milli = sum(to_milli(d.points) for d in ded)
        cells: list[object] = [*_entrant_cells(panel, item, p),
                               show(value, item.raw_decimals if item.converted else item.decimals)
                               if value is not None else NOT_SCORED]
        score = None
        if value is not None:
            score = ranking.aggregate([item.convert_milli(value) if item.converted else value], contest.SINGLE,
                                      item.decimals).score
        if item.converted:
            cells.append(places(score, item.decimals) if score is not None else None)
        cells += [places(ded_milli, item.decimals) if ded else None, "；".join(d.reason for d in ded),
                  places(score - ded_milli, item.decimals) if score is not None else None,
                  "" if value is not None else "成绩不完整"]
        rows.append(tuple(cells))
    unit = f"（{item.raw_unit}）" if item.raw_unit else ""
    number, name = _who(item)
    names = [name] if item.team else [name, "单位"]
    head = [number, *names, f"成绩{unit}", *(["换算得分"] if item.converted else []), "扣分", "扣分原因",
            "项目得分", "备注"]
    widths = [0.8, *([3.2] if item.team else [1.2, 2.0]), 1.1, *([1.0] if item.converted else []), 0.7, 1.8, 1.0,
              1.6]
    align = "C" + "L" * len(names) + "R" + ("R" if item.converted else "") + "RLRL"
    notes = ["单一成绩项目：成绩为实测或笔试成绩，无评委评分。项目得分 = "
             + ("按换算表换算的得分" if item.converted else "成绩") + "（按项目小数位四舍五入）- 扣分。"]
    if item.team:
        notes.append(TEAM_NOTE)
    if item.converted:
        steps = "；".join(f"{'≤' if item.lower_is_better else '≥'}{fmt_decimal(k.limit)}{item.raw_unit}"
                         f"→{fmt_decimal(k.points)}分" for k in item.conversions)
        notes.append(f"换算表：{steps}；超出换算表记0分。")
    return _summary_section(c, item, today, "", Table(tuple(head), tuple(rows), align, tuple(widths)), notes)


def item_summaries(db: Database, contest_id: int, today: dt.date, item: str | None = None) -> Report:
    c = contest.require_contest(db, contest_id)
    items = contest.items(db, contest_id)
    if not items:
        raise ContestError("比武还没有项目")
    if item:
        items = [pick_item(items, item)]
    panel = Panel.load(db, contest_id)
    flags = {}
    for f in ranking.spread_flags(db, items, panel):
        state = "，已由裁判长确认" if f.overridden else ""
        flags[(f.item.id, f.competitor.id)] = (f"{SPREAD_MARK}分差{show_plain(f.spread_milli)}超过上限"
                                               f"{show_plain(f.limit_milli)}{state}")
    deds = _deductions(db, contest_id)
    sections = tuple(_summary_judged(c, db, panel, it, flags, deds, today) if it.judged
                     else _summary_single(c, db, panel, it, deds, today) for it in items)
    names = tuple(p.name for p in panel.competitors) + tuple(j.name for j in panel.judges)
    return Report("summary", f"{c.name}单项成绩汇总表", c, sections, landscape=True, names=names)


# ---- 团体排名表, 获奖名单, 公示 -------------------------------------------------------------------------

def team_table(db: Database, contest_id: int, today: dt.date) -> Report:
    r = ranking.compute(db, contest_id)
    c = r.contest
    teams = ranking.team_ranking(r)
    rows = []
    for t, cells in zip(teams, contest_results.team_rows(teams), strict=True):
        counted = "、".join(f"{s.competitor.draw_no}号{s.competitor.name}（{s.total_text}）" for s in t.counted)
        extra: list[object] = []
        if r.team_items:
            entry = t.entry
            extra.append(entry.competitor.team_no if entry is not None else None)
            extra += [entry.item_scores[i] if entry is not None else None for i in range(len(r.team_items))]
        rows.append((cells[0], cells[1], cells[2], cells[3], cells[4], *extra, counted, cells[5]))
    unlocked = [it.name for it in r.all_items if not it.locked]
    state = "全部项目已锁定" if not unlocked else f"初稿（未锁定：{'、'.join(unlocked)}）"
    n = len(r.team_items)
    item_heads = tuple(f"{it.name}\n满分{fmt_decimal(it.full_marks)} 权重{fmt_decimal(it.weight)}"
                       for it in r.team_items)
    headers = ("名次", "单位", "团体成绩", "计入人数", "参赛人数", *(("队号", *item_heads) if n else ()),
               "计入成绩的选手（总分）", "说明")
    align = "CLRRR" + ("C" + "R" * n if n else "") + "LL"
    widths = (0.7, 2.0, 1.0, 0.8, 0.8, *((0.6, *([1.5] * n)) if n else ()), 4.0 if n else 5.2,
              3.4 if n else 1.8)
    section = Section("团体排名", f"{c.name}团体排名表", meta=_meta(c, today, f"成绩状态：{state}"),
                      table=Table(headers, tuple(rows), align, widths),
                      notes=(team_rule(r),), signers=(("记分员", "裁判长", "监督员", "日期"),))
    return Report("teams", f"{c.name}团体排名表", c, (section,), landscape=True,
                  names=tuple(s.competitor.name for s in r.standings))


def _award_rows(db: Database, contest_id: int) -> tuple[Contest, list[tuple[object, ...]]]:
    c = contest.require_contest(db, contest_id)
    awards = contest_awards.awards(db, contest_id)
    if not awards:
        raise ContestError("尚未确认获奖名单：请先在“获奖方案”中由裁判长确认")
    totals = {s.competitor.id: s.total for s in ranking.compute(db, contest_id).standings}
    rows: list[tuple[object, ...]] = [(a.prize, a.place, a.draw_no, a.name, a.unit, totals.get(a.competitor_id))
                                      for a in awards]
    return c, rows


AWARD_HEADERS = ("奖项", "名次", "抽签号", "姓名", "单位", "总分")


def award_list(db: Database, contest_id: int, today: dt.date) -> Report:
    c, rows = _award_rows(db, contest_id)
    counts: dict[str, int] = {}
    for row in rows:
        counts[str(row[0])] = counts.get(str(row[0]), 0) + 1
    section = Section("获奖名单", f"{c.name}获奖名单", meta=_meta(c, today, f"主办单位：{c.organiser or '—'}"),
                      table=Table(AWARD_HEADERS, tuple(rows), "CCCLLR", (1.2, 0.8, 0.9, 1.4, 3.2, 1.0)),
                      notes=("获奖人数：" + "、".join(f"{k}{v}人" for k, v in counts.items()) + "。",),
                      signers=(("裁判长", "监督员", "日期"),))
    return Report("awards", f"{c.name}获奖名单", c, (section,), names=tuple(str(r[3]) for r in rows))


def notice(db: Database, contest_id: int, today: dt.date, options: NoticeOptions | None = None) -> Report:
    o = options or NoticeOptions()
    c, rows = _award_rows(db, contest_id)
    start = first_working_day(o.start or today)
    end = working_day_end(start, o.days)
    warning = holidays_note(start, end)
    organiser = c.organiser or DEFAULT_ORGANISER
    text = (f"经{c.name}裁判组评定、组委会审定，现将{c.name}获奖名单予以公示，公示期为{o.days}个工作日，"
            f"自{chinese_date(start)}至{chinese_date(end)}。"
            f"如有异议，请于公示期内以书面形式向{organiser}反映，反映情况须实事求是，并提供联系方式。")
    contact = f"联系人：{o.contact.strip() or '＿＿＿＿＿＿'}　　　联系电话：{o.phone.strip() or '＿＿＿＿＿＿＿＿'}"
    section = Section("公示", f"关于{c.name}获奖名单的公示", paragraphs=(text, contact),
                      table=Table(AWARD_HEADERS[:2] + AWARD_HEADERS[3:5], tuple((r[0], r[1], r[3], r[4]) for r in rows),
                                  "CCLL", (1.2, 0.8, 1.4, 3.6)),
                      notes=(warning,) if warning else (), closing=(organiser, chinese_date(today)))
    return Report("notice", f"{c.name}获奖名单公示", c, (section,), names=tuple(str(r[3]) for r in rows))


# ---- 评委评分尺度表 ----------------------------------------------------------------------------------

def severity_table(db: Database, contest_id: int, today: dt.date) -> Report:
    c = contest.require_contest(db, contest_id)
    found = judge_severity.severity(db, contest_id)
    if not found:
        raise ContestError("本次比武没有由评委评分的项目")
    rows = tuple(tuple(s.row()) for s in found)
    notes = ("评分数：本人与至少一名其他评委都已评分的选手数（团体项目为队伍数）；"
             "本人均分与其他评委均分按同一批选手计算；"
             "均差 = 本人均分 - 其他评委均分（负数为评分偏严，正数为偏宽）；最大偏差为单名选手上本人评分与其他评委"
             "平均分之差的最大绝对值；被去最高分/最低分次数只计成绩完整的“去掉最高最低取平均”项目。"
             "评分细则项目按各细则得分之和计。各数四舍五入保留两位小数。",)
    section = Section("评分尺度", f"{c.name}评委评分尺度表", meta=_meta(c, today),
                      table=Table(judge_severity.HEADERS, rows, "LCLLRRRRRRR",
                                  (1.6, 0.8, 0.9, 1.9, 0.8, 1.0, 1.1, 1.3, 1.0, 1.1, 1.1)),
                      notes=notes, signers=(("统计人", "裁判长", "日期"),))
    return Report("severity", f"{c.name}评委评分尺度表", c, (section,), landscape=True,
                  names=tuple(s.judge.name for s in found))


# ---- one entry point ------------------------------------------------------------------------------

def build(db: Database, contest_id: int, kind: str, *, judge: str | None = None, item: str | None = None,
          filled: bool = False, today: dt.date | None = None, notice_options: NoticeOptions | None = None
          ) -> Report:
    """The document `kind` (a key of KINDS); `judge` and `item` narrow 评分表 (and `item` 汇总表, 密封编号)."""
    day = today or dt.date.today()
    if kind not in KINDS:
        raise ContestError(f"未知的文档类型“{kind}”（可选：{'、'.join(KINDS)}）")
    if judge and kind != "sheets":
        raise ContestError("只有评委评分表可以按评委打印")
    if kind == "draw":
        return draw_list(db, contest_id, day)
    if kind == "codes":
        return sealed_codes(db, contest_id, day, item)
    if kind == "sheets":
        return score_sheets(db, contest_id, day, judge=judge, item=item, filled=filled)
    if kind == "summary":
        return item_summaries(db, contest_id, day, item)
    if item:
        raise ContestError(f"{KINDS[kind]}不能按项目打印")
    if kind == "teams":
        return team_table(db, contest_id, day)
    if kind == "awards":
        return award_list(db, contest_id, day)
    if kind == "notice":
        return notice(db, contest_id, day, notice_options)
    return severity_table(db, contest_id, day)
