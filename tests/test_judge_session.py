"""As a judge on my own laptop I type draw numbers (or codes) and scores: every accepted value is on disk the
moment it is accepted, a value out of range is refused as I type it, "not scored" is not 0, I see who is
still unscored, and once I submit my sheet is read-only until the chief judge reopens it with my kit's reopen code
(重开码, read on the main laptop with the PIN); a kit of the previous version still reopens with the PIN."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from judge_support import (
    CLERK,
    PIN,
    code,
    criterion_id,
    export,
    judged_contest,
    old_format_kit,
    reopen_code,
    wrong_code,
)

from trainer import contest_locks, judge_kit, merge, score_file
from trainer.judge_session import EntryRefused, JudgeSession, JudgeSessionError


@pytest.fixture
def venue(db):
    return judged_contest(db)


@pytest.fixture
def kits(venue, tmp_path: Path) -> Path:
    folder = tmp_path / "stick"
    folder.mkdir()
    for judge in ("J1", "J2"):
        export(venue, judge, folder)
    return folder


def open_session(kits: Path, tmp_path: Path, judge: str = "J2") -> JudgeSession:
    return JudgeSession.open(kits / f"评分包_{judge}.kit", store_dir=tmp_path / "laptop")


def test_each_accepted_score_is_on_disk_at_once(venue, kits: Path, tmp_path: Path) -> None:
    s = open_session(kits, tmp_path)
    writing = s.kit.item_named("文书")
    assert writing is not None
    assert s.enter(writing.id, code(venue, 2).lower(), "85.5") == Decimal("85.5")
    # a second connection, while the first is still open and nothing was closed or flushed by hand
    other = sqlite3.connect(s.path)
    try:
        assert other.execute("SELECT key, value_x1000 FROM scores").fetchall() == [(code(venue, 2), 85500)]
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        other.close()
    assert s.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    s.close()
    again = open_session(kits, tmp_path)  # found again by the kit's uid
    assert again.value(writing.id, code(venue, 2)) == Decimal("85.5")
    assert again.path == s.path
    again.close()


def test_a_killed_process_keeps_every_accepted_score(venue, kits: Path, tmp_path: Path) -> None:
    script = textwrap.dedent("""
        import os, signal, sys
        from pathlib import Path
        from trainer.judge_session import JudgeSession
        s = JudgeSession.open(Path(sys.argv[1]), store_dir=Path(sys.argv[2]))
        item = s.kit.item_named("情景")
        for key, value in (("2", "30"), ("3", "35.5")):
            s.enter(item.id, key, value, criterion_id=item.criteria[0].id)
        os.kill(os.getpid(), signal.SIGKILL)  # the power goes: no close, no commit of anything pending
    """)
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("no SIGKILL on this platform")
    done = subprocess.run([sys.executable, "-c", script, str(kits / "评分包_J2.kit"), str(tmp_path / "laptop")],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == -signal.SIGKILL, done.stderr
    with open_session(kits, tmp_path) as s:
        scene = s.kit.item_named("情景")
        assert scene is not None
        first = scene.criteria[0].id
        assert (s.value(scene.id, "2", first), s.value(scene.id, "3", first)) == (Decimal(30), Decimal("35.5"))
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_values_are_checked_as_typed_and_nothing_refused_is_stored(venue, kits: Path, tmp_path: Path) -> None:
    with open_session(kits, tmp_path) as s:
        writing, scene = s.kit.items
        key = code(venue, 3)
        for raw, message in (("100.5", "高于满分100"), ("85.555", "最多保留2位小数"), ("-1", "不能为负数"),
                             ("八十", "不是数字"), ("", "必填项为空")):
            with pytest.raises(EntryRefused, match=message):
                s.enter(writing.id, key, raw)
        with pytest.raises(EntryRefused, match="不在评委J2“文书”的评分表上") as exc:
            s.enter(writing.id, code(venue, 1), "80")  # 1号 is of J2's own unit
        assert exc.value.column == "抽签号"
        with pytest.raises(EntryRefused, match="不在评委J2“情景”的评分表上"):
            s.enter(scene.id, "4", "30", criterion_id=criterion_id(venue, "仪容仪表"))
        with pytest.raises(EntryRefused, match="须填写细则名称"):
            s.enter(scene.id, "2", "30")
        with pytest.raises(EntryRefused, match="高于细则“仪容仪表”满分40"):
            s.enter(scene.id, "2", "41", criterion_id=criterion_id(venue, "仪容仪表"))
        assert s.check(scene.id, "02", "39.5", criterion_id=criterion_id(venue, "仪容仪表")) == Decimal("39.5")
        assert s.values() == {}


def test_not_scored_is_not_zero_and_the_unscored_are_listed(venue, kits: Path, tmp_path: Path) -> None:
    with open_session(kits, tmp_path) as s:
        writing, scene = s.kit.items
        assert len(s.unscored()) == 4 and s.unscored_slots() == 6
        s.enter(writing.id, code(venue, 2), "0")
        s.enter(scene.id, "3", "30", criterion_id=criterion_id(venue, "仪容仪表"))
        assert s.value(writing.id, code(venue, 2)) == 0
        assert [u.line() for u in s.unscored()] == [
            f"文书 密封编号{code(venue, 3)}", "情景 抽签号2", "情景 抽签号3（细则：程序规范）"]
        assert s.clear(writing.id, code(venue, 2)) and not s.clear(writing.id, code(venue, 2))
        assert s.value(writing.id, code(venue, 2)) is None
        assert len(s.unscored()) == 4
        assert [e.value for e in s.sheet(writing.id)] == [None, None]


def test_submit_makes_the_sheet_read_only_and_the_reopen_code_reopens_it(venue, kits: Path, tmp_path: Path) -> None:
    stick = tmp_path / "usb"
    with open_session(kits, tmp_path) as s:
        writing = s.kit.items[0]
        s.enter(writing.id, code(venue, 2), "88")
        first = s.submit(stick)
        assert first.revision == 1 and first.path.parent == stick and first.unscored == 5
        sf = score_file.read(first.path)
        score_file.check_for_kit(sf, s.kit)
        assert sf.content_hash == first.content_hash and [v.value for v in sf.values] == [88]
        assert s.read_only
        with pytest.raises(JudgeSessionError, match="已提交，现为只读"):
            s.enter(writing.id, code(venue, 3), "70")
        with pytest.raises(JudgeSessionError, match="已提交"):
            s.submit(stick)
        right = reopen_code(venue, s.kit)  # the chief judge reads it on the main laptop
        with pytest.raises(JudgeSessionError, match=r"重开码不正确（再输错4次将锁定5分钟）"):
            s.reopen(wrong_code(right))
        with pytest.raises(JudgeSessionError, match="重开码应为8位数字"):
            s.reopen(PIN)  # the chief judge's PIN does not open a kit of this version
        assert s.read_only
        s.reopen(f"{right[:4]} {right[4:]}")  # as shown on the main laptop, with its space
        s.enter(writing.id, code(venue, 3), "70")
        second = s.submit(stick)
        assert second.revision == 2 and second.content_hash != first.content_hash
        assert [x.revision for x in s.submissions()] == [1, 2]
        reopening = ["重开码错误", "裁判长重新打开"]
        assert [h[1] for h in s.history() if h[1] in reopening] == reopening
    report = merge.merge_files(venue.db, venue.contest_id, [first.path, second.path], CLERK)
    assert [o.status for o in report.outcomes] == [merge.ACCEPTED, merge.SUPERSEDED]  # the new revision wins
    with open_session(kits, tmp_path) as s:  # the state survives closing the program
        assert s.read_only and s.revision == 2


def test_five_wrong_codes_lock_reopening_for_a_while(venue, kits: Path, tmp_path: Path) -> None:
    t0 = dt.datetime(2026, 11, 18, 10, 0)
    with open_session(kits, tmp_path) as s:
        s.submit(tmp_path / "usb")
        right = reopen_code(venue, s.kit)
        for _ in range(contest_locks.MAX_WRONG_PINS):  # slips of the finger (not 8 digits) are not tries
            with pytest.raises(JudgeSessionError, match="重开码应为8位数字"):
                s.reopen("1234567", now=t0)
        for i in range(contest_locks.MAX_WRONG_PINS):
            with pytest.raises(JudgeSessionError, match="重开码连续输错5次，此操作已锁定" if i == 4 else "不正确"):
                s.reopen(wrong_code(right), now=t0)
        with pytest.raises(JudgeSessionError, match="已锁定"):
            s.reopen(right, now=t0 + dt.timedelta(minutes=4))  # even the right code waits
    with open_session(kits, tmp_path) as s:  # the count is in the judge's store: closing the program does not reset it
        with pytest.raises(JudgeSessionError, match="已锁定"):
            s.reopen(right, now=t0 + dt.timedelta(minutes=4, seconds=30))
        s.reopen(right, now=t0 + dt.timedelta(minutes=5, seconds=1))
        assert not s.read_only


def test_a_kit_exported_before_the_pin_was_set_reopens_with_its_code(db, venue, tmp_path: Path) -> None:
    db.execute("UPDATE contests SET pin_hash = '' WHERE id = ?", [venue.contest_id])
    kit = export(venue, "J1", tmp_path)
    assert kit.pin_hash is None
    with JudgeSession.open_kit(kit, tmp_path / "laptop") as s:
        s.submit(tmp_path / "usb")
        with pytest.raises(contest_locks.LockError, match="尚未设置裁判长PIN"):
            reopen_code(venue, kit)  # the main laptop shows no code until the chief judge has a PIN
        contest_locks.set_pin(db, venue.contest_id, PIN, "裁判长", n=2**10)
        s.reopen(reopen_code(venue, kit))
        assert not s.read_only


def test_a_kit_of_the_previous_version_still_reopens_with_the_pin(venue, tmp_path: Path) -> None:
    path = old_format_kit(venue, "J2", tmp_path)
    t0 = dt.datetime(2026, 11, 18, 10, 0)
    with JudgeSession.open(path, store_dir=tmp_path / "laptop") as s:
        assert s.kit.reopens_with_pin
        s.enter(s.kit.items[0].id, code(venue, 2), "80")
        first = s.submit(tmp_path / "usb")
        with pytest.raises(JudgeSessionError, match="请裁判长输入PIN重新打开"):
            s.enter(s.kit.items[0].id, code(venue, 3), "70")
        with pytest.raises(JudgeSessionError, match="PIN不正确（再输错4次"):
            s.reopen(reopen_code(venue, s.kit), now=t0)  # the old kit knows no code
        s.reopen(PIN, now=t0)
        s.enter(s.kit.items[0].id, code(venue, 3), "70")
        second = s.submit(tmp_path / "usb")
        store = s.path
    with JudgeSession.resume(store) as s:  # the copy kept in the store is still the same kit
        assert s.kit.reopens_with_pin and s.revision == 2
        for _ in range(contest_locks.MAX_WRONG_PINS - 1):
            with pytest.raises(JudgeSessionError, match="PIN不正确"):
                s.reopen("0000", now=t0)
        with pytest.raises(JudgeSessionError, match="PIN连续输错5次"):
            s.reopen("0000", now=t0)
    report = merge.merge_files(venue.db, venue.contest_id, [first.path, second.path], CLERK)
    assert [o.status for o in report.outcomes] == [merge.ACCEPTED, merge.SUPERSEDED]


def test_a_changed_kit_is_not_mixed_up(db, venue, tmp_path: Path) -> None:
    kit = export(venue, "J1", tmp_path)
    with JudgeSession.open_kit(kit, tmp_path / "laptop"):
        pass
    forged = judge_kit.parse(judge_kit.render(dataclasses.replace(kit, judge_name="冒名")))
    with pytest.raises(JudgeSessionError, match="评分包的内容与之不同"):
        JudgeSession.open_kit(forged, tmp_path / "laptop")
    with pytest.raises(JudgeSessionError, match="不是 Trainer 评分包"):
        JudgeSession.open(tmp_path / "trainer.db", store_dir=tmp_path / "laptop")


def test_judging_goes_on_without_the_stick(venue, kits: Path, tmp_path: Path) -> None:
    with open_session(kits, tmp_path) as s:
        s.enter(s.kit.items[0].id, code(venue, 2), "91")
        store = s.path
    for kit in kits.iterdir():
        kit.unlink()  # the stick is gone
    with JudgeSession.resume(store) as s:
        assert s.kit.judge_code == "J2" and s.value(s.kit.items[0].id, code(venue, 2)) == 91
