"""As the chief judge I know a guessed PIN gets nowhere: five wrong PINs in a row lock every PIN action of the
contest for five minutes (even the right PIN waits), the count survives restarting the program, and the right
PIN clears it. Deciding a judge's-file conflict (one or all) or a double-entry mismatch checks the PIN in the
service itself, once per decision; so does changing the PIN, whose wrong old PIN counts like any other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from judge_support import CHIEF, CLERK, PIN, code, export, judged_contest
from sqlite_utils import Database

from trainer import contest_locks, merge, scoring, settings
from trainer.contest_locks import MAX_WRONG_PINS, LockError, PinAttempts, PinLockedOut
from trainer.db import open_db
from trainer.score_file import ScoreValue, write

T0 = dt.datetime(2026, 11, 18, 9, 0)


@pytest.fixture
def venue(db):
    return judged_contest(db)


def test_five_wrong_pins_lock_the_action_for_five_minutes(venue, db_path: Path) -> None:
    db, cid = venue.db, venue.contest_id
    t0 = dt.datetime.now()
    for i in range(1, MAX_WRONG_PINS):
        with pytest.raises(LockError, match=f"PIN不正确（再输错{MAX_WRONG_PINS - i}次将锁定5分钟）"):
            contest_locks.check_pin(db, cid, "0000", now=t0)
    until = (t0 + dt.timedelta(minutes=5)).strftime("%H:%M")
    with pytest.raises(PinLockedOut, match=f"已锁定，请约5分钟后（{until}之后）再试"):
        contest_locks.check_pin(db, cid, "0000", now=t0)
    reopened = open_db(db_path)  # a restart does not reset the count
    try:
        with pytest.raises(PinLockedOut, match="约1分钟后"):
            contest_locks.check_pin(reopened, cid, PIN, now=t0 + dt.timedelta(minutes=4, seconds=30))
        with pytest.raises(PinLockedOut):  # every PIN action waits, not only the one that was guessed at
            contest_locks.unlock_item(reopened, venue.items["文书"], PIN, "裁判长", reason="x")
    finally:
        reopened.close()
    contest_locks.check_pin(db, cid, PIN, now=t0 + dt.timedelta(minutes=5))
    assert settings.get(db, f"pin.attempts.contest.{cid}") == ""


def test_the_right_pin_clears_the_count(venue) -> None:
    db, cid = venue.db, venue.contest_id
    for _ in range(MAX_WRONG_PINS - 1):
        with pytest.raises(LockError):
            contest_locks.check_pin(db, cid, "0000", now=T0)
    contest_locks.check_pin(db, cid, PIN, now=T0)
    with pytest.raises(LockError, match="再输错4次"):  # counting starts again
        contest_locks.check_pin(db, cid, "0000", now=T0)


def test_the_count_is_a_setting_with_a_time_and_a_mangled_one_counts_against() -> None:
    locked = PinAttempts().after_failure(T0)
    for _ in range(MAX_WRONG_PINS - 1):
        locked = locked.after_failure(T0)
    assert locked.locked(T0) and not locked.locked(T0 + contest_locks.LOCKOUT)
    assert PinAttempts.parse(locked.text()) == locked
    assert PinAttempts.parse("{not json").after_failure(T0).locked(T0)


# ---- every decision of the chief judge checks the PIN itself ----------------------------------------------

def decisions(venue, tmp_path: Path) -> dict[str, Callable[[str], object]]:
    """A conflict (J3's file against a typed 80) and a double-entry mismatch (J1: 70 typed, 77 checked), and the
    three ways to decide them, each taking only the PIN."""
    db = venue.db
    scoring.enter_score(db, venue.slot("文书", 1, "J3"), "80", CLERK)
    kit = export(venue, "J3", tmp_path)
    writing = kit.item_named("文书")
    assert writing is not None
    path = tmp_path / "J3.score"
    write(path, kit, [ScoreValue(writing.id, code(venue, 1), None, Decimal(85), "文书")], revision=1, now=T0)
    merge.merge_files(db, venue.contest_id, [path], CLERK, take_backup=False)
    [conflict] = merge.conflicts(db, venue.contest_id)
    mismatch_slot = venue.slot("文书", 2, "J1")
    scoring.enter_score(db, mismatch_slot, "70", CLERK)
    scoring.enter_check(db, mismatch_slot, "77", "记分员王芳")
    reason = "核对评委签字的纸质评分表"
    return {
        "resolve_conflict": lambda pin: merge.resolve_conflict(db, conflict.id, "85", pin, CHIEF, reason),
        "resolve_all": lambda pin: merge.resolve_all(db, venue.contest_id, "file", pin, CHIEF, reason),
        "resolve_mismatch": lambda pin: scoring.resolve_mismatch(db, mismatch_slot, "77", pin, CHIEF, reason),
    }


def decided_state(db: Database) -> tuple[object, ...]:
    """Everything a decision may change."""
    return tuple(db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                 for t in ("contest_scores", "contest_conflicts", "contest_score_checks", "audit_log"))


def failures(venue) -> int:
    return PinAttempts.parse(settings.get(venue.db, f"pin.attempts.contest.{venue.contest_id}")).failures


@pytest.mark.parametrize("decision", ["resolve_conflict", "resolve_all", "resolve_mismatch"])
def test_a_decision_with_a_wrong_pin_changes_nothing_counts_once_and_locks_after_five(venue, tmp_path: Path,
                                                                                       decision: str) -> None:
    decide = decisions(venue, tmp_path)[decision]
    before = decided_state(venue.db)
    for i in range(1, MAX_WRONG_PINS):
        with pytest.raises(LockError, match=f"PIN不正确（再输错{MAX_WRONG_PINS - i}次将锁定5分钟）"):
            decide("0000")
        assert failures(venue) == i  # one wrong PIN, one count
    with pytest.raises(PinLockedOut, match="已锁定"):
        decide("0000")
    with pytest.raises(PinLockedOut):  # locked out: even the right PIN waits
        decide(PIN)
    assert decided_state(venue.db) == before


@pytest.mark.parametrize("decision", ["resolve_conflict", "resolve_all", "resolve_mismatch"])
def test_a_decision_with_the_right_pin_is_taken_and_clears_the_count(venue, tmp_path: Path, decision: str) -> None:
    decide = decisions(venue, tmp_path)[decision]
    before = decided_state(venue.db)
    with pytest.raises(LockError):
        decide("0000")
    decide(PIN)
    assert decided_state(venue.db) != before and failures(venue) == 0


def test_changing_the_pin_with_a_wrong_old_pin_counts_toward_the_lock_out(venue) -> None:
    db, cid = venue.db, venue.contest_id
    stored = db.execute("SELECT pin_hash FROM contests WHERE id = ?", [cid]).fetchone()[0]
    with pytest.raises(LockError, match="原PIN不正确（再输错4次将锁定5分钟）"):
        contest_locks.set_pin(db, cid, "135790", "某人", old_pin="0000")
    with pytest.raises(LockError, match="原PIN不正确（再输错3次"):  # no old PIN at all is a wrong one too
        contest_locks.set_pin(db, cid, "135790", "某人")
    for _ in range(2):
        with pytest.raises(LockError):
            contest_locks.check_pin(db, cid, "0000")
    with pytest.raises(PinLockedOut):  # the fifth wrong PIN, wherever it was typed, locks the change too
        contest_locks.set_pin(db, cid, "135790", "某人", old_pin="0000")
    with pytest.raises(PinLockedOut):
        contest_locks.set_pin(db, cid, "135790", CHIEF, old_pin=PIN)
    assert db.execute("SELECT pin_hash FROM contests WHERE id = ?", [cid]).fetchone()[0] == stored
