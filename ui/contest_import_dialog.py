"""Importing a contest workbook (比武信息 / 比武项目 / 选手 / 评委 / 评分) or, for a contest already set up, a
judges' score file: read and check off the GUI thread, show what would be written and every problem as
`第R行 列名: 原因`, and write only a clean file — everything in one transaction, or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from exports.tables import read_score_file, read_sheets
from trainer import contest_import
from trainer.contest_import import ScoresPlan, WorkbookPlan
from trainer.contest_values import show_plain
from trainer.tabular import RowProblem
from ui.class_tab import fit_columns, note_label, table_view
from ui.preview_import_dialog import banner_style, read_failure
from ui.prompts import Prompts
from ui.row_model import RowModel
from ui.worker import TaskContext, TaskHandle, run_task

WORKBOOK_FILTER = "比武工作簿 (*.xlsx *.xls);;所有文件 (*)"
SCORES_FILTER = "成绩文件 (*.xlsx *.xls *.csv);;所有文件 (*)"
WORKBOOK_HINT = ("工作表：比武信息（可选：字段、内容；团体成绩填合计或前N名，前N名另填N）、比武项目（项目名称、"
                 "计分方式、满分、权重、小数位、决胜顺序、分差上限、类型：个人或团体）、选手（抽签号、姓名、身份证号、单位）、"
                 "评委（评委编号、姓名、单位、评分项目）、评分（可选：项目名称、抽签号、评委编号、分数）。"
                 "个人项目权重合计须为100；团体项目的队号导入后在“设置”中抽取。")
SCORES_HINT = ("成绩文件的列：项目名称、抽签号、评委编号（单一成绩项目留空）、分数；评分细则项目另加“评分细则”列。"
               "分数为空表示未评分。与已录入成绩不同的行会被拒绝（修改须在录入界面说明原因）。")
ITEM_HEADERS = ("项目名称", "类型", "计分方式", "满分", "权重", "小数位", "决胜顺序", "分差上限")


class ContestImportDialog(QDialog):
    """A workbook (new contest) when `contest_id` is None, else a score file for that contest.
    Emits `imported(result)` after a successful write."""

    imported = Signal(object)

    def __init__(self, db: Database, prompts: Prompts, actor: str, parent: QWidget | None = None, *,
                 contest_id: int | None = None, path: str | None = None) -> None:
        super().__init__(parent)
        self.db, self.prompts, self.actor, self.contest_id = db, prompts, actor, contest_id
        self.path = path
        self.plan: WorkbookPlan | ScoresPlan | None = None
        self.result: Any = None
        self.task: TaskHandle[Any] | None = None
        self._started = False
        self.workbook = contest_id is None
        self.setWindowTitle("导入比武工作簿" if self.workbook else "导入成绩文件")
        self.resize(1000, 700)

        self.file_label = QLabel("未选择文件")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton("选择文件…")
        self.reload_button = QPushButton("重新读取")
        self.reload_button.setToolTip("在 Excel 中改正并保存文件后，重新读取同一文件")
        top = QHBoxLayout()
        top.addWidget(QLabel("文件："))
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose_button)
        top.addWidget(self.reload_button)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)
        self.item_model = RowModel(ITEM_HEADERS, "LCLRRCCR")
        self.item_view = table_view()
        self.item_view.setModel(self.item_model)
        self.item_view.setVisible(self.workbook)
        self.item_view.horizontalHeader().setStretchLastSection(False)
        self.problems_title = QLabel("问题清单")
        self.problems_model = QStringListModel()
        self.problems_view = QListView()
        self.problems_view.setModel(self.problems_model)
        self.problems_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems_view.setUniformItemSizes(True)
        self.confirm_button = QPushButton("确认导入")
        self.close_button = QPushButton("关闭")
        for b in (self.choose_button, self.reload_button, self.confirm_button, self.close_button):
            b.setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.confirm_button)
        bottom.addWidget(self.close_button)

        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(note_label(WORKBOOK_HINT if self.workbook else SCORES_HINT))
        box.addWidget(self.banner)
        box.addWidget(self.summary_label)
        box.addWidget(self.item_view, 1)
        box.addWidget(self.problems_title)
        box.addWidget(self.problems_view, 2)
        box.addLayout(bottom)

        self.choose_button.clicked.connect(self.choose_file)
        self.reload_button.clicked.connect(lambda: self.load(self.path) if self.path else None)
        self.confirm_button.clicked.connect(self.confirm)
        self.close_button.clicked.connect(self.reject)
        self._set_banner("info", "请选择文件。")
        self._refresh_buttons()

    # ---- reading and checking --------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._started:
            self._started = True
            QTimer.singleShot(0, (lambda: self.load(self.path or "")) if self.path else self._choose_first)

    def _choose_first(self) -> None:
        if not self.choose_file() and self.plan is None:
            self.reject()

    def choose_file(self) -> bool:
        path = self.prompts.open_path("选择比武工作簿" if self.workbook else "选择成绩文件",
                                      WORKBOOK_FILTER if self.workbook else SCORES_FILTER)
        if not path:
            return False
        self.load(path)
        return True

    @property
    def busy(self) -> bool:
        return self.task is not None and self.task.running

    def load(self, path: str) -> None:
        self.path, self.plan, self.result = path, None, None
        self.file_label.setText(path)
        self._show_plan()
        self._set_banner("info", "正在读取和检查…")
        db, contest_id, workbook = self.db, self.contest_id, self.workbook

        def work(ctx: TaskContext) -> WorkbookPlan | ScoresPlan:
            ctx.status(f"正在读取 {Path(path).name} …")
            if workbook:
                return contest_import.plan_workbook(db, read_sheets(path), default_name=Path(path).stem)
            assert contest_id is not None
            return contest_import.plan_scores(db, contest_id, read_score_file(path))

        self.task = run_task(self, "读取文件", work, self._loaded, self._load_failed)
        self._refresh_buttons()

    def _loaded(self, plan: WorkbookPlan | ScoresPlan) -> None:
        self.plan = plan
        self._show_plan()
        if plan.problems:
            self._set_banner("error", f"发现 {len(plan.problems)} 处问题（见下方问题清单），有问题时不能导入，"
                             "未写入任何数据。请在 Excel 中改正并保存文件，然后点击“重新读取”。")
        elif self.to_write == 0:
            self._set_banner("ok", "检查通过：文件中没有需要写入的新成绩。")
        else:
            self._set_banner("ok", "检查通过。点击“确认导入”写入数据库（全部写入，或出错时全部不写入）。")
        self._refresh_buttons()

    def _load_failed(self, exc: BaseException) -> None:
        self._set_banner(*read_failure(exc))
        self._refresh_buttons()

    @property
    def problems(self) -> list[RowProblem]:
        return list(self.plan.problems) if self.plan is not None else []

    @property
    def to_write(self) -> int:
        if isinstance(self.plan, WorkbookPlan):
            return 1 if self.plan.contest is not None else 0
        return len(self.plan.values) if isinstance(self.plan, ScoresPlan) else 0

    def _show_plan(self) -> None:
        plan = self.plan
        self.problems_model.setStringList([str(p) for p in self.problems])
        self.problems_title.setText(f"问题清单（{len(self.problems)} 处）" if plan is not None else "问题清单")
        if isinstance(plan, WorkbookPlan):
            c = plan.contest
            scores = len(plan.scores.values) if plan.scores else 0
            head = (f"<b>{c.name}</b>　{c.start_date or ''}{'至' + str(c.end_date) if c.end_date else ''}　"
                    f"{c.venue}　{c.organiser}<br>" if c else "")
            warnings = "".join(f"<br><span style='color:#6b4e00'>提示：{w}</span>" for w in plan.warnings)
            partial = "（有问题的行不计在内）" if plan.problems else ""
            self.summary_label.setText(f"{head}项目 {len(plan.items)} 个，选手 {len(plan.competitors)} 人，"
                                       f"评委 {len(plan.judges)} 人，成绩 {scores} 条{partial}{warnings}")
            self.item_model.set_rows([spec for _r, spec in plan.items], [
                [s.name, s.kind, s.method, show_plain(int(s.full_marks * 1000)), f"{s.weight}%", str(s.decimals),
                 str(s.tiebreak or ""), str(s.max_spread) if s.max_spread is not None else ""]
                for _r, s in plan.items])
            fit_columns(self.item_view, {0: "情景模拟执法", 1: "类型", 2: "去掉最高最低取平均", 3: "满分", 4: "权重",
                                         5: "小数位", 6: "决胜顺序", 7: "分差上限"})
        elif isinstance(plan, ScoresPlan):
            self.summary_label.setText(f"新成绩 {len(plan.values)} 条，与已录入相同 {plan.unchanged} 条，"
                                       f"未评分（分数为空） {plan.not_scored} 行")
        else:
            self.summary_label.setText("")
            self.item_model.set_rows([], [])

    # ---- writing ---------------------------------------------------------------------------------

    @property
    def can_confirm(self) -> bool:
        return self.plan is not None and not self.problems and self.result is None and not self.busy \
            and self.to_write > 0

    def confirm(self) -> None:
        if not self.can_confirm:
            return
        db, plan, actor, origin = self.db, self.plan, self.actor, Path(self.path or "").name

        def work(ctx: TaskContext) -> object:
            ctx.status("正在写入…")
            if isinstance(plan, WorkbookPlan):
                return contest_import.apply_workbook(db, plan, actor, origin=origin)
            assert isinstance(plan, ScoresPlan)
            return contest_import.apply_scores(db, plan, actor, origin=origin)

        self.task = run_task(self, "导入", work, self._applied, self._apply_failed, cancellable=False)
        self._refresh_buttons()

    def _applied(self, result: Any) -> None:
        self.result = result
        self._set_banner("ok", f"导入完成：{result.summary()}。")
        self.close_button.setText("完成")
        self._refresh_buttons()
        self.imported.emit(result)

    def _apply_failed(self, exc: BaseException) -> None:
        self._set_banner("error", f"导入失败，未写入任何数据：{exc}")
        self._refresh_buttons()

    def _set_banner(self, kind: str, text: str) -> None:
        self.banner_kind = kind
        self.banner.setText(text)
        self.banner.setStyleSheet(banner_style(kind))

    def _refresh_buttons(self) -> None:
        self.confirm_button.setEnabled(self.can_confirm)
        self.reload_button.setEnabled(bool(self.path) and not self.busy)
        self.choose_button.setEnabled(not self.busy)
