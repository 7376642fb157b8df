"""The ranking as tables: the exact CSV of the command-line contract, JSON records, typed rows for Excel and
PDF, and the lines a refused ranking prints.

    headers = contest_results.headers(r)                  # 名次,抽签号,姓名,单位,<items in sheet order>,总分
    contest_results.text_rows(r, include_incomplete=True) # CSV cells: item decimals, 总分 2 decimals
    contest_results.write_csv(r, path, include_incomplete) # those as the CSV file
    contest_results.records(r, ...)                       # JSON: numbers (名次 null when not ranked)
    contest_results.typed_rows(r, ...)                    # Excel: ints and Decimals with their places
    contest_results.refusal_lines(db, r)                  # one line per missing score or shortfall

Rows are ordered by 名次, then 抽签号; competitors with incomplete scores follow (by 抽签号) with 名次 empty,
only when asked for (`--allow-incomplete`).

团体 items are scored per team and are not columns of the individual ranking: it has one column per 个人
item (r.items), so a contest without 团体 items gives exactly the contract's CSV. They count in the team
ranking (team_rows, TEAM_HEADERS): 团体成绩 includes them and 说明 says how it was built
(trainer.ranking.team_ranking).
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from sqlite_utils import Database

from trainer.ranking import TOTAL_DECIMALS, Ranking, Standing, TeamStanding
from trainer.scoring import ScoringContext, missing_scores

FIXED = ("名次", "抽签号", "姓名", "单位")
TOTAL = "总分"
TEAM_HEADERS = ("名次", "单位", "团体成绩", "计入人数", "参赛人数", "说明")


def headers(r: Ranking) -> list[str]:
    return [*FIXED, *(it.name for it in r.items), TOTAL]


def chosen(r: Ranking, include_incomplete: bool) -> list[Standing]:
    return list(r.standings) if include_incomplete else r.ranked


def text_rows(r: Ranking, include_incomplete: bool = False) -> list[list[str]]:
    out = []
    for s in chosen(r, include_incomplete):
        c = s.competitor
        out.append([str(s.place) if s.place is not None else "", str(c.draw_no) if c.draw_no is not None else "",
                    c.name, s.unit, *(s.item_text(i) for i in range(len(r.items))), s.total_text])
    return out


def write_csv(r: Ranking, path: str | Path, include_incomplete: bool = False) -> None:
    """The ranking as the contract's CSV: UTF-8 without a BOM (scripts read the header as is), \n line ends."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(headers(r))
        writer.writerows(text_rows(r, include_incomplete))


def typed_rows(r: Ranking, include_incomplete: bool = False) -> list[list[object]]:
    """Cells for Excel and PDF: places and draw numbers as int, scores as Decimal with the item's places."""
    out: list[list[object]] = []
    for s in chosen(r, include_incomplete):
        c = s.competitor
        out.append([s.place, c.draw_no, c.name, s.unit, *s.item_scores,
                    s.total.quantize(Decimal(1).scaleb(-TOTAL_DECIMALS)) if s.total is not None else None])
    return out


def records(r: Ranking, include_incomplete: bool = False) -> list[dict[str, object]]:
    """One object per row with the CSV's keys; numbers as JSON numbers, null where the CSV is empty."""
    names = headers(r)
    out = []
    for row in typed_rows(r, include_incomplete):
        out.append({k: float(v) if isinstance(v, Decimal) else v for k, v in zip(names, row, strict=True)})
    return out


def team_rows(teams: list[TeamStanding]) -> list[list[object]]:
    """TEAM_HEADERS rows; 说明 holds how the score was built (with 团体 items), notes and the tie-break step."""
    return [[t.place, t.name, Decimal(t.total_x100).scaleb(-2) if t.total_x100 is not None else None,
             len(t.counted), len(t.members), t.explanation] for t in teams]


def refusal_lines(db: Database, r: Ranking) -> list[str]:
    """Why the ranking is incomplete: every missing score (item, draw number — 队号 for a 团体 item — judge),
    then every item that has all its scores and still too few for its method."""
    ctx = ScoringContext.load(db, r.contest.id)
    lines = [m.line() for m in missing_scores(db, r.contest.id, ctx)]
    for s in (*r.incomplete, *(t for t in r.team_entries if t.total_x100 is None)):
        c = s.competitor
        for item, reason in s.shortfalls:
            lines.append(f"评分不足: 项目 {item}, {c.number_label} {c.number}: {reason}")
    return lines
