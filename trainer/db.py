"""Opening a Trainer database: WAL, foreign keys, migrations (with a backup first) and shipped units."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from trainer import backup, schema, units


class DatabaseError(Exception):
    """A database that cannot be opened; the message is for the user."""


def connect(path: Path | str) -> Database:
    """A bare connection with the pragmas every Trainer connection needs (no migrations)."""
    # check_same_thread=False: background imports use this one connection while the window waits.
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10)
    db = Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
    return db


def open_db(path: Path | str, *, create: bool = True) -> Database:
    """Open (or create) a database at `path` and bring its schema up to date."""
    memory = str(path) == ":memory:"
    if not memory:
        p = Path(path)
        if not p.exists() and not create:
            raise DatabaseError(f"数据库文件不存在：{p}")
        p.parent.mkdir(parents=True, exist_ok=True)
    try:
        db = connect(path)
        check = db.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"无法打开数据库 {path}：文件已损坏或不是 Trainer 数据库（{exc}）") from exc
    if check != "ok":
        raise DatabaseError(f"数据库 {path} 已损坏：{check}")
    migrate(db, None if memory else Path(path))
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
