"""As the chief judge I defend every place line by line: the item score aggregates the judges' scores exactly
as the rules say (one highest and one lowest copy dropped, averages, rubric sums, measured values through a
table), rounds half-up to the item's decimals, subtracts deductions, weighs by 满分 and 权重, breaks ties in
决胜顺序 and shares places (1, 2, 2, 4); "why this rank" shows all of it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from contest_support import Built, build, item

from trainer import contest, ranking, scoring
from trainer.contest import AVERAGE, DROP_HIGH_LOW, RUBRIC, SINGLE
from trainer.ranking import InsufficientScores, aggregate

FIVE = [(f"J{i}", f"评委{i}", None, ["文书"]) for i in range(1, 6)]


def m(*values: str) -> list[int]:
    return [int(Decimal(v) * 1000) for v in values]


def one_item(db, method: str = DROP_HIGH_LOW, judges=FIVE, decimals: int = 2, draws: int = 1) -> Built:
    return build(db, [item("文书", method, decimals=decimals)],
                 [(d, f"选手{d}", "卫东区") for d in range(1, draws + 1)], judges)


def place_and_score(b: Built, draw: int) -> tuple[int | None, str, str]:
    s = ranking.compute(b.db, b.contest_id).standing(b.competitors[draw])
    return s.place, s.item_text(0), s.total_text


# ---- 去掉最高最低取平均 ----------------------------------------------------------------------------

def test_drop_one_highest_and_one_lowest_copy_even_when_they_repeat() -> None:
    agg = aggregate(m("90", "90", "85", "80", "80"), DROP_HIGH_LOW, 2)
    assert agg.score == 85_000          # (90 + 85 + 80) / 3, not (85) alone
    assert (agg.used_count, agg.used_sum) == (3, 255_000)
    assert (agg.dropped_high, agg.dropped_low) == (0, 4)  # one copy each, two different judges


def test_all_equal_scores_drop_two_different_judges() -> None:
    agg = aggregate(m("85", "85", "85"), DROP_HIGH_LOW, 2)
    assert agg.score == 85_000 and agg.dropped_high != agg.dropped_low


def test_drop_method_stored_scores_give_the_item_score(db) -> None:
    b = one_item(db)
    b.scores("文书", 1, {"J1": "90", "J2": "90", "J3": "85", "J4": "80", "J5": "80"})
    assert place_and_score(b, 1) == (1, "85.00", "85.00")


def test_fewer_than_three_scores_are_refused_for_drop_method(db) -> None:
    with pytest.raises(InsufficientScores, match="至少需要3个评分"):
        aggregate(m("85", "90"), DROP_HIGH_LOW, 2)
    b = one_item(db, judges=FIVE[:2])
    b.scores("文书", 1, {"J1": "85", "J2": "90"})
    s = ranking.compute(db, b.contest_id).standing(b.competitors[1])
    assert s.place is None and s.total is None
    assert s.shortfalls == (("文书", "去掉最高最低取平均至少需要3个评分，回避后只有2名评委可评"),)


def test_average_needs_only_one_score(db) -> None:
    b = one_item(db, AVERAGE, judges=FIVE[:2])
    b.scores("文书", 1, {"J1": "85", "J2": "90"})
    assert place_and_score(b, 1) == (1, "87.50", "87.50")


# ---- rounding -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("values", "method", "expected"), [
    (("2.34", "2.35"), AVERAGE, "2.35"),                       # 2.345: half-up, banker's would give 2.34
    (("2.67", "2.68"), AVERAGE, "2.68"),                       # 2.675: float round() gives 2.67
    (("2.30", "2.34", "2.35", "2.40"), DROP_HIGH_LOW, "2.35"),  # drop 2.40 and 2.30, (2.34 + 2.35) / 2
    (("85", "85", "86"), AVERAGE, "85.33"),                    # 85.333… down
    (("85", "86", "86"), AVERAGE, "85.67"),                    # 85.666… up
])
def test_rounding_is_half_up_to_the_item_decimals(db, values: tuple[str, ...], method: str, expected: str) -> None:
    b = one_item(db, method, judges=FIVE[:len(values)])
    b.scores("文书", 1, {f"J{i}": v for i, v in enumerate(values, start=1)})
    assert place_and_score(b, 1)[1] == expected


def test_item_with_no_decimals_rounds_a_half_up(db) -> None:
    b = one_item(db, AVERAGE, judges=FIVE[:2], decimals=0)
    b.scores("文书", 1, {"J1": "85", "J2": "86"})
    assert place_and_score(b, 1)[1] == "86"   # 85.5 → 86


# ---- deductions and weights ---------------------------------------------------------------------

def test_deductions_are_taken_from_the_rounded_item_score(db) -> None:
    b = one_item(db, AVERAGE, judges=FIVE[:3])
    b.scores("文书", 1, {"J1": "85", "J2": "85", "J3": "86"})        # 85.333… → 85.33
    scoring.add_deduction(db, b.items["文书"], b.competitors[1], "2", "超时30秒", "裁判长")
    scoring.add_deduction(db, b.items["文书"], b.competitors[1], "0.5", "着装不规范", "裁判长")
    assert place_and_score(b, 1) == (1, "82.83", "82.83")


def test_total_weighs_each_item_by_its_full_marks_and_weight(db) -> None:
    b = build(db, [item("笔试", SINGLE, 60, full=100), item("案卷", SINGLE, 40, full=50)],
              [(1, "甲", "卫东区")], [])
    b.score("笔试", 1, None, "85")
    b.score("案卷", 1, None, "42.5")
    assert place_and_score(b, 1)[2] == "85.00"  # 85/100×60 + 42.5/50×40 = 51 + 34


def test_total_is_summed_exactly_and_rounded_once(db) -> None:
    b = build(db, [item("甲项", SINGLE, 50), item("乙项", SINGLE, 50)], [(1, "甲", "卫东区"), (2, "乙", "卫东区")], [])
    for draw in (1, 2):
        b.score("甲项", draw, None, "33.35")                           # each contributes 16.675
    b.score("乙项", 1, None, "33.35")
    b.score("乙项", 2, None, "33.36")
    r = ranking.compute(db, b.contest_id)
    assert r.standing(b.competitors[1]).total_text == "33.35"     # not 16.68 + 16.68 = 33.36
    assert r.standing(b.competitors[2]).total_text == "33.36"     # 33.355 → 33.36 half-up


def test_weights_that_do_not_add_up_to_100_stop_the_ranking(db) -> None:
    b = build(db, [item("甲项", SINGLE, 60), item("乙项", SINGLE, 30)], [(1, "甲", "卫东区")], [])
    with pytest.raises(ranking.RankingError, match="权重合计为90，应为100"):
        ranking.compute(db, b.contest_id)


# ---- ties -----------------------------------------------------------------------------------------

def two_items(db, rows: dict[int, tuple[str, str]], third: dict[int, str] | None = None) -> Built:
    specs = [item("甲项", SINGLE, 40 if third else 50, tiebreak=1),
             item("乙项", SINGLE, 30 if third else 50, tiebreak=2)]
    if third:
        specs.append(item("丙项", SINGLE, 30))
    b = build(db, specs, [(d, f"选手{d}", "卫东区") for d in rows], [])
    for draw, (a, c) in rows.items():
        b.score("甲项", draw, None, a)
        b.score("乙项", draw, None, c)
        if third:
            b.score("丙项", draw, None, third[draw])
    return b


def test_equal_competitors_share_the_place_and_the_next_is_skipped(db) -> None:
    b = two_items(db, {1: ("90", "90"), 2: ("85", "85"), 3: ("85", "85"), 4: ("80", "80")})
    r = ranking.compute(db, b.contest_id)
    assert [(s.competitor.draw_no, s.place) for s in r.ranked] == [(1, 1), (2, 2), (3, 2), (4, 4)]
    shared = r.standing(b.competitors[2]).decision
    assert shared is not None and shared.step == -1 and "并列" in shared.text()
    assert r.standing(b.competitors[1]).decision == ranking.Decision(0)


def test_first_tie_break_item_decides_equal_totals(db) -> None:
    # all three have 总分 85; 甲项 decides: 90 > 85 > 80; 2 and 5 are equal on both items and share 4th
    b = two_items(db, {1: ("90", "90"), 2: ("80", "90"), 3: ("90", "80"), 4: ("85", "85"), 5: ("80", "90"),
                       6: ("70", "70")})
    r = ranking.compute(db, b.contest_id)
    assert [(s.competitor.draw_no, s.place) for s in r.ranked] == [(1, 1), (3, 2), (4, 3), (2, 4), (5, 4), (6, 6)]
    d = r.standing(b.competitors[3]).decision
    assert d is not None and (d.step, d.item_name) == (1, "甲项")
    assert d.text() == "总分相同，按决胜项目1“甲项”决出"


def test_second_tie_break_item_decides_when_the_first_is_equal(db) -> None:
    b = two_items(db, {1: ("80", "90"), 2: ("80", "80")}, third={1: "70", 2: "80"})  # both 总分 80.00
    r = ranking.compute(db, b.contest_id)
    assert [(s.competitor.draw_no, s.place, s.total_text) for s in r.ranked] == [(1, 1, "80.00"), (2, 2, "80.00")]
    d = r.standing(b.competitors[2]).decision
    assert d is not None and (d.step, d.item_name) == (2, "乙项")


# ---- methods ---------------------------------------------------------------------------------------

def test_rubric_sums_each_judges_criteria_then_aggregates(db) -> None:
    for method, expected in ((DROP_HIGH_LOW, "83.00"), (AVERAGE, "83.33")):
        spec = contest.NewItem("情景模拟", RUBRIC, Decimal(100), Decimal(100), 2, rubric_method=method)
        b = build(db, [spec], [(1, "甲", "卫东区")], [(c, c, None, ["情景模拟"]) for c in ("J1", "J2", "J3")],
                  name=f"细则{method}")
        contest.set_criteria(db, b.items["情景模拟"], [("仪容仪表", Decimal(20)), ("语言规范", Decimal(30)),
                                                     ("程序规范", Decimal(50))])
        for code, parts in (("J1", ("18", "25", "40")), ("J2", ("19", "27", "44")), ("J3", ("15", "24", "38"))):
            for crit, value in zip(("仪容仪表", "语言规范", "程序规范"), parts, strict=True):
                b.score("情景模拟", 1, code, value, criterion=crit)
        assert place_and_score(b, 1)[1] == expected      # judge sums 83, 90, 77
    lines = ranking.explain(db, b.contest_id, b.competitors[1]).lines()
    assert "  评委J1 J1：83 = 仪容仪表18、语言规范25、程序规范40" in lines


def test_a_judge_with_a_criterion_missing_leaves_the_rubric_item_incomplete(db) -> None:
    spec = contest.NewItem("情景模拟", RUBRIC, Decimal(100), Decimal(100), 2, rubric_method=AVERAGE)
    b = build(db, [spec], [(1, "甲", "卫东区")], [("J1", "J1", None, ["情景模拟"])])
    contest.set_criteria(db, b.items["情景模拟"], [("仪容仪表", Decimal(40)), ("程序规范", Decimal(60))])
    b.score("情景模拟", 1, "J1", "30", criterion="仪容仪表")
    assert place_and_score(b, 1) == (None, "", "")
    assert [m.line() for m in scoring.missing_scores(db, b.contest_id)] == [
        "缺少成绩: 项目 情景模拟, 抽签号 1, 评委 J1（细则：程序规范）"]


def test_measured_value_is_converted_by_the_table_lower_is_better(db) -> None:
    b = build(db, [item("队列", SINGLE, 100, decimals=1)],
              [(1, "快", "卫东区"), (2, "慢", "卫东区"), (3, "超", "卫东区")], [])
    contest.set_conversions(db, b.items["队列"], [(Decimal(200), Decimal(100)), (Decimal(210), Decimal(95)),
                                                   (Decimal(220), Decimal(90))], unit="秒", raw_decimals=1)
    b.score("队列", 1, None, "200")        # exactly on a limit: that limit's points
    b.score("队列", 2, None, "205.3")
    b.score("队列", 3, None, "220.1")      # beyond the table
    r = ranking.compute(db, b.contest_id)
    assert [r.standing(b.competitors[d]).item_text(0) for d in (1, 2, 3)] == ["100.0", "95.0", "0.0"]
    lines = ranking.explain(db, b.contest_id, b.competitors[2]).lines()
    assert "  换算：成绩 205.3秒 ≤ 210秒 → 95分" in lines


def test_recused_judges_are_left_out_and_the_rest_make_the_score(db) -> None:
    judges = [("J1", "本县", "卫东区", ["文书"]), ("J2", "乙", None, ["文书"]), ("J3", "丙", None, ["文书"]),
              ("J4", "丁", None, ["文书"])]
    b = build(db, [item("文书")], [(1, "甲", "卫东区"), (2, "乙", "新华区")], judges)
    b.scores("文书", 1, {"J2": "80", "J3": "85", "J4": "90"})
    b.scores("文书", 2, {"J1": "70", "J2": "80", "J3": "85", "J4": "90"})
    r = ranking.compute(db, b.contest_id)
    assert r.standing(b.competitors[1]).item_text(0) == "85.00"     # J1 recused: 80/85/90, drop both ends
    assert r.standing(b.competitors[2]).item_text(0) == "82.50"     # (80 + 85) / 2


def test_a_spread_above_the_limit_is_flagged_and_at_the_limit_is_not(db) -> None:
    b = build(db, [item("文书", spread="10")], [(1, "甲", "卫东区"), (2, "乙", "卫东区")],
              [(f"J{i}", f"评委{i}", None, ["文书"]) for i in (1, 2, 3)])
    b.scores("文书", 1, {"J1": "80", "J2": "85", "J3": "90"})        # spread 10: fine
    b.scores("文书", 2, {"J1": "79.5", "J2": "85", "J3": "90"})      # 10.5: flagged
    flags = ranking.compute(db, b.contest_id).flags
    assert [(f.competitor.draw_no, f.spread_milli, f.overridden) for f in flags] == [(2, 10_500, False)]


def test_teams_by_county_sum_or_best_n(db) -> None:
    comps = [(1, "甲", "卫东区"), (2, "乙", "卫东区"), (3, "丙", "卫东区"), (4, "丁", "新华区"), (5, "戊", "新华区")]
    for mode, best, expected in ((contest.TEAM_SUM, None, [("卫东区", 1, "240.00"), ("新华区", 2, "175.00")]),
                                 (contest.TEAM_BEST, 2, [("新华区", 1, "175.00"), ("卫东区", 2, "170.00")])):
        b = build(db, [item("笔试", SINGLE, 100)], comps, [], name=f"团体{mode}", team_mode=mode, best_n=best)
        for draw, value in zip(range(1, 6), ("90", "80", "70", "95", "80"), strict=True):
            b.score("笔试", draw, None, value)
        teams = ranking.team_ranking(ranking.compute(db, b.contest_id))
        assert [(t.name, t.place, t.total_text) for t in teams] == expected


# ---- why this rank ---------------------------------------------------------------------------------

def test_explanation_shows_every_step_of_the_calculation(db) -> None:
    judges = [("J1", "周明", None, ["文书"]), ("J2", "郑红", "卫东区", ["文书"]),
              *[(f"J{i}", f"评委{i}", None, ["文书"]) for i in (3, 4, 5, 6)]]
    b = build(db, [item("文书", weight=50, tiebreak=1), item("笔试", SINGLE, 50)],
              [(1, "张三", "卫东区"), (2, "李四", "新华区")], judges)
    b.scores("文书", 1, {"J1": "90", "J3": "90", "J4": "85", "J5": "80", "J6": "80"})
    b.score("笔试", 1, None, "70")
    b.scores("文书", 2, {"J1": "80", "J2": "80", "J3": "80", "J4": "80", "J5": "80", "J6": "80"})
    b.score("笔试", 2, None, "73")
    scoring.add_deduction(db, b.items["文书"], b.competitors[1], "2", "超时30秒", "裁判长")
    ex = ranking.explain(db, b.contest_id, b.competitors[1])
    lines = ex.lines()
    assert lines[0] == "1号 张三（卫东区）：第1名，总分76.50"
    assert "【文书】去掉最高最低取平均，满分100，权重50%，保留2位小数" in lines
    assert "  评委J1 周明：90（去掉最高分）" in lines
    assert "  评委J3 评委3：90" in lines                               # the second 90 counts
    assert "  评委J6 评委6：80（去掉最低分）" in lines
    assert "  评委J5 评委5：80" in lines
    assert "  回避：评委J2 郑红（卫东区）" in lines
    assert "  计算：去掉一个最高分90、一个最低分80，(90 + 85 + 80) ÷ 3 = 85" in lines
    assert "  四舍五入保留2位：85.00" in lines
    assert "  扣分：-2（超时30秒）" in lines
    assert "  项目得分：83.00" in lines
    assert "  折合：83.00 ÷ 100 × 50 = 41.5" in lines
    assert "总分：41.5 + 35 = 76.5，四舍五入保留2位：76.50" in lines
    assert "与2号李四（第2名）总分相同；总分相同，按决胜项目1“文书”决出" in lines
    assert ex.items[0].scores[0].dropped == "最高" and ex.items[0].scores[4].dropped == "最低"
