"""The chief judge's PIN of a contest: set or change it, and check it before any action it guards.

    contest_pin.set_pin(db, contest_id, "246810", "裁判长")                    # first time
    contest_pin.set_pin(db, contest_id, "135790", "裁判长", old_pin="246810")  # a change needs the old one
    contest_pin.check_pin(db, contest_id, pin)   # LockError, or PinLockedOut after five wrong PINs

Every service that acts for the chief judge checks the PIN itself (locks, spread overrides, conflict and
double-entry decisions, release, awards), so no caller can skip it. The check records a wrong PIN in its own
transaction (trainer.pins): call it before, not inside, the transaction of the change it guards. A wrong old
PIN given to set_pin counts toward the same lock-out.

This module imports neither the ranking nor scoring, so scoring and merge can check the PIN without an import
cycle (trainer.contest_locks imports both and re-exports these names).
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from trainer import audit, pins
from trainer.contest import ContestError
from trainer.pins import MIN_PIN, SCRYPT_N, hash_pin


class LockError(ContestError):
    """A refused lock, unlock, override or PIN action; the message is for the user."""


class PinLockedOut(LockError):
    """Too many wrong PINs: the action is refused until the lock-out ends, whatever PIN is given."""


def _attempts_key(contest_id: int) -> str:
    return f"pin.attempts.contest.{contest_id}"


def _stored_hash(db: Database, contest_id: int) -> str:
    row = db.execute("SELECT pin_hash FROM contests WHERE id = ?", [contest_id]).fetchone()
    if row is None:
        raise LockError(f"没有编号为{contest_id}的比武")
    return str(row[0] or "")


def check_pin(db: Database, contest_id: int, pin: str, *, now: dt.datetime | None = None) -> None:
    """LockError unless `pin` is the chief judge's; PinLockedOut while locked out after five wrong PINs."""
    stored = _stored_hash(db, contest_id)
    if not stored:
        raise LockError("尚未设置裁判长PIN")
    pins.check(db, stored, _attempts_key(contest_id), pin, now=now, wrong=LockError, locked_out=PinLockedOut)


def set_pin(db: Database, contest_id: int, pin: str, actor: str, *, old_pin: str | None = None,
            n: int = SCRYPT_N) -> None:
    """Set the chief judge's PIN; changing it needs the old one, checked like any PIN (a wrong one counts toward
    the lock-out). `n` (scrypt's cost) is lowered only for the demo, whose PIN is printed on the console anyway."""
    if len(pin) < MIN_PIN:
        raise LockError(f"PIN至少{MIN_PIN}位")
    changing = bool(_stored_hash(db, contest_id))
    if changing:
        try:
            check_pin(db, contest_id, old_pin or "")
        except PinLockedOut:
            raise
        except LockError as exc:
            raise LockError(f"原{exc}") from None  # 原PIN不正确（再输错N次将锁定…）
    with db.atomic():
        db.execute("UPDATE contests SET pin_hash = ? WHERE id = ?", [hash_pin(pin, n=n), contest_id])
        audit.append(db, audit.Entry(audit.PIN_SET, actor, contest_id, detail="修改" if changing else "设置"))
