"""Backups of the database file, made with SQLite's online backup API (safe while open, WAL included).

    backup.on_start(db_path)                       # at program start: at most one `start` backup a day
    backup.before_change(db.conn, "pre-import")    # before every import, merge (and migration, in trainer.db)
    backup.manual_backup(db.conn, db_path, out)    # the user's own copy (to a chosen file, or the folder)
    backup.restore(db_path, Path("copy.db"))       # validates, backs up the current file, then replaces it
    backup.latest_good(db_path)                    # the newest backup that passes the checks (damaged database)
    backup.prune(db_path)                          # rotation of automatic backups

Backups live in the `backups` folder beside the database, named `<stem>-<reason>-<YYYYmmdd-HHMMSS-ffffff>.db`.
Automatic reasons (start, pre-migrate, pre-import, pre-merge, pre-restore) are rotated: the newest
`keep_last` (default 10) are kept, and for each of the last `keep_days` days (default 30) the newest of that
day; settings `backup.keep_last` and `backup.keep_days` change the numbers. Manual backups and copies of a
damaged file (`damaged`) are never deleted. Every copy is written to a temporary name and renamed when
complete, so a backup file with a proper name is always whole.

A file is a Trainer database (`validate`) when it is SQLite, passes `PRAGMA quick_check`, carries Trainer's
migrations table and no migration this program does not know (a newer version's file). `restore` refuses
anything else, first backs up the current file (or copies it byte for byte when it is damaged), and refuses
while any connection has the database open (the window closes its own first).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from trainer.oserrors import describe

START, PRE_MIGRATE, PRE_IMPORT = "start", "pre-migrate", "pre-import"
PRE_MERGE, PRE_RESTORE, MANUAL, DAMAGED = "pre-merge", "pre-restore", "manual", "damaged"
AUTOMATIC = (START, PRE_MIGRATE, PRE_IMPORT, PRE_MERGE, PRE_RESTORE)
REASONS = (*AUTOMATIC, MANUAL, DAMAGED)
SQLITE_HEADER = b"SQLite format 3\x00"
_STAMP = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"-(?P<reason>" + "|".join(map(re.escape, REASONS)) + r")-(?P<stamp>\d{8}-\d{6}-\d{6})\.db$")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for the user."""


@dataclass(frozen=True)
class Policy:
    keep_last: int = 10
    keep_days: int = 30

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> Policy:
        """The numbers from the settings table, where set (defaults for a file without one)."""
        try:
            found = dict(conn.execute("SELECT key, value FROM settings WHERE key IN"
                                      " ('backup.keep_last', 'backup.keep_days')").fetchall())
        except sqlite3.Error:
            return cls()
        try:
            return cls(max(1, int(found.get("backup.keep_last", cls.keep_last))),
                       max(0, int(found.get("backup.keep_days", cls.keep_days))))
        except ValueError:
            return cls()


@dataclass(frozen=True)
class BackupFile:
    path: Path
    reason: str
    taken_at: dt.datetime

    @property
    def automatic(self) -> bool:
        return self.reason in AUTOMATIC


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    previous: Path | None  # the copy of the file as it was before the restore


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def _publish(tmp: Path, target: Path) -> Path:
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target


def backup_to(conn: sqlite3.Connection, target: Path) -> Path:
    """A complete copy of the database behind `conn` at `target` (written aside, then renamed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    try:
        dest = sqlite3.connect(str(tmp))
        try:
            conn.backup(dest)
        finally:
            dest.close()
        return _publish(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def backup_now(conn: sqlite3.Connection, db_path: Path, reason: str, *, now: dt.datetime | None = None) -> Path:
    """A timestamped copy in the `backups` folder beside the database; automatic ones are then rotated."""
    stamp = (now or dt.datetime.now()).strftime(_STAMP)
    made = backup_to(conn, backup_dir(db_path) / f"{db_path.stem}-{reason}-{stamp}.db")
    if reason in AUTOMATIC:
        prune(db_path, Policy.load(conn), now=now)
    return made


def db_file(conn: sqlite3.Connection) -> Path | None:
    """The file behind a connection (None for an in-memory or temporary database)."""
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file) if file else None
    return None


def before_change(conn: sqlite3.Connection, reason: str) -> Path | None:
    """The automatic backup before an import or a merge. Skipped (None) for an in-memory database, and when a
    transaction is already open on `conn` (the copy would hold its uncommitted changes): call it first."""
    path = db_file(conn)
    if path is None or conn.in_transaction:
        return None
    return backup_now(conn, path, reason)


def backups(db_path: Path) -> list[BackupFile]:
    """This database's backups in the folder, newest first (other files there are ignored)."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for p in folder.iterdir():
        m = _NAME.search(p.name)
        if m is None or p.name[:m.start()] != db_path.stem or not p.is_file():
            continue
        found.append(BackupFile(p, m["reason"], dt.datetime.strptime(m["stamp"], _STAMP)))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def prune(db_path: Path, policy: Policy | None = None, *, now: dt.datetime | None = None) -> list[Path]:
    """Delete automatic backups beyond the policy; returns what was deleted."""
    policy = policy or Policy()
    today = (now or dt.datetime.now()).date()
    auto = [b for b in backups(db_path) if b.automatic]
    keep = {b.path for b in auto[:policy.keep_last]}
    seen_days: set[dt.date] = set()
    for b in auto:  # newest first: the first of each day is that day's newest
        day = b.taken_at.date()
        if (today - day).days < policy.keep_days and day not in seen_days:
            seen_days.add(day)
            keep.add(b.path)
    removed = []
    for b in auto:
        if b.path not in keep:
            try:
                b.path.unlink()
                removed.append(b.path)
            except OSError:
                pass  # in use or read-only: try again next time
    return removed


def on_start(db_path: Path, *, now: dt.datetime | None = None) -> Path | None:
    """The start-of-day backup: taken when no `start` backup exists for today and the file is sound.
    Returns the new backup, or None (already done today, no file yet, or a damaged file: opening it will
    say so and offer latest_good())."""
    now = now or dt.datetime.now()
    if not db_path.is_file():
        return None
    if any(b.reason == START and b.taken_at.date() == now.date() for b in backups(db_path)):
        return None
    try:
        conn = sqlite3.connect(str(db_path), timeout=10)
    except sqlite3.Error:
        return None
    try:
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            return None  # never rotate good backups away for a copy of a damaged file
        return backup_now(conn, db_path, START, now=now)
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()


def manual_backup(conn: sqlite3.Connection, db_path: Path, out: Path | None = None) -> Path:
    """The user's backup: to `out`, or into the backups folder. Checked after writing."""
    if out is None:
        made = backup_now(conn, db_path, MANUAL)
    else:
        if out.exists() and out.resolve() == db_path.resolve():
            raise BackupError("不能把数据库备份到它自己")
        if out.is_dir():
            raise BackupError(f"{out} 是文件夹，请给出备份文件名")
        try:
            made = backup_to(conn, out)
        except (OSError, sqlite3.Error) as exc:
            raise BackupError(f"无法写入备份 {out}：{describe(exc)}") from None
    validate(made)
    return made


def _known_migrations() -> set[str]:
    from trainer import schema  # schema imports sqlite-utils; keep this module light for trainer.db

    return {m.name for m in schema.migrations._migrations}


def validate(path: Path) -> None:
    """BackupError (Chinese) unless `path` is an intact Trainer database this program can open."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise BackupError(f"文件不存在：{path}") from None
    except OSError as exc:
        raise BackupError(f"无法读取 {path}：{describe(exc)}") from None
    if head != SQLITE_HEADER:
        raise BackupError(f"{path.name} 不是 Trainer 数据库（不是 SQLite 数据库文件）")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"无法打开 {path.name}：{describe(exc)}") from None
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"{path.name} 已损坏（{check}）")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"_sqlite_migrations", "people", "units"} <= tables:
            raise BackupError(f"{path.name} 不是 Trainer 数据库")
        names = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = 'trainer'")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path.name} 已损坏或不是 Trainer 数据库（{describe(exc)}）") from None
    finally:
        conn.close()
    if not names:
        raise BackupError(f"{path.name} 不是 Trainer 数据库")
    unknown = names - _known_migrations()
    if unknown:
        versions = "、".join(sorted(unknown))
        raise BackupError(f"{path.name} 来自更新版本的 Trainer（含本程序不认识的数据库版本 {versions}），请先升级程序")


def latest_good(db_path: Path) -> Path | None:
    """The newest backup of this database that passes validate(), for a damaged database."""
    for b in backups(db_path):
        try:
            validate(b.path)
        except BackupError:
            continue
        return b.path
    return None


def _safety_copy(db_path: Path) -> Path | None:
    """Keep the current file before it is replaced: a backup when sound, else a byte copy (with its WAL)."""
    if not db_path.exists():
        return None
    try:
        conn = sqlite3.connect(str(db_path), timeout=10)
        try:
            if conn.execute("PRAGMA quick_check").fetchone()[0] == "ok":
                made = backup_now(conn, db_path, PRE_RESTORE)
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                return made
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        pass
    stamp = dt.datetime.now().strftime(_STAMP)
    target = backup_dir(db_path) / f"{db_path.stem}-{DAMAGED}-{stamp}.db"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(db_path, target)
    wal = Path(str(db_path) + "-wal")
    if wal.exists():
        shutil.copy2(wal, Path(str(target) + "-wal"))
    return target


def _refuse_if_in_use(db_path: Path) -> None:
    """BackupError while another connection has the database open (the file must not change under it)."""
    if not db_path.exists():
        return
    conn = sqlite3.connect(str(db_path), timeout=0.5)
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")  # refused while anyone, even an idle reader in WAL mode, has it open
        conn.rollback()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise BackupError("数据库正被 Trainer 窗口或其他程序打开，请先关闭后再恢复（未做任何改动）") from None
    except sqlite3.DatabaseError:
        pass  # a damaged file: nobody can be using it, and it is kept byte for byte below
    finally:
        conn.close()


def restore(db_path: Path, source: Path) -> RestoreResult:
    """Replace the database with `source` after checking it and keeping a copy of the current file.
    Refused while any connection to `db_path` is open."""
    validate(source)
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise BackupError("要恢复的文件就是当前数据库本身")
    _refuse_if_in_use(db_path)
    try:
        previous = _safety_copy(db_path)
        db_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = db_path.with_name(db_path.name + ".restoring")
        src = sqlite3.connect(f"{source.resolve().as_uri()}?immutable=1", uri=True)
        try:
            dest = sqlite3.connect(str(tmp))
            try:
                src.backup(dest)
            finally:
                dest.close()
        finally:
            src.close()
        validate(tmp)
        # the old file's WAL and shared memory must not be replayed onto the restored file
        for suffix in ("-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        _publish(tmp, db_path)
    except (OSError, sqlite3.Error) as exc:
        Path(str(db_path) + ".restoring").unlink(missing_ok=True)
        raise BackupError(f"恢复失败：{describe(exc)}（当前数据库未被替换）") from None
    except BackupError:
        Path(str(db_path) + ".restoring").unlink(missing_ok=True)
        raise
    return RestoreResult(source, previous)
