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

    demo_contest.generate_finished(db, rng, today)  → FinishedContest | None

The 20XX年上半年岗位练兵比武, held in June months before `today` and finished, so a newcomer sees the end of a
contest: 24 competitors, five judges (one recused from their county), 法律法规知识测试 单一成绩 40%, 执法文书制作
(blind) 去掉最高最低取平均 30%, 现场执法演练 平均分 30% and the 团体 item 队列训练; every score in, every item
locked, the ranking released, the award list confirmed and the award certificates issued, each step through the
service the window calls and in the audit chain. It is made after everything else, so the contest being run
keeps its ids and numbers (and the 技能比武 page opens on it: the latest held).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from sqlite_utils import Database

from trainer import contest, contest_locks, contest_people, draw, people, ranking, scoring, units
from trainer.contest import AVERAGE, DROP_HIGH_LOW, RUBRIC, SINGLE, NewContest, NewItem
from trainer.contest_awards import PrizeTier
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


def _pick(db: Database, rng: random.Random, size: int = SIZE, hired_by: dt.date | None = None) -> list[people.Person]:
    """Up to `size` officers on duty (hired by `hired_by`, when given), taken in turn from each county's teams
    (streets count with their county)."""
    index = units.UnitIndex.load(db)
    pool: dict[int, list[people.Person]] = {}
    for p in people.all_people(db):
        if p.category == "执法人员" and p.post_status == "在岗" and index.by_id[p.unit_id].level in ("县级", "街道") \
                and (hired_by is None or p.hire_date <= hired_by):
            pool.setdefault(contest_people.team_unit_id(index, p.unit_id), []).append(p)
    for members in pool.values():
        rng.shuffle(members)
    chosen: list[people.Person] = []
    while len(chosen) < size and any(pool.values()):
        for team in sorted(pool):
            if pool[team] and len(chosen) < size:
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


# ---- a finished contest ------------------------------------------------------------------------------------

PAST_SIZE = 24
PAST_GAP_DAYS = 60  # the finished contest was held at least this long before the demo's day
PAST_VENUE = "市城管局岗位练兵基地"
PAST_JUDGES = (  # code, name, unit (None: external), chief; 马俊 of 宝丰县 is recused from 宝丰县's competitors
    ("J1", "周明", "法规科", True),
    ("J2", "王建华", "执法督查科", False),
    ("J3", "李慧", None, False),
    ("J4", "赵强", "市城市管理综合执法支队", False),
    ("J5", "马俊", "宝丰县", False),
)
PAST_TIERS = (PrizeTier("一等奖", percent=Decimal(10)), PrizeTier("二等奖", percent=Decimal(20)),
              PrizeTier("三等奖", percent=Decimal(30)))  # the 获奖方案 dialog's defaults
PAST_OVERRIDE = "裁判组合议：评分尺度差异属正常，维持原评分"


@dataclass(frozen=True)
class FinishedContest:
    contest_id: int
    name: str
    competitors: int
    awards: int
    certificates: int


def finished_name(year: int) -> str:
    return f"{year}年上半年岗位练兵比武"


def finished_day(today: dt.date) -> dt.date:
    """The first working day from 16 June of the latest year that lies PAST_GAP_DAYS or more before `today`."""
    from trainer.contest_report import first_working_day

    latest = today - dt.timedelta(days=PAST_GAP_DAYS)
    day = first_working_day(dt.date(today.year, 6, 16))
    return day if day <= latest else first_working_day(dt.date(today.year - 1, 6, 16))


def generate_finished(db: Database, rng: random.Random, today: dt.date) -> FinishedContest | None:
    """A smaller contest held months before `today` and run to its end through the services the window uses:
    set up (audited), drawn, every score in (one corrected with a reason), every item locked (a spread over the
    limit confirmed by the chief judge with a reason), the ranking released, the award list confirmed and the
    award certificates issued through the register after the 5-working-day 公示. None when too few officers."""
    from trainer import award_certificates, contest_awards, contest_release, contest_setup
    from trainer.contest_report import first_working_day, working_day_end

    rng = random.Random(rng.getrandbits(64))
    start = finished_day(today)
    chosen = _pick(db, rng, PAST_SIZE, hired_by=start)
    if len(chosen) < 6:
        return None
    index = units.UnitIndex.load(db)
    name = finished_name(start.year)
    c = contest_setup.create_contest(db, NewContest(name, start, start, PAST_VENUE, "平顶山市城市管理局"), CHIEF)
    contest_locks.set_pin(db, c.id, DEMO_PIN, CHIEF, n=DEMO_PIN_COST)

    def add(spec: NewItem) -> contest.Item:
        return contest_setup.add_item(db, c.id, contest_setup.ItemSetup(spec), CHIEF)

    exam = add(NewItem("法律法规知识测试", SINGLE, Decimal(100), Decimal(40), 1, tiebreak=2))
    writing = add(NewItem("执法文书制作", DROP_HIGH_LOW, Decimal(100), Decimal(30), 2, tiebreak=1,
                          max_spread=Decimal(12), blind=True))
    scene = add(NewItem("现场执法演练", AVERAGE, Decimal(100), Decimal(30), 2, max_spread=Decimal(12)))
    squad = add(NewItem("队列训练", DROP_HIGH_LOW, Decimal(100), Decimal(20), 2, max_spread=Decimal(10),
                        kind=contest.TEAM))
    contest_setup.add_from_register(db, c.id, [int(p.id or 0) for p in chosen], CHIEF)
    judge_ids = []
    for code, judge_name, unit_name, chief in PAST_JUDGES:
        unit = index.resolve(unit_name) if unit_name else None
        spec = contest_setup.JudgeSpec(code, judge_name, unit.id if unit else None,
                                       "" if unit else "河南城建学院", chief)
        judge_ids.append(contest_setup.add_judge(db, c.id, spec, CHIEF).id)
    contest_setup.set_assignments(db, c.id, {it.id: set(judge_ids) for it in (writing, scene, squad)}, CHIEF)
    draw.draw_contest(db, c.id, CHIEF, seed=f"{name} {start.isoformat()} 监督员现场抽签")

    ctx = ScoringContext.load(db, c.id)
    severity = {jid: rng.gauss(0, 1.5) for jid in judge_ids}
    values: list[tuple[Slot, int]] = []
    for comp in ctx.panel.competitors:
        skill = rng.gauss(0, 1)
        values.append((Slot(exam.id, comp.id), int(_clamp(80 + 7 * skill + rng.gauss(0, 4), 100) * 2 + 0.5) * 500))
        for item in (writing, scene):
            base = 81 + 6 * skill + rng.gauss(0, 3)
            for judge in ctx.panel.expected_judges(item, comp):
                score = _clamp(base + severity[judge.id] + rng.gauss(0, 2.5), 100)
                values.append((Slot(item.id, comp.id, judge.id), int(score * 2) * 500))  # halves, as judges mark
    for team in ctx.panel.team_entries:
        base = 85 + rng.gauss(0, 3)
        for judge in ctx.panel.expected_judges(squad, team):
            score = _clamp(base + severity[judge.id] / 2 + rng.gauss(0, 1.5), 100)
            values.append((Slot(squad.id, team.id, judge.id), int(score * 2) * 500))
    # one judge marked the last competitor's 现场执法演练 far below the others: a spread over the limit, which the
    # chief judge confirms with a reason when locking (确认分差), as the window asks
    marks = [i for i, (s, _v) in enumerate(values) if s.item_id == scene.id
             and s.competitor_id == ctx.panel.competitors[-1].id]
    values[marks[0]] = (values[marks[0]][0], max(0, max(values[i][1] for i in marks[1:]) - 14_000))
    scoring.bulk_enter(db, ctx, values, CLERK, source=scoring.ENTERED)
    # a judge's slip found when the sheets were checked against the screen, corrected with the reason
    slot, old = next((s, v) for s, v in values if s.item_id == scene.id)
    scoring.enter_score(db, slot, Decimal(min(old + 1500, 100_000)) / 1000, CHIEF,
                        reason="核对评分表，更正录入错误", ctx=ctx)

    for item in contest.items(db, c.id):
        flagged = bool(contest_locks.open_flags(db, item))
        contest_locks.lock_item(db, item.id, DEMO_PIN, CHIEF, override_reason=PAST_OVERRIDE if flagged else "")
    contest_release.release(db, c.id, DEMO_PIN, CHIEF)
    plan = contest_awards.plan_awards(ranking.compute(db, c.id), PAST_TIERS)
    awards = contest_awards.confirm_awards(db, c.id, plan, DEMO_PIN, CHIEF)
    # 公示 from the next working day for five working days; the certificates are issued the day after it ends
    posted = working_day_end(first_working_day(start + dt.timedelta(days=1)), 5)
    issued = award_certificates.issue(db, c.id, issue_date=first_working_day(posted + dt.timedelta(days=1)))
    return FinishedContest(c.id, name, len(chosen), len(awards), len(issued.issued))
