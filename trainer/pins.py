"""PINs kept as scrypt hashes, and the lock-out after five wrong ones, for any action a PIN guards: the chief
judge's contest actions (trainer.contest_locks), judge mode's reopen code (trainer.judge_session) and the
certificate settings and register (trainer.cert_admin).

A hash is `scrypt$n$r$p$salt$hash` (hashlib.scrypt, random salt), compared in constant time. Five wrong PINs
in a row lock the action for five minutes; `check` keeps the count in a settings row named by the caller, so
restarting the program does not reset it, and records a failure in its own transaction: call it before, not
inside, the change it guards. `guard` is the same sequence for a count kept elsewhere (judge mode keeps its
own in the judge's store).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

from trainer import settings

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PIN = 4
MAX_WRONG_PINS = 5
LOCKOUT = dt.timedelta(minutes=5)


class PinError(ValueError):
    """A wrong or missing PIN; the message is for the user."""


class PinLockedOut(PinError):
    """Too many wrong PINs: the action is refused until the lock-out ends, whatever PIN is given."""


def hash_pin(pin: str, *, salt: bytes | None = None, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_pin(stored: str, pin: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(pin.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(bytes.fromhex(digest)))
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), digest)


@dataclass(frozen=True)
class PinAttempts:
    """Wrong PINs in a row and, after the fifth, until when PIN actions are refused."""
    failures: int = 0
    locked_until: dt.datetime | None = None

    @classmethod
    def parse(cls, text: str) -> PinAttempts:
        try:
            raw = json.loads(text) if text else {}
            until = raw.get("locked_until")
            return cls(int(raw.get("failures", 0)), dt.datetime.fromisoformat(until) if until else None)
        except (ValueError, TypeError, AttributeError):
            return cls(MAX_WRONG_PINS, None)  # a mangled counter counts against, never for, the guesser

    def text(self) -> str:
        return json.dumps({"failures": self.failures,
                           "locked_until": self.locked_until.isoformat() if self.locked_until else None})

    def locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def after_failure(self, now: dt.datetime) -> PinAttempts:
        failures = self.failures + 1 if not self.locked_until or now < self.locked_until else 1
        if failures >= MAX_WRONG_PINS:
            return PinAttempts(0, now + LOCKOUT)
        return PinAttempts(failures, None)

    def refusal(self, now: dt.datetime, what: str = "PIN") -> str:
        """The message for a refused attempt (locked out) or a wrong PIN (how many tries are left); `what`
        names the secret when it is not a PIN (judge mode's 重开码)."""
        if self.locked(now) and self.locked_until is not None:
            until = self.locked_until
            minutes = max(1, -(-int((until - now).total_seconds()) // 60))
            return (f"{what}连续输错{MAX_WRONG_PINS}次，此操作已锁定，请约{minutes}分钟后"
                    f"（{until.strftime('%H:%M')}之后）再试")
        left = MAX_WRONG_PINS - self.failures
        return f"{what}不正确（再输错{left}次将锁定{int(LOCKOUT.total_seconds() // 60)}分钟）"


def guard(attempts: PinAttempts, matches: Callable[[], bool], record_failure: Callable[[PinAttempts], None], *,
          now: dt.datetime, what: str = "PIN", wrong: type[Exception] = PinError,
          locked_out: type[Exception] = PinLockedOut) -> None:
    """The sequence every guarded action follows, wherever its count is kept: refuse while locked out (without
    trying `matches`), else try it; on a mismatch hand the new count to `record_failure` (to be stored by the
    caller, in its own transaction) and raise `wrong`, or `locked_out` at the fifth. Returns when it matched:
    clearing the count is the caller's, so it can go into the transaction of the action itself."""
    if attempts.locked(now):
        raise locked_out(attempts.refusal(now, what))
    if not matches():
        after = attempts.after_failure(now)
        record_failure(after)
        raise (locked_out if after.locked(now) else wrong)(after.refusal(now, what))


def check(db: Database, stored: str, attempts_key: str, pin: str, *, now: dt.datetime | None = None,
          wrong: type[Exception] = PinError, locked_out: type[Exception] = PinLockedOut) -> None:
    """`wrong` unless `pin` matches the hash `stored`; `locked_out` while locked out after five wrong PINs.
    The error types let each caller raise its own family (contest locks raise LockError subclasses)."""
    attempts = PinAttempts.parse(settings.get(db, attempts_key))
    guard(attempts, lambda: verify_pin(stored, pin), lambda after: settings.put(db, attempts_key, after.text()),
          now=now or dt.datetime.now(), wrong=wrong, locked_out=locked_out)
    if attempts != PinAttempts():
        with db.atomic():
            db.execute("DELETE FROM settings WHERE key = ?", [attempts_key])
