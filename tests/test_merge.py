"""As the scorer I merge the judges' score files on the main laptop, many at once: the same file twice changes
nothing, a judge's newer file replaces the older one (and the audit log says so), a value that differs from one
typed by hand waits for the chief judge as a conflict, and one bad file among good ones means nothing is
written. With every judge on their own laptop the chief judge gets the ranking one machine would give."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from judge_support import CHIEF, CLERK, PIN, code, criterion_id, export, judged_contest
from sqlite_utils import Database

from trainer import audit, backup, contest_locks, merge, ranking, scoring
from trainer.db import open_db
from trainer.judge_kit import Kit
from trainer.judge_session import JudgeSession
from trainer.merge import MergeError, MergeRefused
from trainer.score_file import ScoreValue, write

T0 = dt.datetime(2026, 11, 18, 10, 0)


@pytest.fixture
def venue(db):
    return judged_contest(db)


def score(kit: Kit, tmp: Path, values: dict[str, str], revision: int = 1, minute: int = 0) -> Path:
    """A J-file for 文书: code → value."""
    writing = kit.item_named("文书")
    assert writing is not None
    path = tmp / f"{kit.judge_code}_r{revision}_{minute}.score"
    write(path, kit, [ScoreValue(writing.id, k, None, Decimal(v), "文书") for k, v in values.items()],
          revision=revision, now=T0 + dt.timedelta(minutes=minute))
    return path


def state(db: Database) -> tuple[object, ...]:
    """Everything a merge may change."""
    return tuple(db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                 for t in ("contest_scores", "contest_submissions", "contest_conflicts", "audit_log"))


def stored(venue, draw: int, judge: str) -> tuple[int, str] | None:
    slot = venue.slot("文书", draw, judge)
    row = venue.db.execute("SELECT value_x1000, source FROM contest_scores WHERE item_id = ? AND competitor_id = ?"
                           " AND judge_id = ?", [slot.item_id, slot.competitor_id, slot.judge_id]).fetchone()
    return (row[0], row[1]) if row else None


def test_a_first_file_is_accepted_and_the_same_file_again_changes_nothing(venue, tmp_path: Path) -> None:
    kit = export(venue, "J3", tmp_path)
    path = score(kit, tmp_path, {code(venue, 1): "80", code(venue, 2): "90.5"})
    report = merge.merge_files(venue.db, venue.contest_id, [path], CLERK)
    assert [o.line() for o in report.outcomes] == [f"accepted 2  {path.name}  评委J3"]
    assert stored(venue, 1, "J3") == (80000, merge.JUDGE_FILE) and stored(venue, 2, "J3") == (90500, "评委文件")
    origin = venue.db.execute("SELECT origin, entered_by FROM contest_scores").fetchone()
    assert path.name in origin[0] and origin[1] == "评委J3孙立"
    assert report.backup is not None and report.backup.exists() and "pre-merge" in report.backup.name
    before = state(venue.db)
    again = merge.merge_files(venue.db, venue.contest_id, [path, path], CLERK)
    assert [o.status for o in again.outcomes] == ["duplicate", "duplicate"]
    assert again.outcomes[0].line().startswith("duplicate  ")
    assert state(venue.db) == before
    [sub] = merge.submissions(venue.db, venue.contest_id)
    assert (sub.judge_code, sub.revision, sub.status, sub.value_count) == ("J3", 1, "有效", 2)


def test_a_newer_file_replaces_the_older_one_with_an_audit_entry(venue, tmp_path: Path) -> None:
    kit = export(venue, "J3", tmp_path)
    old = score(kit, tmp_path, {code(venue, 1): "80", code(venue, 2): "70"}, revision=1, minute=0)
    new = score(kit, tmp_path, {code(venue, 1): "82", code(venue, 3): "75"}, revision=2, minute=30)
    merge.merge_files(venue.db, venue.contest_id, [old], CLERK)
    report = merge.merge_files(venue.db, venue.contest_id, [new], CLERK)
    assert report.outcomes[0].status == "superseded" and report.outcomes[0].count == 3
    assert report.outcomes[0].line().startswith("superseded 3  ")
    assert (stored(venue, 1, "J3"), stored(venue, 2, "J3"), stored(venue, 3, "J3")) == (
        (82000, "评委文件"), None, (75000, "评委文件"))  # 2号 is unscored in the newer file: unscored again
    logged = audit.entries(venue.db, venue.contest_id, actions=[audit.JUDGE_FILE_SUPERSEDE, audit.SCORE_CHANGE,
                                                                 audit.SCORE_CLEAR])
    assert [e.action for e in logged] == [audit.SCORE_CHANGE, audit.SCORE_CLEAR, audit.JUDGE_FILE_SUPERSEDE]
    assert logged[0].old == "80" and logged[0].new == "82" and "第2次提交取代" in logged[0].reason
    assert [s.status for s in merge.submissions(venue.db, venue.contest_id)] == ["有效", "已取代"]
    assert audit.verify(venue.db) is None
    # the older file arriving late changes nothing
    before = state(venue.db)
    late = merge.merge_files(venue.db, venue.contest_id, [old], CLERK)
    assert late.outcomes[0].status == "duplicate"
    assert state(venue.db) == before


def test_files_of_one_judge_in_one_batch_are_applied_oldest_first(venue, tmp_path: Path) -> None:
    kit = export(venue, "J3", tmp_path)
    old = score(kit, tmp_path, {code(venue, 1): "80"}, revision=1, minute=0)
    new = score(kit, tmp_path, {code(venue, 1): "81"}, revision=2, minute=5)
    report = merge.merge_files(venue.db, venue.contest_id, [new, old], CLERK)
    assert [(o.path, o.status) for o in report.outcomes] == [(new, "superseded"), (old, "accepted")]
    assert stored(venue, 1, "J3") == (81000, "评委文件")
    newer_first = score(kit, tmp_path, {code(venue, 1): "79"}, revision=1, minute=1)  # older than `new`
    report = merge.merge_files(venue.db, venue.contest_id, [newer_first], CLERK)
    assert report.outcomes[0].status == "superseded" and report.outcomes[0].count == 0
    assert "本文件未改动任何成绩" in report.outcomes[0].line()
    assert stored(venue, 1, "J3") == (81000, "评委文件")


def test_a_newer_file_with_conflicts_says_it_replaced_the_older_one(venue, tmp_path: Path) -> None:
    db = venue.db
    kit = export(venue, "J3", tmp_path)
    old = score(kit, tmp_path, {code(venue, 1): "80", code(venue, 2): "70"}, revision=1, minute=0)
    merge.merge_files(db, venue.contest_id, [old], CLERK)
    scoring.enter_score(db, venue.slot("文书", 3, "J3"), "60", CLERK)  # typed from the paper sheet meanwhile
    new = score(kit, tmp_path, {code(venue, 1): "82", code(venue, 3): "65"}, revision=2, minute=30)
    [outcome] = merge.merge_files(db, venue.contest_id, [new], CLERK).outcomes
    assert outcome.line() == (f"conflicts 1  {new.name}  评委J3（取代2026-11-18 10:00提交的文件，改动 2 个分数；"
                              "其余 1 个分数已合并）")
    assert outcome.line().split()[:2] == ["conflicts", "1"]  # a script reading the first two words still can
    assert outcome.replaced.startswith("2026-11-18T10:00") and not outcome.unchanged
    assert [s.status for s in merge.submissions(db, venue.contest_id)] == ["有效", "已取代"]
    assert (stored(venue, 1, "J3"), stored(venue, 2, "J3"), stored(venue, 3, "J3")) == (
        (82000, merge.JUDGE_FILE), None, (60000, scoring.ENTERED))  # 1 changed, 2 cleared, 3 waits for the chief


def pre_merge_backups(tmp_path: Path) -> list[Path]:
    return sorted(b.path for b in backup.backups(tmp_path / "trainer.db") if b.reason == "pre-merge")


def test_a_backup_is_taken_only_when_a_file_will_change_the_database(venue, tmp_path: Path) -> None:
    kit = export(venue, "J3", tmp_path)
    old = score(kit, tmp_path, {code(venue, 1): "80"}, revision=1, minute=0)
    new = score(kit, tmp_path, {code(venue, 1): "81"}, revision=2, minute=5)
    first = merge.merge_files(venue.db, venue.contest_id, [new], CLERK)
    assert first.backup is not None and pre_merge_backups(tmp_path) == [first.backup]
    before = state(venue.db)
    # the same file again and an older one of the same judge: nothing would change, so no backup either
    again = merge.merge_files(venue.db, venue.contest_id, [new, old], CLERK)
    assert [o.line().split()[:2] for o in again.outcomes] == [["duplicate", new.name], ["superseded", "0"]]
    assert again.unchanged and again.backup is None
    assert pre_merge_backups(tmp_path) == [first.backup] and state(venue.db) == before
    # one file that writes among the duplicates: the backup is taken before it is applied
    other = score(export(venue, "J1", tmp_path), tmp_path, {code(venue, 2): "77"})
    mixed = merge.merge_files(venue.db, venue.contest_id, [new, other], CLERK)
    assert [o.status for o in mixed.outcomes] == ["duplicate", "accepted"] and not mixed.unchanged
    assert mixed.backup is not None and pre_merge_backups(tmp_path) == sorted([first.backup, mixed.backup])
    copy = sqlite3.connect(mixed.backup)  # taken before the merge: J1's score is not in it
    try:
        assert copy.execute("SELECT COUNT(*) FROM contest_scores WHERE judge_id = ?",
                            [venue.judges["J1"]]).fetchone()[0] == 0
    finally:
        copy.close()


def test_a_value_typed_by_hand_is_never_overwritten_silently(venue, tmp_path: Path) -> None:
    db = venue.db
    scoring.enter_score(db, venue.slot("文书", 1, "J3"), "80", CLERK)
    scoring.enter_score(db, venue.slot("文书", 2, "J3"), "90", CLERK)
    kit = export(venue, "J3", tmp_path)
    path = score(kit, tmp_path, {code(venue, 1): "85", code(venue, 2): "90", code(venue, 3): "70"})
    report = merge.merge_files(db, venue.contest_id, [path], CLERK)
    outcome = report.outcomes[0]
    assert outcome.line().startswith("conflicts 1  ") and "其余 2 个分数已合并" in outcome.line()
    [conflict] = outcome.conflicts
    assert (conflict.stored, conflict.file_value, conflict.stored_source) == (80, 85, "录入")
    # 文书 is blind and not locked: the line names the code alone, never the draw number behind it
    assert conflict.line() == (f"冲突 #{conflict.id}：文书 密封编号{code(venue, 1)} 评委J3："
                               f"已录入80（{CLERK}），评委文件85")
    assert stored(venue, 1, "J3") == (80000, "录入") and stored(venue, 3, "J3") == (70000, "评委文件")
    assert merge.conflicts(db, venue.contest_id) == [conflict]
    with pytest.raises(contest_locks.LockRefused, match="1处评委评分文件与手工录入不一致"):
        contest_locks.lock_item(db, venue.items["文书"], PIN, CHIEF, override_reason="x")
    with pytest.raises(MergeError, match="须说明原因"):
        merge.resolve_conflict(db, conflict.id, "85", PIN, CHIEF, "  ")
    decided = merge.resolve_conflict(db, conflict.id, "85", PIN, CHIEF, "核对评委签字的纸质评分表")
    assert (decided.status, decided.resolved, decided.resolved_by) == ("已裁定", 85, CHIEF)
    assert stored(venue, 1, "J3") == (85000, scoring.RESOLVED)
    assert merge.conflicts(db, venue.contest_id) == []
    with pytest.raises(MergeError, match="已裁定"):
        merge.resolve_conflict(db, conflict.id, "80", PIN, CHIEF, "再改")
    resolved = audit.entries(db, venue.contest_id, actions=[audit.SCORE_RESOLVE])
    assert resolved[-1].reason == "核对评委签字的纸质评分表" and "评委文件值85" in resolved[-1].detail


def test_one_bad_file_among_good_ones_writes_nothing(venue, tmp_path: Path) -> None:
    good = [score(export(venue, j, tmp_path), tmp_path, {code(venue, 2): "80"}) for j in ("J1", "J3")]
    bad = score(export(venue, "J4", tmp_path), tmp_path, {code(venue, 2): "77"})
    data = bytearray(bad.read_bytes())
    data[data.index(b'"77"') + 1] = ord("8")  # 77 → 87 on the way
    bad.write_bytes(bytes(data))
    missing = tmp_path / "gone.score"
    before = state(venue.db)
    with pytest.raises(MergeRefused) as exc:
        merge.merge_files(venue.db, venue.contest_id, [good[0], bad, good[1], missing], CLERK)
    assert [p.path for p in exc.value.problems] == [bad, missing]
    assert exc.value.lines[0] == f"{bad}: 评分文件的内容已被改动或损坏（内容校验码不符）"
    assert "无法读取评分文件" in exc.value.lines[1]
    assert state(venue.db) == before
    assert not backup.backups(Path(str(tmp_path / "trainer.db")))  # refused before the backup, too


def test_a_signed_file_the_contest_no_longer_allows_writes_nothing(venue, tmp_path: Path) -> None:
    db = venue.db
    kit = export(venue, "J1", tmp_path)
    scene = kit.item_named("情景")
    assert scene is not None
    ok = score(export(venue, "J3", tmp_path), tmp_path, {code(venue, 2): "80"})
    path = tmp_path / "J1.score"
    write(path, kit, [ScoreValue(scene.id, "2", criterion_id(venue, "仪容仪表"), Decimal(30)),
                      ScoreValue(scene.id, "3", criterion_id(venue, "仪容仪表"), Decimal(30))], revision=1)
    db.execute("DELETE FROM contest_assignments WHERE item_id = ? AND judge_id = ?",
               [venue.items["情景"], venue.judges["J1"]])  # J1 was taken off 情景 after the kit went out
    before = state(db)
    with pytest.raises(MergeRefused) as exc:
        merge.merge_files(db, venue.contest_id, [ok, path], CLERK)
    assert exc.value.lines == [f"{path}: “情景”抽签号2：评委J1未分配评“情景”；“情景”抽签号3：评委J1未分配评“情景”"]
    assert state(db) == before


def test_judges_on_their_own_laptops_give_the_same_ranking_as_one_machine(venue, tmp_path: Path) -> None:
    db = venue.db
    for draw, value in ((1, "88.5"), (2, "92"), (3, "75"), (4, "81")):
        scoring.enter_score(db, venue.slot("笔试", draw), value, CLERK)
    reference_path = backup.backup_to(db.conn, tmp_path / "one_machine.db")
    typed: list[tuple[str, int, str, str | None, str]] = []
    files = []
    for n, judge in enumerate(("J1", "J2", "J3", "J4")):
        kit = export(venue, judge, tmp_path)
        with JudgeSession.open_kit(kit, tmp_path / f"laptop_{judge}") as s:
            for item in s.kit.items:
                for key in item.keys:
                    draw = next(d for d in (1, 2, 3, 4) if key in (str(d), code(venue, d)))
                    for crit in item.criteria or (None,):
                        value = f"{(20 if crit else 60) + 3 * draw + n}.5"
                        s.enter(item.id, key, value, criterion_id=crit.id if crit else None)
                        typed.append((item.name, draw, judge, crit.name if crit else None, value))
            assert s.unscored() == []
            files.append(s.submit(tmp_path / "usb").path)
    report = merge.merge_files(db, venue.contest_id, files, CLERK)
    assert [o.status for o in report.outcomes] == ["accepted"] * 4
    one = open_db(reference_path)
    try:
        for name, draw, judge, crit, value in typed:
            scoring.enter_score(one, venue.slot(name, draw, judge, crit), value, CLERK)

        def places(d: Database) -> list[tuple[int | None, int | None, Decimal | None]]:
            r = ranking.compute(d, venue.contest_id)
            return [(s.competitor.draw_no, s.place, s.total) for s in r.standings]

        assert places(db) == places(one)
        assert all(p is not None for _d, p, _t in places(db))
    finally:
        one.close()
