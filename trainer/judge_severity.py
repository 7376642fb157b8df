"""How strict or lenient each judge was (评委评分尺度), for the review after the contest.

    rows = judge_severity.severity(db, contest_id)      # one JudgeSeverity per judge and judged item
    rows[0].mean_diff                                   # Decimal("-1.25"): on average 1.25 below the others

For one judge on one item, over the competitors the judge scored that at least one other judge scored too:

- 评分数 (count): how many such competitors;
- 本人均分 (judge_mean): the mean of the judge's scores (for 评分细则 a judge's score is the sum of the
  criteria, counted only when every criterion is scored);
- 其他评委均分 (panel_mean): for each of those competitors the mean of the OTHER judges' scores, averaged
  over the competitors, so both means are over the same competitors;
- 均差 (mean_diff) = judge_mean - panel_mean (below zero: stricter than the panel);
- 最大偏差 (max_abs_dev): the largest |judge's score - mean of the others| on a single competitor;
- 被去最高分 / 被去最低分 (dropped_high / dropped_low): for 去掉最高最低取平均, how often this judge's score was
  the one dropped, chosen exactly as the ranking drops them (trainer.ranking.aggregate over the expected
  judges in 评委编号 order), counted only for competitors whose scores are complete.

On a 团体 item the "competitors" are the teams (the item's entrants, trainer.contest_people.Panel.entrants):
each team is scored once per judge, and a judge of the team's unit is recused as for a competitor.

Arithmetic is exact on integers (scores × 1000) and rational sums; each figure is rounded once, half-up, to
two decimals (Decimal, never float).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from sqlite_utils import Database

from trainer import contest
from trainer.contest import DROP_HIGH_LOW, RUBRIC, Item
from trainer.contest_people import Judge, Panel
from trainer.contest_values import MILLI, round_div_half_up
from trainer.ranking import InsufficientScores, aggregate

PLACES = 2
NOT_DROPPING = "—"  # the item averages every score: nothing is dropped
HEADERS = ("项目", "评委编号", "评委", "单位", "评分数", "本人均分", "其他评委均分", "均差（本人-其他）", "最大偏差",
           "被去最高分次数", "被去最低分次数")


@dataclass(frozen=True)
class JudgeSeverity:
    item: Item
    judge: Judge
    unit: str
    count: int
    judge_mean: Decimal | None     # None: no competitor to compare on
    panel_mean: Decimal | None
    mean_diff: Decimal | None
    max_abs_dev: Decimal | None
    dropped_high: int
    dropped_low: int

    @property
    def drops(self) -> bool:
        """Whether the item drops the highest and lowest (else the dropped counts mean nothing)."""
        return self.item.aggregate_method == DROP_HIGH_LOW

    def row(self) -> list[object]:
        return [self.item.name, self.judge.code, self.judge.name, self.unit, self.count, self.judge_mean,
                self.panel_mean, self.mean_diff, self.max_abs_dev,
                self.dropped_high if self.drops else NOT_DROPPING, self.dropped_low if self.drops else NOT_DROPPING]


def half_up(value: Fraction, places: int = PLACES) -> Decimal:
    """A value in thousandths (exact rational) as a Decimal with `places` decimals, rounded half-up."""
    scale = 10 ** places
    q = round_div_half_up(value.numerator * scale, value.denominator * MILLI)
    return Decimal(q).scaleb(-places)


def judge_values(db: Database, item: Item) -> dict[int, dict[int, int]]:
    """competitor id → judge id → the judge's score (× 1000); for 评分细则 the sum of a complete set of criteria."""
    out: dict[int, dict[int, int]] = {}
    if item.method == RUBRIC:
        need = len(item.criteria)
        rows = db.execute("SELECT competitor_id, judge_id, SUM(value_x1000), COUNT(*) FROM contest_scores"
                          " WHERE item_id = ? AND judge_id IS NOT NULL GROUP BY competitor_id, judge_id", [item.id])
        for comp_id, judge_id, total, n in rows:
            if n == need:
                out.setdefault(comp_id, {})[judge_id] = int(total)
        return out
    for comp_id, judge_id, value in db.execute(
            "SELECT competitor_id, judge_id, value_x1000 FROM contest_scores WHERE item_id = ?"
            " AND judge_id IS NOT NULL AND criterion_id IS NULL", [item.id]):
        out.setdefault(comp_id, {})[judge_id] = int(value)
    return out


def dropped_judges(values: dict[int, int], expected: Sequence[int], method: str,
                   decimals: int) -> tuple[int, int] | None:
    """(judge dropped as highest, judge dropped as lowest) for a complete set of scores, as the ranking drops
    them; None when the method drops nothing or the scores are incomplete or too few."""
    if method != DROP_HIGH_LOW or not expected or any(j not in values for j in expected):
        return None
    ordered = [values[j] for j in expected]
    try:
        agg = aggregate(ordered, DROP_HIGH_LOW, decimals)
    except InsufficientScores:
        return None
    if agg.dropped_high is None or agg.dropped_low is None:
        return None
    return expected[agg.dropped_high], expected[agg.dropped_low]


def item_severity(db: Database, panel: Panel, item: Item) -> list[JudgeSeverity]:
    values = judge_values(db, item)
    drops: dict[int, tuple[int, int]] = {}
    for comp in panel.entrants(item):  # the team rows on a 团体 item
        expected = [j.id for j in panel.expected_judges(item, comp)]
        got = dropped_judges(values.get(comp.id, {}), expected, item.aggregate_method, item.decimals)
        if got is not None:
            drops[comp.id] = got
    out = []
    for judge_id in panel.assigned.get(item.id, []):
        judge = panel.judge_by_id[judge_id]
        own_sum = Fraction(0)
        others_sum = Fraction(0)
        worst = Fraction(0)
        count = 0
        for by_judge in values.values():
            mine = by_judge.get(judge_id)
            others = [v for j, v in by_judge.items() if j != judge_id]
            if mine is None or not others:
                continue
            others_mean = Fraction(sum(others), len(others))
            count += 1
            own_sum += mine
            others_sum += others_mean
            worst = max(worst, abs(mine - others_mean))
        high = sum(1 for h, _low in drops.values() if h == judge_id)
        low = sum(1 for _h, lo in drops.values() if lo == judge_id)
        figures: tuple[Decimal | None, ...] = (None, None, None, None)
        if count:
            judge_mean, panel_mean = own_sum / count, others_sum / count
            figures = (half_up(judge_mean), half_up(panel_mean), half_up(judge_mean - panel_mean), half_up(worst))
        out.append(JudgeSeverity(item, judge, panel.judge_unit_text(judge), count, figures[0], figures[1],
                                 figures[2], figures[3], high, low))
    return out


def severity(db: Database, contest_id: int) -> list[JudgeSeverity]:
    """Every judge on every judged item, in sheet order then 评委编号 order."""
    contest.require_contest(db, contest_id)
    panel = Panel.load(db, contest_id)
    out: list[JudgeSeverity] = []
    for item in contest.items(db, contest_id):
        if item.judged:
            out += item_severity(db, panel, item)
    return out
