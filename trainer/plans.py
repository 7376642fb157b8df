"""Annual training plans (年度培训计划), their items, training bases, and plan-vs-actual."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlite_utils import Database

from trainer import training
from trainer.amounts import from_x100, to_x100
from trainer.dates import from_iso, iso

BASE_KINDS = ("党校", "行政学院", "高校", "自办", "其他")
PLAN_STATUSES = ("草稿", "已发布")
ITEM_STATUSES = ("计划", "进行中", "已完成", "已取消")


class PlanError(ValueError):
    pass


@dataclass(frozen=True)
class Base:
    id: int | None
    name: str
    kind: str
    address: str = ""
    contact: str = ""
    phone: str = ""
    note: str = ""


@dataclass(frozen=True)
class Audience:
    """Who an item is for: categories, and optionally only leaders, only new recruits, or some units."""

    categories: tuple[str, ...] = ("执法人员",)
    leaders_only: bool = False
    recruits_only: bool = False
    unit_ids: tuple[int, ...] = ()

    def to_json(self) -> str:
        return json.dumps({"categories": list(self.categories), "leaders_only": self.leaders_only,
                           "recruits_only": self.recruits_only, "unit_ids": list(self.unit_ids)}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Audience:
        d = json.loads(text or "{}")
        return cls(tuple(d.get("categories", ("执法人员",))), bool(d.get("leaders_only")),
                   bool(d.get("recruits_only")), tuple(d.get("unit_ids", ())))

    def describe(self, unit_names: dict[int, str] | None = None) -> str:
        parts = ["、".join(self.categories) or "全体人员"]
        if self.leaders_only:
            parts.append("队伍负责人")
        if self.recruits_only:
            parts.append("新招录人员")
        if self.unit_ids and unit_names:
            parts.append("限" + "、".join(unit_names.get(u, "?") for u in self.unit_ids))
        return "，".join(parts)


@dataclass(frozen=True)
class Plan:
    id: int | None
    unit_id: int
    year: int
    title: str
    status: str = "草稿"
    note: str = ""


@dataclass(frozen=True)
class PlanItem:
    id: int | None
    plan_id: int
    title: str
    type: str
    audience: Audience = field(default_factory=Audience)
    planned_month: int | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    days: Decimal = Decimal(0)
    hours: Decimal = Decimal(0)
    base_id: int | None = None
    organiser_unit_id: int | None = None
    budget: Decimal = Decimal(0)  # yuan
    planned_people: int = 0
    status: str = "计划"
    sort_order: int = 0


# ---- bases ------------------------------------------------------------------------------------------

def save_base(db: Database, b: Base) -> Base:
    if not b.name.strip():
        raise PlanError("基地名称不能为空")
    if b.kind not in BASE_KINDS:
        raise PlanError("类别应为" + "、".join(BASE_KINDS) + "之一")
    values = [b.name.strip(), b.kind, b.address, b.contact, b.phone, b.note]
    with db.atomic():
        clash = db.execute("SELECT id FROM training_bases WHERE name = ?", [b.name.strip()]).fetchone()
        if clash and clash[0] != b.id:
            raise PlanError(f"已有名为“{b.name}”的培训基地")
        if b.id is None:
            cur = db.execute("INSERT INTO training_bases (name, kind, address, contact, phone, note)"
                             " VALUES (?, ?, ?, ?, ?, ?)", values)
            return replace(b, id=int(cur.lastrowid or 0))
        db.execute("UPDATE training_bases SET name = ?, kind = ?, address = ?, contact = ?, phone = ?, note = ?"
                   " WHERE id = ?", [*values, b.id])
        return b


def bases(db: Database) -> list[Base]:
    return [Base(*r) for r in db.execute(
        "SELECT id, name, kind, address, contact, phone, note FROM training_bases ORDER BY kind, name")]


def delete_base(db: Database, base_id: int) -> None:
    used = db.execute("SELECT (SELECT COUNT(*) FROM classes WHERE base_id = ?) +"
                      " (SELECT COUNT(*) FROM plan_items WHERE base_id = ?)", [base_id, base_id]).fetchone()[0]
    if used:
        raise PlanError(f"该基地已被{used}个培训班或计划项目使用，不能删除")
    with db.atomic():
        db.execute("DELETE FROM training_bases WHERE id = ?", [base_id])


# ---- plans and items --------------------------------------------------------------------------------

def save_plan(db: Database, p: Plan) -> Plan:
    if not p.title.strip():
        raise PlanError("计划名称不能为空")
    if not 2000 <= p.year <= 2100:
        raise PlanError("年度应为四位年份")
    if p.status not in PLAN_STATUSES:
        raise PlanError(f"未知的状态“{p.status}”")
    with db.atomic():
        clash = db.execute("SELECT id FROM annual_plans WHERE unit_id = ? AND year = ?", [p.unit_id, p.year]).fetchone()
        if clash and clash[0] != p.id:
            raise PlanError(f"该单位{p.year}年度的培训计划已存在")
        values = [p.unit_id, p.year, p.title.strip(), p.status, p.note]
        if p.id is None:
            cur = db.execute("INSERT INTO annual_plans (unit_id, year, title, status, note) VALUES (?, ?, ?, ?, ?)",
                             values)
            return replace(p, id=int(cur.lastrowid or 0))
        db.execute("UPDATE annual_plans SET unit_id = ?, year = ?, title = ?, status = ?, note = ? WHERE id = ?",
                   [*values, p.id])
        return p


def plans(db: Database, year: int | None = None) -> list[Plan]:
    sql = "SELECT id, unit_id, year, title, status, note FROM annual_plans"
    args: list[object] = []
    if year is not None:
        sql += " WHERE year = ?"
        args.append(year)
    return [Plan(*r) for r in db.execute(sql + " ORDER BY year DESC, unit_id", args)]


def get_plan(db: Database, plan_id: int) -> Plan | None:
    row = db.execute("SELECT id, unit_id, year, title, status, note FROM annual_plans WHERE id = ?",
                     [plan_id]).fetchone()
    return Plan(*row) if row else None


def delete_plan(db: Database, plan_id: int) -> None:
    with db.atomic():
        db.execute("DELETE FROM annual_plans WHERE id = ?", [plan_id])


_ITEM_COLS = ("id, plan_id, title, type, audience, planned_month, start_date, end_date, days_x100, hours_x100,"
              " base_id, organiser_unit_id, budget_fen, planned_people, status, sort_order")


def _item(r: tuple[object, ...]) -> PlanItem:
    return PlanItem(
        id=r[0], plan_id=r[1], title=str(r[2]), type=str(r[3]),  # type: ignore[arg-type]
        audience=Audience.from_json(str(r[4])), planned_month=r[5],  # type: ignore[arg-type]
        start_date=from_iso(r[6]), end_date=from_iso(r[7]),  # type: ignore[arg-type]
        days=from_x100(r[8]), hours=from_x100(r[9]), base_id=r[10],  # type: ignore[arg-type]
        organiser_unit_id=r[11], budget=from_x100(r[12]),  # type: ignore[arg-type]
        planned_people=int(r[13]), status=str(r[14]), sort_order=int(r[15]),  # type: ignore[call-overload]
    )


def check_item(i: PlanItem) -> None:
    if not i.title.strip():
        raise PlanError("项目名称不能为空")
    if i.type not in training.TRAINING_TYPES:
        raise PlanError(f"未知的培训类型“{i.type}”")
    if i.planned_month is not None and not 1 <= i.planned_month <= 12:
        raise PlanError("计划月份应为1到12")
    if i.start_date and i.end_date and i.end_date < i.start_date:
        raise PlanError("结束日期早于开始日期")
    if i.days < 0 or i.hours < 0 or i.budget < 0 or i.planned_people < 0:
        raise PlanError("天数、学时、预算和计划人数不能为负")
    if i.status not in ITEM_STATUSES:
        raise PlanError(f"未知的状态“{i.status}”")


def dates_outside_year(item: PlanItem, year: int) -> list[tuple[str, str]]:
    """(column, reason) for an item date outside the plan's year: last year's file imported into this
    year's plan keeps last year's dates otherwise. A class may run over New Year: an end date early in
    the next year is allowed after a start in the plan's year."""
    found = []
    if item.start_date and item.start_date.year != year:
        found.append(("开始日期", f"{item.start_date.isoformat()}不在{year}年度内"))
    end = item.end_date
    crosses = item.start_date is not None and item.start_date.year == year and end is not None and end.year == year + 1
    if end and end.year != year and not crosses:
        found.append(("结束日期", f"{end.isoformat()}不在{year}年度内"))
    return found


def save_item(db: Database, i: PlanItem) -> PlanItem:
    check_item(i)
    plan = db.execute("SELECT year FROM annual_plans WHERE id = ?", [i.plan_id]).fetchone()
    for column, why in dates_outside_year(i, int(plan[0])) if plan else ():
        raise PlanError(f"{column}：{why}")
    values = [i.plan_id, i.title.strip(), i.type, i.audience.to_json(), i.planned_month, iso(i.start_date) or None,
              iso(i.end_date) or None, to_x100(i.days), to_x100(i.hours), i.base_id, i.organiser_unit_id,
              to_x100(i.budget), i.planned_people, i.status, i.sort_order]
    with db.atomic():
        if i.id is None:
            cur = db.execute(f"INSERT INTO plan_items ({_ITEM_COLS.removeprefix('id, ')}) VALUES "
                             f"({', '.join('?' * len(values))})", values)
            return replace(i, id=int(cur.lastrowid or 0))
        sets = ", ".join(f"{c.strip()} = ?" for c in _ITEM_COLS.split(",")[1:])
        db.execute(f"UPDATE plan_items SET {sets} WHERE id = ?", [*values, i.id])
        return i


def items(db: Database, plan_id: int) -> list[PlanItem]:
    return [_item(r) for r in db.execute(f"SELECT {_ITEM_COLS} FROM plan_items WHERE plan_id = ?"
                                         " ORDER BY sort_order, COALESCE(planned_month, 13), id", [plan_id])]


def delete_item(db: Database, item_id: int) -> None:
    with db.atomic():
        db.execute("DELETE FROM plan_items WHERE id = ?", [item_id])


def copy_plan(db: Database, plan_id: int, year: int) -> Plan:
    """Next year's plan from this one: same items, dates moved by the year difference, statuses reset."""
    src = get_plan(db, plan_id)
    if src is None:
        raise PlanError("计划不存在")
    shift = year - src.year

    def moved(d: dt.date | None) -> dt.date | None:
        if d is None:
            return None
        try:
            return d.replace(year=d.year + shift)
        except ValueError:  # 29 February
            return d.replace(year=d.year + shift, day=28)

    with db.atomic():
        new = save_plan(db, Plan(None, src.unit_id, year, src.title.replace(str(src.year), str(year)), "草稿",
                                 src.note))
        for it in items(db, plan_id):
            save_item(db, replace(it, id=None, plan_id=int(new.id or 0), start_date=moved(it.start_date),
                                  end_date=moved(it.end_date), status="计划"))
    return new


@dataclass(frozen=True)
class ItemActual:
    """What happened to a plan item. Classes still 筹备 are counted apart: a class only being prepared
    has trained nobody, so it adds nothing to `classes`, `enrolled` or `hours_held`."""
    item: PlanItem
    classes: int
    enrolled: int
    completed: int
    hours_held: Decimal
    preparing: int = 0


def plan_vs_actual(db: Database, plan_id: int) -> list[ItemActual]:
    """Per item: classes held from it (running or finished), people enrolled in them and people who completed
    (finished classes), and the classes still being prepared."""
    from trainer import rules

    active = rules.active(db)
    done: dict[int, int] = {}
    for o in training.outcomes(db, active, finished_only=True):
        if o.completed:
            done[o.class_id] = done.get(o.class_id, 0) + 1
    out = []
    for it in items(db, plan_id):
        rows = db.execute("SELECT id, status FROM classes WHERE plan_item_id = ?", [it.id]).fetchall()
        class_ids = [r[0] for r in rows if r[1] != "筹备"]
        enrolled = sum(db.execute("SELECT COUNT(*) FROM enrolments WHERE class_id = ?", [c]).fetchone()[0]
                       for c in class_ids)
        hours = sum((from_x100(db.execute("SELECT SUM(hours_x100) FROM class_sessions WHERE class_id = ?",
                                          [c]).fetchone()[0]) for c in class_ids), Decimal(0))
        out.append(ItemActual(it, len(class_ids), enrolled, sum(done.get(c, 0) for c in class_ids), hours,
                              preparing=len(rows) - len(class_ids)))
    return out


def class_from_item(item: PlanItem, year: int) -> training.TrainingClass:
    """A new class pre-filled from a plan item of a plan for `year` (the officer adjusts it before saving)."""
    start = item.start_date or dt.date(year, item.planned_month or 1, 1)
    end = item.end_date or start + dt.timedelta(days=max(int(item.days) - 1, 0))
    return training.TrainingClass(None, item.title, item.type, start, end, item.base_id, item.organiser_unit_id,
                                  item.planned_people, None, "筹备", "", item.id)
