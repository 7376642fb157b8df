"""Setting up a contest by hand (the 设置 tab): its details, items with their rules, judges and which items they
score, and competitors. The rules themselves live in trainer.contest and trainer.contest_people; this module
edits what they create, each change in one transaction, and logs what bears on results in the audit chain.

    c = contest_setup.create_contest(db, NewContest("第二届执法技能比武", ...), "裁判长")
    item = contest_setup.add_item(db, c.id, ItemSetup(NewItem("执法文书制作", DROP_HIGH_LOW, ...)), "裁判长")
    contest_setup.update_item(db, item.id, ItemSetup(..., criteria=(("仪容仪表", Decimal(10)), ...)), "裁判长")
    contest_setup.move_item(db, item.id, -1)                                      # one place up in the sheet
    judge = contest_setup.add_judge(db, c.id, JudgeSpec("J1", "周明", unit_id), "裁判长")
    change = contest_setup.set_assignments(db, c.id, {item.id: {judge.id}}, "裁判长")  # reports: who is recused
    contest_setup.add_from_register(db, c.id, [person_id, ...], "裁判长")

Once an item has scores (or is locked) its rules are fixed: editing or deleting it is refused, as is removing a
judge or a competitor with scores. Judges and competitors may still be renamed.

团体 items: adding an item as 团体, making an item 团体 or 个人, or deleting one brings the team rows up to date
at once (contest_people.sync_teams: one per team unit with competitors while the contest has a 团体 item), so the
teams show in the tab and on the item's sheets before the draw; their 队号 come from the draw. draw_state says
what the 抽签 button may do: the whole draw (抽签号, 队号 and the blind items' 密封编号, draw.draw_contest) until
scores exist, 队号 alone when the competitors are drawn and some teams have no 队号 yet (e.g. an item made 团体
after the draw), or 密封编号 alone for an item made blind after the draw (draw_sealed_codes).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlite_utils import Database

from trainer import audit, contest, contest_people, draw
from trainer.contest import RUBRIC, SINGLE, Contest, ContestError, Item, NewContest, NewItem
from trainer.contest_people import EXTERNAL_PREFIX, AssignmentReport, Competitor, Judge, Panel, code_key
from trainer.contest_values import fmt_decimal, to_milli

# ---- the contest -------------------------------------------------------------------------------------


def contest_spec(c: Contest) -> NewContest:
    """A contest's details as a form edits them."""
    return NewContest(c.name, c.start_date, c.end_date, c.venue, c.organiser, c.team_mode, c.team_best_n)


def _contest_text(spec: NewContest) -> str:
    team = contest.TEAM_SUM if spec.team_mode != contest.TEAM_BEST else f"前{spec.team_best_n}名"
    dates = "至".join(d.isoformat() for d in (spec.start_date, spec.end_date) if d) or "日期未定"
    return f"{spec.name.strip()}；{dates}；{spec.venue.strip()}；{spec.organiser.strip()}；团体成绩{team}"


def create_contest(db: Database, spec: NewContest, actor: str) -> Contest:
    with db.atomic():
        c = contest.create_contest(db, spec)
        audit.append(db, audit.Entry(audit.CONTEST_CREATE, actor, c.id, new=_contest_text(spec)))
    return c


def update_contest(db: Database, contest_id: int, spec: NewContest, actor: str) -> Contest:
    """Change a contest's name, dates, venue, organiser and team mode (the team mode changes team results, so
    every change is logged)."""
    contest.validate_contest(spec)
    with db.atomic():
        before = contest.require_contest(db, contest_id)
        db.execute("UPDATE contests SET name = ?, start_date = ?, end_date = ?, venue = ?, organiser = ? WHERE id = ?",
                   [spec.name.strip(), spec.start_date.isoformat() if spec.start_date else None,
                    spec.end_date.isoformat() if spec.end_date else None, spec.venue.strip(),
                    spec.organiser.strip(), contest_id])
        contest.set_team_mode(db, contest_id, spec.team_mode, spec.team_best_n)
        old, new = _contest_text(contest_spec(before)), _contest_text(spec)
        if old != new:
            audit.append(db, audit.Entry(audit.CONTEST_EDIT, actor, contest_id, old=old, new=new))
    return contest.require_contest(db, contest_id)


# ---- items -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSetup:
    """An item as the item form gives it: its rules (NewItem), for 评分细则 its criteria (name, 满分), for
    单一成绩 an optional conversion table (measured value limit, points) with the measured value's unit,
    decimals and direction."""
    spec: NewItem
    criteria: tuple[tuple[str, Decimal], ...] = ()
    conversions: tuple[tuple[Decimal, Decimal], ...] = ()
    lower_is_better: bool = True
    raw_unit: str = ""
    raw_decimals: int = 2


def item_setup(item: Item) -> ItemSetup:
    """A stored item as the item form shows it."""
    spec = NewItem(item.name, item.method, item.full_marks, item.weight, item.decimals, item.tiebreak,
                   item.max_spread, item.rubric_method, item.kind, item.blind)
    return ItemSetup(spec, tuple((c.name, c.max_points) for c in item.criteria),
                     tuple((c.limit, c.points) for c in item.conversions), item.lower_is_better, item.raw_unit,
                     item.raw_decimals)


def item_text(item: Item) -> str:
    """One line for the audit log: an item's rules."""
    parts = [item.name, item.kind, item.method_text, f"满分{fmt_decimal(item.full_marks)}",
             f"权重{fmt_decimal(item.weight)}%", f"小数位{item.decimals}"]
    if item.tiebreak is not None:
        parts.append(f"决胜顺序{item.tiebreak}")
    if item.max_spread is not None:
        parts.append(f"分差上限{fmt_decimal(item.max_spread)}")
    if item.blind:
        parts.append("密封评审")
    if item.criteria:
        parts.append("细则" + "、".join(f"{c.name}{fmt_decimal(c.max_points)}" for c in item.criteria))
    if item.conversions:
        sign = "≤" if item.lower_is_better else "≥"
        parts.append("换算表" + "、".join(f"{sign}{fmt_decimal(c.limit)}{item.raw_unit}→{fmt_decimal(c.points)}"
                                        for c in item.conversions))
    return "；".join(parts)


def fixed_reason(db: Database, item: Item, doing: str = "再修改评分规则") -> str | None:
    """Why an item's rules can no longer change ('“文书”已锁定，不能…'), or None while they still may."""
    if item.locked:
        return f"“{item.name}”已锁定，不能{doing}"
    if contest.item_has_scores(db, item.id):
        return f"“{item.name}”已有成绩，不能{doing}"
    return None


def _refuse_if_fixed(db: Database, item: Item, doing: str) -> None:
    reason = fixed_reason(db, item, doing)
    if reason:
        raise ContestError(reason)


def _apply_rules(db: Database, item_id: int, setup: ItemSetup) -> Item:
    """Criteria and conversion table after the item row is written (inside the caller's transaction)."""
    method = setup.spec.method
    if method == RUBRIC:
        contest.set_criteria(db, item_id, setup.criteria)
    else:
        db.execute("DELETE FROM contest_criteria WHERE item_id = ?", [item_id])
    if method == SINGLE and setup.conversions:
        contest.set_conversions(db, item_id, setup.conversions, lower_is_better=setup.lower_is_better,
                                unit=setup.raw_unit.strip(), raw_decimals=setup.raw_decimals)
    else:
        db.execute("DELETE FROM contest_conversions WHERE item_id = ?", [item_id])
        db.execute("UPDATE contest_items SET raw_unit = '', raw_decimals = 2, lower_is_better = 1 WHERE id = ?",
                   [item_id])
    if method == SINGLE:  # a measured value has no judges
        db.execute("DELETE FROM contest_assignments WHERE item_id = ?", [item_id])
    return contest.require_item(db, item_id)


def add_item(db: Database, contest_id: int, setup: ItemSetup, actor: str) -> Item:
    """A new item at the end of the sheet, with its criteria or conversion table; all or nothing. A 团体 item
    brings the teams (one per team unit with competitors) at once."""
    with db.atomic():
        contest.require_contest(db, contest_id)
        item = contest.add_item(db, contest_id, setup.spec)
        item = _apply_rules(db, item.id, setup)
        audit.append(db, audit.Entry(audit.ITEM_ADD, actor, contest_id, item.id, new=item_text(item)))
        if item.team:
            contest_people.sync_teams(db, contest_id)
    return item


def update_item(db: Database, item_id: int, setup: ItemSetup, actor: str) -> Item:
    """Change an item's rules; refused once it has scores or is locked."""
    spec = setup.spec
    contest.validate_item(spec)
    with db.atomic():
        before = contest.require_item(db, item_id)
        _refuse_if_fixed(db, before, "再修改评分规则")
        contest.check_item_unique(db, before.contest_id, spec, except_id=item_id)
        db.execute(
            "UPDATE contest_items SET name = ?, kind = ?, method = ?, rubric_method = ?, full_marks_x1000 = ?,"
            " weight_x100 = ?, decimals = ?, tiebreak = ?, max_spread_x1000 = ?, blind = ? WHERE id = ?",
            [spec.name.strip(), spec.kind, spec.method, spec.rubric_method, to_milli(spec.full_marks),
             int(spec.weight * 100), spec.decimals, spec.tiebreak,
             to_milli(spec.max_spread) if spec.max_spread is not None else None, int(spec.blind), item_id])
        if before.kind != spec.kind:  # the codes were drawn for the other kind of entrant (teams or competitors)
            db.execute("DELETE FROM contest_codes WHERE item_id = ?", [item_id])
        item = _apply_rules(db, item_id, setup)
        old, new = item_text(before), item_text(item)
        if old != new:
            audit.append(db, audit.Entry(audit.ITEM_EDIT, actor, item.contest_id, item_id, old=old, new=new))
        if before.kind != item.kind:
            contest_people.sync_teams(db, item.contest_id)
    return item


def delete_item(db: Database, item_id: int, actor: str) -> None:
    """Remove an item with its criteria, table, codes and judge assignments; refused once scored or locked."""
    with db.atomic():
        item = contest.require_item(db, item_id)
        _refuse_if_fixed(db, item, "删除")
        db.execute("DELETE FROM contest_items WHERE id = ?", [item_id])
        audit.append(db, audit.Entry(audit.ITEM_DELETE, actor, item.contest_id, item_id, old=item_text(item)))
        if item.team:  # the last 团体 item gone: so are the teams (none of them can have scores of it)
            contest_people.sync_teams(db, item.contest_id)


def move_item(db: Database, item_id: int, step: int) -> list[Item]:
    """Move an item `step` places in the sheet (-1 up, +1 down); the order is display only, so no log entry.
    Returns the items in their new order."""
    with db.atomic():
        item = contest.require_item(db, item_id)
        order = [it.id for it in contest.items(db, item.contest_id)]
        at = order.index(item_id)
        to = max(0, min(len(order) - 1, at + step))
        order.insert(to, order.pop(at))
        db.conn.executemany("UPDATE contest_items SET sort_order = ? WHERE id = ?",
                            [(n, iid) for n, iid in enumerate(order, start=1)])
    return contest.items(db, item.contest_id)


@dataclass(frozen=True)
class DrawState:
    """What the draw may do now (the 设置 tab's 抽签 button): the whole draw, or the teams' 队号 alone."""
    competitors: int
    undrawn: int            # competitors without a 抽签号
    team_items: bool
    teams: int
    unnumbered: int         # team rows without a 队号
    scored: bool            # the contest has scores: 抽签号 are fixed
    teams_scored: bool      # a 团体 item has scores: 队号 are fixed
    codes_missing: tuple[str, ...] = ()   # blind items some entrant has no sealed code for, not scored yet
    codes_stuck: tuple[str, ...] = ()     # the same, but scored already: codes can no longer be drawn

    @property
    def can_code(self) -> bool:
        """密封编号 for blind items lacking them: drawn with the 抽签号 (draw.draw_contest), or alone for an item
        made blind later (draw_sealed_codes)."""
        return bool(self.codes_missing) and self.competitors > 0

    @property
    def can_draw(self) -> bool:
        """The whole draw: 抽签号 for every competitor, 队号 for the teams (团体 items) and 密封编号 for the blind
        items."""
        return self.competitors > 0 and not self.scored

    @property
    def can_number_teams(self) -> bool:
        """队号 alone: the competitors are drawn and some teams still have no 队号."""
        return (self.team_items and self.unnumbered > 0 and not self.teams_scored and self.competitors > 0
                and self.undrawn == 0)

    @property
    def note(self) -> str:
        """One line under the competitors: what is still to draw, or why no draw is possible."""
        parts = []
        if self.undrawn and not self.scored:
            parts.append(f"{self.undrawn} 名选手未抽签")
        if self.team_items and self.unnumbered:
            parts.append(f"{self.unnumbered} 支队伍未抽取队号" + ("（团体项目已有成绩，不能再抽取）"
                                                               if self.teams_scored else ""))
        if self.codes_missing:
            parts.append(f"密封项目“{'、'.join(self.codes_missing)}”未抽取密封编号")
        if self.codes_stuck:
            parts.append(f"密封项目“{'、'.join(self.codes_stuck)}”缺密封编号且已有成绩，请按抽签号评分")
        if self.scored and not parts:
            parts.append("已有成绩，不能重新抽签")
        return "；".join(parts)


def draw_state(db: Database, contest_id: int) -> DrawState:
    panel = Panel.load(db, contest_id)
    teams_scored = db.execute(
        "SELECT 1 FROM contest_scores s JOIN contest_items i ON i.id = s.item_id WHERE i.contest_id = ?"
        " AND i.kind = ? LIMIT 1", [contest_id, contest.TEAM]).fetchone() is not None
    missing, stuck = blind_items_without_codes(db, contest_id, panel)
    return DrawState(len(panel.competitors), sum(1 for c in panel.competitors if c.draw_no is None),
                     contest_people.has_team_items(db, contest_id), len(panel.team_entries),
                     sum(1 for t in panel.team_entries if t.team_no is None), has_scores(db, contest_id),
                     teams_scored, tuple(it.name for it in missing), tuple(it.name for it in stuck))


def blind_items_without_codes(db: Database, contest_id: int, panel: Panel | None = None
                              ) -> tuple[list[Item], list[Item]]:
    """Blind (密封) items some entrant has no sealed code for: (those that can still be coded, those already
    scored). Judges' kits and score sheets of a blind item need every entrant's code."""
    panel = panel or Panel.load(db, contest_id)
    codable: list[Item] = []
    stuck: list[Item] = []
    for it in contest.items(db, contest_id):
        entrants = panel.entrants(it)
        if not it.blind or not entrants:
            continue
        codes = draw.codes(db, it.id)
        if all(e.id in codes for e in entrants):
            continue
        scored = contest.item_has_scores(db, it.id)
        (stuck if scored else codable).append(it)
    return codable, stuck


def draw_sealed_codes(db: Database, contest_id: int, actor: str, seed: str | None = None) -> list[draw.DrawRecord]:
    """Sealed codes for every blind item that lacks them: an item made blind, or entrants added, after the draw
    (draw.draw_contest codes the blind items with the numbers). Each item's draw is seeded and recorded; one
    transaction. With `seed` each item's seed is derived from it as the whole draw does (draw.code_seed)."""
    with db.atomic():
        codable, _stuck = blind_items_without_codes(db, contest_id)
        return [draw.draw_codes(db, it.id, actor, seed=draw.code_seed(seed, it) if seed is not None else None)
                for it in codable]


def weights_note(db: Database, contest_id: int) -> str | None:
    """'权重合计为90，应为100' while the items' weights do not add up to 100 (None when they do)."""
    found = contest.items(db, contest_id)
    return contest.weights_problem(found) if found else "还没有比武项目"


# ---- judges ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JudgeSpec:
    """A judge as the form gives them: `unit_id` None for an external (外聘) judge, whose `unit_text` names
    where they come from (stored as “外聘：平顶山学院”, as a workbook has it)."""
    code: str
    name: str
    unit_id: int | None
    unit_text: str = ""
    is_chief: bool = False

    def stored_unit_text(self) -> str:
        if self.unit_id is not None:
            return ""
        text = self.unit_text.strip().removeprefix(EXTERNAL_PREFIX).lstrip("：:").strip()
        return f"{EXTERNAL_PREFIX}：{text}" if text else EXTERNAL_PREFIX


def judge_spec(judge: Judge) -> JudgeSpec:
    """A stored judge as the form shows them (“外聘：平顶山学院” → 平顶山学院)."""
    text = judge.unit_text.removeprefix(EXTERNAL_PREFIX).lstrip("：:").strip()
    return JudgeSpec(judge.code, judge.name, judge.unit_id, text, judge.is_chief)


def _judge_text(db: Database, judge: Judge) -> str:
    unit = Panel.load(db, judge.contest_id).judge_unit_text(judge)
    return f"{judge.code} {judge.name}（{unit}）" + ("裁判长" if judge.is_chief else "")


def _require_judge(db: Database, judge_id: int) -> Judge:
    row = db.execute("SELECT contest_id FROM contest_judges WHERE id = ?", [judge_id]).fetchone()
    found = next((j for j in contest_people.judges(db, row[0]) if j.id == judge_id), None) if row else None
    if found is None:
        raise ContestError("评委不存在")
    return found


def _judge_has_scores(db: Database, judge_id: int) -> bool:
    return any(db.execute(f"SELECT 1 FROM {table} WHERE judge_id = ? LIMIT 1", [judge_id]).fetchone()
               for table in ("contest_scores", "contest_score_checks", "contest_submissions"))


def _one_chief(db: Database, contest_id: int, judge_id: int) -> None:
    db.execute("UPDATE contest_judges SET is_chief = (id = ?) WHERE contest_id = ?", [judge_id, contest_id])


def add_judge(db: Database, contest_id: int, spec: JudgeSpec, actor: str) -> Judge:
    """A new judge (the chief judge replaces any earlier one); assign items with set_assignments."""
    with db.atomic():
        judge = contest_people.add_judge(db, contest_id, spec.code, spec.name, spec.unit_id,
                                         unit_text=spec.stored_unit_text(), is_chief=spec.is_chief)
        if spec.is_chief:
            _one_chief(db, contest_id, judge.id)
        audit.append(db, audit.Entry(audit.JUDGE_ADD, actor, contest_id, judge_id=judge.id, new=_judge_text(db, judge)))
    return judge


def update_judge(db: Database, judge_id: int, spec: JudgeSpec, actor: str) -> Judge:
    """Change a judge's code, name, unit or chief role. Once they have scores or a kit was exported for them,
    the code (what score files name) and the unit (what recusal goes by) stay as they are."""
    code, name = spec.code.strip(), spec.name.strip()
    if not code or not name:
        raise ContestError("评委编号和姓名不能为空")
    with db.atomic():
        before = _require_judge(db, judge_id)
        unit_text = spec.stored_unit_text()
        moved = spec.unit_id != before.unit_id or (spec.unit_id is None and unit_text != before.unit_text)
        if (code != before.code or moved) and _judge_has_scores(db, judge_id):
            raise ContestError(f"评委{before.code}已有评分，不能再修改评委编号或单位（回避关系会改变）")
        if (code != before.code or moved) and db.execute(
                "SELECT 1 FROM contest_judge_kits WHERE judge_id = ? LIMIT 1", [judge_id]).fetchone():
            raise ContestError(f"评委{before.code}的评分包已导出，不能再修改评委编号或单位")
        if db.execute("SELECT 1 FROM contest_judges WHERE contest_id = ? AND code = ? AND id != ?",
                      [before.contest_id, code, judge_id]).fetchone():
            raise ContestError(f"评委编号{code}已被占用")
        db.execute("UPDATE contest_judges SET code = ?, name = ?, unit_id = ?, unit_text = ?, is_chief = ?"
                   " WHERE id = ?", [code, name, spec.unit_id, unit_text, int(spec.is_chief), judge_id])
        if spec.is_chief:
            _one_chief(db, before.contest_id, judge_id)
        after = _require_judge(db, judge_id)
        old, new = _judge_text(db, before), _judge_text(db, after)
        if old != new:
            audit.append(db, audit.Entry(audit.JUDGE_EDIT, actor, before.contest_id, judge_id=judge_id, old=old,
                                         new=new))
    return after


def remove_judge(db: Database, judge_id: int, actor: str) -> None:
    """Remove a judge and their assignments (and unused kits); refused once they have scores."""
    with db.atomic():
        judge = _require_judge(db, judge_id)
        if _judge_has_scores(db, judge_id):
            raise ContestError(f"评委{judge.code} {judge.name}已有评分，不能删除")
        text = _judge_text(db, judge)
        db.execute("DELETE FROM contest_judges WHERE id = ?", [judge_id])
        audit.append(db, audit.Entry(audit.JUDGE_REMOVE, actor, judge.contest_id, judge_id=judge_id, old=text))


# ---- assignments -------------------------------------------------------------------------------------

Wanted = Mapping[int, Collection[int]]  # item id → the judge ids who score it


@dataclass(frozen=True)
class AssignmentChange:
    """What set_assignments did: a recusal report for every judge newly on an item, and what was taken off."""
    added: tuple[AssignmentReport, ...]
    removed: tuple[tuple[Item, Judge], ...]

    def summary(self) -> str:
        return f"新分配 {len(self.added)} 项，取消 {len(self.removed)} 项"


def current_assignments(db: Database, contest_id: int) -> dict[int, set[int]]:
    return {item_id: set(ids) for item_id, ids in Panel.load(db, contest_id).assigned.items()}


def preview_assignments(db: Database, contest_id: int, wanted: Wanted) -> list[AssignmentReport]:
    """The recusal report of every (judged item, judge) pair in `wanted`, as if saved: nothing is written."""
    panel = Panel.load(db, contest_id)
    order = {j.id: i for i, j in enumerate(panel.judges)}
    items = [it for it in contest.items(db, contest_id) if it.judged]
    panel.assigned = {it.id: sorted((j for j in wanted.get(it.id, ()) if j in order), key=order.__getitem__)
                      for it in items}
    return [contest_people.assignment_report(panel, it, jid) for it in items for jid in panel.assigned[it.id]]


def set_assignments(db: Database, contest_id: int, wanted: Wanted, actor: str) -> AssignmentChange:
    """Make the judges of every item exactly `wanted` (items not named keep theirs), in one transaction.
    Refused as a whole when a locked item would change or a judge with scores would be taken off an item."""
    judges = {j.id: j for j in contest_people.judges(db, contest_id)}
    items = {it.id: it for it in contest.items(db, contest_id)}
    have = current_assignments(db, contest_id)
    added: list[tuple[Item, int]] = []
    removed: list[tuple[Item, Judge]] = []
    entries: list[audit.Entry] = []
    with db.atomic():
        for item_id, ids in wanted.items():
            item = items.get(item_id)
            if item is None:
                raise ContestError("项目不属于本次比武")
            want, had = set(ids), have.get(item_id, set())
            if want == had:
                continue
            if item.locked:
                raise ContestError(f"“{item.name}”已锁定，不能再调整评委")
            for judge_id in sorted(had - want):
                try:
                    contest_people.unassign(db, item_id, judge_id)
                except ContestError as exc:
                    raise ContestError(f"评委{judges[judge_id].code}在“{item.name}”已有评分，不能取消分配") from exc
                removed.append((item, judges[judge_id]))
                entries.append(audit.Entry(audit.UNASSIGN, actor, contest_id, item_id, judge_id=judge_id,
                                           old=judges[judge_id].code))
            new = sorted(want - had, key=lambda j: code_key(judges[j].code))
            if new:
                contest_people.assign_all(db, item_id, new)
                added.extend((item, j) for j in new)
                entries.extend(audit.Entry(audit.ASSIGN, actor, contest_id, item_id, judge_id=j, new=judges[j].code)
                               for j in new)
        audit.append_many(db, entries)
    panel = Panel.load(db, contest_id)
    order = {j.id: i for i, j in enumerate(panel.judges)}
    added.sort(key=lambda pair: (pair[0].sort_order, order[pair[1]]))
    reports = tuple(contest_people.assignment_report(panel, item, j) for item, j in added)
    return AssignmentChange(reports, tuple(removed))


def report_text(reports: Sequence[AssignmentReport]) -> str:
    """The recusals and shortfalls of an assignment, for the chief judge to read."""
    lines = []
    for r in reports:
        if r.recused:
            names = "、".join(f"{c.name}" for c in r.recused[:6]) + ("等" if len(r.recused) > 6 else "")
            lines.append(f"{r.judge.code} {r.judge.name}在“{r.item.name}”回避本单位选手 {len(r.recused)} 人：{names}")
    short: dict[tuple[int, int], tuple[Item, Competitor, int, int]] = {}
    for r in reports:
        for comp, n, need in r.short:
            short[(r.item.id, comp.id)] = (r.item, comp, n, need)
    by_item: dict[int, list[tuple[Item, Competitor, int, int]]] = {}
    for entry in short.values():
        by_item.setdefault(entry[0].id, []).append(entry)
    for found in by_item.values():
        item, _c, _n, need = found[0]
        names = "、".join(f"{c.name}（{n}名）" for _i, c, n, _need in found[:6]) + ("等" if len(found) > 6 else "")
        lines.append(f"注意：“{item.name}”按“{item.aggregate_method}”需{need}名评委，"
                     f"{len(found)} 名选手可评分的评委不足：{names}")
    return "\n".join(lines)


# ---- competitors -------------------------------------------------------------------------------------


NO_MORE_COMPETITORS = "比武已有成绩，不能再添加选手（已不能重新抽签）"


def has_scores(db: Database, contest_id: int) -> bool:
    return db.execute("SELECT 1 FROM contest_scores s JOIN contest_items i ON i.id = s.item_id WHERE i.contest_id = ?"
                      " LIMIT 1", [contest_id]).fetchone() is not None


def _refuse_if_contest_scored(db: Database, contest_id: int) -> None:
    if has_scores(db, contest_id):
        raise ContestError(NO_MORE_COMPETITORS)


def _competitor_entries(db: Database, contest_id: int, added: Sequence[Competitor], actor: str) -> list[audit.Entry]:
    panel = Panel.load(db, contest_id)
    return [audit.Entry(audit.COMPETITOR_ADD, actor, contest_id, competitor_id=c.id,
                        new=f"{c.name}（{panel.unit_name(c.unit_id)}）") for c in added]


def add_from_register(db: Database, contest_id: int, person_ids: Sequence[int], actor: str) -> list[Competitor]:
    """People from the personnel register as competitors (no draw number until the draw); all or nothing."""
    with db.atomic():
        _refuse_if_contest_scored(db, contest_id)
        added = contest_people.add_from_register(db, contest_id, person_ids)
        audit.append_many(db, _competitor_entries(db, contest_id, added, actor))
    return added


def add_competitor(db: Database, contest_id: int, name: str, unit_id: int | None, actor: str) -> Competitor:
    """A competitor typed by hand (not on the register): name and unit."""
    if unit_id is None:
        raise ContestError("请选择选手所在单位")
    with db.atomic():
        _refuse_if_contest_scored(db, contest_id)
        added = contest_people.add_competitor(db, contest_id, name, unit_id)
        audit.append_many(db, _competitor_entries(db, contest_id, [added], actor))
    return added


def update_competitor(db: Database, competitor_id: int, name: str, unit_id: int | None, actor: str) -> Competitor:
    """Correct a competitor typed by hand (a typo in the name, the wrong unit). One from the register keeps
    the register's name (corrected in 人员名册). The unit decides recusal and the team, so it cannot change once
    the competitor has scores; the name can, and the change is in the audit log either way."""
    name = name.strip()
    if not name:
        raise ContestError("选手姓名不能为空")
    if unit_id is None:
        raise ContestError("请选择选手所在单位")
    with db.atomic():
        row = db.execute("SELECT contest_id, person_id, name, unit_id, is_team FROM contest_competitors WHERE id = ?",
                         [competitor_id]).fetchone()
        if row is None or row[4]:
            raise ContestError("没有这名选手")
        contest_id, person_id, old_name, old_unit = int(row[0]), row[1], str(row[2]), int(row[3])
        if person_id is not None and name != old_name:
            raise ContestError(f"{old_name}来自人员名册：姓名请在“人员名册”中修改")
        if unit_id != old_unit and db.execute(
                "SELECT 1 FROM contest_scores WHERE competitor_id = ? LIMIT 1", [competitor_id]).fetchone():
            raise ContestError(f"{old_name}已有成绩，单位决定评委回避和代表队，不能再改")
        if (name, unit_id) != (old_name, old_unit):
            db.execute("UPDATE contest_competitors SET name = ?, unit_id = ? WHERE id = ?",
                       [name, unit_id, competitor_id])
            contest_people.sync_teams(db, contest_id)
            panel = Panel.load(db, contest_id)
            audit.append(db, audit.Entry(audit.COMPETITOR_EDIT, actor, contest_id, competitor_id=competitor_id,
                                         old=f"{old_name}（{panel.unit_name(old_unit)}）",
                                         new=f"{name}（{panel.unit_name(unit_id)}）"))
    return next(c for c in contest_people.competitors(db, contest_id) if c.id == competitor_id)


def remove_competitors(db: Database, contest_id: int, competitor_ids: Sequence[int], actor: str) -> int:
    """Remove competitors; refused as a whole (naming them) when any of them has scores."""
    found = {c.id: c for c in contest_people.competitors(db, contest_id)}
    chosen = [found[i] for i in competitor_ids if i in found]
    with db.atomic():
        scored = [c.name for c in chosen if db.execute(
            "SELECT 1 FROM contest_scores WHERE competitor_id = ? LIMIT 1", [c.id]).fetchone()]
        if scored:
            raise ContestError(f"{'、'.join(scored)}已有成绩，不能移除")
        for c in chosen:
            contest_people.remove_competitor(db, c.id)
        audit.append_many(db, [audit.Entry(audit.COMPETITOR_REMOVE, actor, contest_id, competitor_id=c.id,
                                           old=f"{c.draw_no}号 {c.name}" if c.draw_no else c.name) for c in chosen])
    return len(chosen)

