"""The append-only audit log (table `audit_log`): every change to contest scores, deductions, locks,
spread overrides, draws and awards, to the certificate register and its settings, and corrections and
deletions of training records, each entry chained to the one before by a SHA-256 hash.

    audit.append(db, audit.Entry(SCORE_CHANGE, "记分员李明", contest_id=1, item_id=2, competitor_id=7,
                                 judge_id=3, old="85", new="86", reason="评委更正笔误"))
    audit.append_many(db, entries)            # imports: one chain step per entry, one statement
    audit.verify(db)                          # None when intact, else the id of the first broken entry
    audit.entries(db, contest_id, actions=SCORE_ACTIONS)

The table refuses UPDATE and DELETE (triggers); `hash` = SHA-256 of the previous hash and the entry's
fields as canonical JSON, so an edited field, a removed row or a reordered pair breaks the chain at that
entry. Judges' laptops (issue 7) append their merges here and `trainer audit verify` calls verify().
Callers own the transaction: an entry is written in the same transaction as the change it records.

A chain alone cannot show that its last entries were deleted, so every append also writes the chain's head
(count, last id, last hash) to the settings row `audit.head` in the same transaction, and the next entry
links to that head rather than to whatever row is last in the table. `check` compares the table with the
head: `missing` entries cut off the end are reported (`audit verify`: 审计日志末尾缺少N条记录). The head is
as writable as the table itself: it catches a tail deleted with a SQLite tool, not a forger who rewrites both.
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
REOPEN_CODE_SHOWN = "judge.reopen_code"  # the chief judge was shown a judge's reopen code (never the code)
SCORE_CONFLICT, DATABASE_RESTORE = "score.conflict", "database.restore"
# Setting a contest up in the window (trainer.contest_setup)
CONTEST_CREATE, CONTEST_EDIT = "contest.create", "contest.edit"
ITEM_ADD, ITEM_EDIT, ITEM_DELETE = "item.add", "item.edit", "item.delete"
JUDGE_ADD, JUDGE_EDIT, JUDGE_REMOVE = "judge.add", "judge.edit", "judge.remove"
ASSIGN, UNASSIGN = "judge.assign", "judge.unassign"
COMPETITOR_ADD, COMPETITOR_REMOVE, COMPETITOR_EDIT = "competitor.add", "competitor.remove", "competitor.edit"
RANKING_RELEASE, RANKING_WITHDRAW = "ranking.release", "ranking.withdraw"  # the results board (issue 6)
# The certificate register (issue 5 and 7): issue, revoke, reissue, print, and the settings that sign them
CERT_ISSUE, CERT_REVOKE, CERT_REISSUE, CERT_PRINT = "cert.issue", "cert.revoke", "cert.reissue", "cert.print"
CERT_SETTINGS, CERT_PIN_SET = "cert.settings", "cert.pin_set"
# Training records (issue 4): correcting or deleting an external record changes compliance
RECORD_EDIT, RECORD_DELETE = "record.edit", "record.delete"

LABELS = {
    SCORE_ENTER: "录入成绩", SCORE_CHANGE: "修改成绩", SCORE_CLEAR: "撤销成绩", SCORE_CHECK: "复核录入",
    SCORE_RESOLVE: "裁定不一致", DEDUCTION_ADD: "扣分", DEDUCTION_REMOVE: "撤销扣分", ITEM_LOCK: "锁定项目",
    ITEM_UNLOCK: "解锁项目", SPREAD_OVERRIDE: "确认分差", PIN_SET: "设置PIN", DRAW: "抽签",
    AWARDS_CONFIRM: "确认获奖名单", CONTEST_IMPORT: "导入比武",
    JUDGE_KIT: "导出评分包", REOPEN_CODE_SHOWN: "查看评委重开码", JUDGE_FILE_MERGE: "合并评委评分文件",
    JUDGE_FILE_SUPERSEDE: "评委新提交取代旧提交",
    SCORE_CONFLICT: "评委文件与手工录入不一致", DATABASE_RESTORE: "从备份恢复数据库",
    CONTEST_CREATE: "新建比武", CONTEST_EDIT: "修改比武信息", ITEM_ADD: "添加比武项目", ITEM_EDIT: "修改比武项目",
    ITEM_DELETE: "删除比武项目", JUDGE_ADD: "添加评委", JUDGE_EDIT: "修改评委", JUDGE_REMOVE: "删除评委",
    ASSIGN: "分配评委", UNASSIGN: "取消评委分配", COMPETITOR_ADD: "添加选手", COMPETITOR_REMOVE: "移除选手",
    COMPETITOR_EDIT: "修改选手",
    RANKING_RELEASE: "发布排名", RANKING_WITHDRAW: "撤回发布",
    CERT_ISSUE: "发放证书", CERT_REVOKE: "撤销证书", CERT_REISSUE: "补发证书", CERT_PRINT: "打印证书",
    CERT_SETTINGS: "修改证书设置", CERT_PIN_SET: "设置证书管理口令",
    RECORD_EDIT: "修改培训记录", RECORD_DELETE: "删除培训记录",
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


HEAD_KEY = "audit.head"  # settings row: "<count> <last id> <last hash>", written with every append


@dataclass(frozen=True)
class Head:
    count: int
    last_id: int
    hash: str

    def text(self) -> str:
        return f"{self.count} {self.last_id} {self.hash}"


def head(db: Database) -> Head | None:
    """The chain's head as last written by append_many (None: never written, or unreadable)."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [HEAD_KEY]).fetchone()
    parts = str(row[0]).split() if row else []
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    return Head(int(parts[0]), int(parts[1]), parts[2])


def _table_head(db: Database) -> Head:
    row = db.execute("SELECT COUNT(*), IFNULL(MAX(id), 0) FROM audit_log").fetchone()
    return Head(int(row[0]), int(row[1]), _last_hash(db))


_INSERT = ("INSERT INTO audit_log (" + ", ".join(_FIELDS) + ", prev_hash, hash) VALUES ("
           + ", ".join("?" * (len(_FIELDS) + 2)) + ")")


def append(db: Database, entry: Entry) -> None:
    append_many(db, [entry])


def append_many(db: Database, entries: Iterable[Entry], at: str = "") -> int:
    """Append entries in order; `at` stamps them all (one import, one moment). Returns how many."""
    stamp = at or now()
    # Link to the recorded head (a log whose tail was deleted then breaks at the next entry too); a database
    # without a head yet starts it from the table.
    start = head(db) or _table_head(db)
    prev = start.hash
    rows = []
    for e in entries:
        values = e.values(stamp)
        digest = chain_hash(prev, values)
        rows.append((*values, prev, digest))
        prev = digest
    if not rows:
        return 0
    db.conn.executemany(_INSERT, rows)
    last_id = int(db.execute("SELECT MAX(id) FROM audit_log").fetchone()[0])
    db.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
               [HEAD_KEY, Head(start.count + len(rows), last_id, prev).text()])
    return len(rows)


@dataclass(frozen=True)
class Verdict:
    """What `check` found: `broken` is the id of the first wrong entry; `missing` how many entries were cut
    off the end (the head says there were more); `no_head`: entries exist but the head row is gone."""
    total: int
    broken: int | None = None
    missing: int = 0
    no_head: bool = False

    @property
    def ok(self) -> bool:
        return self.broken is None and not self.missing and not self.no_head


def check(db: Database) -> Verdict:
    """Walk the chain, then compare its end with the recorded head."""
    prev, total, last_id = GENESIS, 0, 0
    for row in db.execute("SELECT id, " + ", ".join(_FIELDS) + ", prev_hash, hash FROM audit_log ORDER BY id"):
        entry_id, values, stored_prev, stored = row[0], row[1:-2], row[-2], row[-1]
        if stored_prev != prev or chain_hash(prev, values) != stored:
            return Verdict(int(db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]), int(entry_id))
        prev, total, last_id = stored, total + 1, int(entry_id)
    recorded = head(db)
    if recorded is None:
        return Verdict(total, no_head=total > 0)
    if (recorded.count, recorded.last_id, recorded.hash) == (total, last_id, prev):
        return Verdict(total)
    if total < recorded.count:
        return Verdict(total, missing=recorded.count - total)
    at_head = db.execute("SELECT hash FROM audit_log WHERE id = ?", [recorded.last_id]).fetchone()
    if at_head is None or at_head[0] != recorded.hash:  # the head's entry is gone or was replaced
        return Verdict(total, broken=recorded.last_id if at_head is not None else last_id)
    after = db.execute("SELECT MIN(id) FROM audit_log WHERE id > ?", [recorded.last_id]).fetchone()[0]
    return Verdict(total, broken=int(after) if after is not None else last_id)  # rows added past the head


def verify(db: Database) -> int | None:
    """The id of the first entry whose hash or link is wrong (edited, removed or reordered), else None.
    Entries cut off the end (or a missing head) count as broken at the id after the last entry left."""
    v = check(db)
    if v.broken is not None:
        return v.broken
    if v.missing or v.no_head:
        return int(db.execute("SELECT IFNULL(MAX(id), 0) FROM audit_log").fetchone()[0]) + 1
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
