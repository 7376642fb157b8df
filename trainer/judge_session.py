"""Judge mode's store on the judge's own laptop: a local SQLite file per kit where every accepted score is
committed the moment it is accepted.

    s = judge_session.JudgeSession.open(Path("E:/评分包_J3.kit"))       # or .open_kit(kit, store_dir=…)
    s.enter(item_id, "12", "85.5")                  # EntryRefused (Chinese) for out of range, too many decimals,
    s.enter(rubric_id, "12", "18", criterion_id=7)  #   a draw number not on this judge's sheet, …
    s.clear(item_id, "12")                          # back to "not scored" (which is not 0)
    s.unscored()                                    # [Unscored] still to do, in sheet order
    sub = s.submit(Path("E:/"))                     # signed score file into the folder; the sheet is read-only now
    s.reopen("0426 1739")                           # the kit's reopen code, read on the main laptop with the PIN

The store lives in the user data folder (`judge/<kit uid>.sqlite`), not beside the kit: a kit is often on
a USB stick that will be pulled out. It runs in WAL mode with synchronous=FULL and every accepted value is
its own committed transaction, so killing the process or cutting the power loses at most the value being
typed. The store keeps a copy of the kit, so judging can go on without the stick (`JudgeSession.resume`).

Values are checked by the one set of score rules (trainer.scoring.ScoringContext) run over the kit's items:
below 0, above 满分 or a criterion's maximum, more decimals than the item allows are refused as typed.
`plan_paper_sheet` applies the same checks to a CSV typed from a judge's paper sheet (`trainer judge export`).
Reopening a submitted sheet takes the kit's 8-digit reopen code (重开码, trainer.judge_kit.reopen_code), which
the chief judge reads on the main laptop with the contest PIN; a kit of the previous version, which carries the
PIN's hash, still reopens with the PIN. Five wrong tries lock reopening for five minutes (trainer.pins.guard,
the same sequence as every PIN), counted in this store.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import TracebackType

from trainer import contest, paths, score_file
from trainer.contest_people import Competitor, Judge, Panel
from trainer.contest_values import ValueProblem, show_plain, to_milli
from trainer.judge_kit import Kit, KitCriterion, KitError, KitItem, code_shape_problem, reopen_accepts
from trainer.judge_kit import parse as parse_kit
from trainer.judge_kit import read_kit as read_kit_file
from trainer.judge_kit import render as render_kit
from trainer.oserrors import describe
from trainer.pins import PinAttempts, guard
from trainer.score_file import ScoreValue
from trainer.scoring import CRITERION, DRAW, ITEM, SCORE, ScoreError, ScoringContext, Slot
from trainer.tabular import CheckedFile, RawTable, RowProblem
from trainer.units import UnitIndex

OPEN, SUBMITTED = "评分中", "已提交"
STORE_SUFFIX = ".sqlite"
_JUDGE_ID = 1


class JudgeSessionError(ValueError):
    """A refused judge-mode action; the message is for the user."""


class EntryRefused(JudgeSessionError):
    """A typed value or draw number that cannot be accepted; `column` names what is wrong."""

    def __init__(self, message: str, column: str = SCORE):
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class SheetEntry:
    item: KitItem
    key: str
    criterion: KitCriterion | None
    value: Decimal | None  # None: not scored


@dataclass(frozen=True)
class Unscored:
    item: KitItem
    key: str
    criteria: tuple[str, ...] = ()  # 评分细则: the criteria still missing, when some are scored

    def line(self) -> str:
        text = f"{self.item.name} {self.item.key_label}{self.key}"
        return text + (f"（细则：{'、'.join(self.criteria)}）" if self.criteria else "")


@dataclass(frozen=True)
class Submission:
    revision: int
    path: Path
    content_hash: str
    submitted_at: str
    values: int
    unscored: int

    @property
    def hash_text(self) -> str:
        return score_file.format_hash(self.content_hash)


def default_store_dir() -> Path:
    return paths.user_folder() / "judge"


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


# ---- the rules, from the kit ----------------------------------------------------------------------

class KitRules:
    """The kit's items and sheets as a ScoringContext, so every value goes through scoring's checks."""

    def __init__(self, kit: Kit):
        self.kit = kit
        self._ids: dict[tuple[int, str], int] = {}
        competitors: list[Competitor] = []
        for item in kit.items:
            for key in item.keys:
                cid = len(competitors) + 1
                self._ids[(item.id, key)] = cid
                competitors.append(Competitor(cid, 0, None, "", "", 0, None))
        # recusal was applied when the kit was made (recused competitors are not on the sheet): here the judge
        # is nobody's colleague, and the sheet is exactly the kit's keys
        judge = Judge(_JUDGE_ID, 0, kit.judge_code, kit.judge_name, None, kit.judge_unit, False)
        panel = Panel(0, UnitIndex([]), competitors, [judge], {it.id: [_JUDGE_ID] for it in kit.items})
        items = {it.id: it.as_item(i) for i, it in enumerate(kit.items, start=1)}
        self.context = ScoringContext(0, items, panel)

    def item(self, item_id: int) -> KitItem:
        found = self.kit.item(item_id)
        if found is None:
            raise EntryRefused("本评分包中没有这个项目", ITEM)
        return found

    @staticmethod
    def normalize_key(item: KitItem, typed: str) -> str:
        """'07' → '7' for a draw number; 'a407' → 'A407' for a code."""
        text = "".join(str(typed).split())
        if not item.blind:
            whole = text[:-2] if text.endswith(".0") else text  # 7.0 from a spreadsheet cell
            if whole.isascii() and whole.isdigit():
                return str(int(whole))
        return text.upper()

    def slot(self, item_id: int, key: str, criterion_id: int | None = None) -> tuple[Slot, str]:
        """The slot for a typed draw number (or code) and the key as stored; EntryRefused if not on the sheet."""
        item = self.item(item_id)
        norm = self.normalize_key(item, key)
        if not norm:
            raise EntryRefused(f"请输入{item.key_label}", DRAW)
        cid = self._ids.get((item.id, norm))
        if cid is None:
            raise EntryRefused(f"{item.key_label}{norm}不在评委{self.kit.judge_code}“{item.name}”的评分表上"
                               "（不在本项目，或须回避）", DRAW)
        slot = Slot(item.id, cid, _JUDGE_ID, criterion_id)
        problem = self.context.slot_problem(slot)
        if problem is not None:
            raise EntryRefused(problem[1], problem[0] if problem[0] in (ITEM, CRITERION) else DRAW)
        return slot, norm

    def check(self, item_id: int, key: str, raw: object, criterion_id: int | None = None) -> tuple[str, int]:
        """(key as stored, value in thousandths) for a typed value, else EntryRefused with the reason."""
        slot, norm = self.slot(item_id, key, criterion_id)
        try:
            return norm, to_milli(self.context.parse_value(slot, raw))
        except (ValueProblem, ScoreError) as exc:
            raise EntryRefused(str(exc), SCORE) from None

    def slots(self) -> Iterator[tuple[KitItem, str, KitCriterion | None]]:
        """Every slot of the sheet in order: item, competitor, criterion."""
        for item in self.kit.items:
            for key in item.keys:
                if item.method == contest.RUBRIC:
                    for crit in item.criteria:
                        yield item, key, crit
                else:
                    yield item, key, None


# ---- the local store ------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS scores (
    item_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    criterion_id INTEGER NOT NULL DEFAULT 0,
    value_x1000 INTEGER NOT NULL CHECK (value_x1000 >= 0),
    entered_at TEXT NOT NULL,
    PRIMARY KEY (item_id, key, criterion_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    item_id INTEGER,
    key TEXT NOT NULL DEFAULT '',
    criterion_id INTEGER,
    old_value TEXT NOT NULL DEFAULT '',
    new_value TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS submissions (
    revision INTEGER PRIMARY KEY,
    submitted_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    path TEXT NOT NULL,
    value_count INTEGER NOT NULL,
    unscored INTEGER NOT NULL
);
"""


def connect_store(path: Path) -> sqlite3.Connection:
    """A connection with the pragmas that make every commit durable."""
    conn = sqlite3.connect(str(path), timeout=10)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    except BaseException:
        conn.close()
        raise
    return conn


@dataclass
class JudgeSession:
    conn: sqlite3.Connection
    kit: Kit
    path: Path
    rules: KitRules = field(init=False)

    def __post_init__(self) -> None:
        self.rules = KitRules(self.kit)

    # -- opening

    @classmethod
    def open(cls, kit_path: Path | str, store_dir: Path | None = None) -> JudgeSession:
        try:
            kit = read_kit_file(kit_path)
        except KitError as exc:
            raise JudgeSessionError(str(exc)) from None
        return cls.open_kit(kit, store_dir)

    @classmethod
    def open_kit(cls, kit: Kit, store_dir: Path | None = None) -> JudgeSession:
        """The kit's store (created on first opening; found again by the kit's uid afterwards)."""
        folder = store_dir if store_dir is not None else default_store_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise JudgeSessionError(f"无法创建评分记录文件夹 {folder}：{describe(exc)}") from None
        path = folder / f"{kit.uid}{STORE_SUFFIX}"
        try:
            conn = connect_store(path)
        except sqlite3.Error as exc:
            raise JudgeSessionError(f"无法打开本机评分记录 {path}：{describe(exc)}") from None
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise JudgeSessionError(f"本机评分记录 {path} 已损坏：{check}")
            with conn:
                conn.executescript(_SCHEMA)
                stored = dict(conn.execute("SELECT key, value FROM meta").fetchall())
                if not stored:
                    conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                                     [("kit", _kit_text(kit)), ("kit_uid", kit.uid), ("kit_sha256", kit.sha256),
                                      ("state", OPEN), ("revision", "0"), ("created_at", _now())])
                    conn.execute("INSERT INTO history (at, action, note) VALUES (?, '打开评分包', ?)",
                                 [_now(), kit.sha256])
                elif stored.get("kit_sha256") != kit.sha256:
                    raise JudgeSessionError("本机已有这个评分包的评分记录，但评分包的内容与之不同（评分包被改动过）")
        except sqlite3.Error as exc:
            conn.close()
            raise JudgeSessionError(f"无法打开本机评分记录 {path}：{describe(exc)}") from None
        except BaseException:
            conn.close()
            raise
        return cls(conn, kit, path)

    @classmethod
    def resume(cls, store_path: Path) -> JudgeSession:
        """Open a store by itself (the kit copy inside it), e.g. when the stick with the kit is gone."""
        if not store_path.exists():
            raise JudgeSessionError(f"本机评分记录不存在：{store_path}")
        conn = connect_store(store_path)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'kit'").fetchone()
        except sqlite3.Error as exc:
            conn.close()
            raise JudgeSessionError(f"无法打开本机评分记录 {store_path}：{describe(exc)}") from None
        conn.close()
        if row is None:
            raise JudgeSessionError(f"{store_path} 不是评委评分记录")
        try:
            kit = parse_kit(str(row[0]).encode("utf-8"))
        except KitError as exc:
            raise JudgeSessionError(f"本机评分记录中的评分包已损坏：{exc}") from None
        return cls.open_kit(kit, store_path.parent)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> JudgeSession:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    # -- state

    def _meta(self, key: str, default: str = "") -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return str(row[0]) if row else default

    def _put_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)"
                          " ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])

    @property
    def state(self) -> str:
        return self._meta("state", OPEN)

    @property
    def read_only(self) -> bool:
        return self.state == SUBMITTED

    @property
    def revision(self) -> int:
        """How many times this sheet has been submitted."""
        return int(self._meta("revision", "0"))

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise JudgeSessionError("评分表已提交，现为只读；如需修改，"
                                    f"请裁判长输入{self.kit.reopen_secret_name}重新打开")
        with self.conn:  # one transaction, committed (and synced: synchronous=FULL) on leaving
            yield self.conn

    # -- entry

    def check(self, item_id: int, key: str, raw: object, criterion_id: int | None = None) -> Decimal:
        """What `enter` would store, without storing it (for refusing a value as it is typed)."""
        return Decimal(show_plain(self.rules.check(item_id, key, raw, criterion_id)[1]))

    def enter(self, item_id: int, key: str, raw: object, criterion_id: int | None = None) -> Decimal:
        """Store a value for a competitor (draw number or code as typed); committed before returning."""
        norm, milli = self.rules.check(item_id, key, raw, criterion_id)
        crit = criterion_id or 0
        with self._write() as conn:
            old = conn.execute("SELECT value_x1000 FROM scores WHERE item_id = ? AND key = ? AND criterion_id = ?",
                               [item_id, norm, crit]).fetchone()
            if old is not None and old[0] == milli:
                return Decimal(show_plain(milli))
            conn.execute("INSERT INTO scores (item_id, key, criterion_id, value_x1000, entered_at)"
                         " VALUES (?, ?, ?, ?, ?) ON CONFLICT (item_id, key, criterion_id)"
                         " DO UPDATE SET value_x1000 = excluded.value_x1000, entered_at = excluded.entered_at",
                         [item_id, norm, crit, milli, _now()])
            conn.execute("INSERT INTO history (at, action, item_id, key, criterion_id, old_value, new_value)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [_now(), "修改" if old else "评分", item_id, norm, crit,
                          show_plain(old[0]) if old else "", show_plain(milli)])
        return Decimal(show_plain(milli))

    def clear(self, item_id: int, key: str, criterion_id: int | None = None) -> bool:
        """Back to "not scored"; False when there was no value."""
        _slot, norm = self.rules.slot(item_id, key, criterion_id)
        crit = criterion_id or 0
        with self._write() as conn:
            old = conn.execute("SELECT value_x1000 FROM scores WHERE item_id = ? AND key = ? AND criterion_id = ?",
                               [item_id, norm, crit]).fetchone()
            if old is None:
                return False
            conn.execute("DELETE FROM scores WHERE item_id = ? AND key = ? AND criterion_id = ?",
                         [item_id, norm, crit])
            conn.execute("INSERT INTO history (at, action, item_id, key, criterion_id, old_value)"
                         " VALUES (?, '清除', ?, ?, ?, ?)", [_now(), item_id, norm, crit, show_plain(old[0])])
        return True

    def value(self, item_id: int, key: str, criterion_id: int | None = None) -> Decimal | None:
        item = self.rules.item(item_id)
        row = self.conn.execute("SELECT value_x1000 FROM scores WHERE item_id = ? AND key = ? AND criterion_id = ?",
                                [item_id, KitRules.normalize_key(item, key), criterion_id or 0]).fetchone()
        return Decimal(show_plain(row[0])) if row else None

    def values(self) -> dict[tuple[int, str, int], Decimal]:
        """(item id, key, criterion id or 0) → value, for every scored slot."""
        return {(r[0], r[1], r[2]): Decimal(show_plain(r[3])) for r in self.conn.execute(
            "SELECT item_id, key, criterion_id, value_x1000 FROM scores")}

    def sheet(self, item_id: int | None = None) -> list[SheetEntry]:
        have = self.values()
        return [SheetEntry(item, key, crit, have.get((item.id, key, crit.id if crit else 0)))
                for item, key, crit in self.rules.slots() if item_id is None or item.id == item_id]

    def unscored(self) -> list[Unscored]:
        """Who is still to be scored, in sheet order; a competitor missing some criteria names them."""
        have = self.values()
        out = []
        for item in self.kit.items:
            for key in item.keys:
                if item.method == contest.RUBRIC:
                    gone = tuple(c.name for c in item.criteria if (item.id, key, c.id) not in have)
                    if gone:
                        out.append(Unscored(item, key, gone if len(gone) < len(item.criteria) else ()))
                elif (item.id, key, 0) not in have:
                    out.append(Unscored(item, key))
        return out

    def unscored_slots(self) -> int:
        have = self.values()
        return sum(1 for item, key, crit in self.rules.slots() if (item.id, key, crit.id if crit else 0) not in have)

    def history(self) -> list[tuple[str, str, str, str, str]]:
        """(at, action, key, old, new) of every change on this laptop, oldest first."""
        return [(r[0], r[1], r[2], r[3], r[4]) for r in self.conn.execute(
            "SELECT at, action, key, old_value, new_value FROM history ORDER BY id")]

    # -- submit and reopen

    def score_values(self) -> list[ScoreValue]:
        out = []
        for (item_id, key, crit), value in self.values().items():
            item = self.rules.item(item_id)
            criterion = item.criterion(crit) if crit else None
            out.append(ScoreValue(item_id, key, crit or None, value, item.name, criterion.name if criterion else ""))
        return out

    def submit(self, folder: Path, *, now: dt.datetime | None = None) -> Submission:
        """Write the signed score file into `folder` and make the sheet read-only. Unscored slots are allowed
        (the window shows them first); the file says how many there are."""
        if self.read_only:
            raise JudgeSessionError("评分表已提交；如需修改后再次提交，"
                                    f"请裁判长输入{self.kit.reopen_secret_name}重新打开")
        revision = self.revision + 1
        values = self.score_values()
        unscored = self.unscored_slots()
        data = score_file.build(self.kit, values, revision=revision, via=score_file.VIA_JUDGE, unscored=unscored,
                                now=now)
        made = score_file.parse(data)
        target = folder / score_file.default_name(self.kit, revision, made.content_hash)
        written = score_file.write_bytes(target, data)
        with self.conn:
            self._put_meta("state", SUBMITTED)
            self._put_meta("revision", str(revision))
            self.conn.execute("INSERT INTO submissions (revision, submitted_at, content_hash, path, value_count,"
                              " unscored) VALUES (?, ?, ?, ?, ?, ?)",
                              [revision, written.submitted_at, written.content_hash, str(target), len(values),
                               unscored])
            self.conn.execute("INSERT INTO history (at, action, new_value, note) VALUES (?, '提交', ?, ?)",
                              [_now(), str(revision), written.content_hash])
        return Submission(revision, target, written.content_hash, written.submitted_at, len(values), unscored)

    def submissions(self) -> list[Submission]:
        return [Submission(r[0], Path(r[3]), r[2], r[1], r[4], r[5]) for r in self.conn.execute(
            "SELECT revision, submitted_at, content_hash, path, value_count, unscored FROM submissions"
            " ORDER BY revision")]

    def reopen(self, typed: str, *, now: dt.datetime | None = None) -> None:
        """The chief judge reopens a submitted sheet with the kit's reopen code (or, for a kit of the previous
        version, their PIN); the next submission is a new revision. A wrong one counts toward the lock-out;
        something that cannot be a code at all (not 8 digits) is refused without counting."""
        if not self.read_only:
            raise JudgeSessionError("评分表尚未提交，无需重新打开")
        shape = code_shape_problem(self.kit, typed)
        if shape is not None:
            raise JudgeSessionError(shape)
        what = self.kit.reopen_secret_name

        def record_failure(after: PinAttempts) -> None:
            with self.conn:
                self._put_meta("pin_attempts", after.text())
                self.conn.execute("INSERT INTO history (at, action, note) VALUES (?, ?, '')", [_now(), f"{what}错误"])

        guard(PinAttempts.parse(self._meta("pin_attempts")), lambda: reopen_accepts(self.kit, typed), record_failure,
              now=now or dt.datetime.now(), what=what, wrong=JudgeSessionError, locked_out=JudgeSessionError)
        with self.conn:
            self._put_meta("pin_attempts", PinAttempts().text())
            self._put_meta("state", OPEN)
            self.conn.execute("INSERT INTO history (at, action, note) VALUES (?, '裁判长重新打开', ?)",
                              [_now(), f"第{self.revision}次提交之后"])


def _kit_text(kit: Kit) -> str:
    return render_kit(kit).decode("utf-8")


# ---- a paper sheet typed into a CSV (trainer judge export) ---------------------------------------------

PAPER_REQUIRED = (ITEM, DRAW, SCORE)


@dataclass
class PaperPlan(CheckedFile):
    values: list[ScoreValue] = field(default_factory=list)
    not_scored: int = 0


def plan_paper_sheet(kit: Kit, table: RawTable) -> PaperPlan:
    """Check rows of 项目名称, 抽签号 (a blind item's code goes in this column too), 分数 and, for 评分细则
    items, 评分细则, by the same rules as judge mode. An empty 分数 is "not scored"."""
    plan = PaperPlan()
    missing = [c for c in PAPER_REQUIRED if c not in table.headers]
    for column in missing:
        plan.problems.append(RowProblem(table.header_row, column, "缺少必填列"))
    if missing:
        return plan
    rules = KitRules(kit)
    seen: dict[tuple[int, str, int], int] = {}
    for row, cells in table.records():
        def problem(column: str, message: str, row: int = row) -> None:
            plan.problems.append(RowProblem(row, column, message))

        name = _text(cells.get(ITEM))
        item = kit.item_named(name) if name else None
        if not name:
            problem(ITEM, "必填项为空")
        elif item is None:
            problem(ITEM, f"未知项目“{name}”（评委{kit.judge_code}的评分包中没有此项目）")
        key = _text(cells.get(DRAW))
        if not key:
            problem(DRAW, "必填项为空")
        if item is None or not key:
            continue
        crit_name = _text(cells.get(CRITERION))
        criterion = None
        if item.method == contest.RUBRIC:
            if not crit_name:
                problem(CRITERION, f"“{item.name}”按评分细则计分，须填写评分细则")
                continue
            criterion = item.criterion_named(crit_name)
            if criterion is None:
                problem(CRITERION, f"“{item.name}”没有细则“{crit_name}”")
                continue
        elif crit_name:
            problem(CRITERION, f"“{item.name}”不按评分细则计分，不填细则")
            continue
        crit_id = criterion.id if criterion else None
        try:
            _slot, norm = rules.slot(item.id, key, crit_id)
            if _text(cells.get(SCORE)) == "":
                plan.not_scored += 1
                continue
            norm, milli = rules.check(item.id, key, cells.get(SCORE), crit_id)
        except EntryRefused as exc:
            problem(exc.column, str(exc))
            continue
        slot_key = (item.id, norm, crit_id or 0)
        if slot_key in seen:
            problem(DRAW, f"与第{seen[slot_key]}行重复（同一项目、选手{'和细则' if criterion else ''}）")
            continue
        seen[slot_key] = row
        plan.values.append(ScoreValue(item.id, norm, crit_id, Decimal(show_plain(milli)), item.name,
                                      criterion.name if criterion else ""))
    return plan


def _text(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def export_paper_sheet(kit: Kit, plan: PaperPlan, out: Path, *, now: dt.datetime | None = None) -> Submission:
    """A clean plan as a signed score file (revision 0: typed from paper, not a judge-mode submission)."""
    if not plan.ok:
        raise ValueError("plan has problems; nothing written")
    unscored = KitRules(kit)
    have = {v.slot_key for v in plan.values}
    missing = sum(1 for item, key, crit in unscored.slots() if (item.id, key, crit.id if crit else 0) not in have)
    data = score_file.build(kit, plan.values, revision=0, via=score_file.VIA_PAPER, unscored=missing, now=now)
    sf = score_file.write_bytes(out, data)
    return Submission(0, out, sf.content_hash, sf.submitted_at, len(plan.values), missing)
