"""The 培训班 page: the year's classes above, the selected class's 课程 / 学员 / 考勤 / 考核与结业 below,
with create / edit / delete / 结班 and the printed roster and sign-in sheets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import class_summary, rules, training
from trainer.training import TrainingClass
from ui.attendance_tab import AttendanceTab
from ui.class_list_model import (
    CLASS_ID_ROLE,
    COL_BASE,
    COL_COMPLETED,
    COL_DAYS,
    COL_END,
    COL_ENROLLED,
    COL_HOURS,
    COL_ORGANISER,
    COL_START,
    COL_STATUS,
    COL_TITLE,
    COL_TYPE,
    ClassFilter,
    ClassListModel,
)
from ui.class_members_tab import MembersTab
from ui.class_sessions_tab import SessionsTab, session_label
from ui.class_tab import ClassTab, fit_columns, table_view
from ui.page_base import BurstNoticePage, column, rich_label, splitter
from ui.results_tab import ResultsTab
from ui.worker import run_task

ALL = "全部"
PDF_FILTER = "PDF 文件 (*.pdf)"


class ClassesPage(BurstNoticePage):
    """Built by the main window as ClassesPage(db, main_window); `data_changed` after every change
    (a burst of attendance keys: once, after the burst). `task` is the last background print."""

    def __init__(self, db: Database, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(db, parent, today)
        self.current: TrainingClass | None = None
        self._closing_note_of: int | None = None  # the class the message line's 已结班 counts are about
        self._build()
        self._fill_years()
        self.reload_list()

    # ---- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.year_combo = QComboBox()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索培训班名称、类型、基地")
        self.search_edit.setClearButtonEnabled(True)
        self.status_combo = QComboBox()
        self.status_combo.addItem(ALL, "")
        for s in training.CLASS_STATUSES:
            self.status_combo.addItem(s, s)
        self.new_button = QPushButton("新建培训班")
        self.edit_button = QPushButton("编辑")
        self.delete_button = QPushButton("删除")
        self.close_class_button = QPushButton("结班")
        self.close_class_button.setToolTip("培训结束后结班：按考勤和成绩计算结业，并计入学员的培训记录")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度："))
        bar.addWidget(self.year_combo)
        bar.addSpacing(8)
        bar.addWidget(self.search_edit, 1)
        bar.addSpacing(8)
        bar.addWidget(QLabel("状态："))
        bar.addWidget(self.status_combo)
        bar.addSpacing(16)
        for b in (self.new_button, self.edit_button, self.delete_button, self.close_class_button):
            bar.addWidget(b)

        self.model = ClassListModel(self)
        self.proxy = ClassFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = table_view()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # start-date order
        fit_columns(self.table, {COL_TITLE: "2026年新招录执法人员初任培训班第1期", COL_TYPE: "业务知识培训",
                                 COL_START: "2026-03-02", COL_END: "2026-03-02", COL_DAYS: "15", COL_HOURS: "120",
                                 COL_ENROLLED: "60/60", COL_COMPLETED: "60", COL_STATUS: "进行中",
                                 COL_BASE: "市城管局教育培训中心", COL_ORGANISER: "平顶山市城市管理局"})
        self.count_label = QLabel()
        list_box = column(bar, self.table, self.count_label, stretch=self.table)

        self.header_label = rich_label()
        self.roster_button = QPushButton("打印学员名册…")
        self.sign_in_button = QToolButton()
        self.sign_in_button.setText("打印签到表…")
        self.sign_in_button.setToolTip("打印“考勤”页所选课程的签到表；点右侧箭头可选其他课程")
        self.sign_in_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.sign_in_menu = QMenu(self.sign_in_button)
        self.sign_in_button.setMenu(self.sign_in_menu)
        head = QHBoxLayout()
        head.addWidget(self.header_label, 1)
        head.addWidget(self.roster_button)
        head.addWidget(self.sign_in_button)

        self.sessions_tab = SessionsTab(self.db, self)
        self.members_tab = MembersTab(self.db, self)
        self.attendance_tab = AttendanceTab(self.db, self)
        self.results_tab = ResultsTab(self.db, self)
        self.tabs = QTabWidget()
        for tab, title in ((self.sessions_tab, "课程"), (self.members_tab, "学员"), (self.attendance_tab, "考勤"),
                           (self.results_tab, "考核与结业")):
            self.tabs.addTab(tab, title)
            tab.changed.connect(lambda t=tab: self._tab_changed(t))
        detail = column(head, self.tabs, self.message_label, stretch=self.tabs, top=4)

        # a year's classes (about 14 rows) above the selected class's tabs
        box = QVBoxLayout(self)
        box.addWidget(splitter(Qt.Orientation.Vertical, list_box, detail, (2, 3), [400, 560]))

        self.year_combo.currentIndexChanged.connect(self.reload_list)
        self.search_edit.textChanged.connect(self.apply_filter)
        self.status_combo.currentIndexChanged.connect(self.apply_filter)
        self.new_button.clicked.connect(self.new_class)
        self.edit_button.clicked.connect(self.edit_class)
        self.delete_button.clicked.connect(self.delete_class)
        self.close_class_button.clicked.connect(self.close_class)
        self.roster_button.clicked.connect(self.print_roster)
        self.sign_in_button.clicked.connect(lambda: self.print_sign_in())
        self.sign_in_menu.aboutToShow.connect(self._fill_sign_in_menu)
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.table.activated.connect(lambda *_: self.edit_class())
        self.tabs.currentChanged.connect(self._tab_shown)

    def _fill_years(self) -> None:
        years = {self.today.year}
        for (start, end) in self.db.execute("SELECT MIN(start_date), MAX(end_date) FROM classes"):
            if start:
                years.update(range(int(start[:4]), int(end[:4]) + 1))
        self.year_combo.blockSignals(True)
        keep = self.year_combo.currentData()
        self.year_combo.clear()
        for y in sorted(years, reverse=True):
            self.year_combo.addItem(f"{y}年", y)
        self.year_combo.addItem("全部年度", None)
        index = self.year_combo.findData(keep if keep is not None or self.year_combo.count() == 0 else self.today.year)
        self.year_combo.setCurrentIndex(index if index >= 0 else self.year_combo.findData(self.today.year))
        self.year_combo.blockSignals(False)

    # ---- the list --------------------------------------------------------------------------------

    @property
    def year(self) -> int | None:
        value = self.year_combo.currentData()
        return int(value) if value is not None else None

    def reload_list(self, *_: object) -> None:
        """Re-read the classes of the chosen year, keeping the selected class when it is still listed."""
        keep = self.current.id if self.current else None
        self.model.set_rows(class_summary.summaries(self.db, self.year))
        self.apply_filter()
        if keep is None or not self.select_class(keep):
            self._show(None)

    def apply_filter(self, *_: object) -> None:
        self.proxy.set_filter(self.search_edit.text(), self.status_combo.currentData() or "")
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"显示 {shown} / 共 {total} 个培训班" if shown != total else f"共 {total} 个培训班")
        if self.current is not None and self._proxy_row(self.current.id or 0) < 0:
            self._show(None)

    def _proxy_row(self, class_id: int) -> int:
        source = self.model.row_of(class_id)
        return self.proxy.mapFromSource(self.model.index(source, 0)).row() if source >= 0 else -1

    def select_class(self, class_id: int) -> bool:
        row = self._proxy_row(class_id)
        if row < 0:
            return False
        index = self.proxy.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        if self.current is None or self.current.id != class_id:
            self._show(training.get_class(self.db, class_id))
        return True

    def _selection_changed(self, *_: object) -> None:
        index = self.table.currentIndex()
        class_id = index.data(CLASS_ID_ROLE) if index.isValid() else None
        if class_id is None:
            self._show(None)
        elif self.current is None or self.current.id != class_id:
            self._show(training.get_class(self.db, int(class_id)))

    # ---- the selected class ----------------------------------------------------------------------

    def _show(self, c: TrainingClass | None) -> None:
        if (c.id if c else None) != (self.current.id if self.current else None):
            self.show_message("")  # a message about the class shown before
        self.current = c
        for tab in self._tabs():
            tab.load_later(c)
        self._tab_shown()
        self._update_header()

    def _tabs(self) -> list[ClassTab]:
        return [self.sessions_tab, self.members_tab, self.attendance_tab, self.results_tab]

    def _tab_shown(self, *_: object) -> None:
        """Tabs reload when shown: typing attendance must not re-read the other three on every key."""
        tab = self.tabs.currentWidget()
        if isinstance(tab, ClassTab) and tab.stale:
            tab.load(self.current)
        if tab is self.attendance_tab:
            self.attendance_tab.view.setFocus()  # ready for the first key

    def _tab_changed(self, tab: ClassTab) -> None:
        if self.current is not None and self.current.id is not None:
            self.current = training.get_class(self.db, self.current.id)  # the pass mark may have changed
        tab.cls = self.current
        for other in self._tabs():
            if other is not tab:
                other.load_later(self.current)
        self._update_header()
        if self._closing_note_of is not None and self.current is not None and self.current.id == self._closing_note_of:
            self._show_closing_note(self._closing_note_of)  # an override or a late mark changed the counts
        if tab.bursts:
            self._notify_timer.start()
        else:
            self._notify()

    def _update_header(self) -> None:
        c = self.current
        enabled = c is not None
        for w in (self.edit_button, self.delete_button, self.roster_button, self.sign_in_button):
            w.setEnabled(enabled)
        self.close_class_button.setEnabled(enabled and c is not None and c.status != "已结束")
        self.tabs.setEnabled(enabled)
        if c is None:
            self.header_label.setText("<span style='color:#777'>在上方选择一个培训班，"
                                      "查看和管理其课程、学员、考勤和结业。</span>")
            return
        base = self.model.summary_at(self.model.row_of(c.id or 0)).base if self.model.row_of(c.id or 0) >= 0 else ""
        parts = [c.type, f"{c.start_date.isoformat()} 至 {c.end_date.isoformat()}（{c.days}天）"]
        if base:
            parts.append(base)
        if c.pass_mark is not None:
            parts.append(f"及格分 {c.pass_mark.normalize():f}")
        parts.append(c.status)
        self.header_label.setText(f"<b style='font-size:12pt'>{_escape(c.title)}</b>　"
                                  f"<span style='color:#555'>{_escape('　·　'.join(parts))}</span>")

    def _show_changes(self) -> None:
        """After changes, before the other pages hear of them: the list's totals."""
        self.reload_list()

    def refresh(self) -> None:
        """Another page changed data (people, plans, rules): re-read everything shown."""
        self._fill_years()
        self.reload_list()
        if self.current is not None:
            self._show(training.get_class(self.db, self.current.id or 0))

    # ---- dialogs ---------------------------------------------------------------------------------

    def new_class(self) -> None:
        from ui.class_dialog import ClassDialog

        dialog = ClassDialog(self.db, None, self, year=self.year, today=self.today)
        dialog.saved.connect(self._class_saved)
        self.open_dialog(dialog)

    def edit_class(self) -> None:
        if self.current is None:
            return
        from ui.class_dialog import ClassDialog

        dialog = ClassDialog(self.db, self.current, self, today=self.today)
        dialog.saved.connect(self._class_saved)
        self.open_dialog(dialog)

    def _class_saved(self, c: TrainingClass) -> None:
        self._fill_years()
        if self.year is not None and not c.start_date.year <= self.year <= c.end_date.year:
            self.year_combo.setCurrentIndex(self.year_combo.findData(c.start_date.year))
        self.current = c
        self.reload_list()
        if not self.select_class(int(c.id or 0)):  # hidden by the search or status filter: show it anyway
            self.search_edit.clear()
            self.status_combo.setCurrentIndex(0)
            self.select_class(int(c.id or 0))
        self._show(c)
        self.show_message(f"已保存培训班：{c.title}")
        self.data_changed.emit()

    # ---- delete and close ------------------------------------------------------------------------

    def delete_class(self) -> None:
        """Refused once attendance or scores are recorded: they are people's training history, and a
        class deleted by mistake cannot be rebuilt. A class still being prepared goes after a confirmation."""
        c = self.current
        if c is None or c.id is None:
            return
        marks = self.db.execute("SELECT COUNT(*) FROM attendance a JOIN class_sessions s ON s.id = a.session_id"
                                " WHERE s.class_id = ?", [c.id]).fetchone()[0]
        scores = self.db.execute("SELECT COUNT(*) FROM enrolments WHERE class_id = ? AND score_x100 IS NOT NULL",
                                 [c.id]).fetchone()[0]
        if marks or scores:
            recorded = "、".join(x for x in (f"{marks}条考勤" if marks else "",
                                             f"{scores}人的成绩" if scores else "") if x)
            self.prompts.refuse("不能删除", f"“{c.title}”已登记{recorded}，这些是学员的培训记录，删除后无法恢复，"
                                "因此不能直接删除。\n\n如确属误建，请先在“考勤”页清除考勤（选中后按 Delete），"
                                "在“考核与结业”页清空成绩，然后再删除。")
            return
        n_sessions = len(training.sessions(self.db, c.id))
        n_people = len(training.enrolled_ids(self.db, c.id))
        question = f"删除培训班“{c.title}”？\n其 {n_sessions} 节课程和 {n_people} 名学员的报名将一并删除。"
        if not self.prompts.confirm("删除培训班", question, yes="删除"):
            return
        training.delete_class(self.db, c.id)
        self.current = None
        self._fill_years()
        self.reload_list()
        self.show_message(f"已删除培训班：{c.title}")
        self.data_changed.emit()

    def close_class(self) -> None:
        c = self.current
        if c is None or c.id is None or c.status == "已结束":
            return
        try:
            warnings = training.closing_warnings(self.db, c, self.today)
        except training.TrainingError as exc:
            self.prompts.refuse("结班", str(exc))
            return
        early = c.end_date > self.today
        question = f"结班“{c.title}”？结班后按考勤和成绩计算结业，并计入学员的培训记录。"
        question += "".join(f"\n\n{w}" for w in warnings)
        if not self.prompts.confirm("提前结班" if early else "结班", question, yes="仍要现在结班" if early else "结班"):
            return
        try:
            closed = training.save_class(self.db, replace(c, status="已结束"))
        except training.TrainingError as exc:
            self.prompts.refuse("结班", str(exc))
            return
        self.current = closed
        self.reload_list()
        self._show(closed)
        self.tabs.setCurrentWidget(self.results_tab)
        text = self._show_closing_note(c.id)
        self.data_changed.emit()
        self.prompts.inform("结班", text + "\n可在“考核与结业”页查看每人的结果和原因。")

    def _show_closing_note(self, class_id: int) -> str:
        """The 已结班 counts on the message line; they follow overrides until another message or class."""
        results = training.outcomes(self.db, rules.active(self.db), class_id=class_id)
        done = sum(1 for o in results if o.completed)
        text = f"已结班：共 {len(results)} 人，结业 {done} 人，未结业 {len(results) - done} 人。"
        self.show_message(text)
        self._closing_note_of = class_id
        return text

    def show_message(self, text: str) -> None:
        self._closing_note_of = None  # any other message replaces the closing note
        super().show_message(text)

    # ---- printing --------------------------------------------------------------------------------

    def _fill_sign_in_menu(self) -> None:
        self.sign_in_menu.clear()
        if self.current is None:
            return
        sessions = training.sessions(self.db, self.current.id or 0)
        if not sessions:
            self.sign_in_menu.addAction("（尚未安排课程）").setEnabled(False)
        for s in sessions:
            action = self.sign_in_menu.addAction(session_label(s))
            action.setData(s.id)
            action.triggered.connect(self._sign_in_printer(int(s.id or 0)))
        if len(sessions) > 1:
            self.sign_in_menu.addSeparator()
            every = self.sign_in_menu.addAction(f"全部 {len(sessions)} 节课程（合并为一个文件，每节单独编页）…")
            every.triggered.connect(self.print_all_sign_ins)

    def _sign_in_printer(self, session_id: int) -> Callable[[], None]:
        return lambda: self.print_sign_in(session_id)

    def print_roster(self) -> None:
        c = self.current
        if c is None or c.id is None:
            return
        from exports import class_pdfs

        path = self.prompts.save_path("打印学员名册", class_pdfs.roster_file_name(c), PDF_FILTER, ".pdf")
        if path:
            class_id = c.id
            self._print("打印学员名册", path, lambda: class_pdfs.class_roster(self.db, class_id, path))

    def print_sign_in(self, session_id: int | None = None) -> None:
        """The sign-in sheet of `session_id`, else of the session chosen on the 考勤 tab, else the first."""
        c = self.current
        if c is None or c.id is None:
            return
        from exports import class_pdfs

        sessions = training.sessions(self.db, c.id)
        if session_id is None:
            # the 考勤 tab's session, unless deleted since (the tab holds this class's rows, or none: ClassTab)
            chosen = self.attendance_tab.session_id
            session_id = chosen if chosen in {x.id for x in sessions} else (sessions[0].id if sessions else None)
        s = next((x for x in sessions if x.id == session_id), None)
        if s is None:
            self.prompts.refuse("打印签到表", "本班还没有课程，请先在“课程”页添加课程。")
            return
        path = self.prompts.save_path("打印签到表", class_pdfs.sign_in_file_name(c, s), PDF_FILTER, ".pdf")
        if path:
            sid = int(s.id or 0)
            self._print("打印签到表", path, lambda: class_pdfs.sign_in_sheet(self.db, sid, path))

    def print_all_sign_ins(self) -> None:
        """Every session's sign-in sheet in one file: each starts on a new page and counts its own pages."""
        c = self.current
        if c is None or c.id is None:
            return
        from exports import class_pdfs

        ids = [int(s.id or 0) for s in training.sessions(self.db, c.id)]
        if not ids:
            self.prompts.refuse("打印签到表", "本班还没有课程，请先在“课程”页添加课程。")
            return
        path = self.prompts.save_path("打印签到表", class_pdfs.all_sign_in_file_name(c), PDF_FILTER, ".pdf")
        if path:
            self._print("打印签到表", path, lambda: class_pdfs.sign_in_sheets(self.db, ids, path))

    def _print(self, title: str, path: str, build: Callable[[], Path]) -> None:
        from exports.fonts import FontError
        from exports.glyphs import MissingGlyphsError

        self.flush()  # no list refresh on this thread while the worker reads the same connection

        def failed(exc: BaseException) -> None:
            if isinstance(exc, FontError | MissingGlyphsError):
                self.prompts.refuse(title, str(exc))
            elif isinstance(exc, OSError):
                self.prompts.refuse(title, f"无法写入 {path}（文件是否正在被其他程序打开？）\n{exc}")
            else:
                self.prompts.refuse(title, f"{title}失败：{exc}")

        def done(_result: object) -> None:
            self.prompts.saved(title, path)

        self.task = run_task(self, title, lambda _ctx: build(), done, failed, cancellable=False)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
