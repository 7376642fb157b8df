"""As the chief judge I can prove the audit log was not edited: `trainer audit verify` checks the hash chain,
exits 0 when it is intact, and otherwise names the first broken entry (exit 1)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from audit_support import log_some_scores, raw
from roster_files import run


@pytest.fixture
def logged(db, db_path: Path) -> Path:
    log_some_scores(db)
    return db_path


def entry_id(db_path: Path, action: str, new: str) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return int(conn.execute("SELECT id FROM audit_log WHERE action = ? AND new_value = ?",
                                [action, new]).fetchone()[0])
    finally:
        conn.close()


def test_an_intact_log_verifies(capsys: pytest.CaptureFixture[str], logged: Path) -> None:
    code, out, err = run(capsys, logged, "audit", "verify")
    assert (code, err) == (0, "")
    assert out.startswith("审计日志完好：共 ") and "哈希链校验通过" in out


def test_an_edited_entry_is_named(capsys: pytest.CaptureFixture[str], logged: Path) -> None:
    target = entry_id(logged, "score.enter", "85")
    raw(logged, f"UPDATE audit_log SET new_value = '95' WHERE id = {target}")
    code, out, _err = run(capsys, logged, "audit", "verify")
    assert code == 1
    assert f"哈希链在第 {target} 条记录（" in out and "录入成绩）" in out


def test_a_deleted_entry_breaks_the_chain_at_the_next_one(capsys: pytest.CaptureFixture[str], logged: Path) -> None:
    target = entry_id(logged, "score.enter", "80")
    raw(logged, f"DELETE FROM audit_log WHERE id = {target}")
    code, out, _err = run(capsys, logged, "audit", "verify")
    assert code == 1 and f"第 {target + 1} 条记录" in out


def test_an_edit_with_a_made_up_hash_is_named(capsys: pytest.CaptureFixture[str], logged: Path) -> None:
    target = entry_id(logged, "score.change", "86")  # the last entry: change it and give it a made-up hash
    raw(logged, f"UPDATE audit_log SET new_value = '96', hash = '{'f' * 64}' WHERE id = {target}")
    code, out, _err = run(capsys, logged, "audit", "verify")
    assert code == 1 and f"第 {target} 条记录" in out
