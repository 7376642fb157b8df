"""The chief judge's PIN and item locks: a locked item is read-only; locking waits for spread flags to be
resolved (scores revised) or overridden with a reason; unlocking needs the PIN and a reason.

    contest_locks.set_pin(db, contest_id, "246810", "裁判长")            # first time; later old_pin= too
    contest_locks.lock_item(db, item_id, "246810", "裁判长")             # LockRefused lists open spread flags
    contest_locks.lock_item(db, item_id, "246810", "裁判长", override_reason="评委分差经合议属正常")
    contest_locks.override_spread(db, item_id, competitor_id, "246810", "裁判长", "复核录像，维持原评分")
    contest_locks.unlock_item(db, item_id, "246810", "裁判长", reason="发现录入错误")

The PIN (set and checked in trainer.contest_pin) is stored as an scrypt hash (hashlib.scrypt, random salt):
`scrypt$n$r$p$salt$hash`, compared in constant time. An override records the judge scores it accepted (a
digest), so it lapses once they change. Locks, unlocks, overrides and PIN changes go into the audit log.

Five wrong PINs in a row lock every PIN-protected action of the contest for five minutes (MAX_WRONG_PINS,
LOCKOUT): the count and the end of the lock-out are kept in the settings table (`pin.attempts.contest.<id>`),
so restarting the program does not reset them; a right PIN clears the count. PinAttempts is the same rule
for any key/value store (judge mode keeps its own count on the judge's laptop). check_pin records a failure
in its own transaction: call it before, not inside, the change it guards; a wrong old PIN given to set_pin
counts too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlite_utils import Database

from trainer import audit, contest, merge
from trainer.contest import Item
from trainer.contest_people import Panel

# The chief judge's PIN is checked in trainer.contest_pin (which scoring and merge import too); re-exported here
# for the callers that know it as the locks'.
from trainer.contest_pin import LockError as LockError
from trainer.contest_pin import PinLockedOut as PinLockedOut
from trainer.contest_pin import check_pin as check_pin
from trainer.contest_pin import set_pin as set_pin
from trainer.contest_values import show_plain

# The PIN machinery is shared with judge mode and the certificate settings (trainer.pins); re-exported here
# for the callers that know it as the contest's.
from trainer.pins import LOCKOUT as LOCKOUT
from trainer.pins import MAX_WRONG_PINS as MAX_WRONG_PINS
from trainer.pins import MIN_PIN as MIN_PIN
from trainer.pins import SCRYPT_N as SCRYPT_N
from trainer.pins import PinAttempts as PinAttempts
from trainer.pins import hash_pin as hash_pin
from trainer.pins import verify_pin as verify_pin
from trainer.ranking import SpreadFlag, load_stats, raw_values, scores_digest, spread_flags
from trainer.scoring import double_entry_status


class LockRefused(LockError):
    """Open spread flags or double-entry mismatches stand in the way of a lock."""

    def __init__(self, message: str, flags: tuple[SpreadFlag, ...] = (), mismatches: int = 0):
        super().__init__(message)
        self.flags = flags
        self.mismatches = mismatches


@dataclass(frozen=True)
class LockResult:
    item: Item
    overridden: tuple[SpreadFlag, ...]  # flags the chief judge overrode to lock


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def open_flags(db: Database, item: Item) -> list[SpreadFlag]:
    panel = Panel.load(db, item.contest_id)
    return [f for f in spread_flags(db, [item], panel, load_stats(db, [item])) if not f.overridden]


def _mismatch_count(db: Database, item_id: int) -> int:
    return len(double_entry_status(db, item_id).mismatches)


def override_spread(db: Database, item_id: int, competitor_id: int, pin: str, actor: str, reason: str) -> None:
    """Accept one competitor's spread as it stands (the chief judge, with a reason)."""
    item = contest.require_item(db, item_id)
    check_pin(db, item.contest_id, pin)
    if not reason.strip():
        raise LockError("确认分差须说明原因")
    flag = next((f for f in open_flags(db, item) if f.competitor.id == competitor_id), None)
    if flag is None:
        raise LockError("该选手在此项目没有待处理的分差提示")
    with db.atomic():
        _record_override(db, flag, actor, reason.strip())


def _record_override(db: Database, flag: SpreadFlag, actor: str, reason: str) -> None:
    digest = scores_digest(raw_values(db, flag.item.id, flag.competitor.id))
    db.execute("INSERT INTO contest_spread_overrides (item_id, competitor_id, digest, spread_x1000, reason, actor, at)"
               " VALUES (?, ?, ?, ?, ?, ?, ?)",
               [flag.item.id, flag.competitor.id, digest, flag.spread_milli, reason, actor, _now()])
    audit.append(db, audit.Entry(audit.SPREAD_OVERRIDE, actor, flag.item.contest_id, flag.item.id, flag.competitor.id,
                                 new=show_plain(flag.spread_milli), reason=reason, detail=flag.text()))


def lock_item(db: Database, item_id: int, pin: str, actor: str, *, override_reason: str = "") -> LockResult:
    """Lock an item (read-only from now on). Refused (LockRefused) while spread flags are open, unless
    `override_reason` is given: then every open flag is overridden with it. Double-entry mismatches must be
    resolved first; they have no override."""
    item = contest.require_item(db, item_id)
    check_pin(db, item.contest_id, pin)
    if item.locked:
        raise LockError(f"“{item.name}”已锁定")
    mismatches = _mismatch_count(db, item_id)
    if mismatches:
        raise LockRefused(f"“{item.name}”有{mismatches}处复核录入不一致，裁定后才能锁定", mismatches=mismatches)
    conflicts = merge.open_conflict_count(db, item_id)  # judges' file values awaiting the chief judge
    if conflicts:
        raise LockRefused(f"“{item.name}”有{conflicts}处评委评分文件与手工录入不一致，裁定后才能锁定")
    flags = tuple(open_flags(db, item))
    if flags and not override_reason.strip():
        listing = "；".join(f.text() for f in flags)
        raise LockRefused(f"“{item.name}”有{len(flags)}名选手评委分差超过上限，修正成绩或由裁判长说明理由后"
                          f"才能锁定：{listing}", flags)
    with db.atomic():
        for flag in flags:
            _record_override(db, flag, actor, override_reason.strip())
        db.execute("UPDATE contest_items SET locked_at = ?, locked_by = ? WHERE id = ?", [_now(), actor, item_id])
        audit.append(db, audit.Entry(audit.ITEM_LOCK, actor, item.contest_id, item_id,
                                     reason=override_reason.strip(),
                                     detail=f"确认分差{len(flags)}人" if flags else ""))
    return LockResult(contest.require_item(db, item_id), flags)


def unlock_item(db: Database, item_id: int, pin: str, actor: str, reason: str) -> Item:
    item = contest.require_item(db, item_id)
    check_pin(db, item.contest_id, pin)
    if not reason.strip():
        raise LockError("解锁须说明原因")
    if not item.locked:
        raise LockError(f"“{item.name}”未锁定")
    with db.atomic():
        db.execute("UPDATE contest_items SET locked_at = NULL, locked_by = '' WHERE id = ?", [item_id])
        audit.append(db, audit.Entry(audit.ITEM_UNLOCK, actor, item.contest_id, item_id, reason=reason.strip()))
    return contest.require_item(db, item_id)
