"""The demo's 首届执法技能比武: five individual items and one team item, ~60 competitors from the demo register
across the counties, seven judges (three of them recused from their own county's competitors), a recorded draw
(抽签号 and the teams' 队号) with anonymous codes for the written items, and scores that are mostly complete,
so every screen has something true to show.

    demo_contest.generate(db, rng, today)  → DemoContest | None (None when the register has too few officers)

Items: 法律知识笔试 单一成绩 30%, 执法文书制作 and 案卷评审 去掉最高最低取平均 20% each (on codes), 情景模拟执法
评分细则 20% (仪容仪表 / 语言规范 / 程序规范 / 文书规范), 队列与体能 单一成绩 10% from a 1000米 time → points
table; and one 团体 item, 队列会操 (去掉最高最低取平均, 满分100, 团体权重20: it adds to the team ranking only),
scored once per county team by all seven judges (a judge never scores their own county's team), every team
scored. The chief judge's PIN is DEMO_PIN. A few scores stay missing, one was corrected with a reason,
one deduction stands, and the complete items without spread flags are locked.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from sqlite_utils import Database

from trainer import contest, contest_locks, contest_people, draw, people, ranking, scoring, units
from trainer.contest import AVERAGE, DROP_HIGH_LOW, RUBRIC, SINGLE, NewContest, NewItem
from trainer.scoring import ScoringContext, Slot

DEMO_PIN = "2021"
DEMO_PIN_COST = 2**10  # the demo PIN is printed on the console: a cheap hash keeps the demo (and tests) quick
NAME = "首届执法技能比武"
CHIEF = "裁判长周明"
CLERK = "记分员李静"
SIZE = 60
TEAM_ITEM, TEAM_WEIGHT = "队列会操", 20  # the 团体 item: its score ÷ 100 × 20 adds to the team score
TEAM_BEST_N = 4  # counties field 4–6 competitors: a team is its best four
JUDGES = (  # code, name, unit (None: external), chief
    ("J1", "周明", "法规科", True),
    ("J2", "郑红", "执法督查科", False),
    ("J3", "孙立", "新华区", False),
    ("J4", "冯静", "卫东区", False),
    ("J5", "刘伟", "湛河区", False),
    ("J6", "陈晓", None, False),
    ("J7", "赵强", "市城市管理综合执法支队", False),
)
RUBRIC_CRITERIA = (("仪容仪表", Decimal(20)), ("语言规范", Decimal(25)), ("程序规范", Decimal(30)),
                   ("文书规范", Decimal(25)))
RUN_TABLE = tuple((Decimal(limit), Decimal(points)) for limit, points in (
    (200, 100), (210, 95), (220, 90), (230, 85), (240, 80), (255, 75), (270, 70), (285, 65), (300, 60)))


@dataclass(frozen=True)
class DemoContest:
    contest_id: int
    competitors: int
    judges: int
    scores: int
    missing: int


def _pick(db: Database, rng: random.Random) -> list[people.Person]:
    """Up to SIZE officers on duty, taken in turn from each county's teams (streets count with their county)."""
    index = units.UnitIndex.load(db)
    pool: dict[int, list[people.Person]] = {}
    for p in people.all_people(db):
        if p.category == "执法人员" and p.post_status == "在岗" and index.by_id[p.unit_id].level in ("县级", "街道"):
            pool.setdefault(contest_people.team_unit_id(index, p.unit_id), []).append(p)
    for members in pool.values():
        rng.shuffle(members)
    chosen: list[people.Person] = []
    while len(chosen) < SIZE and any(pool.values()):
        for team in sorted(pool):
            if pool[team] and len(chosen) < SIZE:
                chosen.append(pool[team].pop())
    return chosen


def _clamp(value: float, top: float) -> float:
    return max(0.0, min(top, value))


def generate(db: Database, rng: random.Random, today: dt.date) -> DemoContest | None:
    rng = random.Random(rng.getrandbits(64))  # its own stream: the contest never shifts the rest of the demo
    chosen = _pick(db, rng)
    if len(chosen) < 6:
        return None
    index = units.UnitIndex.load(db)
    start = today - dt.timedelta(days=7)
    c = contest.create_contest(db, NewContest(NAME, start, start + dt.timedelta(days=1), "市城管局教育培训中心",
                                              "平顶山市城市管理局", contest.TEAM_BEST, TEAM_BEST_N))
    exam = contest.add_item(db, c.id, NewItem("法律知识笔试", SINGLE, Decimal(100), Decimal(30), 1, tiebreak=3))
    writing = contest.add_item(db, c.id, NewItem("执法文书制作", DROP_HIGH_LOW, Decimal(100), Decimal(20), 2,
                                                 tiebreak=1, max_spread=Decimal(15), blind=True))
    review = contest.add_item(db, c.id, NewItem("案卷评审", DROP_HIGH_LOW, Decimal(100), Decimal(20), 2, tiebreak=2,
                                                max_spread=Decimal(15), blind=True))
    scene = contest.add_item(db, c.id, NewItem("情景模拟执法", RUBRIC, Decimal(100), Decimal(20), 2,
                                               max_spread=Decimal(12), rubric_method=AVERAGE))
    scene = contest.set_criteria(db, scene.id, RUBRIC_CRITERIA)
    drill = contest.add_item(db, c.id, NewItem("队列与体能", SINGLE, Decimal(100), Decimal(10), 1))
    drill = contest.set_conversions(db, drill.id, RUN_TABLE, lower_is_better=True, unit="秒", raw_decimals=1)
    squad = contest.add_item(db, c.id, NewItem(TEAM_ITEM, DROP_HIGH_LOW, Decimal(100), Decimal(TEAM_WEIGHT), 2,
                                               max_spread=Decimal(10), kind=contest.TEAM))

    contest_people.add_from_register(db, c.id, [int(p.id or 0) for p in chosen])
    judge_ids = []
    for code, name, unit_name, chief in JUDGES:
        unit = index.resolve(unit_name) if unit_name else None
        j = contest_people.add_judge(db, c.id, code, name, unit.id if unit else None,
                                     unit_text="" if unit else "外聘：平顶山学院", is_chief=chief)
        judge_ids.append(j.id)
    for item in (writing, review, scene, squad):
        contest_people.assign_all(db, item.id, judge_ids)
    # one draw: 抽签号, the teams' 队号 and the written items' sealed codes (blind=True above)
    draw.draw_contest(db, c.id, CHIEF, seed=f"{NAME} {start.isoformat()} 监督员现场抽签")
    contest_locks.set_pin(db, c.id, DEMO_PIN, CHIEF, n=DEMO_PIN_COST)

    ctx = ScoringContext.load(db, c.id)
    severity = {jid: rng.gauss(0, 2.0) for jid in judge_ids}
    values: list[tuple[Slot, int]] = []
    for comp in ctx.panel.competitors:
        skill = rng.gauss(0, 1)
        values.append((Slot(exam.id, comp.id), int(_clamp(78 + 8 * skill + rng.gauss(0, 4), 100) * 2 + 0.5) * 500))
        seconds = _clamp(235 - 12 * skill + rng.gauss(0, 10), 400)
        values.append((Slot(drill.id, comp.id), int(seconds * 10) * 100))
        for item in (writing, review):
            base = 80 + 6 * skill + rng.gauss(0, 3)
            for judge in ctx.panel.expected_judges(item, comp):
                score = _clamp(base + severity[judge.id] + rng.gauss(0, 2.5), 100)
                values.append((Slot(item.id, comp.id, judge.id), int(score * 2) * 500))  # halves, as judges mark
        for judge in ctx.panel.expected_judges(scene, comp):
            for crit in scene.criteria:
                top = float(crit.max_points)
                share = _clamp(0.82 + 0.06 * skill + rng.gauss(0, 0.05) + severity[judge.id] / 100, 1)
                values.append((Slot(scene.id, comp.id, judge.id, crit.id), int(top * share) * 1000))
    # 队列会操: each county's team once, by the judges not of its county (drawn after the individual values, so
    # adding the team item left every individual score of the demo as it was)
    for team in ctx.panel.team_entries:
        base = 84 + rng.gauss(0, 4)
        for judge in ctx.panel.expected_judges(squad, team):
            score = _clamp(base + severity[judge.id] / 2 + rng.gauss(0, 1.5), 100)
            values.append((Slot(squad.id, team.id, judge.id), int(score * 2) * 500))
    # A scoring day is never quite finished: a judge's last two 案卷 sheets and one runner's time are still out.
    last = ctx.panel.competitors[-2:]
    gone: set[tuple[int, int, int | None]] = {
        (review.id, comp.id, ctx.panel.expected_judges(review, comp)[0].id) for comp in last}
    gone.add((drill.id, ctx.panel.competitors[0].id, None))
    kept = [(s, v) for s, v in values if (s.item_id, s.competitor_id, s.judge_id) not in gone]
    scoring.bulk_enter(db, ctx, kept, CLERK, source=scoring.ENTERED)

    second = ctx.panel.competitors[1]
    judge = ctx.panel.expected_judges(writing, second)[0]
    slot = Slot(writing.id, second.id, judge.id)
    old = next(v for s, v in kept if s == slot)
    scoring.enter_score(db, slot, Decimal(min(old + 2000, 100_000)) / 1000, CHIEF,
                        reason="评委复核评分表，更正笔误", ctx=ctx)
    scoring.add_deduction(db, scene.id, ctx.panel.competitors[2].id, Decimal(2), "情景模拟超时30秒", CHIEF, ctx=ctx)

    # Lock what is complete and calm; the rest waits for the chief judge.
    open_items = {item_id for item_id, _c, _j in gone}
    flagged = {f.item.id for f in ranking.spread_flags(db, list(ctx.items.values()), ctx.panel)}
    for item in contest.items(db, c.id):
        if item.id not in open_items and item.id not in flagged:
            contest_locks.lock_item(db, item.id, DEMO_PIN, CHIEF)
    return DemoContest(c.id, len(chosen), len(judge_ids), len(kept), len(gone))
