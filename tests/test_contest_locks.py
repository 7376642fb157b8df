"""As the chief judge I lock an item when its scores are final: my PIN is kept only as an scrypt hash, a
locked item cannot change, judges who disagree by more than the spread limit hold the lock back until the
scores are revised or I override with a reason, and unlocking needs the PIN and a reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from contest_support import build, good_sheets, item, write_workbook
from roster_files import run

from trainer import audit, contest, contest_locks, contest_people, ranking, scoring
from trainer.contest_locks import LockError, LockRefused
from trainer.scoring import ScoreError

PIN = "246810"


@pytest.fixture
def judged(db):
    b = build(db, [item("文书", spread="10")], [(1, "甲", "卫东区"), (2, "乙", "新华区")],
              [(f"J{i}", f"评委{i}", None, ["文书"]) for i in (1, 2, 3)])
    b.scores("文书", 1, {"J1": "80", "J2": "85", "J3": "90"})       # spread 10: within the limit
    b.scores("文书", 2, {"J1": "70", "J2": "85", "J3": "90"})       # spread 20: flagged
    contest_locks.set_pin(db, b.contest_id, PIN, "裁判长")
    return b


def test_the_pin_is_stored_as_an_scrypt_hash(judged) -> None:
    stored = judged.db.execute("SELECT pin_hash FROM contests WHERE id = ?", [judged.contest_id]).fetchone()[0]
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1") and len(bytes.fromhex(salt)) == 16
    assert PIN not in stored and len(digest) == 64
    assert contest_locks.verify_pin(stored, PIN) and not contest_locks.verify_pin(stored, "246811")
    assert contest_locks.hash_pin(PIN) != contest_locks.hash_pin(PIN)       # a fresh salt every time
    with pytest.raises(LockError, match="原PIN不正确"):
        contest_locks.set_pin(judged.db, judged.contest_id, "135790", "某人")
    contest_locks.set_pin(judged.db, judged.contest_id, "135790", "裁判长", old_pin=PIN)
    contest_locks.check_pin(judged.db, judged.contest_id, "135790")


def test_a_wrong_pin_locks_nothing(judged) -> None:
    with pytest.raises(LockError, match="PIN不正确"):
        contest_locks.lock_item(judged.db, judged.items["文书"], "000000", "裁判长", override_reason="理由")
    assert not contest.require_item(judged.db, judged.items["文书"]).locked


def test_open_spread_flags_refuse_the_lock_until_the_scores_are_revised(judged) -> None:
    db = judged.db
    with pytest.raises(LockRefused) as exc:
        contest_locks.lock_item(db, judged.items["文书"], PIN, "裁判长")
    assert [f.competitor.draw_no for f in exc.value.flags] == [2]
    assert "2号：评委分差20，超过分差上限10" in str(exc.value)
    scoring.enter_score(db, judged.slot("文书", 2, "J1"), "80", "裁判长", reason="评委J1复核后改分")
    result = contest_locks.lock_item(db, judged.items["文书"], PIN, "裁判长")
    assert result.item.locked and result.overridden == ()


def test_the_chief_judge_may_override_a_spread_with_a_reason(judged) -> None:
    db = judged.db
    result = contest_locks.lock_item(db, judged.items["文书"], PIN, "裁判长",
                                     override_reason="评分标准一致，分差属正常")
    assert [f.competitor.draw_no for f in result.overridden] == [2]
    flags = ranking.compute(db, judged.contest_id).flags
    assert [(f.competitor.draw_no, f.overridden) for f in flags] == [(2, True)]
    entries = audit.entries(db, judged.contest_id, actions=[audit.SPREAD_OVERRIDE, audit.ITEM_LOCK])
    assert [(e.action, e.competitor_id, e.reason) for e in entries] == [
        (audit.SPREAD_OVERRIDE, judged.competitors[2], "评分标准一致，分差属正常"),
        (audit.ITEM_LOCK, None, "评分标准一致，分差属正常")]


def test_an_override_lapses_when_the_scores_change(judged) -> None:
    db = judged.db
    contest_locks.override_spread(db, judged.items["文书"], judged.competitors[2], PIN, "裁判长", "合议维持")
    assert ranking.compute(db, judged.contest_id).open_flags == []
    scoring.enter_score(db, judged.slot("文书", 2, "J1"), "69", "记分员", reason="更正")
    assert [f.competitor.draw_no for f in ranking.compute(db, judged.contest_id).open_flags] == [2]
    with pytest.raises(LockRefused):
        contest_locks.lock_item(db, judged.items["文书"], PIN, "裁判长")
    with pytest.raises(LockError, match="须说明原因"):
        contest_locks.override_spread(db, judged.items["文书"], judged.competitors[2], PIN, "裁判长", "")


def test_a_locked_item_is_read_only(judged) -> None:
    db = judged.db
    contest_locks.lock_item(db, judged.items["文书"], PIN, "裁判长", override_reason="合议")
    slot = judged.slot("文书", 1, "J1")
    for attempt in (lambda: scoring.enter_score(db, slot, "81", "裁判长", reason="改"),
                    lambda: scoring.clear_score(db, slot, "裁判长", reason="撤"),
                    lambda: scoring.add_deduction(db, judged.items["文书"], judged.competitors[1], "1", "超时",
                                                  "裁判长"),
                    lambda: scoring.enter_check(db, slot, "80", "记分员乙")):
        with pytest.raises(ScoreError, match="已锁定"):
            attempt()
    with pytest.raises(contest.ContestError, match="已锁定"):
        contest_people.assign(db, judged.items["文书"], judged.judges["J1"])
    assert scoring.get_score(db, slot) == 80


def test_unlocking_needs_the_pin_and_a_reason(judged) -> None:
    db = judged.db
    contest_locks.lock_item(db, judged.items["文书"], PIN, "裁判长", override_reason="合议")
    with pytest.raises(LockError, match="PIN不正确"):
        contest_locks.unlock_item(db, judged.items["文书"], "1", "裁判长", "发现录入错误")
    with pytest.raises(LockError, match="解锁须说明原因"):
        contest_locks.unlock_item(db, judged.items["文书"], PIN, "裁判长", "  ")
    item_after = contest_locks.unlock_item(db, judged.items["文书"], PIN, "裁判长", "发现录入错误")
    assert not item_after.locked
    scoring.enter_score(db, judged.slot("文书", 1, "J1"), "81", "裁判长", reason="更正")
    unlock = audit.entries(db, judged.contest_id, actions=[audit.ITEM_UNLOCK])
    assert [(e.actor, e.reason) for e in unlock] == [("裁判长", "发现录入错误")]


def test_double_entry_mismatches_must_be_resolved_before_the_lock(judged) -> None:
    db = judged.db
    scoring.enter_check(db, judged.slot("文书", 1, "J1"), "88", "记分员乙")
    with pytest.raises(LockRefused, match="复核录入不一致"):
        contest_locks.lock_item(db, judged.items["文书"], PIN, "裁判长", override_reason="合议")


def test_a_score_file_for_a_locked_item_is_refused(tmp_path: Path, capsys: Any) -> None:
    db_path = tmp_path / "t.db"
    code, _, _ = run(capsys, db_path, "contest", "import", str(write_workbook(tmp_path / "c.xlsx", good_sheets())))
    assert code == 0
    from trainer.db import open_db

    db = open_db(db_path)
    contest_locks.set_pin(db, 1, PIN, "裁判长")
    contest_locks.lock_item(db, contest.items(db, 1)[0].id, PIN, "裁判长")
    db.close()
    scores = write_workbook(tmp_path / "s.xlsx", {"评分": [["项目名称", "抽签号", "评委编号", "分数"],
                                                           ["法律知识笔试", 2, None, 80]]})
    code, _, err = run(capsys, db_path, "contest", "scores", "import", "--contest", "1", str(scores))
    assert code == 2
    assert err.splitlines() == ["第2行 项目名称: 项目“法律知识笔试”已锁定，成绩不能再修改"]
