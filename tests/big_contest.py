"""A contest the size of a real city contest, for the responsiveness proof (test_contest_responsiveness.py)
and a quick look (`PYTHONPATH=. .venv/bin/python tests/big_contest.py`): 200 competitors from the twelve
county teams; six items (单一成绩 written exam, two 去掉最高最低取平均 items of which one blind, a 评分细则
item with four criteria, a 平均分 item and one 团体 item); seven judges with units (three county judges are
recused from their own county's competitors); the draw done (抽签号, 队号 and the blind item's codes); the
chief judge's PIN set; a few values typed twice by a second clerk (one of them different); and most scores
stored through the service in one transaction — a run of one judge's 案卷评审 column and a few other cells
are left to be typed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from sqlite_utils import Database

from trainer import contest, contest_locks, contest_people, draw, scoring
from trainer.contest import AVERAGE, DROP_HIGH_LOW, RUBRIC, SINGLE, TEAM, NewContest, NewItem
from trainer.scoring import ScoringContext, Slot
from trainer.units import UnitIndex

SIZE = 200
PIN = "246810"
CHIEF, CLERK, CLERK2 = "裁判长周明", "记分员李静", "记分员王芳"
EXAM, WRITING, REVIEW, SCENE, FITNESS, DRILL = ("法律知识笔试", "执法文书制作", "案卷评审", "情景模拟执法", "体能测试",
                                                "队列会操")
COUNTIES = ("新华区", "卫东区", "湛河区", "石龙区", "城乡一体化示范区", "高新区", "舞钢市", "汝州市", "宝丰县", "叶县",
            "鲁山县", "郏县")
JUDGES = (("J1", "周明", "法规科", True), ("J2", "郑红", "执法督查科", False), ("J3", "孙立", "新华区", False),
          ("J4", "冯静", "卫东区", False), ("J5", "刘伟", "湛河区", False), ("J6", "陈晓", None, False),
          ("J7", "赵强", "市城市管理综合执法支队", False))
CRITERIA = (("仪容仪表", Decimal(20)), ("语言规范", Decimal(25)), ("程序规范", Decimal(30)), ("文书规范", Decimal(25)))
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰志红建国文斌浩宇鹏飞晨阳欣怡佳琪子轩"
TYPED_FROM = 161  # 案卷评审, judge J2: draw numbers 161–200 are still on paper (left to type)


@dataclass(frozen=True)
class BigContest:
    db: Database
    contest_id: int
    items: dict[str, int]     # name → item id
    judges: dict[str, int]    # code → judge id
    stored: int               # values stored by the builder
    left: int                 # expected values left unscored


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name not in used:
            used.add(name)
            return name


def build(db: Database, *, seed: int = 2026) -> BigContest:
    rng = random.Random(seed)
    index = UnitIndex.load(db)
    c = contest.create_contest(db, NewContest("第二届执法技能比武", venue="市城管局教育培训中心",
                                              organiser="平顶山市城市管理局"))
    specs = (NewItem(EXAM, SINGLE, Decimal(100), Decimal(25), 1, tiebreak=3),
             NewItem(WRITING, DROP_HIGH_LOW, Decimal(100), Decimal(20), 2, tiebreak=1, max_spread=Decimal(15),
                     blind=True),
             NewItem(REVIEW, DROP_HIGH_LOW, Decimal(100), Decimal(20), 2, tiebreak=2, max_spread=Decimal(15)),
             NewItem(SCENE, RUBRIC, Decimal(100), Decimal(20), 2, max_spread=Decimal(12), rubric_method=DROP_HIGH_LOW),
             NewItem(FITNESS, AVERAGE, Decimal(100), Decimal(15), 1),
             NewItem(DRILL, DROP_HIGH_LOW, Decimal(100), Decimal(20), 2, max_spread=Decimal(10), kind=TEAM))
    items = {s.name: contest.add_item(db, c.id, s).id for s in specs}
    contest.set_criteria(db, items[SCENE], CRITERIA)

    used: set[str] = set()
    with db.atomic():
        for n in range(SIZE):
            unit = index.resolve(COUNTIES[n % len(COUNTIES)])
            assert unit is not None
            contest_people.add_competitor(db, c.id, _name(rng, used), unit.id, sync=False)
        contest_people.sync_teams(db, c.id)
    judges = {}
    for code, name, unit_name, chief in JUDGES:
        unit = index.resolve(unit_name) if unit_name else None
        judges[code] = contest_people.add_judge(db, c.id, code, name, unit.id if unit else None,
                                                unit_text="" if unit else "外聘：平顶山学院", is_chief=chief).id
    for name in (WRITING, REVIEW, SCENE, FITNESS, DRILL):
        contest_people.assign_all(db, items[name], list(judges.values()))
    draw.draw_contest(db, c.id, CHIEF, seed="第二届执法技能比武 监督员现场抽签")  # 抽签号, 队号, WRITING's codes
    contest_locks.set_pin(db, c.id, PIN, CHIEF)  # the real scrypt cost: the lock dialog pays it as it would

    ctx = ScoringContext.load(db, c.id)
    the = {name: ctx.items[item_id] for name, item_id in items.items()}
    severity = {jid: rng.gauss(0, 2.0) for jid in judges.values()}
    left: set[Slot] = set()
    values: list[tuple[Slot, int]] = []
    for comp in ctx.panel.competitors:
        skill = rng.gauss(0, 1)
        values.append((Slot(the[EXAM].id, comp.id), int(min(100.0, max(0.0, 78 + 8 * skill)) * 2) * 500))
        for name in (WRITING, REVIEW, FITNESS):
            base = 80 + 6 * skill + rng.gauss(0, 3)
            for judge in ctx.panel.expected_judges(the[name], comp):
                score = min(100.0, max(0.0, base + severity[judge.id] + rng.gauss(0, 2.5)))
                values.append((Slot(the[name].id, comp.id, judge.id), int(score * 2) * 500))
        for judge in ctx.panel.expected_judges(the[SCENE], comp):
            for crit in the[SCENE].criteria:
                share = min(1.0, max(0.0, 0.82 + 0.06 * skill + rng.gauss(0, 0.05)))
                values.append((Slot(the[SCENE].id, comp.id, judge.id, crit.id), int(float(crit.max_points) * share)
                               * 1000))
        if comp.draw_no is not None and comp.draw_no >= TYPED_FROM:  # J2's last 案卷 sheets are still on paper
            left.add(Slot(the[REVIEW].id, comp.id, judges["J2"]))
        if comp.draw_no is not None and comp.draw_no % 50 == 0:
            left.add(Slot(the[FITNESS].id, comp.id, judges["J6"]))
    for team in ctx.panel.team_entries:
        base = 84 + rng.gauss(0, 4)
        for judge in ctx.panel.expected_judges(the[DRILL], team):
            values.append((Slot(the[DRILL].id, team.id, judge.id), int(min(100.0, base + rng.gauss(0, 1.5)) * 2) * 500))
    # A few judges far apart: spread flags for the checks tab (a 15-point limit, 20 points apart).
    by_draw = {cp.draw_no: cp for cp in ctx.panel.competitors}
    flagged = {Slot(the[REVIEW].id, by_draw[d].id, judges["J6"]) for d in (3, 47, 88)}
    values = [(s, 99_000 if s in flagged else v) for s, v in values if s not in left]
    lowered = {Slot(the[REVIEW].id, by_draw[d].id, judges["J7"]) for d in (3, 47, 88)}
    values = [(s, 70_000 if s in lowered else v) for s, v in values]
    with db.atomic():
        scoring.bulk_enter(db, ctx, values, CLERK, source=scoring.ENTERED)
    # Paper double entry by a second clerk on the 平均分 item: ten values, one typed differently.
    fitness = [(s, v) for s, v in values if s.item_id == the[FITNESS].id][:10]
    for n, (slot, v) in enumerate(fitness):
        scoring.enter_check(db, slot, Decimal(v + (1000 if n == 4 else 0)) / 1000, CLERK2, ctx=ctx)
    scoring.add_deduction(db, the[SCENE].id, by_draw[5].id, Decimal(2), "情景模拟超时30秒", CHIEF, ctx=ctx)
    return BigContest(db, c.id, items, judges, len(values), len(left))


def main() -> None:
    """Build the contest in a temporary file and print what it holds (a quick look, and timing)."""
    import tempfile
    import time
    from pathlib import Path

    from trainer.db import open_db

    with tempfile.TemporaryDirectory() as folder:
        db = open_db(Path(folder) / "big.db")
        started = time.perf_counter()
        big = build(db)
        took = time.perf_counter() - started
        prog = scoring.progress(db, big.contest_id)
        print(f"built in {took:.2f} s: {big.stored} values stored, {big.left} left to type; "
              f"progress {prog.entered} / {prog.expected}")
        db.close()


if __name__ == "__main__":
    main()
