"""Helpers for the roster tests: valid people as roster cells, and files written the way users write them."""

from __future__ import annotations

import csv
import datetime as dt
import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

from trainer import cli, idnumber
from trainer.person_fields import COLUMNS

PROBLEM_LINE = re.compile(r"^第(\d+)行 (\S+): (.+)$")


def id_for(seq: int, gender: str = "男", area: str = "410402", born: dt.date | None = None) -> str:
    """A valid 18-character ID number, different for each `seq` (≥ 0)."""
    birth = born or dt.date(1980, 1, 1) + dt.timedelta(days=seq // 500)
    return idnumber.make(area, birth, seq % 500, gender)


def person(seq: int = 1, **changes: Any) -> dict[str, object]:
    """One valid roster row (column → cell): an officer of 新华区 with a valid card."""
    gender = str(changes.get("性别") or "男")
    row: dict[str, object] = {
        "姓名": f"测试{seq}号",
        "性别": gender,
        "身份证号": id_for(seq, gender),
        "单位": "新华区",
        "人员类别": "执法人员",
        "职务": "科员",
        "队伍负责人": "否",
        "任职日期": None,
        "入职日期": dt.date(2010, 7, 1),
        "执法证号": f"豫41{100000 + seq}",
        "执法证有效期至": dt.date(2029, 12, 31),
        "岗位状态": "在岗",
        "联系电话": f"138{10000000 + seq}",
    }
    row.update(changes)
    return row


def write_xlsx(path: Path, rows: Sequence[dict[str, object]], headers: Sequence[str] = COLUMNS,
               above: Sequence[Sequence[object]] = ()) -> Path:
    """An .xlsx as a user makes it in Excel: text cells, real date cells; `above` are title rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for line in above:
        ws.append(list(line))
    ws.append(list(headers))
    for r in rows:
        ws.append([r.get(h) for h in headers])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    wb.save(path)
    return path


def _csv_cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return f"{v.year}/{v.month}/{v.day}"  # as Chinese Excel saves dates in a CSV
    return str(v)


def write_csv(path: Path, rows: Sequence[dict[str, object]], headers: Sequence[str] = COLUMNS,
              encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        for r in rows:
            w.writerow([_csv_cell(r.get(h)) for h in headers])
    return path


def run(capsys: Any, db_path: Path, *args: str) -> tuple[int, str, str]:
    """`trainer --db DB args...` in-process: exit code, stdout, stderr."""
    code = cli.main(["--db", str(db_path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def problems(stderr: str) -> list[tuple[int, str, str]]:
    """(row, column, reason) of every stderr line; fails on any line that is not `第R行 列名: 原因`."""
    lines = [line for line in stderr.splitlines() if line]
    assert lines, "no output on stderr"
    found = []
    for line in lines:
        m = PROBLEM_LINE.match(line)
        assert m, f"not a `第R行 列名: 原因` line: {line!r}"
        found.append((int(m.group(1)), m.group(2), m.group(3)))
    return found


def snapshot(db_path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Every stored person and history row, to prove a rejected import wrote nothing."""
    conn = sqlite3.connect(db_path)
    try:
        ppl = conn.execute("SELECT * FROM people ORDER BY id").fetchall()
        hist = conn.execute("SELECT * FROM person_history ORDER BY id").fetchall()
    finally:
        conn.close()
    return ppl, hist


def people_count(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM people").fetchone()[0])
    finally:
        conn.close()
