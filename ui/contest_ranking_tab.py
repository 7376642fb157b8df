"""The 成绩排名 tab: the individual ranking (名次, 抽签号, 姓名, 单位, item scores, 总分, the tie-break that
decided a place) and the team ranking; 「为什么是这个名次」 beside it for the selected competitor; exports to
CSV, Excel and PDF; the award plan.

The ranking is recomputed on a reader thread with its own connection (WAL lets it read while the window
writes), so the window never waits for it however large the contest; exports run behind a progress dialog.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import contest_awards, contest_results, ranking
from trainer.contest_awards import Award
from trainer.db import connect
from trainer.ranking import Ranking, Standing, TeamStanding
from ui.class_tab import ERROR_STYLE, NOTE_STYLE, fit_columns, note_label, table_view
from ui.contest_exports import KINDS, file_name, write_ranking
from ui.contest_tab import ContestHost, ContestTab
from ui.row_model import SORT_ROLE, RowModel
from ui.worker import TaskContext, TaskHandle, run_reader, run_task

EXPLAIN_HINT = ("选择左侧一名选手，这里列出其名次的完整计算：每位评委的评分、去掉的最高分和最低分、平均与四舍五入、"
                "扣分、按权重折合、总分，以及总分相同时如何决出名次。")
TITLE_STYLE = "font-weight: bold; font-size: 11pt;"


@dataclass(frozen=True)
class Computed:
    ranking: Ranking
    teams: list[TeamStanding]
    awards: list[Award]
    seconds: float


def compute(db: Database, contest_id: int) -> Computed:
    started = time.perf_counter()
    r = ranking.compute(db, contest_id)
    teams = ranking.team_ranking(r)
    took = time.perf_counter() - started
    return Computed(r, teams, contest_awards.awards(db, contest_id), took)


class RankingTab(ContestTab):
    def __init__(self, db: Database, host: ContestHost, parent: QWidget | None = None) -> None:
        super().__init__(db, host, parent)
        self.computed: Computed | None = None
        self.task: TaskHandle[Computed] | None = None
        self.export_task: TaskHandle[str] | None = None
        self.ready = False  # the tables show the newest computation
        self._again = False
        self._reader: Database | None = None

        self.status_label = note_label()
        self.include_check = QCheckBox("导出时列出成绩不完整的选手")
        self.include_check.setToolTip("列在表末，名次为空；不勾选时只导出成绩完整、已排名的选手")
        self.export_buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.addWidget(self.status_label, 1)
        bar.addWidget(self.include_check)
        for kind, (text, _f, _s) in KINDS.items():
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, k=kind: self.export(k))
            self.export_buttons[kind] = button
            bar.addWidget(button)
        self.awards_button = QPushButton("获奖方案…")
        self.awards_button.setToolTip("按人数或比例划定奖项，先看分界处的并列，再由裁判长确认（须PIN）")
        bar.addWidget(self.awards_button)

        self.model = RowModel(("名次",), "C")
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setSourceModel(self.model)
        self.view = table_view()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # ranking order
        self.team_model = RowModel(contest_results.TEAM_HEADERS, "CLRRRL")
        self.team_view = table_view()
        self.team_view.setModel(self.team_model)
        self.team_title = QLabel("团体排名")
        self.team_title.setStyleSheet(TITLE_STYLE)
        team_box = QWidget()
        team_layout = QVBoxLayout(team_box)
        team_layout.setContentsMargins(0, 0, 0, 0)
        team_layout.addWidget(self.team_title)
        team_layout.addWidget(self.team_view)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.view)
        left.addWidget(team_box)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 1)
        left.setChildrenCollapsible(False)

        self.explain_title = QLabel("为什么是这个名次")
        self.explain_title.setStyleSheet(TITLE_STYLE)
        self.explain_text = QPlainTextEdit()
        self.explain_text.setReadOnly(True)
        self.explain_text.setPlaceholderText(EXPLAIN_HINT)
        self.explain_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.explain_title)
        right_layout.addWidget(self.explain_text)
        right.setMinimumWidth(300)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([900, 380])  # the table's columns first; the explanation wraps
        splitter.setChildrenCollapsible(False)
        self.awards_label = note_label()
        box = QVBoxLayout(self)
        box.addLayout(bar)
        box.addWidget(splitter, 1)
        box.addWidget(self.awards_label)

        self.view.selectionModel().currentRowChanged.connect(self._explain_current)
        self.awards_button.clicked.connect(self.plan_awards)

    # ---- computing -------------------------------------------------------------------------------

    def _reader_db(self) -> Database:
        if self._reader is None:
            files = [r[2] for r in self.db.execute("PRAGMA database_list") if r[1] == "main"]
            # An in-memory database cannot be opened twice: read through the window's connection then.
            self._reader = connect(files[0]) if files and files[0] else self.db
        return self._reader

    def reload(self) -> None:
        self.ready = False
        if self.contest is None:
            self._show(None)
            return
        if self.task is not None and self.task.running:
            self._again = True  # one more computation when this one ends: it may have missed the last change
            return
        reader, contest_id = self._reader_db(), self.contest_id
        self.status_label.setStyleSheet(NOTE_STYLE)
        self.status_label.setText("正在计算排名…")
        self.task = run_reader(self, "计算排名", lambda _ctx: compute(reader, contest_id), self._loaded,
                               self._failed)

    def _loaded(self, computed: Computed) -> None:
        if self._again:
            self._again = False
            self.task = None
            self.reload()
            return
        if self.contest is None or computed.ranking.contest.id != self.contest.id:
            return  # another contest was chosen meanwhile
        self._show(computed)
        self.ready = True

    def _failed(self, exc: BaseException) -> None:
        self._again = False
        self._show(None)
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(f"无法计算排名：{exc}")
        self.ready = True

    def _show(self, computed: Computed | None) -> None:
        self.computed = computed
        r = computed.ranking if computed else None
        prizes = {a.competitor_id: a.prize for a in computed.awards} if computed else {}
        items = r.items if r else ()
        headers = ["名次", "抽签号", "姓名", "单位", *(it.name for it in items), "总分", "奖项", "说明"]
        model = RowModel(headers, "CCLL" + "R" * len(items) + "RCL",
                         tooltips=["", "", "", "", *(f"{it.method_text}，满分{it.full_marks}，权重{it.weight}%"
                                                     for it in items), "Σ 项目得分 ÷ 满分 × 权重，保留2位小数"])
        standings = list(r.standings) if r else []
        model.set_rows(standings, [self._cells(s, r, prizes) for s in standings] if r else [],
                       keys=[self._keys(s, r) for s in standings] if r else [],
                       muted=[s.place is None for s in standings])
        self.model = model
        self.proxy.setSourceModel(model)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)
        samples = {0: "名次", 1: "抽签号", 2: "欧阳某某", 3: "城乡一体化示范区"}
        samples.update({4 + i: "100.00" for i in range(len(items))})
        samples.update({4 + len(items): "100.00", 5 + len(items): "一等奖"})
        fit_columns(self.view, samples)
        teams = contest_results.team_rows(computed.teams) if computed else []
        self.team_model.set_rows(computed.teams if computed else [], [
            [str(t[0] or ""), str(t[1]), f"{t[2]:.2f}" if t[2] is not None else "", str(t[3]), str(t[4]), str(t[5])]
            for t in teams])
        fit_columns(self.team_view, {0: "名次", 1: "市城市管理综合执法支队", 2: "团体成绩", 3: "计入人数",
                                     4: "参赛人数"})
        self._show_status(computed)
        self.explain_text.clear()
        for w in (*self.export_buttons.values(), self.awards_button):
            w.setEnabled(computed is not None)

    @staticmethod
    def _cells(s: Standing, r: Ranking, prizes: dict[int, str]) -> list[str]:
        c = s.competitor
        if s.place is not None:
            note = s.decision.text() if s.decision else ""
        else:
            note = "成绩不完整，未排名" + "".join(f"；{item}：{why}" for item, why in s.shortfalls)
        scores = [s.item_text(i) for i in range(len(r.items))]
        return [str(s.place or ""), str(c.draw_no or ""), c.name, s.unit, *scores, s.total_text, prizes.get(c.id, ""),
                note]

    @staticmethod
    def _keys(s: Standing, r: Ranking) -> list[object]:
        last = 1 << 30  # no 名次 (incomplete) sorts after every place
        c = s.competitor
        return [s.place or last, c.draw_no or last, c.name, s.unit,
                *(m if m is not None else -1 for m in s.item_milli), s.total_x100 if s.total_x100 is not None else -1,
                "", s.decision.text() if s.decision else ""]

    def _show_status(self, computed: Computed | None) -> None:
        if computed is None:
            self.status_label.setText("" if self.contest is None else self.status_label.text())
            self.awards_label.clear()
            return
        r = computed.ranking
        unlocked = [it.name for it in r.items if not it.locked]
        state = "全部项目已锁定" if not unlocked else f"初稿（未锁定：{'、'.join(unlocked)}）"
        flags = len(r.open_flags)
        parts = [f"参赛 {len(r.standings)} 人，排名 {len(r.ranked)} 人"]
        if r.incomplete:
            parts.append(f"成绩不完整 {len(r.incomplete)} 人（灰色，列于表末）")
        if flags:
            parts.append(f"待处理分差提示 {flags} 个")
        parts.append(state)
        parts.append(f"计算用时 {computed.seconds * 1000:.0f} 毫秒")
        self.status_label.setStyleSheet(NOTE_STYLE)
        self.status_label.setText("；".join(parts))
        if computed.awards:
            counts: dict[str, int] = {}
            for a in computed.awards:
                counts[a.prize] = counts.get(a.prize, 0) + 1
            self.awards_label.setText("已确认获奖名单：" + "、".join(f"{k} {v} 人" for k, v in counts.items()))
        else:
            self.awards_label.setText("尚未确认获奖名单。")

    # ---- why this rank -----------------------------------------------------------------------------

    def select_competitor(self, competitor_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            s = self.model.object_at(self.proxy.mapToSource(self.proxy.index(row, 0)).row())
            if s.competitor.id == competitor_id:
                self.view.selectRow(row)
                return True
        return False

    def _explain_current(self, *_: object) -> None:
        index = self.view.currentIndex()
        if self.computed is None or not index.isValid():
            self.explain_text.clear()
            return
        s: Standing = self.model.object_at(self.proxy.mapToSource(index).row())
        r = self.computed.ranking
        lines = ranking.explain(self.db, r.contest.id, s.competitor.id, r).lines()
        self.explain_title.setText(f"为什么是这个名次 — {s.competitor.draw_no}号 {s.competitor.name}")
        self.explain_text.setPlainText("\n".join(lines))

    # ---- exports and awards ------------------------------------------------------------------------

    def export(self, kind: str) -> None:
        if self.contest is None:
            return
        text, file_filter, suffix = KINDS[kind]
        title = text.rstrip("…")
        path = self.host.prompts.save_path(title, file_name(self.contest.name, kind), file_filter, suffix)
        if not path:
            return
        db, contest_id, everyone = self.db, self.contest_id, self.include_check.isChecked()

        def work(_ctx: TaskContext) -> str:
            # Recomputed here, from the stored scores of this moment: the file never shows an older table.
            write_ranking(ranking.compute(db, contest_id), path, kind, everyone)
            return path

        def failed(exc: BaseException) -> None:
            if isinstance(exc, OSError):
                self.host.prompts.refuse(title, f"无法写入 {path}（文件是否正在被其他程序打开？）\n{exc}")
            else:
                self.host.prompts.refuse(title, f"{title}失败：{exc}")

        self.export_task = run_task(self, title, work, lambda p: self.host.prompts.saved(title, p), failed,
                                    cancellable=False)

    def plan_awards(self) -> None:
        if self.computed is None or self.contest is None:
            return
        from ui.awards_dialog import AwardsDialog

        dialog = AwardsDialog(self.db, self.computed.ranking, self.host.chief(), self)
        dialog.confirmed.connect(self._awards_confirmed)
        self.host.open_dialog(dialog)

    def _awards_confirmed(self, _awards: object) -> None:
        self.reload()
        self.changed.emit()


def table_rows(view: QTableView) -> list[list[str]]:
    """The texts a view shows, in its order (tests and the screenshot check read them)."""
    model = view.model()
    return [[str(model.index(r, c).data() or "") for c in range(model.columnCount())] for r in range(model.rowCount())]
