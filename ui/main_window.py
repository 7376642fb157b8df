"""The main window: a sidebar of sections, the pages in a stack, the 文件 / 帮助 menus, a status bar."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)
from sqlite_utils import Database

from trainer import __version__, people
from ui.people_page import PeoplePage, ask_export_path, start_export

APP_TITLE = "Trainer 城管执法培训管理"
# The sidebar, in order: (title, module, page class). Pages are built as Page(db, main_window); a module
# that does not exist yet is left out, so the sidebar never shows an empty placeholder.
SECTIONS = (
    ("首页", "ui.dashboard_page", "DashboardPage"),
    ("人员名册", "ui.people_page", "PeoplePage"),
    ("培训计划", "ui.plans_page", "PlansPage"),
    ("培训班", "ui.classes_page", "ClassesPage"),
    ("培训记录", "ui.records_page", "RecordsPage"),
    ("证书管理", "ui.certificates_page", "CertificatesPage"),
    ("证书核验", "ui.verify_page", "VerifyPage"),
    ("技能比武", "ui.contest_page", "ContestPage"),
    ("单位管理", "ui.units_page", "UnitsPage"),
    ("规则设置", "ui.rules_page", "RulesPage"),
)
DEMO_BADGE_STYLE = "background: #e67e22; color: white; font-weight: bold; padding: 2px 10px; border-radius: 3px;"


class MainWindow(QMainWindow):
    def __init__(self, db: Database, db_path: Path | str, is_demo: bool = False, today: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.db_path = Path(db_path)
        self.is_demo = is_demo
        self.import_dialog: QDialog | None = None
        self.setWindowTitle(f"{APP_TITLE} — {self.db_path.name}" + ("（演示数据）" if is_demo else ""))
        self._fit_to_screen()

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(108)
        self.sidebar.setIconSize(QSize(0, 0))
        self.sidebar.setStyleSheet(
            "QListWidget#sidebar { background: #2c3e50; color: #ecf0f1; border: none; font-size: 11pt; }"
            "QListWidget#sidebar::item { padding: 12px 14px; }"
            "QListWidget#sidebar::item:selected { background: #1abc9c; color: white; }"
        )
        self.stack = QStackedWidget()
        self.sections: dict[str, QWidget] = {}

        self.people_page = PeoplePage(db, self, today=today)
        self.people_page.message.connect(self.show_message)
        for title, module, cls in SECTIONS:
            page = self.people_page if title == "人员名册" else self._make_page(module, cls)
            if page is not None:
                self.add_section(title, page)
        self.units_page = self.sections.get("单位管理")
        if self.units_page is not None:
            self.units_page.units_changed.connect(self.people_page.reload)  # type: ignore[attr-defined]
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.sidebar.setCurrentRow(0)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.sidebar)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self._build_status_bar()

    def _fit_to_screen(self) -> None:
        # Thirteen columns need room: take most of a small screen, a comfortable size on a large one.
        screen = self.screen()
        area = screen.availableGeometry() if screen else None
        width = min(1680, int(area.width() * 0.94)) if area else 1440
        height = min(1000, int(area.height() * 0.9)) if area else 880
        self.resize(width, height)

    # ---- sections --------------------------------------------------------------------------------

    def add_section(self, title: str, page: QWidget) -> None:
        self.sections[title] = page
        self.stack.addWidget(page)
        item = QListWidgetItem(title)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sidebar.addItem(item)

    def show_section(self, title: str) -> None:
        self.sidebar.setCurrentRow(list(self.sections).index(title))

    def _make_page(self, module: str, cls: str) -> QWidget | None:
        """Build a section's page as `Page(db, main_window)`; a page that changes data emits `data_changed`."""
        try:
            page_class = getattr(importlib.import_module(module), cls)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            return None  # the section is not built yet: no placeholder screen
        page: QWidget = page_class(self.db, self)
        changed = getattr(page, "data_changed", None)
        if changed is not None:
            changed.connect(lambda: self.refresh(except_page=page))
        return page

    def refresh(self, except_page: QWidget | None = None) -> None:
        """Re-read every page from the database (after an import or any change made elsewhere)."""
        for page in self.sections.values():
            if page is except_page:
                continue
            hook = getattr(page, "refresh", None) or getattr(page, "reload", None)
            if callable(hook):
                hook()
        self._update_people_count()

    # ---- menus and status bar --------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        self.import_action = QAction("导入花名册…", self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(lambda: self.import_roster())
        self.export_action = QAction("导出花名册…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.export_roster)
        quit_action = QAction("退出", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        about = QAction("关于", self)
        about.triggered.connect(self.about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.demo_badge = QLabel("演示数据")
        self.demo_badge.setStyleSheet(DEMO_BADGE_STYLE)
        self.demo_badge.setToolTip("这是虚构的演示数据库，与正式数据分开保存")
        self.demo_badge.setVisible(self.is_demo)
        self.count_label = QLabel()
        self.path_label = QLabel(f"数据库：{self.db_path}")
        self.path_label.setStyleSheet("color: #555;")
        bar.addPermanentWidget(self.count_label)
        bar.addPermanentWidget(self.path_label)
        if self.is_demo:
            bar.addPermanentWidget(self.demo_badge)
        self._update_people_count()

    def _update_people_count(self) -> None:
        self.count_label.setText(f"在册 {people.count(self.db)} 人")

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10_000)
        self._update_people_count()

    # ---- actions ---------------------------------------------------------------------------------

    def import_roster(self, path: str | None = None) -> None:
        try:
            from ui.import_dialog import RosterImportDialog
        except ModuleNotFoundError as exc:
            if exc.name != "ui.import_dialog":
                raise
            QMessageBox.information(self, "导入花名册", "此版本尚未包含花名册导入功能。")
            return
        dialog = RosterImportDialog(self.db, self, path=path)
        dialog.imported.connect(lambda *_: self._imported())
        self.import_dialog = dialog
        dialog.open()

    def _imported(self) -> None:
        self.refresh()
        self.show_section("人员名册")
        self.show_message("花名册已导入")

    def export_roster(self) -> None:
        path = ask_export_path(self, "导出花名册")
        if not path:
            return
        persons = people.all_people(self.db)
        start_export(self, self.db, persons, path,
                     lambda: self.show_message(f"已导出全部 {len(persons)} 人到 {path}"))

    def about(self) -> None:
        QMessageBox.about(
            self, "关于 Trainer",
            f"<b>{APP_TITLE}</b> {__version__}<br>"
            "城市管理执法队伍教育培训、持证上岗与技能比武管理（离线单机版）。<br><br>"
            f"数据库：{self.db_path}" + ("<br><b>当前打开的是演示数据。</b>" if self.is_demo else ""),
        )
