"""A skills contest and its items (项目): scoring method, 满分, 权重, decimals, tie-break order, spread limit,
rubric criteria (评分细则) and single-value conversion tables (单一成绩, e.g. time → points).

    c = contest.create_contest(db, contest.NewContest("首届执法技能比武", dt.date(2026, 11, 18), ...))
    item = contest.add_item(db, c.id, contest.NewItem("执法文书制作", DROP_HIGH_LOW, Decimal(100), Decimal(20)))
    contest.set_criteria(db, item.id, [("仪容仪表", Decimal(10)), ...])        # 评分细则: maxima sum to 满分
    contest.set_conversions(db, item.id, [(Decimal("210"), Decimal(100)), ...], lower_is_better=True, unit="秒")
    contest.items(db, c.id)  → [Item, ...] in sheet order, with criteria and conversions

Methods: 去掉最高最低取平均 (drop one highest and one lowest judge score, average the rest; needs ≥ 3),
平均分, 单一成绩 (one measured value, no judge; optionally converted by a step table) and 评分细则 (each
judge scores every criterion; a judge's score is the sum; the sums are aggregated by `rubric_method`,
去掉最高最低取平均 or 平均分). The calculation itself lives in trainer.ranking.
"""

from __future__ import annotations

import datetime as dt
import secrets
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlite_utils import Database

from trainer.contest_values import decimals_of, fmt_decimal, places, to_milli
from trainer.dates import from_iso, iso

DROP_HIGH_LOW, AVERAGE, SINGLE, RUBRIC = "去掉最高最低取平均", "平均分", "单一成绩", "评分细则"
METHODS = (DROP_HIGH_LOW, AVERAGE, SINGLE, RUBRIC)
WORKBOOK_METHODS = (DROP_HIGH_LOW, AVERAGE, SINGLE)  # a workbook has no sheet for criteria
TEAM_SUM, TEAM_BEST = "合计", "前N名"
SOLO, TEAM = "个人", "团体"  # an item's kind: scored per competitor, or per team (trainer.contest_people)
MIN_SCORES = {DROP_HIGH_LOW: 3, AVERAGE: 1}
MAX_DECIMALS = 3
WEIGHT_TOTAL_X100 = 100_00


class ContestError(ValueError):
    """A refused setup change; the message is for the user."""


@dataclass(frozen=True)
class NewContest:
    name: str
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    venue: str = ""
    organiser: str = ""
    team_mode: str = TEAM_SUM
    team_best_n: int | None = None


@dataclass(frozen=True)
class Contest:
    id: int
    uid: str
    name: str
    start_date: dt.date | None
    end_date: dt.date | None
    venue: str
    organiser: str
    team_mode: str
    team_best_n: int | None
    has_pin: bool
    created_at: str

    @property
    def dates_text(self) -> str:
        if self.start_date and self.end_date and self.end_date != self.start_date:
            return f"{iso(self.start_date)}至{iso(self.end_date)}"
        return iso(self.start_date or self.end_date)


@dataclass(frozen=True)
class Criterion:
    id: int
    name: str
    max_points: Decimal

    @property
    def max_milli(self) -> int:
        return to_milli(self.max_points)


@dataclass(frozen=True)
class Conversion:
    """Measured values up to `limit` (lower is better) or from `limit` (higher is better) earn `points`."""
    limit: Decimal
    points: Decimal


@dataclass(frozen=True)
class NewItem:
    name: str
    method: str
    full_marks: Decimal
    weight: Decimal
    decimals: int = 2
    tiebreak: int | None = None
    max_spread: Decimal | None = None
    rubric_method: str = DROP_HIGH_LOW
    kind: str = "个人"
    blind: bool = False


@dataclass(frozen=True)
class Item:
    id: int
    contest_id: int
    name: str
    method: str
    full_marks: Decimal
    weight: Decimal
    decimals: int
    tiebreak: int | None
    max_spread: Decimal | None
    rubric_method: str
    kind: str
    blind: bool
    raw_unit: str
    raw_decimals: int
    lower_is_better: bool
    sort_order: int
    locked_at: str | None
    locked_by: str
    criteria: tuple[Criterion, ...] = ()
    conversions: tuple[Conversion, ...] = ()

    @property
    def judged(self) -> bool:
        return self.method != SINGLE

    @property
    def team(self) -> bool:
        """A 团体 item: scored once per team (the team's row), not per competitor."""
        return self.kind == TEAM

    @property
    def aggregate_method(self) -> str:
        """How judge scores combine: the item's method, or for 评分细则 the method for the criterion sums."""
        return self.rubric_method if self.method == RUBRIC else self.method

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    @property
    def converted(self) -> bool:
        return self.method == SINGLE and bool(self.conversions)

    @property
    def full_milli(self) -> int:
        return to_milli(self.full_marks)

    @property
    def weight_x100(self) -> int:
        return int(self.weight * 100)

    @property
    def method_text(self) -> str:
        return f"{RUBRIC}（{self.rubric_method}）" if self.method == RUBRIC else self.method

    def entry_decimals(self) -> int:
        """Decimals a typed value may have: the measured value's for a converted item, else the item's."""
        return self.raw_decimals if self.converted else self.decimals

    def entry_maximum(self, criterion: Criterion | None = None) -> Decimal | None:
        """The highest value that may be entered (None: a measured value has no upper bound)."""
        if criterion is not None:
            return criterion.max_points
        return None if self.converted else self.full_marks

    def convert_milli(self, raw_milli: int) -> int:
        """Points (× 1000) for a measured value (× 1000) by the step table; 0 beyond its last step."""
        limits = [to_milli(c.limit) for c in self.conversions]
        if self.lower_is_better:  # table ascending by limit: the first limit at or above the value
            i = bisect_left(limits, raw_milli)
            return to_milli(self.conversions[i].points) if i < len(limits) else 0
        i = bisect_right(limits, raw_milli) - 1  # highest limit at or below the value
        return to_milli(self.conversions[i].points) if i >= 0 else 0

    def conversion_text(self, raw_milli: int) -> str:
        """How a measured value became points, for the explanation ("用时 212.4秒 ≤ 215秒 → 95分")."""
        raw = fmt_decimal(places(raw_milli, self.raw_decimals))
        limits = [to_milli(c.limit) for c in self.conversions]
        unit = self.raw_unit
        if self.lower_is_better:
            i = bisect_left(limits, raw_milli)
            if i < len(limits):
                c = self.conversions[i]
                return f"成绩 {raw}{unit} ≤ {fmt_decimal(c.limit)}{unit} → {fmt_decimal(c.points)}分"
            return f"成绩 {raw}{unit} 超出换算表（> {fmt_decimal(self.conversions[-1].limit)}{unit}）→ 0分"
        i = bisect_right(limits, raw_milli) - 1
        if i >= 0:
            c = self.conversions[i]
            return f"成绩 {raw}{unit} ≥ {fmt_decimal(c.limit)}{unit} → {fmt_decimal(c.points)}分"
        return f"成绩 {raw}{unit} 低于换算表（< {fmt_decimal(self.conversions[0].limit)}{unit}）→ 0分"


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def _check_places(value: Decimal, most: int, what: str) -> None:
    if decimals_of(value) > most:
        raise ContestError(f"{what}最多保留{most}位小数")


def validate_contest(spec: NewContest) -> None:
    """Raise ContestError for contest details that cannot be stored as given."""
    if not spec.name.strip():
        raise ContestError("比武名称不能为空")
    if spec.start_date and spec.end_date and spec.end_date < spec.start_date:
        raise ContestError("结束日期早于开始日期")
    if spec.team_mode not in (TEAM_SUM, TEAM_BEST):
        raise ContestError(f"团体计分方式应为“{TEAM_SUM}”或“{TEAM_BEST}”")
    if spec.team_mode == TEAM_BEST and (not spec.team_best_n or spec.team_best_n < 1):
        raise ContestError("按前N名计团体成绩时须给出N")


def create_contest(db: Database, spec: NewContest) -> Contest:
    validate_contest(spec)
    name = spec.name.strip()
    with db.atomic():
        cur = db.execute(
            "INSERT INTO contests (uid, name, start_date, end_date, venue, organiser, team_mode, team_best_n,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [secrets.token_hex(16), name, iso(spec.start_date) or None, iso(spec.end_date) or None,
             spec.venue.strip(), spec.organiser.strip(), spec.team_mode,
             spec.team_best_n if spec.team_mode == TEAM_BEST else None, _now()])
    found = get_contest(db, int(cur.lastrowid or 0))
    assert found is not None
    return found


_CONTEST_COLS = "id, uid, name, start_date, end_date, venue, organiser, team_mode, team_best_n, pin_hash, created_at"


def _contest(r: Sequence[Any]) -> Contest:
    return Contest(int(r[0]), str(r[1]), str(r[2]), from_iso(r[3]), from_iso(r[4]), str(r[5]), str(r[6]), str(r[7]),
                   r[8], bool(r[9]), str(r[10]))


def get_contest(db: Database, contest_id: int) -> Contest | None:
    row = db.execute(f"SELECT {_CONTEST_COLS} FROM contests WHERE id = ?", [contest_id]).fetchone()
    return _contest(row) if row else None


def require_contest(db: Database, contest_id: int) -> Contest:
    found = get_contest(db, contest_id)
    if found is None:
        raise ContestError(f"没有编号为{contest_id}的比武")
    return found


def all_contests(db: Database) -> list[Contest]:
    return [_contest(r) for r in db.execute(f"SELECT {_CONTEST_COLS} FROM contests ORDER BY id")]


def set_team_mode(db: Database, contest_id: int, mode: str, best_n: int | None = None) -> None:
    if mode not in (TEAM_SUM, TEAM_BEST) or (mode == TEAM_BEST and not best_n):
        raise ContestError("团体计分方式应为“合计”，或“前N名”并给出N")
    with db.atomic():
        db.execute("UPDATE contests SET team_mode = ?, team_best_n = ? WHERE id = ?",
                   [mode, best_n if mode == TEAM_BEST else None, contest_id])


def validate_item(spec: NewItem) -> None:
    """Raise ContestError for an item that cannot be scored as given."""
    if not spec.name.strip():
        raise ContestError("项目名称不能为空")
    if spec.method not in METHODS:
        raise ContestError(f"未知计分方式“{spec.method}”")
    if spec.rubric_method not in (DROP_HIGH_LOW, AVERAGE):
        raise ContestError(f"评分细则的汇总方式应为“{DROP_HIGH_LOW}”或“{AVERAGE}”")
    if not 0 <= spec.decimals <= MAX_DECIMALS:
        raise ContestError(f"小数位应为0到{MAX_DECIMALS}")
    if spec.full_marks <= 0:
        raise ContestError("满分应大于0")
    _check_places(spec.full_marks, spec.decimals, "满分")
    if spec.kind == TEAM:  # a team item's weight adds to the team score only: 0 is allowed
        if not 0 <= spec.weight <= 100:
            raise ContestError("团体项目的权重应在0到100之间")
    elif not 0 < spec.weight <= 100:
        raise ContestError("权重应大于0且不超过100")
    _check_places(spec.weight, 2, "权重")
    if spec.tiebreak is not None and spec.tiebreak < 1:
        raise ContestError("决胜顺序应为正整数")
    if spec.max_spread is not None:
        if spec.max_spread < 0:
            raise ContestError("分差上限不能为负数")
        _check_places(spec.max_spread, MAX_DECIMALS, "分差上限")
    if spec.kind not in (SOLO, TEAM):
        raise ContestError("项目类型应为“个人”或“团体”")


def add_item(db: Database, contest_id: int, spec: NewItem) -> Item:
    validate_item(spec)
    with db.atomic():
        check_item_unique(db, contest_id, spec)
        order = db.execute("SELECT COALESCE(MAX(sort_order), 0) + 1 FROM contest_items WHERE contest_id = ?",
                           [contest_id]).fetchone()[0]
        cur = db.execute(
            "INSERT INTO contest_items (contest_id, name, kind, method, rubric_method, full_marks_x1000, weight_x100,"
            " decimals, tiebreak, max_spread_x1000, blind, sort_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [contest_id, spec.name.strip(), spec.kind, spec.method, spec.rubric_method, to_milli(spec.full_marks),
             int(spec.weight * 100), spec.decimals, spec.tiebreak,
             to_milli(spec.max_spread) if spec.max_spread is not None else None, int(spec.blind), order])
    return require_item(db, int(cur.lastrowid or 0))


def check_item_unique(db: Database, contest_id: int, spec: NewItem, *, except_id: int | None = None) -> None:
    """Refuse a name or 决胜顺序 another item of the contest already has (`except_id`: the item being edited)."""
    other = -1 if except_id is None else except_id
    if db.execute("SELECT 1 FROM contest_items WHERE contest_id = ? AND name = ? AND id != ?",
                  [contest_id, spec.name.strip(), other]).fetchone():
        raise ContestError(f"已有名为“{spec.name.strip()}”的项目")
    if spec.tiebreak is not None and db.execute(
            "SELECT 1 FROM contest_items WHERE contest_id = ? AND tiebreak = ? AND id != ?",
            [contest_id, spec.tiebreak, other]).fetchone():
        raise ContestError(f"决胜顺序{spec.tiebreak}已给了另一个项目")


def set_criteria(db: Database, item_id: int, criteria: Sequence[tuple[str, Decimal]]) -> Item:
    """Replace a 评分细则 item's criteria; their maxima must add up to the item's 满分."""
    item = require_item(db, item_id)
    if item.method != RUBRIC:
        raise ContestError(f"“{item.name}”不是评分细则项目")
    _refuse_if_scored(db, item)
    names = [n.strip() for n, _m in criteria]
    if not criteria or any(not n for n in names) or len(set(names)) != len(names):
        raise ContestError("评分细则应有名称各不相同的细则")
    for name, most in criteria:
        if most <= 0:
            raise ContestError(f"细则“{name}”的满分应大于0")
        _check_places(most, item.decimals, f"细则“{name}”的满分")
    total = sum((m for _n, m in criteria), Decimal(0))
    if total != item.full_marks:
        raise ContestError(f"各细则满分合计为{fmt_decimal(total)}，应等于项目满分{fmt_decimal(item.full_marks)}")
    with db.atomic():
        db.execute("DELETE FROM contest_criteria WHERE item_id = ?", [item_id])
        db.conn.executemany(
            "INSERT INTO contest_criteria (item_id, name, max_x1000, sort_order) VALUES (?, ?, ?, ?)",
            [(item_id, name, to_milli(most), i)
             for i, (name, (_n, most)) in enumerate(zip(names, criteria, strict=True))])
    return require_item(db, item_id)


def set_conversions(db: Database, item_id: int, table: Sequence[tuple[Decimal, Decimal]], *,
                    lower_is_better: bool = True, unit: str = "", raw_decimals: int = 2) -> Item:
    """Give a 单一成绩 item a step table (measured value → points). Lower is better: a value up to a limit earns
    that limit's points (time); higher is better: a value from a limit up (distance, count)."""
    item = require_item(db, item_id)
    if item.method != SINGLE:
        raise ContestError(f"“{item.name}”不是单一成绩项目")
    _refuse_if_scored(db, item)
    if not table:
        raise ContestError("换算表不能为空")
    if not 0 <= raw_decimals <= MAX_DECIMALS:
        raise ContestError(f"成绩的小数位应为0到{MAX_DECIMALS}")
    rows = sorted(table)
    limits = [limit for limit, _p in rows]
    if len(set(limits)) != len(limits):
        raise ContestError("换算表中有重复的成绩界限")
    for limit, points in rows:
        if limit < 0 or points < 0 or points > item.full_marks:
            raise ContestError(f"换算表的分数应在0到满分{fmt_decimal(item.full_marks)}之间")
        _check_places(limit, raw_decimals, "成绩界限")
        _check_places(points, item.decimals, "换算分数")
    pts = [p for _l, p in rows]
    if pts != sorted(pts, reverse=lower_is_better):
        raise ContestError("换算表的分数应随成绩变好而不降低")
    with db.atomic():
        db.execute("DELETE FROM contest_conversions WHERE item_id = ?", [item_id])
        db.conn.executemany("INSERT INTO contest_conversions (item_id, limit_x1000, points_x1000) VALUES (?, ?, ?)",
                            [(item_id, to_milli(limit), to_milli(p)) for limit, p in rows])
        db.execute("UPDATE contest_items SET lower_is_better = ?, raw_unit = ?, raw_decimals = ? WHERE id = ?",
                   [int(lower_is_better), unit, raw_decimals, item_id])
    return require_item(db, item_id)


def item_has_scores(db: Database, item_id: int) -> bool:
    """Whether any score is stored for the item (its rules, codes and judges are then fixed)."""
    return db.execute("SELECT 1 FROM contest_scores WHERE item_id = ? LIMIT 1", [item_id]).fetchone() is not None


def _refuse_if_scored(db: Database, item: Item) -> None:
    if item_has_scores(db, item.id):
        raise ContestError(f"“{item.name}”已有成绩，不能再修改评分规则")


_ITEM_COLS = ("id, contest_id, name, method, full_marks_x1000, weight_x100, decimals, tiebreak, max_spread_x1000,"
              " rubric_method, kind, blind, raw_unit, raw_decimals, lower_is_better, sort_order, locked_at, locked_by")


def _load_items(db: Database, where: str, args: list[object]) -> list[Item]:
    rows = db.execute(f"SELECT {_ITEM_COLS} FROM contest_items WHERE {where} ORDER BY sort_order, id", args).fetchall()
    if not rows:
        return []
    ids = [r[0] for r in rows]
    marks = ", ".join("?" * len(ids))
    crit: dict[int, list[Criterion]] = {}
    for cid, item_id, name, most in db.execute(
            f"SELECT id, item_id, name, max_x1000 FROM contest_criteria WHERE item_id IN ({marks})"
            " ORDER BY sort_order, id", ids):
        crit.setdefault(item_id, []).append(Criterion(cid, name, _dec(most)))
    conv: dict[int, list[Conversion]] = {}
    for item_id, limit, pts in db.execute(
            f"SELECT item_id, limit_x1000, points_x1000 FROM contest_conversions WHERE item_id IN ({marks})"
            " ORDER BY limit_x1000", ids):
        conv.setdefault(item_id, []).append(Conversion(_dec(limit), _dec(pts)))
    out = []
    for r in rows:
        decimals = int(r[6])
        out.append(Item(
            id=r[0], contest_id=r[1], name=r[2], method=r[3], full_marks=_dec(r[4]),
            weight=_dec(r[5], 2), decimals=decimals, tiebreak=r[7],
            max_spread=_dec(r[8]) if r[8] is not None else None, rubric_method=r[9], kind=r[10], blind=bool(r[11]),
            raw_unit=r[12], raw_decimals=r[13], lower_is_better=bool(r[14]), sort_order=r[15], locked_at=r[16],
            locked_by=r[17], criteria=tuple(crit.get(r[0], ())), conversions=tuple(conv.get(r[0], ()))))
    return out


def _dec(scaled: int, exponent: int = 3) -> Decimal:
    """Thousandths (or hundredths) → the shortest exact Decimal (85500 → 85.5); never in exponent notation."""
    value = Decimal(scaled).scaleb(-exponent).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def items(db: Database, contest_id: int) -> list[Item]:
    return _load_items(db, "contest_id = ?", [contest_id])


def get_item(db: Database, item_id: int) -> Item | None:
    found = _load_items(db, "id = ?", [item_id])
    return found[0] if found else None


def require_item(db: Database, item_id: int) -> Item:
    found = get_item(db, item_id)
    if found is None:
        raise ContestError("项目不存在")
    return found


def weights_problem(all_items: Sequence[Item]) -> str | None:
    """'权重合计为90，应为100' when the 个人 items' weights do not add up to 100, else None.

    The 个人 items make the individual 总分, so their weights sum to 100. 团体 items have weights of their own
    (any from 0 to 100): each adds item score ÷ 满分 × 权重 to the team score (trainer.ranking.team_ranking).
    The workbook's 类型 column (个人 by default) says which is which."""
    solo = [it for it in all_items if not it.team]
    total = sum((it.weight for it in solo), Decimal(0))
    if total != 100:
        what = "个人项目权重合计" if len(solo) != len(all_items) else "权重合计"
        return f"{what}为{fmt_decimal(total)}，应为100"
    return None


def tiebreak_items(all_items: Sequence[Item]) -> list[Item]:
    """Items that break ties on 总分, in 决胜顺序 (1 first)."""
    return sorted((it for it in all_items if it.tiebreak is not None), key=lambda it: it.tiebreak or 0)
