"""The contest workbook and score files: every row checked first, then everything written in one transaction,
or nothing (like the roster import). Problems are RowProblem lines `第R行 列名: 原因`; a problem in a
workbook sheet names the sheet at the start of its reason (`第3行 权重: 比武项目表：…`).

    plan = contest_import.plan_workbook(db, read_sheets(path), default_name=path.stem)
    if plan.ok: contest_id = contest_import.apply_workbook(db, plan, actor="…", origin=path.name).contest_id
    splan = contest_import.plan_scores(db, contest_id, read_table(csv_path, "抽签号"))
    if splan.ok: contest_import.apply_scores(db, splan, actor="…", origin=csv_path.name)

Workbook sheets (issue 6, "Contest workbook and command-line contract"):
    比武信息 (optional)  字段, 内容 — 名称, 开始日期, 结束日期, 地点, 主办单位, 团体成绩 (合计 or 前N名), N
    比武项目             项目名称, 计分方式, 满分, 权重, 小数位 (default 2), 决胜顺序, 分差上限, 类型 (个人 or 团体)
    选手                 抽签号, 姓名, 身份证号 (optional), 单位
    评委                 评委编号, 姓名, 单位, 评分项目 — one row per judge and item
    评分 (optional)      项目名称, 抽签号, 评委编号 (empty for 单一成绩), 分数 [, 评分细则]
A score file (`contest scores import`) has the 评分 columns, plus 评分细则 (the criterion's name) for a 评分细则
item. For a 团体 item (scored per team, trainer.contest_people) the 抽签号 column holds the team's number (队号):
团体项目的抽签号填队号. A row whose 分数 is empty is "not scored" and stores nothing. The 评分 sheet of a
workbook is checked once the other sheets are clean (its rows refer to them). Scores are checked by the same
ScoringContext as typing (trainer.scoring): for a workbook, against a context built in memory from the other sheets, so
planning never writes.
Units resolve through UnitIndex (names and aliases); a judge whose 单位 starts with 外聘 is external.

团体 items (类型 团体, as in the window's 设置 tab): the 个人 items' weights sum to 100, a 团体 item's weight (0 to
100) adds to the team score only (contest.weights_problem). The import makes the teams (one per team unit with
competitors, contest_people.sync_teams) without 队号: those are drawn in the window afterwards, so 评分 rows of a
团体 item are refused until then (a score file brings them in after the draw). 团体成绩 says how the members'
totals count towards the team score: 合计 (the default) or 前N名 with N.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlite_utils import Database

from trainer import audit, backup, contest, contest_people, idnumber, people, scoring
from trainer.contest import MAX_DECIMALS, SOLO, TEAM, TEAM_BEST, TEAM_SUM, WORKBOOK_METHODS, Item, NewContest, NewItem
from trainer.contest_people import EXTERNAL_PREFIX, Competitor, Judge, Panel, team_unit_id
from trainer.contest_values import ValueProblem, fmt_decimal, parse_int, parse_number, show_plain, to_milli
from trainer.dates import DateError, parse_date
from trainer.person_fields import text
from trainer.scoring import ScoringContext, Slot
from trainer.tabular import CheckedFile, RawTable, RowProblem
from trainer.units import UnitIndex

INFO, ITEMS, COMPETITORS, JUDGES, SCORES = "比武信息", "比武项目", "选手", "评委", "评分"
INFO_FIELDS = ("名称", "开始日期", "结束日期", "地点", "主办单位", "团体成绩", "N")
ITEM_COLUMNS = ("项目名称", "计分方式", "满分", "权重", "小数位", "决胜顺序", "分差上限", "类型")
ITEM_REQUIRED = ("项目名称", "计分方式", "满分", "权重")
COMPETITOR_REQUIRED = ("抽签号", "姓名", "单位")
JUDGE_REQUIRED = ("评委编号", "姓名", "单位", "评分项目")
SCORE_COLUMNS = ("项目名称", "抽签号", "评委编号", "分数")
SCORE_REQUIRED = ("项目名称", "抽签号", "分数")
CRITERION_COLUMN = "评分细则"


@dataclass(frozen=True)
class PlannedCompetitor:
    row: int
    draw_no: int
    name: str
    id_number: str
    unit_id: int
    person_id: int | None


@dataclass(frozen=True)
class PlannedJudge:
    row: int
    code: str
    name: str
    unit_id: int | None
    unit_text: str
    items: tuple[str, ...]


@dataclass
class ScoresPlan(CheckedFile):
    contest_id: int
    values: list[tuple[int, Slot, int]] = field(default_factory=list)   # (row, slot, value × 1000), new only
    unchanged: int = 0        # rows equal to a stored value
    not_scored: int = 0       # rows with an empty 分数


@dataclass
class WorkbookPlan(CheckedFile):
    contest: NewContest | None = None
    items: list[tuple[int, NewItem]] = field(default_factory=list)
    competitors: list[PlannedCompetitor] = field(default_factory=list)
    judges: list[PlannedJudge] = field(default_factory=list)
    scores: ScoresPlan | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportedContest:
    contest_id: int
    items: int
    competitors: int
    judges: int
    scores: int

    def summary(self) -> str:
        return (f"已导入比武：项目 {self.items} 个，选手 {self.competitors} 人，评委 {self.judges} 人，"
                f"成绩 {self.scores} 条")


@dataclass(frozen=True)
class ScoresResult:
    added: int
    unchanged: int
    not_scored: int

    def summary(self) -> str:
        return f"已导入成绩 {self.added} 条（与已录入相同 {self.unchanged} 条，未评分 {self.not_scored} 行）"


@dataclass
class _Broken:
    """What the setup sheets got wrong, so that a 评分 row referring to it says so rather than '未知', and the rest
    of the row is still checked as far as it can be. None: the sheet could not be read (missing, no rows, or
    without its columns; that is reported already), so its names and numbers cannot be checked at all."""
    items: set[str] | None = field(default_factory=set)     # 项目名称 whose rules are unknown, or named twice
    draws: set[int] | None = field(default_factory=set)     # 抽签号 whose competitor is unknown, or given twice
    judges: set[str] | None = field(default_factory=set)    # 评委编号 whose name or unit is wrong


def _readable(table: RawTable | None, required: tuple[str, ...]) -> bool:
    return table is not None and bool(table.rows) and all(c in table.headers for c in required)


class _Sheet:
    """Problems for one sheet, with the sheet named in the reason when the file has several."""

    def __init__(self, problems: list[RowProblem], label: str):
        self.problems = problems
        self.prefix = f"{label}表：" if label else ""

    def add(self, row: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(row, column, self.prefix + message))

    def mark(self) -> int:
        return len(self.problems)

    def added_since(self, mark: int, columns: tuple[str, ...]) -> bool:
        """Problems in one of `columns` were added since `mark`."""
        return any(p.column in columns for p in self.problems[mark:])

    def require_columns(self, table: RawTable, columns: tuple[str, ...]) -> bool:
        missing = [c for c in columns if c not in table.headers]
        for c in missing:
            self.add(table.header_row, c, "缺少必填列")
        return not missing


def _int(sheet: _Sheet, row: int, column: str, raw: object, minimum: int = 1) -> int | None:
    try:
        return parse_int(raw, column, minimum=minimum)
    except ValueProblem as exc:
        sheet.add(row, column, str(exc))
        return None


def _number(sheet: _Sheet, row: int, column: str, raw: object, **rules: Any) -> Decimal | None:
    try:
        return parse_number(raw, what=column, **rules)
    except ValueProblem as exc:
        sheet.add(row, column, str(exc))
        return None


# ---- the workbook -----------------------------------------------------------------------------

def plan_workbook(db: Database, sheets: dict[str, RawTable | None], default_name: str = "技能比武",
                  today: dt.date | None = None) -> WorkbookPlan:
    """Check every sheet without writing anything."""
    plan = WorkbookPlan()
    for name in (ITEMS, COMPETITORS, JUDGES):
        if name not in sheets:
            plan.problems.append(RowProblem(1, "工作表", f"缺少“{name}”工作表"))
    plan.contest = _plan_info(sheets.get(INFO), _Sheet(plan.problems, INFO), default_name)
    units = UnitIndex.load(db)
    named: set[str] = set()  # every item name in the sheet, valid or not: its row reports its own faults
    broken = _Broken()
    if ITEMS in sheets:
        plan.items = _plan_items(sheets[ITEMS], _Sheet(plan.problems, ITEMS), named, broken)
    if COMPETITORS in sheets:
        plan.competitors = _plan_competitors(db, sheets[COMPETITORS], _Sheet(plan.problems, COMPETITORS), units,
                                             today, broken)
    if JUDGES in sheets:
        plan.judges = _plan_judges(sheets[JUDGES], _Sheet(plan.problems, JUDGES), units,
                                   {spec.name: spec for _r, spec in plan.items}, named, plan.warnings, broken)
    if not _readable(sheets.get(ITEMS), ITEM_REQUIRED):
        broken.items = None
    if not _readable(sheets.get(COMPETITORS), COMPETITOR_REQUIRED):
        broken.draws = None
    if not _readable(sheets.get(JUDGES), JUDGE_REQUIRED):
        broken.judges = None
    setup_ok = not plan.problems
    # the 评分 rows are checked against what the setup sheets got right, even when they have problems: every
    # problem of the file in one run
    ctx = _memory_context(plan, units)
    if setup_ok:
        _warn_short_panels(ctx, plan.warnings)
        _warn_team_numbers(ctx, plan.warnings)
    scores_table = sheets.get(SCORES)
    if scores_table is not None:
        plan.scores = ScoresPlan(0)
        _plan_score_rows(ctx, scores_table, {}, plan.scores, _Sheet(plan.problems, SCORES), broken)
    return plan


def _plan_info(table: RawTable | None, sheet: _Sheet, default_name: str) -> NewContest:
    values: dict[str, object] = {}
    if table is not None and sheet.require_columns(table, ("字段", "内容")):
        seen: dict[str, int] = {}
        for row, cells in table.records():
            key = text(cells.get("字段"))
            if key not in INFO_FIELDS:
                sheet.add(row, "字段", f"未知字段“{key}”（应为{'、'.join(INFO_FIELDS)}之一）" if key else "必填项为空")
                continue
            if key in seen:
                sheet.add(row, "字段", f"与第{seen[key]}行字段“{key}”重复")
                continue
            seen[key] = row
            values[key] = cells.get("内容")
    dates: dict[str, dt.date | None] = {}
    rows = {k: r for r, cells in (table.records() if table else []) if (k := text(cells.get("字段")))}
    for key in ("开始日期", "结束日期"):
        try:
            dates[key] = parse_date(values.get(key))
        except DateError as exc:
            sheet.add(rows.get(key, 1), "内容", f"{key}：{exc}")
            dates[key] = None
    start, end = dates["开始日期"], dates["结束日期"]
    if start and end and end < start:
        sheet.add(rows.get("结束日期", 1), "内容", "结束日期早于开始日期")
    name = text(values.get("名称")) or default_name
    mode, best_n = _plan_team_mode(values, rows, sheet)
    return NewContest(name, start, end, text(values.get("地点")), text(values.get("主办单位")), mode, best_n)


def _plan_team_mode(values: dict[str, object], rows: dict[str, int], sheet: _Sheet) -> tuple[str, int | None]:
    """团体成绩 (合计, the default, or 前N名) and N, as the window's contest form has them."""
    mode = text(values.get("团体成绩")) or TEAM_SUM
    raw_n = values.get("N")
    if mode not in (TEAM_SUM, TEAM_BEST):
        sheet.add(rows.get("团体成绩", 1), "内容",
                  f"团体成绩应为“{TEAM_SUM}”或“{TEAM_BEST}”（“{mode}”；前N名的N另填在字段“N”中）")
        return TEAM_SUM, None
    if mode == TEAM_SUM:
        if text(raw_n):
            sheet.add(rows.get("N", 1), "内容",
                      f"N：团体成绩为“{TEAM_SUM}”时不填N（按前N名计请把团体成绩填为“{TEAM_BEST}”）")
        return TEAM_SUM, None
    if not text(raw_n):
        sheet.add(rows.get("团体成绩", 1), "内容",
                  f"团体成绩为“{TEAM_BEST}”时须填写字段“N”（每个单位计入团体成绩的人数）")
        return TEAM_SUM, None
    try:
        return TEAM_BEST, parse_int(raw_n, "N")
    except ValueProblem as exc:
        sheet.add(rows.get("N", 1), "内容", f"N：{exc}")
        return TEAM_SUM, None


def _plan_items(table: RawTable | None, sheet: _Sheet, named: set[str], broken: _Broken) -> list[tuple[int, NewItem]]:
    if table is None or not table.rows:
        sheet.add(table.header_row if table else 1, "项目名称", "没有项目")
        return []
    if not sheet.require_columns(table, ITEM_REQUIRED):
        return []
    out: list[tuple[int, NewItem]] = []
    names: dict[str, int] = {}
    tiebreaks: dict[int, int] = {}
    weights: list[Decimal] = []   # of the 个人 items: they make the 总分, so they sum to 100
    weights_ok, has_team = True, False
    for row, cells in table.records():
        name = text(cells.get("项目名称"))
        named.add(name)
        if not name:
            sheet.add(row, "项目名称", "必填项为空")
        elif name in names:
            sheet.add(row, "项目名称", f"与第{names[name]}行项目名称重复")
            if broken.items is not None:
                broken.items.add(name)  # on both rows: which of the two a score means is unclear
        else:
            names[name] = row
        method = text(cells.get("计分方式"))
        if not method:
            sheet.add(row, "计分方式", "必填项为空")
        elif method not in WORKBOOK_METHODS:
            sheet.add(row, "计分方式", f"未知计分方式“{method}”（应为{'、'.join(WORKBOOK_METHODS)}之一）")
        decimals: int | None = 2
        if text(cells.get("小数位")):
            decimals = _int(sheet, row, "小数位", cells.get("小数位"), minimum=0)
            if isinstance(decimals, int) and decimals > MAX_DECIMALS:
                sheet.add(row, "小数位", f"小数位应为0到{MAX_DECIMALS}的整数（{decimals}）")
                decimals = None
        kind = text(cells.get("类型")) or SOLO
        if kind not in (SOLO, TEAM):
            sheet.add(row, "类型", f"未知类型“{kind}”（应为{SOLO}、{TEAM}之一）")
        has_team = has_team or kind == TEAM
        full = _number(sheet, row, "满分", cells.get("满分"), allow_zero=False,
                       decimals=decimals if decimals is not None else MAX_DECIMALS)
        # a 团体 item's weight adds to the team score only: 0 is allowed, and it is not in the 100
        weight = _number(sheet, row, "权重", cells.get("权重"), decimals=2, maximum=Decimal(100),
                         allow_zero=kind == TEAM, maximum_label="上限")
        if not isinstance(weight, Decimal) or kind not in (SOLO, TEAM):
            weights_ok = False
        elif kind == SOLO:
            weights.append(weight)
        tiebreak: int | None = None
        if text(cells.get("决胜顺序")):
            tiebreak = _int(sheet, row, "决胜顺序", cells.get("决胜顺序"))
            if isinstance(tiebreak, int):
                if tiebreak in tiebreaks:
                    sheet.add(row, "决胜顺序", f"与第{tiebreaks[tiebreak]}行决胜顺序{tiebreak}重复")
                else:
                    tiebreaks[tiebreak] = row
        spread: Decimal | None = None
        if text(cells.get("分差上限")):
            spread = _number(sheet, row, "分差上限", cells.get("分差上限"), decimals=MAX_DECIMALS)
        if (name and method in WORKBOOK_METHODS and isinstance(decimals, int) and isinstance(full, Decimal)
                and isinstance(weight, Decimal) and kind in (SOLO, TEAM)):
            out.append((row, NewItem(name, method, full, weight, decimals, tiebreak, spread, kind=kind)))
        elif name and broken.items is not None:
            broken.items.add(name)  # its scoring rules are unknown
    total = sum(weights, Decimal(0))
    if weights_ok and total != 100:
        what = "个人项目权重合计" if has_team else "各项目权重合计"
        sheet.add(table.header_row, "权重", f"{what}为{fmt_decimal(total)}，应为100")
    return out


def _plan_competitors(db: Database, table: RawTable | None, sheet: _Sheet, units: UnitIndex,
                      today: dt.date | None, broken: _Broken) -> list[PlannedCompetitor]:
    if table is None or not table.rows:
        sheet.add(table.header_row if table else 1, "抽签号", "没有选手")
        return []
    if not sheet.require_columns(table, COMPETITOR_REQUIRED):
        return []
    register = people.by_id_numbers(db)
    draws: dict[int, int] = {}
    ids: dict[str, int] = {}
    out = []
    for row, cells in table.records():
        draw = number = _int(sheet, row, "抽签号", cells.get("抽签号"))
        if isinstance(draw, int):
            if draw in draws:
                sheet.add(row, "抽签号", f"与第{draws[draw]}行抽签号{draw}重复")
                draw = None
            else:
                draws[draw] = row
        name = text(cells.get("姓名"))
        if not name:
            sheet.add(row, "姓名", "必填项为空")
        id_number, person_id = "", None
        if idnumber.normalize(cells.get("身份证号")):
            try:
                id_number = idnumber.parse(cells.get("身份证号"), today).number
            except idnumber.IdNumberError as exc:
                sheet.add(row, "身份证号", str(exc))
            else:
                if id_number in ids:
                    sheet.add(row, "身份证号", f"与第{ids[id_number]}行身份证号重复")
                ids.setdefault(id_number, row)
                known = register.get(id_number)
                if known is not None:
                    person_id = known.id
                    if name and known.name != name:
                        sheet.add(row, "姓名", f"身份证号{id_number}在人员名册中是“{known.name}”，与姓名不符")
        unit_text = text(cells.get("单位"))
        unit = units.resolve(unit_text) if unit_text else None
        if not unit_text:
            sheet.add(row, "单位", "必填项为空")
        elif unit is None:
            sheet.add(row, "单位", f"未知单位“{unit_text}”（请使用单位管理中的名称或别名）")
        if isinstance(draw, int) and name and unit is not None:
            out.append(PlannedCompetitor(row, draw, name, id_number, unit.id, person_id))
        elif isinstance(number, int) and broken.draws is not None:
            broken.draws.add(number)  # unclear whose score it is (a number twice: on both rows), or their unit
    return out


def _plan_judges(table: RawTable | None, sheet: _Sheet, units: UnitIndex, item_specs: dict[str, NewItem],
                 named: set[str], warnings: list[str], broken: _Broken) -> list[PlannedJudge]:
    if table is None or not table.rows:
        sheet.add(table.header_row if table else 1, "评委编号", "没有评委")
        return []
    if not sheet.require_columns(table, JUDGE_REQUIRED):
        return []
    first: dict[str, tuple[int, str, str]] = {}   # code → (row, name, unit text)
    resolved: dict[str, tuple[int | None, str]] = {}
    items_of: dict[str, list[str]] = {}
    pairs: dict[tuple[str, str], int] = {}
    ignored: set[str] = set()
    for row, cells in table.records():
        mark = sheet.mark()
        code, name, unit_text, item = (text(cells.get(c)) for c in JUDGE_REQUIRED)
        for column, value in zip(JUDGE_REQUIRED, (code, name, unit_text, item), strict=True):
            if not value:
                sheet.add(row, column, "必填项为空")
        if not code:
            continue
        unit_id: int | None = None
        if unit_text:
            unit = units.resolve(unit_text)
            if unit is not None:
                unit_id = unit.id
            elif not unit_text.startswith(EXTERNAL_PREFIX):
                sheet.add(row, "单位", f"未知单位“{unit_text}”（外聘评委请填写“{EXTERNAL_PREFIX}：单位名称”）")
        earlier = first.get(code)
        if earlier is None:
            first[code] = (row, name, unit_text)
            resolved[code] = (unit_id, unit_text if unit_id is None else "")
            items_of[code] = []
        else:
            if name and name != earlier[1]:
                sheet.add(row, "姓名", f"评委编号{code}在第{earlier[0]}行的姓名是“{earlier[1]}”")
            if unit_text and unit_text != earlier[2]:
                sheet.add(row, "单位", f"评委编号{code}在第{earlier[0]}行的单位是“{earlier[2]}”")
        if sheet.added_since(mark, ("姓名", "单位")) and broken.judges is not None:
            broken.judges.add(code)  # who the judge is, and so whom they may score, is unclear
        if not item:
            continue
        spec = item_specs.get(item)
        if spec is None:
            if item not in named:
                sheet.add(row, "评分项目", f"未知项目“{item}”（应为比武项目表中的项目名称）")
            continue
        if (code, item) in pairs:
            sheet.add(row, "评分项目", f"与第{pairs[(code, item)]}行重复（同一评委、同一项目）")
            continue
        pairs[(code, item)] = row
        if spec.method == contest.SINGLE:
            ignored.add(item)  # 单一成绩 has no judges: the assignment carries no meaning
            continue
        items_of[code].append(item)
    for item in sorted(ignored):
        warnings.append(f"“{item}”是单一成绩项目，不设评委；评委表中分配给它的行已忽略")
    return [PlannedJudge(row, code, name, resolved[code][0], resolved[code][1], tuple(items_of[code]))
            for code, (row, name, _u) in first.items()]


def _memory_context(plan: WorkbookPlan, units: UnitIndex) -> ScoringContext:
    """A ScoringContext for the planned contest, with ids standing for rows, so scores are checked by the very
    rules typing uses, before anything exists in the database."""
    items = {}
    for i, (row, spec) in enumerate(plan.items, start=1):
        items[i] = Item(i, 0, spec.name, spec.method, spec.full_marks, spec.weight, spec.decimals, spec.tiebreak,
                        spec.max_spread, spec.rubric_method, spec.kind, spec.blind, "", 2, True, row, None, "")
    comps = [Competitor(i, 0, c.person_id, c.name, c.id_number, c.unit_id, c.draw_no)
             for i, c in enumerate(plan.competitors, start=1)]
    judges = [Judge(i, 0, j.code, j.name, j.unit_id, j.unit_text, False) for i, j in enumerate(plan.judges, start=1)]
    by_name = {it.name: it.id for it in items.values()}
    assigned: dict[int, list[int]] = {}
    for judge, pj in zip(judges, plan.judges, strict=True):
        for name in pj.items:
            assigned.setdefault(by_name[name], []).append(judge.id)
    teams: list[Competitor] = []
    if any(it.team for it in items.values()):  # the team rows the import makes (no 队号 yet), for recusal
        team_units = sorted({team_unit_id(units, c.unit_id) for c in comps},
                            key=lambda u: (units.by_id[u].sort_order, u) if u in units.by_id else (0, u))
        teams = [Competitor(len(comps) + n, 0, None, units.name(u) if u in units.by_id else str(u), "", u, None,
                            is_team=True) for n, u in enumerate(team_units, start=1)]
    return ScoringContext(0, items, Panel(0, units, comps, judges, assigned, teams))


def _warn_short_panels(ctx: ScoringContext, warnings: list[str]) -> None:
    for item in ctx.items.values():
        if not item.judged:
            continue
        if not ctx.panel.assigned.get(item.id):
            warnings.append(f"“{item.name}”还没有分配评委")
            continue
        need = contest.MIN_SCORES[item.aggregate_method]
        short = [c for c in ctx.panel.entrants(item) if len(ctx.panel.expected_judges(item, c)) < need]
        if short and item.team:
            names = "、".join(c.name for c in short[:10]) + ("等" if len(short) > 10 else "")
            warnings.append(f"“{item.name}”（{item.method}）有{len(short)}支队伍回避后评委不足{need}名：{names}")
        elif short:
            draws = "、".join(str(c.draw_no) for c in short[:10]) + ("等" if len(short) > 10 else "")
            warnings.append(f"“{item.name}”（{item.method}）有{len(short)}名选手回避后评委不足{need}名：{draws}号")


def _warn_team_numbers(ctx: ScoringContext, warnings: list[str]) -> None:
    team_items = [it.name for it in ctx.items.values() if it.team]
    if team_items:
        warnings.append(f"团体项目“{'、'.join(team_items)}”按队评分：导入后请在“设置”中点“抽签…”为"
                        f"{len(ctx.panel.team_entries)}支参赛队伍抽取队号，团体项目的成绩在抽取队号后导入")


def apply_workbook(db: Database, plan: WorkbookPlan, actor: str, origin: str = "") -> ImportedContest:
    """Write a clean plan in one transaction: contest, items, competitors, judges, assignments, scores."""
    if not plan.ok or plan.contest is None:
        raise ValueError("plan has problems; nothing written")
    backup.before_change(db.conn, backup.PRE_IMPORT)
    with db.atomic():
        c = contest.create_contest(db, plan.contest)
        item_ids = {i: contest.add_item(db, c.id, spec).id for i, (_row, spec) in enumerate(plan.items, start=1)}
        comp_ids = {}
        for i, pc in enumerate(plan.competitors, start=1):
            cur = db.execute("INSERT INTO contest_competitors (contest_id, person_id, name, id_number, unit_id,"
                             " draw_no) VALUES (?, ?, ?, ?, ?, ?)",
                             [c.id, pc.person_id, pc.name, pc.id_number, pc.unit_id, pc.draw_no])
            comp_ids[i] = int(cur.lastrowid or 0)
        contest_people.sync_teams(db, c.id)  # 团体 items: one team per unit, numbered at the window's draw
        item_by_name = {spec.name: item_ids[i] for i, (_row, spec) in enumerate(plan.items, start=1)}
        judge_ids = {}
        for i, pj in enumerate(plan.judges, start=1):
            cur = db.execute("INSERT INTO contest_judges (contest_id, code, name, unit_id, unit_text)"
                             " VALUES (?, ?, ?, ?, ?)", [c.id, pj.code, pj.name, pj.unit_id, pj.unit_text])
            judge_ids[i] = int(cur.lastrowid or 0)
            db.conn.executemany("INSERT INTO contest_assignments (item_id, judge_id) VALUES (?, ?)",
                                [(item_by_name[name], judge_ids[i]) for name in pj.items])
        scores = 0
        if plan.scores is not None and plan.scores.values:
            ctx = ScoringContext.load(db, c.id)
            real = [(Slot(item_ids[s.item_id], comp_ids[s.competitor_id],
                          judge_ids[s.judge_id] if s.judge_id is not None else None, None), v)
                    for _row, s, v in plan.scores.values]
            scores = scoring.bulk_enter(db, ctx, real, actor, origin=origin)
        audit.append(db, audit.Entry(audit.CONTEST_IMPORT, actor, c.id, new=c.name, detail=origin))
    return ImportedContest(c.id, len(plan.items), len(plan.competitors), len(plan.judges), scores)


# ---- score rows -------------------------------------------------------------------------------

def plan_scores(db: Database, contest_id: int, table: RawTable) -> ScoresPlan:
    """Check a score file (the 评分 columns) against the stored contest without writing anything."""
    contest.require_contest(db, contest_id)
    plan = ScoresPlan(contest_id)
    ctx = ScoringContext.load(db, contest_id)
    _plan_score_rows(ctx, table, scoring.stored_values(db, contest_id), plan, _Sheet(plan.problems, ""), _Broken())
    if not table.rows and not plan.problems:  # a file of headers alone: nothing to import is no success
        _Sheet(plan.problems, "").add(table.header_row, "表头", "只有表头，没有数据行")
    return plan


def _plan_score_rows(ctx: ScoringContext, table: RawTable, stored: dict[Slot, int], plan: ScoresPlan,
                     sheet: _Sheet, broken: _Broken) -> None:
    """Check every score row. A row whose item, competitor or judge is wrong in the setup sheets (`broken`) says so;
    while its item is known its 分数 is still checked, so one run lists every problem of the file."""
    if not sheet.require_columns(table, SCORE_REQUIRED):
        return
    items = {it.name: it for it in ctx.items.values()}
    seen: dict[Slot, int] = {}
    has_criteria = CRITERION_COLUMN in table.headers
    for row, cells in table.records():
        name = text(cells.get("项目名称"))
        item = _score_item(items, sheet, row, name, broken)
        draw = _int(sheet, row, "抽签号", cells.get("抽签号"))
        team = item is not None and item.team
        if team and not ctx.panel.by_team_no:
            sheet.add(row, "抽签号", f"“{name}”是团体项目，还没有抽取队号：请先在“设置”中抽取队号，再导入它的成绩")
            continue
        comp = _score_entrant(ctx, item, sheet, row, draw, broken) if isinstance(draw, int) else None
        code = text(cells.get("评委编号"))
        judge = _score_judge(ctx, sheet, row, code, broken) if code else None
        crit_name = text(cells.get(CRITERION_COLUMN)) if has_criteria else ""
        if item is None:
            continue
        crit_id = None
        if crit_name:
            crit = next((c for c in item.criteria if c.name == crit_name), None)
            if item.method == contest.RUBRIC and crit is None:
                sheet.add(row, CRITERION_COLUMN, f"“{item.name}”没有细则“{crit_name}”")
                continue
            crit_id = crit.id if crit is not None else -1
        if comp is None or (code and judge is None):
            _check_value(ctx, sheet, row, Slot(item.id, 0, None, crit_id), cells.get("分数"))  # the item's rules
            continue
        slot = Slot(item.id, comp.id, judge.id if judge is not None else None, crit_id)
        problem = ctx.slot_problem(slot)
        if problem is not None:
            reason = problem[1]
            if problem[0] == CRITERION_COLUMN and not has_criteria:  # the column itself is missing: say which
                reason += f"（文件缺少“{CRITERION_COLUMN}”列）"
            sheet.add(row, problem[0], reason)
            continue
        if text(cells.get("分数")) == "":
            plan.not_scored += 1
            continue
        value = _check_value(ctx, sheet, row, slot, cells.get("分数"))
        if value is None:
            continue
        if slot in seen:
            column = "评委编号" if item.judged else "抽签号"
            sheet.add(row, column, f"与第{seen[slot]}行重复（同一项目、选手和评委）")
            continue
        seen[slot] = row
        old = stored.get(slot)
        if old is None:
            plan.values.append((row, slot, value))
        elif old == value:
            plan.unchanged += 1
        else:
            sheet.add(row, "分数", f"已录入成绩{show_plain(old)}，与本行{show_plain(value)}不同"
                                   "（修改已录入的成绩须在录入界面说明原因）")


UNCHECKED = "，更正后才能核对本行"


def _score_item(items: dict[str, Item], sheet: _Sheet, row: int, name: str, broken: _Broken) -> Item | None:
    """The row's item, or None with the reason noted (none when the items sheet could not be read at all)."""
    if not name:
        sheet.add(row, "项目名称", "必填项为空")
        return None
    if broken.items is not None and name in broken.items:
        sheet.add(row, "项目名称", f"项目“{name}”在比武项目表中有误{UNCHECKED}")
        return None
    item = items.get(name)
    if item is None and broken.items is not None:
        sheet.add(row, "项目名称", f"未知项目“{name}”")
    return item


def _score_entrant(ctx: ScoringContext, item: Item | None, sheet: _Sheet, row: int, draw: int,
                   broken: _Broken) -> Competitor | None:
    """The competitor (the team, on a 团体 item) the row's 抽签号 names, or None with the reason noted."""
    if item is not None and item.team:
        team = ctx.panel.entrant(item, draw)
        if team is None:
            sheet.add(row, "抽签号", f"未知队号{draw}（团体项目的抽签号填队号）")
        return team
    if broken.draws is None:
        return None  # the competitors sheet could not be read: reported already
    if draw in broken.draws:
        sheet.add(row, "抽签号", f"抽签号{draw}在选手表中有误{UNCHECKED}")
        return None
    comp = ctx.panel.entrant(item, draw) if item is not None else ctx.panel.by_draw.get(draw)
    if comp is None:
        sheet.add(row, "抽签号", f"未知抽签号{draw}")
    return comp


def _score_judge(ctx: ScoringContext, sheet: _Sheet, row: int, code: str, broken: _Broken) -> Judge | None:
    if broken.judges is None:
        return None  # the judges sheet could not be read: reported already
    if code in broken.judges:
        sheet.add(row, "评委编号", f"评委编号“{code}”在评委表中有误{UNCHECKED}")
        return None
    judge = ctx.panel.judge_by_code.get(code)
    if judge is None:
        sheet.add(row, "评委编号", f"未知评委编号“{code}”")
    return judge


def _check_value(ctx: ScoringContext, sheet: _Sheet, row: int, slot: Slot, raw: object) -> int | None:
    """The 分数 in thousandths by the item's rules (maximum, decimals), or None (empty, or the problem noted)."""
    if text(raw) == "":
        return None
    try:
        return to_milli(ctx.parse_value(slot, raw))
    except ValueProblem as exc:
        sheet.add(row, "分数", str(exc))
        return None


def apply_scores(db: Database, plan: ScoresPlan, actor: str, origin: str = "") -> ScoresResult:
    if not plan.ok:
        raise ValueError("plan has problems; nothing written")
    backup.before_change(db.conn, backup.PRE_IMPORT)
    with db.atomic():
        ctx = ScoringContext.load(db, plan.contest_id)
        for _row, slot, _v in plan.values:  # a lock taken since the plan was made still wins
            problem = ctx.slot_problem(slot)
            if problem is not None:
                raise scoring.ScoreError(problem[1])
        added = scoring.bulk_enter(db, ctx, [(s, v) for _r, s, v in plan.values], actor, origin=origin)
    return ScoresResult(added, plan.unchanged, plan.not_scored)
