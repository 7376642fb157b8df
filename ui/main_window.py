"""The main window: a sidebar of sections, the pages in a stack, the 文件 / 帮助 menus, a status bar."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QStackedWidget, QWidget
from sqlite_utils import Database

from trainer import __version__, people

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from ui.people_page import PeoplePage

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
    ("数据安全", "ui.safety_page", "SafetyPage"),
    ("规则设置", "ui.rules_page", "RulesPage"),
)
DEMO_BADGE_STYLE = "background: #e67e22; color: white; font-weight: bold; padding: 2px 10px; border-radius: 3px;"


def _available(module: str) -> bool:
    """Whether a section's module exists, without importing it (importing costs start-up time)."""
    if module in sys.modules:
        return sys.modules[module] is not None
    return importlib.util.find_spec(module) is not None


class Sections(Mapping[str, QWidget]):
    """The sidebar's pages by title, in order, each built the first time it is asked for.

    Building every page at start-up read the whole register several times over and imported the PDF
    engine before the window could paint; now only the first page is built then (the people page too
    when something asks for it, e.g. `MainWindow.people_page`).
    """

    def __init__(self, build: Callable[[str], QWidget]) -> None:
        self._build = build
        self._order: list[str] = []
        self._pages: dict[str, QWidget] = {}

    def add(self, title: str, page: QWidget | None) -> None:
        self._order.append(title)
        if page is not None:
            self._pages[title] = page

    def __getitem__(self, title: str) -> QWidget:
        if title not in self._order:
            raise KeyError(title)
        if title not in self._pages:
            self._pages[title] = self._build(title)
        return self._pages[title]

    def __contains__(self, title: object) -> bool:  # without building the page (Mapping's would)
        return title in self._order

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def is_built(self, title: str) -> bool:
        return title in self._pages

    def built(self) -> list[QWidget]:
        return [self._pages[t] for t in self._order if t in self._pages]


class MainWindow(QMainWindow):
    def __init__(self, db: Database, db_path: Path | str, is_demo: bool = False, today: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.db_path = Path(db_path)
        self.is_demo = is_demo
        self._today = today
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
        self.sections = Sections(self._build_section)
        self._modules: dict[str, tuple[str, str]] = {}
        self.units_page: QWidget | None = None

        for title, module, cls in SECTIONS:
            if title == "人员名册" or _available(module):  # a section not built yet is left out: no placeholder
                self._modules[title] = (module, cls)
                self.add_section(title, None)
        self.sidebar.currentRowChanged.connect(self._show_row)
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

    def add_section(self, title: str, page: QWidget | None) -> None:
        """A sidebar entry; without a page, the page is built the first time it is shown."""
        self.sections.add(title, page)
        self.stack.addWidget(page if page is not None else QWidget())
        item = QListWidgetItem(title)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sidebar.addItem(item)

    @property
    def people_page(self) -> PeoplePage:
        """The 人员名册 page, built the first time it is shown or asked for."""
        return self.sections["人员名册"]  # type: ignore[return-value]

    def show_section(self, title: str) -> None:
        self.sidebar.setCurrentRow(list(self.sections).index(title))

    def _show_row(self, row: int) -> None:
        if row >= 0:
            self.sections[list(self.sections)[row]]  # builds the page on its first showing
            self.stack.setCurrentIndex(row)

    def _build_section(self, title: str) -> QWidget:
        """Build a section's page as `Page(db, main_window)` and put it in the stack in place of its stand-in."""
        module, cls = self._modules[title]
        page_class = getattr(importlib.import_module(module), cls)
        page: QWidget
        if title == "人员名册":
            page = page_class(self.db, self, today=self._today)
            page.message.connect(self.show_message)  # type: ignore[attr-defined]
        else:
            page = page_class(self.db, self)
        changed = getattr(page, "data_changed", None)
        if changed is not None:
            changed.connect(lambda: self.refresh(except_page=page))
        if title == "单位管理":
            self.units_page = page
            page.units_changed.connect(self._units_changed)  # type: ignore[attr-defined]
        index = list(self.sections).index(title)
        stand_in = self.stack.widget(index)
        self.stack.insertWidget(index, page)
        if stand_in is not None:
            self.stack.removeWidget(stand_in)
            stand_in.deleteLater()
        if self.sidebar.currentRow() == index:
            self.stack.setCurrentIndex(index)
        return page

    def _units_changed(self) -> None:
        if "人员名册" in self.sections and self.sections.is_built("人员名册"):  # else it reads them when built
            self.people_page.reload()

    def refresh(self, except_page: QWidget | None = None) -> None:
        """Re-read every page from the database (after an import or any change made elsewhere)."""
        for page in self.sections.built():  # a page not built yet reads fresh data when it is first shown
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
        from PySide6.QtWidgets import QMessageBox

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
        from ui.people_page import ask_export_path, start_export

        path = ask_export_path(self, "导出花名册")
        if not path:
            return
        persons = people.all_people(self.db)
        start_export(self, self.db, persons, path,
                     lambda: self.show_message(f"已导出全部 {len(persons)} 人到 {path}"))

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self, "关于 Trainer",
            f"<b>{APP_TITLE}</b> {__version__}<br>"
            "城市管理执法队伍教育培训、持证上岗与技能比武管理（离线单机版）。<br><br>"
            f"数据库：{self.db_path}" + ("<br><b>当前打开的是演示数据。</b>" if self.is_demo else ""),
        )
