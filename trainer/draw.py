"""The draw (抽签): draw numbers for competitors and optional per-item anonymous codes for written work,
seeded and recorded so anyone can repeat it and get the same result.

    rec = draw.draw_numbers(db, contest_id, "裁判长", seed="2026-11-18 监督员王芳")
    draw.draw_codes(db, item_id, "裁判长", seed="文书 0931")      # e.g. A407, A152 … (item marked blind)
    draw.reproduce(db, rec.id)                                     # True: same seed, same competitors, same result
    draw.codes(db, item_id)                                        # competitor id → code (the sealed mapping)

Method, stated in each record: the competitors ordered by their id; Python's random.Random(seed) (string
seeds hash with SHA-512, stable across versions and platforms) shuffles 1..N for draw numbers, or samples
N distinct numbers from 100–999 (1000–9999 above 900 competitors) for codes. A draw is refused once the
contest (or item) has scores: numbers and codes are what scores are keyed by on paper.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
import string
from dataclasses import dataclass

from sqlite_utils import Database

from trainer import audit, contest
from trainer.contest import ContestError

NUMBERS_METHOD = "选手按编号排序，random.Random(种子).shuffle(1..N)"
CODES_METHOD = "选手按编号排序，random.Random(种子).sample(三位数, N)，前缀为项目字母"


@dataclass(frozen=True)
class DrawRecord:
    id: int
    contest_id: int
    item_id: int | None
    seed: str
    method: str
    result: dict[int, str]  # competitor id → draw number or code (as text)
    drawn_by: str
    drawn_at: str


def _numbers(seed: str, competitor_ids: list[int]) -> dict[int, str]:
    numbers = list(range(1, len(competitor_ids) + 1))
    random.Random(seed).shuffle(numbers)
    return {cid: str(n) for cid, n in zip(sorted(competitor_ids), numbers, strict=True)}


def _codes(seed: str, prefix: str, competitor_ids: list[int]) -> dict[int, str]:
    pool = range(100, 1000) if len(competitor_ids) <= 900 else range(1000, 10000)
    picked = random.Random(seed).sample(pool, len(competitor_ids))
    return {cid: f"{prefix}{n}" for cid, n in zip(sorted(competitor_ids), picked, strict=True)}


def _record(db: Database, contest_id: int, item_id: int | None, seed: str, method: str, result: dict[int, str],
            actor: str) -> DrawRecord:
    now = dt.datetime.now().isoformat(timespec="seconds")
    cur = db.execute("INSERT INTO contest_draws (contest_id, item_id, seed, method, result, drawn_by, drawn_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [contest_id, item_id, seed, method, json.dumps(result, ensure_ascii=False), actor, now])
    audit.append(db, audit.Entry(audit.DRAW, actor, contest_id, item_id, new=seed, detail=method))
    return DrawRecord(int(cur.lastrowid or 0), contest_id, item_id, seed, method, result, actor, now)


def draw_numbers(db: Database, contest_id: int, actor: str, seed: str | None = None) -> DrawRecord:
    """Give every competitor a draw number 1..N."""
    seed = seed if seed is not None else secrets.token_hex(8)
    with db.atomic():
        contest.require_contest(db, contest_id)
        if db.execute("SELECT 1 FROM contest_scores s JOIN contest_items i ON i.id = s.item_id"
                      " WHERE i.contest_id = ? LIMIT 1", [contest_id]).fetchone():
            raise ContestError("已有成绩，不能重新抽签")
        ids = [r[0] for r in db.execute("SELECT id FROM contest_competitors WHERE contest_id = ?", [contest_id])]
        if not ids:
            raise ContestError("还没有选手")
        result = _numbers(seed, ids)
        db.execute("UPDATE contest_competitors SET draw_no = NULL WHERE contest_id = ?", [contest_id])
        db.conn.executemany("UPDATE contest_competitors SET draw_no = ? WHERE id = ?",
                            [(int(n), cid) for cid, n in result.items()])
        return _record(db, contest_id, None, seed, NUMBERS_METHOD, result, actor)


def draw_codes(db: Database, item_id: int, actor: str, seed: str | None = None) -> DrawRecord:
    """Give every competitor an anonymous code for one item; judges of that item see only the codes."""
    item = contest.require_item(db, item_id)
    seed = seed if seed is not None else secrets.token_hex(8)
    prefix = string.ascii_uppercase[(item.sort_order - 1) % 26]
    with db.atomic():
        if db.execute("SELECT 1 FROM contest_scores WHERE item_id = ? LIMIT 1", [item_id]).fetchone():
            raise ContestError(f"“{item.name}”已有成绩，不能重新编码")
        ids = [r[0] for r in db.execute("SELECT id FROM contest_competitors WHERE contest_id = ?", [item.contest_id])]
        if not ids:
            raise ContestError("还没有选手")
        result = _codes(seed, prefix, ids)
        db.execute("DELETE FROM contest_codes WHERE item_id = ?", [item_id])
        db.conn.executemany("INSERT INTO contest_codes (item_id, competitor_id, code) VALUES (?, ?, ?)",
                            [(item_id, cid, code) for cid, code in result.items()])
        db.execute("UPDATE contest_items SET blind = 1 WHERE id = ?", [item_id])
        return _record(db, item.contest_id, item_id, seed, CODES_METHOD + f"（{prefix}）", result, actor)


def draws(db: Database, contest_id: int) -> list[DrawRecord]:
    return [DrawRecord(r[0], r[1], r[2], r[3], r[4], {int(k): v for k, v in json.loads(r[5]).items()}, r[6], r[7])
            for r in db.execute("SELECT id, contest_id, item_id, seed, method, result, drawn_by, drawn_at"
                                " FROM contest_draws WHERE contest_id = ? ORDER BY id", [contest_id])]


def reproduce(db: Database, draw_id: int) -> bool:
    """Repeat a recorded draw from its seed and competitors: True when it gives the recorded result."""
    row = db.execute("SELECT contest_id, item_id, seed, method, result FROM contest_draws WHERE id = ?",
                     [draw_id]).fetchone()
    if row is None:
        raise ContestError("抽签记录不存在")
    recorded = {int(k): v for k, v in json.loads(row[4]).items()}
    if row[1] is None:
        return _numbers(row[2], list(recorded)) == recorded
    prefix = row[3][-2] if row[3].endswith("）") else ""
    return _codes(row[2], prefix, list(recorded)) == recorded


def codes(db: Database, item_id: int) -> dict[int, str]:
    return {r[0]: r[1] for r in db.execute("SELECT competitor_id, code FROM contest_codes WHERE item_id = ?",
                                           [item_id])}
