"""As the chief judge I can prove that nobody cut the end off the audit log: every change also records the
chain's head (how many entries, the last one's id and hash), so `trainer audit verify` names entries deleted
from the end (审计日志末尾缺少N条记录, exit 1), which the hash chain alone cannot see."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from audit_support import log_some_scores, raw
from judge_support import CLERK
from roster_files import run

from trainer import audit
from trainer.db import open_db


@pytest.fixture
def logged(db, db_path: Path) -> Path:
    log_some_scores(db)
    return db_path


def count(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0])
    finally:
        conn.close()


def test_the_head_follows_every_append_in_the_same_transaction(db, logged: Path) -> None:
    total, last_id, last_hash = db.execute("SELECT COUNT(*), MAX(id), (SELECT hash FROM audit_log ORDER BY id DESC"
                                           " LIMIT 1) FROM audit_log").fetchone()
    assert audit.head(db) == audit.Head(total, last_id, last_hash)
    assert audit.check(db) == audit.Verdict(total)
    with pytest.raises(RuntimeError), db.atomic():  # a change that fails leaves neither an entry nor a new head
        audit.append(db, audit.Entry(audit.PIN_SET, CLERK, 1))
        raise RuntimeError("the change it records failed")
    assert audit.head(db) == audit.Head(total, last_id, last_hash)
    assert audit.append_many(db, []) == 0 and audit.head(db) == audit.Head(total, last_id, last_hash)


def test_deleting_the_last_entries_is_reported(capsys: pytest.CaptureFixture[str], logged: Path) -> None:
    total = count(logged)
    raw(logged, f"DELETE FROM audit_log WHERE id > {total - 2}")  # the last two: 修改成绩 86 and one before it
    code, out, err = run(capsys, logged, "audit", "verify")
    assert (code, err) == (1, "")
    assert out.strip() == (f"审计日志末尾缺少2条记录：现有 {total - 2} 条，应有 {total} 条——最后的记录已被删除")


def test_deleting_the_whole_log_is_reported(capsys: pytest.CaptureFixture[str], logged: Path) -> None:
    total = count(logged)
    raw(logged, "DELETE FROM audit_log")
    code, out, _err = run(capsys, logged, "audit", "verify")
    assert code == 1 and f"审计日志末尾缺少{total}条记录" in out


def test_a_change_after_the_deletion_does_not_hide_it(capsys: pytest.CaptureFixture[str], logged: Path) -> None:
    """The next entry links to the recorded head, not to the entry now last in the table."""
    total = count(logged)
    raw(logged, f"DELETE FROM audit_log WHERE id = {total}")
    db = open_db(logged)
    try:
        with db.atomic():
            audit.append(db, audit.Entry(audit.PIN_SET, CLERK, 1, detail="设置"))
        verdict = audit.check(db)
        assert verdict.broken == total  # the new entry (reusing the id) does not link to entry total-1
        assert audit.verify(db) == total
    finally:
        db.close()
    code, out, _err = run(capsys, logged, "audit", "verify")
    assert code == 1 and f"哈希链在第 {total} 条记录" in out


def test_deleting_the_head_row_is_reported_too(capsys: pytest.CaptureFixture[str], logged: Path) -> None:
    total = count(logged)
    raw(logged, f"DELETE FROM audit_log WHERE id = {total}", f"DELETE FROM settings WHERE key = '{audit.HEAD_KEY}'")
    code, out, _err = run(capsys, logged, "audit", "verify")
    assert code == 1 and "审计日志的链头记录" in out and "无法确认末尾的记录未被删除" in out


def test_an_intact_log_and_an_empty_new_database_still_verify(capsys: pytest.CaptureFixture[str], logged: Path,
                                                              tmp_path: Path) -> None:
    code, out, _err = run(capsys, logged, "audit", "verify")
    assert code == 0 and out.startswith(f"审计日志完好：共 {count(logged)} 条记录")
    empty = tmp_path / "new.db"
    open_db(empty).close()
    code, out, _err = run(capsys, empty, "audit", "verify")
    assert code == 0 and out.startswith("审计日志完好：共 0 条记录")


def test_the_window_button_sees_a_missing_tail_as_broken(db, logged: Path) -> None:
    """audit.verify (what the safety page's button calls) names the id after the last entry left."""
    total = count(logged)
    raw(logged, f"DELETE FROM audit_log WHERE id > {total - 3}")
    assert audit.verify(db) == total - 2
    assert audit.check(db) == audit.Verdict(total - 3, missing=3)
