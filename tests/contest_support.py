"""Helpers for the contest tests: a contest built through the services, and workbooks as users make them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import openpyxl
from sqlite_utils import Database

from trainer import contest, contest_people, scoring
from trainer.contest import NewContest, NewItem
from trainer.scoring import Slot
from trainer.units import UnitIndex

CLERK = "记分员甲"


@dataclass
class Built:
    """A contest made in the database, with ids by name, draw number and judge code."""
    db: Database
    contest_id: int
    items: dict[str, int] = field(default_factory=dict)
    competitors: dict[int, int] = field(default_factory=dict)   # draw number → competitor id
    judges: dict[str, int] = field(default_factory=dict)        # code → judge id

    def slot(self, item: str, draw: int, judge: str | None = None, criterion: str | None = None) -> Slot:
        crit_id = None
        if criterion is not None:
            it = contest.require_item(self.db, self.items[item])
            crit_id = next(c.id for c in it.criteria if c.name == criterion)
        return Slot(self.items[item], self.competitors[draw], self.judges[judge] if judge else None, crit_id)

    def score(self, item: str, draw: int, judge: str | None, value: object, *, criterion: str | None = None,
              actor: str = CLERK, reason: str = "") -> None:
        scoring.enter_score(self.db, self.slot(item, draw, judge, criterion), value, actor, reason=reason)

    def scores(self, item: str, draw: int, values: dict[str, object]) -> None:
        for judge, value in values.items():
            self.score(item, draw, judge, value)


def build(db: Database, items: Sequence[NewItem], competitors: Sequence[tuple[int | None, str, str]],
          judges: Sequence[tuple[str, str, str | None, Sequence[str]]], *, name: str = "测试比武",
          team_mode: str = contest.TEAM_SUM, best_n: int | None = None) -> Built:
    """competitors: (draw number or None before the draw, name, unit);
    judges: (code, name, unit or None for an external judge, item names)."""
    index = UnitIndex.load(db)
    c = contest.create_contest(db, NewContest(name, team_mode=team_mode, team_best_n=best_n))
    built = Built(db, c.id)
    for spec in items:
        built.items[spec.name] = contest.add_item(db, c.id, spec).id
    for draw, person, unit in competitors:
        u = index.resolve(unit)
        assert u is not None, unit
        added = contest_people.add_competitor(db, c.id, person, u.id, draw_no=draw)
        if draw is not None:
            built.competitors[draw] = added.id
    for code, person, unit, judged in judges:
        u = index.resolve(unit) if unit else None
        j = contest_people.add_judge(db, c.id, code, person, u.id if u else None, unit_text="" if u else "外聘")
        built.judges[code] = j.id
        for item in judged:
            contest_people.assign(db, built.items[item], j.id)
    return built


def item(name: str, method: str = contest.DROP_HIGH_LOW, weight: int | str = 100, *, full: int | str = 100,
         decimals: int = 2, tiebreak: int | None = None, spread: str | None = None) -> NewItem:
    return NewItem(name, method, Decimal(full), Decimal(weight), decimals, tiebreak,
                   Decimal(spread) if spread is not None else None)


def write_workbook(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    """An .xlsx with one sheet per entry (first row the header), as a user fills it in Excel."""
    wb = openpyxl.Workbook()
    first = True
    for name, rows in sheets.items():
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        ws.title = name
        first = False
        for row in rows:
            ws.append(list(row))
    wb.save(path)
    return path


def good_sheets() -> dict[str, list[list[object]]]:
    """A small valid contest workbook: 3 items (weights 40/30/30), 4 competitors, 4 judges."""
    return {
        "比武信息": [["字段", "内容"], ["名称", "首届执法技能比武"], ["开始日期", "2026-11-18"],
                 ["结束日期", "2026-11-19"], ["地点", "市城管局教育培训中心"], ["主办单位", "平顶山市城市管理局"]],
        "比武项目": [["项目名称", "计分方式", "满分", "权重", "小数位", "决胜顺序", "分差上限"],
                 ["法律知识笔试", "单一成绩", 100, 40, 1, 2, None],
                 ["执法文书制作", "去掉最高最低取平均", 100, 30, 2, 1, 10],
                 ["案卷评审", "平均分", 50, 30, None, None, None]],
        "选手": [["抽签号", "姓名", "身份证号", "单位"], [1, "张三", None, "新华区"], [2, "李四", None, "卫东区"],
               [3, "王五", None, "湛河区"], [4, "赵六", None, "叶县"]],
        "评委": [["评委编号", "姓名", "单位", "评分项目"],
               *[[code, name, unit, item_name] for code, name, unit in
                 (("J1", "周明", "法规科"), ("J2", "郑红", "新华区"), ("J3", "孙立", "执法督查科"),
                  ("J4", "冯静", "外聘：平顶山学院"))
                 for item_name in ("执法文书制作", "案卷评审")]],
    }


def full_scores() -> list[list[object]]:
    """评分 rows that complete good_sheets(): J2 (新华区) is recused from 1号 (新华区)."""
    rows: list[list[object]] = [["项目名称", "抽签号", "评委编号", "分数"]]
    exam = {1: 88.5, 2: 92, 3: 75, 4: 81}
    for draw, value in exam.items():
        rows.append(["法律知识笔试", draw, None, value])
    writing = {1: (85, None, 80, 88), 2: (90, 91, 92, 89), 3: (70, 72, 71, 75), 4: (60, 66, 64, 61)}
    review = {1: (42, None, 41, 44), 2: (45, 46, 44, 45), 3: (35, 36, 34, 38), 4: (30, 33, 31, 32)}
    for table, name in ((writing, "执法文书制作"), (review, "案卷评审")):
        for draw, values in table.items():
            for code, value in zip(("J1", "J2", "J3", "J4"), values, strict=True):
                if value is not None:
                    rows.append([name, draw, code, value])
    return rows
