"""Plan import: read an Excel file of plan items, preview every row with its problems, then write all
items or none (the roster import's pattern, on trainer.plan_import)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from trainer import plan_import
from trainer.plan_fields import COLUMNS, REQUIRED, TITLE, cell_text
from trainer.plan_import import NEW, UNCHANGED, UPDATED, ItemImport
from trainer.plans import Plan
from trainer.tabular import RawTable
from ui.import_dialog import BANNER_STYLES
from ui.row_model import RowModel
from ui.worker import TaskContext, TaskHandle, is_cancellation, run_task

FILE_FILTER = "培训计划 (*.xlsx *.xls *.csv);;所有文件 (*)"
BAD = "有问题"
BAD_CELL = QBrush(QColor("#f4a6a6"))
BAD_ROW = QBrush(QColor("#fdecec"))
ACTION_COLOURS = {NEW: QColor("#1b7f3b"), UPDATED: QColor("#1f5fa8"), UNCHANGED: QColor("#6b6b6b"),
                  BAD: QColor("#b00020")}


class PreviewModel(RowModel):
    """行号, 处理, then the plan columns; bad cells red with the reason as tooltip."""

    def __init__(self) -> None:
        super().__init__(("行号", "处理", *COLUMNS), "RC" + "L" * len(COLUMNS))
        self._bad: list[dict[str, str]] = []

    def set_import(self, imp: ItemImport | None) -> None:
        rows = sorted(imp.rows, key=lambda r: (not r.problems, r.row)) if imp else []
        self._bad = []
        for r in rows:
            reasons: dict[str, list[str]] = {}
            for p in r.problems:
                reasons.setdefault(p.column, []).append(p.message)
            self._bad.append({c: "\n".join(m) for c, m in reasons.items()})
        cells = [(str(r.row), r.action or BAD, *(cell_text(r.cells.get(c)) for c in COLUMNS)) for r in rows]
        self.set_rows(rows, cells, keys=[(r.row, r.action or BAD, *c[2:]) for r, c in zip(rows, cells, strict=True)])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        bad = self._bad[index.row()]
        column = self.headers[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return BAD_CELL if column in bad else (BAD_ROW if bad else None)
        if role == Qt.ItemDataRole.ToolTipRole and column in bad:
            return f"{column}：{bad[column]}"
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return QBrush(ACTION_COLOURS[str(super().data(index))])
        if role == Qt.ItemDataRole.DisplayRole and column in bad and not super().data(index, role):
            return "（空）"
        return super().data(index, role)


class PlanImportDialog(QDialog):
    """Imports into the plan of `unit_id` and `year`; emits `imported(Plan)` after a successful write."""

    imported = Signal(object)

    def __init__(self, db: Database, unit_id: int, unit_name: str, year: int, parent: QWidget | None = None,
                 path: str | None = None) -> None:
        super().__init__(parent)
        self.db, self.unit_id, self.unit_name, self.year = db, unit_id, unit_name, year
        self.path = path
        self.table: RawTable | None = None
        self.plan: ItemImport | None = None
        self.result_plan: Plan | None = None
        self.task: TaskHandle[object] | None = None
        self._started = False
        self.setWindowTitle(f"导入培训计划 — {unit_name}{year}年度")
        self.resize(1280, 680)
        self._build()
        self._set_banner("info", "请选择培训计划文件（.xlsx、.xls 或 .csv）。")
        self._refresh_buttons()

    def _build(self) -> None:
        self.file_label = QLabel("未选择文件")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton("选择文件…")
        self.reload_button = QPushButton("重新读取")
        self.reload_button.setToolTip("在 Excel 中改正并保存文件后，重新读取同一文件")
        self.choose_button.clicked.connect(self.choose_file)
        self.reload_button.clicked.connect(self.reload)
        top = QHBoxLayout()
        top.addWidget(QLabel("文件："))
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose_button)
        top.addWidget(self.reload_button)
        hint = QLabel(f"导入到：{self.unit_name}{self.year}年度培训计划（没有时自动新建）。表头须包含"
                      f"{'、'.join(REQUIRED)}，可选列：{'、'.join(c for c in COLUMNS if c not in REQUIRED)}。"
                      f"按{TITLE}匹配：计划中已有的项目更新，没有的新增；文件中未列出的项目保持不变。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555;")
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.counts_label = QLabel()

        self.model = PreviewModel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.problems_title = QLabel("问题清单")
        self.problems_model = QStringListModel()
        self.problems_view = QListView()
        self.problems_view.setModel(self.problems_model)
        self.problems_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table_box, problems_box = QWidget(), QWidget()
        t = QVBoxLayout(table_box)
        t.setContentsMargins(0, 0, 0, 0)
        t.addWidget(self.counts_label)
        t.addWidget(self.view)
        p = QVBoxLayout(problems_box)
        p.setContentsMargins(0, 0, 0, 0)
        p.addWidget(self.problems_title)
        p.addWidget(self.problems_view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(table_box)
        splitter.addWidget(problems_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        self.confirm_button = QPushButton("确认导入")
        self.confirm_button.clicked.connect(self.confirm)
        self.close_button = QPushButton("关闭")
        self.close_button.clicked.connect(self.reject)
        for b in (self.choose_button, self.reload_button, self.confirm_button, self.close_button):
            b.setAutoDefault(False)
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

    # ---- reading and checking ------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._started:
            self._started = True
            QTimer.singleShot(0, self.reload if self.path else self._choose_initial_file)

    def _choose_initial_file(self) -> None:
        if not self.choose_file() and self.plan is None:
            self.reject()

    def ask_open_path(self) -> str | None:
        """The file chooser (tests replace this)."""
        start = str(Path(self.path).parent) if self.path else str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(self, "选择培训计划文件", start, FILE_FILTER)
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
        self.path = path
        self.file_label.setText(path)
        self.result_plan = None
        self._show(None, None)
        self._set_banner("info", "正在读取和检查…")
        db, unit_id, year = self.db, self.unit_id, self.year

        def work(ctx: TaskContext) -> tuple[RawTable, ItemImport]:
            table = read_table(path, header_hint=TITLE)
            ctx.check()
            return table, plan_import.plan_items_import(db, table, unit_id, year)

        self.task = run_task(self, "读取培训计划", work, self._loaded, self._load_failed)  # type: ignore[arg-type]
        self._refresh_buttons()

    def _loaded(self, value: tuple[RawTable, ItemImport]) -> None:
        table, imp = value
        self._show(table, imp)
        bad_rows = sum(1 for r in imp.rows if r.problems)
        if not imp.rows and imp.problems:
            missing = "、".join(p.column for p in imp.problems)
            self._set_banner("error", f"文件缺少必填列：{missing}。第{table.header_row}行被当作表头，"
                             "改好后点击“重新读取”。未写入任何数据。")
        elif imp.problems:
            self._set_banner("error", f"发现 {len(imp.problems)} 处问题（涉及 {bad_rows} 行），已在表中标红。"
                             "请在 Excel 中改正并保存，然后点击“重新读取”；有问题时不能导入，未写入任何数据。")
        elif not imp.rows:
            self._set_banner("warn", "文件中没有计划项目。")
        elif imp.counts()[NEW] + imp.counts()[UPDATED] == 0:
            self._set_banner("ok", "检查通过：文件中的项目与计划完全相同，无需导入。")
        else:
            self._set_banner("ok", f"检查通过，共 {len(imp.rows)} 项：{imp.summary()}。点击“确认导入”写入"
                             "（全部写入，或出错时全部不写入）。")

    def _load_failed(self, exc: BaseException) -> None:
        if is_cancellation(exc):
            self._set_banner("warn", "已取消读取。")
        elif isinstance(exc, TableReadError):
            self._set_banner("error", f"{exc}。请检查文件后点击“重新读取”，或选择其他文件。")
        else:
            self._set_banner("error", f"读取或检查文件时出错：{exc}")
        self._refresh_buttons()

    def _show(self, table: RawTable | None, imp: ItemImport | None) -> None:
        self.table, self.plan = table, imp
        self.model.set_import(imp)
        self.problems_model.setStringList([str(p) for p in imp.problems] if imp else [])
        self.problems_title.setText(f"问题清单（{len(imp.problems)} 处）" if imp else "问题清单")
        if imp is None:
            self.counts_label.setText("")
        else:
            self.counts_label.setText(f"共 {len(imp.rows)} 行：{imp.summary()}，问题 {len(imp.problems)} 处")
            self.view.resizeColumnsToContents()
            header = self.view.horizontalHeader()
            for c in range(self.model.columnCount()):
                header.resizeSection(c, min(header.sectionSize(c) + 12, 220))
        self._refresh_buttons()

    # ---- writing -------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.task is not None and self.task.running

    @property
    def can_confirm(self) -> bool:
        imp = self.plan
        if imp is None or not imp.ok or self.result_plan is not None or self.busy:
            return False
        return imp.counts()[NEW] + imp.counts()[UPDATED] > 0

    def confirm(self) -> None:
        if not self.can_confirm:
            return
        imp, db, unit_name = self.plan, self.db, self.unit_name
        assert imp is not None

        def work(ctx: TaskContext) -> Plan:
            return plan_import.apply_items_import(db, imp, unit_name, cancelled=ctx.cancelled)

        self.task = run_task(self, "导入培训计划", work, self._applied, self._apply_failed)  # type: ignore[arg-type]
        self._refresh_buttons()

    def _applied(self, plan: Plan) -> None:
        self.result_plan = plan
        assert self.plan is not None
        self._set_banner("ok", f"导入完成：{self.plan.summary()}。")
        self.close_button.setText("完成")
        self._refresh_buttons()
        self.imported.emit(plan)

    def _apply_failed(self, exc: BaseException) -> None:
        if is_cancellation(exc):
            self._set_banner("warn", "已取消导入，未写入任何数据。")
        else:
            self._set_banner("error", f"导入失败，未写入任何数据：{exc}")
        self._refresh_buttons()

    # ---- helpers -------------------------------------------------------------------------------------

    def _set_banner(self, kind: str, message: str) -> None:
        self.banner_kind = kind
        self.banner.setText(message)
        self.banner.setStyleSheet(f"QLabel {{ {BANNER_STYLES[kind]} padding:6px; border-radius:3px; }}")

    def _refresh_buttons(self) -> None:
        self.confirm_button.setEnabled(self.can_confirm)
        self.reload_button.setEnabled(bool(self.path) and not self.busy)
        self.choose_button.setEnabled(not self.busy)
