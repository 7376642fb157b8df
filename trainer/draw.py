"""The draw (抽签): draw numbers for competitors, numbers for teams and anonymous codes for the blind (密封)
items' written work, seeded and recorded so anyone can repeat it and get the same result.

    d = draw.draw_contest(db, contest_id, "裁判长", seed="2026-11-18 监督员王芳")   # one step, one transaction
    d.numbers.result, d.teams, d.codes                                              # 抽签号, 队号, 密封编号 records
    draw.draw_codes(db, item_id, "裁判长", seed="文书 0931")      # one item made blind after the draw: A407, A152 …
    draw.reproduce(db, rec.id)                                     # True: same seed, same competitors, same result
    draw.codes(db, item_id)                                        # competitor id → code (the sealed mapping)
    draw.draw_team_numbers(db, contest_id, "裁判长", seed="…")       # 队号 alone (e.g. a 团体 item added later)

One draw, one seed: draw_contest gives every competitor a 抽签号, every team a 队号 (with 团体 items) and every
entrant of every blind item a 密封编号, all or nothing, so a failure part-way never leaves numbers without codes.
Each part is recorded on its own with the seed it used, derived from the one typed: the 抽签号 use the seed, the
队号 the seed + " 队号", an item's codes the seed + " " + the item's name. The same seed and entrants give the
same numbers and codes.

Method, stated in each record: the competitors ordered by their id; Python's random.Random(seed) (string
seeds hash with SHA-512, stable across versions and platforms) shuffles 1..N for draw numbers, or samples
N distinct numbers from 100–999 (1000–9999 above 900 competitors) for codes. A draw is refused once the
contest (or item) has scores: numbers and codes are what scores are keyed by on paper.

Teams (团体项目): the draw first brings the team rows up to date (trainer.contest_people.sync_teams) and then
gives the teams their numbers 1..T the same way: the team rows ordered by their id,
random.Random(seed + " 队号").shuffle(1..T). `draw_team_numbers` does only this part, refused once a 团体 item
has scores. A blind 团体 item's codes go to the team rows.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
import string
from dataclasses import dataclass

from sqlite_utils import Database

from trainer import audit, contest, contest_people
from trainer.contest import ContestError, Item

NUMBERS_METHOD = "选手按编号排序，random.Random(种子).shuffle(1..N)"
TEAM_NUMBERS_METHOD = "队号：队伍按编号排序，random.Random(种子).shuffle(1..N)"
TEAM_SEED_SUFFIX = " 队号"
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

    @property
    def what(self) -> str:
        """抽签号, 队号, or 密封编号 (of the record's item)."""
        if self.item_id is not None:
            return "密封编号"
        return "队号" if self.method == TEAM_NUMBERS_METHOD else "抽签号"


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


@dataclass(frozen=True)
class ContestDraw:
    """What one draw gave: the competitors' 抽签号, the teams' 队号 (None without 团体 items) and the 密封编号 of
    every blind item, each a record of its own."""
    numbers: DrawRecord
    teams: DrawRecord | None
    codes: tuple[DrawRecord, ...]

    @property
    def seed(self) -> str:
        return self.numbers.seed

    @property
    def records(self) -> tuple[DrawRecord, ...]:
        return (self.numbers, *((self.teams,) if self.teams else ()), *self.codes)


def code_seed(seed: str, item: Item) -> str:
    """The seed of a blind item's codes drawn with the numbers: derived from the draw's seed and the item's name,
    so each item gets codes of its own and the whole draw repeats from the one seed."""
    return f"{seed} {item.name}"


def draw_contest(db: Database, contest_id: int, actor: str, seed: str | None = None) -> ContestDraw:
    """The whole draw in one transaction: 抽签号 1..N for every competitor, 队号 for the teams (团体 items) and
    密封编号 for every blind item; refused once the contest has scores."""
    seed = seed if seed is not None else secrets.token_hex(8)
    with db.atomic():
        contest.require_contest(db, contest_id)
        if db.execute("SELECT 1 FROM contest_scores s JOIN contest_items i ON i.id = s.item_id"
                      " WHERE i.contest_id = ? LIMIT 1", [contest_id]).fetchone():
            raise ContestError("已有成绩，不能重新抽签")
        result = _number_rows(db, contest_id, seed, team=False, none_message="还没有选手")
        numbers = _record(db, contest_id, None, seed, NUMBERS_METHOD, result, actor)
        contest_people.sync_teams(db, contest_id)
        teams = None
        if contest_people.has_team_items(db, contest_id):
            teams = _team_numbers(db, contest_id, seed + TEAM_SEED_SUFFIX, actor)
        codes = tuple(_item_codes(db, it, code_seed(seed, it), actor)
                      for it in contest.items(db, contest_id) if it.blind)
        return ContestDraw(numbers, teams, codes)


def draw_team_numbers(db: Database, contest_id: int, actor: str, seed: str | None = None) -> DrawRecord:
    """Bring the team rows up to date and give each team a number (队号) 1..T; refused once a 团体 item has
    scores. draw_contest does this too; this is for a contest whose 团体 items came after the draw."""
    seed = seed if seed is not None else secrets.token_hex(8)
    with db.atomic():
        contest.require_contest(db, contest_id)
        if not contest_people.has_team_items(db, contest_id):
            raise ContestError("本次比武没有团体项目，不需要抽取队号")
        contest_people.sync_teams(db, contest_id)
        return _team_numbers(db, contest_id, seed, actor)


def _team_numbers(db: Database, contest_id: int, seed: str, actor: str) -> DrawRecord:
    if db.execute("SELECT 1 FROM contest_scores s JOIN contest_items i ON i.id = s.item_id"
                  " WHERE i.contest_id = ? AND i.kind = ? LIMIT 1", [contest_id, contest.TEAM]).fetchone():
        raise ContestError("团体项目已有成绩，不能重新抽取队号")
    result = _number_rows(db, contest_id, seed, team=True,
                          none_message="还没有参赛队伍（团体项目的队伍由选手的单位生成，请先添加选手）")
    return _record(db, contest_id, None, seed, TEAM_NUMBERS_METHOD, result, actor)


def _number_rows(db: Database, contest_id: int, seed: str, *, team: bool, none_message: str) -> dict[int, str]:
    """Numbers 1..N drawn with `seed` for the contest's competitor rows (team=False: 抽签号 in draw_no) or team
    rows (team=True: 队号 in team_no), replacing any earlier ones; `none_message` when there are no rows."""
    column = "team_no" if team else "draw_no"
    ids = [r[0] for r in db.execute("SELECT id FROM contest_competitors WHERE contest_id = ? AND is_team = ?",
                                    [contest_id, int(team)])]
    if not ids:
        raise ContestError(none_message)
    result = _numbers(seed, ids)
    db.execute(f"UPDATE contest_competitors SET {column} = NULL WHERE contest_id = ?", [contest_id])
    db.conn.executemany(f"UPDATE contest_competitors SET {column} = ? WHERE id = ?",
                        [(int(n), cid) for cid, n in result.items()])
    return result


def draw_codes(db: Database, item_id: int, actor: str, seed: str | None = None) -> DrawRecord:
    """Give every entrant an anonymous code for one item and make it blind (an item made blind after the draw;
    draw_contest codes the blind items with the numbers); judges of that item see only the codes."""
    item = contest.require_item(db, item_id)
    seed = seed if seed is not None else secrets.token_hex(8)
    with db.atomic():
        if contest.item_has_scores(db, item_id):
            raise ContestError(f"“{item.name}”已有成绩，不能重新编码")
        record = _item_codes(db, item, seed, actor)
        db.execute("UPDATE contest_items SET blind = 1 WHERE id = ?", [item_id])
        return record


def _item_codes(db: Database, item: Item, seed: str, actor: str) -> DrawRecord:
    """Codes for the item's entrants (team rows for a 团体 item), replacing any earlier ones, recorded."""
    prefix = string.ascii_uppercase[(item.sort_order - 1) % 26]
    ids = [r[0] for r in db.execute("SELECT id FROM contest_competitors WHERE contest_id = ? AND is_team = ?",
                                    [item.contest_id, int(item.team)])]
    if not ids:
        raise ContestError("还没有参赛队伍，请先抽签" if item.team else "还没有选手")
    result = _codes(seed, prefix, ids)
    db.execute("DELETE FROM contest_codes WHERE item_id = ?", [item.id])
    db.conn.executemany("INSERT INTO contest_codes (item_id, competitor_id, code) VALUES (?, ?, ?)",
                        [(item.id, cid, code) for cid, code in result.items()])
    return _record(db, item.contest_id, item.id, seed, CODES_METHOD + f"（{prefix}）", result, actor)


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
