"""As the chief judge I know a guessed PIN gets nowhere: five wrong PINs in a row lock every PIN action of the
contest for five minutes (even the right PIN waits), the count survives restarting the program, and the right
PIN clears it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from judge_support import PIN, judged_contest

from trainer import contest_locks, settings
from trainer.contest_locks import MAX_WRONG_PINS, LockError, PinAttempts, PinLockedOut
from trainer.db import open_db

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
