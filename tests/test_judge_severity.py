"""As the chief judge reviewing the contest I see, for every judge on every item, how their scores compare
with the other judges' on the same competitors: their mean, the others' mean, the difference, the largest
single deviation, and how often their score was the one dropped. The figures below are worked by hand."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from contest_support import build, item

from trainer import judge_severity
from trainer.contest import DROP_HIGH_LOW

# 文书 (去掉最高最低取平均): J1–J3 are external judges, J4 is from 卫东区 and so recused from 3号 (卫东区).
SCORES = {  # draw → (J1, J2, J3, J4)
    1: ("80", "90", "85", "70"),
    2: ("60", "75", "70", "65"),
    3: ("90", "95", "88", None),
}


def contest(db):
    b = build(db, [item("文书", DROP_HIGH_LOW, 100)],
              [(1, "张三", "新华区"), (2, "李四", "湛河区"), (3, "王五", "卫东区")],
              [("J1", "周明", None, ["文书"]), ("J2", "郑红", None, ["文书"]), ("J3", "孙立", None, ["文书"]),
               ("J4", "冯静", "卫东区", ["文书"])])
    for draw, values in SCORES.items():
        b.scores("文书", draw, {j: v for j, v in zip(("J1", "J2", "J3", "J4"), values, strict=True) if v is not None})
    return b


def by_code(db, b) -> dict[str, judge_severity.JudgeSeverity]:
    return {s.judge.code: s for s in judge_severity.severity(db, b.contest_id)}


def test_a_judges_mean_is_compared_with_the_other_judges_on_the_same_competitors(db) -> None:
    found = by_code(db, contest(db))
    j1 = found["J1"]
    # J1: 80, 60, 90 → 76.666…; the others: 1号 (90+85+70)/3 = 81.666…, 2号 (75+70+65)/3 = 70, 3号 (95+88)/2 = 91.5
    assert j1.count == 3
    assert j1.judge_mean == Decimal("76.67")
    assert j1.panel_mean == Decimal("81.06")           # (81.666… + 70 + 91.5) / 3 = 81.0555…
    assert j1.mean_diff == Decimal("-4.39")            # 76.666… − 81.0555… = −4.3888…
    assert j1.max_abs_dev == Decimal("10.00")          # 2号: 60 against 70


def test_a_recused_judge_is_compared_only_where_they_scored(db) -> None:
    j4 = by_code(db, contest(db))["J4"]
    # J4 scored 1号 (70) and 2号 (65); the others: 85 and 68.333…
    assert j4.count == 2
    assert (j4.judge_mean, j4.panel_mean, j4.mean_diff, j4.max_abs_dev) == (
        Decimal("67.50"), Decimal("76.67"), Decimal("-9.17"), Decimal("15.00"))


def test_dropped_highest_and_lowest_are_counted_per_judge_as_the_ranking_drops_them(db) -> None:
    found = by_code(db, contest(db))
    # 1号: high J2 (90), low J4 (70); 2号: high J2 (75), low J1 (60); 3号: high J2 (95), low J3 (88)
    assert {code: (s.dropped_high, s.dropped_low) for code, s in found.items()} == {
        "J1": (0, 1), "J2": (3, 0), "J3": (0, 1), "J4": (0, 1)}


def test_equal_scores_drop_the_first_as_highest_and_the_last_as_lowest() -> None:
    assert judge_severity.dropped_judges({11: 80, 12: 80, 13: 80}, [11, 12, 13], DROP_HIGH_LOW, 2) == (11, 13)
    assert judge_severity.dropped_judges({11: 80, 12: 80}, [11, 12, 13], DROP_HIGH_LOW, 2) is None  # incomplete


def test_figures_round_half_up_away_from_zero_never_to_even() -> None:
    assert judge_severity.half_up(Fraction(85245)) == Decimal("85.25")   # 85.245 (banker's rounding: 85.24)
    assert judge_severity.half_up(Fraction(-4445)) == Decimal("-4.45")
    assert judge_severity.half_up(Fraction(-4444)) == Decimal("-4.44")


def test_a_rubric_judges_score_is_the_sum_of_their_criteria(db) -> None:
    from trainer import contest as contest_mod
    from trainer.contest import RUBRIC

    b = build(db, [item("情景", RUBRIC, 100)], [(1, "张三", "新华区"), (2, "李四", "湛河区")],
              [("J1", "周明", None, ["情景"]), ("J2", "郑红", None, ["情景"]), ("J3", "孙立", None, ["情景"])])
    contest_mod.set_criteria(db, b.items["情景"], [("仪容", Decimal(40)), ("程序", Decimal(60))])
    for draw, sums in {1: ((30, 50), (35, 55), (40, 45)), 2: ((20, 40), (25, 45), (30, 50))}.items():
        for code, (a, c) in zip(("J1", "J2", "J3"), sums, strict=True):
            b.score("情景", draw, code, a, criterion="仪容")
            b.score("情景", draw, code, c, criterion="程序")
    j1 = by_code(db, b)["J1"]
    # J1: 80 and 60 → 70; others: 1号 (90 + 85)/2 = 87.5, 2号 (70 + 80)/2 = 75 → 81.25
    assert (j1.count, j1.judge_mean, j1.panel_mean, j1.mean_diff, j1.max_abs_dev) == (
        2, Decimal("70.00"), Decimal("81.25"), Decimal("-11.25"), Decimal("15.00"))
    # the rubric aggregates by 去掉最高最低取平均 by default: 1号 drops J2 (90) high and J1 (80) low
    assert (j1.dropped_high, j1.dropped_low) == (0, 2)


def test_on_a_team_item_the_teams_are_what_each_judge_is_compared_on(db) -> None:
    from test_team_items import DRILL, make_field

    f = make_field(db)
    f.score_everything()
    found = {s.judge.code: s for s in judge_severity.severity(db, f.contest_id) if s.item.name == DRILL}
    assert sorted(found) == ["J1", "J2", "J3", "J4", "J5"]
    j1 = found["J1"]
    # J1 (新华区) is recused from 新华区's team: 卫东区 88 against (89 + 91 + 96) / 3 = 92, 湛河区 80 against
    # (85 + 85 + 85 + 90) / 4 = 86.25 → own 84, others 89.125, −5.125, worst 6.25
    assert (j1.count, j1.judge_mean, j1.panel_mean, j1.mean_diff, j1.max_abs_dev) == (
        2, Decimal("84.00"), Decimal("89.13"), Decimal("-5.13"), Decimal("6.25"))
    # dropped as the team ranking drops them: 新华区 J5 95 / J2 90, 卫东区 J5 96 / J1 88, 湛河区 J5 90 / J1 80
    assert {code: (s.dropped_high, s.dropped_low) for code, s in found.items()} == {
        "J1": (0, 2), "J2": (0, 1), "J3": (0, 0), "J4": (0, 0), "J5": (3, 0)}
    assert found["J2"].count == 3  # an external judge scores every team
