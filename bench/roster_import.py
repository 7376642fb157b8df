"""Importing a 10,000-row roster vs. plain pandas reading the same file plus one executemany."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from bench.core import Result, benchmark, best_of, compare
from exports.excel import Sheet, write_xlsx
from exports.tables import read_table
from trainer import demo, roster
from trainer.db import open_db
from trainer.person_fields import COLUMNS

ROWS = 10_000


def make_roster(folder: Path) -> Path:
    source = open_db(folder / "source.db")
    demo.generate(source, ROWS, seed=1)
    headers, rows = roster.export_rows(source)
    source.close()
    return write_xlsx(folder / "roster.xlsx", [Sheet("人员名册", headers, rows)])


@benchmark("roster_import")
def run() -> Result:
    """Both sides start from an empty database made before the clock starts, and commit at the end."""
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    path = make_roster(folder)
    counter = iter(range(1_000))
    target: dict[str, Any] = {}

    def fresh_ours() -> None:
        db = open_db(folder / f"ours{next(counter)}.db")
        demo.ensure_streets(db)  # the file names demo street units; a real bureau has added its own
        target["db"] = db

    def ours() -> None:
        db = target["db"]
        plan = roster.plan_import(db, read_table(path))
        assert plan.ok, plan.problems[:3]
        roster.apply_import(db, plan)
        db.close()

    def fresh_baseline() -> None:
        conn = sqlite3.connect(folder / f"base{next(counter)}.db")
        conn.execute(f"CREATE TABLE people ({', '.join(COLUMNS)})")
        conn.commit()
        target["conn"] = conn

    def baseline() -> None:
        frame = pd.read_excel(path, dtype=str, engine="calamine")
        conn = target["conn"]
        with conn:
            conn.executemany(f"INSERT INTO people VALUES ({', '.join('?' * len(frame.columns))})",
                             frame.itertuples(index=False, name=None))
        conn.close()

    t_ours = best_of(5, ours, fresh_ours)
    t_base = best_of(5, baseline, fresh_baseline)
    return compare("roster_import", t_ours, t_base, 2.0, f"{ROWS} 行 xlsx 导入空库（读取、逐行校验、写入）")
