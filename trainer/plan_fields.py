"""The columns of a plan item as a spreadsheet and the item dialog show them, and the one parser both use,
so the dialog and the Excel import refuse the same things in the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlite_utils import Database

from trainer import plans, training
from trainer.amounts import AmountError, fmt, parse_amount
from trainer.dates import DateError, parse_date
from trainer.person_fields import CATEGORIES
from trainer.plans import Audience, Base, PlanError, PlanItem
from trainer.units import UnitIndex

TITLE, TYPE, AUDIENCE, MONTH, START, END = "项目名称", "培训类型", "培训对象", "计划月份", "开始日期", "结束日期"
DAYS, HOURS, BASE, ORGANISER = "天数", "学时", "培训基地", "主办单位"
BUDGET, PEOPLE, STATUS = "预算（元）", "计划人数", "状态"
COLUMNS = (TITLE, TYPE, AUDIENCE, MONTH, START, END, DAYS, HOURS, BASE, ORGANISER, BUDGET, PEOPLE, STATUS)
REQUIRED = (TITLE, TYPE)

EVERYONE, LEADERS, RECRUITS, ONLY = "全体人员", "队伍负责人", "新招录人员", "限"
AUDIENCE_HINT = f"可填{'、'.join(CATEGORIES)}、{EVERYONE}，加“，{LEADERS}”“，{RECRUITS}”“，{ONLY}某单位、某单位”"


@dataclass(frozen=True)
class FieldError:
    column: str
    message: str


@dataclass(frozen=True)
class Lookups:
    """Names the cells use: units (names or aliases) and training bases."""

    units: UnitIndex
    bases: tuple[Base, ...]

    @classmethod
    def load(cls, db: Database) -> Lookups:
        return cls(UnitIndex.load(db), tuple(plans.bases(db)))

    def unit_names(self) -> dict[int, str]:
        return {u: self.units.name(u) for u in self.units.by_id}

    def base_name(self, base_id: int | None) -> str:
        return next((b.name for b in self.bases if b.id == base_id), "") if base_id is not None else ""

    def base_by_name(self, name: str) -> Base | None:
        key = "".join(name.split())
        return next((b for b in self.bases if "".join(b.name.split()) == key), None)


# ---- showing ----------------------------------------------------------------------------------------

def audience_text(a: Audience, lookups: Lookups) -> str:
    return a.describe(lookups.unit_names())


def when_text(item: PlanItem) -> str:
    """计划时间 as a table shows it: 3月2日—13日, 3月28日—4月8日, 3月, or 待定."""
    s, e = item.start_date, item.end_date
    if s and e:
        if s == e:
            return f"{s.month}月{s.day}日"
        if (e.year, e.month) == (s.year, s.month):
            tail = f"{e.day}日"
        else:
            tail = f"{e.month}月{e.day}日" if e.year == s.year else f"{e.year}年{e.month}月{e.day}日"
        return f"{s.month}月{s.day}日—{tail}"
    if s:
        return f"{s.month}月{s.day}日起"
    if item.planned_month:
        return f"{item.planned_month}月"
    return "待定"


def money(value: Decimal) -> str:
    """Yuan with thousands separators and fen, as bureau budgets print: 30,000.00."""
    return f"{value:,.2f}"


def number(value: Decimal) -> int | float:
    """A Decimal for a spreadsheet cell: integral values stay integers."""
    return int(value) if value == value.to_integral() else float(value)


def item_cells(item: PlanItem, lookups: Lookups) -> dict[str, object]:
    """The item as spreadsheet cells; parse_item reads them back to the same item."""
    return {
        TITLE: item.title, TYPE: item.type, AUDIENCE: audience_text(item.audience, lookups),
        MONTH: item.planned_month, START: item.start_date, END: item.end_date,
        DAYS: number(item.days), HOURS: number(item.hours), BASE: lookups.base_name(item.base_id),
        ORGANISER: lookups.units.name(item.organiser_unit_id) if item.organiser_unit_id in lookups.units.by_id else "",
        BUDGET: number(item.budget), PEOPLE: item.planned_people, STATUS: item.status,
    }


def cell_text(value: object) -> str:
    """A cell as text for a preview: dates ISO, 15.0 as 15."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return fmt(value)
    return str(value).strip()


# ---- reading ----------------------------------------------------------------------------------------

def parse_audience(text: str, units: UnitIndex) -> Audience:
    """The inverse of Audience.describe: 执法人员、协管人员，队伍负责人，限新华区、卫东区."""
    text = text.strip()
    if not text:
        return Audience()
    categories: list[str] = []
    everyone = leaders = recruits = False
    unit_ids: list[int] = []
    for part in (p.strip() for p in text.replace(",", "，").replace("；", "，").replace(";", "，").split("，")):
        if not part:
            continue
        if part.startswith(ONLY):
            for name in (n.strip() for n in part[len(ONLY):].split("、")):
                unit = units.resolve(name) if name else None
                if unit is None:
                    raise PlanError(f"未知的单位“{name}”")
                if unit.id not in unit_ids:
                    unit_ids.append(unit.id)
            continue
        for token in (t.strip() for t in part.split("、")):
            if token in CATEGORIES:
                if token not in categories:
                    categories.append(token)
            elif token == EVERYONE:
                everyone = True
            elif token == LEADERS:
                leaders = True
            elif token == RECRUITS:
                recruits = True
            elif token:
                raise PlanError(f"无法识别“{token}”（{AUDIENCE_HINT}）")
    if everyone and categories:
        raise PlanError(f"“{EVERYONE}”不能与{'、'.join(categories)}同时填写")
    chosen = () if everyone else tuple(categories) or Audience().categories
    return Audience(chosen, leaders, recruits, tuple(unit_ids))


def _whole(raw: object, column: str, errors: list[FieldError], low: int, high: int, unit: str = "") -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = cell_text(raw).removesuffix(unit) if unit else cell_text(raw)
    try:
        value = int(text)
    except ValueError:
        errors.append(FieldError(column, f"“{cell_text(raw)}”不是整数"))
        return None
    if not low <= value <= high:
        errors.append(FieldError(column, f"应为{low}到{high}" if high < 10**6 else "不能为负数"))
        return None
    return value


def _amount(raw: object, column: str, errors: list[FieldError]) -> Decimal | None:
    try:
        return parse_amount(raw, allow_empty=True)
    except AmountError as exc:
        errors.append(FieldError(column, str(exc)))
        return None


def _date(raw: object, column: str, errors: list[FieldError]) -> dt.date | None:
    try:
        return parse_date(raw)
    except DateError as exc:
        errors.append(FieldError(column, str(exc)))
        return None


def parse_item(cells: Mapping[str, object], lookups: Lookups,
               plan_id: int = 0) -> tuple[PlanItem | None, list[FieldError]]:
    """An item from cells keyed by COLUMNS (missing columns are empty), or the problems, one per column."""
    errors: list[FieldError] = []

    def text(column: str) -> str:
        return cell_text(cells.get(column))

    title = text(TITLE)
    if not title:
        errors.append(FieldError(TITLE, "必填项为空"))
    kind = text(TYPE)
    if not kind:
        errors.append(FieldError(TYPE, "必填项为空"))
    elif kind not in training.TRAINING_TYPES:
        errors.append(FieldError(TYPE, f"未知的培训类型“{kind}”，应为{'、'.join(training.TRAINING_TYPES)}之一"))
    audience = Audience()
    try:
        audience = parse_audience(text(AUDIENCE), lookups.units)
    except PlanError as exc:
        errors.append(FieldError(AUDIENCE, str(exc)))
    month = _whole(cells.get(MONTH), MONTH, errors, 1, 12, unit="月")
    start, end = _date(cells.get(START), START, errors), _date(cells.get(END), END, errors)
    if start and end and end < start:
        errors.append(FieldError(END, "结束日期早于开始日期"))
    days, hours = _amount(cells.get(DAYS), DAYS, errors), _amount(cells.get(HOURS), HOURS, errors)
    if days is None and start and end and end >= start:
        days = Decimal((end - start).days + 1)  # an empty 天数 follows the dates, as records count them
    base = None
    if text(BASE):
        base = lookups.base_by_name(text(BASE))
        if base is None:
            errors.append(FieldError(BASE, f"未知的培训基地“{text(BASE)}”（请先在“培训基地”中添加）"))
    organiser = None
    if text(ORGANISER):
        organiser = lookups.units.resolve(text(ORGANISER))
        if organiser is None:
            errors.append(FieldError(ORGANISER, f"未知的单位“{text(ORGANISER)}”"))
    budget = _amount(cells.get(BUDGET), BUDGET, errors)
    people = _whole(cells.get(PEOPLE), PEOPLE, errors, 0, 10**7, unit="人")
    status = text(STATUS) or plans.ITEM_STATUSES[0]
    if status not in plans.ITEM_STATUSES:
        errors.append(FieldError(STATUS, f"未知的状态“{status}”，应为{'、'.join(plans.ITEM_STATUSES)}之一"))
    if errors:
        return None, errors
    item = PlanItem(None, plan_id, title, kind, audience, month, start, end, days or Decimal(0), hours or Decimal(0),
                    base.id if base else None, organiser.id if organiser else None, budget or Decimal(0), people or 0,
                    status)
    try:
        plans.check_item(item)  # the service's own rules, should they ever say more than the cells do
    except PlanError as exc:
        return None, [FieldError(TITLE, str(exc))]
    return item, []


def same_item(a: PlanItem, b: PlanItem) -> bool:
    """Equal in everything a spreadsheet carries (not id, plan or order)."""
    return replace(a, id=None, plan_id=0, sort_order=0) == replace(b, id=None, plan_id=0, sort_order=0)


def totals(items: Iterable[PlanItem]) -> tuple[Decimal, Decimal, Decimal, int]:
    """(days, 学时, budget, planned people) over the items that are not cancelled."""
    live = [i for i in items if i.status != "已取消"]
    return (sum((i.days for i in live), Decimal(0)), sum((i.hours for i in live), Decimal(0)),
            sum((i.budget for i in live), Decimal(0)), sum(i.planned_people for i in live))
