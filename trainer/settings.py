"""Key/value settings kept in the database (the `settings` table), so they travel with the bureau's file.

Keys are dotted by feature, e.g. `cert.prefix`; values are text. Each feature reads its own keys into a
dataclass (see trainer.cert_settings) rather than scattering lookups.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlite_utils import Database


def get(db: Database, key: str, default: str = "") -> str:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return str(row[0]) if row else default


def get_many(db: Database, prefix: str) -> dict[str, str]:
    """Every setting whose key starts with `prefix` (e.g. "cert.")."""
    rows = db.execute("SELECT key, value FROM settings WHERE key LIKE ? ESCAPE '\\'",
                      [prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"])
    return {str(k): str(v) for k, v in rows}


def put(db: Database, key: str, value: str) -> None:
    with db.atomic():
        db.execute("INSERT INTO settings (key, value) VALUES (?, ?)"
                   " ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])


def put_many(db: Database, values: Mapping[str, str]) -> None:
    with db.atomic():
        for key, value in values.items():
            put(db, key, value)


def put_once(db: Database, key: str, value: str) -> str:
    """Store `value` unless the key already has one; returns the stored value (first writer wins)."""
    with db.atomic():
        db.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", [key, value])
        return get(db, key)
