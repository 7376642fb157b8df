"""Attendance summed per enrolment: hours recorded, hours credited and hours missed, in one ordered pass.

Grouping a million attendance rows by (class, person) in SQL costs a sort that takes most of a second.
Read in primary-key order instead — one row per session, its marks concatenated — the rows cost a quarter
of that, and numpy sums them per enrolment. All sums are exact integers (hours ×100, credit shares ×100).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlite_utils import Database

from trainer.rules import ATTENDANCE_STATUSES

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Scope:
    """Which enrolments: one class, only finished classes, only some people (None: no restriction)."""

    class_id: int | None = None
    finished_only: bool = False
    person_ids: Sequence[int] | None = None

    def where(self, class_col: str, person_col: str) -> tuple[str, list[object]]:
        clauses: list[str] = []
        args: list[object] = []
        if self.class_id is not None:
            clauses.append(f"{class_col} = ?")
            args.append(self.class_id)
        if self.finished_only:
            clauses.append(f"{class_col} IN (SELECT id FROM classes WHERE status = '已结束')")
        if self.person_ids is not None:
            clauses.append(f"{person_col} IN ({', '.join('?' * len(self.person_ids))})")
            args.extend(self.person_ids)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


def class_hours(db: Database, scope: Scope) -> dict[int, int]:
    """Class id → the sum of its sessions' hours ×100 (every session, held or not)."""
    where, args = Scope(scope.class_id, scope.finished_only).where("class_id", "")
    sql = f"SELECT class_id, SUM(hours_x100) FROM class_sessions{where} GROUP BY class_id"
    return {int(r[0]): int(r[1]) for r in db.execute(sql, args)}


def recorded_sums(db: Database, pairs: Sequence[tuple[int, int]], scope: Scope, credit_pct: Mapping[str, int],
                  leave: Collection[str]) -> tuple[list[int], list[int], list[int]]:
    """For each (class id, person id) in `pairs`: hours ×100 with a mark, Σ hours ×100 × credit % of the mark,
    and hours ×100 whose mark is a leave status. Marks of people not in `pairs` are ignored."""
    import numpy as np  # here, not at the top: the command line and a cold start need not load it

    n = len(pairs)
    keys = np.array([(c << 32) | p for c, p in pairs], dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
    return tuple([int(v) for v in a.tolist()]  # type: ignore[return-value]
                 for a in recorded_arrays(db, keys, scope, credit_pct, leave))


# Every attendance status has the same length and its own first character (the schema's CHECK lists them):
# a run of concatenated statuses is decoded by looking at every STATUS_LEN-th character.
STATUS_LEN = len(ATTENDANCE_STATUSES[0])
_FIRST = {ord(s[0]): i for i, s in enumerate(ATTENDANCE_STATUSES)}
Marks = tuple["Ints", "Ints", "Ints", "Ints"]  # class id, session hours ×100, person id, status code per mark
_DECODABLE = all(len(s) == STATUS_LEN for s in ATTENDANCE_STATUSES) and len(_FIRST) == len(ATTENDANCE_STATUSES)


def _no_marks() -> Marks:
    import numpy as np

    empty = np.zeros(0, dtype=np.int64)
    return empty, empty, empty, empty


def _marks(db: Database, scope: Scope) -> Marks:
    """Every mark in scope as (class id, session hours ×100, person id, status code), status codes indexing
    ATTENDANCE_STATUSES (len(ATTENDANCE_STATUSES) for anything else)."""
    where, args = Scope(scope.class_id, scope.finished_only).where("class_id", "")
    session_rows = db.execute(f"SELECT id, class_id, hours_x100 FROM class_sessions{where}", args).fetchall()
    # numpy is imported after the queries below: on a first use (the dashboard's first load, on a thread of
    # its own) the import runs while another thread's query is in SQLite, not before it.
    if not session_rows:
        return _no_marks()
    if scope.person_ids is None and _DECODABLE:
        # The attendance table alone, in primary-key order (no join, no sort), one row per session: the marks'
        # person ids and their statuses concatenated. Sessions out of scope are dropped below.
        if scope.class_id is not None:
            sql_where, sql_args = " WHERE session_id IN (SELECT id FROM class_sessions WHERE class_id = ?)", \
                [scope.class_id]
        else:
            sql_where, sql_args = "", []
        # One row for everything: SQLite scans without handing the interpreter back and forth per session
        # (which a busy thread next to this one would make slow).
        sessions_text, counts_text, persons_text, text = db.execute(
            "SELECT group_concat(session_id), group_concat(n), group_concat(persons), group_concat(statuses, '')"
            " FROM (SELECT session_id, count(*) AS n, group_concat(person_id) AS persons,"
            f" group_concat(status, '') AS statuses FROM attendance{sql_where} GROUP BY session_id)",
            sql_args).fetchone()
        if not sessions_text:
            return _no_marks()
        import numpy as np

        codes = np.frombuffer(text.encode("utf-16-le"), dtype=np.uint16)  # the statuses are all in the BMP
        counts = np.fromstring(counts_text, dtype=np.int64, sep=",")
        if len(codes) == STATUS_LEN * int(counts.sum()):
            lookup = np.full(1 << 16, len(ATTENDANCE_STATUSES), dtype=np.int64)
            for first, code in _FIRST.items():
                lookup[first] = code
            status = lookup[codes[::STATUS_LEN]]
            ids = np.array([r[0] for r in session_rows], dtype=np.int64)
            by_id = np.argsort(ids)
            session = np.fromstring(sessions_text, dtype=np.int64, sep=",")
            at = np.minimum(np.searchsorted(ids[by_id], session), len(ids) - 1)
            known_session = ids[by_id][at] == session
            row = by_id[at]
            cls = np.where(known_session, np.array([r[1] for r in session_rows], dtype=np.int64)[row], -1)
            hours = np.array([r[2] for r in session_rows], dtype=np.int64)[row]
            person = np.fromstring(persons_text, dtype=np.int64, sep=",")  # 6x faster than split
            cls, hours = np.repeat(cls, counts), np.repeat(hours, counts)
            if known_session.all():
                return cls, hours, person, status
            keep = cls >= 0
            return cls[keep], hours[keep], person[keep], status[keep]
    codes_sql = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(ATTENDANCE_STATUSES))
    where, args = scope.where("s.class_id", "a.person_id")
    # A few people are found through the person index; otherwise sessions first (CROSS JOIN keeps that order).
    join = "attendance a JOIN class_sessions s" if scope.person_ids is not None else \
        "class_sessions s CROSS JOIN attendance a"
    rows = db.execute(
        "SELECT s.class_id, s.hours_x100, group_concat(a.person_id), group_concat(CASE a.status"
        f" {codes_sql} ELSE {len(ATTENDANCE_STATUSES)} END, '')"
        f" FROM {join} ON a.session_id = s.id{where} GROUP BY s.class_id, s.id", args).fetchall()
    if not rows:
        return _no_marks()
    import numpy as np

    marks = np.array([len(r[3]) for r in rows], dtype=np.int64)
    session_class = np.repeat(np.array([r[0] for r in rows], dtype=np.int64), marks)
    session_hours = np.repeat(np.array([r[1] for r in rows], dtype=np.int64), marks)
    person = np.fromstring(",".join(r[2] for r in rows), dtype=np.int64, sep=",")
    status = np.frombuffer("".join(r[3] for r in rows).encode("ascii"), dtype=np.uint8).astype(np.int64) - 48
    return session_class, session_hours, person, status


def prefetch(db: Database, scope: Scope) -> Callable[[], Marks]:
    """Start reading the marks in scope and return the function that waits for them.

    A file database is read on a connection of its own in a thread of its own: SQLite lets go of the
    interpreter while it scans, so the marks (most of the reading) arrive while the caller reads the rest.
    In memory there is only the one connection: the marks are read when asked for."""
    files = [r[2] for r in db.execute("PRAGMA database_list").fetchall() if r[1] == "main"]
    if not files or not files[0]:
        return lambda: _marks(db, scope)
    box: list[Marks | BaseException] = []

    def read() -> None:
        try:
            conn = sqlite3.connect(files[0], timeout=10)
            try:
                box.append(_marks(Database(conn, execute_plugins=False), scope))
            finally:
                conn.close()
        except BaseException as exc:  # handed to the caller
            box.append(exc)

    thread = threading.Thread(target=read, name="attendance-marks", daemon=True)
    thread.start()

    def wait() -> Marks:
        thread.join()
        found = box[0]
        if isinstance(found, BaseException):
            raise found
        return found

    return wait


def recorded_arrays(db: Database, keys: Ints, scope: Scope, credit_pct: Mapping[str, int],
                    leave: Collection[str], marks: Callable[[], Marks] | None = None) -> tuple[Ints, Ints, Ints]:
    """recorded_sums for enrolments given as keys `(class id << 32) | person id`, as numpy arrays.
    marks: from `prefetch(db, scope)`, when the caller started reading them earlier."""
    import numpy as np

    n = len(keys)
    found_marks = marks() if marks is not None else None
    if not n:
        return keys.copy(), keys.copy(), keys.copy()
    session_class, session_hours, person, status = found_marks or _marks(db, scope)
    zeros = np.zeros(n, dtype=np.int64)
    if not len(person):
        return zeros, zeros.copy(), zeros.copy()

    # Each mark finds its enrolment by the (class, person) key; marks without one fall out.
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    mark_keys = (session_class << 32) | person
    pos = np.minimum(np.searchsorted(sorted_keys, mark_keys), n - 1)
    found = sorted_keys[pos] == mark_keys
    if found.all():
        enrolment, hours = order[pos], session_hours
    else:
        enrolment, hours, status = order[pos[found]], session_hours[found], status[found]

    # hours ×100 per enrolment and status (the last column: anything else), in one pass
    kinds = len(ATTENDANCE_STATUSES) + 1
    # float64 sums of integers stay exact far beyond any class (2**53)
    per_status = np.rint(np.bincount(enrolment * kinds + status, weights=hours.astype(np.float64),
                                     minlength=n * kinds)).astype(np.int64).reshape(n, kinds)
    credit = np.array([credit_pct[s] for s in ATTENDANCE_STATUSES] + [0], dtype=np.int64)
    is_leave = np.array([int(s in leave) for s in ATTENDANCE_STATUSES] + [0], dtype=np.int64)
    return per_status.sum(axis=1), per_status @ credit, per_status @ is_leave
