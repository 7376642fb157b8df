"""The 设置 tab, where a contest is set up and checked: its details; the items with their rules and lock state
(添加 / 编辑 / 删除 / 上移 / 下移, double-click to edit, the weights' sum warned while it is not 100); the
competitors with draw numbers, units and the judges they are recused from (from the register or by hand, the
draw); with 团体 items, the teams under them (队号, the team's unit, its members, the judges it is recused from),
made as soon as an item is 团体 and numbered at the draw — 抽签… offers 为团体项目抽取队号 when the competitors
are drawn but some teams are not; the judges with their items and recusals (添加 / 编辑 / 删除, 分配评分项目 with
the recusal report); the draw records (what was drawn: 抽签号, 队号 or an item's 密封编号; seed, method, who,
when, and whether the draw still reproduces). The services in
trainer.contest_setup refuse what would change scored or locked results; their message is shown as it is."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import contest, contest_people, contest_setup, draw, people, units
from trainer.contest import TEAM_BEST, ContestError, Item
from trainer.contest_people import Competitor, Judge, Panel
from trainer.contest_values import fmt_decimal, show_plain
from trainer.scoring import ScoringContext
from ui.class_tab import ERROR_STYLE, OK_STYLE, fit_columns, note_label, stretch_column, table_view
from ui.contest_tab import ContestHost, ContestTab
from ui.row_model import RowModel

ITEM_HEADERS = ("序号", "项目名称", "类型", "计分方式", "满分", "权重", "小数位", "决胜顺序", "分差上限", "细则 / 换算",
                "评委", "密封编号", "状态")
COMPETITOR_HEADERS = ("抽签号", "姓名", "单位", "代表队", "回避评委")
TEAM_HEADERS = ("队号", "参赛队伍（单位）", "队员", "回避评委")
TEAM_TITLE = "参赛队伍（团体项目按队号评分）"
DRAW_ALL = "全部重新抽签（抽签号、队号和密封编号）…"
DRAW_TEAMS, DRAW_CODES = "为团体项目抽取队号…", "为密封项目抽取密封编号…"
JUDGE_HEADERS = ("评委编号", "姓名", "单位", "评分项目", "回避")
DRAW_HEADERS = ("时间", "内容", "种子", "抽签人", "复核")
TITLE_STYLE = "font-weight: bold;"


def rule_text(item: Item) -> str:
    if item.criteria:
        return "、".join(f"{c.name}{show_plain(c.max_milli)}" for c in item.criteria)
    if item.conversions:
        order = "≤" if item.lower_is_better else "≥"
        steps = "，".join(f"{order}{c.limit}{item.raw_unit}→{c.points}" for c in item.conversions[:3])
        return f"换算表：{steps}…（共{len(item.conversions)}档）"
    return ""


class ElidedLabel(QLabel):
    """One line of plain text that never clips and never holds its pane wider: the whole text when it fits, else
    its start with “…” and the whole text in the tooltip (text() is always the whole text)."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().horizontalAdvance("…") * 6), hint.height())

    def setText(self, text: str) -> None:
        super().setText(text)
        self._update_tip()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_tip()

    def shown_text(self) -> str:
        """What fits in the label's width: the text, or its start with “…”."""
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width())

    def _update_tip(self) -> None:
        self.setToolTip(self.text() if self.shown_text() != self.text() else "")

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.style().drawItemText(painter, self.contentsRect(), int(self.alignment()), self.palette(),
                                  self.isEnabled(), self.shown_text(), self.foregroundRole())


def button_row(*widgets: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        layout.addWidget(w)
    return row


def titled(title: str, view: QTableView, extra: QWidget | None = None, footer: QWidget | None = None) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    head = QHBoxLayout()
    label = QLabel(title)
    label.setStyleSheet(TITLE_STYLE)
    head.addWidget(label)
    head.addStretch(1)
    if extra is not None:
        head.addWidget(extra)
    layout.addLayout(head)
    layout.addWidget(view, 1)
    if footer is not None:
        layout.addWidget(footer)
    return box


class SetupTab(ContestTab):
    def __init__(self, db: Database, host: ContestHost, parent: QWidget | None = None) -> None:
        super().__init__(db, host, parent)
        self._scored = False
        self.info_label = note_label(style="")
        self.info_label.setTextFormat(Qt.TextFormat.RichText)
        self.edit_contest_button = QPushButton("编辑比武信息…")
        self.edit_contest_button.setToolTip("名称、日期、地点、主办单位、团体成绩计法和裁判长PIN")
        self.add_item_button = QPushButton("添加项目…")
        self.edit_item_button = QPushButton("编辑…")
        self.delete_item_button = QPushButton("删除")
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        self.weights_label = QLabel()
        self.pick_button = QPushButton("从名册添加…")
        self.add_competitor_button = QPushButton("手工添加…")
        self.edit_competitor_button = QPushButton("修改…")
        self.edit_competitor_button.setToolTip("更正所选选手的姓名（手工添加的）或单位（尚无成绩时）")
        self.remove_competitor_button = QPushButton("移除")
        self.add_judge_button = QPushButton("添加评委…")
        self.edit_judge_button = QPushButton("编辑…")
        self.remove_judge_button = QPushButton("删除")
        self.assign_button = QPushButton("分配评分项目…")
        self.assign_button.setToolTip("勾选每位评委评分的项目，并查看回避和评委人数")
        self.draw_button = QPushButton("抽签…")
        self.draw_button.setToolTip("按记录的种子为选手随机分配抽签号；已有成绩后不能重新抽签")
        # both draws possible: 抽签… asks which (the competitors are drawn, some teams have no 队号)
        self.draw_menu = QMenu(self.draw_button)
        self.draw_all_action = QAction(DRAW_ALL, self.draw_menu)
        self.draw_teams_action = QAction(DRAW_TEAMS, self.draw_menu)
        self.draw_codes_action = QAction(DRAW_CODES, self.draw_menu)
        self.draw_state: contest_setup.DrawState | None = None
        self.message_label = note_label(style=OK_STYLE)

        self.item_model = RowModel(ITEM_HEADERS, "CLCLRRCCRLLCL")
        self.item_view = table_view()
        self.item_view.setModel(self.item_model)
        self.competitor_model = RowModel(COMPETITOR_HEADERS, "CLLLL")
        self.competitor_view = table_view(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.competitor_view.setModel(self.competitor_model)
        self.judge_model = RowModel(JUDGE_HEADERS, "CLLLL")
        self.judge_view = table_view()
        self.judge_view.setModel(self.judge_model)
        self.team_model = RowModel(TEAM_HEADERS, "CLLL")
        self.team_view = table_view()
        self.team_view.setModel(self.team_model)
        self.draw_model = RowModel(DRAW_HEADERS, "LLLLC")
        self.draw_view = table_view()
        self.draw_view.setModel(self.draw_model)
        for view in (self.item_view, self.competitor_view, self.team_view, self.judge_view, self.draw_view):
            view.setSortingEnabled(False)

        self.draw_note = QLabel()
        self.draw_note.setStyleSheet("color: #555;")
        self.competitor_box = titled("选手", self.competitor_view,
                                     button_row(self.pick_button, self.add_competitor_button,
                                                self.edit_competitor_button, self.remove_competitor_button,
                                                self.draw_button),
                                     footer=self.draw_note)  # under the list: the head row is full
        self.team_note = ElidedLabel()  # long item names: elided with a tooltip, never clipped by the pane's edge
        self.team_note.setStyleSheet("color: #555;")
        self.team_box = titled(TEAM_TITLE, self.team_view, self.team_note)
        self.team_box.setVisible(False)  # only with 团体 items
        competitors = QSplitter(Qt.Orientation.Vertical)
        competitors.addWidget(self.competitor_box)
        competitors.addWidget(self.team_box)
        competitors.setStretchFactor(0, 3)
        competitors.setStretchFactor(1, 1)
        self.judge_box = titled("评委与回避", self.judge_view,
                                button_row(self.add_judge_button, self.edit_judge_button, self.remove_judge_button,
                                           self.assign_button))
        self.draw_box = titled("抽签记录", self.draw_view)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.judge_box)
        right.addWidget(self.draw_box)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(competitors)
        lower.addWidget(right)
        lower.setStretchFactor(0, 1)
        lower.setStretchFactor(1, 1)
        lower.setSizes([520, 620])
        self.item_box = titled("比武项目", self.item_view,
                               button_row(self.weights_label, self.add_item_button, self.edit_item_button,
                                          self.delete_item_button, self.up_button, self.down_button))
        for s in (right, lower, competitors):
            s.setChildrenCollapsible(False)

        info = QHBoxLayout()
        info.addWidget(self.info_label, 1)
        info.addWidget(self.edit_contest_button, 0, Qt.AlignmentFlag.AlignTop)
        box = QVBoxLayout(self)
        box.addLayout(info)
        box.addWidget(self.item_box)
        box.addWidget(lower, 1)
        box.addWidget(self.message_label)
        self.draw_button.clicked.connect(self.start_draw)
        self.draw_all_action.triggered.connect(lambda: self.open_draw(teams=False))
        self.draw_teams_action.triggered.connect(lambda: self.open_draw(teams=True))
        self.draw_codes_action.triggered.connect(self.draw_codes)
        self.edit_contest_button.clicked.connect(self.edit_contest)
        self.add_item_button.clicked.connect(lambda: self.edit_item(None))
        self.edit_item_button.clicked.connect(lambda: self.edit_item(self.selected_item()))
        self.delete_item_button.clicked.connect(self.delete_item)
        self.up_button.clicked.connect(lambda: self.move_item(-1))
        self.down_button.clicked.connect(lambda: self.move_item(1))
        self.item_view.doubleClicked.connect(lambda index: self.edit_item(self.item_model.object_at(index.row())))
        self.pick_button.clicked.connect(self.pick_competitors)
        self.add_competitor_button.clicked.connect(self.add_competitor)
        self.remove_competitor_button.clicked.connect(self.remove_competitors)
        self.edit_competitor_button.clicked.connect(lambda: self.edit_competitor(self.selected_competitors()[:1]))
        self.competitor_view.doubleClicked.connect(
            lambda index: self.edit_competitor([self.competitor_model.object_at(index.row())]))
        self.add_judge_button.clicked.connect(lambda: self.edit_judge(None))
        self.edit_judge_button.clicked.connect(lambda: self.edit_judge(self.selected_judge()))
        self.remove_judge_button.clicked.connect(self.remove_judge)
        self.judge_view.doubleClicked.connect(lambda index: self.edit_judge(self.judge_model.object_at(index.row())))
        self.assign_button.clicked.connect(self.assign_judges)
        for view in (self.item_view, self.competitor_view, self.judge_view):
            view.selectionModel().selectionChanged.connect(self._update_buttons)
            view.model().modelReset.connect(self._update_buttons)
        self._update_buttons()

    def reload(self) -> None:
        if self.contest is None:
            for model in (self.item_model, self.competitor_model, self.team_model, self.judge_model,
                          self.draw_model):
                model.set_rows([], [])
            self.team_box.setVisible(False)
            self.draw_state = None
            self.info_label.setText("")
            self.weights_label.setText("")
            self.draw_button.setEnabled(False)
            self._update_buttons()
            return
        c = self.contest
        ctx = ScoringContext.load(self.db, self.contest_id)
        items = list(ctx.items.values())
        self._fill_items(items, ctx.panel)
        self._fill_competitors(ctx.panel, items)
        self._fill_teams(ctx.panel, items)
        self._fill_judges(ctx.panel, items)
        self._fill_draws()
        team = "各单位选手总分之和" if c.team_mode != TEAM_BEST else f"各单位成绩最好的{c.team_best_n}名选手总分之和"
        team_items = [it for it in items if it.team]
        weights = fmt_decimal(sum((it.weight for it in items if not it.team), Decimal(0)))
        if team_items:
            team += " + 团体项目（" + "、".join(f"{it.name} 权重{fmt_decimal(it.weight)}" for it in team_items) + "）"
            weights = f"个人项目 {weights}"
        pin = "已设置" if c.has_pin else "<b style='color:#c0392b'>未设置（不能锁定）</b>"
        self.info_label.setText(
            f"<b>{c.name}</b>　比武时间：{c.dates_text or '—'}　地点：{c.venue or '—'}　主办单位：{c.organiser or '—'}"
            f"<br><span style='color:#555'>项目 {len(items)} 个（权重合计 {weights}）　"
            f"选手 {len(ctx.panel.competitors)} 人　评委 {len(ctx.panel.judges)} 人　团体成绩：{team}　"
            f"裁判长PIN：{pin}</span>")
        state = self.draw_state = contest_setup.draw_state(self.db, self.contest_id)
        scored = state.scored
        self.draw_button.setEnabled(state.can_draw or state.can_number_teams or state.can_code)
        self.draw_note.setText(state.note)
        if state.can_number_teams:
            tip = (f"{state.unnumbered} 支参赛队伍还没有队号：为团体项目抽取队号（选手抽签号不变）"
                   + ("，或全部重新抽签" if state.can_draw else ""))
        elif scored:
            tip = "已有成绩，不能重新抽签（成绩按抽签号登记）"
        else:
            tip = ("按记录的种子为选手随机分配抽签号" + ("，并为团体项目的参赛队伍分配队号" if state.team_items else "")
                   + ("，为密封项目抽取密封编号" if any(it.blind for it in items) else ""))
        self.draw_button.setToolTip(tip)
        problem = contest.weights_problem(items) if items else "还没有比武项目"
        ok = "个人项目权重合计 100" if any(it.team for it in items) else "权重合计 100"
        self.weights_label.setText(f"⚠ {problem}" if problem else ok)
        self.weights_label.setStyleSheet(f"{ERROR_STYLE} font-weight: bold;" if problem else OK_STYLE)
        self._scored = scored
        self._update_buttons()

    def _fill_items(self, items: Sequence[Item], panel: Panel) -> None:
        rows = []
        for n, it in enumerate(items, start=1):
            codes = [panel.judge_by_id[j].code for j in panel.assigned.get(it.id, [])]
            judges = "不设评委" if not it.judged else (
                f"全部{len(codes)}名" if codes and len(codes) == len(panel.judges) else "、".join(codes) or "未分配")
            state = f"已锁定（{it.locked_by}）" if it.locked else "未锁定"
            rows.append([str(n), it.name, it.kind, it.method_text, show_plain(it.full_milli), f"{it.weight}%",
                         str(it.decimals), str(it.tiebreak or ""), str(it.max_spread) if it.max_spread is not None
                         else "", rule_text(it), judges, "是" if it.blind else "", state])
        self.item_model.set_rows(list(items), rows, muted=[it.locked for it in items])
        fit_columns(self.item_view, {0: "序号", 1: "情景模拟执法", 2: "类型", 3: "去掉最高最低取平均",
                                     4: "100", 5: "权重", 6: "小数位", 7: "决胜顺序", 8: "分差上限",
                                     9: "仪容仪表20、语言规范25、程序规范30",
                                     10: "J1、J2、J3、J4", 11: "密封编号"})
        stretch_column(self.item_view, 12)
        # Every item in sight: there are only a handful, and their rules are what the tab is for.
        view = self.item_view
        shown = min(max(len(items), 1), 8)
        view.setFixedHeight(view.horizontalHeader().height() + shown * view.verticalHeader().defaultSectionSize()
                            + 2 * view.frameWidth() + view.horizontalScrollBar().sizeHint().height())

    def _fill_competitors(self, panel: Panel, items: Sequence[Item]) -> None:
        judged = [it for it in items if it.judged]

        def recused(comp: Competitor) -> str:
            codes = sorted({j.code for it in judged for j in panel.recused_judges(it, comp)})
            return "、".join(codes)

        rows = [[str(c.draw_no or "未抽签"), c.name, panel.unit_name(c.unit_id), panel.team_name(c), recused(c)]
                for c in panel.competitors]
        self.competitor_model.set_rows(panel.competitors, rows)
        fit_columns(self.competitor_view, {0: "抽签号", 1: "欧阳某某", 2: "城乡一体化示范区", 3: "城乡一体化示范区"})

    def _fill_teams(self, panel: Panel, items: Sequence[Item]) -> None:
        """The teams (团体 items' entrants) in their own section, shown only while the contest has a 团体 item."""
        team_items = [it for it in items if it.team]
        self.team_box.setVisible(bool(team_items or panel.team_entries))
        members = contest_people.teams(panel)

        def recused(team: Competitor) -> str:
            return "、".join(sorted({j.code for it in team_items for j in panel.recused_judges(it, team)},
                                   key=contest_people.code_key))

        rows = []
        for t in panel.team_entries:
            who = members.get(t.unit_id, [])
            names = "、".join(c.name for c in who[:6]) + ("等" if len(who) > 6 else "")
            rows.append([str(t.team_no or "未抽签"), t.name, f"{len(who)} 人：{names}" if who else "（已无选手）",
                         recused(t)])
        self.team_model.set_rows(panel.team_entries, rows)
        fit_columns(self.team_view, {0: "未抽签", 1: "城乡一体化示范区", 3: "J3、J4"})
        stretch_column(self.team_view, 2)
        unnumbered = sum(1 for t in panel.team_entries if t.team_no is None)
        names = "、".join(it.name for it in team_items)
        self.team_note.setText(f"{len(rows)} 支队伍 · 团体项目：{names or '无'}"
                               + (f" · {unnumbered} 支未抽取队号" if unnumbered else ""))

    def _fill_judges(self, panel: Panel, items: Sequence[Item]) -> None:
        def recusal(j: Judge) -> str:
            if j.unit_id is None:
                return "外聘，不回避"
            n = sum(1 for c in panel.competitors if panel.recused(j, c))
            team = panel.unit_name(panel.judge_team(j))
            return f"回避{team}选手 {n} 人" if n else f"{team}无选手"

        rows = []
        judged = [it for it in items if it.judged]
        for j in panel.judges:
            mine = [it.name for it in judged if j.id in panel.assigned.get(it.id, [])]
            scored = f"全部评分项目（{len(mine)}项）" if mine and len(mine) == len(judged) > 2 else "、".join(mine)
            code = j.code + ("（裁判长）" if j.is_chief else "")
            rows.append([code, j.name, panel.judge_unit_text(j), scored or "未分配", recusal(j)])
        self.judge_model.set_rows(panel.judges, rows)
        fit_columns(self.judge_view, {0: "J1（裁判长）", 1: "欧阳某某", 2: "外聘：平顶山学院",
                                      3: "执法文书制作、案卷评审"})

    def _fill_draws(self) -> None:
        records = draw.draws(self.db, self.contest_id)
        names = {it.id: it.name for it in ScoringContext.load(self.db, self.contest_id).items.values()}
        rows = []
        for d in records:
            what = d.what if d.item_id is None else f"{names.get(d.item_id, '')}{d.what}"
            rows.append([d.drawn_at.replace("T", " "), what, d.seed, d.drawn_by,
                         "可复现" if draw.reproduce(self.db, d.id) else "不一致"])
        self.draw_model.set_rows(records, rows)
        width = self.draw_view.fontMetrics().horizontalAdvance  # sized from what is there: '裁判长赵某某' is wider
        what = max(["执法文书制作密封编号", *(r[1] for r in rows)], key=width)
        who = max(["裁判长周明", *(r[3] for r in rows)], key=width)
        fit_columns(self.draw_view, {0: "2026-11-18 09:00:00", 1: what, 2: "首届执法技能比武 2026-11-18", 3: who,
                                     4: "可复现"})
        stretch_column(self.draw_view, 2)

    def start_draw(self) -> None:
        """The whole draw; 队号 or 密封编号 alone when that is all that may be drawn; a choice when several may."""
        state = self.draw_state
        if self.contest is None or state is None:
            return
        actions = [a for a, possible in ((self.draw_teams_action, state.can_number_teams),
                                         (self.draw_codes_action, state.can_code and not state.undrawn),
                                         (self.draw_all_action, state.can_draw)) if possible]
        if len(actions) > 1:
            self.draw_menu.clear()
            self.draw_menu.addActions(actions)
            self.draw_menu.popup(self.draw_button.mapToGlobal(self.draw_button.rect().bottomLeft()))
        elif actions == [self.draw_codes_action]:
            self.draw_codes()
        elif actions:
            self.open_draw(teams=actions[0] is self.draw_teams_action)

    def draw_codes(self) -> None:
        """Sealed codes for the blind items lacking them (an item made blind, or competitors added, after the draw)."""
        if self.contest is None:
            return
        try:
            records = contest_setup.draw_sealed_codes(self.db, self.contest_id, self.host.chief())
        except ContestError as exc:
            self._refused("抽取密封编号", exc)
            return
        self._changed(self._codes_text(records) or "没有需要抽取密封编号的密封项目。")

    def _codes_text(self, records: Sequence[draw.DrawRecord]) -> str:
        names = {it.id: it.name for it in contest.items(self.db, self.contest_id)}
        chosen = "、".join(names.get(r.item_id or 0, "") for r in records)
        return f"已为密封项目“{chosen}”抽取密封编号（种子已记录，可复现）。" if records else ""

    def open_draw(self, *, teams: bool) -> None:
        if self.contest is None:
            return
        from ui.draw_dialog import DrawDialog

        count = self.competitor_model.rowCount()
        dialog = DrawDialog(self.db, self.contest, self.host.chief(), count, parent=self,
                            teams=self.team_model.rowCount() if teams else None)
        dialog.drawn.connect(self._drawn)
        self.host.open_dialog(dialog)

    def _drawn(self, outcome: draw.ContestDraw | draw.DrawRecord) -> None:
        """After the whole draw (抽签号, 队号 and the blind items' 密封编号 in one step) or 队号 alone."""
        self.reload()
        if isinstance(outcome, draw.DrawRecord):
            text = f"已抽取队号：{len(outcome.result)} 支队伍，种子“{outcome.seed}”（已记录，可复现）。"
        else:
            teams = f"，{len(outcome.teams.result)} 支队伍已抽取队号" if outcome.teams else ""
            text = (f"已抽签：{len(outcome.numbers.result)} 名选手{teams}，种子“{outcome.seed}”（已记录，可复现）。"
                    + self._codes_text(outcome.codes))
        self.message_label.setText(text)
        self.changed.emit()

    # ---- editing ---------------------------------------------------------------------------------

    def _update_buttons(self, *_: object) -> None:
        has = self.contest is not None
        item = self.selected_item()
        for b in (self.edit_contest_button, self.add_item_button, self.add_judge_button):
            b.setEnabled(has)
        for b, tip in ((self.pick_button, "从人员名册中挑选选手（姓名、身份证号、单位按名册）"),
                       (self.add_competitor_button, "添加不在人员名册中的选手：姓名和单位")):
            b.setEnabled(has and not self._scored)  # a late competitor could never be drawn
            b.setToolTip(contest_setup.NO_MORE_COMPETITORS if has and self._scored else tip)
        for b in (self.edit_item_button, self.delete_item_button):
            b.setEnabled(item is not None)
        row = self.item_view.currentIndex().row() if item is not None else -1
        self.up_button.setEnabled(item is not None and row > 0)
        self.down_button.setEnabled(item is not None and row < self.item_model.rowCount() - 1)
        chosen = len(self.competitor_view.selectionModel().selectedRows())
        self.remove_competitor_button.setEnabled(bool(chosen))
        self.edit_competitor_button.setEnabled(chosen == 1)
        judge = self.selected_judge()
        self.edit_judge_button.setEnabled(judge is not None)
        self.remove_judge_button.setEnabled(judge is not None)
        self.assign_button.setEnabled(has and self.judge_model.rowCount() > 0
                                      and any(it.judged for it in self.item_model.objects()))

    def selected_item(self) -> Item | None:
        rows = self.item_view.selectionModel().selectedRows()
        return self.item_model.object_at(rows[0].row()) if rows else None

    def selected_judge(self) -> Judge | None:
        rows = self.judge_view.selectionModel().selectedRows()
        return self.judge_model.object_at(rows[0].row()) if rows else None

    def selected_competitors(self) -> list[Competitor]:
        return [self.competitor_model.object_at(i.row())
                for i in sorted(self.competitor_view.selectionModel().selectedRows())]

    def _changed(self, message: str) -> None:
        self.reload()
        self.message_label.setText(message)
        self.changed.emit()

    def _refused(self, title: str, exc: ContestError) -> None:
        self.host.prompts.refuse(title, str(exc))

    def edit_contest(self) -> None:
        if self.contest is None:
            return
        from ui.contest_dialog import ContestDialog

        dialog = ContestDialog(self.db, self.host.chief(), self.contest, parent=self)
        dialog.saved.connect(lambda c: self._contest_saved(c))
        self.host.open_dialog(dialog)

    def _contest_saved(self, c: contest.Contest) -> None:
        self.contest = c
        self._changed(f"已保存比武信息：{c.name}。")

    def edit_item(self, item: Item | None) -> None:
        if self.contest is None:
            return
        from ui.contest_item_dialog import ItemDialog

        dialog = ItemDialog(self.db, self.contest_id, self.host.chief(), item, parent=self)
        dialog.saved.connect(lambda it: self._item_saved(it, item is None))
        self.host.open_dialog(dialog)

    def _item_saved(self, item: Item, added: bool) -> None:
        self._changed(f"已{'添加' if added else '保存'}项目“{item.name}”。")
        self.select_item(item.id)

    def select_item(self, item_id: int) -> None:
        for row, it in enumerate(self.item_model.objects()):
            if it.id == item_id:
                self.item_view.selectRow(row)
                return

    def delete_item(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        if not self.host.prompts.confirm("删除比武项目", f"删除项目“{item.name}”及其评分细则、换算表和评委分配？",
                                         yes="删除"):
            return
        try:
            contest_setup.delete_item(self.db, item.id, self.host.chief())
        except ContestError as exc:
            self._refused("删除比武项目", exc)
            return
        self._changed(f"已删除项目“{item.name}”。")

    def move_item(self, step: int) -> None:
        item = self.selected_item()
        if item is None:
            return
        contest_setup.move_item(self.db, item.id, step)
        self._changed(f"已{'上移' if step < 0 else '下移'}项目“{item.name}”。")
        self.select_item(item.id)

    def pick_competitors(self) -> None:
        if self.contest is None:
            return
        from ui.person_picker import PersonPickerDialog

        taken = {c.person_id for c in contest_people.competitors(self.db, self.contest_id)}
        pool = [p for p in people.all_people(self.db) if p.id not in taken]
        dialog = PersonPickerDialog(pool, units.all_units(self.db), self.contest.name, self, heading="添加选手",
                                    note="已是本次比武选手的人员不在此列出。")

        def picked(ids: list[int]) -> None:
            try:
                added = contest_setup.add_from_register(self.db, self.contest_id, ids, self.host.chief())
            except ContestError as exc:
                dialog.show_error(str(exc))
                return
            dialog.accept()
            self._changed(f"已添加 {len(added)} 名选手（抽签后才有抽签号）。")

        dialog.picked.connect(picked)
        self.host.open_dialog(dialog)

    def add_competitor(self) -> None:
        if self.contest is None:
            return
        from ui.contest_competitor_dialog import CompetitorDialog

        dialog = CompetitorDialog(self.db, self.contest_id, self.host.chief(), parent=self)
        dialog.saved.connect(lambda comp: self._changed(f"已添加选手 {comp.name}（抽签后才有抽签号）。"))
        self.host.open_dialog(dialog)

    def edit_competitor(self, chosen: Sequence[Competitor]) -> None:
        if self.contest is None or not chosen:
            return
        from ui.contest_competitor_dialog import CompetitorDialog

        dialog = CompetitorDialog(self.db, self.contest_id, self.host.chief(), parent=self, competitor=chosen[0])
        dialog.saved.connect(lambda comp: self._changed(f"已修改选手 {comp.name}。"))
        self.host.open_dialog(dialog)

    def remove_competitors(self) -> None:
        chosen = self.selected_competitors()
        if not chosen or self.contest is None:
            return
        who = "、".join(c.name for c in chosen[:8]) + (f"等 {len(chosen)} 人" if len(chosen) > 8 else "")
        drawn = "\n\n已抽签：移除后抽签号会空缺，可重新抽签。" if any(c.draw_no for c in chosen) else ""
        if not self.host.prompts.confirm("移除选手", f"将 {who} 移出本次比武？{drawn}", yes="移除"):
            return
        try:
            n = contest_setup.remove_competitors(self.db, self.contest_id, [c.id for c in chosen], self.host.chief())
        except ContestError as exc:
            self._refused("移除选手", exc)
            return
        self._changed(f"已移除 {n} 名选手。")

    def edit_judge(self, judge: Judge | None) -> None:
        if self.contest is None:
            return
        from ui.contest_judge_dialog import JudgeDialog

        dialog = JudgeDialog(self.db, self.contest_id, self.host.chief(), judge, parent=self)
        dialog.saved.connect(lambda j: self._changed(
            f"已{'添加' if judge is None else '保存'}评委 {j.code} {j.name}。"
            + ("请用“分配评分项目…”指定其评分项目。" if judge is None else "")))
        self.host.open_dialog(dialog)

    def remove_judge(self) -> None:
        judge = self.selected_judge()
        if judge is None:
            return
        if not self.host.prompts.confirm("删除评委", f"删除评委 {judge.code} {judge.name} 及其评分项目分配？",
                                         yes="删除"):
            return
        try:
            contest_setup.remove_judge(self.db, judge.id, self.host.chief())
        except ContestError as exc:
            self._refused("删除评委", exc)
            return
        self._changed(f"已删除评委 {judge.code} {judge.name}。")

    def assign_judges(self) -> None:
        if self.contest is None:
            return
        from ui.contest_assign_dialog import AssignDialog

        dialog = AssignDialog(self.db, self.contest_id, self.host.chief(), parent=self)
        dialog.saved.connect(self._assigned)
        self.host.open_dialog(dialog)

    def _assigned(self, change: contest_setup.AssignmentChange) -> None:
        self._changed(f"已保存评委分配：{change.summary()}。")
        report = contest_setup.report_text(change.added)
        if change.added or change.removed:
            detail = report or "新分配的评委无需回避任何选手。"
            self.host.prompts.inform("评委分配", f"{change.summary()}。\n\n{detail}")
