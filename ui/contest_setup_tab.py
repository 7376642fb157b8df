"""The 设置 tab, read-mostly: the items with their rules and lock state, the competitors with draw numbers,
units and the judges they are recused from, the judges with their items and recusals, and the draw records
(seed, method, who, when, and whether the draw still reproduces). The draw itself starts here."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget
from sqlite_utils import Database

from trainer import draw
from trainer.contest import TEAM_BEST, Item
from trainer.contest_people import Competitor, Judge, Panel
from trainer.contest_values import fmt_decimal, show_plain
from trainer.scoring import ScoringContext
from ui.class_tab import OK_STYLE, fit_columns, note_label, stretch_column, table_view
from ui.contest_tab import ContestHost, ContestTab
from ui.row_model import RowModel

ITEM_HEADERS = ("序号", "项目名称", "类型", "计分方式", "满分", "权重", "小数位", "决胜顺序", "分差上限", "细则 / 换算",
                "评委", "密封编号", "状态")
COMPETITOR_HEADERS = ("抽签号", "姓名", "单位", "代表队", "回避评委")
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


def titled(title: str, view: QTableView, extra: QWidget | None = None) -> QWidget:
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
    return box


class SetupTab(ContestTab):
    def __init__(self, db: Database, host: ContestHost, parent: QWidget | None = None) -> None:
        super().__init__(db, host, parent)
        self.info_label = note_label(style="")
        self.info_label.setTextFormat(Qt.TextFormat.RichText)
        self.draw_button = QPushButton("抽签…")
        self.draw_button.setToolTip("按记录的种子为选手随机分配抽签号；已有成绩后不能重新抽签")
        self.message_label = note_label(style=OK_STYLE)

        self.item_model = RowModel(ITEM_HEADERS, "CLCLRRCCRLLCL")
        self.item_view = table_view()
        self.item_view.setModel(self.item_model)
        self.competitor_model = RowModel(COMPETITOR_HEADERS, "CLLLL")
        self.competitor_view = table_view()
        self.competitor_view.setModel(self.competitor_model)
        self.judge_model = RowModel(JUDGE_HEADERS, "CLLLL")
        self.judge_view = table_view()
        self.judge_view.setModel(self.judge_model)
        self.draw_model = RowModel(DRAW_HEADERS, "LLLLC")
        self.draw_view = table_view()
        self.draw_view.setModel(self.draw_model)
        for view in (self.item_view, self.competitor_view, self.judge_view, self.draw_view):
            view.setSortingEnabled(False)

        self.draw_note = QLabel()
        self.draw_note.setStyleSheet("color: #555;")
        draw_row = QWidget()
        draw_layout = QHBoxLayout(draw_row)
        draw_layout.setContentsMargins(0, 0, 0, 0)
        draw_layout.addWidget(self.draw_note)
        draw_layout.addWidget(self.draw_button)
        self.competitor_box = titled("选手", self.competitor_view, draw_row)
        self.judge_box = titled("评委与回避", self.judge_view)
        self.draw_box = titled("抽签记录", self.draw_view)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.judge_box)
        right.addWidget(self.draw_box)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.competitor_box)
        lower.addWidget(right)
        lower.setStretchFactor(0, 1)
        lower.setStretchFactor(1, 1)
        lower.setSizes([520, 620])
        self.item_box = titled("比武项目", self.item_view)
        for s in (right, lower):
            s.setChildrenCollapsible(False)

        box = QVBoxLayout(self)
        box.addWidget(self.info_label)
        box.addWidget(self.item_box)
        box.addWidget(lower, 1)
        box.addWidget(self.message_label)
        self.draw_button.clicked.connect(self.start_draw)

    def reload(self) -> None:
        if self.contest is None:
            for model in (self.item_model, self.competitor_model, self.judge_model, self.draw_model):
                model.set_rows([], [])
            self.info_label.setText("")
            self.draw_button.setEnabled(False)
            return
        c = self.contest
        ctx = ScoringContext.load(self.db, self.contest_id)
        items = list(ctx.items.values())
        self._fill_items(items, ctx.panel)
        self._fill_competitors(ctx.panel, items)
        self._fill_judges(ctx.panel, items)
        self._fill_draws()
        team = "各单位选手总分之和" if c.team_mode != TEAM_BEST else f"各单位成绩最好的{c.team_best_n}名选手总分之和"
        weights = fmt_decimal(sum((it.weight for it in items), Decimal(0)))
        pin = "已设置" if c.has_pin else "<b style='color:#c0392b'>未设置（不能锁定）</b>"
        self.info_label.setText(
            f"<b>{c.name}</b>　比武时间：{c.dates_text or '—'}　地点：{c.venue or '—'}　主办单位：{c.organiser or '—'}"
            f"<br><span style='color:#555'>项目 {len(items)} 个（权重合计 {weights}）　"
            f"选手 {len(ctx.panel.competitors)} 人　评委 {len(ctx.panel.judges)} 人　团体成绩：{team}　"
            f"裁判长PIN：{pin}</span>")
        scored = self.db.execute("SELECT 1 FROM contest_scores s JOIN contest_items i ON i.id = s.item_id"
                                 " WHERE i.contest_id = ? LIMIT 1", [self.contest_id]).fetchone() is not None
        self.draw_button.setEnabled(not scored and bool(ctx.panel.competitors))
        self.draw_note.setText("已有成绩，不能重新抽签" if scored else "")
        self.draw_button.setToolTip("已有成绩，不能重新抽签（成绩按抽签号登记）" if scored else
                                    "按记录的种子为选手随机分配抽签号")

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
            what = "抽签号" if d.item_id is None else f"{names.get(d.item_id, '')}密封编号"
            rows.append([d.drawn_at.replace("T", " "), what, d.seed, d.drawn_by,
                         "可复现" if draw.reproduce(self.db, d.id) else "不一致"])
        self.draw_model.set_rows(records, rows)
        fit_columns(self.draw_view, {0: "2026-11-18 09:00:00", 1: "执法文书制作密封编号",
                                     2: "首届执法技能比武 2026-11-18", 3: "裁判长周明", 4: "可复现"})
        stretch_column(self.draw_view, 2)

    def start_draw(self) -> None:
        if self.contest is None:
            return
        from ui.draw_dialog import DrawDialog

        count = self.competitor_model.rowCount()
        dialog = DrawDialog(self.db, self.contest, self.host.chief(), count, parent=self)
        dialog.drawn.connect(self._drawn)
        self.host.open_dialog(dialog)

    def _drawn(self, record: draw.DrawRecord) -> None:
        self.reload()
        self.message_label.setText(f"已抽签：{len(record.result)} 名选手，种子“{record.seed}”（已记录，可复现）。")
        self.changed.emit()
