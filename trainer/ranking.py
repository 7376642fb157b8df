"""The calculation rules of the contest, exactly, and the "why this rank" explanation.

    r = ranking.compute(db, contest_id)      # Ranking: standings (ranked, then incomplete), spread flags
    r.ranked[0].place, r.ranked[0].total, r.ranked[0].decision.text()
    ranking.explain(db, contest_id, competitor_id).lines()
    ranking.team_ranking(r)                  # teams by unit: members' totals (sum or best N) + 团体 items
    ranking.aggregate([85000, 90000, 80000], DROP_HIGH_LOW, decimals=2)   # one item, one competitor

Rules (issue 6, "Calculation rules"):
- An item's score aggregates its valid judge scores: 去掉最高最低取平均 drops ONE copy of the highest and ONE
  copy of the lowest and averages the rest (needs ≥ 3 scores); 平均分 averages them all; 单一成绩 is the one
  value (converted by the item's table when it has one); 评分细则 sums each judge's criteria first, then
  aggregates the sums by the item's rubric method. Valid scores are those of the assigned judges who are
  not recused; recusal leaves the remaining judges (trainer.contest_people).
- The aggregate is rounded to the item's decimals half-up (2.345 → 2.35), then deductions are subtracted.
- 总分 = Σ (item score ÷ 满分 × 权重), summed exactly and rounded once to 2 decimals half-up.
- Ties on 总分 are broken by the items in 决胜顺序 (higher item score wins); competitors still equal share the
  place and the next place is skipped (1, 2, 2, 4). Each standing records which step decided its place.
- A competitor whose judges differ by more than the item's 分差上限 is flagged (SpreadFlag), until the scores
  change or the chief judge overrides with a reason (trainer.contest_locks).
- 团体 items are scored per team (the team rows of trainer.contest_people) by the same rules, and are not in
  the individual ranking: 总分 and its columns are the 个人 items only (their weights sum to 100).
  团体成绩 = the members' aggregate (合计: the sum of the complete members' 总分; 前N名: of the best N) +
  Σ over 团体 items (team item score ÷ 满分 × 权重), the latter summed exactly and rounded once to 2 decimals
  half-up. A team with a 团体 item unscored is not ranked. Equal team scores are broken by the 团体 items in
  决胜顺序, then share the place (1, 2, 2, 4). TeamStanding.basis says how the score was built.

Speed: everything is integers (scores × 1000, totals × 100, exact rational sums with a common denominator);
SQLite does the per-slot grouping, Python the per-competitor arithmetic; Decimal is made only when a
standing is read. 2,000 competitors × 6 items × 7 judges rank in a few tens of milliseconds (bench/).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext

from sqlite_utils import Database

from trainer import contest
from trainer.blind import Sealing
from trainer.contest import DROP_HIGH_LOW, RUBRIC, SINGLE, Contest, ContestError, Item
from trainer.contest_people import Competitor, Judge, Panel
from trainer.contest_values import places, round_div_half_up, show, show_plain

TOTAL_DECIMALS = 2
UNITS = (1000, 100, 10, 1)  # thousandths per last kept digit, by the item's decimals


class RankingError(ContestError):
    """The ranking cannot be computed (e.g. weights do not add up to 100)."""


class InsufficientScores(ValueError):
    """Fewer scores than the method needs (去掉最高最低取平均 needs 3)."""


# ---- one item, one competitor ---------------------------------------------------------------

@dataclass(frozen=True)
class Aggregate:
    """An item's aggregate for one competitor, before deductions (all × 1000)."""
    score: int                  # rounded to the item's decimals
    used_sum: int               # sum of the values averaged
    used_count: int
    dropped_high: int | None    # index into the values of the dropped highest copy
    dropped_low: int | None


def aggregate_stats(method: str, count: int, total: int, high: int, low: int, decimals: int) -> int:
    """The rounded aggregate (× 1000) from count, sum, max and min of the values (× 1000)."""
    need = contest.MIN_SCORES.get(method, 1)
    if count < need:
        raise InsufficientScores(f"{method}至少需要{need}个评分，只有{count}个")
    unit = UNITS[decimals]
    if method == DROP_HIGH_LOW:
        return round_div_half_up(total - high - low, (count - 2) * unit) * unit
    return round_div_half_up(total, count * unit) * unit


def aggregate(values: Sequence[int], method: str, decimals: int) -> Aggregate:
    """Aggregate judge values (× 1000) by `method` (去掉最高最低取平均 or 平均分; 单一成绩: the one value)."""
    if method in (SINGLE, RUBRIC):
        method = contest.AVERAGE if method == SINGLE else DROP_HIGH_LOW
    if not values:
        raise InsufficientScores(f"{method}没有评分")
    high, low = max(values), min(values)
    score = aggregate_stats(method, len(values), sum(values), high, low, decimals)
    if method != DROP_HIGH_LOW:
        return Aggregate(score, sum(values), len(values), None, None)
    hi = values.index(high)
    # the last copy of the lowest: when every value is equal, the two dropped copies are still two judges
    lo = len(values) - 1 - values[::-1].index(low)
    return Aggregate(score, sum(values) - high - low, len(values) - 2, hi, lo)


# ---- results ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Decision:
    """Which step decided a place: 0 总分 alone; k ≥ 1 the k-th tie-break item; -1 a shared place."""
    step: int
    item_name: str = ""

    def text(self, what: str = "总分") -> str:
        if self.step == 0:
            return ""
        if self.step < 0:
            return f"并列（{what}及决胜项目均相同）"
        return f"{what}相同，按决胜项目{self.step}“{self.item_name}”决出"


@dataclass(frozen=True)
class Standing:
    competitor: Competitor
    unit: str
    team_unit_id: int
    team: str
    place: int | None                   # None: incomplete, not ranked
    item_milli: tuple[int | None, ...]  # final item scores (after deductions) in item order; None: incomplete
    total_x100: int | None
    decision: Decision | None
    # (item name, reason) for items that cannot be computed although every expected score is in
    shortfalls: tuple[tuple[str, str], ...] = ()
    decimals: tuple[int, ...] = field(default=(), repr=False)

    @property
    def complete(self) -> bool:
        return self.total_x100 is not None

    @property
    def total(self) -> Decimal | None:
        return Decimal(self.total_x100).scaleb(-2) if self.total_x100 is not None else None

    @property
    def item_scores(self) -> tuple[Decimal | None, ...]:
        return tuple(places(m, d) if m is not None else None for m, d in zip(self.item_milli, self.decimals,
                                                                             strict=True))

    def item_text(self, index: int) -> str:
        return show(self.item_milli[index], self.decimals[index])

    @property
    def total_text(self) -> str:
        return show(self.total_x100 * 10, TOTAL_DECIMALS) if self.total_x100 is not None else ""


@dataclass(frozen=True)
class SpreadFlag:
    item: Item
    competitor: Competitor
    spread_milli: int
    limit_milli: int
    overridden: bool
    # how the competitor may be named (trainer.blind): '密封编号B267' on a blind item before its lock
    label: str   # '5号'
    who: str     # '5号 顾娜'

    def text(self) -> str:
        state = "（已由裁判长确认）" if self.overridden else ""
        return (f"{self.item.name} {self.label}：评委分差{show_plain(self.spread_milli)}，"
                f"超过分差上限{show_plain(self.limit_milli)}{state}")

    @property
    def subject(self) -> str:
        """'执法文书制作 5号 顾娜' (the code alone on a sealed item): what a dialog about this flag is about."""
        return f"{self.item.name} {self.who}"


@dataclass(frozen=True)
class Ranking:
    contest: Contest
    items: tuple[Item, ...]             # the 个人 items: the individual ranking's columns, in sheet order
    standings: tuple[Standing, ...]     # ranked (by place, then draw number), then incomplete (by draw number)
    flags: tuple[SpreadFlag, ...]       # of every item, 个人 and 团体
    team_items: tuple[Item, ...] = ()   # the 团体 items, in sheet order
    # the team rows on the 团体 items (item_milli per team item, total_x100 = Σ score ÷ 满分 × 权重; place by
    # that alone), by 队号; team_ranking adds the members' totals
    team_entries: tuple[Standing, ...] = ()

    @property
    def ranked(self) -> list[Standing]:
        return [s for s in self.standings if s.place is not None]

    @property
    def incomplete(self) -> list[Standing]:
        return [s for s in self.standings if s.place is None]

    @property
    def open_flags(self) -> list[SpreadFlag]:
        return [f for f in self.flags if not f.overridden]

    def standing(self, competitor_id: int) -> Standing:
        """A competitor's standing, or a team row's standing on the 团体 items."""
        return next(s for group in (self.standings, self.team_entries) for s in group
                    if s.competitor.id == competitor_id)

    @property
    def all_items(self) -> tuple[Item, ...]:
        return tuple(sorted((*self.items, *self.team_items), key=lambda it: (it.sort_order, it.id)))


# ---- loading ----------------------------------------------------------------------------------

Stats = dict[int, dict[int, tuple[int, int, int, int]]]  # item → competitor → (count, sum, max, min)
Deductions = dict[int, dict[int, int]]  # item → competitor → points × 1000


def load_stats(db: Database, all_items: Sequence[Item]) -> Stats:
    """Per item and competitor: count, sum, max and min of the judge values (for 评分细则: of each judge's
    criterion sum, counting only judges who scored every criterion)."""
    plain = [it.id for it in all_items if it.method != RUBRIC]
    rubric = [it.id for it in all_items if it.method == RUBRIC]
    stats: Stats = {}
    if plain:
        marks = ", ".join("?" * len(plain))
        for item_id, comp_id, n, s, hi, lo in db.execute(
                "SELECT item_id, competitor_id, COUNT(*), SUM(value_x1000), MAX(value_x1000), MIN(value_x1000)"
                f" FROM contest_scores WHERE item_id IN ({marks}) GROUP BY item_id, competitor_id", plain):
            stats.setdefault(item_id, {})[comp_id] = (n, s, hi, lo)
    if rubric:
        marks = ", ".join("?" * len(rubric))
        for item_id, comp_id, n, s, hi, lo in db.execute(
                "SELECT item_id, competitor_id, COUNT(*), SUM(t), MAX(t), MIN(t) FROM ("
                " SELECT s.item_id, s.competitor_id, SUM(s.value_x1000) AS t, COUNT(*) AS k,"
                " (SELECT COUNT(*) FROM contest_criteria c WHERE c.item_id = s.item_id) AS need"
                f" FROM contest_scores s WHERE s.item_id IN ({marks})"
                " GROUP BY s.item_id, s.competitor_id, s.judge_id HAVING k = need)"
                " GROUP BY item_id, competitor_id", rubric):
            stats.setdefault(item_id, {})[comp_id] = (n, s, hi, lo)
    return stats


def load_deductions(db: Database, contest_id: int) -> Deductions:
    out: Deductions = {}
    for item_id, comp_id, points in db.execute(
            "SELECT d.item_id, d.competitor_id, SUM(d.points_x1000) FROM contest_deductions d"
            " JOIN contest_items i ON i.id = d.item_id WHERE i.contest_id = ? GROUP BY d.item_id, d.competitor_id",
            [contest_id]):
        out.setdefault(item_id, {})[comp_id] = points
    return out


def compute(db: Database, contest_id: int) -> Ranking:
    """The whole ranking, recomputed from the stored scores."""
    c = contest.require_contest(db, contest_id)
    all_items = contest.items(db, contest_id)
    if not all_items:
        raise RankingError("比武还没有项目")
    problem = contest.weights_problem(all_items)
    if problem:
        raise RankingError(problem)
    solo = [it for it in all_items if not it.team]
    team = [it for it in all_items if it.team]
    panel = Panel.load(db, contest_id)
    stats = load_stats(db, all_items)
    deductions = load_deductions(db, contest_id)
    standings = rank(solo, panel, stats, deductions)
    entries = rank(team, panel, stats, deductions, panel.team_entries) if team else []
    return Ranking(c, tuple(solo), tuple(standings), tuple(spread_flags(db, all_items, panel, stats)), tuple(team),
                   tuple(entries))


# ---- the ranking core -------------------------------------------------------------------------

def _expected_counts(item: Item, panel: Panel) -> tuple[int, Counter[int]]:
    """Judges assigned to the item, and how many of them each team unit's competitors lose to recusal."""
    if not item.judged:
        return 1, Counter()
    judge_ids = panel.assigned.get(item.id, [])
    teams = Counter(t for jid in judge_ids if (t := panel.judge_team(panel.judge_by_id[jid])) is not None)
    return len(judge_ids), teams


def rank(all_items: Sequence[Item], panel: Panel, stats: Stats, deductions: Deductions,
         entrants: Sequence[Competitor] | None = None) -> list[Standing]:
    """Standings from plain numbers: the calculation rules, in integers, one item (column) at a time.
    `entrants`: whom to rank (default: the individual competitors; the team rows for the 团体 items)."""
    comps = list(entrants) if entrants is not None else panel.competitors
    ids = [c.id for c in comps]
    teams = [panel.team_of[c.id] for c in comps]
    size = len(comps)
    denominator = math.lcm(*(it.full_milli for it in all_items))
    columns: list[list[int | None]] = []
    numerators = [0] * size
    complete = [True] * size
    short: dict[int, list[tuple[str, str]]] = {}
    for it in all_items:
        per = stats.get(it.id, {})
        ded = deductions.get(it.id, {})
        assigned, recused_by_team = _expected_counts(it, panel)
        expected = {t: assigned - recused_by_team.get(t, 0) for t in set(teams)}
        method = it.aggregate_method if it.judged else SINGLE
        need = contest.MIN_SCORES.get(method, 1)
        unit = UNITS[it.decimals]
        factor = it.weight_x100 * (denominator // it.full_milli)
        conv = it if it.converted else None
        col: list[int | None] = [None] * size
        for idx in range(size):
            st = per.get(ids[idx])
            if st is None or st[0] < expected[teams[idx]]:
                complete[idx] = False
                continue
            n, total, high, low = st
            if n < need:  # every expected judge scored, and still too few for the method
                complete[idx] = False
                short.setdefault(idx, []).append(
                    (it.name, f"{method}至少需要{need}个评分，回避后只有{n}名评委可评"))
                continue
            if method == DROP_HIGH_LOW:
                score = round_div_half_up(total - high - low, (n - 2) * unit) * unit
            elif method == SINGLE:
                score = round_div_half_up(conv.convert_milli(total) if conv is not None else total, unit) * unit
            else:
                score = round_div_half_up(total, n * unit) * unit
            score -= ded.get(ids[idx], 0)
            col[idx] = score
            numerators[idx] += score * factor
        columns.append(col)

    decimals = tuple(it.decimals for it in all_items)
    order = sorted((i for i, it in enumerate(all_items) if it.tiebreak is not None),
                   key=lambda i: all_items[i].tiebreak or 0)
    names = [all_items[i].name for i in order]
    last = 1 << 62  # undrawn competitors after drawn ones
    ranked = sorted(((-round_div_half_up(numerators[idx], denominator),
                      *(-(columns[t][idx] or 0) for t in order)), comps[idx].number or last, idx)
                    for idx in range(size) if complete[idx])
    keys = [k for k, _d, _i in ranked]
    out: list[Standing] = []
    place = 0
    for pos, (k, _draw, idx) in enumerate(ranked):
        if pos == 0 or k != keys[pos - 1]:
            place = pos + 1
        comp = comps[idx]
        out.append(Standing(comp, panel.unit_name(comp.unit_id), teams[idx], panel.unit_name(teams[idx]), place,
                            tuple(col[idx] for col in columns), -k[0], _decision(keys, pos, names),
                            tuple(short.get(idx, ())), decimals))
    for idx in sorted((i for i in range(size) if not complete[i]),
                      key=lambda i: (comps[i].number or last, comps[i].id)):
        comp = comps[idx]
        out.append(Standing(comp, panel.unit_name(comp.unit_id), teams[idx], panel.unit_name(teams[idx]), None,
                            tuple(col[idx] for col in columns), None, None, tuple(short.get(idx, ())), decimals))
    return out


def _decision(keys: Sequence[tuple[int, ...]], i: int, names: Sequence[str]) -> Decision:
    """The deepest step needed to tell this standing from its neighbours with the same 总分."""
    step = 0
    for j in (i - 1, i + 1):
        if not 0 <= j < len(keys) or keys[j][0] != keys[i][0]:
            continue
        differ = next((k for k in range(1, len(keys[i])) if keys[j][k] != keys[i][k]), None)
        if differ is None:
            return Decision(-1)
        step = max(step, differ)
    return Decision(step, names[step - 1] if step else "")


# ---- spread -----------------------------------------------------------------------------------

def scores_digest(values: Iterable[tuple[int | None, int | None, int]]) -> str:
    """Fingerprint of one item's raw scores for one competitor: an override is void once they change."""
    body = ";".join(f"{j or 0}/{k or 0}={v}" for j, k, v in sorted(values, key=lambda t: (t[0] or 0, t[1] or 0)))
    return hashlib.sha256(body.encode()).hexdigest()


def raw_values(db: Database, item_id: int, competitor_id: int) -> list[tuple[int | None, int | None, int]]:
    return [(r[0], r[1], r[2]) for r in db.execute(
        "SELECT judge_id, criterion_id, value_x1000 FROM contest_scores WHERE item_id = ? AND competitor_id = ?",
        [item_id, competitor_id])]


def spread_flags(db: Database, all_items: Sequence[Item], panel: Panel, stats: Stats | None = None) -> list[SpreadFlag]:
    """Competitors whose judges differ by more than the item's 分差上限 (≥ 2 scores), with override state."""
    stats = stats if stats is not None else load_stats(db, all_items)
    found: list[tuple[Item, Competitor, int, int, bool]] = []
    for it in all_items:
        if not it.judged or it.max_spread is None:
            continue
        limit = int(it.max_spread * 1000)
        overrides = {(r[0], r[1]) for r in db.execute(
            "SELECT competitor_id, digest FROM contest_spread_overrides WHERE item_id = ?", [it.id])}
        per = stats.get(it.id, {})
        for comp in panel.entrants(it):
            st = per.get(comp.id)
            if st is None or st[0] < 2 or st[2] - st[3] <= limit:
                continue
            digest = scores_digest(raw_values(db, it.id, comp.id)) if overrides else ""
            found.append((it, comp, st[2] - st[3], limit, (comp.id, digest) in overrides))
    # the codes only of the flagged items sealed now: a ranking keystroke rarely has any
    seal = Sealing.load(db, {it.id: it for it, *_rest in found}.values())
    return [SpreadFlag(it, comp, spread, limit, overridden, seal.label(it, comp), seal.who(it, comp))
            for it, comp, spread, limit, overridden in found]


# ---- teams ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TeamStanding:
    unit_id: int
    name: str
    place: int | None
    total_x100: int | None
    counted: tuple[Standing, ...]     # the members whose totals make the team score
    members: tuple[Standing, ...]     # every member (complete or not)
    note: str = ""
    entry: Standing | None = None     # the team's row on the 团体 items (None: the contest has none)
    members_x100: int | None = None   # the members' part (sum of the counted totals)
    basis: str = ""                   # how the score was built, when 团体 items add to it
    decision: Decision | None = None  # which 团体 tie-break item decided the place, when one did

    @property
    def total_text(self) -> str:
        return show(self.total_x100 * 10, TOTAL_DECIMALS) if self.total_x100 is not None else ""

    @property
    def decision_text(self) -> str:
        return self.decision.text("团体成绩") if self.decision is not None else ""

    @property
    def explanation(self) -> str:
        """The 说明 column: how the score was built, why it is missing or short, how a tie was broken."""
        return "；".join(t for t in (self.basis, self.note, self.decision_text) if t)


def _x100(value: int) -> str:
    return show(value * 10, TOTAL_DECIMALS)


def _team_basis(r: Ranking, best: int | None, members_x100: int, entry: Standing, total_x100: int) -> str:
    """'前4名个人总分合计341.25 + 团体项目折合18.50（队列会操 92.5 ÷ 100 × 20 = 18.5）= 359.75'."""
    who = f"前{best}名个人总分合计" if best else "个人总分合计"
    parts = []
    denominator = math.lcm(*(it.full_milli for it in r.team_items))
    numerator = 0
    for i, it in enumerate(r.team_items):
        score = entry.item_milli[i] or 0
        numerator += score * it.weight_x100 * (denominator // it.full_milli)
        parts.append(f"{it.name} {show(score, it.decimals)} ÷ {show_plain(it.full_milli)} × {it.weight} = "
                     f"{_exact(score * it.weight_x100, it.full_milli * 100, 6)}")
    items_x100 = entry.total_x100 or 0
    exact = _exact(numerator, denominator * 100, 6)
    total = f"，合计{exact}" if len(parts) > 1 else ""  # one item: its line already shows the exact figure
    rounded = total if exact == _exact(items_x100, 100, 6) else f"{total}，四舍五入保留2位"
    return (f"{who}{_x100(members_x100)} + 团体项目折合{_x100(items_x100)}"
            f"（{'；'.join(parts)}{rounded}）= {_x100(total_x100)}")


def team_ranking(r: Ranking) -> list[TeamStanding]:
    """Teams by unit: the sum of members' totals (合计) or of the best N (前N名), only complete members count,
    plus Σ (团体 item score ÷ 满分 × 权重) when the contest has 团体 items (a team missing one is not ranked).
    Equal team scores are broken by the 团体 items in 决胜顺序; teams still equal share the place (1, 2, 2, 4)."""
    best = r.contest.team_best_n if r.contest.team_mode == contest.TEAM_BEST else None
    by_team: dict[int, list[Standing]] = {}
    for s in r.standings:
        by_team.setdefault(s.team_unit_id, []).append(s)
    entries = {s.team_unit_id: s for s in r.team_entries}
    for unit_id in entries:
        by_team.setdefault(unit_id, [])
    order = sorted((i for i, it in enumerate(r.team_items) if it.tiebreak is not None),
                   key=lambda i: r.team_items[i].tiebreak or 0)
    names = [r.team_items[i].name for i in order]
    rows: list[TeamStanding] = []
    keys: dict[int, tuple[int, ...]] = {}
    for unit_id, members in by_team.items():
        entry = entries.get(unit_id)
        name = members[0].team if members else entry.team if entry is not None else ""
        done = sorted((s for s in members if s.total_x100 is not None), key=lambda s: -(s.total_x100 or 0))
        counted = done[:best] if best else done
        notes = []
        if best and len(done) < best:
            notes.append(f"完成比赛的选手不足{best}人（{len(done)}人）")
        members_total = sum(s.total_x100 or 0 for s in counted) if counted else None
        if members_total is None and not notes:
            notes.append("没有完成比赛的选手")
        total, basis = members_total, ""
        if r.team_items:
            if entry is None or entry.total_x100 is None:
                total = None
                gone = [it.name for i, it in enumerate(r.team_items) if entry is None or entry.item_milli[i] is None]
                why = "尚未抽取队号" if entry is None or entry.competitor.team_no is None else "成绩不完整"
                notes.append(f"团体项目{why}：{'、'.join(gone)}")
            elif members_total is not None:
                total = members_total + entry.total_x100
                basis = _team_basis(r, best, members_total, entry, total)
        if total is not None:
            keys[unit_id] = (-total, *(-((entry.item_milli[i] or 0) if entry else 0) for i in order))
        rows.append(TeamStanding(unit_id, name, None, total, tuple(counted), tuple(members), "；".join(notes),
                                 entry, members_total, basis))
    rows.sort(key=lambda t: (t.total_x100 is None, keys.get(t.unit_id, ()), t.name))
    ranked_keys = [keys[t.unit_id] for t in rows if t.total_x100 is not None]
    out = []
    place = 0
    for i, t in enumerate(rows):
        if t.total_x100 is None:
            out.append(t)
            continue
        if i == 0 or ranked_keys[i] != ranked_keys[i - 1]:
            place = i + 1
        decision = _decision(ranked_keys, i, names) if names else None
        if decision is not None and decision.step == 0:
            decision = None
        out.append(replace(t, place=place, decision=decision))
    return out


# ---- why this rank ----------------------------------------------------------------------------

@dataclass(frozen=True)
class JudgeScore:
    judge: Judge
    value_milli: int
    dropped: str = ""                      # '' / '最高' / '最低'
    criteria: tuple[tuple[str, int | None], ...] = ()


@dataclass(frozen=True)
class ItemExplanation:
    item: Item
    scores: tuple[JudgeScore, ...]
    recused: tuple[str, ...]               # judges left out for recusal, with their unit
    missing: tuple[str, ...]               # judges (or 成绩) still to score
    raw_milli: int | None                  # 单一成绩: the entered value
    conversion: str                        # 单一成绩 with a table: how the value became points
    aggregate_text: str                    # e.g. "(90 + 85 + 80) ÷ 3 = 85"
    rounded_milli: int | None
    deductions: tuple[tuple[int, str], ...]
    final_milli: int | None
    contribution: str                      # e.g. "85.33 ÷ 100 × 20 = 17.066"
    spread_text: str
    problem: str = ""


@dataclass(frozen=True)
class Explanation:
    contest: Contest
    standing: Standing
    items: tuple[ItemExplanation, ...]
    total_text: str                        # the exact sum and its rounding
    tie_text: str                          # competitors with the same 总分 and how the tie was broken

    def lines(self) -> list[str]:
        s = self.standing
        c = s.competitor
        if c.is_team:  # a team row: its 团体 items; the team ranking adds the members' totals
            out = [f"{c.label} {c.name}：" + (f"团体项目折合{s.total_text}" if s.total_x100 is not None
                                             else "团体项目成绩不完整")]
        else:
            head = f"{c.draw_no}号 {c.name}（{s.unit}）"
            out = [head + (f"：第{s.place}名，总分{s.total_text}" if s.place is not None else "：成绩不完整，未排名")]
        for ex in self.items:
            it = ex.item
            weight = f"团体权重{it.weight}（折合分）" if it.team else f"权重{it.weight}%"
            out.append(f"【{it.name}】{it.method_text}，满分{show_plain(it.full_milli)}，{weight}，"
                       f"保留{it.decimals}位小数")
            if ex.raw_milli is not None:
                out.append(f"  成绩：{show_plain(ex.raw_milli)}{it.raw_unit}")
            if ex.conversion:
                out.append(f"  换算：{ex.conversion}")
            for js in ex.scores:
                mark = f"（去掉{js.dropped}分）" if js.dropped else ""
                parts = "、".join(f"{n}{show_plain(v) if v is not None else '未评'}" for n, v in js.criteria)
                detail = f" = {parts}" if parts else ""
                out.append(f"  评委{js.judge.code} {js.judge.name}：{show_plain(js.value_milli)}{detail}{mark}")
            for r in ex.recused:
                out.append(f"  回避：{r}")
            for m in ex.missing:
                out.append(f"  未评分：{m}")
            if ex.problem:
                out.append(f"  无法计算：{ex.problem}")
            if ex.aggregate_text:
                out.append(f"  计算：{ex.aggregate_text}")
            if ex.rounded_milli is not None:
                out.append(f"  四舍五入保留{it.decimals}位：{show(ex.rounded_milli, it.decimals)}")
            for points, reason in ex.deductions:
                out.append(f"  扣分：-{show_plain(points)}（{reason}）")
            if ex.final_milli is not None:
                out.append(f"  项目得分：{show(ex.final_milli, it.decimals)}")
            if ex.contribution:
                out.append(f"  折合：{ex.contribution}")
            if ex.spread_text:
                out.append(f"  分差：{ex.spread_text}")
        if self.total_text:
            out.append(f"{'团体项目折合' if c.is_team else '总分'}：{self.total_text}")
        if self.tie_text:
            out.append(self.tie_text)
        return out


def _exact(numerator: int, denominator: int, digits: int = 4) -> str:
    """A rational as decimal text, with '…' when it does not terminate within `digits` places."""
    with localcontext() as ctx:
        ctx.prec = 50
        value = Decimal(numerator) / Decimal(denominator)
        cut = value.quantize(Decimal(1).scaleb(-digits), rounding="ROUND_DOWN")
    text = format(cut, "f")
    if cut != value:
        return text + "…"
    return text.rstrip("0").rstrip(".") if "." in text else text


def explain(db: Database, contest_id: int, competitor_id: int, r: Ranking | None = None) -> Explanation:
    """The whole calculation for one competitor: every raw score, the dropped ones, the average, rounding,
    deductions, weighted contribution, 总分 and the tie-break. For a team row: its 团体 items the same way."""
    r = r or compute(db, contest_id)
    standing = r.standing(competitor_id)
    panel = Panel.load(db, contest_id)
    comp = panel.by_id[competitor_id]
    shown = r.team_items if comp.is_team else r.items
    ded_rows = db.execute("SELECT item_id, points_x1000, reason FROM contest_deductions WHERE competitor_id = ?"
                          " ORDER BY id", [competitor_id]).fetchall()
    flags = {(f.item.id, f.competitor.id): f for f in r.flags}
    parts = []
    for idx, it in enumerate(shown):
        raw = raw_values(db, it.id, competitor_id)
        ded = tuple((int(p), str(reason)) for item_id, p, reason in ded_rows if item_id == it.id)
        parts.append(_explain_item(it, idx, panel, comp, raw, ded, standing, flags.get((it.id, competitor_id))))
    total_text = ""
    if standing.total_x100 is not None:
        denominator = math.lcm(*(it.full_milli for it in shown))
        numerator = sum((standing.item_milli[i] or 0) * it.weight_x100 * (denominator // it.full_milli)
                        for i, it in enumerate(shown))
        total_text = (f"{' + '.join(p.contribution.split(' = ')[-1] for p in parts)} = "
                      f"{_exact(numerator, denominator * 100, 6)}，四舍五入保留2位：{standing.total_text}")
    return Explanation(r.contest, standing, tuple(parts), total_text,
                       "" if comp.is_team else _tie_text(r, standing))


def _explain_item(it: Item, idx: int, panel: Panel, comp: Competitor, raw: list[tuple[int | None, int | None, int]],
                  ded: tuple[tuple[int, str], ...], standing: Standing, flag: SpreadFlag | None) -> ItemExplanation:
    recused = tuple(f"评委{j.code} {j.name}（{panel.judge_unit_text(j)}）" for j in panel.recused_judges(it, comp))
    scores: list[JudgeScore] = []
    missing: list[str] = []
    raw_milli = None
    conversion = aggregate_text = problem = ""
    rounded = None
    if not it.judged:
        if raw:
            raw_milli = raw[0][2]
            value = it.convert_milli(raw_milli) if it.converted else raw_milli
            conversion = it.conversion_text(raw_milli) if it.converted else ""
            rounded = aggregate([value], SINGLE, it.decimals).score
            aggregate_text = f"单一成绩 {show_plain(value)}"
        else:
            missing.append("成绩")
    else:
        by_judge: dict[int, dict[int | None, int]] = {}
        for j, k, v in raw:
            by_judge.setdefault(j or 0, {})[k] = v
        totals: list[int] = []
        for judge in panel.expected_judges(it, comp):
            got = by_judge.get(judge.id, {})
            if it.method == RUBRIC:
                crit = tuple((c.name, got.get(c.id)) for c in it.criteria)
                if any(v is None for _n, v in crit):
                    missing.append(f"评委{judge.code} {judge.name}" + ("（部分细则）" if got else ""))
                    continue
                totals.append(sum(v or 0 for _n, v in crit))
                scores.append(JudgeScore(judge, totals[-1], "", crit))
            elif None in got:
                totals.append(got[None])
                scores.append(JudgeScore(judge, got[None]))
            else:
                missing.append(f"评委{judge.code} {judge.name}")
        if totals and not missing:
            try:
                agg = aggregate(totals, it.aggregate_method, it.decimals)
            except InsufficientScores as exc:
                problem = str(exc)
            else:
                rounded = agg.score
                if agg.dropped_high is not None and agg.dropped_low is not None:
                    scores[agg.dropped_high] = JudgeScore(scores[agg.dropped_high].judge, totals[agg.dropped_high],
                                                          "最高", scores[agg.dropped_high].criteria)
                    scores[agg.dropped_low] = JudgeScore(scores[agg.dropped_low].judge, totals[agg.dropped_low], "最低",
                                                         scores[agg.dropped_low].criteria)
                    kept = [t for i, t in enumerate(totals) if i not in (agg.dropped_high, agg.dropped_low)]
                    lead = (f"去掉一个最高分{show_plain(totals[agg.dropped_high])}、一个最低分"
                            f"{show_plain(totals[agg.dropped_low])}，")
                else:
                    kept, lead = totals, ""
                aggregate_text = (f"{lead}({' + '.join(show_plain(t) for t in kept)}) ÷ {len(kept)} = "
                                  f"{_exact(sum(kept), len(kept) * 1000)}")
    final = standing.item_milli[idx]
    contribution = ""
    if final is not None:
        weighted = _exact(final * it.weight_x100, it.full_milli * 100, 6)
        contribution = (f"{show(final, it.decimals)} ÷ {show_plain(it.full_milli)} × {it.weight} = {weighted}")
    spread = ""
    if flag is not None:
        spread = flag.text()
    return ItemExplanation(it, tuple(scores), recused, tuple(missing), raw_milli, conversion, aggregate_text, rounded,
                           ded, final, contribution, spread, problem)


def _tie_text(r: Ranking, s: Standing) -> str:
    if s.total_x100 is None or s.decision is None:
        return ""
    same = [o for o in r.ranked if o.total_x100 == s.total_x100 and o.competitor.id != s.competitor.id]
    if not same:
        return ""
    others = "、".join(f"{o.competitor.draw_no}号{o.competitor.name}（第{o.place}名）" for o in same)
    return f"与{others}总分相同；{s.decision.text() or '按决胜项目决出'}"
