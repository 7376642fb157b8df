"""As a scorer I enter scores on the main laptop and import score files: values are checked as typed, a judge
never scores their own unit's competitor, "not scored" is not 0, every change after first entry is logged
with who, when, old, new and why, and a second clerk's entry is compared, never silently merged."""

from __future__ import annotations

import csv
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from contest_support import CLERK, build, good_sheets, item, write_workbook
from roster_files import problems, run

from trainer import audit, contest, contest_locks, contest_people, demo, ranking, scoring
from trainer.contest import SINGLE
from trainer.db import open_db
from trainer.scoring import ScoreError
from trainer.units import UnitIndex

HEADER = ["项目名称", "抽签号", "评委编号", "分数"]


@pytest.fixture
def contest_db(tmp_path: Path, capsys: Any) -> Path:
    """The good workbook imported by the CLI (contest 1, no scores yet)."""
    db_path = tmp_path / "t.db"
    code, _out, err = run(capsys, db_path, "contest", "import", str(write_workbook(tmp_path / "c.xlsx", good_sheets())))
    assert code == 0, err
    return db_path


def write_csv(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(["" if v is None else v for v in r] for r in rows)
    return path


def stored(db_path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT * FROM contest_scores ORDER BY id").fetchall()
    finally:
        conn.close()


def scores_import(capsys: Any, db_path: Path, file: Path) -> tuple[int, str, str]:
    return run(capsys, db_path, "contest", "scores", "import", "--contest", "1", str(file))


# ---- contest scores import --------------------------------------------------------------------

def test_a_score_file_imports_and_a_repeat_of_the_same_values_changes_nothing(contest_db: Path, tmp_path: Path,
                                                                            capsys: Any) -> None:
    rows = [["法律知识笔试", 1, None, 88.5], ["执法文书制作", 1, "J1", 85], ["执法文书制作", 2, "J2", "0"],
            ["案卷评审", 3, "J4", None]]
    code, out, err = scores_import(capsys, contest_db, write_csv(tmp_path / "s.csv", rows))
    assert (code, err) == (0, "")
    assert out.strip() == "已导入成绩 3 条（与已录入相同 0 条，未评分 1 行）"
    assert len(stored(contest_db)) == 3
    code, out, _ = scores_import(capsys, contest_db, write_csv(tmp_path / "s2.csv", rows[:2]))
    assert code == 0 and out.strip() == "已导入成绩 0 条（与已录入相同 2 条，未评分 0 行）"
    assert len(stored(contest_db)) == 3


def test_an_xlsx_score_file_is_read_from_its_评分_sheet(contest_db: Path, tmp_path: Path, capsys: Any) -> None:
    path = write_workbook(tmp_path / "s.xlsx", {"说明": [["本表", "由评委填写"]],
                                                "评分": [HEADER, ["执法文书制作", 2, "J3", 77.5]]})
    code, out, _ = scores_import(capsys, contest_db, path)
    assert code == 0 and "已导入成绩 1 条" in out


REJECTIONS = {
    "below 0": (["执法文书制作", 2, "J1", -0.5], "第2行 分数: 分数不能为负数（-0.5）"),
    "above 满分": (["案卷评审", 2, "J1", 51], "第2行 分数: 分数51高于满分50"),
    "decimals": (["法律知识笔试", 2, None, "88.25"], "第2行 分数: 分数88.25最多保留1位小数"),
    "unknown draw": (["执法文书制作", 99, "J1", 80], "第2行 抽签号: 未知抽签号99"),
    "unknown judge": (["执法文书制作", 2, "J0", 80], "第2行 评委编号: 未知评委编号“J0”"),
    "unknown item": (["执法礼仪", 2, "J1", 80], "第2行 项目名称: 未知项目“执法礼仪”"),
    "own unit": (["案卷评审", 1, "J2", 40], "第2行 评委编号: 回避：评委J2（新华区）与1号选手同属新华区，不能为其评分"),
    "single with judge": (["法律知识笔试", 2, "J1", 80], "第2行 评委编号: “法律知识笔试”是单一成绩项目，不填评委编号"),
    "judged without judge": (["案卷评审", 2, None, 40], "第2行 评委编号: “案卷评审”由评委评分，须填写评委编号"),
}


@pytest.mark.parametrize("case", list(REJECTIONS))
def test_each_bad_row_is_refused_and_nothing_is_written(contest_db: Path, tmp_path: Path, capsys: Any,
                                                       case: str) -> None:
    row, line = REJECTIONS[case]
    good = ["执法文书制作", 3, "J1", 70]   # a good row after the bad one is not written either
    code, out, err = scores_import(capsys, contest_db, write_csv(tmp_path / "s.csv", [row, good]))
    assert (code, out) == (2, "")
    assert err.splitlines() == [line]
    assert stored(contest_db) == []


def test_a_judge_not_assigned_to_the_item_is_refused(contest_db: Path, tmp_path: Path, capsys: Any) -> None:
    db = open_db(contest_db)
    unit = UnitIndex.load(db).resolve("法规科")
    assert unit is not None
    j = contest_people.add_judge(db, 1, "J5", "陈晓", unit.id)
    contest_people.assign(db, contest.items(db, 1)[2].id, j.id)   # 案卷评审 only
    db.close()
    code, _, err = scores_import(capsys, contest_db, write_csv(tmp_path / "s.csv", [["执法文书制作", 2, "J5", 80]]))
    assert code == 2 and err.splitlines() == ["第2行 评委编号: 评委J5未分配评“执法文书制作”"]


def test_duplicates_in_the_file_and_changed_values_against_stored_ones_are_refused(contest_db: Path, tmp_path: Path,
                                                                                  capsys: Any) -> None:
    code, _, _ = scores_import(capsys, contest_db, write_csv(tmp_path / "a.csv", [["执法文书制作", 2, "J1", 80]]))
    assert code == 0
    before = stored(contest_db)
    rows = [["执法文书制作", 2, "J1", 80],          # same as stored: fine
            ["执法文书制作", 2, "J1", 80],          # twice in the file
            ["执法文书制作", 3, "J1", 70],
            ["执法文书制作", 3, "J1", 71],
            ["执法文书制作", 4, "J1", 60], ["法律知识笔试", 4, None, 60], ["法律知识笔试", 4, None, 60]]
    code, _, err = scores_import(capsys, contest_db, write_csv(tmp_path / "b.csv", rows))
    assert code == 2
    assert err.splitlines() == ["第3行 评委编号: 与第2行重复（同一项目、选手和评委）",
                                "第5行 评委编号: 与第4行重复（同一项目、选手和评委）",
                                "第8行 抽签号: 与第7行重复（同一项目、选手和评委）"]
    code, _, err = scores_import(capsys, contest_db, write_csv(tmp_path / "c.csv", [["执法文书制作", 2, "J1", 81]]))
    assert code == 2
    assert problems(err) == [(2, "分数", "已录入成绩80，与本行81不同（修改已录入的成绩须在录入界面说明原因）")]
    assert stored(contest_db) == before


# ---- typing -----------------------------------------------------------------------------------------

@pytest.fixture
def small(db):
    judges = [("J1", "本区评委", "卫东区", ["文书"]), ("J2", "乙", None, ["文书"]), ("J3", "丙", None, ["文书"]),
              ("J4", "丁", None, ["文书"])]
    b = build(db, [item("文书", weight=80, spread="10"), item("笔试", SINGLE, 20, decimals=1)],
              [(1, "甲", "卫东区"), (2, "乙", "新华区")], judges)
    return b


@pytest.mark.parametrize(("typed", "reason"), [
    ("101", "分数101高于满分100"), ("-1", "分数不能为负数（-1）"), ("85.555", "分数85.555最多保留2位小数"),
    ("八十", "“八十”不是数字"), ("", "必填项为空"),
])
def test_out_of_range_and_too_precise_values_are_refused_as_typed(small, typed: str, reason: str) -> None:
    with pytest.raises(ScoreError) as exc:
        small.score("文书", 2, "J1", typed)
    assert str(exc.value) == reason
    assert scoring.get_score(small.db, small.slot("文书", 2, "J1")) is None


def test_recusal_is_enforced_at_assignment_entry_and_in_aggregation(small) -> None:
    db = small.db
    report = contest_people.assign(db, small.items["文书"], small.judges["J1"])
    assert [c.draw_no for c in report.recused] == [1] and report.short == ()
    with pytest.raises(ScoreError, match="回避：评委J1（卫东区）与1号选手同属卫东区"):
        small.score("文书", 1, "J1", "80")
    panel = contest_people.Panel.load(db, small.contest_id)
    it = contest.require_item(db, small.items["文书"])
    assert [j.code for j in panel.expected_judges(it, panel.by_draw[1])] == ["J2", "J3", "J4"]
    assert [c.draw_no for c in panel.sheet(panel.judge_by_code["J1"], it)] == [2]


def test_a_county_judge_is_recused_from_the_county_street_squadrons(db) -> None:
    demo.ensure_streets(db)
    b = build(db, [item("文书", contest.AVERAGE)], [(1, "甲", "西市场街道"), (2, "乙", "东安路街道")],
              [("J1", "新华区评委", "新华区", ["文书"])])
    with pytest.raises(ScoreError, match="同属新华区"):
        b.score("文书", 1, "J1", "80")
    b.score("文书", 2, "J1", "80")   # 东安路街道 is 卫东区's


def test_not_scored_is_not_zero(small) -> None:
    db = small.db
    small.scores("文书", 2, {"J1": "0", "J2": "0", "J3": "0", "J4": "0"})
    small.score("笔试", 2, None, "0")
    assert scoring.get_score(db, small.slot("文书", 2, "J1")) == Decimal(0)
    assert scoring.get_score(db, small.slot("文书", 1, "J2")) is None
    r = ranking.compute(db, small.contest_id)
    zero = r.standing(small.competitors[2])
    assert (zero.place, zero.item_text(0), zero.total_text) == (1, "0.00", "0.00")
    assert r.standing(small.competitors[1]).place is None
    missing = [m.line() for m in scoring.missing_scores(db, small.contest_id)]
    assert missing == ["缺少成绩: 项目 文书, 抽签号 1, 评委 J2", "缺少成绩: 项目 文书, 抽签号 1, 评委 J3",
                       "缺少成绩: 项目 文书, 抽签号 1, 评委 J4", "缺少成绩: 项目 笔试, 抽签号 1"]
    scoring.clear_score(db, small.slot("文书", 2, "J1"), "记分员乙", reason="误录")
    assert scoring.get_score(db, small.slot("文书", 2, "J1")) is None
    assert ranking.compute(db, small.contest_id).standing(small.competitors[2]).place is None


def test_every_change_after_first_entry_is_logged_with_who_when_old_new_and_why(small) -> None:
    db = small.db
    slot = small.slot("文书", 2, "J2")
    small.score("文书", 2, "J2", "85")
    assert scoring.score_changes(db, small.contest_id) == []     # the first entry is not a change
    with pytest.raises(ScoreError, match="该成绩已录入为85，修改须说明原因"):
        small.score("文书", 2, "J2", "86")
    assert scoring.get_score(db, slot) == Decimal(85)
    scoring.enter_score(db, slot, "86", "裁判长", reason="评委更正笔误")
    scoring.enter_score(db, slot, "86", "裁判长")                 # the same value again: nothing to log
    with pytest.raises(ScoreError, match="撤销已录入的成绩须说明原因"):
        scoring.clear_score(db, slot, "裁判长", reason=" ")
    scoring.clear_score(db, slot, "裁判长", reason="该评委回避")
    changes = scoring.score_changes(db, small.contest_id)
    assert [(c.action, c.actor, c.item, c.draw_no, c.judge, c.old, c.new, c.reason) for c in changes] == [
        ("修改成绩", "裁判长", "文书", 2, "J2", "85", "86", "评委更正笔误"),
        ("撤销成绩", "裁判长", "文书", 2, "J2", "86", "", "该评委回避")]
    assert all(len(c.at) == 19 for c in changes)                  # 2026-11-18T09:30:00
    first = audit.entries(db, small.contest_id, actions=[audit.SCORE_ENTER])
    assert [(e.actor, e.new) for e in first] == [(CLERK, "85")]


def test_the_audit_log_is_append_only_and_its_chain_shows_tampering(small) -> None:
    db = small.db
    small.score("文书", 2, "J2", "85")
    scoring.enter_score(db, small.slot("文书", 2, "J2"), "86", "裁判长", reason="更正")
    assert audit.verify(db) is None
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE audit_log SET new_value = '99' WHERE action = 'score.change'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM audit_log")
    last = db.execute("SELECT MAX(id), hash FROM audit_log").fetchone()
    db.execute("INSERT INTO audit_log (at, actor, action, old_value, new_value, prev_hash, hash)"
               " VALUES ('2026-11-18T10:00:00', '某人', 'score.change', '86', '99', ?, ?)", [last[1], "f" * 64])
    assert audit.verify(db) == last[0] + 1


def test_double_entry_mismatches_are_shown_and_never_silently_resolved(small) -> None:
    db = small.db
    for draw, values in ((2, ("80", "85", "90", "88")),):
        small.scores("文书", draw, dict(zip(("J1", "J2", "J3", "J4"), values, strict=True)))
    with pytest.raises(ScoreError, match="复核录入须由另一名录入员完成"):
        scoring.enter_check(db, small.slot("文书", 2, "J1"), "80", CLERK)
    second = "记分员乙"
    scoring.enter_check(db, small.slot("文书", 2, "J1"), "80", second)
    scoring.enter_check(db, small.slot("文书", 2, "J2"), "58", second)      # a typo on one side or the other
    scoring.enter_check(db, small.slot("文书", 1, "J3"), "77", second)      # nothing entered first
    status = scoring.double_entry_status(db, small.items["文书"])
    assert (status.checked, status.matched, status.unchecked) == (3, 1, 2)
    assert [(m.slot, m.first, m.second, m.first_by, m.second_by) for m in status.mismatches] == [
        (small.slot("文书", 2, "J2"), Decimal(85), Decimal(58), CLERK, second),
        (small.slot("文书", 1, "J3"), None, Decimal(77), "", second)]
    assert scoring.get_score(db, small.slot("文书", 2, "J2")) == Decimal(85)   # the first entry did not win
    assert scoring.get_score(db, small.slot("文书", 1, "J3")) is None          # nor the second
    contest_locks.set_pin(db, small.contest_id, "2468", "裁判长", n=2**10)  # the chief judge decides, with the PIN
    with pytest.raises(ScoreError, match="裁定须说明原因"):
        scoring.resolve_mismatch(db, small.slot("文书", 2, "J2"), "85", "2468", "裁判长", reason="")
    scoring.resolve_mismatch(db, small.slot("文书", 2, "J2"), "85", "2468", "裁判长", reason="核对原始评分表，复核录错")
    scoring.resolve_mismatch(db, small.slot("文书", 1, "J3"), "77", "2468", "裁判长", reason="核对原始评分表，漏录")
    status = scoring.double_entry_status(db, small.items["文书"])
    assert status.mismatches == () and status.matched == 3
    assert scoring.get_score(db, small.slot("文书", 1, "J3")) == Decimal(77)
    resolved = audit.entries(db, small.contest_id, actions=[audit.SCORE_RESOLVE])
    assert [(e.old, e.new, e.reason, e.detail) for e in resolved] == [
        ("85", "85", "核对原始评分表，复核录错", "复核值58"), ("", "77", "核对原始评分表，漏录", "复核值77")]


def test_deductions_need_a_reason_and_a_sensible_amount(small) -> None:
    with pytest.raises(ScoreError, match="扣分须说明原因"):
        scoring.add_deduction(small.db, small.items["文书"], small.competitors[2], "1", "", "裁判长")
    with pytest.raises(ScoreError, match="扣分应大于0"):
        scoring.add_deduction(small.db, small.items["文书"], small.competitors[2], "0", "超时", "裁判长")
    d = scoring.add_deduction(small.db, small.items["文书"], small.competitors[2], "1.5", "超时", "裁判长")
    scoring.remove_deduction(small.db, d.id, "裁判长", "录错选手")
    assert scoring.deductions(small.db, small.contest_id) == []
    assert [e.action for e in audit.entries(small.db, small.contest_id)][-2:] == [audit.DEDUCTION_ADD,
                                                                               audit.DEDUCTION_REMOVE]


def test_progress_counts_expected_slots_after_recusal(small) -> None:
    small.score("文书", 2, "J1", "80")
    small.score("笔试", 1, None, "60")
    p = scoring.progress(small.db, small.contest_id)
    assert [(i.item.name, i.entered, i.expected) for i in p.items] == [("文书", 1, 7), ("笔试", 1, 2)]
    assert (p.entered, p.expected) == (2, 9)


def test_rubric_scores_import_with_the_criterion_column(db, db_path: Path, tmp_path: Path, capsys: Any) -> None:
    spec = contest.NewItem("情景模拟", contest.RUBRIC, Decimal(100), Decimal(100), 2)
    b = build(db, [spec], [(1, "甲", "卫东区")], [(c, c, None, ["情景模拟"]) for c in ("J1", "J2", "J3")])
    contest.set_criteria(db, b.items["情景模拟"], [("仪容仪表", Decimal(40)), ("程序规范", Decimal(60))])
    header = [*HEADER, "评分细则"]
    bad = write_csv(tmp_path / "bad.csv", [["情景模拟", 1, "J1", 41, "仪容仪表"], ["情景模拟", 1, "J1", 50, "文书规范"],
                                           ["情景模拟", 1, "J2", 30, None]], header)
    code, _, err = scores_import(capsys, db_path, bad)
    assert code == 2
    assert err.splitlines() == ["第2行 分数: 分数41高于细则“仪容仪表”满分40",
                                "第3行 评分细则: “情景模拟”没有细则“文书规范”",
                                "第4行 评分细则: “情景模拟”按评分细则计分，须填写细则名称"]
    rows = [["情景模拟", 1, j, v, c] for j in ("J1", "J2", "J3") for c, v in (("仪容仪表", 36), ("程序规范", 50))]
    code, out, _ = scores_import(capsys, db_path, write_csv(tmp_path / "ok.csv", rows, header))
    assert code == 0 and "已导入成绩 6 条" in out
    assert ranking.compute(db, b.contest_id).standing(b.competitors[1]).item_text(0) == "86.00"
