"""Done when: five judges on five laptops score a contest, carry their files to the main laptop, and the chief
judge gets the same ranking as if everything had been typed on one machine.

Each laptop is its own process (tests/judge_laptop.py) with its own judge-mode store made from its own kit,
typing through the real JudgeSession; the files go to one shared "USB" folder; the main laptop merges them with
`trainer contest merge` and prints `trainer contest ranking --format csv`. Two judges are recused from the
competitors of their own unit, so their sheets are shorter."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from contest_support import build, item
from roster_files import run

from trainer import backup, contest, draw, judge_kit, scoring
from trainer.contest import NewItem
from trainer.db import open_db

TESTS = Path(__file__).parent
CLERK = "记分员李静"
UNITS = {1: "新华区", 2: "卫东区", 3: "湛河区", 4: "新华区", 5: "叶县", 6: "卫东区", 7: "新华区", 8: "湛河区"}
JUDGES = [("J1", "周明", None), ("J2", "郑红", "新华区"), ("J3", "孙立", "法规科"), ("J4", "冯静", None),
          ("J5", "王刚", "卫东区")]
SCENE_JUDGES = ("J1", "J2", "J4", "J5")


@pytest.fixture
def venue(db):
    b = build(db, [item("文书", weight=50), NewItem("情景", contest.RUBRIC, Decimal(100), Decimal(30), 1,
                                                     rubric_method=contest.AVERAGE),
                   item("笔试", contest.SINGLE, 20, decimals=1)],
              [(d, f"选手{d}号", unit) for d, unit in UNITS.items()],
              [(j, name, unit, ["文书", "情景"] if j in SCENE_JUDGES else ["文书"]) for j, name, unit in JUDGES],
              name="五评委比武")
    contest.set_criteria(db, b.items["情景"], [("仪容仪表", Decimal(40)), ("程序规范", Decimal(60))])
    draw.draw_codes(db, b.items["文书"], CLERK, seed="文书 密封")
    rng = random.Random(5)
    for d in UNITS:  # the written exam is entered on the main laptop, in both worlds
        scoring.enter_score(db, b.slot("笔试", d), f"{rng.randint(600, 1000) / 10}", CLERK)
    return b


def sheet(kit: judge_kit.Kit, rng: random.Random) -> list[list[object]]:
    """What one judge types: every slot of the kit's sheet, with a correction now and then."""
    out: list[list[object]] = []
    for it in kit.items:
        for key in it.keys:
            typed = key.lower() if it.blind else f"0{key}"  # typed as judges type: lower case, a leading zero
            for crit in it.criteria or (None,):
                top = crit.max_points if crit else it.full_marks
                value = Decimal(rng.randint(int(top) * 5, int(top) * 10)) / 10
                if rng.random() < 0.2:
                    out.append([it.name, typed, crit.name if crit else None, str(value - 1)])  # a slip, corrected
                out.append([it.name, typed, crit.name if crit else None, str(value)])
    return out


def test_five_laptops_give_the_ranking_of_one_machine(capsys: pytest.CaptureFixture[str], venue, db_path: Path,
                                                      tmp_path: Path) -> None:
    db = venue.db
    stick, usb = tmp_path / "kits", tmp_path / "usb"
    stick.mkdir()
    usb.mkdir()
    one_machine = backup.backup_to(db.conn, tmp_path / "one_machine.db")

    # the scorer exports one kit per judge on the main laptop
    kits = {}
    for code, _name, _unit in JUDGES:
        out = stick / f"评分包_{code}.kit"
        status, _printed, err = run(capsys, db_path, "contest", "kit", "--contest", str(venue.contest_id),
                                   "--judge", code, "--out", str(out))
        assert (status, err) == (0, ""), err
        kits[code] = judge_kit.read_kit(out)
    recused = {code: {d for d, unit in UNITS.items() if unit == judge_unit} for code, _n, judge_unit in JUDGES}
    assert recused["J2"] == {1, 4, 7} and recused["J5"] == {2, 6}
    for code, kit in kits.items():
        writing = kit.item_named("文书")
        assert writing is not None and len(writing.keys) == 8 - len(recused[code])

    # five laptops at once, each its own process and its own store
    typed = {code: sheet(kit, random.Random(code)) for code, kit in kits.items()}
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(TESTS.parent)}
    laptops = {}
    for code in kits:
        laptops[code] = subprocess.Popen(
            [sys.executable, str(TESTS / "judge_laptop.py"), str(stick / f"评分包_{code}.kit"),
             str(tmp_path / f"laptop_{code}"), str(usb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    files = []
    for code, proc in laptops.items():
        out, err = proc.communicate("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in typed[code]),
                                    timeout=120)
        assert proc.returncode == 0, err
        files.append(Path(out.strip().splitlines()[-1]))
        assert list((tmp_path / f"laptop_{code}").glob("*.sqlite")) == [tmp_path / f"laptop_{code}" /
                                                                        f"{kits[code].uid}.sqlite"]
    assert sorted(p.parent for p in files) == [usb] * 5 and len(set(files)) == 5

    # the main laptop merges the stick (all files in one command) and prints the ranking
    status, out, err = run(capsys, db_path, "contest", "merge", "--contest", str(venue.contest_id),
                           *map(str, files))
    assert (status, err) == (0, ""), err
    lines = out.splitlines()
    assert len(lines) == 5 and all(line.startswith("accepted ") for line in lines), out
    merged = tmp_path / "merged.csv"
    status, _out, err = run(capsys, db_path, "contest", "ranking", "--contest", str(venue.contest_id),
                            "--format", "csv", "--out", str(merged))
    assert (status, err) == (0, ""), err

    # the same scores typed on one machine, the last value typed for each slot
    ref = open_db(one_machine)
    try:
        codes = {c: d for d, cid in venue.competitors.items() for c in [draw.codes(ref, venue.items["文书"])[cid]]}
        final: dict[tuple[str, int, str, str | None], str] = {}
        for code, rows in typed.items():
            for item_name, key, crit, value in rows:
                d = codes[str(key).upper()] if item_name == "文书" else int(str(key))
                final[(str(item_name), d, code, crit)] = str(value)
        for (item_name, d, code, crit), value in final.items():
            scoring.enter_score(ref, venue.slot(item_name, d, code, crit), value, CLERK)
    finally:
        ref.close()
    single = tmp_path / "one_machine.csv"
    status, _out, err = run(capsys, one_machine, "contest", "ranking", "--contest", str(venue.contest_id),
                            "--format", "csv", "--out", str(single))
    assert (status, err) == (0, ""), err

    assert merged.read_bytes() == single.read_bytes()
    text = merged.read_text(encoding="utf-8-sig")
    assert text.count("\n") >= 9 and all(f"选手{d}号" in text for d in UNITS)
    expected_slots = sum(len(k.item_named("文书").keys) for k in kits.values()) + \
        sum(2 * len(k.item_named("情景").keys) for c, k in kits.items() if c in SCENE_JUDGES)
    assert len(final) == expected_slots
    assert db.execute("SELECT COUNT(*) FROM contest_scores WHERE source = '评委文件'").fetchone()[0] == expected_slots
