"""As the chief judge I run a contest with a team item (队列会操, performed by each unit's team): the draw gives
every unit's team a number (队号), recorded and reproducible; judges score each team once and never their own
unit's team; the individual ranking keeps its columns (the 个人 items only) while the team ranking adds the team
item to the members' totals, breaking ties by the team item; kits, judges' files, paper double entry, spread
checks, locks and `contest scores import` (where the 抽签号 column holds the 队号) all work on teams."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from roster_files import run
from sqlite_utils import Database

from trainer import (
    audit,
    contest,
    contest_locks,
    contest_people,
    contest_results,
    draw,
    judge_kit,
    merge,
    ranking,
    scoring,
)
from trainer.contest import DROP_HIGH_LOW, SINGLE, TEAM, ContestError, NewContest, NewItem
from trainer.contest_people import Competitor
from trainer.judge_session import EntryRefused, JudgeSession
from trainer.score_file import ScoreValue, write
from trainer.scoring import ScoreError, Slot
from trainer.units import UnitIndex

CHIEF, CLERK, CLERK2 = "裁判长周明", "记分员李静", "记分员王芳"
PIN = "2468"
DRILL = "队列会操"
PEOPLE = (("张三", "新华区"), ("李四", "新华区"), ("王五", "卫东区"), ("赵六", "卫东区"), ("钱七", "湛河区"),
          ("孙八", "湛河区"))
JUDGES = (("J1", "周明", "新华区"), ("J2", "郑红", None), ("J3", "孙立", "法规科"), ("J4", "冯静", "卫东区"),
          ("J5", "陈晓", None))
# by name: 笔试 (单一成绩), 文书 by J1–J5 (a judge of the competitor's own unit is recused)
EXAM = {"张三": "90", "李四": "80", "王五": "85", "赵六": "78.5", "钱七": "92", "孙八": "70"}
WRITING = {"张三": {"J2": 80, "J3": 84, "J4": 86, "J5": 90}, "李四": {"J2": 70, "J3": 75, "J4": 75, "J5": 80},
           "王五": {"J1": 88, "J2": 90, "J3": 92, "J5": 94}, "赵六": {"J1": 80, "J2": 80, "J3": 80, "J5": 80},
           "钱七": {"J1": 85, "J2": 86, "J3": 87, "J4": 88, "J5": 89}, "孙八": {j: 75 for j in ("J1", "J2", "J3", "J4",
                                                                                           "J5")}}
# the team item, by unit: 新华区's team without J1, 卫东区's without J4
TEAM_SCORES = {"新华区": {"J2": 90, "J3": 92, "J4": 93, "J5": 95}, "卫东区": {"J1": 88, "J2": 89, "J3": 91, "J5": 96},
               "湛河区": {"J1": 80, "J2": 85, "J3": 85, "J4": 85, "J5": 90}}


@dataclass
class Field:
    db: Database
    contest_id: int
    items: dict[str, int]
    judges: dict[str, int]

    def panel(self) -> contest_people.Panel:
        return contest_people.Panel.load(self.db, self.contest_id)

    def person(self, name: str) -> Competitor:
        return next(c for c in contest_people.competitors(self.db, self.contest_id) if c.name == name)

    def team(self, unit: str) -> Competitor:
        return next(t for t in contest_people.team_entries(self.db, self.contest_id) if t.name == unit)

    def slot(self, item: str, who: Competitor, judge: str | None = None) -> Slot:
        return Slot(self.items[item], who.id, self.judges[judge] if judge else None)

    def score_everything(self) -> None:
        for name, value in EXAM.items():
            scoring.enter_score(self.db, self.slot("笔试", self.person(name)), value, CLERK)
        for name, values in WRITING.items():
            for judge, v in values.items():
                scoring.enter_score(self.db, self.slot("文书", self.person(name), judge), v, CLERK)
        for unit, values in TEAM_SCORES.items():
            for judge, v in values.items():
                scoring.enter_score(self.db, self.slot(DRILL, self.team(unit), judge), v, CLERK)


def make_field(db: Database, *, draw_now: bool = True) -> Field:
    index = UnitIndex.load(db)
    c = contest.create_contest(db, NewContest("团体项目测试"))
    items = {}
    for spec in (NewItem("笔试", SINGLE, Decimal(100), Decimal(60), 1, tiebreak=2),
                 NewItem("文书", DROP_HIGH_LOW, Decimal(100), Decimal(40), 2, tiebreak=1),
                 NewItem(DRILL, DROP_HIGH_LOW, Decimal(100), Decimal(20), 2, tiebreak=3, max_spread=Decimal(10),
                         kind=TEAM)):
        items[spec.name] = contest.add_item(db, c.id, spec).id
    for name, unit in PEOPLE:
        u = index.resolve(unit)
        assert u is not None
        contest_people.add_competitor(db, c.id, name, u.id)
    judges = {}
    for code, name, unit in JUDGES:
        u = index.resolve(unit) if unit else None
        judges[code] = contest_people.add_judge(db, c.id, code, name, u.id if u else None,
                                                unit_text="" if u else "外聘").id
    for item_name in ("文书", DRILL):
        contest_people.assign_all(db, items[item_name], list(judges.values()))
    if draw_now:
        draw.draw_contest(db, c.id, CHIEF, seed="2026-11-18 监督员王芳")
    contest_locks.set_pin(db, c.id, PIN, CHIEF, n=2**10)
    return Field(db, c.id, items, judges)


@pytest.fixture
def venue(db: Database) -> Field:
    return make_field(db)


# ---- teams and their numbers ----------------------------------------------------------------------------------

def test_the_draw_numbers_every_units_team_recorded_and_reproducible(db: Database) -> None:
    f = make_field(db, draw_now=False)
    teams = contest_people.team_entries(db, f.contest_id)
    assert sorted(t.name for t in teams) == ["卫东区", "新华区", "湛河区"]  # made as the competitors were entered
    assert all(t.is_team and t.team_no is None and t.draw_no is None and t.person_id is None for t in teams)
    assert len(contest_people.competitors(db, f.contest_id)) == 6  # competitors are individuals only

    first = draw.draw_contest(db, f.contest_id, CHIEF, seed="2026-11-18 监督员王芳").numbers
    records = draw.draws(db, f.contest_id)
    assert [r.what for r in records] == ["抽签号", "队号"] and records[0].id == first.id
    team_record = records[1]
    assert team_record.seed == "2026-11-18 监督员王芳 队号" and team_record.method == draw.TEAM_NUMBERS_METHOD
    assert all(draw.reproduce(db, r.id) for r in records)
    numbered = {t.name: t.team_no for t in contest_people.team_entries(db, f.contest_id)}
    assert sorted(numbered.values()) == [1, 2, 3]
    assert team_record.result == {f.team(n).id: str(no) for n, no in numbered.items()}
    assert sorted(c.draw_no or 0 for c in contest_people.competitors(db, f.contest_id)) == [1, 2, 3, 4, 5, 6]

    # the same seed gives the same team numbers; the team draw alone is recorded too
    again = draw.draw_team_numbers(db, f.contest_id, CHIEF, seed="2026-11-18 监督员王芳 队号")
    assert again.result == team_record.result and draw.reproduce(db, again.id)
    # judged on anonymous codes, a team item's codes go to the teams
    sealed = draw.draw_codes(db, f.items[DRILL], CHIEF, seed="会操 密封")
    assert set(sealed.result) == {t.id for t in contest_people.team_entries(db, f.contest_id)}
    assert draw.reproduce(db, sealed.id) and sealed.what == "密封编号"


def test_team_rows_follow_the_competitors_units_and_scored_teams_stay(venue: Field) -> None:
    db = venue.db
    ye = UnitIndex.load(db).resolve("叶县")
    assert ye is not None
    newcomer = contest_people.add_competitor(db, venue.contest_id, "周九", ye.id)
    assert venue.team("叶县").team_no is None  # numbered at the next draw
    contest_people.remove_competitor(db, newcomer.id)
    assert "叶县" not in {t.name for t in contest_people.team_entries(db, venue.contest_id)}
    with pytest.raises(ContestError, match="自动生成"):
        contest_people.remove_competitor(db, venue.team("湛河区").id)

    scoring.enter_score(db, venue.slot(DRILL, venue.team("湛河区"), "J2"), "85", CLERK)
    for name in ("钱七", "孙八"):
        contest_people.remove_competitor(db, venue.person(name).id)
    assert venue.team("湛河区").team_no is not None  # it has a score: kept, never dropped with its score


def test_a_contest_without_team_items_has_no_team_rows(db: Database) -> None:
    index = UnitIndex.load(db)
    c = contest.create_contest(db, NewContest("只有个人项目"))
    contest.add_item(db, c.id, NewItem("笔试", SINGLE, Decimal(100), Decimal(100)))
    xinhua = index.resolve("新华区")
    assert xinhua is not None
    contest_people.add_competitor(db, c.id, "张三", xinhua.id)
    draw.draw_contest(db, c.id, CHIEF, seed="x")
    assert contest_people.team_entries(db, c.id) == [] and len(draw.draws(db, c.id)) == 1
    with pytest.raises(ContestError, match="没有团体项目"):
        draw.draw_team_numbers(db, c.id, CHIEF)


def test_individual_weights_sum_to_100_and_team_items_weigh_apart() -> None:
    def it(name: str, weight: str, kind: str = "个人") -> contest.Item:
        return contest.Item(0, 0, name, SINGLE, Decimal(100), Decimal(weight), 2, None, None, DROP_HIGH_LOW, kind,
                            False, "", 2, True, 1, None, "")

    assert contest.weights_problem([it("笔试", "60"), it("文书", "40"), it(DRILL, "20", TEAM)]) is None
    assert contest.weights_problem([it("笔试", "60"), it("文书", "30"), it(DRILL, "10", TEAM)]) == \
        "个人项目权重合计为90，应为100"
    assert contest.weights_problem([it("笔试", "60"), it("文书", "30")]) == "权重合计为90，应为100"
    contest.validate_item(NewItem(DRILL, DROP_HIGH_LOW, Decimal(100), Decimal(0), kind=TEAM))  # 0: allowed
    with pytest.raises(ContestError, match="权重应大于0"):
        contest.validate_item(NewItem("笔试", SINGLE, Decimal(100), Decimal(0)))


# ---- judges and entry -----------------------------------------------------------------------------------------

def test_judges_never_score_their_own_units_team(venue: Field) -> None:
    panel = venue.panel()
    drill = contest.require_item(venue.db, venue.items[DRILL])
    j1 = panel.judge_by_code["J1"]
    assert [t.name for t in panel.entrants(drill)] == [t.name for t in sorted(panel.team_entries,
                                                                                key=lambda t: t.team_no or 0)]
    assert "新华区" not in {t.name for t in panel.sheet(j1, drill)}
    assert len(panel.sheet(panel.judge_by_code["J2"], drill)) == 3
    report = contest_people.assignment_report(panel, drill, j1.id)
    assert [c.name for c in report.recused] == ["新华区"]

    own = venue.team("新华区")
    with pytest.raises(ScoreError, match=f"回避：评委J1（新华区）与{own.team_no}号队（本单位队伍）同属新华区"):
        scoring.enter_score(venue.db, venue.slot(DRILL, own, "J1"), "90", CLERK)
    # a team is scored on the team item only, a competitor on the individual items only
    with pytest.raises(ScoreError, match="团体项目，按队伍评分"):
        scoring.enter_score(venue.db, venue.slot(DRILL, venue.person("张三"), "J2"), "90", CLERK)
    with pytest.raises(ScoreError, match="个人项目，不能为参赛队伍评分"):
        scoring.enter_score(venue.db, venue.slot("文书", own, "J2"), "90", CLERK)

    expected = {p.item.name: p.expected for p in scoring.progress(venue.db, venue.contest_id).items}
    assert expected == {"笔试": 6, "文书": 6 * 5 - 4, DRILL: 3 * 5 - 2}


def test_a_team_score_change_is_audited_double_entered_and_locked_like_any(venue: Field) -> None:
    db = venue.db
    team = venue.team("卫东区")
    slot = venue.slot(DRILL, team, "J2")
    scoring.enter_score(db, slot, "89", CLERK)
    with pytest.raises(ScoreError, match="修改须说明原因"):
        scoring.enter_score(db, slot, "90", CLERK)
    scoring.enter_score(db, slot, "90", CLERK, reason="评委更正笔误")
    [change] = scoring.score_changes(db, venue.contest_id, competitor_id=team.id)
    assert (change.item, change.draw_no, change.judge, change.old, change.new, change.reason) == \
        (DRILL, team.team_no, "J2", "89", "90", "评委更正笔误")
    assert audit.verify(db) is None

    scoring.enter_check(db, slot, "91", CLERK2)  # paper double entry by a second clerk
    [mismatch] = scoring.double_entry_status(db, venue.items[DRILL]).mismatches
    assert mismatch.slot == slot and (mismatch.first, mismatch.second) == (Decimal(90), Decimal(91))
    with pytest.raises(contest_locks.LockRefused, match="复核录入不一致"):
        contest_locks.lock_item(db, venue.items[DRILL], PIN, CHIEF)
    scoring.resolve_mismatch(db, slot, "91", PIN, CHIEF, reason="核对原始评分表")

    scoring.add_deduction(db, venue.items[DRILL], team.id, Decimal(1), "口令错误", CHIEF)
    for judge, value in {"J1": 75, "J3": 91, "J5": 96}.items():  # 75..96: spread 21 > 10
        scoring.enter_score(db, venue.slot(DRILL, team, judge), value, CLERK)
    flags = contest_locks.open_flags(db, contest.require_item(db, venue.items[DRILL]))
    assert [f.text() for f in flags] == [f"{DRILL} {team.team_no}号队：评委分差21，超过分差上限10"]
    with pytest.raises(contest_locks.LockRefused, match="分差超过上限"):
        contest_locks.lock_item(db, venue.items[DRILL], PIN, CHIEF)
    contest_locks.override_spread(db, venue.items[DRILL], team.id, PIN, CHIEF, "复核录像，维持原评分")
    contest_locks.lock_item(db, venue.items[DRILL], PIN, CHIEF)
    with pytest.raises(ScoreError, match="已锁定"):
        scoring.enter_score(db, slot, "92", CLERK, reason="再改")
    assert audit.verify(db) is None


# ---- rankings -------------------------------------------------------------------------------------------------

def test_individual_ranking_has_the_individual_items_and_the_team_ranking_adds_the_team_item(venue: Field) -> None:
    venue.score_everything()
    r = ranking.compute(venue.db, venue.contest_id)
    assert contest_results.headers(r) == ["名次", "抽签号", "姓名", "单位", "笔试", "文书", "总分"]
    totals = {s.competitor.name: (s.place, s.total_text) for s in r.standings}
    # 总分 = 笔试 × 60% + 文书 × 40%: 钱七 92 × .6 + 87 × .4 = 90.00; 张三 54 + 34 = 88.00; 王五 51 + 36.4 = 87.40
    assert totals == {"钱七": (1, "90.00"), "张三": (2, "88.00"), "王五": (3, "87.40"), "赵六": (4, "79.10"),
                      "李四": (5, "78.00"), "孙八": (6, "72.00")}
    assert [it.name for it in r.team_items] == [DRILL] and len(r.team_entries) == 3

    teams = ranking.team_ranking(r)
    # 新华区 88.00 + 78.00 = 166.00, 队列会操 (92 + 93) ÷ 2 = 92.50 → ÷ 100 × 20 = 18.50 → 184.50
    # 卫东区 87.40 + 79.10 = 166.50, 队列会操 (89 + 91) ÷ 2 = 90.00 → 18.00 → 184.50: the same; the team item
    #   (决胜顺序 3, the only team tie-break item) puts 新华区 first
    # 湛河区 90.00 + 72.00 = 162.00, 队列会操 85.00 → 17.00 → 179.00
    assert [(t.name, t.place, t.total_text) for t in teams] == [("新华区", 1, "184.50"), ("卫东区", 2, "184.50"),
                                                                ("湛河区", 3, "179.00")]
    first = teams[0]
    assert first.basis == ("个人总分合计166.00 + 团体项目折合18.50（队列会操 92.50 ÷ 100 × 20 = 18.5）= 184.50")
    assert first.decision_text == "团体成绩相同，按决胜项目1“队列会操”决出"
    rows = contest_results.team_rows(teams)
    assert rows[1][:5] == [2, "卫东区", Decimal("184.50"), 2, 2]
    assert rows[1][5] == ("个人总分合计166.50 + 团体项目折合18.00（队列会操 90.00 ÷ 100 × 20 = 18）= 184.50；"
                          "团体成绩相同，按决胜项目1“队列会操”决出")
    assert rows[2][5] == "个人总分合计162.00 + 团体项目折合17.00（队列会操 85.00 ÷ 100 × 20 = 17）= 179.00"

    why = ranking.explain(venue.db, venue.contest_id, venue.team("新华区").id, r).lines()
    assert why[0] == f"{venue.team('新华区').team_no}号队 新华区：团体项目折合18.50"
    assert "  回避：评委J1 周明（新华区）" in why and "  去掉一个最高分95、一个最低分90，(92 + 93) ÷ 2 = 92.5" in \
        [line.replace("计算：", "") for line in why]
    assert why[-1] == "团体项目折合：18.5 = 18.5，四舍五入保留2位：18.50"


def test_equal_teams_share_the_place_and_an_unscored_team_item_leaves_the_team_unranked(venue: Field) -> None:
    db = venue.db
    venue.score_everything()
    zhao = venue.person("赵六")  # 文书 78.75 → 总分 47.10 + 31.50 = 78.60: 卫东区 166.00 like 新华区
    for judge, value in {"J1": "78.5", "J2": "79", "J3": "78", "J5": "80"}.items():
        scoring.enter_score(db, venue.slot("文书", zhao, judge), value, CLERK, reason="更正")
    for judge, value in {"J1": 90, "J2": 92, "J3": 93, "J5": 95}.items():  # 队列会操 92.50 like 新华区
        scoring.enter_score(db, venue.slot(DRILL, venue.team("卫东区"), judge), value, CLERK, reason="更正")
    scoring.clear_score(db, venue.slot(DRILL, venue.team("湛河区"), "J4"), CLERK, reason="误录")
    r = ranking.compute(db, venue.contest_id)
    teams = ranking.team_ranking(r)
    assert [(t.name, t.place, t.total_text) for t in teams] == [("卫东区", 1, "184.50"), ("新华区", 1, "184.50"),
                                                                ("湛河区", None, "")]
    assert teams[0].decision_text == "并列（团体成绩及决胜项目均相同）"
    assert teams[2].explanation == "团体项目成绩不完整：队列会操"
    assert not r.incomplete  # the individual ranking does not wait for the team item
    zhan = venue.team("湛河区")
    assert f"缺少成绩: 项目 {DRILL}, 队号 {zhan.team_no}, 评委 J4" in contest_results.refusal_lines(db, r)


# ---- judges' laptops ------------------------------------------------------------------------------------------

def test_kits_list_teams_by_number_and_a_judges_file_merges_onto_the_teams(venue: Field, tmp_path: Path) -> None:
    db = venue.db
    numbers = {u: venue.team(u).team_no for u in TEAM_SCORES}
    kit1 = judge_kit.export_kit(db, venue.contest_id, "J1", tmp_path / "J1.kit", CLERK)
    drill1 = kit1.kit.item_named(DRILL)
    assert drill1 is not None and drill1.team and drill1.key_label == "队号"
    assert set(drill1.keys) == {str(numbers["卫东区"]), str(numbers["湛河区"])}  # not J1's own 新华区
    assert kit1.recused == 2 + 1  # 张三, 李四 on 文书; 新华区's team on 队列会操
    read = judge_kit.read_kit(tmp_path / "J1.kit").item_named(DRILL)
    assert read is not None and read.team and read.keys == drill1.keys

    # on J1's own laptop: the teams are typed by 队号, and J1's own unit's team is not on the sheet
    session = JudgeSession.open(tmp_path / "J1.kit", store_dir=tmp_path / "store")
    session.enter(drill1.id, str(numbers["卫东区"]), "88")
    with pytest.raises(EntryRefused, match=f"队号{numbers['新华区']}不在评委J1“{DRILL}”的评分表上"):
        session.enter(drill1.id, str(numbers["新华区"]), "88")
    session.close()

    kit2 = judge_kit.export_kit(db, venue.contest_id, "J2", tmp_path / "J2.kit", CLERK).kit
    drill2 = kit2.item_named(DRILL)
    assert drill2 is not None and set(drill2.keys) == {str(n) for n in numbers.values()}
    writing = kit2.item_named("文书")
    assert writing is not None and not writing.team and writing.key_label == "抽签号" and len(writing.keys) == 6
    session = JudgeSession.open(tmp_path / "J2.kit", store_dir=tmp_path / "store")
    for unit, values in TEAM_SCORES.items():
        session.enter(drill2.id, str(numbers[unit]), str(values["J2"]))
    path = session.submit(tmp_path / "out", now=dt.datetime(2026, 11, 18, 10)).path
    session.close()
    report = merge.merge_files(db, venue.contest_id, [path], CLERK)
    assert [o.status for o in report.outcomes] == ["accepted"] and report.outcomes[0].count == 3
    for unit, values in TEAM_SCORES.items():
        assert scoring.get_score(db, venue.slot(DRILL, venue.team(unit), "J2")) == Decimal(values["J2"])

    # a hand-typed value that differs from the judge's file is a conflict named by 队号
    kit3 = judge_kit.export_kit(db, venue.contest_id, "J3", tmp_path / "J3.kit", CLERK).kit
    scoring.enter_score(db, venue.slot(DRILL, venue.team("湛河区"), "J3"), "84", CLERK)
    path3 = tmp_path / "J3.score"
    write(path3, kit3, [ScoreValue(venue.items[DRILL], str(numbers["湛河区"]), None, Decimal(85), DRILL)],
          revision=1, now=dt.datetime(2026, 11, 18, 10))
    [outcome] = merge.merge_files(db, venue.contest_id, [path3], CLERK).outcomes
    [conflict] = outcome.conflicts
    assert conflict.team and conflict.line().startswith(f"冲突 #{conflict.id}：{DRILL} 队号{numbers['湛河区']} 评委J3")


# ---- scores import --------------------------------------------------------------------------------------------

def test_scores_import_reads_the_team_number_in_the_draw_number_column(venue: Field, db_path: Path, capsys) -> None:
    numbers = {u: venue.team(u).team_no for u in TEAM_SCORES}
    path = db_path.parent / "评分.csv"

    def write_rows(rows: list[list[object]]) -> None:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([["项目名称", "抽签号", "评委编号", "分数"], *rows])

    write_rows([[DRILL, numbers["新华区"], "J2", 90], [DRILL, 99, "J2", 90], [DRILL, numbers["新华区"], "J1", 90]])
    code, _out, err = run(capsys, db_path, "contest", "scores", "import", "--contest", str(venue.contest_id), str(path))
    assert code == 2
    own = numbers["新华区"]
    assert err.splitlines() == ["第3行 抽签号: 未知队号99（团体项目的抽签号填队号）",
                                f"第4行 评委编号: 回避：评委J1（新华区）与{own}号队（本单位队伍）"
                                "同属新华区，不能为其评分"]
    assert scoring.get_score(venue.db, venue.slot(DRILL, venue.team("新华区"), "J2")) is None  # nothing written

    write_rows([[DRILL, numbers[u], j, v] for u, values in TEAM_SCORES.items() for j, v in values.items()])
    code, out, err = run(capsys, db_path, "contest", "scores", "import", "--contest", str(venue.contest_id), str(path))
    assert code == 0 and "13" in out, err
    missing = scoring.missing_scores(venue.db, venue.contest_id)
    assert {m.item.name for m in missing} == {"笔试", "文书"}  # the team item is complete


# ---- the window's ranking tab and the printed ranking ------------------------------------------------------------

def test_the_ranking_tab_counts_the_team_item_as_unlocked_shows_the_whole_team_note_and_explains_a_team(
        qtbot, venue: Field) -> None:
    from PySide6.QtCore import Qt

    from ui.contest_page import ContestPage
    from ui.contest_ranking_tab import TEAM_NOTE_COLUMN

    venue.score_everything()
    for name in ("笔试", "文书"):
        contest_locks.lock_item(venue.db, venue.items[name], PIN, CHIEF)
    page = ContestPage(venue.db)
    qtbot.addWidget(page)
    page.resize(1500, 900)
    page.show()
    tab = page.ranking_tab
    page.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)
    assert f"初稿（未锁定：{DRILL}）" in tab.status_label.text()  # the individual items are locked, the team item not

    note = tab.team_model.index(0, TEAM_NOTE_COLUMN)
    explanation = ranking.team_ranking(ranking.compute(venue.db, venue.contest_id))[0].explanation
    assert note.data() == explanation and note.data(Qt.ItemDataRole.ToolTipRole) == explanation
    header = tab.team_view.horizontalHeader()
    assert header.sectionSize(TEAM_NOTE_COLUMN) == max(header.sectionSize(c) for c in range(header.count()))
    assert tab.team_view.rowHeight(0) > tab.view.rowHeight(0)  # wrapped over more than one line, not cut off

    assert tab.select_team("新华区")
    own = venue.team("新华区")
    assert tab.explain_title.text() == f"为什么是这个名次 — 新华区（{own.team_no}号队）"
    why = tab.explain_text.toPlainText().splitlines()
    assert why[0] == "新华区：第1名，团体成绩184.50"
    assert why[1].startswith("计法：团体成绩 = 各单位选手总分之和（合计） + 团体项目折合")
    assert f"计算：个人总分合计166.00 + 团体项目折合18.50（{DRILL} 92.50 ÷ 100 × 20 = 18.5）= 184.50" in why
    assert f"团体成绩相同，按决胜项目1“{DRILL}”决出" in why
    assert f"{own.team_no}号队 新华区：团体项目折合18.50" in why and "  回避：评委J1 周明（新华区）" in why


def test_the_printed_team_ranking_states_the_real_formula(venue: Field, tmp_path: Path) -> None:
    import subprocess

    from exports.contest_pdf import ranking_pdf

    venue.score_everything()
    pdf = ranking_pdf(ranking.compute(venue.db, venue.contest_id), tmp_path / "排名.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = text.replace("\n", "").replace(" ", "")
    assert "团体成绩=各单位选手总分之和（合计）+团体项目折合（Σ团体项目得分÷满分×权重" in flat
    assert f"团体项目：{DRILL}（满分100，权重20）" in flat and "团体成绩相同者按决胜顺序比较团体项目得分" in flat
    assert f"未锁定：笔试、文书、{DRILL}" in flat and "个人总分合计166.00+团体项目折合18.50" in flat

    c = venue.db
    contest.set_team_mode(c, venue.contest_id, contest.TEAM_BEST, 1)
    pdf = ranking_pdf(ranking.compute(c, venue.contest_id), tmp_path / "前1名.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "各单位成绩最好的1名选手总分之和（前1名）+团体项目折合" in text.replace("\n", "").replace(" ", "")
