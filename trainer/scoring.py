"""Score entry on the main laptop: one value per slot, checked as typed; every change after first entry
logged; double entry by a second clerk; deductions (扣分) with a reason.

    ctx = scoring.ScoringContext.load(db, contest_id)          # items + panel; reuse across keystrokes
    scoring.enter_score(db, Slot(item_id, competitor_id, judge_id), "85.5", "记分员李明", ctx=ctx)
    scoring.enter_score(db, slot, "86", "记分员李明", reason="评委更正笔误")  # a change needs a reason
    scoring.clear_score(db, slot, "记分员李明", reason="误录")                # back to "not scored"
    scoring.enter_check(db, slot, "85.5", "记分员王芳")                      # double entry (another clerk)
    scoring.double_entry_status(db, item_id).mismatches                     # shown, never merged silently
    scoring.resolve_mismatch(db, slot, "85.5", pin, "裁判长", reason="核对原始评分表")  # the chief judge's PIN
    scoring.add_deduction(db, item_id, competitor_id, Decimal(2), "超时30秒", "裁判长")
    scoring.progress(db, contest_id); scoring.missing_scores(db, contest_id); scoring.score_changes(db, contest_id)

A slot is (item, competitor, judge, criterion): 单一成绩 has no judge, 评分细则 has a criterion. "Not scored"
is the absence of a value and is distinct from 0. Values are refused when below 0, above the maximum (the
item's 满分, a criterion's maximum; a measured value for a conversion table has none) or with more decimals
than the item allows; slots are refused for a locked item, a judge not assigned to the item, and a judge
of the competitor's own unit (回避). The same checks serve typing, `contest scores import` and judges'
files, through ScoringContext.slot_problem and .parse_value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlite_utils import Database

from trainer import audit, contest, contest_pin
from trainer.blind import Sealing, is_sealed
from trainer.contest import Criterion, Item
from trainer.contest_people import Competitor, Judge, Panel, team_unit_id
from trainer.contest_values import ValueProblem, parse_number, show_plain, to_milli

ITEM, DRAW, JUDGE, CRITERION, SCORE = "项目名称", "抽签号", "评委编号", "评分细则", "分数"
ENTERED, IMPORTED, RESOLVED = "录入", "导入", "复核裁定"


class ScoreError(ValueError):
    """A refused entry; the message is for the user."""


@dataclass(frozen=True)
class Slot:
    item_id: int
    competitor_id: int
    judge_id: int | None = None
    criterion_id: int | None = None


@dataclass(frozen=True)
class EntryResult:
    slot: Slot
    old: Decimal | None
    new: Decimal | None
    changed: bool


@dataclass(frozen=True)
class MissingScore:
    item: Item
    competitor: Competitor
    judge: Judge | None
    criteria: tuple[str, ...] = ()  # 评分细则: the criteria still unscored by this judge

    def line(self) -> str:
        """One line of the ranking's refusal: item, draw number (队号 for a 团体 item) and judge."""
        text = f"缺少成绩: 项目 {self.item.name}, {self.competitor.number_label} {self.competitor.number}"
        if self.judge is not None:
            text += f", 评委 {self.judge.code}"
        if self.criteria:
            text += f"（细则：{'、'.join(self.criteria)}）"
        return text


@dataclass(frozen=True)
class ItemProgress:
    item: Item
    entered: int
    expected: int

    @property
    def done(self) -> bool:
        return self.entered >= self.expected


@dataclass(frozen=True)
class Progress:
    items: tuple[ItemProgress, ...]

    @property
    def entered(self) -> int:
        return sum(p.entered for p in self.items)

    @property
    def expected(self) -> int:
        return sum(p.expected for p in self.items)


@dataclass(frozen=True)
class Mismatch:
    slot: Slot
    first: Decimal | None   # None: the first entry has no value for this slot
    second: Decimal
    first_by: str
    second_by: str


@dataclass(frozen=True)
class DoubleEntryStatus:
    checked: int            # slots the second clerk entered
    matched: int
    unchecked: int          # first entries the second clerk has not re-entered yet
    mismatches: tuple[Mismatch, ...]


@dataclass(frozen=True)
class Deduction:
    id: int
    item_id: int
    competitor_id: int
    points: Decimal
    reason: str
    entered_by: str
    entered_at: str


@dataclass(frozen=True)
class ScoreChange:
    """One change after first entry, as the change log shows it."""
    at: str
    actor: str
    action: str
    item: str
    draw_no: int | None  # 抽签号 (队号 for a team); None on a blind item before its lock
    number: str          # as the change log shows it: '5', or '密封编号B267' on a blind item before its lock
    judge: str
    criterion: str
    old: str
    new: str
    reason: str


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


@dataclass
class ScoringContext:
    """The contest's items and people, loaded once, to check slots and values without a query each."""
    contest_id: int
    items: dict[int, Item]
    panel: Panel

    @classmethod
    def load(cls, db: Database, contest_id: int) -> ScoringContext:
        return cls(contest_id, {it.id: it for it in contest.items(db, contest_id)}, Panel.load(db, contest_id))

    def item(self, item_id: int) -> Item:
        found = self.items.get(item_id)
        if found is None:
            raise ScoreError("项目不属于本次比武")
        return found

    def criterion(self, item: Item, criterion_id: int | None) -> Criterion | None:
        return next((c for c in item.criteria if c.id == criterion_id), None)

    def slot_problem(self, slot: Slot) -> tuple[str, str] | None:
        """(column, reason) when nobody may enter a value in this slot, else None."""
        item = self.items.get(slot.item_id)
        if item is None:
            return ITEM, "未知项目"
        if item.locked:
            return ITEM, f"项目“{item.name}”已锁定，成绩不能再修改"
        comp = self.panel.by_id.get(slot.competitor_id)
        if comp is None:
            return DRAW, "未知选手"
        if not self.panel.takes_part(item, comp):
            return DRAW, (f"“{item.name}”是团体项目，按队伍评分（抽签号填队号）" if item.team
                          else f"“{item.name}”是个人项目，不能为参赛队伍评分")
        if not item.judged:
            if slot.judge_id is not None:
                return JUDGE, f"“{item.name}”是单一成绩项目，不填评委编号"
        else:
            if slot.judge_id is None:
                return JUDGE, f"“{item.name}”由评委评分，须填写评委编号"
            judge = self.panel.judge_by_id.get(slot.judge_id)
            if judge is None:
                return JUDGE, "未知评委"
            if judge.id not in self.panel.assigned.get(item.id, []):
                return JUDGE, f"评委{judge.code}未分配评“{item.name}”"
            if self.panel.recused(judge, comp):
                who = (f"{comp.label}（本单位队伍）" if comp.is_team else
                       "该选手" if is_sealed(item) else f"{comp.draw_no}号选手")  # a code never meets a number
                return JUDGE, (f"回避：评委{judge.code}（{self.panel.judge_unit_text(judge)}）与{who}"
                               f"同属{self.panel.team_name(comp)}，不能为其评分")
        if item.method == contest.RUBRIC:
            if slot.criterion_id is None:
                return CRITERION, f"“{item.name}”按评分细则计分，须填写细则名称"
            if self.criterion(item, slot.criterion_id) is None:
                return CRITERION, "未知细则"
        elif slot.criterion_id is not None:
            return CRITERION, f"“{item.name}”不按评分细则计分，不填细则"
        return None

    def parse_value(self, slot: Slot, raw: object) -> Decimal:
        """The typed value for this slot, or ValueProblem with the reason."""
        item = self.item(slot.item_id)
        crit = self.criterion(item, slot.criterion_id)
        label = f"细则“{crit.name}”满分" if crit is not None else "满分"
        what = "成绩" if item.converted else "分数"
        return parse_number(raw, decimals=item.entry_decimals(), maximum=item.entry_maximum(crit), what=what,
                            maximum_label=label)

    def check(self, slot: Slot, raw: object) -> int:
        """Slot and value checked; the value in thousandths. Raises ScoreError."""
        problem = self.slot_problem(slot)
        if problem:
            raise ScoreError(problem[1])
        try:
            return to_milli(self.parse_value(slot, raw))
        except ValueProblem as exc:
            raise ScoreError(str(exc)) from None


_SLOT_WHERE = "item_id = ? AND competitor_id = ? AND IFNULL(judge_id, 0) = ? AND IFNULL(criterion_id, 0) = ?"


def _slot_args(slot: Slot) -> list[object]:
    return [slot.item_id, slot.competitor_id, slot.judge_id or 0, slot.criterion_id or 0]


def _stored(db: Database, slot: Slot, table: str = "contest_scores") -> tuple[int, str] | None:
    row = db.execute(f"SELECT value_x1000, entered_by FROM {table} WHERE {_SLOT_WHERE}", _slot_args(slot)).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def _dec(milli: int | None) -> Decimal | None:
    return Decimal(show_plain(milli)) if milli is not None else None


def _entry(action: str, actor: str, ctx: ScoringContext, slot: Slot, old: int | None, new: int | None,
           reason: str = "", detail: str = "") -> audit.Entry:
    return audit.Entry(action, actor, ctx.contest_id, slot.item_id, slot.competitor_id, slot.judge_id,
                       slot.criterion_id, show_plain(old) if old is not None else "",
                       show_plain(new) if new is not None else "", reason, detail)


def _context(db: Database, slot: Slot, ctx: ScoringContext | None) -> ScoringContext:
    if ctx is not None:
        return ctx
    row = db.execute("SELECT contest_id FROM contest_items WHERE id = ?", [slot.item_id]).fetchone()
    if row is None:
        raise ScoreError("项目不存在")
    return ScoringContext.load(db, int(row[0]))


def _fresh_lock_state(db: Database, ctx: ScoringContext, item_id: int) -> None:
    """A context may outlive a lock taken since it was loaded: the database has the last word."""
    row = db.execute("SELECT locked_at FROM contest_items WHERE id = ?", [item_id]).fetchone()
    if row and row[0] is not None:
        raise ScoreError(f"项目“{ctx.item(item_id).name}”已锁定，成绩不能再修改")


def enter_score(db: Database, slot: Slot, value: object, actor: str, *, reason: str = "", source: str = ENTERED,
                origin: str = "", ctx: ScoringContext | None = None) -> EntryResult:
    """Store a value. The first value needs no reason; changing a stored value does (ScoreError without)."""
    ctx = _context(db, slot, ctx)
    new = ctx.check(slot, value)
    with db.atomic():
        _fresh_lock_state(db, ctx, slot.item_id)
        stored = _stored(db, slot)
        now = _now()
        if stored is None:
            db.execute("INSERT INTO contest_scores (item_id, competitor_id, judge_id, criterion_id, value_x1000,"
                       " source, origin, entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [slot.item_id, slot.competitor_id, slot.judge_id, slot.criterion_id, new, source, origin,
                        actor, now])
            audit.append(db, _entry(audit.SCORE_ENTER, actor, ctx, slot, None, new, detail=source))
            return EntryResult(slot, None, _dec(new), True)
        old = stored[0]
        if old == new:
            return EntryResult(slot, _dec(old), _dec(new), False)
        if not reason.strip():
            raise ScoreError(f"该成绩已录入为{show_plain(old)}，修改须说明原因")
        db.execute(f"UPDATE contest_scores SET value_x1000 = ?, source = ?, origin = ?, updated_by = ?, updated_at = ?"
                   f" WHERE {_SLOT_WHERE}", [new, source, origin, actor, now, *_slot_args(slot)])
        audit.append(db, _entry(audit.SCORE_CHANGE, actor, ctx, slot, old, new, reason.strip(), source))
        return EntryResult(slot, _dec(old), _dec(new), True)


def clear_score(db: Database, slot: Slot, actor: str, reason: str, *, ctx: ScoringContext | None = None) -> EntryResult:
    """Back to "not scored" (not 0); needs a reason."""
    ctx = _context(db, slot, ctx)
    problem = ctx.slot_problem(slot)
    if problem:
        raise ScoreError(problem[1])
    if not reason.strip():
        raise ScoreError("撤销已录入的成绩须说明原因")
    with db.atomic():
        _fresh_lock_state(db, ctx, slot.item_id)
        stored = _stored(db, slot)
        if stored is None:
            return EntryResult(slot, None, None, False)
        db.execute(f"DELETE FROM contest_scores WHERE {_SLOT_WHERE}", _slot_args(slot))
        audit.append(db, _entry(audit.SCORE_CLEAR, actor, ctx, slot, stored[0], None, reason.strip()))
    return EntryResult(slot, _dec(stored[0]), None, True)


def get_score(db: Database, slot: Slot) -> Decimal | None:
    stored = _stored(db, slot)
    return _dec(stored[0]) if stored else None


def stored_values(db: Database, contest_id: int) -> dict[Slot, int]:
    """Every stored value of a contest (thousandths) by slot."""
    rows = db.execute("SELECT s.item_id, s.competitor_id, s.judge_id, s.criterion_id, s.value_x1000"
                      " FROM contest_scores s JOIN contest_items i ON i.id = s.item_id WHERE i.contest_id = ?",
                      [contest_id])
    return {Slot(r[0], r[1], r[2], r[3]): r[4] for r in rows}


def _slot_values(db: Database, table: str, item_id: int) -> dict[Slot, int]:
    rows = db.execute(f"SELECT item_id, competitor_id, judge_id, criterion_id, value_x1000 FROM {table}"
                      " WHERE item_id = ?", [item_id])
    return {Slot(r[0], r[1], r[2], r[3]): r[4] for r in rows}


def item_values(db: Database, item_id: int) -> dict[Slot, int]:
    """One item's stored values (thousandths) by slot: what the entry grid of that item shows."""
    return _slot_values(db, "contest_scores", item_id)


def bulk_enter(db: Database, ctx: ScoringContext, values: Sequence[tuple[Slot, int]], actor: str, *,
               source: str = IMPORTED, origin: str = "") -> int:
    """Insert first values for empty slots (an import already checked them); one audit entry each.
    The caller owns the transaction; a slot that is not empty fails the whole batch (unique index)."""
    now = _now()
    db.conn.executemany(
        "INSERT INTO contest_scores (item_id, competitor_id, judge_id, criterion_id, value_x1000, source, origin,"
        " entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(s.item_id, s.competitor_id, s.judge_id, s.criterion_id, v, source, origin, actor, now) for s, v in values])
    audit.append_many(db, [_entry(audit.SCORE_ENTER, actor, ctx, s, None, v, detail=source) for s, v in values], now)
    return len(values)


# ---- completeness -----------------------------------------------------------------------------

def expected_slots(ctx: ScoringContext, item: Item, comp: Competitor) -> list[Slot]:
    if not item.judged:
        return [Slot(item.id, comp.id)]
    crits: list[int | None] = [c.id for c in item.criteria] if item.method == contest.RUBRIC else [None]
    return [Slot(item.id, comp.id, j.id, k) for j in ctx.panel.expected_judges(item, comp) for k in crits]


def missing_scores(db: Database, contest_id: int, ctx: ScoringContext | None = None,
                   stored: dict[Slot, int] | None = None) -> list[MissingScore]:
    """Every value still to be entered, by item (sheet order), draw number and judge; a judge's missing
    criteria are one line."""
    ctx = ctx or ScoringContext.load(db, contest_id)
    have = stored if stored is not None else stored_values(db, contest_id)
    out = []
    for item in ctx.items.values():
        for comp in ctx.panel.entrants(item):
            if not item.judged:
                if Slot(item.id, comp.id) not in have:
                    out.append(MissingScore(item, comp, None))
                continue
            for judge in ctx.panel.expected_judges(item, comp):
                if item.method == contest.RUBRIC:
                    gone = tuple(c.name for c in item.criteria if Slot(item.id, comp.id, judge.id, c.id) not in have)
                    if gone:
                        out.append(MissingScore(item, comp, judge, gone if len(gone) < len(item.criteria) else ()))
                elif Slot(item.id, comp.id, judge.id) not in have:
                    out.append(MissingScore(item, comp, judge))
    return out


def progress(db: Database, contest_id: int, ctx: ScoringContext | None = None) -> Progress:
    ctx = ctx or ScoringContext.load(db, contest_id)
    entered = dict(db.execute("SELECT s.item_id, COUNT(*) FROM contest_scores s JOIN contest_items i"
                              " ON i.id = s.item_id WHERE i.contest_id = ? GROUP BY s.item_id",
                              [contest_id]).fetchall())
    out = []
    for item in ctx.items.values():
        out.append(ItemProgress(item, int(entered.get(item.id, 0)), _expected_count(ctx, item)))
    return Progress(tuple(out))


def _expected_count(ctx: ScoringContext, item: Item) -> int:
    """Σ len(expected_slots) over the item's entrants. Recusal depends on the entrant's team only, so each
    team is counted once (a 200-competitor contest's progress is read after every burst of keys)."""
    panel = ctx.panel
    per_team: dict[int, int] = {}
    total = 0
    for comp in panel.entrants(item):
        own = panel.team_of.get(comp.id)
        team = own if own is not None else team_unit_id(panel.units, comp.unit_id)
        n = per_team.get(team)
        if n is None:
            n = per_team[team] = len(expected_slots(ctx, item, comp))
        total += n
    return total


# ---- double entry -----------------------------------------------------------------------------

def enter_check(db: Database, slot: Slot, value: object, actor: str, *, ctx: ScoringContext | None = None) -> None:
    """The second clerk's value for a slot (paper sheets). Stored beside the first entry, never over it."""
    ctx = _context(db, slot, ctx)
    new = ctx.check(slot, value)
    with db.atomic():
        _fresh_lock_state(db, ctx, slot.item_id)
        first = _stored(db, slot)
        if first is not None and first[1] == actor:
            raise ScoreError("复核录入须由另一名录入员完成")
        check = _stored(db, slot, "contest_score_checks")
        if check is None:
            db.execute("INSERT INTO contest_score_checks (item_id, competitor_id, judge_id, criterion_id, value_x1000,"
                       " entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [slot.item_id, slot.competitor_id, slot.judge_id, slot.criterion_id, new, actor, _now()])
        elif check[0] != new:
            db.execute(f"UPDATE contest_score_checks SET value_x1000 = ?, entered_by = ?, entered_at = ?"
                       f" WHERE {_SLOT_WHERE}", [new, actor, _now(), *_slot_args(slot)])
        else:
            return
        audit.append(db, _entry(audit.SCORE_CHECK, actor, ctx, slot, check[0] if check else None, new))


def check_values(db: Database, item_id: int) -> dict[Slot, int]:
    """The second clerk's values for an item (thousandths) by slot: what the check-mode grid shows."""
    return _slot_values(db, "contest_score_checks", item_id)


def double_entry_status(db: Database, item_id: int) -> DoubleEntryStatus:
    """Second entries against first entries: a mismatch stays until the first entry equals the second or
    the chief judge's decision."""
    # Only the checked slots' first entries are read (through the slot index): most items have no second
    # pass at all, and the checks tab asks for every item.
    entered = int(db.execute("SELECT COUNT(*) FROM contest_scores WHERE item_id = ?", [item_id]).fetchone()[0])
    checked = matched = with_first = 0
    mismatches = []
    for r in db.execute(
            "SELECT c.item_id, c.competitor_id, c.judge_id, c.criterion_id, c.value_x1000, c.entered_by,"
            " c.resolved_x1000, s.value_x1000, s.entered_by FROM contest_score_checks c"
            " LEFT JOIN contest_scores s ON s.item_id = c.item_id AND s.competitor_id = c.competitor_id"
            " AND IFNULL(s.judge_id, 0) = IFNULL(c.judge_id, 0)"
            " AND IFNULL(s.criterion_id, 0) = IFNULL(c.criterion_id, 0)"
            " WHERE c.item_id = ? ORDER BY c.id", [item_id]):
        slot = Slot(r[0], r[1], r[2], r[3])
        checked += 1
        has_first = r[7] is not None
        with_first += has_first
        if has_first and (r[7] == r[4] or r[7] == r[6]):
            matched += 1
            continue
        mismatches.append(Mismatch(slot, _dec(r[7]) if has_first else None, Decimal(show_plain(r[4])),
                                   r[8] if has_first else "", r[5]))
    return DoubleEntryStatus(checked, matched, entered - with_first, tuple(mismatches))


def resolve_mismatch(db: Database, slot: Slot, value: object, pin: str, actor: str, reason: str, *,
                     ctx: ScoringContext | None = None) -> EntryResult:
    """The chief judge decides a double-entry mismatch with the PIN; the decision and its reason are logged.
    A missing reason is refused before the PIN is tried (a half-filled form costs no try); a wrong PIN raises
    LockError (trainer.contest_pin, counted toward the lock-out) and changes nothing."""
    if not reason.strip():
        raise ScoreError("裁定须说明原因（如：核对原始评分表）")
    ctx = _context(db, slot, ctx)
    ctx.item(slot.item_id)  # the PIN is the item's own contest's
    contest_pin.check_pin(db, ctx.contest_id, pin)
    decided = ctx.check(slot, value)
    with db.atomic():
        check = _stored(db, slot, "contest_score_checks")
        if check is None:
            raise ScoreError("该成绩没有复核录入")
        first = _stored(db, slot)
        result = enter_score(db, slot, value, actor, reason=reason, source=RESOLVED, ctx=ctx)
        db.execute(f"UPDATE contest_score_checks SET resolved_x1000 = ?, resolved_by = ?, resolved_at = ?,"
                   f" resolve_reason = ? WHERE {_SLOT_WHERE}", [decided, actor, _now(), reason.strip(),
                                                                 *_slot_args(slot)])
        audit.append(db, _entry(audit.SCORE_RESOLVE, actor, ctx, slot, first[0] if first else None, decided,
                                reason.strip(), f"复核值{show_plain(check[0])}"))
    return result


# ---- deductions -------------------------------------------------------------------------------

def add_deduction(db: Database, item_id: int, competitor_id: int, points: object, reason: str, actor: str, *,
                  ctx: ScoringContext | None = None) -> Deduction:
    """扣分 on an item, applied after aggregation and rounding."""
    slot = Slot(item_id, competitor_id)
    ctx = _context(db, slot, ctx)
    item = ctx.item(item_id)
    if item.locked:
        raise ScoreError(f"项目“{item.name}”已锁定，不能扣分")
    comp = ctx.panel.by_id.get(competitor_id)
    if comp is None:
        raise ScoreError("未知选手")
    if not ctx.panel.takes_part(item, comp):
        raise ScoreError(f"“{item.name}”是团体项目，扣分记在队伍上" if item.team else f"“{item.name}”是个人项目")
    if not reason.strip():
        raise ScoreError("扣分须说明原因")
    try:
        value = parse_number(points, decimals=item.decimals, maximum=item.full_marks, what="扣分", allow_zero=False)
    except ValueProblem as exc:
        raise ScoreError(str(exc)) from None
    now = _now()
    with db.atomic():
        _fresh_lock_state(db, ctx, item_id)
        cur = db.execute("INSERT INTO contest_deductions (item_id, competitor_id, points_x1000, reason, entered_by,"
                         " entered_at) VALUES (?, ?, ?, ?, ?, ?)",
                         [item_id, competitor_id, to_milli(value), reason.strip(), actor, now])
        audit.append(db, audit.Entry(audit.DEDUCTION_ADD, actor, ctx.contest_id, item_id, competitor_id,
                                     new=show_plain(to_milli(value)), reason=reason.strip()))
    return Deduction(int(cur.lastrowid or 0), item_id, competitor_id, value, reason.strip(), actor, now)


def remove_deduction(db: Database, deduction_id: int, actor: str, reason: str) -> None:
    if not reason.strip():
        raise ScoreError("撤销扣分须说明原因")
    with db.atomic():
        row = db.execute("SELECT d.item_id, d.competitor_id, d.points_x1000, i.contest_id, i.locked_at, i.name"
                         " FROM contest_deductions d JOIN contest_items i ON i.id = d.item_id WHERE d.id = ?",
                         [deduction_id]).fetchone()
        if row is None:
            raise ScoreError("扣分记录不存在")
        if row[4] is not None:
            raise ScoreError(f"项目“{row[5]}”已锁定，不能撤销扣分")
        db.execute("DELETE FROM contest_deductions WHERE id = ?", [deduction_id])
        audit.append(db, audit.Entry(audit.DEDUCTION_REMOVE, actor, row[3], row[0], row[1],
                                     old=show_plain(row[2]), reason=reason.strip()))


def deductions(db: Database, contest_id: int) -> list[Deduction]:
    rows = db.execute("SELECT d.id, d.item_id, d.competitor_id, d.points_x1000, d.reason, d.entered_by, d.entered_at"
                      " FROM contest_deductions d JOIN contest_items i ON i.id = d.item_id WHERE i.contest_id = ?"
                      " ORDER BY d.id", [contest_id])
    return [Deduction(r[0], r[1], r[2], Decimal(show_plain(r[3])), r[4], r[5], r[6]) for r in rows]


# ---- the change log ---------------------------------------------------------------------------

def score_changes(db: Database, contest_id: int, *, item_id: int | None = None,
                  competitor_id: int | None = None, ctx: ScoringContext | None = None) -> list[ScoreChange]:
    """Every change after first entry (修改, 撤销, 裁定): who, when, old, new, why. `ctx`: the contest's
    context when the caller has it loaded already."""
    ctx = ctx if ctx is not None and ctx.contest_id == contest_id else ScoringContext.load(db, contest_id)
    crit_names = {c.id: c.name for it in ctx.items.values() for c in it.criteria}
    seal = Sealing.load(db, ctx.items.values())  # a blind item before its lock names the code, never the number
    out = []
    for e in audit.entries(db, contest_id, actions=audit.SCORE_ACTIONS, item_id=item_id, competitor_id=competitor_id):
        item = ctx.items.get(e.item_id or 0)
        comp = ctx.panel.by_id.get(e.competitor_id or 0)
        judge = ctx.panel.judge_by_id.get(e.judge_id or 0)
        sealed = item is not None and seal.sealed(item)
        out.append(ScoreChange(e.at, e.actor, e.label, item.name if item else "",
                               comp.number if comp and not sealed else None,
                               seal.number(item, comp) if item and comp else "",
                               judge.code if judge else "", crit_names.get(e.criterion_id or 0, ""), e.old, e.new,
                               e.reason))
    return out

