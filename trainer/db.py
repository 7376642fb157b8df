"""Opening a Trainer database: WAL, foreign keys, migrations (with a backup first) and shipped units.

A file that is not a database or fails `PRAGMA quick_check` raises DamagedDatabase, which carries the newest
backup that passes the checks (trainer.backup.latest_good), for the window to offer and the CLI to print.

`quick_check` reads the whole file (1.2 s at 50,000 people and a million attendance marks), so it is skipped
when the file is exactly as Trainer left it at a clean close: `close_db` records the file's size and
modification time beside the backups, and any other state — a crash, a power cut, another program, a copy —
means the full check runs. The record is removed as soon as the file is opened again.
"""

from __future__ import annotations

import contextlib
import sqlite3
import weakref
from pathlib import Path

from sqlite_utils import Database

from trainer import backup, schema, units
from trainer.oserrors import describe


class DatabaseError(Exception):
    """A database that cannot be opened; the message is for the user."""


class DamagedDatabase(DatabaseError):
    """The file is damaged (or not a database at all); `latest_backup` is the newest good backup, if any."""

    def __init__(self, message: str, path: Path, latest_backup: Path | None):
        super().__init__(message)
        self.path = path
        self.latest_backup = latest_backup


_DAMAGE_WORDS = ("not a database", "malformed", "corrupt")
# Every connection this process opened, so a restore can close them all before it replaces the file: the
# window's pages keep readers of their own (the dashboard's figures, the ranking) besides the main one.
_OPEN: weakref.WeakSet[Database] = weakref.WeakSet()


def _damaged(path: Path | str, message: str) -> DamagedDatabase:
    found = None if str(path) == ":memory:" else backup.latest_good(Path(path))
    return DamagedDatabase(message, Path(path), found)


def connect(path: Path | str) -> Database:
    """A bare connection with the pragmas every Trainer connection needs (no migrations)."""
    # check_same_thread=False: background imports use this one connection while the window waits.
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10)
    try:
        db = Database(conn, execute_plugins=False)  # no third-party hooks on our data, no entry-point scan
        db.execute("PRAGMA foreign_keys = ON")
        if str(path) != ":memory:":
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        conn.close()  # a damaged file must not stay open (and locked, on Windows)
        raise
    _OPEN.add(db)
    return db


def close_all(path: Path | str) -> int:
    """Close every connection this process has open on the file at `path`; how many were closed."""
    target = Path(path).resolve()
    closed = 0
    for db in list(_OPEN):
        try:
            row = db.conn.execute("PRAGMA database_list").fetchone()
        except sqlite3.ProgrammingError:  # closed already
            continue
        if row and row[2] and Path(row[2]).resolve() == target:
            db.close()
            closed += 1
    return closed


def _close_record(path: Path) -> Path:
    return backup.backup_dir(path) / f"{path.name}.closed-cleanly"


def _file_state(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size} {st.st_mtime_ns}"


def closed_cleanly(path: Path | str) -> bool:
    """Whether the file is as a clean close left it (nothing written, no WAL left over since)."""
    p = Path(path)
    try:
        return (not p.with_name(p.name + "-wal").exists()
                and _close_record(p).read_text(encoding="ascii") == _file_state(p))
    except (OSError, UnicodeDecodeError):
        return False


def close_db(db: Database, path: Path | str | None) -> None:
    """Close `db`, then record the clean close (see the module doc) when no connection is left on the file —
    SQLite removes the WAL with the last one; while another is open (this process's or another's), nothing is
    recorded and the next open checks the whole file."""
    db.close()
    if path is None or str(path) == ":memory:":
        return
    p = Path(path)
    try:
        if p.exists() and not p.with_name(p.name + "-wal").exists():  # another process still has it open
            record = _close_record(p)
            record.parent.mkdir(parents=True, exist_ok=True)
            record.write_text(_file_state(p), encoding="ascii")
    except OSError:
        pass  # no record: the next open simply checks the whole file


def open_db(path: Path | str, *, create: bool = True) -> Database:
    """Open (or create) a database at `path` and bring its schema up to date."""
    memory = str(path) == ":memory:"
    if not memory:
        p = Path(path)
        if not p.exists() and not create:
            raise DatabaseError(f"数据库文件不存在：{p}")
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"无法创建数据库所在的文件夹 {p.parent}：{describe(exc)}") from exc
    skip_check = not memory and closed_cleanly(path)
    if not memory:
        with contextlib.suppress(OSError):  # from now on the file may change: the record no longer describes it
            _close_record(Path(path)).unlink(missing_ok=True)
    try:
        db = connect(path)
    except sqlite3.DatabaseError as exc:
        message = f"无法打开数据库 {path}：文件已损坏或不是 Trainer 数据库（{describe(exc)}）"
        if any(w in str(exc).lower() for w in _DAMAGE_WORDS):
            raise _damaged(path, message) from exc
        raise DatabaseError(message) from exc
    try:
        try:
            check = "ok" if skip_check else db.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            check = str(exc)
        if check != "ok":
            raise _damaged(path, f"数据库 {path} 已损坏（完整性检查未通过：{describe(sqlite3.DatabaseError(check))}）")
        migrate(db, None if memory else Path(path))
    except sqlite3.DatabaseError as exc:  # e.g. another program's SQLite file, or a read-only one
        db.close()
        raise DatabaseError(
            f"无法打开或升级数据库 {path}：文件已损坏、不是 Trainer 数据库或没有写入权限（{describe(exc)}）"
        ) from exc
    except OSError as exc:  # the backup before migrating could not be written
        db.close()
        raise DatabaseError(f"无法升级数据库 {path}：{describe(exc)}") from exc
    except BaseException:
        db.close()
        raise
    return db


def migrate(db: Database, path: Path | None) -> list[str]:
    """Apply pending migrations; an existing database is backed up before it is changed."""
    pending = [m.name for m in schema.migrations.pending(db)]
    if pending and path is not None and schema.migrations.applied(db):
        backup.backup_now(db.conn, path, "pre-migrate")
    schema.migrations.apply(db)
    if pending:
        units.seed_builtin(db)
    return pending
