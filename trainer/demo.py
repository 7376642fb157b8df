"""A realistic demo bureau: streets under each county, officers and auxiliaries, leaders, cards.

Deterministic for a given seed and reference day, so a bug seen in the demo can be reproduced.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass

from sqlite_utils import Database

from trainer import demo_contest, demo_training, idnumber, people, units
from trainer.people import Person
from trainer.resources import data_file

MAX_PEOPLE = 50_000

# Pingdingshan's county-level area codes (GB/T 2260, 4104xx); people are born all over the city.
AREA_CODES = ("410402", "410403", "410404", "410411", "410421", "410422", "410423", "410425",
              "410481", "410482")
SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
            "薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌辉鹏飞宇浩然晨阳凯雪梅婷丹"
         "亮波宁俊峰鑫淑珍慧颖琳瑞海燕晓东鸿新利博嘉铭子涵欣怡思雨佳琪梓萱一诺浩宇子轩宏振永春")
POSITIONS_OFFICER = ("科员", "科员", "科员", "执法队员", "执法队员", "副中队长", "办事员")
POSITIONS_AUX = ("协管员", "协管员", "巡查员", "信息员")


@dataclass(frozen=True)
class DemoSummary:
    people: int
    units: int
    officers: int
    auxiliaries: int
    leaders: int
    classes: int = 0
    attendance: int = 0
    contest: int | None = None  # the demo 首届执法技能比武's id (None when too few officers to hold it)
    contest_competitors: int = 0
    finished: demo_contest.FinishedContest | None = None  # the 上半年岗位练兵比武, run to its end months before


def ensure_streets(db: Database) -> int:
    """Add the demo street/town units under their counties (skipping those already there)."""
    index = units.UnitIndex.load(db)
    added = 0
    with open(data_file("demo_streets.csv"), encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if index.resolve(row["street"]) is None:
                county = index.resolve(row["county"])
                assert county is not None, row
                units.add_street(db, row["street"], county.id)
                added += 1
    return added


def generate(db: Database, count: int = 300, seed: int = 2021, today: dt.date | None = None) -> DemoSummary:
    if not 1 <= count <= MAX_PEOPLE:
        raise ValueError(f"人数应在1到{MAX_PEOPLE}之间")
    if people.count(db):
        raise ValueError("数据库中已有人员；演示数据只写入空数据库，以免与真实数据混在一起")
    today = today or dt.date.today()
    rng = random.Random(seed)
    with db.atomic():
        ensure_streets(db)
        tree = units.all_units(db)
        counties = [u for u in tree if u.level == "县级"]
        streets = [u for u in tree if u.level == "街道"]
        departments = [u for u in tree if u.level in ("市局", "科室")]
        persons: list[Person] = []
        used: set[str] = set()
        # every county and street team gets its leader first, so 任职培训 has people to track
        leader_units = counties + streets
        for i in range(count):
            if i < len(leader_units) and count >= 2 * len(leader_units):
                unit, leader = leader_units[i], True
            else:
                r = rng.random()
                unit = rng.choice(departments) if r < 0.08 else rng.choice(counties) if r < 0.35 \
                    else rng.choice(streets)
                leader = False
            persons.append(_person(rng, unit, leader, today, used))
        people.insert_many(db, persons)
        year = demo_training.generate(db, rng, today)
        _issue_last_years_certificates(db, today)
        match = demo_contest.generate(db, rng, today)
        # last: its draws from `rng` leave everything above (and the ids of the contest being run) as they were
        finished = demo_contest.generate_finished(db, rng, today)
    officers = sum(p.category == "执法人员" for p in persons)
    return DemoSummary(len(persons), len(tree), officers, len(persons) - officers,
                       sum(p.is_leader for p in persons), year.classes, year.attendance,
                       match.contest_id if match else None, match.competitors if match else 0, finished)


def _issue_last_years_certificates(db: Database, today: dt.date) -> None:
    """Last year's finished classes already have their certificates, so the register is not empty;
    this year's are left for the newcomer to issue and print."""
    from trainer import cert_issue, training

    for c in training.list_classes(db, today.year - 1):
        if c.status == "已结束" and c.end_date.year == today.year - 1:
            cert_issue.issue_for_class(db, int(c.id or 0), issue_date=c.end_date + dt.timedelta(days=7))


def _person(rng: random.Random, unit: units.Unit, leader: bool, today: dt.date, used: set[str]) -> Person:
    gender = "男" if rng.random() < 0.72 else "女"
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    officer = leader or rng.random() < 0.64
    # A share of recent recruits (the last two years) keeps 初任培训 alive in the demo.
    if officer and rng.random() < 0.12:
        hire = today - dt.timedelta(days=rng.randint(20, 720))
    else:
        hire = today - dt.timedelta(days=rng.randint(730, 365 * 28))
    age_at_hire = rng.randint(21, 35)
    birth = hire.replace(year=hire.year - age_at_hire, day=1) + dt.timedelta(days=rng.randint(0, 300))
    while True:
        number = idnumber.make(rng.choice(AREA_CODES), birth, rng.randint(0, 499), gender)
        if number not in used:
            used.add(number)
            break
        birth += dt.timedelta(days=1)
    card, expiry = "", None
    if officer:
        roll = rng.random()
        if roll < 0.04:
            pass  # no card yet: the 持证上岗 check must catch these
        else:
            card = f"豫{rng.randint(10, 99)}{rng.randint(100000, 999999)}"
            if roll < 0.10:
                expiry = today - dt.timedelta(days=rng.randint(1, 400))
            elif roll < 0.18:
                expiry = today + dt.timedelta(days=rng.randint(0, 90))
            else:
                expiry = today + dt.timedelta(days=rng.randint(91, 365 * 5))
    status_roll = rng.random()
    status = "在岗" if status_roll < 0.90 or leader else rng.choice(("离岗", "借调", "退休", "调出"))
    if leader:
        position = "大队长" if unit.level == "县级" else "中队长"
        since = today - dt.timedelta(days=rng.randint(30, 365 * 6))
        since = max(since, hire)
    else:
        position = rng.choice(POSITIONS_OFFICER if officer else POSITIONS_AUX)
        since = None
    phone = f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}" \
        if rng.random() < 0.85 else f"0375-{rng.randint(2_000_000, 8_999_999)}"
    return Person(None, name, gender, number, unit.id, "执法人员" if officer else "协管人员", position,
                  leader, since, hire, card, expiry, status, phone)
