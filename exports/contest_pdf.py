"""The contest ranking as a printed document: a landscape 成绩排名表 (individual), then the team ranking, with
the calculation rule stated and signature lines for the scorer, the chief judge and the supervisor.

    ranking_pdf(ranking.compute(db, contest_id), "成绩排名表.pdf", include_incomplete=True)

Item columns show each item's score with its own decimals and carry 满分 and 权重 in the header; 备注 says
which tie-break decided a place. A ranking with items still unlocked prints "初稿" in its status line. The team
page states the team formula (合计 or 前N名, plus the 团体 items with 满分 and 权重: contest_report.team_rule).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.units import mm

from exports.pdf import DEFAULT_BUREAU, PageBreak, Spacer, build_pdf, data_table, para, signature_line, title_block
from trainer.contest_report import team_rule
from trainer.contest_results import team_rows, text_rows
from trainer.contest_values import fmt_decimal
from trainer.dates import chinese_date
from trainer.ranking import Ranking, team_ranking

SIGNERS = ("记分员", "裁判长", "监督员", "日期")
RULE_NOTE = ("计分规则：项目得分为有效评分按计分方式汇总（去掉最高最低取平均：去掉一个最高分和一个最低分后取平均），"
             "按项目小数位四舍五入后减去扣分；总分 = Σ（项目得分 ÷ 满分 × 权重），四舍五入保留两位小数；"
             "总分相同按决胜顺序比较项目得分，仍相同者名次并列。")


def _status(r: Ranking, *, teams: bool = False) -> str:
    """Whether the page is final: the 个人 items for the individual ranking, every item for the teams'."""
    unlocked = [it.name for it in (r.all_items if teams else r.items) if not it.locked]
    if not unlocked:
        return "成绩状态：全部项目已锁定"
    return f"成绩状态：初稿（未锁定：{'、'.join(unlocked)}）"


def ranking_pdf(r: Ranking, path: str | Path, *, include_incomplete: bool = False, font: str | Path | None = None,
                today: dt.date | None = None, teams: bool = True) -> Path:
    c = r.contest
    title = f"{c.name}成绩排名表"
    meta = [f"比武时间：{c.dates_text or '—'}", f"地点：{c.venue or '—'}", f"主办单位：{c.organiser or '—'}",
            f"打印日期：{chinese_date(today or dt.date.today())}"]
    headers = ["名次", "抽签号", "姓名", "单位",
               *(f"{it.name}\n满分{fmt_decimal(it.full_marks)} 权重{fmt_decimal(it.weight)}%" for it in r.items),
               "总分", "备注"]
    standings = list(r.standings) if include_incomplete else r.ranked
    rows = []
    for cells, s in zip(text_rows(r, include_incomplete), standings, strict=True):
        note = s.decision.text() if s.decision is not None else "成绩不完整，未排名"
        rows.append([*cells, note])
    n = len(r.items)
    widths = [0.75, 0.8, 1.3, 2.1, *([1.6] * n), 1.0, 2.0]
    align = "CCLL" + "R" * n + "RL"
    counts = f"参赛 {len(r.standings)} 人，排名 {len(r.ranked)} 人"
    if r.incomplete:
        counts += f"，成绩不完整 {len(r.incomplete)} 人" + ("（列于表末）" if include_incomplete else "（未列入）")
    tail = [para(RULE_NOTE, "small"), signature_line(SIGNERS)]
    story: list[object] = [
        *title_block(title, meta=meta),
        para(f"{_status(r)}；{counts}", "small"),
        data_table(headers, rows, widths=widths, align=align, font_size=8.5, tail=tail),
    ]
    people = [(f"{s.competitor.draw_no}号 {s.competitor.name}", [s.competitor.name]) for s in standings]
    if teams:
        team_list = team_ranking(r)
        trows = [[t[0], t[1], f"{t[2]:.2f}" if t[2] is not None else "", t[3], t[4], t[5]]
                 for t in team_rows(team_list)]
        # with 团体 items 说明 carries each team's whole sum: it gets the width
        widths = [0.8, 2.4, 1.2, 1.0, 1.0, 6.0] if r.team_items else [0.8, 3, 1.4, 1.1, 1.1, 3.2]
        story += [
            PageBreak(),
            *title_block(f"{c.name}团体成绩排名表", meta=[_status(r, teams=True),
                                                       f"打印日期：{chinese_date(today or dt.date.today())}"]),
            para(team_rule(r), "small"),
            Spacer(1, 2 * mm),
            data_table(["名次", "单位", "团体成绩", "计入人数", "参赛人数", "说明"], trows,
                       widths=widths, align="CLRRRL", font_size=9.5, tail=signature_line(SIGNERS)),
        ]
    return build_pdf(path, title, story, landscape=True, font=font, people=people, subject=f"{c.name}成绩排名",
                     bureau=c.organiser or DEFAULT_BUREAU)  # the running header names who holds the contest
