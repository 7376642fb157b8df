"""Awards (一等奖, 二等奖 …) from a ranking: by count or by percentage of the ranked competitors, with the
rounding of counts stated and every tie at a prize boundary shown before the chief judge confirms.

    plan = contest_awards.plan_awards(r, [PrizeTier("一等奖", percent=Decimal(10)), PrizeTier("二等奖", count=10)])
    plan.tiers[0].basis    # "一等奖：57人 × 10% = 5.7，四舍五入为6人"
    plan.ties              # BoundaryTie: place 6 shared by 3 across the 一等奖/二等奖 boundary …
    contest_awards.confirm_awards(db, contest_id, plan, pin, "裁判长")   # all items locked; the same ranking

Counting rules: percentages are of the competitors ranked (complete), each tier's count rounded by the
chosen rule (四舍五入 by default, or 向下取整 / 向上取整) and never above what is left; boundaries are
cumulative (一等奖 places 1..B1, 二等奖 B1+1..B2 …). At a boundary, competitors sharing a place are never
split: by default they all take the higher prize (并列者均获较高奖项, the tier grows and the next one
starts later), or all the lower (并列者均获较低奖项).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from sqlite_utils import Database

from trainer import audit, contest
from trainer.contest import ContestError
from trainer.contest_locks import check_pin
from trainer.contest_values import fmt_decimal
from trainer.ranking import Ranking, Standing, compute

ROUNDINGS = {"四舍五入": ROUND_HALF_UP, "向下取整": ROUND_FLOOR, "向上取整": ROUND_CEILING}
TIES_UP, TIES_DOWN = "并列者均获较高奖项", "并列者均获较低奖项"


@dataclass(frozen=True)
class PrizeTier:
    name: str
    count: int | None = None
    percent: Decimal | None = None


@dataclass(frozen=True)
class TierPlan:
    tier: PrizeTier
    nominal: int            # the count the tier's rule gives
    basis: str              # how the count was reached, in words
    boundary: int           # the last place inside this tier (cumulative)
    winners: tuple[Standing, ...]


@dataclass(frozen=True)
class BoundaryTie:
    tier: str
    next_tier: str          # '' when the boundary is the last prize's
    place: int
    standings: tuple[Standing, ...]
    inside: int             # how many of them the nominal count had room for
    outcome: str            # what the tie policy did with them

    def text(self) -> str:
        names = "、".join(f"{s.competitor.draw_no}号{s.competitor.name}" for s in self.standings)
        lower = self.next_tier or "无奖项"
        return (f"第{self.place}名并列{len(self.standings)}人（{names}），跨越{self.tier}与{lower}的分界"
                f"（名额内{self.inside}人）：{self.outcome}")


@dataclass(frozen=True)
class AwardPlan:
    contest_id: int
    ranked: int
    rounding: str
    tie_policy: str
    tiers: tuple[TierPlan, ...]
    ties: tuple[BoundaryTie, ...]
    fingerprint: tuple[tuple[int, int], ...]   # (competitor id, place) the plan was made from

    def basis_text(self) -> str:
        lines = [f"参评人数：{self.ranked}人（成绩完整者）；人数取整：{self.rounding}；分界并列：{self.tie_policy}"]
        lines += [t.basis + f"，实际{len(t.winners)}人" for t in self.tiers]
        lines += [t.text() for t in self.ties]
        return "\n".join(lines)


@dataclass(frozen=True)
class Award:
    competitor_id: int
    draw_no: int | None
    name: str
    unit: str
    prize: str
    place: int


def _count(tier: PrizeTier, ranked: int, rounding: str) -> tuple[int, str]:
    if (tier.count is None) == (tier.percent is None):
        raise ContestError(f"{tier.name}应按人数或按比例二选一")
    if tier.count is not None:
        if tier.count < 0:
            raise ContestError(f"{tier.name}的人数不能为负数")
        return tier.count, f"{tier.name}：{tier.count}人"
    pct = tier.percent or Decimal(0)
    if not 0 <= pct <= 100:
        raise ContestError(f"{tier.name}的比例应在0到100之间")
    exact = Decimal(ranked) * pct / 100
    n = int(exact.quantize(Decimal(1), rounding=ROUNDINGS[rounding]))
    return n, f"{tier.name}：{ranked}人 × {fmt_decimal(pct)}% = {fmt_decimal(exact)}，{rounding}为{n}人"


def plan_awards(r: Ranking, tiers: Sequence[PrizeTier], *, rounding: str = "四舍五入",
                tie_policy: str = TIES_UP) -> AwardPlan:
    if rounding not in ROUNDINGS:
        raise ContestError(f"人数取整方式应为{'、'.join(ROUNDINGS)}之一")
    if tie_policy not in (TIES_UP, TIES_DOWN):
        raise ContestError(f"分界并列的处理应为“{TIES_UP}”或“{TIES_DOWN}”")
    ranked = r.ranked
    group: Counter[int] = Counter(s.place for s in ranked if s.place is not None)
    boundary = 0
    plans = []
    taken: set[int] = set()
    for tier in tiers:
        nominal, basis = _count(tier, len(ranked), rounding)
        nominal = min(nominal, len(ranked) - boundary)  # never more than is left
        boundary += nominal
        winners = []
        for s in ranked:
            if s.competitor.id in taken or s.place is None:
                continue
            last = s.place + group[s.place] - 1
            inside = s.place <= boundary if tie_policy == TIES_UP else last <= boundary
            if inside:
                winners.append(s)
                taken.add(s.competitor.id)
        plans.append(TierPlan(tier, nominal, basis, boundary, tuple(winners)))
    ties = []
    for i, tp in enumerate(plans):
        b = tp.boundary
        for place, size in sorted(group.items()):
            if place <= b < place + size - 1:
                members = tuple(s for s in ranked if s.place == place)
                nxt = plans[i + 1].tier.name if i + 1 < len(plans) else ""
                outcome = f"均获{tp.tier.name}" if tie_policy == TIES_UP else f"均不获{tp.tier.name}" + (
                    f"，获{nxt}" if nxt else "")
                ties.append(BoundaryTie(tp.tier.name, nxt, place, members, b - place + 1, outcome))
    fingerprint = tuple((s.competitor.id, s.place or 0) for s in ranked)
    return AwardPlan(r.contest.id, len(ranked), rounding, tie_policy, tuple(plans), tuple(ties), fingerprint)


def confirm_awards(db: Database, contest_id: int, plan: AwardPlan, pin: str, actor: str) -> list[Award]:
    """Store the award list the chief judge saw. Every item must be locked, and the ranking must still be
    the one the plan was made from."""
    check_pin(db, contest_id, pin)
    unlocked = [it.name for it in contest.items(db, contest_id) if not it.locked]
    if unlocked:
        raise ContestError(f"以下项目尚未锁定，不能确认获奖名单：{'、'.join(unlocked)}")
    current = compute(db, contest_id)
    if tuple((s.competitor.id, s.place or 0) for s in current.ranked) != plan.fingerprint:
        raise ContestError("排名已变化，请重新生成获奖方案")
    now = dt.datetime.now().isoformat(timespec="seconds")
    basis = plan.basis_text()
    with db.atomic():
        db.execute("DELETE FROM contest_awards WHERE contest_id = ?", [contest_id])
        for tier_no, tp in enumerate(plan.tiers, start=1):
            db.conn.executemany(
                "INSERT INTO contest_awards (contest_id, competitor_id, prize, tier, place, basis, confirmed_by,"
                " confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(contest_id, s.competitor.id, tp.tier.name, tier_no, s.place, basis, actor, now) for s in tp.winners])
        audit.append(db, audit.Entry(audit.AWARDS_CONFIRM, actor, contest_id,
                                     new="；".join(f"{t.tier.name}{len(t.winners)}人" for t in plan.tiers),
                                     detail=basis))
    return awards(db, contest_id)


def awards(db: Database, contest_id: int) -> list[Award]:
    rows = db.execute(
        "SELECT a.competitor_id, c.draw_no, c.name, u.name, a.prize, a.place FROM contest_awards a"
        " JOIN contest_competitors c ON c.id = a.competitor_id JOIN units u ON u.id = c.unit_id"
        " WHERE a.contest_id = ? ORDER BY a.tier, a.place, c.draw_no", [contest_id])
    return [Award(*r) for r in rows]
