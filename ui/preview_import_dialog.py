"""The house pattern for importing a spreadsheet: choose a file, preview every row with its problems (bad
cells red, a `第R行 列名: 原因` list), and only then write — all rows or none, cancellable. Reading, checking
and writing run off the GUI thread.

A subclass says what the file holds: how it is checked (`check`), what the preview shows (`preview`), how
the rows are counted (`counts_html`) and how the plan is written (`write`). The roster import and the
training records import are both built on it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

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
from trainer.tabular import RawTable, RowProblem
from ui.import_preview import ImportPreviewModel, PreviewRow, ProblemRowsFilter
from ui.worker import TaskContext, TaskHandle, is_cancellation, run_task

BANNER_STYLES = {
    "info": "background:#eef3fa; border:1px solid #b9c9e0; color:#1f3a5f;",
    "ok": "background:#e8f5ec; border:1px solid #9fd0ad; color:#14532d;",
    "warn": "background:#fff6e0; border:1px solid #e6c66e; color:#6b4e00;",
    "error": "background:#fdecec; border:1px solid #e39a9a; color:#8b0000;",
}
Progress = Callable[[int, int], None]
CheckFile = Callable[[Database, RawTable, Progress], Any]
WritePlan = Callable[[Database, Any, TaskContext], Any]


def banner_style(kind: str) -> str:
    """The style sheet of an import dialog's banner: info, ok, warn or error."""
    return f"QLabel {{ {BANNER_STYLES[kind]} padding:6px; border-radius:3px; }}"


def read_failure(exc: BaseException) -> tuple[str, str]:
    """The banner (kind, message) for a file that could not be read or checked."""
    if is_cancellation(exc):
        return "warn", "已取消读取。"
    if isinstance(exc, TableReadError):
        return "error", f"{exc}。请检查文件后点击“重新读取”，或选择其他文件。"
    return "error", f"读取或检查文件时出错：{exc}"


class PreviewImportDialog(QDialog):
    """Emits `imported(result)` after a successful write."""

    imported = Signal(object)

    TITLE = "导入"
    FILE_FILTER = "Excel 或 CSV (*.xlsx *.xls *.csv);;所有文件 (*)"
    WHAT = "文件"  # 花名册 / 培训记录: names the file in messages
    UNIT = "行"  # what a data row is counted as in messages (人 / 条)
    REQUIRED: Sequence[str] = ()
    HINT = ""
    HEADER_HINT = "身份证号"  # the header row is the first row naming this column
    CANCELLED_WRITE = "已取消导入，未写入任何数据（数据库保持导入前的状态）。可再次点击“确认导入”。"

    def __init__(self, db: Database, parent: QWidget | None = None, path: str | None = None):
        super().__init__(parent)
        self.db = db
        self.path: str | None = path
        self.table: RawTable | None = None
        self.plan: Any = None
        self.rows: list[PreviewRow] = []
        self.import_result: Any = None
        self.task: TaskHandle[object] | None = None  # the running or last background task (tests wait on it)
        self._started = False
        self.setWindowTitle(self.TITLE)
        self.resize(1280, 760)
        self._build()
        self._set_banner("info", f"请选择{self.WHAT}文件（.xlsx、.xls 或 .csv）。")
        self._refresh_buttons()

    # ---- what a subclass provides ---------------------------------------------------------------

    # check_file and write_plan run on the worker thread: static, so the thread never holds the dialog.
    @staticmethod
    def check_file(db: Database, table: RawTable, progress: Progress) -> Any:
        """Check every row against the database without writing; returns the plan."""
        raise NotImplementedError

    def checker(self) -> CheckFile:
        """What checks a file on the worker thread (a subclass may bind its own values into it)."""
        return type(self).check_file

    def writer(self) -> WritePlan:
        """What writes a plan on the worker thread."""
        return type(self).write_plan

    def hint(self) -> str:
        return self.HINT

    def problems(self, plan: Any) -> list[RowProblem]:
        return list(plan.problems)

    def preview(self, plan: Any, table: RawTable) -> tuple[list[PreviewRow], list[str]]:
        """The rows to show (with their actions and problems) and the columns to show them with."""
        raise NotImplementedError

    def to_write(self, plan: Any) -> int:
        """How many rows confirming would write (0: nothing to do)."""
        raise NotImplementedError

    def counts_html(self, plan: Any, rows: list[PreviewRow]) -> str:
        raise NotImplementedError

    def nothing_to_write(self, plan: Any) -> str:
        return f"文件中没有需要导入的{self.WHAT}。"

    @staticmethod
    def write_plan(db: Database, plan: Any, ctx: TaskContext) -> Any:
        """Write the plan in one transaction (ImportCancelled on cancel); returns the result."""
        raise NotImplementedError

    def written(self, result: Any) -> str:
        return "导入完成。"

    def make_model(self) -> ImportPreviewModel:
        return ImportPreviewModel()

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

        hint = QLabel(self.hint())
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555;")

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts_label = QLabel()
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)

        self.model = self.make_model()
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
        chosen, _ = QFileDialog.getOpenFileName(self, f"选择{self.WHAT}文件", start, self.FILE_FILTER)
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
        db, header_hint, check = self.db, self.HEADER_HINT, self.checker()

        def work(ctx: TaskContext) -> tuple[RawTable, Any]:
            ctx.status(f"正在读取 {Path(path).name} …")
            table = read_table(path, header_hint)
            ctx.check()
            ctx.status(f"正在检查 {len(table.rows)} 行…")

            def progress(done: int, total: int) -> None:
                ctx.progress(done, total)
                ctx.check()  # checking writes nothing, so it may stop anywhere

            return table, check(db, table, progress)

        self.task = run_task(self, f"读取{self.WHAT}", work, self._loaded, self._load_failed)  # type: ignore[arg-type]
        self._refresh_buttons()

    def _loaded(self, value: tuple[RawTable, Any]) -> None:
        table, plan = value
        self._show_plan(table, plan)
        self._set_banner(*self.checked_banner(table, plan))

    def checked_banner(self, table: RawTable, plan: Any) -> tuple[str, str]:
        """The banner (kind, message) once a file is checked."""
        problems = self.problems(plan)
        bad_rows = sum(1 for r in self.rows if r.problems)
        missing = [p.column for p in problems if p.message == "缺少必填列"]
        if missing and not self.rows:
            return "error", (f"文件缺少必填列：{'、'.join(missing)}。第{table.header_row}行被当作表头，"
                             f"请确认表头包含 {'、'.join(self.REQUIRED)}，改好后点击“重新读取”。未写入任何数据。")
        if problems:
            return "error", (f"发现 {len(problems)} 处问题（涉及 {bad_rows} 行），已在表中标红，"
                             "鼠标停在红色单元格上可看原因。请在 Excel 中改正并保存文件，然后点击“重新读取”；"
                             "有问题时不能导入，未写入任何数据。")
        if not self.rows:
            return "warn", f"文件中没有{self.WHAT}数据行。"
        if self.to_write(plan) == 0:
            return "ok", self.nothing_to_write(plan)
        return "ok", (f"检查通过，共 {len(self.rows)} 行。点击“确认导入”写入数据库"
                      "（全部写入，或出错、取消时全部不写入）。")

    def _load_failed(self, exc: BaseException) -> None:
        self._set_banner(*read_failure(exc))
        self._refresh_buttons()

    def _show_plan(self, table: RawTable | None, plan: Any) -> None:
        self.table, self.plan = table, plan
        if table is not None and plan is not None:
            self.rows, columns = self.preview(plan, table)
        else:
            self.rows, columns = [], []
        self.model.set_rows(self.rows, columns)
        problems = self.problems(plan) if plan is not None else []
        self.problems_model.setStringList([str(p) for p in problems])
        self.problems_title.setText(f"问题清单（{len(problems)} 处）" if plan is not None else "问题清单")
        self.only_problems.setEnabled(bool(problems))
        if not problems:
            self.only_problems.setChecked(False)
        self.counts_label.setText(self.counts_html(plan, self.rows) if plan is not None else "")
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # new plan: problems first
        if plan is not None:
            self._fit_columns()
        self._refresh_buttons()

    def _fit_columns(self, sample: int = 200) -> None:
        """Width from the header and the first rows (problems come first); Qt's own fit reads 1000 rows
        through Python and freezes the window for a second on a big file."""
        bold = QFont(self.view.font())
        bold.setBold(True)
        metrics, header = QFontMetrics(bold), self.view.horizontalHeader()
        rows = min(sample, self.model.rowCount())
        for c in range(self.model.columnCount()):
            texts = [str(self.model.headerData(c, Qt.Orientation.Horizontal))]
            texts += [str(self.model.index(r, c).data() or "") for r in range(rows)]
            width = max(metrics.horizontalAdvance(t) for t in texts) + 18
            header.resizeSection(c, min(width, 240))  # a long bad value must not push the rest off screen

    def _show_problem(self, index: QModelIndex) -> None:
        """Clicking a problem selects its cell in the table."""
        if self.plan is None:
            return
        problem = self.problems(self.plan)[index.row()]
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
        if self.plan is None or self.problems(self.plan) or self.import_result is not None or self.busy:
            return False
        return self.to_write(self.plan) > 0

    @property
    def busy(self) -> bool:
        return self.task is not None and self.task.running

    def confirm(self) -> None:
        if not self.can_confirm:
            return
        db, plan, write = self.db, self.plan, self.writer()
        status = f"正在写入 {self.to_write(plan)} {self.UNIT}…"

        def work(ctx: TaskContext) -> Any:
            ctx.status(status)
            return write(db, plan, ctx)

        self.task = run_task(self, f"导入{self.WHAT}", work, self._applied, self._apply_failed)
        self._refresh_buttons()

    def _applied(self, result: Any) -> None:
        self.import_result = result
        self._set_banner("ok", self.written(result))
        self.close_button.setText("完成")
        self._refresh_buttons()
        self.imported.emit(result)

    def _apply_failed(self, exc: BaseException) -> None:
        if is_cancellation(exc):
            self._set_banner("warn", self.CANCELLED_WRITE)
        else:
            self._set_banner("error", f"导入失败，未写入任何数据：{exc}")
        self._refresh_buttons()

    # ---- helpers ------------------------------------------------------------------------------

    def _set_banner(self, kind: str, message: str) -> None:
        self.banner_kind = kind
        self.banner.setText(message)
        self.banner.setStyleSheet(banner_style(kind))

    def _refresh_buttons(self) -> None:
        self.confirm_button.setEnabled(self.can_confirm)
        self.reload_button.setEnabled(bool(self.path) and not self.busy)
        self.choose_button.setEnabled(not self.busy)
        if self.plan is not None and self.problems(self.plan):
            self.confirm_button.setToolTip("文件中还有问题：请在 Excel 中改正并保存，然后点击“重新读取”")
        else:
            self.confirm_button.setToolTip("")
