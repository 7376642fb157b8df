"""Helpers for the audit-log tests: a small scored contest whose log has something in it, and someone with a
SQLite tool editing the file behind the program's back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from judge_support import CLERK, judged_contest
from sqlite_utils import Database

from trainer import scoring


def log_some_scores(db: Database) -> None:
    """The 文书 scores of J1 for draw numbers 1-3, then a correction of the second: four entries in the log."""
    b = judged_contest(db)
    for draw, value in ((1, "80"), (2, "85"), (3, "90")):
        scoring.enter_score(db, b.slot("文书", draw, "J1"), value, CLERK)
    scoring.enter_score(db, b.slot("文书", 2, "J1"), "86", CLERK, reason="评委更正笔误")


def raw(db_path: Path, *statements: str) -> None:
    """Someone with a SQLite tool drops the append-only triggers and edits the file."""
    conn = sqlite3.connect(db_path)
    try:
        conn.executescript("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
                           + ";".join(statements))
        conn.commit()
    finally:
        conn.close()
