"""首页: the coverage matrix, 学时 by month, coverage by unit, who is overdue and whose card is missing,
expired or expires soon,
for a chosen year and as-of date — every number opens the list of people behind it.

The figures are read on a reader thread through the page's own connection (WAL lets it read while the
window writes), so the page paints at once and fills in when they arrive; everyone's training records
are kept between loads until the database changes. The two charts (QtCharts, slow to import) are not
part of the first paint: QtCharts is imported while the figures are read, and the charts are built once,
with them (正在统计… stands in meanwhile).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer.amounts import fmt
from trainer.checks import COVERAGE
from trainer.dates import default_as_of, iso
from trainer.db import connect
from ui import gui_gc
from ui.dashboard_matrix import HEADERS, PEOPLE_COL, UNIT_COL, MatrixModel, MatrixView
from ui.status_style import text_colour
from ui.text_table import PERSON_ROLE, TextFilter, TextTableModel

OVERDUE_HEADERS = ("姓名", "单位", "检查项", "应完成日期", "说明")
CARD_HEADERS = ("姓名", "单位", "状态", "执法证有效期至", "说明")
CARD_STATE_COL = 2
CARDS_TAB = "执法证已过期/缺失/即将到期"
FIRST_YEAR = 2021  # the rule set's start; nothing earlier is checked
HOURS_CHART_HEIGHT, COVERAGE_CHART_HEIGHT = 260, 370  # the charts' minimum heights (see ui.dashboard_charts)

# What reads and counts the figures (trainer.dashboard and the checks), the charts, the worker and the
# drill-down dialogs load when first used, after the window's first paint: the page's frame needs none of them.
if TYPE_CHECKING:
    from trainer.compliance import CheckResult
    from trainer.dashboard import Dashboard
    from trainer.record_cache import RecordCache
    from ui.dashboard_charts import CoverageChart, HoursChart
    from ui.people_list_dialog import PeopleList, PeopleListDialog
    from ui.worker import TaskContext, TaskHandle


class _AfterPaint(QObject):
    """Runs a callback once, right after the watched widget's next paint."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._window: QWidget | None = None
        self._then: Callable[[], None] | None = None

    def watch(self, window: QWidget, then: Callable[[], None]) -> None:
        if self._window is not None:
            self._window.removeEventFilter(self)
        self._window, self._then = window, then
        window.installEventFilter(self)
        window.update()  # make sure a paint comes even if nothing else changed

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self._window and event.type() == QEvent.Type.Paint and self._then is not None:
            obj.removeEventFilter(self)
            then, self._window, self._then = self._then, None, None
            QTimer.singleShot(0, then)
        return False


class _CollectorPause:
    """Python's cyclic garbage collector paused from the start of a load until its figures have painted.

    The load (trainer.gc_pause) already pauses it while it builds a few hundred thousand objects, none in
    cycles; re-enabled at its end, the collector would walk all of them (~50 ms at 50,000 people) while the
    page shows the figures. Paused a little longer, that walk comes after the figures are on screen.
    Each pause is released once (by its own token), on paint or on a timer at the latest."""

    LONGEST_MS = 1000  # after the figures arrived: a hidden window gets no paint

    def __init__(self) -> None:
        self._token = 0
        self._held = False

    def hold(self) -> int:
        self._token += 1
        if not self._held:
            gui_gc.hold()
            self._held = True
        return self._token

    def release(self, token: int | None = None) -> None:
        if self._held and (token is None or token == self._token):
            self._held = False
            gui_gc.release()

    def release_after_paint(self, watcher: _AfterPaint, widget: QWidget) -> None:
        token = self._token
        watcher.watch(widget, lambda: self.release(token))
        QTimer.singleShot(self.LONGEST_MS, lambda: self.release(token))


class DashboardPage(QWidget):
    """`loaded` fires each time new figures are shown; `data_changed` after a person was edited from here."""

    loaded = Signal()
    data_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._today = today or dt.date.today()
        self._cache: RecordCache | None = None
        self.dashboard: Dashboard | None = None
        self.task: TaskHandle[Dashboard] | None = None
        self.export_task: TaskHandle[Path] | None = None
        self.dialog: QWidget | None = None  # the last drill-down or detail opened (tests look at it)
        self._reader: Database | None = None
        self._stamp: tuple[int, int] | None = None  # the reader's view of the database at the last load
        self._stale = True
        self._again = False
        self._after_paint = _AfterPaint(self)
        self._figures_painted = _AfterPaint(self)
        self._collector = collector = _CollectorPause()
        self.destroyed.connect(lambda *_: collector.release())
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.reload)
        self._build()

    # ---- layout ------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.year_combo = QComboBox()
        self.as_of_edit = QDateEdit()
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setDisplayFormat("yyyy-MM-dd")
        self._fill_years()
        self.year_combo.currentIndexChanged.connect(self._year_changed)
        self.as_of_edit.dateChanged.connect(lambda _d: self._debounce.start())
        refresh = QPushButton("刷新")
        refresh.setToolTip("重新统计（其他窗口修改数据后会自动刷新）")
        refresh.clicked.connect(self.reload)
        self.status_label = QLabel("正在统计…")
        self.status_label.setStyleSheet("color: #555;")
        self.ledger_button = QPushButton("导出台账…")
        self.ledger_button.setToolTip("导出所选年度的培训台账（Excel，每个县级单位一个工作表）")
        self.ledger_button.clicked.connect(lambda: self.export_ledger())
        self.quarter_button = QToolButton()
        self.quarter_button.setText("打印季度通报 ▾")
        self.quarter_button.setToolTip("选择季度，生成该季度的教育培训工作通报（PDF）")
        self.quarter_button.setStyleSheet("QToolButton { padding: 3px 8px; }"
                                          " QToolButton::menu-indicator { image: none; width: 0; }")
        self.quarter_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.quarter_menu = QMenu(self.quarter_button)
        self.quarter_button.setMenu(self.quarter_menu)
        self.quarter_menu.aboutToShow.connect(self._fill_quarters)
        top = QHBoxLayout()
        top.addWidget(QLabel("年度："))
        top.addWidget(self.year_combo)
        top.addSpacing(12)
        top.addWidget(QLabel("截至："))
        top.addWidget(self.as_of_edit)
        top.addWidget(refresh)
        top.addSpacing(16)
        top.addWidget(self.status_label, 1)
        top.addWidget(self.ledger_button)
        top.addWidget(self.quarter_button)
        self.rules_label = QLabel()
        self.rules_label.setStyleSheet("color: #555;")
        self.rules_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.matrix_model = MatrixModel(self)
        self.matrix = MatrixView()
        self.matrix.setModel(self.matrix_model)
        header = self.matrix.horizontalHeader()
        header.setMinimumSectionSize(60)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # MatrixView.fit_columns sizes the checks
        header.resizeSection(UNIT_COL, 200)
        header.resizeSection(PEOPLE_COL, 76)
        self.matrix.number_clicked.connect(self.open_number)
        matrix_box = QWidget()
        matrix_layout = QVBoxLayout(matrix_box)
        matrix_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("培训合规矩阵（点击数字查看人员；点击 ▸ 展开本级和街道）")
        title.setStyleSheet("font-weight: bold;")
        matrix_layout.addWidget(title)
        matrix_layout.addWidget(self.matrix)

        # Stand-ins of the charts' size until they are built (`_built_charts`), so the layout does not move.
        self._charts: tuple[HoursChart, CoverageChart] | None = None
        self._chart_slots = (_chart_slot(HOURS_CHART_HEIGHT), _chart_slot(COVERAGE_CHART_HEIGHT))
        self.overdue_model = TextTableModel(OVERDUE_HEADERS, "LLCCL")
        self.cards_model = CardTableModel(CARD_HEADERS, "LLCCL")
        self.lists = QTabWidget()
        self.overdue_view = self._list_view(self.overdue_model, (70, 130, 70, 90))
        self.cards_view = self._list_view(self.cards_model, (70, 130, 70, 100))
        self.lists.addTab(self.overdue_view, "逾期人员")
        self.lists.addTab(self.cards_view, CARDS_TAB)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self._chart_slots[0])
        bottom.addWidget(self._chart_slots[1])
        bottom.addWidget(self.lists)
        self._bottom = bottom
        bottom.setSizes([420, 440, 560])
        bottom.setChildrenCollapsible(False)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(matrix_box)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([460, 390])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.rules_label)
        layout.addWidget(split, 1)

    @property
    def cache(self) -> RecordCache:
        """Everyone's records and the last figures, kept between loads (trainer.record_cache)."""
        if self._cache is None:
            from trainer.record_cache import RecordCache

            self._cache = RecordCache()
        return self._cache

    @property
    def hours_chart(self) -> HoursChart:
        return self._built_charts()[0]

    @property
    def coverage_chart(self) -> CoverageChart:
        return self._built_charts()[1]

    def _built_charts(self) -> tuple[HoursChart, CoverageChart]:
        """The two charts, built (in place of their stand-ins) the first time they are needed."""
        if self._charts is None:
            from ui.dashboard_charts import CoverageChart, HoursChart

            d = self.dashboard
            hours = HoursChart(year=d.year, hours=d.hours_by_month) if d else HoursChart()
            coverage = CoverageChart(year=d.year, groups=d.coverage) if d else CoverageChart()
            hours.month_clicked.connect(self.open_month)
            coverage.group_clicked.connect(self.open_group)
            for index, (slot, chart) in enumerate(zip(self._chart_slots, (hours, coverage), strict=True)):
                self._bottom.replaceWidget(index, chart)
                slot.deleteLater()
            self._charts = (hours, coverage)
        return self._charts

    def _list_view(self, model: TextTableModel, widths: tuple[int, ...]) -> QTableView:
        proxy = TextFilter()
        proxy.setSourceModel(model)
        view = QTableView()
        view.setModel(proxy)
        # No indicator when sorting is switched on: the caller's order stays until a header is clicked.
        view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        view.setSortingEnabled(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(24)
        view.horizontalHeader().setStretchLastSection(True)
        for c, w in enumerate(widths):
            view.horizontalHeader().resizeSection(c, w)
        view.setToolTip("双击查看此人的一人一档")
        view.doubleClicked.connect(self._open_list_row)
        return view

    def _fill_years(self) -> None:
        row = self.db.execute(
            "SELECT MIN(y) FROM (SELECT MIN(substr(end_date, 1, 4)) AS y FROM classes"
            " UNION ALL SELECT MIN(substr(end_date, 1, 4)) FROM external_records)").fetchone()
        first = max(FIRST_YEAR, min(int(row[0]) if row and row[0] else self._today.year, self._today.year))
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for y in range(self._today.year, first - 1, -1):
            self.year_combo.addItem(f"{y}年", y)
        self.year_combo.blockSignals(False)
        self._set_as_of_range(self._today.year)

    def _set_as_of_range(self, year: int) -> None:
        self.as_of_edit.blockSignals(True)
        self.as_of_edit.setDateRange(QDate(year, 1, 1), QDate(year, 12, 31))
        self.as_of_edit.setDate(_qdate(default_as_of(year, self._today)))
        self.as_of_edit.blockSignals(False)

    # ---- loading -----------------------------------------------------------------------------------

    @property
    def year(self) -> int:
        return int(self.year_combo.currentData() or self._today.year)

    @property
    def as_of(self) -> dt.date:
        d = self.as_of_edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def set_period(self, year: int, as_of: dt.date | None = None) -> None:
        """Choose a year (and as-of date) as the user would, then reload once."""
        self.year_combo.blockSignals(True)
        self.year_combo.setCurrentIndex(self.year_combo.findData(year))
        self.year_combo.blockSignals(False)
        self._set_as_of_range(year)
        if as_of is not None:
            self.as_of_edit.setDate(_qdate(as_of))
        self._debounce.stop()
        self.reload()

    def _year_changed(self) -> None:
        self._set_as_of_range(self.year)
        self._debounce.stop()
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale or self._changed_since_load():
            # Start reading once the window has painted: the reading thread competes for the interpreter,
            # and the window must never wait for the figures.
            self._after_paint.watch(self.window(), self._after_first_paint)

    def _after_first_paint(self) -> None:
        self.reload()
        if self._charts is None:  # built once, with the figures; QtCharts is imported while they are read
            import ui.dashboard_charts  # noqa: F401

    def _changed_since_load(self) -> bool:
        """Anything written since the figures were read (a person edited on another page, say)."""
        if self._stamp is None or self._reader is None or (self.task is not None and self.task.running):
            return False
        from trainer.record_cache import data_stamp

        return data_stamp(self._reader) != self._stamp

    def refresh(self) -> None:
        """Data changed elsewhere: reload now if the page is on screen, else when it is next shown."""
        self._stale = True
        if self.isVisible():
            self.reload()

    def _reader_db(self) -> Database:
        if self._reader is None:
            files = [r[2] for r in self.db.execute("PRAGMA database_list") if r[1] == "main"]
            # An in-memory database cannot be opened twice: read through the window's connection then.
            self._reader = connect(files[0]) if files and files[0] else self.db
        return self._reader

    def reload(self) -> None:
        if self.task is not None and self.task.running:
            self._again = True  # one more load when this one ends, with the newest year and date
            return
        self._stale = False
        from trainer import dashboard, rules
        from trainer.record_cache import data_stamp
        from ui.worker import run_reader

        active = rules.active(self.db)  # on this thread: it installs the default rule set on first use
        year, as_of, reader, cache = self.year, self.as_of, self._reader_db(), self.cache
        started = time.perf_counter()
        stamp_box: list[tuple[int, int]] = []

        def work(ctx: TaskContext) -> Dashboard:
            stamp_box[:] = [data_stamp(reader)]  # before reading: a write during the load shows up next time
            return dashboard.load(reader, active, year, as_of, cache=cache, step=ctx.status)

        self.status_label.setText("正在统计…")
        self._collector.hold()
        self.task = run_reader(self, "统计首页数据", work, lambda d: self._loaded(d, started, stamp_box), self._failed)
        self.task.status_changed.connect(self.status_label.setText)

    def _loaded(self, d: Dashboard, started: float, stamp: list[tuple[int, int]]) -> None:
        if not shiboken6.isValid(self):
            self._collector.release()
            return  # the page was closed while the figures were being read
        self._collector.release_after_paint(self._figures_painted, self)
        self.dashboard = d
        self._stamp = stamp[0] if stamp else None
        self.matrix_model.set_dashboard(d)
        self.matrix.fit_columns()
        if self._charts is None:
            self._built_charts()  # with these figures
        else:
            self._charts[0].set_hours(d.year, d.hours_by_month)
            self._charts[1].set_coverage(d.year, d.coverage)
        self._fill_lists(d)
        total = d.rows[0].people if d.rows else 0
        took = time.perf_counter() - started
        self.status_label.setText(f"统计截至 {iso(d.as_of)}：在岗 {total} 人，用时 {took:.1f} 秒")
        self.rules_label.setText(f"适用规则：{d.rules_label}")
        self.loaded.emit()
        if self._again:
            self._again = False
            QTimer.singleShot(0, self.reload)

    def _failed(self, exc: BaseException) -> None:
        self._collector.release()
        if not shiboken6.isValid(self):
            return
        self._built_charts()  # empty, in place of the 正在统计… stand-ins
        self.status_label.setText(f"统计失败：{exc}")
        self._again = False

    def _fill_lists(self, d: Dashboard) -> None:
        overdue = [(r.name, r.unit, r.check, iso(r.due), r.note) for r in d.overdue]
        self.overdue_model.set_rows(overdue, overdue, [r.person_id for r in d.overdue])  # the texts sort as shown
        from trainer.dashboard import CARD_STATES, card_state

        states = [card_state(r) for r in d.cards]
        cards = [(r.name, r.unit, state, iso(r.due), r.note) for r, state in zip(d.cards, states, strict=True)]
        keys = [(r.name, r.unit, CARD_STATES.index(state), iso(r.due), r.note)  # 状态 sorts by urgency
                for r, state in zip(d.cards, states, strict=True)]
        self.cards_model.set_rows(cards, keys, [r.person_id for r in d.cards])
        self.lists.setTabText(0, f"逾期人员（{len(d.overdue)}）")
        self.lists.setTabText(1, f"{CARDS_TAB}（{len(d.cards)}）")

    # ---- drill-down --------------------------------------------------------------------------------

    def open_number(self, view_row: int, column: int, status: str) -> None:
        from ui.people_list_dialog import PeopleList

        d = self.dashboard
        if d is None:
            return
        row = self.matrix_model.matrix_row(view_row)
        if column == UNIT_COL:
            self.matrix_model.toggle(view_row)
            return
        if column == PEOPLE_COL:
            results = d.row_people(row, COVERAGE)
            self.show_people(f"{row.label} · 在岗人员（{len(results)} 人）", PeopleList.of_checks(results))
            return
        check = HEADERS[column]
        results = d.row_people(row, check)
        if not results:
            return
        title = f"{row.label} · {check}" + (f" · {status}" if status else "") + f"（截至{iso(d.as_of)}）"
        self.show_people(title, PeopleList.of_checks(results), status)

    def open_month(self, month: int) -> None:
        from ui.people_list_dialog import PeopleList

        d = self.dashboard
        if d is None:
            return
        recs, hours = d.records_of_month(month), fmt(d.hours_by_month[month - 1])
        if not recs:
            return
        self.show_people(f"{d.year}年{month}月结束的已结业培训（{len(recs)} 人次，{hours} 学时）",
                         PeopleList.of_records(recs, d.people))

    def open_group(self, index: int) -> None:
        from ui.people_list_dialog import PeopleList

        d = self.dashboard
        if d is None or not 0 <= index < len(d.coverage):
            return
        g = d.coverage[index]
        results = d.people_behind(g.unit_ids, COVERAGE)
        self.show_people(f"{g.label} · 培训覆盖 {g.covered}/{g.people}（截至{iso(d.as_of)}）",
                         PeopleList.of_checks(results))

    def _open_list_row(self, index: QModelIndex) -> None:
        from ui.person_detail import PersonDetailDialog

        dialog = PersonDetailDialog(self.db, int(index.data(PERSON_ROLE)), self, today=self._today)
        dialog.person_saved.connect(self._person_saved)
        self.dialog = dialog
        dialog.open()

    def _person_saved(self, *_args: object) -> None:
        self.data_changed.emit()  # the people page and the others reload
        self.refresh()

    def show_people(self, title: str, content: PeopleList, status: str = "") -> PeopleListDialog:
        from ui.people_list_dialog import PeopleListDialog

        dialog = PeopleListDialog(self.db, title, content, self, today=self._today, status=status)
        dialog.person_saved.connect(self._person_saved)
        self.dialog = dialog
        dialog.open()
        return dialog

    def behind(self, label: str, check: str, status: str | None = None) -> list[CheckResult]:
        """The people a matrix number stands for, by row label (tests compare the dialog with this)."""
        assert self.dashboard is not None
        row = next(r for r in self.dashboard.rows if r.label == label)
        return self.dashboard.row_people(row, check, status)

    # ---- ledger and quarterly report ---------------------------------------------------------------

    def ask_save_path(self, title: str, name: str, file_filter: str, suffix: str) -> str:
        """The save dialog (tests replace this)."""
        from ui.prompts import ask_save_path

        return ask_save_path(self, title, Path.home() / name, file_filter, suffix)

    def tell(self, title: str, text: str, error: bool = False) -> None:
        """A message box (tests replace this)."""
        from PySide6.QtWidgets import QMessageBox

        (QMessageBox.warning if error else QMessageBox.information)(self, title, text)

    def export_ledger(self, year: int | None = None) -> None:
        from exports import ledger_xlsx
        from trainer import ledger, rules
        from ui.worker import run_task

        year = year or self.year
        as_of = default_as_of(year, self._today)
        path = self.ask_save_path("导出培训台账", f"{year}年度培训台账（截至{iso(as_of)}）.xlsx",
                                  "Excel 工作簿 (*.xlsx)", ".xlsx")
        if not path:
            return
        db, active = self.db, rules.active(self.db)

        def work(ctx: TaskContext) -> Path:
            ctx.status("正在汇总培训记录和合规情况…")
            book = ledger.build(db, active, year, as_of)
            ctx.check()
            ctx.status(f"正在写入 {len(book.people)} 人的台账…")
            return ledger_xlsx.write(path, book)

        self.export_task = run_task(self, "导出培训台账", work, lambda p: self.tell("导出培训台账", f"已保存到：\n{p}"),
                                    lambda exc: self._export_failed("导出培训台账", path, exc))

    def _fill_quarters(self) -> None:
        from trainer.quarterly import QUARTER_NAMES, quarter_dates

        self.quarter_menu.clear()
        for q in range(1, 5):
            first, last = quarter_dates(self.year, q)
            action = self.quarter_menu.addAction(f"{self.year}年第{QUARTER_NAMES[q - 1]}季度"
                                                 + ("（进行中）" if first <= self._today < last else ""))
            action.setEnabled(first <= self._today)
            action.triggered.connect(lambda _c=False, q=q: self.print_quarterly(q))

    def print_quarterly(self, quarter: int, year: int | None = None) -> None:
        from exports import quarterly_pdf
        from trainer import quarterly, rules
        from ui.worker import run_task

        year = year or self.year
        path = self.ask_save_path("打印季度通报", f"{quarterly.report_title(year, quarter)}.pdf", "PDF 文件 (*.pdf)",
                                  ".pdf")
        if not path:
            return
        db, active, today = self.db, rules.active(self.db), self._today

        def work(ctx: TaskContext) -> Path:
            ctx.status("正在统计各单位数据…")
            report = quarterly.build(db, active, year, quarter, today=today)
            ctx.check()
            ctx.status("正在生成PDF…")
            return quarterly_pdf.build(path, report)

        self.export_task = run_task(self, "打印季度通报", work, lambda p: self.tell("打印季度通报", f"已保存到：\n{p}"),
                                    lambda exc: self._export_failed("打印季度通报", path, exc))

    def _export_failed(self, title: str, path: str, exc: BaseException) -> None:
        from ui.worker import is_cancellation

        if not is_cancellation(exc):
            self.tell(title, f"{title}失败（{path}）：{exc}", error=True)


class CardTableModel(TextTableModel):
    """The card list: its 状态 column says what is wrong (无执法证, 已过期, 即将到期), coloured as the
    持证上岗 status it stands for (不合格 red, 即将到期 amber)."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.column() == CARD_STATE_COL:
            from trainer.checks import EXPIRING, FAILED

            text = self.row_texts(index.row())[CARD_STATE_COL]
            colour = text_colour(EXPIRING if text == EXPIRING else FAILED)
            return QBrush(colour) if colour else None
        return super().data(index, role)


def _chart_slot(height: int) -> QWidget:
    slot = QLabel("正在统计…")
    slot.setAlignment(Qt.AlignmentFlag.AlignCenter)
    slot.setMinimumHeight(height)
    slot.setStyleSheet("background: white; color: #888;")
    return slot


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)
