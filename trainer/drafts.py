"""Form drafts: what a user typed into a form and has not saved yet, kept in the database.

    drafts.keep(db, "person:new", "添加人员", {"姓名": "张三", ...})   # on every change (upsert)
    drafts.find(db, "person:new")       # Draft(title, fields, saved_at) or None
    drafts.drop(db, "person:new")       # saved for real, or thrown away on purpose

A form is keyed by what it edits (`person:123`, `class:new` …), so opening the same form again offers the
draft back: after a crash, a power cut, or 取消. Field names are the form's own; values are text. Keeping a
draft is best effort: when the database is busy (an import holds the write lock) the draft waits for the next
change rather than stopping the user's typing.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class Draft:
    key: str
    title: str
    fields: dict[str, str]
    saved_at: dt.datetime

    def when(self) -> str:
        """When it was kept, as the banner says it: 11月25日 18:20."""
        return f"{self.saved_at.month}月{self.saved_at.day}日 {self.saved_at:%H:%M}"


def keep(db: Database, key: str, title: str, fields: Mapping[str, str], *, now: dt.datetime | None = None) -> bool:
    """Store the draft (replacing the form's earlier one); False when the database could not take it now."""
    at = (now or dt.datetime.now()).isoformat(timespec="seconds")
    try:
        with db.atomic():
            db.execute("INSERT INTO form_drafts (key, title, fields, saved_at) VALUES (?, ?, ?, ?)"
                       " ON CONFLICT(key) DO UPDATE SET title = excluded.title, fields = excluded.fields,"
                       " saved_at = excluded.saved_at",
                       [key, title, json.dumps(dict(fields), ensure_ascii=False), at])
    except sqlite3.OperationalError:  # locked or busy: the next change tries again
        return False
    except sqlite3.ProgrammingError:  # the database was closed under an open form (quitting): nothing to keep in
        return False
    return True


def find(db: Database, key: str) -> Draft | None:
    row = db.execute("SELECT title, fields, saved_at FROM form_drafts WHERE key = ?", [key]).fetchone()
    if row is None:
        return None
    try:
        fields = json.loads(row[1])
        saved_at = dt.datetime.fromisoformat(row[2])
    except ValueError:  # written by hand or damaged: not worth stopping the form for
        return None
    if not isinstance(fields, dict):
        return None
    return Draft(key, str(row[0]), {str(k): str(v) for k, v in fields.items()}, saved_at)


def drop(db: Database, key: str) -> None:
    try:
        with db.atomic():
            db.execute("DELETE FROM form_drafts WHERE key = ?", [key])
    except (sqlite3.OperationalError, sqlite3.ProgrammingError):
        pass  # busy or closed: the stale draft is dropped when the form is next saved or thrown away


def all_drafts(db: Database) -> list[Draft]:
    """Every kept draft, newest first (for the list of unsaved forms)."""
    keys = [str(r[0]) for r in db.execute("SELECT key FROM form_drafts ORDER BY saved_at DESC, key")]
    return [d for d in (find(db, k) for k in keys) if d is not None]
