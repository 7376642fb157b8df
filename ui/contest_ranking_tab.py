"""The 成绩排名 tab: the individual ranking (名次, 抽签号, 姓名, 单位, item scores, 总分, the tie-break that
decided a place) and the team ranking; 「为什么是这个名次」 beside it for the selected competitor; exports to
CSV, Excel and PDF; the award plan and the award certificates; 「打印与导出」, a menu of the contest's other
documents (抽签结果表, 密封编号对照表, 评委评分表, 单项成绩汇总表, 团体排名表, 获奖名单, 公示, 评委评分尺度表), each as
PDF or Excel, asking for the judge, item or 公示 details where the document needs them.

The ranking is recomputed on a reader thread with its own connection (WAL lets it read while the window
writes), so the window never waits for it however large the contest; exports run behind a progress dialog.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import (
    award_certificates,
    contest,
    contest_awards,
    contest_people,
    contest_report,
    contest_results,
    ranking,
)
from trainer.award_certificates import AwardIssue
from trainer.contest import ContestError, Item
from trainer.contest_awards import Award
from trainer.contest_people import Judge
from trainer.contest_report import NoticeOptions
from trainer.db import connect
from trainer.ranking import Ranking, Standing, TeamStanding
from ui.class_tab import ERROR_STYLE, NOTE_STYLE, fit_columns, note_label, stretch_column, table_view
from ui.contest_exports import DOCUMENTS, FORMATS, KINDS, document_name, file_name, write_document, write_ranking
from ui.contest_tab import ContestHost, ContestTab
from ui.row_model import SORT_ROLE, RowModel
from ui.worker import TaskContext, TaskHandle, run_reader, run_task

EXPLAIN_HINT = ("选择左侧一名选手，这里列出其名次的完整计算：每位评委的评分、去掉的最高分和最低分、平均与四舍五入、"
                "扣分、按权重折合、总分，以及总分相同时如何决出名次。选择团体排名中的一个单位，列出其团体成绩的计算。")
TITLE_STYLE = "font-weight: bold; font-size: 11pt;"
TEAM_NOTE_COLUMN = contest_results.TEAM_HEADERS.index("说明")
ASKS = frozenset({"sheets", "summary", "codes", "notice"})  # documents that ask for a judge, item or 公示 details
ISSUE_QUESTION = ("按已确认的获奖名单颁发获奖证书？\n证书记入证书登记簿；此前已颁发的不会重复颁发。"
                  "颁发后请到“证书管理”中打印。")


def open_document(path: str | Path) -> None:
    """Open a written file with the system's viewer (tests replace this)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class PrintOptionsDialog(QDialog):
    """What a document needs before it is written: judge and item (评分表), item (汇总表, 密封编号), or the
    公示 period and contact. Emits `chosen(dict)` with write_document's keyword arguments."""

    chosen = Signal(object)

    def __init__(self, kind: str, judges: list[Judge], items: list[Item], today: dt.date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setWindowTitle(f"打印{DOCUMENTS[kind]}")
        self.setMinimumWidth(420)
        form = QFormLayout()
        self.judge_combo: QComboBox | None = None
        self.item_combo: QComboBox | None = None
        self.filled_check: QCheckBox | None = None
        if kind == "sheets":
            self.judge_combo = QComboBox()
            self.judge_combo.addItem("全部评委（每位评委每个项目一份）", None)
            for j in judges:
                self.judge_combo.addItem(f"{j.code} {j.name}", j.code)
            form.addRow("评委：", self.judge_combo)
        if kind in ("sheets", "summary", "codes"):
            self.item_combo = QComboBox()
            shown = [it for it in items if (it.judged if kind == "sheets" else it.blind if kind == "codes" else True)]
            self.item_combo.addItem("全部密封项目" if kind == "codes" else "全部项目", None)
            for it in shown:
                self.item_combo.addItem(it.name + ("（密封）" if it.blind and kind == "sheets" else ""), it.name)
            form.addRow("项目：", self.item_combo)
        if kind == "sheets":
            self.filled_check = QCheckBox("填入已录入的分数（核对稿）；不勾选为空白评分表")
            form.addRow("", self.filled_check)
        self.days_spin = QSpinBox()
        self.start_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.contact_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        if kind == "notice":
            self.days_spin.setRange(1, 30)
            self.days_spin.setValue(5)
            self.days_spin.setSuffix(" 个工作日")
            self.start_edit.setCalendarPopup(True)
            self.start_edit.setDisplayFormat("yyyy-MM-dd")
            self.contact_edit.setPlaceholderText("如：李静（可留空，打印后手写）")
            self.phone_edit.setPlaceholderText("如：0375-1234567")
            form.addRow("公示期：", self.days_spin)
            form.addRow("开始日期：", self.start_edit)
            form.addRow("联系人：", self.contact_edit)
            form.addRow("联系电话：", self.phone_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("生成…")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(buttons)

    def options(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.judge_combo is not None:
            out["judge"] = self.judge_combo.currentData()
        if self.item_combo is not None:
            out["item"] = self.item_combo.currentData()
        if self.filled_check is not None:
            out["filled"] = self.filled_check.isChecked()
        if self.kind == "notice":
            d = self.start_edit.date()
            out["notice"] = NoticeOptions(self.days_spin.value(), dt.date(d.year(), d.month(), d.day()),
                                          self.contact_edit.text().strip(), self.phone_edit.text().strip())
        return out

    def accept(self) -> None:
        options = self.options()
        super().accept()
        self.chosen.emit(options)


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
        bar.addWidget(self.include_check)
        bar.addStretch(1)
        bar.addWidget(QLabel("导出排名："))
        for kind, (text, _f, _s) in KINDS.items():
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, k=kind: self.export(k))
            self.export_buttons[kind] = button
            bar.addWidget(button)
        self.awards_button = QPushButton("获奖方案…")
        self.awards_button.setToolTip("按人数或比例划定奖项，先看分界处的并列，再由裁判长确认（须PIN）")
        bar.addWidget(self.awards_button)
        self.cert_button = QPushButton("颁发获奖证书…")
        self.cert_button.setToolTip("按已确认的获奖名单颁发获奖证书（记入证书登记，不重复颁发），到“证书管理”打印")
        bar.addWidget(self.cert_button)
        self.print_task: TaskHandle[str] | None = None
        self.cert_task: TaskHandle[AwardIssue] | None = None
        self.print_button = QToolButton()
        self.print_button.setText("打印与导出")
        self.print_button.setToolTip("抽签结果表、密封编号对照表、评委评分表、单项成绩汇总表、团体排名表、获奖名单、"
                                     "公示、评委评分尺度表：PDF 或 Excel")
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.print_menu = QMenu(self.print_button)
        self.print_actions: dict[tuple[str, str], Any] = {}
        for kind, name in DOCUMENTS.items():
            sub = self.print_menu.addMenu(name)
            for fmt, (text, _f, _s) in FORMATS.items():
                action = sub.addAction(text)
                action.triggered.connect(lambda _=False, k=kind, f=fmt: self.print_document(k, f))
                self.print_actions[(kind, fmt)] = action
        self.print_button.setMenu(self.print_menu)
        bar.addWidget(self.print_button)

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
        # 说明 says how a team score was built: it takes the spare width and wraps (its tooltip has it all)
        self.team_view.setWordWrap(True)
        self.team_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        stretch_column(self.team_view, TEAM_NOTE_COLUMN)
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
        box.addWidget(self.status_label)  # a line of its own: the buttons would squeeze it
        box.addLayout(bar)
        box.addWidget(splitter, 1)
        box.addWidget(self.awards_label)

        self.view.selectionModel().currentRowChanged.connect(self._explain_current)
        self.team_view.selectionModel().currentRowChanged.connect(self._explain_team)
        self.awards_button.clicked.connect(self.plan_awards)
        self.cert_button.clicked.connect(self.issue_certificates)

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
        self.cert_button.setEnabled(bool(computed and computed.awards))
        self.print_button.setEnabled(self.contest is not None)  # the draw list and sheets need no ranking

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
        unlocked = [it.name for it in r.all_items if not it.locked]
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

    def select_team(self, name: str) -> bool:
        for row, t in enumerate(self.team_model.objects()):
            if t.name == name:
                self.team_view.selectRow(row)
                return True
        return False

    def _explain_team(self, *_: object) -> None:
        index = self.team_view.currentIndex()
        if self.computed is None or not index.isValid():
            return
        t: TeamStanding = self.team_model.object_at(index.row())
        label = f"（{t.entry.competitor.label}）" if t.entry is not None and t.entry.competitor.team_no else ""
        self.explain_title.setText(f"为什么是这个名次 — {t.name}{label}")
        self.explain_text.setPlainText("\n".join(team_lines(self.db, self.computed.ranking, t)))

    # ---- exports and awards ------------------------------------------------------------------------

    def export(self, kind: str) -> None:
        if self.contest is None:
            return
        text, file_filter, suffix = KINDS[kind]
        title = "导出排名" + text.rstrip("…")
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

    def issue_certificates(self) -> None:
        if self.contest is None:
            return
        title = "颁发获奖证书"
        if not self.host.prompts.confirm(title, ISSUE_QUESTION, yes="颁发", no="取消"):
            return
        db, contest_id = self.db, self.contest_id

        def failed(exc: BaseException) -> None:
            self.host.prompts.refuse(title, f"未颁发：{exc}")

        self.cert_task = run_task(self, title, lambda _ctx: award_certificates.issue(db, contest_id),
                                  lambda result: self.host.prompts.inform(title, result.summary()), failed,
                                  cancellable=False)

    # ---- 打印与导出 ----------------------------------------------------------------------------------

    def print_document(self, kind: str, fmt: str) -> None:
        """Ask what the document needs (judge, item, 公示 details), then where to save it, then write it."""
        if self.contest is None:
            return
        if kind not in ASKS:
            self._write_document(kind, fmt, {})
            return
        dialog = PrintOptionsDialog(kind, contest_people.judges(self.db, self.contest_id),
                                    contest.items(self.db, self.contest_id), self._today(), self)
        dialog.chosen.connect(lambda options: self._write_document(kind, fmt, options))
        self.host.open_dialog(dialog)

    def _today(self) -> dt.date:
        today = getattr(self.host, "today", None)
        return today if isinstance(today, dt.date) else dt.date.today()

    def _write_document(self, kind: str, fmt: str, options: dict[str, Any]) -> None:
        if self.contest is None:
            return
        title = DOCUMENTS[kind]
        _text, file_filter, suffix = FORMATS[fmt]
        name = document_name(self.contest.name, kind, fmt, judge=options.get("judge"), item=options.get("item"))
        path = self.host.prompts.save_path(f"打印{title}", name, file_filter, suffix)
        if not path:
            return
        db, contest_id, today = self.db, self.contest_id, self._today()

        def work(_ctx: TaskContext) -> str:
            return write_document(db, contest_id, kind, fmt, path, today=today, **options)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, OSError):
                self.host.prompts.refuse(title, f"无法写入 {path}（文件是否正在被其他程序打开？）\n{exc}")
            elif isinstance(exc, ContestError):
                self.host.prompts.refuse(title, f"无法生成{title}：{exc}")
            else:
                self.host.prompts.refuse(title, f"{title}生成失败：{exc}")

        self.print_task = run_task(self, f"生成{title}", work, lambda p: self._offer_open(title, p), failed,
                                   cancellable=False)

    def _offer_open(self, title: str, path: str) -> None:
        if self.host.prompts.confirm(title, f"已保存到：\n{path}", yes="打开文件", no="关闭"):
            open_document(path)


def team_lines(db: Database, r: Ranking, t: TeamStanding) -> list[str]:
    """A team's place line by line: the rule, how its score was built, whose totals count, the tie-break, then
    the 团体 items' whole calculation (ranking.explain on the team's row)."""
    head = f"{t.name}：第{t.place}名，团体成绩{t.total_text}" if t.place is not None else f"{t.name}：未排名"
    out = [head, f"计法：{contest_report.team_rule(r)}"]
    if t.basis:
        out.append(f"计算：{t.basis}")
    elif t.members_x100 is not None or t.total_x100 is not None:
        out.append(f"计算：个人总分合计 = {t.total_text or '—'}")
    if t.note:
        out.append(f"说明：{t.note}")
    counted = {s.competitor.id for s in t.counted}
    if t.counted:
        out.append("计入成绩的选手：" + "、".join(f"{s.competitor.draw_no}号{s.competitor.name} {s.total_text}"
                                           for s in t.counted))
    rest = [s for s in t.members if s.competitor.id not in counted]
    if rest:
        out.append("未计入：" + "、".join(f"{s.competitor.draw_no}号{s.competitor.name} "
                                      + (s.total_text if s.total_x100 is not None else "成绩不完整") for s in rest))
    if t.decision_text:
        out.append(t.decision_text)
    if t.entry is not None:
        out.append("")
        out += ranking.explain(db, r.contest.id, t.entry.competitor.id, r).lines()
    return out


def table_rows(view: QTableView) -> list[list[str]]:
    """The texts a view shows, in its order (tests and the screenshot check read them)."""
    model = view.model()
    return [[str(model.index(r, c).data() or "") for c in range(model.columnCount())] for r in range(model.rowCount())]
