"""As the chief judge I give prizes by count or by percentage: the plan says how each count was rounded and
shows every tie that straddles a prize boundary before I confirm; the confirmed list is stored and logged."""

from __future__ import annotations

from decimal import Decimal

import pytest
from contest_support import build, item

from trainer import audit, contest, contest_awards, contest_locks, ranking
from trainer.contest import SINGLE
from trainer.contest_awards import TIES_DOWN, PrizeTier

PIN = "2468"


def ranked(db, values: list[str | None]):
    """One 单一成绩 item; competitor n (draw n) scores values[n - 1] (None: not scored)."""
    b = build(db, [item("笔试", SINGLE, 100)], [(d, f"选手{d}", "卫东区") for d in range(1, len(values) + 1)], [])
    for draw, v in enumerate(values, start=1):
        if v is not None:
            b.score("笔试", draw, None, v)
    return b, ranking.compute(db, b.contest_id)


def names(tier: contest_awards.TierPlan) -> list[int | None]:
    return [s.competitor.draw_no for s in tier.winners]


def test_prizes_by_count(db) -> None:
    _b, r = ranked(db, ["95", "90", "85", "80", "75", "70"])
    plan = contest_awards.plan_awards(r, [PrizeTier("一等奖", count=1), PrizeTier("二等奖", count=2),
                                          PrizeTier("三等奖", count=3)])
    assert [names(t) for t in plan.tiers] == [[1], [2, 3], [4, 5, 6]]
    assert [t.basis for t in plan.tiers] == ["一等奖：1人", "二等奖：2人", "三等奖：3人"]
    assert plan.ties == ()


def test_prizes_by_percentage_state_how_counts_were_rounded(db) -> None:
    _b, r = ranked(db, ["99", "98", "97", "96", "95", "94", "93", None])    # 7 ranked, one incomplete
    tiers = [PrizeTier("一等奖", percent=Decimal(10)), PrizeTier("二等奖", percent=Decimal(20)),
             PrizeTier("三等奖", percent=Decimal(30))]
    plan = contest_awards.plan_awards(r, tiers)
    assert plan.ranked == 7
    assert [t.basis for t in plan.tiers] == ["一等奖：7人 × 10% = 0.7，四舍五入为1人",
                                             "二等奖：7人 × 20% = 1.4，四舍五入为1人",
                                             "三等奖：7人 × 30% = 2.1，四舍五入为2人"]
    assert [names(t) for t in plan.tiers] == [[1], [2], [3, 4]]
    up = contest_awards.plan_awards(r, tiers, rounding="向上取整")
    assert [t.nominal for t in up.tiers] == [1, 2, 3]
    assert up.tiers[2].basis == "三等奖：7人 × 30% = 2.1，向上取整为3人"
    down = contest_awards.plan_awards(r, tiers, rounding="向下取整")
    assert [t.nominal for t in down.tiers] == [0, 1, 2]
    assert "参评人数：7人（成绩完整者）；人数取整：四舍五入" in plan.basis_text()


def test_a_tie_at_a_boundary_is_shown_and_never_split(db) -> None:
    _b, r = ranked(db, ["95", "90", "90", "85", "80", "80", "80", "70"])   # places 1 2 2 4 5 5 5 8
    tiers = [PrizeTier("一等奖", count=2), PrizeTier("二等奖", count=3)]
    plan = contest_awards.plan_awards(r, tiers)
    assert [names(t) for t in plan.tiers] == [[1, 2, 3], [4, 5, 6, 7]]
    assert [t.text() for t in plan.ties] == [
        "第2名并列2人（2号选手2、3号选手3），跨越一等奖与二等奖的分界（名额内1人）：均获一等奖",
        "第5名并列3人（5号选手5、6号选手6、7号选手7），跨越二等奖与无奖项的分界（名额内1人）：均获二等奖"]
    down = contest_awards.plan_awards(r, tiers, tie_policy=TIES_DOWN)
    assert [names(t) for t in down.tiers] == [[1], [2, 3, 4]]
    assert down.ties[0].outcome == "均不获一等奖，获二等奖"


def test_confirming_needs_locked_items_the_pin_and_the_same_ranking(db) -> None:
    b, r = ranked(db, ["95", "90", "85"])
    contest_locks.set_pin(db, b.contest_id, PIN, "裁判长")
    plan = contest_awards.plan_awards(r, [PrizeTier("一等奖", count=1), PrizeTier("二等奖", count=1)])
    with pytest.raises(contest.ContestError, match=r"尚未锁定.*笔试"):
        contest_awards.confirm_awards(db, b.contest_id, plan, PIN, "裁判长")
    contest_locks.lock_item(db, b.items["笔试"], PIN, "裁判长")
    with pytest.raises(contest_locks.LockError, match="PIN不正确"):
        contest_awards.confirm_awards(db, b.contest_id, plan, "0000", "裁判长")
    stale = contest_awards.AwardPlan(plan.contest_id, plan.ranked, plan.rounding, plan.tie_policy, plan.tiers,
                                     plan.ties, ((b.competitors[2], 1),))
    with pytest.raises(contest.ContestError, match="排名已变化"):
        contest_awards.confirm_awards(db, b.contest_id, stale, PIN, "裁判长")
    awards = contest_awards.confirm_awards(db, b.contest_id, plan, PIN, "裁判长")
    assert [(a.draw_no, a.prize, a.place) for a in awards] == [(1, "一等奖", 1), (2, "二等奖", 2)]
    logged = audit.entries(db, b.contest_id, actions=[audit.AWARDS_CONFIRM])
    assert [(e.actor, e.new) for e in logged] == [("裁判长", "一等奖1人；二等奖1人")]
    assert "一等奖：1人，实际1人" in logged[0].detail
