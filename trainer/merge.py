"""Merging judges' score files on the main laptop: many files at once, all or nothing.

    report = merge.merge_files(db, contest_id, [Path("E:/评分文件_J3_….score"), …], actor="记分员李静")
    for o in report.outcomes: print(o.line())      # accepted N / duplicate / superseded N / conflicts N
    merge.conflicts(db, contest_id)                  # open conflicts: a judge's file against a hand-entered value
    merge.resolve_conflict(db, conflict_id, "86", pin, "裁判长周明", reason="核对评委签字的纸质评分表")

Every file is read and verified before anything is written: the envelope (trainer.sealed: no byte changed,
dropped or added), this database's identity, this contest, a kit this database exported (with the same
content hash), the judge the kit was made for, and the HMAC-SHA256 signature with that kit's secret. One
refused file refuses the whole merge (MergeRefused lists every refused file and why) and nothing is written.
Then, when at least one file will change the database (not all of them duplicates or older than the judge's
merged file), a backup is taken (trainer.backup, reason `pre-merge`); all files are applied in ONE transaction,
oldest first per judge; every value is checked again by scoring's rules against the database as it is now
(assignment, recusal, locks, maxima, decimals); a value that fails them refuses the merge too.

Per file, against what is stored for its judge:
- the same file (same content hash) already merged: `duplicate`, nothing changes;
- a file older than the judge's merged one (submission time, then revision): `superseded 0`, nothing changes;
- a first file: its values are written (source 评委文件, origin the file): `accepted N` (values now standing);
- a newer file: it replaces the older one: values from the older file are changed, added or cleared to match
  the newer one, each change in the audit log, and the older submission is marked superseded (an audit entry
  too): `superseded N` (scores changed);
- a value that differs from one entered by hand (录入, 导入, 复核裁定) is never written over it: it becomes a
  conflict (both values kept in `contest_conflicts`) until the chief judge resolves it with a reason:
  `conflicts N`, the rest of the file's values are merged. A newer file from the judge replaces the judge's
  open conflicts. An item with open conflicts cannot be locked (trainer.contest_locks). A newer file that also
  has conflicts is `conflicts N` too, and its note says which file it replaced and how many scores changed.

The first two words of a line are the contract; a note in （） after the file name says the rest, e.g.
`conflicts 1  J1.score  评委J1（取代2026-11-18 10:00提交的文件，改动 2 个分数；其余 3 个分数已合并）`.
Deciding a conflict needs the chief judge's PIN, checked by resolve_conflict / resolve_all themselves.

A 团体 item's values are keyed by team number (队号) and land on the team's row, checked by the same rules
(a judge's own unit's team is refused like a competitor of their unit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlite_utils import Database

from trainer import audit, backup, blind, contest, contest_pin, judge_kit, score_file
from trainer.contest import Contest
from trainer.contest_people import Judge
from trainer.contest_values import ValueProblem, fmt_decimal, show_plain, to_milli
from trainer.score_file import ScoreFile, ScoreFileError
from trainer.scoring import RESOLVED, ScoreError, ScoringContext, Slot, enter_score

ACCEPTED, DUPLICATE, SUPERSEDED, CONFLICTS = "accepted", "duplicate", "superseded", "conflicts"
JUDGE_FILE = "评委文件"  # contest_scores.source of values merged from judges' score files
CURRENT, REPLACED_SUBMISSION = "有效", "已取代"
PENDING, DECIDED, REPLACED = "待裁定", "已裁定", "已取代"


class MergeError(ValueError):
    """A refused conflict resolution; the message is for the user."""


@dataclass(frozen=True)
class FileProblem:
    path: Path
    reason: str

    def line(self) -> str:
        return f"{self.path}: {self.reason}"


class MergeRefused(Exception):
    """Files refused: nothing was merged. One line per problem: the file and why."""

    def __init__(self, problems: Sequence[FileProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(p.line() for p in self.problems))

    @property
    def lines(self) -> list[str]:
        return [p.line() for p in self.problems]


@dataclass(frozen=True)
class VerifiedFile:
    path: Path
    file: ScoreFile
    kit: judge_kit.KitRecord
    judge: Judge


@dataclass(frozen=True)
class Conflict:
    id: int
    contest_id: int
    submission_id: int
    slot: Slot
    item_name: str
    draw_no: int | None      # the 队号 when `team`; None on a blind item before its lock (the code alone)
    code: str                # the item's anonymous code, '' when the item is not blind
    judge_code: str
    criterion_name: str
    stored: Decimal
    stored_source: str
    stored_by: str
    file_value: Decimal
    file_name: str
    status: str
    resolved: Decimal | None
    resolved_by: str
    resolve_reason: str
    team: bool = False       # a 团体 item's team row
    sealed: bool = False     # a blind item before its lock: named by its code alone (trainer.blind)

    @property
    def who(self) -> str:
        """'抽签号1（密封编号B267）', '队号3', or '密封编号B267' alone while the item is sealed."""
        if self.sealed:
            return blind.code_text(self.code)
        number = f"{'队号' if self.team else '抽签号'}{self.draw_no if self.draw_no is not None else ''}"
        return number + (f"（{blind.code_text(self.code)}）" if self.code else "")

    def line(self) -> str:
        crit = f" 细则“{self.criterion_name}”" if self.criterion_name else ""
        return (f"冲突 #{self.id}：{self.item_name} {self.who} 评委{self.judge_code}{crit}：已{self.stored_source}"
                f"{fmt_decimal(self.stored)}（{self.stored_by}），评委文件{fmt_decimal(self.file_value)}")


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    status: str        # accepted / duplicate / superseded / conflicts
    count: int
    judge_code: str
    revision: int
    content_hash: str
    note: str = ""
    conflicts: tuple[Conflict, ...] = ()
    replaced: str = ""  # when the file took the place of the judge's older merged file: that one's submission time

    @property
    def unchanged(self) -> bool:
        """Nothing was written for this file: merged before, or older than the judge's merged one."""
        return self.status == DUPLICATE or (self.status == SUPERSEDED and not self.replaced)

    def line(self) -> str:
        head = self.status if self.status == DUPLICATE else f"{self.status} {self.count}"
        tail = f"（{self.note}）" if self.note else ""
        return f"{head}  {self.path.name}  评委{self.judge_code}{tail}"


@dataclass(frozen=True)
class MergeReport:
    outcomes: tuple[FileOutcome, ...]
    backup: Path | None

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for o in self.outcomes for c in o.conflicts]

    @property
    def unchanged(self) -> bool:
        """No file wrote anything (then no backup was taken either)."""
        return all(o.unchanged for o in self.outcomes)


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


# ---- verification -------------------------------------------------------------------------------

def check_file(db: Database, c: Contest, path: Path) -> VerifiedFile:
    """The file, verified for this contest of this database; ScoreFileError (Chinese) otherwise."""
    sf = score_file.read(path)
    if sf.database_uid != judge_kit.database_uid(db):
        raise ScoreFileError(f"来自另一个数据库（“{sf.contest_name}”的评分包不是本数据库导出的），不能合并")
    if sf.contest_uid != c.uid:
        other = db.execute("SELECT id, name FROM contests WHERE uid = ?", [sf.contest_uid]).fetchone()
        where = f"另一场比武“{other[1]}”（编号{other[0]}）" if other else f"另一场比武“{sf.contest_name}”"
        raise ScoreFileError(f"属于{where}，不是本次比武“{c.name}”的评分文件")
    kit = judge_kit.registered(db, sf.kit_uid)
    if kit is None or kit.contest_id != c.id:
        raise ScoreFileError("生成该文件的评分包未在本数据库登记（数据库可能已恢复到导出评分包之前的备份）")
    if sf.kit_sha256 != kit.sha256:
        raise ScoreFileError("生成该文件的评分包已被改动（评分包校验码不符）")
    if not sf.signed_by(kit.secret):
        raise ScoreFileError("签名不符：文件内容被改动，或不是用该评委的评分包生成的")
    row = db.execute("SELECT id, contest_id, code, name, unit_id, unit_text, is_chief FROM contest_judges"
                     " WHERE id = ?", [kit.judge_id]).fetchone()
    if row is None:
        raise ScoreFileError("评分包对应的评委已不在本次比武中")
    judge = Judge(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]))
    if sf.judge_code != judge.code:
        raise ScoreFileError(f"文件中的评委编号{sf.judge_code}与评分包的评委{judge.code}不符")
    return VerifiedFile(path, sf, kit, judge)


# ---- merging ------------------------------------------------------------------------------------

class _Refused(Exception):
    pass


@dataclass(frozen=True)
class _Stored:
    value: int
    source: str
    by: str


def merge_files(db: Database, contest_id: int, paths: Sequence[Path], actor: str, *,
                take_backup: bool = True) -> MergeReport:
    """Verify every file, back up, then merge them all in one transaction (MergeRefused: nothing written)."""
    c = contest.require_contest(db, contest_id)
    problems: list[FileProblem] = []
    verified: list[VerifiedFile] = []
    for path in paths:
        try:
            verified.append(check_file(db, c, Path(path)))
        except ScoreFileError as exc:
            problems.append(FileProblem(Path(path), str(exc)))
    if problems:
        raise MergeRefused(problems)
    # a batch of files merged before (or older than what is merged) writes nothing, so it needs no backup
    writes = any(_unchanged(db, contest_id, v) is None for v in verified)
    taken = backup.before_change(db.conn, "pre-merge") if take_backup and writes else None
    outcomes: dict[int, FileOutcome] = {}
    now = _now()
    with db.atomic():
        ctx = ScoringContext.load(db, contest_id)
        codes: dict[tuple[int, str], int] = {(r[0], r[1]): r[2] for r in db.execute(
            "SELECT k.item_id, k.code, k.competitor_id FROM contest_codes k JOIN contest_items i ON i.id = k.item_id"
            " WHERE i.contest_id = ?", [contest_id])}
        order = sorted(range(len(verified)), key=lambda i: (verified[i].judge.id, verified[i].file.order_key()))
        for i in order:
            try:
                outcomes[i] = _merge_one(db, ctx, codes, verified[i], actor, now)
            except _Refused as exc:
                problems.append(FileProblem(verified[i].path, str(exc)))
        if problems:
            raise MergeRefused(problems)  # inside the transaction: everything rolls back
    return MergeReport(tuple(outcomes[i] for i in range(len(verified))), taken)


def _current(db: Database, contest_id: int, judge_id: int) -> tuple[int, str, int, str] | None:
    row = db.execute("SELECT id, submitted_at, revision, content_hash FROM contest_submissions"
                     " WHERE contest_id = ? AND judge_id = ? AND status = ? ORDER BY id DESC LIMIT 1",
                     [contest_id, judge_id, CURRENT]).fetchone()
    return (int(row[0]), str(row[1]), int(row[2]), str(row[3])) if row else None


def _unchanged(db: Database, contest_id: int, v: VerifiedFile) -> tuple[str, str] | None:
    """(status, note) when merging the file changes nothing: the same file was merged before, or the judge's
    merged file is newer. Files merged in the same batch only add newer submissions, so a file unchanged before
    the batch stays unchanged in it."""
    if db.execute("SELECT 1 FROM contest_submissions WHERE content_hash = ?", [v.file.content_hash]).fetchone():
        return DUPLICATE, "已合并过，未改动"
    current = _current(db, contest_id, v.judge.id)
    if current is not None and v.file.order_key() <= (current[1], current[2]):
        return SUPERSEDED, f"已合并该评委更新的提交（{current[1][:19]}），本文件未改动任何成绩"
    return None


def _slots(ctx: ScoringContext, codes: dict[tuple[int, str], int], v: VerifiedFile) -> dict[Slot, int]:
    """The file's values as slots of this contest, checked by scoring's rules (locks are checked later,
    against what would change)."""
    wanted: dict[Slot, int] = {}
    problems: list[str] = []
    for val in v.file.values:
        item = ctx.items.get(val.item_id)
        if item is None:
            problems.append(f"项目“{val.item_name}”不属于本次比武")
            continue
        if item.blind:
            comp_id = codes.get((item.id, val.key))
        else:
            comp = ctx.panel.entrant(item, int(val.key)) if val.key.isascii() and val.key.isdigit() else None
            comp_id = comp.id if comp is not None else None
        label = "密封编号" if item.blind else "队号" if item.team else "抽签号"
        if comp_id is None:
            problems.append(f"“{item.name}”没有{label}{val.key}")
            continue
        slot = Slot(item.id, comp_id, v.judge.id, val.criterion_id)
        problem = ctx.slot_problem(slot)
        if problem is not None and not item.locked:
            problems.append(f"“{item.name}”{label}{val.key}：{problem[1]}")
            continue
        try:
            wanted[slot] = to_milli(ctx.parse_value(slot, val.value))
        except (ValueProblem, ScoreError) as exc:
            problems.append(f"“{item.name}”{label}{val.key}：{exc}")
    if problems:
        more = f"等{len(problems)}处" if len(problems) > 3 else ""
        raise _Refused("；".join(problems[:3]) + more)
    return wanted


def _merge_one(db: Database, ctx: ScoringContext, codes: dict[tuple[int, str], int], v: VerifiedFile, actor: str,
               now: str) -> FileOutcome:
    sf, judge = v.file, v.judge

    def outcome(status: str, count: int, note: str = "", found: tuple[Conflict, ...] = (),
                replaced: str = "") -> FileOutcome:
        return FileOutcome(v.path, status, count, judge.code, sf.revision, sf.content_hash, note, found, replaced)

    unchanged = _unchanged(db, ctx.contest_id, v)
    if unchanged is not None:
        return outcome(unchanged[0], 0, unchanged[1])
    current = _current(db, ctx.contest_id, judge.id)
    wanted = _slots(ctx, codes, v)
    stored = {Slot(r[0], r[1], r[2], r[3]): _Stored(r[4], r[5], r[6]) for r in db.execute(
        "SELECT s.item_id, s.competitor_id, s.judge_id, s.criterion_id, s.value_x1000, s.source, s.entered_by"
        " FROM contest_scores s JOIN contest_items i ON i.id = s.item_id WHERE i.contest_id = ? AND s.judge_id = ?",
        [ctx.contest_id, judge.id])}
    inserts: list[tuple[Slot, int]] = []
    updates: list[tuple[Slot, int, int]] = []
    clears: list[tuple[Slot, int]] = []
    differing: list[tuple[Slot, _Stored, int]] = []
    same = 0
    for slot, value in wanted.items():
        st = stored.get(slot)
        if st is None:
            inserts.append((slot, value))
        elif st.value == value:
            same += 1
        elif st.source == JUDGE_FILE:
            updates.append((slot, st.value, value))
        else:
            differing.append((slot, st, value))
    if current is not None:  # the newer file replaces the older: its unscored slots are unscored again
        clears = [(slot, st.value) for slot, st in stored.items() if slot not in wanted and st.source == JUDGE_FILE]
    touched = [s for s, _v in inserts] + [s for s, _o, _n in updates] + [s for s, _o in clears] + \
              [s for s, _st, _v in differing]
    locked = sorted({ctx.items[s.item_id].name for s in touched if ctx.items[s.item_id].locked})
    if locked:
        raise _Refused(f"项目“{'、'.join(locked)}”已锁定，文件中的分数与已锁定的成绩不同（须裁判长先解锁）")

    judge_label = f"评委{judge.code}{judge.name}"
    origin = f"{v.path.name}（{sf.content_hash[:8]}）"
    cur = db.execute(
        "INSERT INTO contest_submissions (contest_id, judge_id, kit_id, content_hash, revision, submitted_at,"
        " file_name, body, value_count, merged_by, merged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [ctx.contest_id, judge.id, v.kit.id, sf.content_hash, sf.revision, sf.submitted_at, v.path.name,
         sf.body_text, len(sf.values), actor, now])
    sub_id = int(cur.lastrowid or 0)
    entries: list[audit.Entry] = []

    def entry(action: str, slot: Slot, old: int | None, new: int | None, reason: str = "") -> audit.Entry:
        return audit.Entry(action, actor, ctx.contest_id, slot.item_id, slot.competitor_id, slot.judge_id,
                           slot.criterion_id, show_plain(old) if old is not None else "",
                           show_plain(new) if new is not None else "", reason, f"{JUDGE_FILE} {origin}")

    db.conn.executemany(
        "INSERT INTO contest_scores (item_id, competitor_id, judge_id, criterion_id, value_x1000, source, origin,"
        " entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(s.item_id, s.competitor_id, s.judge_id, s.criterion_id, val, JUDGE_FILE, origin, judge_label, now)
         for s, val in inserts])
    entries += [entry(audit.SCORE_ENTER, s, None, val) for s, val in inserts]
    replaced = f"评委{judge.code}第{sf.revision}次提交取代先前的提交" if sf.revision else \
        f"评委{judge.code}的纸质评分表录入取代先前的提交"
    for s, old, new in updates:
        db.execute("UPDATE contest_scores SET value_x1000 = ?, origin = ?, updated_by = ?, updated_at = ?"
                   " WHERE item_id = ? AND competitor_id = ? AND judge_id = ? AND IFNULL(criterion_id, 0) = ?",
                   [new, origin, judge_label, now, s.item_id, s.competitor_id, s.judge_id, s.criterion_id or 0])
        entries.append(entry(audit.SCORE_CHANGE, s, old, new, replaced))
    for s, old in clears:
        db.execute("DELETE FROM contest_scores WHERE item_id = ? AND competitor_id = ? AND judge_id = ?"
                   " AND IFNULL(criterion_id, 0) = ?", [s.item_id, s.competitor_id, s.judge_id, s.criterion_id or 0])
        entries.append(entry(audit.SCORE_CLEAR, s, old, None, replaced + "（新提交中此格未评分）"))
    # the judge's open conflicts from earlier files give way to this file's
    db.execute("UPDATE contest_conflicts SET status = ? WHERE contest_id = ? AND judge_id = ? AND status = ?",
               [REPLACED, ctx.contest_id, judge.id, PENDING])
    conflict_ids = []
    for s, st, value in differing:
        cur = db.execute(
            "INSERT INTO contest_conflicts (contest_id, submission_id, item_id, competitor_id, judge_id, criterion_id,"
            " stored_x1000, stored_source, stored_by, file_x1000, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [ctx.contest_id, sub_id, s.item_id, s.competitor_id, s.judge_id, s.criterion_id, st.value, st.source,
             st.by, value, now])
        conflict_ids.append(int(cur.lastrowid or 0))
        entries.append(entry(audit.SCORE_CONFLICT, s, st.value, value, "评委文件与手工录入的成绩不同，待裁判长裁定"))
    status, count = ACCEPTED, len(inserts) + same
    if current is not None:
        db.execute("UPDATE contest_submissions SET status = ?, superseded_by = ? WHERE id = ?",
                   [REPLACED_SUBMISSION, sub_id, current[0]])
        entries.append(audit.Entry(audit.JUDGE_FILE_SUPERSEDE, actor, ctx.contest_id, judge_id=judge.id,
                                   old=current[3], new=sf.content_hash, reason=replaced,
                                   detail=f"改动 {len(inserts) + len(updates) + len(clears)} 格"))
        status, count = SUPERSEDED, len(inserts) + len(updates) + len(clears)
    entries.append(audit.Entry(audit.JUDGE_FILE_MERGE, actor, ctx.contest_id, judge_id=judge.id,
                               new=sf.content_hash,
                               detail=(f"{v.path.name}：{sf.via}第{sf.revision}次提交，{len(sf.values)}个分数，"
                                       f"写入{len(inserts) + len(updates)}，清除{len(clears)}，"
                                       f"相同{same}，冲突{len(differing)}")))
    audit.append_many(db, entries, now)
    found = tuple(c for c in conflicts(db, ctx.contest_id, status=None) if c.id in set(conflict_ids))
    replaced = "" if current is None else current[1]
    # the line's first two words are the contract (`conflicts N`); what else happened goes in the note after it
    notes = [] if current is None else [f"取代{current[1][:16].replace('T', ' ')}提交的文件"]
    if found:
        if current is not None:
            notes[0] += f"，改动 {count} 个分数"
        merged = len(inserts) + len(updates) + same
        notes += [f"其余 {merged} 个分数已合并"] if merged else []
        return outcome(CONFLICTS, len(found), "；".join(notes), found, replaced)
    return outcome(status, count, "；".join(notes), replaced=replaced)


# ---- conflicts ----------------------------------------------------------------------------------

def conflicts(db: Database, contest_id: int, *, status: str | None = PENDING) -> list[Conflict]:
    """Conflicts of a contest (open ones by default; status=None: all), by item, draw number (a blind item's
    code before its lock: it is named by the code alone, trainer.blind) and judge."""
    where = "f.contest_id = ?"
    args: list[object] = [contest_id]
    sealed = f"({blind.SEALED_SQL} AND k.code IS NOT NULL)"  # named by the code alone
    if status is not None:
        where += " AND f.status = ?"
        args.append(status)
    rows = db.execute(
        "SELECT f.id, f.contest_id, f.submission_id, f.item_id, f.competitor_id, f.judge_id, f.criterion_id,"
        f" i.name, CASE WHEN {sealed} THEN NULL ELSE IFNULL(c.draw_no, c.team_no) END, IFNULL(k.code, ''), j.code,"
        " IFNULL(cr.name, ''), f.stored_x1000,"
        " f.stored_source, f.stored_by, f.file_x1000, s.file_name, f.status, f.resolved_x1000, f.resolved_by,"
        f" f.resolve_reason, c.is_team, {sealed}"
        " FROM contest_conflicts f JOIN contest_items i ON i.id = f.item_id"
        " JOIN contest_competitors c ON c.id = f.competitor_id JOIN contest_judges j ON j.id = f.judge_id"
        " JOIN contest_submissions s ON s.id = f.submission_id"
        " LEFT JOIN contest_codes k ON k.item_id = f.item_id AND k.competitor_id = f.competitor_id AND i.blind = 1"
        " LEFT JOIN contest_criteria cr ON cr.id = f.criterion_id"
        # a sealed item's conflicts in code order: draw-number order would tie the codes to the draw list
        f" WHERE {where} ORDER BY i.sort_order, CASE WHEN {sealed} THEN k.code END, IFNULL(c.draw_no, c.team_no),"
        " j.code, cr.sort_order, f.id",
        args).fetchall()
    return [Conflict(r[0], r[1], r[2], Slot(r[3], r[4], r[5], r[6]), r[7], r[8], r[9], r[10], r[11],
                     Decimal(show_plain(r[12])), r[13], r[14], Decimal(show_plain(r[15])), r[16], r[17],
                     Decimal(show_plain(r[18])) if r[18] is not None else None, r[19], r[20], bool(r[21]),
                     bool(r[22]))
            for r in rows]


def open_conflict_count(db: Database, item_id: int) -> int:
    return int(db.execute("SELECT COUNT(*) FROM contest_conflicts WHERE item_id = ? AND status = ?",
                          [item_id, PENDING]).fetchone()[0])


def resolve_conflict(db: Database, conflict_id: int, value: object, pin: str, actor: str, reason: str) -> Conflict:
    """The chief judge decides a conflict with the PIN: `value` (the hand-entered one, the file's, or another)
    becomes the score, with the reason in the audit log. A missing reason is refused before the PIN is tried; a
    wrong PIN raises LockError (trainer.contest_pin, counted toward the lock-out) and changes nothing."""
    if not reason.strip():
        raise MergeError(NEED_REASON)
    row = db.execute("SELECT contest_id, status FROM contest_conflicts WHERE id = ?", [conflict_id]).fetchone()
    if row is None:
        raise MergeError("没有这条冲突记录")
    contest_pin.check_pin(db, row[0], pin)
    if row[1] != PENDING:
        raise MergeError(f"这条冲突{row[1]}，不能再裁定")
    conflict = next(c for c in conflicts(db, row[0]) if c.id == conflict_id)
    with db.atomic():
        _decide(db, ScoringContext.load(db, row[0]), conflict, value, actor, reason.strip())
    return next(c for c in conflicts(db, row[0], status=None) if c.id == conflict_id)


def resolve_all(db: Database, contest_id: int, take: str, pin: str, actor: str, reason: str) -> int:
    """Decide every open conflict of the contest the same way — `take` is "stored" (keep what was typed) or
    "file" (the judge's file) — in one transaction, each with its own audit entry; how many were decided.
    The PIN is checked once, as in resolve_conflict."""
    if take not in ("stored", "file"):
        raise ValueError(take)
    if not reason.strip():
        raise MergeError(NEED_REASON)
    contest_pin.check_pin(db, contest_id, pin)
    ctx = ScoringContext.load(db, contest_id)
    with db.atomic():
        pending = conflicts(db, contest_id)
        for c in pending:
            _decide(db, ctx, c, c.stored if take == "stored" else c.file_value, actor, reason.strip())
    return len(pending)


NEED_REASON = "裁定须说明原因（如：核对评委签字的纸质评分表）"


def _decide(db: Database, ctx: ScoringContext, c: Conflict, value: object, actor: str, reason: str) -> None:
    try:
        entered = enter_score(db, c.slot, value, actor, reason=reason, source=RESOLVED, ctx=ctx)
    except ScoreError as exc:
        raise MergeError(str(exc)) from None
    decided = to_milli(entered.new) if entered.new is not None else None
    db.execute("UPDATE contest_conflicts SET status = ?, resolved_x1000 = ?, resolved_by = ?, resolved_at = ?,"
               " resolve_reason = ? WHERE id = ?", [DECIDED, decided, actor, _now(), reason, c.id])
    audit.append(db, audit.Entry(audit.SCORE_RESOLVE, actor, c.contest_id, c.slot.item_id, c.slot.competitor_id,
                                 c.slot.judge_id, c.slot.criterion_id, fmt_decimal(c.stored),
                                 fmt_decimal(entered.new) if entered.new is not None else "", reason,
                                 f"评委文件值{fmt_decimal(c.file_value)}，手工录入值{fmt_decimal(c.stored)}"))


@dataclass(frozen=True)
class Submission:
    id: int
    judge_code: str
    revision: int
    submitted_at: str
    content_hash: str
    file_name: str
    value_count: int
    status: str
    merged_by: str
    merged_at: str


def submissions(db: Database, contest_id: int) -> list[Submission]:
    """Every merged score file of a contest, newest first per judge."""
    return [Submission(*r) for r in db.execute(
        "SELECT s.id, j.code, s.revision, s.submitted_at, s.content_hash, s.file_name, s.value_count, s.status,"
        " s.merged_by, s.merged_at FROM contest_submissions s JOIN contest_judges j ON j.id = s.judge_id"
        " WHERE s.contest_id = ? ORDER BY j.code, s.id DESC", [contest_id])]
