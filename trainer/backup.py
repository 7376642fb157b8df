"""Copies of the database file made with SQLite's online backup API (safe while open, WAL included)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backup_to(conn: sqlite3.Connection, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    dest = sqlite3.connect(str(target))
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def backup_now(conn: sqlite3.Connection, db_path: Path, reason: str) -> Path:
    """A timestamped copy in the `backups` folder beside the database."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return backup_to(conn, backup_dir(db_path) / f"{db_path.stem}-{reason}-{stamp}.db")
