"""Roster import: choose a file, preview every row with its problems, and only then write, all or nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from exports.tables import TableReadError, read_table
from trainer import roster
from trainer.person_fields import REQUIRED
from trainer.roster import NEW, UNCHANGED, UPDATED, ImportPlan, ImportResult
from trainer.tabular import RawTable
from ui.import_preview import ImportPreviewModel, ProblemRowsFilter
from ui.worker import TaskContext, TaskHandle, is_cancellation, run_task

FILE_FILTER = "花名册 (*.xlsx *.xls *.csv);;所有文件 (*)"
BANNER_STYLES = {
    "info": "background:#eef3fa; border:1px solid #b9c9e0; color:#1f3a5f;",
    "ok": "background:#e8f5ec; border:1px solid #9fd0ad; color:#14532d;",
    "warn": "background:#fff6e0; border:1px solid #e6c66e; color:#6b4e00;",
    "error": "background:#fdecec; border:1px solid #e39a9a; color:#8b0000;",
}


class RosterImportDialog(QDialog):
    """Emits `imported(ImportResult)` after a successful write."""

    imported = Signal(object)

    def __init__(self, db: Database, parent: QWidget | None = None, path: str | None = None):
        super().__init__(parent)
        self.db = db
        self.path: str | None = path
        self.table: RawTable | None = None
        self.plan: ImportPlan | None = None
        self.import_result: ImportResult | None = None
        self.task: TaskHandle[object] | None = None  # the running or last background task (tests wait on it)
        self._started = False
        self.setWindowTitle("导入花名册")
        self.resize(1280, 760)
        self._build()
        self._set_banner("info", "请选择花名册文件（.xlsx、.xls 或 .csv）。")
        self._refresh_buttons()

    # ---- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.file_label = QLabel("未选择文件")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton("选择文件…")
        self.reload_button = QPushButton("重新读取")
        self.reload_button.setToolTip("在 Excel 中改正并保存文件后，重新读取同一文件")
        for b in (self.choose_button, self.reload_button):
            b.setAutoDefault(False)
        self.choose_button.clicked.connect(self.choose_file)
        self.reload_button.clicked.connect(self.reload)
        top = QHBoxLayout()
        top.addWidget(QLabel("文件："))
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose_button)
        top.addWidget(self.reload_button)

        hint = QLabel("表头须包含必填列：" + "、".join(REQUIRED) + "；其他列可选，列的顺序不限，多余的列不导入。"
                      "按身份证号匹配：已有的人员更新，没有的新增。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555;")

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts_label = QLabel()
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)

        self.model = ImportPreviewModel()
        self.proxy = ProblemRowsFilter()
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the model's order: problems first
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(False)  # the red marks must be the only colouring
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)

        self.only_problems = QCheckBox("只看有问题的行")
        self.only_problems.toggled.connect(self.proxy.set_only_problems)
        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        above_table = QHBoxLayout()
        above_table.addWidget(self.counts_label, 1)
        above_table.addWidget(self.only_problems)
        table_layout.addLayout(above_table)
        table_layout.addWidget(self.view)

        self.problems_title = QLabel("问题清单")
        self.problems_model = QStringListModel()
        self.problems_view = QListView()
        self.problems_view.setModel(self.problems_model)
        self.problems_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems_view.setUniformItemSizes(True)
        self.problems_view.clicked.connect(self._show_problem)
        problems_box = QWidget()
        problems_layout = QVBoxLayout(problems_box)
        problems_layout.setContentsMargins(0, 0, 0, 0)
        problems_layout.addWidget(self.problems_title)
        problems_layout.addWidget(self.problems_view)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(table_box)
        splitter.addWidget(problems_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        self.confirm_button = QPushButton("确认导入")
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.clicked.connect(self.confirm)
        self.close_button = QPushButton("关闭")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.confirm_button)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

    # ---- reading and checking -----------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._started:
            self._started = True
            # After the dialog is on screen, so the progress dialog and file chooser have a parent to sit on.
            QTimer.singleShot(0, self.reload if self.path else self._choose_initial_file)

    def _choose_initial_file(self) -> None:
        if not self.choose_file() and self.plan is None:
            self.reject()  # the user backed out of choosing: nothing to import

    def ask_open_path(self) -> str | None:
        """The file chooser (tests replace this)."""
        start = str(Path(self.path).parent) if self.path else str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(self, "选择花名册文件", start, FILE_FILTER)
        return chosen or None

    def choose_file(self) -> bool:
        chosen = self.ask_open_path()
        if not chosen:
            return False
        self.load(chosen)
        return True

    def reload(self) -> None:
        if self.path:
            self.load(self.path)

    def load(self, path: str) -> None:
        """Read and check `path` in the background; the preview replaces the previous one."""
        self.path = path
        self.file_label.setText(path)
        self.file_label.setToolTip(path)
        self.import_result = None
        self._show_plan(None, None)
        self._set_banner("info", "正在读取和检查…")
        db = self.db

        def work(ctx: TaskContext) -> tuple[RawTable, ImportPlan]:
            ctx.status(f"正在读取 {Path(path).name} …")
            table = read_table(path)
            ctx.check()
            ctx.status(f"正在检查 {len(table.rows)} 行…")

            def progress(done: int, total: int) -> None:
                ctx.progress(done, total)
                ctx.check()  # checking writes nothing, so it may stop anywhere

            return table, roster.plan_import(db, table, progress=progress)

        self.task = run_task(self, "读取花名册", work, self._loaded, self._load_failed)  # type: ignore[arg-type]
        self._refresh_buttons()

    def _loaded(self, value: tuple[RawTable, ImportPlan]) -> None:
        table, plan = value
        self._show_plan(table, plan)
        counts = plan.counts()
        bad_rows = sum(1 for r in plan.rows if r.problems)
        if not plan.rows and plan.problems:
            missing = "、".join(p.column for p in plan.problems)
            self._set_banner("error", f"文件缺少必填列：{missing}。第{table.header_row}行被当作表头，"
                             f"请确认表头包含 {'、'.join(REQUIRED)}，改好后点击“重新读取”。未写入任何数据。")
        elif plan.problems:
            self._set_banner("error", f"发现 {len(plan.problems)} 处问题（涉及 {bad_rows} 行），已在表中标红，"
                             "鼠标停在红色单元格上可看原因。请在 Excel 中改正并保存文件，然后点击“重新读取”；"
                             "有问题时不能导入，未写入任何数据。")
        elif not plan.rows:
            self._set_banner("warn", "文件中没有人员数据行。")
        elif counts[NEW] + counts[UPDATED] == 0:
            self._set_banner("ok", f"检查通过：全部 {counts[UNCHANGED]} 人与数据库中的记录相同，无需导入。")
        else:
            self._set_banner("ok", f"检查通过，共 {len(plan.rows)} 行。点击“确认导入”写入数据库"
                             "（全部写入，或出错、取消时全部不写入）。")

    def _load_failed(self, exc: BaseException) -> None:
        if is_cancellation(exc):
            self._set_banner("warn", "已取消读取。")
        elif isinstance(exc, TableReadError):
            self._set_banner("error", f"{exc}。请检查文件后点击“重新读取”，或选择其他文件。")
        else:
            self._set_banner("error", f"读取或检查文件时出错：{exc}")
        self._refresh_buttons()

    def _show_plan(self, table: RawTable | None, plan: ImportPlan | None) -> None:
        self.table, self.plan = table, plan
        self.model.set_plan(plan, table.headers if table else [])
        self.problems_model.setStringList([str(p) for p in plan.problems] if plan else [])
        self.problems_title.setText(f"问题清单（{len(plan.problems)} 处）" if plan else "问题清单")
        self.only_problems.setEnabled(bool(plan and plan.problems))
        if not (plan and plan.problems):
            self.only_problems.setChecked(False)
        self._update_counts()
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # new plan: problems first
        if plan is not None:
            self._fit_columns()
        self._refresh_buttons()

    def _fit_columns(self, sample: int = 200) -> None:
        """Width from the header and the first rows (problems come first); Qt's own fit reads 1000 rows
        through Python and freezes the window for a second on a big roster."""
        bold = QFont(self.view.font())
        bold.setBold(True)
        metrics, header = QFontMetrics(bold), self.view.horizontalHeader()
        rows = min(sample, self.model.rowCount())
        for c in range(self.model.columnCount()):
            texts = [str(self.model.headerData(c, Qt.Orientation.Horizontal))]
            texts += [str(self.model.index(r, c).data() or "") for r in range(rows)]
            width = max(metrics.horizontalAdvance(t) for t in texts) + 18
            header.resizeSection(c, min(width, 240))  # a long bad value must not push the rest off screen

    def _update_counts(self) -> None:
        if self.plan is None:
            self.counts_label.setText("")
            return
        c = self.plan.counts()
        bad_rows = sum(1 for r in self.plan.rows if r.problems)
        problems = len(self.plan.problems)
        colour = "#b00020" if problems else "#14532d"
        self.counts_label.setText(
            f"共 {len(self.plan.rows)} 行：<b style='color:#1b7f3b'>新增 {c[NEW]}</b>　"
            f"<b style='color:#1f5fa8'>更新 {c[UPDATED]}</b>　<b style='color:#555'>未变 {c[UNCHANGED]}</b>　"
            f"<b style='color:{colour}'>问题 {problems} 处（{bad_rows} 行）</b>")

    def _show_problem(self, index: QModelIndex) -> None:
        """Clicking a problem selects its cell in the table."""
        if self.plan is None:
            return
        problem = self.plan.problems[index.row()]
        source_row = self.model.source_row_of(problem.row)
        if source_row is None:
            return
        column = self.model.column_of(problem.column) or 0
        target = self.proxy.mapFromSource(self.model.index(source_row, column))
        if target.isValid():
            self.view.setCurrentIndex(target)
            self.view.scrollTo(target, QAbstractItemView.ScrollHint.PositionAtCenter)

    # ---- writing ------------------------------------------------------------------------------

    @property
    def can_confirm(self) -> bool:
        if self.plan is None or not self.plan.ok or self.import_result is not None or self.busy:
            return False
        c = self.plan.counts()
        return c[NEW] + c[UPDATED] > 0

    @property
    def busy(self) -> bool:
        return self.task is not None and self.task.running

    def confirm(self) -> None:
        if not self.can_confirm:
            return
        plan, db = self.plan, self.db
        assert plan is not None

        def work(ctx: TaskContext) -> ImportResult:
            ctx.status(f"正在写入 {plan.counts()[NEW] + plan.counts()[UPDATED]} 人…")
            return roster.apply_import(db, plan, progress=ctx.progress, cancelled=ctx.cancelled)

        self.task = run_task(self, "导入花名册", work, self._applied, self._apply_failed)  # type: ignore[arg-type]
        self._refresh_buttons()

    def _applied(self, result: ImportResult) -> None:
        self.import_result = result
        self._set_banner("ok", f"导入完成：{result.summary()}。")
        self.close_button.setText("完成")
        self._refresh_buttons()
        self.imported.emit(result)

    def _apply_failed(self, exc: BaseException) -> None:
        if is_cancellation(exc):
            self._set_banner("warn", "已取消导入，未写入任何数据（数据库保持导入前的状态）。可再次点击“确认导入”。")
        else:
            self._set_banner("error", f"导入失败，未写入任何数据：{exc}")
        self._refresh_buttons()

    # ---- helpers ------------------------------------------------------------------------------

    def _set_banner(self, kind: str, message: str) -> None:
        self.banner_kind = kind
        self.banner.setText(message)
        self.banner.setStyleSheet(f"QLabel {{ {BANNER_STYLES[kind]} padding:6px; border-radius:3px; }}")

    def _refresh_buttons(self) -> None:
        self.confirm_button.setEnabled(self.can_confirm)
        self.reload_button.setEnabled(bool(self.path) and not self.busy)
        self.choose_button.setEnabled(not self.busy)
        if self.plan is not None and not self.plan.ok:
            self.confirm_button.setToolTip("文件中还有问题：请在 Excel 中改正并保存，然后点击“重新读取”")
        else:
            self.confirm_button.setToolTip("")
