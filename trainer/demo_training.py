"""Demo training year: bases, plans, classes with sessions, attendance and scores, external records.

Bulk-inserted (executemany) so that a 50,000-person demo with a million attendance rows stays quick.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from sqlite_utils import Database

from trainer import people, plans, training, units
from trainer.amounts import to_x100
from trainer.people import Person

BASES = (
    ("中共平顶山市委党校", "党校", "平顶山市新华区建设路中段", "张老师", "0375-2345601"),
    ("平顶山市行政学院", "行政学院", "平顶山市新华区建设路中段", "李老师", "0375-2345602"),
    ("平顶山学院", "高校", "平顶山市新华区未来路", "王老师", "0375-2657000"),
    ("市城管局教育培训中心", "自办", "平顶山市城市管理局", "培训科", "0375-2345603"),
)
TOPICS = {
    "初任培训": ("城市管理执法概论", "行政处罚法精讲", "执法文书制作", "执法礼仪与形象", "执法全过程记录", "廉政教育"),
    "任职培训": ("队伍管理与作风建设", "依法行政与法治思维", "突发事件应对", "执法监督与考核", "领导力提升"),
    "业务知识培训": ("市容环境卫生管理条例", "城乡规划法执法实务", "自由裁量权基准适用", "行政强制法"),
    "执法技能培训": ("情景模拟执法", "执法记录仪使用", "案卷制作与评查", "沟通与调解技巧"),
    "岗位练兵": ("执法技能实操演练", "队列与礼仪训练", "案卷评审练习"),
    "协管人员培训": ("协管人员职责与纪律", "巡查与信息上报", "文明劝导技巧"),
    "专题培训": ("优化营商环境专题", "垃圾分类专题", "安全生产专题"),
}
TEACHERS = ("周明", "郑红", "孙立", "冯静", "刘伟", "陈晓", "赵强")


@dataclass(frozen=True)
class TrainingSummary:
    classes: int
    sessions: int
    enrolments: int
    attendance: int
    external: int


def generate(db: Database, rng: random.Random, today: dt.date) -> TrainingSummary:
    """Fill one year (and the tail of the last) of training around the people already in `db`."""
    year = today.year
    base_ids = [plans.save_base(db, plans.Base(None, *b)).id for b in BASES]
    tree = units.all_units(db)
    city = next(u for u in tree if u.level == "市局")
    everyone = [p for p in people.all_people(db) if p.post_status == "在岗"]
    officers = [p for p in everyone if p.category == "执法人员"]
    recruits = [p for p in officers if p.hire_date >= dt.date(year - 1, 1, 1)]
    leaders = [p for p in officers if p.is_leader]
    auxiliaries = [p for p in everyone if p.category == "协管人员"]

    plan = plans.save_plan(db, plans.Plan(None, city.id, year, f"平顶山市城市管理局{year}年度教育培训计划", "已发布"))
    last_plan = plans.save_plan(db, plans.Plan(None, city.id, year - 1, f"平顶山市城市管理局{year - 1}年度教育培训计划",
                                               "已发布"))
    item_specs = [
        ("新招录执法人员初任培训", "初任培训", plans.Audience(recruits_only=True), 3, 15, 90, base_ids[0]),
        ("县、街道队伍负责人任职培训", "任职培训", plans.Audience(leaders_only=True), 4, 15, 90, base_ids[1]),
        ("业务知识轮训", "业务知识培训", plans.Audience(), 5, 3, 24, base_ids[3]),
        ("执法技能提升培训", "执法技能培训", plans.Audience(), 9, 7, 56, base_ids[2]),
        ("岗位练兵", "岗位练兵", plans.Audience(), 10, 2, 16, base_ids[3]),
        ("协管人员培训", "协管人员培训", plans.Audience(categories=("协管人员",)), 6, 2, 16, base_ids[3]),
        ("首届执法技能比武赛前集训", "专题培训", plans.Audience(), 11, 3, 24, base_ids[3]),
    ]
    item_ids: dict[str, int] = {}
    for order, (title, kind, audience, month, days, hours, base) in enumerate(item_specs):
        for annual in (plan, last_plan):
            saved = plans.save_item(db, plans.PlanItem(
                None, int(annual.id or 0), title, kind, audience, month, None, None, Decimal(days), Decimal(hours),
                base, city.id, Decimal(2000 * days), 0, "计划", order))
            if annual is plan:
                item_ids[kind] = int(saved.id or 0)

    counts = [0, 0, 0, 0]  # classes, sessions, enrolments, attendance

    def run_class(title: str, kind: str, start: dt.date, days: int, members: list[Person], base: int | None,
                  pass_mark: Decimal | None) -> None:
        if not members:
            return
        end = start + dt.timedelta(days=days - 1)
        status = "已结束" if end < today else "进行中" if start <= today else "筹备"
        c = training.save_class(db, training.TrainingClass(
            None, title, kind, start, end, base, city.id, 0, pass_mark, status, "", item_ids.get(kind)
            if start.year == year else None))
        cid = int(c.id or 0)
        counts[0] += 1
        session_rows = []
        for d in range(days):
            day = start + dt.timedelta(days=d)
            for half, (t0, t1) in enumerate((("08:30", "11:30"), ("14:30", "17:30"))):  # 4 学时 of 45 minutes
                topic = rng.choice(TOPICS[kind])
                mode = "实操" if kind in ("执法技能培训", "岗位练兵") and half else "理论"
                session_rows.append((cid, day.isoformat(), t0, t1, topic, rng.choice(TEACHERS), 400, mode))
        db.conn.executemany("INSERT INTO class_sessions (class_id, date, start_time, end_time, topic, teacher,"
                            " hours_x100, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", session_rows)
        counts[1] += len(session_rows)
        ids = [int(p.id or 0) for p in members]
        db.conn.executemany("INSERT INTO enrolments (class_id, person_id, score_x100) VALUES (?, ?, ?)",
                            [(cid, pid, to_x100(Decimal(rng.randint(56, 99))) if pass_mark and status == "已结束"
                              else None) for pid in ids])
        counts[2] += len(ids)
        held = [r[0] for r in db.execute("SELECT id FROM class_sessions WHERE class_id = ? AND date < ?",
                                         [cid, today.isoformat()])]
        marks = []
        for pid in ids:
            truant = rng.random() < 0.04  # a few miss more than the allowed leave
            for sid in held:
                roll = rng.random()
                status_mark = ("缺勤" if roll < 0.175 else "请假") if truant and roll < 0.35 else \
                    "出勤" if roll < 0.93 else "迟到" if roll < 0.96 else "请假" if roll < 0.99 else "缺勤"
                marks.append((sid, pid, status_mark))
        db.conn.executemany("INSERT INTO attendance (session_id, person_id, status) VALUES (?, ?, ?)", marks)
        counts[3] += len(marks)

    def batches(group: list[Person], size: int) -> list[list[Person]]:
        return [group[i:i + size] for i in range(0, len(group), size)]

    with db.atomic():
        shuffled = list(officers)
        rng.shuffle(shuffled)
        # 业务知识轮训 for most officers this year, in batches through the spring
        for n, batch in enumerate(batches(shuffled[: int(len(shuffled) * 0.85)], 60)):
            start = dt.date(year, 3, 2) + dt.timedelta(days=7 * (n % 30))
            run_class(f"{year}年业务知识轮训第{n + 1}期", "业务知识培训", start, 3, batch, base_ids[3], Decimal(60))
        for n, batch in enumerate(batches(shuffled[: int(len(shuffled) * 0.6)], 50)):
            start = dt.date(year, 9, 7) + dt.timedelta(days=7 * (n % 12))
            run_class(f"{year}年执法技能提升培训第{n + 1}期", "执法技能培训", start, 7, batch, base_ids[2],
                      Decimal(60))
        late = [p for p in recruits if p.hire_date < today - dt.timedelta(days=200)]
        fresh = [p for p in late if rng.random() < 0.8]
        for n, batch in enumerate(batches(fresh, 40)):
            run_class(f"{year}年新招录执法人员初任培训班第{n + 1}期", "初任培训", dt.date(year, 4, 7) + dt.timedelta(
                days=21 * n), 15, batch, base_ids[0], Decimal(60))
        appointed = [p for p in leaders if p.leader_since and p.leader_since.year >= year - 1 and rng.random() < 0.7]
        for n, batch in enumerate(batches(appointed, 40)):
            run_class(f"{year}年队伍负责人任职培训班第{n + 1}期", "任职培训", dt.date(year, 5, 11) + dt.timedelta(
                days=21 * n), 15, batch, base_ids[1], Decimal(60))
        aux = [p for p in auxiliaries if rng.random() < 0.75]
        for n, batch in enumerate(batches(aux, 80)):
            start = dt.date(year, 6, 8) + dt.timedelta(days=7 * n)
            run_class(f"{year}年协管人员培训第{n + 1}期", "协管人员培训", start, 2, batch, base_ids[3], None)
        drill = [p for p in officers if rng.random() < 0.3]
        for n, batch in enumerate(batches(drill, 100)):
            run_class(f"{year}年岗位练兵第{n + 1}期", "岗位练兵", dt.date(year, 10, 12) + dt.timedelta(days=7 * n), 2,
                      batch, base_ids[3], None)
        # last year's autumn rotation, so year-over-year views have history
        for n, batch in enumerate(batches(shuffled[: int(len(shuffled) * 0.5)], 60)):
            run_class(f"{year - 1}年业务知识轮训第{n + 1}期", "业务知识培训", dt.date(year - 1, 10, 12) +
                      dt.timedelta(days=7 * (n % 8)), 3, batch, base_ids[3], Decimal(60))
        external = []
        now = dt.datetime.now().isoformat(timespec="seconds")
        for p in officers:
            if rng.random() < 0.12:
                start = dt.date(year, rng.randint(1, 10), rng.randint(1, 20))
                if start < today:
                    days = rng.choice((3, 5, 7))
                    external.append((p.id, "全省城市管理执法业务培训班", "业务知识培训", start.isoformat(),
                                     (start + dt.timedelta(days=days - 1)).isoformat(), days * 100, days * 800, 1,
                                     "河南省住房和城乡建设厅", now))
            if rng.random() < 0.1:
                start = dt.date(year - 1, rng.randint(3, 11), rng.randint(1, 20))
                external.append((p.id, "市委党校中青年干部培训班", "专题培训", start.isoformat(),
                                 (start + dt.timedelta(days=9)).isoformat(), 1000, 6000, 1, "中共平顶山市委党校", now))
        # earlier years: most recruits and leaders appointed before this year already did their training
        for p in recruits + [p for p in officers if p.hire_date.year < year - 1 and p.hire_date >= dt.date(2021, 6, 6)]:
            if p.hire_date.year < year and rng.random() < 0.85:
                start = p.hire_date + dt.timedelta(days=rng.randint(30, 300))
                if start + dt.timedelta(days=14) < dt.date(year, 1, 1):
                    external.append((p.id, f"{start.year}年新招录执法人员初任培训班", "初任培训", start.isoformat(),
                                     (start + dt.timedelta(days=14)).isoformat(), 1500, 12000, 1,
                                     "平顶山市城市管理局", now))
        for p in leaders:
            since = p.leader_since
            if since and since.year < year and rng.random() < 0.85:
                start = since + dt.timedelta(days=rng.randint(20, 250))
                if start + dt.timedelta(days=14) < dt.date(year, 1, 1):
                    external.append((p.id, f"{start.year}年队伍负责人任职培训班", "任职培训", start.isoformat(),
                                     (start + dt.timedelta(days=14)).isoformat(), 1500, 12000, 1,
                                     "平顶山市城市管理局", now))
        db.conn.executemany("INSERT INTO external_records (person_id, title, type, start_date, end_date, days_x100,"
                            " hours_x100, completed, organiser, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            external)
    return TrainingSummary(counts[0], counts[1], counts[2], counts[3], len(external))
