"""The append-only audit log (table `audit_log`): every change to contest scores, deductions, locks,
spread overrides, draws and awards, each entry chained to the one before by a SHA-256 hash.

    audit.append(db, audit.Entry(SCORE_CHANGE, "记分员李明", contest_id=1, item_id=2, competitor_id=7,
                                 judge_id=3, old="85", new="86", reason="评委更正笔误"))
    audit.append_many(db, entries)            # imports: one chain step per entry, one statement
    audit.verify(db)                          # None when intact, else the id of the first broken entry
    audit.entries(db, contest_id, actions=SCORE_ACTIONS)

The table refuses UPDATE and DELETE (triggers); `hash` = SHA-256 of the previous hash and the entry's
fields as canonical JSON, so an edited field, a removed row or a reordered pair breaks the chain at that
entry. Judges' laptops (issue 7) append their merges here and `trainer audit verify` calls verify().
Callers own the transaction: an entry is written in the same transaction as the change it records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

GENESIS = "0" * 64

SCORE_ENTER, SCORE_CHANGE, SCORE_CLEAR = "score.enter", "score.change", "score.clear"
SCORE_CHECK, SCORE_RESOLVE = "score.check", "score.resolve"
DEDUCTION_ADD, DEDUCTION_REMOVE = "deduction.add", "deduction.remove"
ITEM_LOCK, ITEM_UNLOCK, SPREAD_OVERRIDE, PIN_SET = "item.lock", "item.unlock", "spread.override", "pin.set"
DRAW, AWARDS_CONFIRM, CONTEST_IMPORT = "draw", "awards.confirm", "contest.import"
# Judges' laptops and data safety (issue 7): kits, merged score files, conflicts with hand-entered values
JUDGE_KIT, JUDGE_FILE_MERGE, JUDGE_FILE_SUPERSEDE = "judge.kit", "judge_file.merge", "judge_file.supersede"
SCORE_CONFLICT, DATABASE_RESTORE = "score.conflict", "database.restore"

LABELS = {
    SCORE_ENTER: "录入成绩", SCORE_CHANGE: "修改成绩", SCORE_CLEAR: "撤销成绩", SCORE_CHECK: "复核录入",
    SCORE_RESOLVE: "裁定不一致", DEDUCTION_ADD: "扣分", DEDUCTION_REMOVE: "撤销扣分", ITEM_LOCK: "锁定项目",
    ITEM_UNLOCK: "解锁项目", SPREAD_OVERRIDE: "确认分差", PIN_SET: "设置PIN", DRAW: "抽签",
    AWARDS_CONFIRM: "确认获奖名单", CONTEST_IMPORT: "导入比武",
    JUDGE_KIT: "导出评分包", JUDGE_FILE_MERGE: "合并评委评分文件", JUDGE_FILE_SUPERSEDE: "评委新提交取代旧提交",
    SCORE_CONFLICT: "评委文件与手工录入不一致", DATABASE_RESTORE: "从备份恢复数据库",
}
# Changes after first entry: the score change log a chief judge reads.
SCORE_ACTIONS = (SCORE_CHANGE, SCORE_CLEAR, SCORE_RESOLVE)

_FIELDS = ("at", "actor", "action", "contest_id", "item_id", "competitor_id", "judge_id", "criterion_id",
           "old_value", "new_value", "reason", "detail")


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Entry:
    action: str
    actor: str
    contest_id: int | None = None
    item_id: int | None = None
    competitor_id: int | None = None
    judge_id: int | None = None
    criterion_id: int | None = None
    old: str = ""
    new: str = ""
    reason: str = ""
    detail: str = ""
    at: str = ""  # '' = now
    id: int | None = None

    @property
    def label(self) -> str:
        return LABELS.get(self.action, self.action)

    def values(self, at: str) -> tuple[object, ...]:
        return (at or self.at or now(), self.actor, self.action, self.contest_id, self.item_id, self.competitor_id,
                self.judge_id, self.criterion_id, self.old, self.new, self.reason, self.detail)


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one encoder: imports hash thousands


def chain_hash(prev: str, values: Sequence[object]) -> str:
    body = _ENCODER.encode([prev, *values])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _last_hash(db: Database) -> str:
    row = db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return str(row[0]) if row else GENESIS


_INSERT = ("INSERT INTO audit_log (" + ", ".join(_FIELDS) + ", prev_hash, hash) VALUES ("
           + ", ".join("?" * (len(_FIELDS) + 2)) + ")")


def append(db: Database, entry: Entry) -> None:
    append_many(db, [entry])


def append_many(db: Database, entries: Iterable[Entry], at: str = "") -> int:
    """Append entries in order; `at` stamps them all (one import, one moment). Returns how many."""
    stamp = at or now()
    prev = _last_hash(db)
    rows = []
    for e in entries:
        values = e.values(stamp)
        digest = chain_hash(prev, values)
        rows.append((*values, prev, digest))
        prev = digest
    db.conn.executemany(_INSERT, rows)
    return len(rows)


def verify(db: Database) -> int | None:
    """The id of the first entry whose hash or link is wrong (edited, removed or reordered), else None."""
    prev = GENESIS
    for row in db.execute("SELECT id, " + ", ".join(_FIELDS) + ", prev_hash, hash FROM audit_log ORDER BY id"):
        entry_id, values, stored_prev, stored = row[0], row[1:-2], row[-2], row[-1]
        if stored_prev != prev or chain_hash(prev, values) != stored:
            return int(entry_id)
        prev = stored
    return None


def entries(db: Database, contest_id: int | None = None, *, actions: Sequence[str] = (),
            item_id: int | None = None, competitor_id: int | None = None) -> list[Entry]:
    where: list[str] = []
    args: list[object] = []
    if contest_id is not None:
        where.append("contest_id = ?")
        args.append(contest_id)
    if actions:
        where.append(f"action IN ({', '.join('?' * len(actions))})")
        args.extend(actions)
    if item_id is not None:
        where.append("item_id = ?")
        args.append(item_id)
    if competitor_id is not None:
        where.append("competitor_id = ?")
        args.append(competitor_id)
    sql = ("SELECT id, at, actor, action, contest_id, item_id, competitor_id, judge_id, criterion_id, old_value,"
           " new_value, reason, detail FROM audit_log")
    if where:
        sql += " WHERE " + " AND ".join(where)
    out = []
    for r in db.execute(sql + " ORDER BY id", args):
        out.append(Entry(action=r[3], actor=r[2], contest_id=r[4], item_id=r[5], competitor_id=r[6], judge_id=r[7],
                         criterion_id=r[8], old=r[9], new=r[10], reason=r[11], detail=r[12], at=r[1], id=r[0]))
    return out
