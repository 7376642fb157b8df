"""As an administrator I script the register from a terminal: `trainer [--db PATH] init | demo |
people import/export/list`, exit 0 on success, 2 when input is rejected, 1 on any other error."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from roster_files import id_for, people_count, person, run, write_xlsx

from trainer import cli

HEADER = "姓名,性别,身份证号,单位,人员类别,职务,队伍负责人,任职日期,入职日期,执法证号,执法证有效期至,岗位状态,联系电话"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def two_people(tmp_path: Path, capsys: Any) -> Path:
    db_path = tmp_path / "t.db"
    rows = [
        person(1, 姓名="欧阳淑珍", 性别="女", 单位="示范区", 队伍负责人="是", 任职日期="2020-03-01", 职务="中队长"),
        person(2, 姓名="王伟", 人员类别="协管人员", 执法证号=None, 执法证有效期至=None, 联系电话="0375-2345678"),
    ]
    code, _, err = run(capsys, db_path, "people", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)))
    assert code == 0, err
    return db_path


def test_list_as_csv_prints_the_chinese_header_then_one_row_per_person(two_people: Path, capsys: Any) -> None:
    code, out, err = run(capsys, two_people, "people", "list", "--format", "csv")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == HEADER
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[1] == ["欧阳淑珍", "女", id_for(1, "女"), "城乡一体化示范区", "执法人员", "中队长", "是", "2020-03-01",
                       "2010-07-01", "豫41100001", "2029-12-31", "在岗", "13810000001"]
    assert rows[2] == ["王伟", "男", id_for(2), "新华区", "协管人员", "科员", "否", "",
                       "2010-07-01", "", "", "在岗", "0375-2345678"]
    assert len(rows) == 3


def test_list_of_an_empty_register_as_csv_is_just_the_header(tmp_path: Path, capsys: Any) -> None:
    code, out, _ = run(capsys, tmp_path / "e.db", "people", "list", "--format", "csv")
    assert (code, out) == (0, HEADER + "\n")


def test_list_as_json_is_a_list_of_objects_with_chinese_keys(two_people: Path, capsys: Any) -> None:
    code, out, _ = run(capsys, two_people, "people", "list", "--format", "json")
    assert code == 0
    assert "欧阳淑珍" in out  # not \\u-escaped
    data = json.loads(out)
    assert [list(d) for d in data] == [HEADER.split(",")] * 2
    assert data[0]["单位"] == "城乡一体化示范区"
    assert data[0]["任职日期"] == "2020-03-01"
    assert data[1]["执法证有效期至"] == ""


def test_list_as_a_table_aligns_chinese_columns(two_people: Path, capsys: Any) -> None:
    for args in (("people", "list"), ("people", "list", "--format", "table")):
        code, out, _ = run(capsys, two_people, *args)
        assert code == 0
        lines = out.splitlines()
        assert len(lines) == 3
        assert lines[0].split() == HEADER.split(",")

        def width(s: str) -> int:
            return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)

        # the ID-number column starts at the same display column on every line
        starts = {width(line[: line.index(key)]) for line, key in zip(lines, ("身份证号", id_for(1, "女"), id_for(2)),
                                                                            strict=True)}
        assert len(starts) == 1


def test_list_rejects_an_unknown_format(tmp_path: Path, capsys: Any) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["--db", str(tmp_path / "t.db"), "people", "list", "--format", "xml"])
    assert exc.value.code == 2


def test_init_creates_the_database_with_the_shipped_units(tmp_path: Path, capsys: Any) -> None:
    db_path = tmp_path / "deep" / "folder" / "trainer.db"
    code, out, err = run(capsys, db_path, "init")
    assert (code, err) == (0, "")
    assert out.strip() == f"数据库已就绪：{db_path}（0 人）"
    assert db_path.exists()
    code, out, _ = run(capsys, db_path, "init")  # running it again is harmless
    assert code == 0 and "（0 人）" in out


def test_demo_fills_an_empty_database_and_is_deterministic_by_seed(tmp_path: Path, capsys: Any) -> None:
    listings = {}
    for name, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        db_path = tmp_path / f"{name}.db"
        code, out, err = run(capsys, db_path, "demo", "--people", "130", "--seed", seed)
        assert (code, err) == (0, "")
        assert out.startswith("演示数据已生成：130 人（执法人员 ")
        assert people_count(db_path) == 130
        code, listings[name], _ = run(capsys, db_path, "people", "list", "--format", "csv")
    assert listings["a"] == listings["b"]
    assert listings["a"] != listings["c"]


def test_demo_refuses_a_database_that_already_has_people(two_people: Path, capsys: Any) -> None:
    code, out, err = run(capsys, two_people, "demo", "--people", "10")
    assert code == 2
    assert out == ""
    assert err.strip() == "数据库中已有人员；演示数据只写入空数据库，以免与真实数据混在一起"
    assert people_count(two_people) == 2


@pytest.mark.parametrize("count", ["0", "-3", "50001"])
def test_demo_people_out_of_bounds_is_rejected(tmp_path: Path, capsys: Any, count: str) -> None:
    db_path = tmp_path / "t.db"
    code, _, err = run(capsys, db_path, "demo", "--people", count)
    assert code == 2
    assert err.strip() == "人数应在1到50000之间"
    assert people_count(db_path) == 0


def test_demo_with_one_person(tmp_path: Path, capsys: Any) -> None:
    code, _, _ = run(capsys, tmp_path / "t.db", "demo", "--people", "1")
    assert code == 0
    assert people_count(tmp_path / "t.db") == 1


def test_trainer_db_environment_variable_chooses_the_database(
        tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    env_db = tmp_path / "env" / "from_env.db"
    monkeypatch.setenv("TRAINER_DB", str(env_db))
    assert cli.main(["init"]) == 0
    assert f"数据库已就绪：{env_db}" in capsys.readouterr().out
    assert env_db.exists()


def test_db_option_wins_over_the_environment_variable(
        tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    env_db = tmp_path / "from_env.db"
    arg_db = tmp_path / "from_arg.db"
    monkeypatch.setenv("TRAINER_DB", str(env_db))
    code, out, _ = run(capsys, arg_db, "init")
    assert code == 0
    assert f"数据库已就绪：{arg_db}" in out
    assert arg_db.exists()
    assert not env_db.exists()


def test_without_db_or_environment_the_user_data_folder_is_used(
        tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from trainer import paths

    monkeypatch.delenv("TRAINER_DB", raising=False)
    monkeypatch.setattr(paths, "user_folder", lambda: tmp_path / "userdata")
    assert cli.main(["init"]) == 0
    assert (tmp_path / "userdata" / "trainer.db").exists()
    assert paths.demo_db_path() == tmp_path / "userdata" / "demo.db"


@pytest.mark.parametrize("content", [
    bytes(range(256)) * 16,
    b"SQLite format 3\x00" + b"\xff" * 4080,
    b"hello, I am a text file\n" * 10,
])
def test_a_damaged_database_file_exits_1_with_one_clear_line(tmp_path: Path, capsys: Any, content: bytes) -> None:
    db_path = tmp_path / "damaged.db"
    db_path.write_bytes(content)
    code, out, err = run(capsys, db_path, "people", "list")
    assert code == 1
    assert out == ""
    assert err.startswith("错误：无法打开数据库") and len(err.strip().splitlines()) == 1
    assert db_path.read_bytes() == content  # left as it was


def test_another_programs_sqlite_file_exits_1_without_a_traceback(tmp_path: Path, capsys: Any) -> None:
    import sqlite3

    db_path = tmp_path / "other.db"
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE units (x TEXT)")
    conn.execute("INSERT INTO units VALUES ('not ours')")
    conn.commit()
    conn.close()
    code, _, err = run(capsys, db_path, "people", "list")
    assert code == 1
    assert err.startswith("错误：") and len(err.strip().splitlines()) == 1
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT x FROM units").fetchall() == [("not ours",)]
    conn.close()


def test_a_database_folder_that_cannot_be_created_exits_1(tmp_path: Path, capsys: Any) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("I am a file, not a folder")
    code, _, err = run(capsys, blocker / "sub" / "t.db", "init")
    assert code == 1
    assert err.startswith("错误：") and "Traceback" not in err


def test_python_m_trainer_help() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "trainer", "--help"], capture_output=True, text=True,
                          encoding="utf-8", cwd=REPO, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    for word in ("init", "demo", "people", "--db"):
        assert word in done.stdout


def test_python_m_trainer_passes_the_exit_code_on(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    bad = subprocess.run([sys.executable, "-m", "trainer", "--db", str(tmp_path / "t.db"), "demo", "--people", "0"],
                         capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)
    assert (bad.returncode, bad.stderr.strip()) == (2, "人数应在1到50000之间")


def test_subcommand_help_and_version(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["people", "import", "--help"])
    assert exc.value.code == 0
    assert "--dry-run" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == "trainer 0.1.0"


def test_a_missing_command_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main([])
    assert exc.value.code == 2
