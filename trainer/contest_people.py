"""Who takes part: competitors (from the register or a workbook), judges with their unit, judges' items,
recusal (回避) and teams by unit.

    contest_people.add_from_register(db, contest_id, [person_id, ...])
    contest_people.add_judge(db, contest_id, "J1", "周明", unit_id)       # unit_id None: 外聘 (external)
    report = contest_people.assign(db, item_id, judge_id)               # AssignmentReport: who is recused
    panel = contest_people.Panel.load(db, contest_id)                   # one snapshot for a whole operation
    panel.expected_judges(item, competitor)                             # the judges whose scores count

Recusal: a judge never scores a competitor of their own unit. "Own unit" is the team unit: a street
squadron (街道) belongs to its county brigade (县级), so a 新华区 judge is recused from a competitor of
西市场街道 too; bureau departments are their own units. External judges are recused from nobody. The rule
is checked here once and used at assignment, entry and import (trainer.scoring) and in aggregation.
Teams are the same team units: a team's members are the contest's competitors of that county or department.

Team items (团体项目, e.g. 队列会操) are performed by a team and scored once per team. Each team is an entrant of
its own: a contest_competitors row with is_team = 1, named after its unit, with a team number (队号) from the
draw and no draw number. All scoring keys on competitor_id, so judges, recusal (a judge never scores their own
unit's team), audit, spread flags, locks, double entry, kits and merges treat a team row like a competitor.

    panel.entrants(item)         # team rows for a 团体 item, individual competitors otherwise
    panel.entrant(item, number)  # by 队号 for a 团体 item, by 抽签号 otherwise
    sync_teams(db, contest_id)   # team rows follow the competitors' team units

`competitors()` and `Panel.competitors` are individuals only. Team rows are kept in step by `sync_teams`, run
when competitors are added or removed here and again at the draw (trainer.draw), which also gives the 队号:
so items set up or changed after the competitors were entered (e.g. an item made 团体) get their teams at the
draw. A team row with scores is never removed, even when its unit has no competitors left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlite_utils import Database

from trainer import contest, people
from trainer.contest import TEAM, ContestError, Item
from trainer.units import UnitIndex

EXTERNAL_PREFIX = "外聘"


@dataclass(frozen=True)
class Competitor:
    id: int
    contest_id: int
    person_id: int | None
    name: str
    id_number: str
    unit_id: int
    draw_no: int | None
    is_team: bool = False       # a team's row (团体项目): unit_id is the team unit, name the unit's name
    team_no: int | None = None  # 队号, team rows only

    @property
    def number(self) -> int | None:
        """What the entrant is known by on score sheets: 队号 for a team, else 抽签号."""
        return self.team_no if self.is_team else self.draw_no

    @property
    def number_label(self) -> str:
        return "队号" if self.is_team else "抽签号"

    @property
    def label(self) -> str:
        """'12号' for a competitor, '3号队' for a team ('未抽签' before the draw)."""
        n = self.number
        if n is None:
            return "未抽签"
        return f"{n}号队" if self.is_team else f"{n}号"


@dataclass(frozen=True)
class Judge:
    id: int
    contest_id: int
    code: str
    name: str
    unit_id: int | None  # None: an external judge
    unit_text: str
    is_chief: bool


@dataclass(frozen=True)
class AssignmentReport:
    """What an assignment means for recusal: the competitors this judge will not score on the item, and
    those left with fewer judges than the item's method needs."""
    judge: Judge
    item: Item
    recused: tuple[Competitor, ...]
    short: tuple[tuple[Competitor, int, int], ...]  # (competitor, judges who may score, judges needed)


def code_key(code: str) -> tuple[object, ...]:
    """Natural order for 评委编号 and codes: J2 before J10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", code))


def team_unit_id(units: UnitIndex, unit_id: int) -> int:
    """The unit a competitor's team and a judge's recusal go by: a street's county, else the unit itself."""
    unit = units.by_id.get(unit_id)
    if unit is not None and unit.level == "街道" and unit.parent_id is not None:
        return unit.parent_id
    return unit_id


@dataclass
class Panel:
    """Competitors, judges and assignments of one contest, with units resolved: load once per operation."""
    contest_id: int
    units: UnitIndex
    competitors: list[Competitor]
    judges: list[Judge]
    assigned: dict[int, list[int]]  # item id → judge ids in 评委编号 order
    team_entries: list[Competitor] = field(default_factory=list)  # team rows, by 队号 (团体 items' entrants)
    by_draw: dict[int, Competitor] = field(init=False)
    by_id: dict[int, Competitor] = field(init=False)  # competitors and team rows
    by_team_no: dict[int, Competitor] = field(init=False)
    team_entry_of: dict[int, Competitor] = field(init=False)  # team unit id → its team row
    judge_by_id: dict[int, Judge] = field(init=False)
    judge_by_code: dict[str, Judge] = field(init=False)
    team_of: dict[int, int] = field(init=False)  # competitor (or team row) id → team unit id

    def __post_init__(self) -> None:
        self.by_draw = {c.draw_no: c for c in self.competitors if c.draw_no is not None}
        self.by_id = {c.id: c for c in self.competitors}
        self.by_id.update((t.id, t) for t in self.team_entries)
        self.by_team_no = {t.team_no: t for t in self.team_entries if t.team_no is not None}
        self.team_entry_of = {t.unit_id: t for t in self.team_entries}
        self.judge_by_id = {j.id: j for j in self.judges}
        self.judge_by_code = {j.code: j for j in self.judges}
        self.team_of = {c.id: team_unit_id(self.units, c.unit_id) for c in self.competitors}
        self.team_of.update((t.id, t.unit_id) for t in self.team_entries)

    def entrants(self, item: Item) -> list[Competitor]:
        """Who is scored on an item: the team rows (by 队号) for a 团体 item, else the competitors (by 抽签号)."""
        return self.team_entries if item.team else self.competitors

    def entrant(self, item: Item, number: int) -> Competitor | None:
        """An item's entrant by the number on score sheets: 队号 for a 团体 item, else 抽签号."""
        return self.by_team_no.get(number) if item.team else self.by_draw.get(number)

    def takes_part(self, item: Item, entrant: Competitor) -> bool:
        """Whether this row is scored on the item (a team row on a 团体 item, a competitor on any other)."""
        return entrant.is_team == item.team

    @classmethod
    def load(cls, db: Database, contest_id: int) -> Panel:
        assigned: dict[int, list[int]] = {}
        judge_list = judges(db, contest_id)
        order = {j.id: i for i, j in enumerate(judge_list)}
        for item_id, judge_id in db.execute(
                "SELECT a.item_id, a.judge_id FROM contest_assignments a JOIN contest_items i ON i.id = a.item_id"
                " WHERE i.contest_id = ?", [contest_id]):
            assigned.setdefault(item_id, []).append(judge_id)
        for ids in assigned.values():
            ids.sort(key=order.__getitem__)
        return cls(contest_id, UnitIndex.load(db), competitors(db, contest_id), judge_list, assigned,
                   team_entries(db, contest_id))

    def judge_team(self, judge: Judge) -> int | None:
        return team_unit_id(self.units, judge.unit_id) if judge.unit_id is not None else None

    def recused(self, judge: Judge, competitor: Competitor) -> bool:
        team = self.judge_team(judge)
        if team is None:
            return False
        own = self.team_of.get(competitor.id)
        return team == (own if own is not None else team_unit_id(self.units, competitor.unit_id))

    def expected_judges(self, item: Item, competitor: Competitor) -> list[Judge]:
        """The item's judges who score this competitor (assigned and not recused), in 评委编号 order."""
        if not item.judged:
            return []
        return [j for jid in self.assigned.get(item.id, []) if not self.recused(j := self.judge_by_id[jid], competitor)]

    def recused_judges(self, item: Item, competitor: Competitor) -> list[Judge]:
        if not item.judged:
            return []
        return [j for jid in self.assigned.get(item.id, []) if self.recused(j := self.judge_by_id[jid], competitor)]

    def sheet(self, judge: Judge, item: Item) -> list[Competitor]:
        """The entrants a judge scores on an item (their 评分表), by draw number (by 队号 for a 团体 item)."""
        if judge.id not in self.assigned.get(item.id, []):
            return []
        return [c for c in self.entrants(item) if not self.recused(judge, c)]

    def unit_name(self, unit_id: int | None) -> str:
        return self.units.name(unit_id) if unit_id is not None and unit_id in self.units.by_id else ""

    def judge_unit_text(self, judge: Judge) -> str:
        return self.unit_name(judge.unit_id) or judge.unit_text or EXTERNAL_PREFIX

    def team_name(self, competitor: Competitor) -> str:
        return self.unit_name(self.team_of[competitor.id])


_COMP_COLS = "id, contest_id, person_id, name, id_number, unit_id, draw_no"


def competitors(db: Database, contest_id: int) -> list[Competitor]:
    """The individual competitors (never team rows), by draw number (undrawn last, by id)."""
    return [Competitor(*r) for r in db.execute(
        f"SELECT {_COMP_COLS} FROM contest_competitors WHERE contest_id = ? AND is_team = 0"
        " ORDER BY draw_no IS NULL, draw_no, id", [contest_id])]


def team_entries(db: Database, contest_id: int) -> list[Competitor]:
    """The team rows (团体项目's entrants), by 队号 (not yet numbered last, by id)."""
    return [Competitor(r[0], r[1], r[2], r[3], r[4], r[5], r[6], True, r[7]) for r in db.execute(
        f"SELECT {_COMP_COLS}, team_no FROM contest_competitors WHERE contest_id = ? AND is_team = 1"
        " ORDER BY team_no IS NULL, team_no, id", [contest_id])]


def has_team_items(db: Database, contest_id: int) -> bool:
    return db.execute("SELECT 1 FROM contest_items WHERE contest_id = ? AND kind = ? LIMIT 1",
                      [contest_id, TEAM]).fetchone() is not None


@dataclass(frozen=True)
class TeamSync:
    added: tuple[str, ...] = ()    # team names
    removed: tuple[str, ...] = ()
    renamed: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()     # no members (or no 团体 item) any more, but scored: kept as they are

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.renamed)


def sync_teams(db: Database, contest_id: int) -> TeamSync:
    """Make the team rows follow the competitors: one per team unit that has competitors, when the contest has
    a 团体 item (none otherwise). New rows have no 队号 until the draw (trainer.draw); a row whose unit has left
    is removed unless it has scores or deductions, which are never dropped. Names follow the units' names."""
    with db.atomic():
        index = UnitIndex.load(db)
        wanted: set[int] = set()
        if has_team_items(db, contest_id):
            wanted = {team_unit_id(index, c.unit_id) for c in competitors(db, contest_id)}
        have = {t.unit_id: t for t in team_entries(db, contest_id)}
        added, removed, renamed, kept = [], [], [], []
        for unit_id in sorted(wanted - set(have), key=lambda u: (index.by_id[u].sort_order, u)
                              if u in index.by_id else (0, u)):
            name = index.name(unit_id) if unit_id in index.by_id else str(unit_id)
            db.execute("INSERT INTO contest_competitors (contest_id, name, unit_id, is_team) VALUES (?, ?, ?, 1)",
                       [contest_id, name, unit_id])
            added.append(name)
        for unit_id, t in have.items():
            if unit_id not in wanted:
                if db.execute("SELECT 1 FROM contest_scores WHERE competitor_id = ? UNION ALL"
                              " SELECT 1 FROM contest_deductions WHERE competitor_id = ? LIMIT 1",
                              [t.id, t.id]).fetchone():
                    kept.append(t.name)
                    continue
                db.execute("DELETE FROM contest_codes WHERE competitor_id = ?", [t.id])
                db.execute("DELETE FROM contest_competitors WHERE id = ?", [t.id])
                removed.append(t.name)
            elif unit_id in index.by_id and index.name(unit_id) != t.name:
                db.execute("UPDATE contest_competitors SET name = ? WHERE id = ?", [index.name(unit_id), t.id])
                renamed.append(index.name(unit_id))
    return TeamSync(tuple(added), tuple(removed), tuple(renamed), tuple(kept))


def judges(db: Database, contest_id: int) -> list[Judge]:
    rows = db.execute("SELECT id, contest_id, code, name, unit_id, unit_text, is_chief FROM contest_judges"
                      " WHERE contest_id = ?", [contest_id]).fetchall()
    found = [Judge(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows]
    return sorted(found, key=lambda j: code_key(j.code))


def add_competitor(db: Database, contest_id: int, name: str, unit_id: int, *, id_number: str = "",
                   person_id: int | None = None, draw_no: int | None = None, sync: bool = True) -> Competitor:
    """A competitor (sync=False: the caller runs sync_teams once after adding many)."""
    name = name.strip()
    if not name:
        raise ContestError("选手姓名不能为空")
    with db.atomic():
        contest.require_contest(db, contest_id)
        if id_number and db.execute("SELECT 1 FROM contest_competitors WHERE contest_id = ? AND id_number = ?",
                                    [contest_id, id_number]).fetchone():
            raise ContestError(f"身份证号{id_number}的选手已在本次比武中")
        if person_id is not None and db.execute(
                "SELECT 1 FROM contest_competitors WHERE contest_id = ? AND person_id = ?",
                [contest_id, person_id]).fetchone():
            raise ContestError(f"{name}已是本次比武的选手")
        if draw_no is not None and db.execute(
                "SELECT 1 FROM contest_competitors WHERE contest_id = ? AND draw_no = ?",
                [contest_id, draw_no]).fetchone():
            raise ContestError(f"抽签号{draw_no}已被占用")
        cur = db.execute(
            "INSERT INTO contest_competitors (contest_id, person_id, name, id_number, unit_id, draw_no)"
            " VALUES (?, ?, ?, ?, ?, ?)", [contest_id, person_id, name, id_number, unit_id, draw_no])
        if sync:
            sync_teams(db, contest_id)
    return Competitor(int(cur.lastrowid or 0), contest_id, person_id, name, id_number, unit_id, draw_no)


def add_from_register(db: Database, contest_id: int, person_ids: Iterable[int]) -> list[Competitor]:
    """Enter people from the personnel register (name, ID number and unit copied as they are today)."""
    added = []
    with db.atomic():
        for pid in person_ids:
            p = people.get(db, pid)
            if p is None:
                raise ContestError("名册中没有此人")
            added.append(add_competitor(db, contest_id, p.name, p.unit_id, id_number=p.id_number, person_id=pid,
                                        sync=False))
        sync_teams(db, contest_id)
    return added


def remove_competitor(db: Database, competitor_id: int) -> None:
    with db.atomic():
        row = db.execute("SELECT contest_id, is_team FROM contest_competitors WHERE id = ?", [competitor_id]).fetchone()
        if row is None:
            return
        if row[1]:
            raise ContestError("参赛队伍按选手的单位自动生成，不能单独移除")
        if db.execute("SELECT 1 FROM contest_scores WHERE competitor_id = ? LIMIT 1", [competitor_id]).fetchone():
            raise ContestError("该选手已有成绩，不能移除")
        db.execute("DELETE FROM contest_codes WHERE competitor_id = ?", [competitor_id])
        db.execute("DELETE FROM contest_competitors WHERE id = ?", [competitor_id])
        sync_teams(db, int(row[0]))


def add_judge(db: Database, contest_id: int, code: str, name: str, unit_id: int | None, *, unit_text: str = "",
              is_chief: bool = False) -> Judge:
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise ContestError("评委编号和姓名不能为空")
    with db.atomic():
        contest.require_contest(db, contest_id)
        if db.execute("SELECT 1 FROM contest_judges WHERE contest_id = ? AND code = ?", [contest_id, code]).fetchone():
            raise ContestError(f"评委编号{code}已被占用")
        cur = db.execute(
            "INSERT INTO contest_judges (contest_id, code, name, unit_id, unit_text, is_chief)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [contest_id, code, name, unit_id, unit_text, int(is_chief)])
    return Judge(int(cur.lastrowid or 0), contest_id, code, name, unit_id, unit_text, is_chief)


def assign(db: Database, item_id: int, judge_id: int) -> AssignmentReport:
    """Let a judge score an item. Their own unit's competitors are left off their sheet (the report lists
    them, and any competitor left with fewer judges than the method needs)."""
    item = contest.require_item(db, item_id)
    with db.atomic():
        _insert_assignment(db, item, judge_id)
    return assignment_report(Panel.load(db, item.contest_id), item, judge_id)


def assign_all(db: Database, item_id: int, judge_ids: Sequence[int]) -> list[AssignmentReport]:
    """assign() for a whole panel of judges at once (one transaction, one report each)."""
    item = contest.require_item(db, item_id)
    with db.atomic():
        for judge_id in judge_ids:
            _insert_assignment(db, item, judge_id)
    panel = Panel.load(db, item.contest_id)
    return [assignment_report(panel, item, j) for j in judge_ids]


def _insert_assignment(db: Database, item: Item, judge_id: int) -> None:
    if not item.judged:
        raise ContestError(f"“{item.name}”是单一成绩项目，不设评委")
    if item.locked:
        raise ContestError(f"“{item.name}”已锁定")
    row = db.execute("SELECT contest_id FROM contest_judges WHERE id = ?", [judge_id]).fetchone()
    if row is None or row[0] != item.contest_id:
        raise ContestError("评委不属于本次比武")
    db.execute("INSERT OR IGNORE INTO contest_assignments (item_id, judge_id) VALUES (?, ?)", [item.id, judge_id])


def assignment_report(panel: Panel, item: Item, judge_id: int) -> AssignmentReport:
    judge = panel.judge_by_id[judge_id]
    need = contest.MIN_SCORES.get(item.aggregate_method, 1)
    entrants = panel.entrants(item)
    recused = tuple(c for c in entrants if panel.recused(judge, c))
    short = tuple((c, n, need) for c in entrants if (n := len(panel.expected_judges(item, c))) < need)
    return AssignmentReport(judge, item, recused, short)


def unassign(db: Database, item_id: int, judge_id: int) -> None:
    with db.atomic():
        if db.execute("SELECT 1 FROM contest_scores WHERE item_id = ? AND judge_id = ? LIMIT 1",
                      [item_id, judge_id]).fetchone():
            raise ContestError("该评委在此项目已有评分，不能取消分配")
        db.execute("DELETE FROM contest_assignments WHERE item_id = ? AND judge_id = ?", [item_id, judge_id])


def teams(panel: Panel, members: Sequence[Competitor] | None = None) -> dict[int, list[Competitor]]:
    """Team unit id → its competitors (by draw number)."""
    out: dict[int, list[Competitor]] = {}
    for c in members if members is not None else panel.competitors:
        out.setdefault(panel.team_of[c.id], []).append(c)
    return out
