"""The GUI entry point (`trainer-gui`, `python -m ui.app`): pick the database, build the window, run.

    trainer-gui [--db PATH] [--demo] [--selftest]
    trainer-gui --judge KIT           (or just `trainer-gui KIT.kit`: opening the kit file)

--db PATH   this database file (else TRAINER_DB, else the per-user default)
--demo      the demo database (filled with 300 fictional people when empty); with --db, that file
--judge KIT judge mode: only this judge's score entry (KIT: a kit file, or the judge store .sqlite to resume)
--selftest  open the database (or a temporary demo one), build the window offscreen, exit 0 if all is well
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from trainer import people
from trainer.db import DamagedDatabase, DatabaseError, close_all, close_db, open_db
from trainer.paths import default_db_path, demo_db_path

# In order of preference: the bureau's Windows fonts first, then what Debian/Ubuntu ship.
CJK_FONTS = ("Microsoft YaHei UI", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC",
             "Source Han Sans SC", "PingFang SC", "SimHei", "SimSun", "AR PL UMing CN", "Droid Sans Fallback")
DEMO_PEOPLE = 300
FirstRun = Callable[[Path, Path], "str | None"]


@dataclass
class Opening:
    db: Database
    path: Path
    is_demo: bool = False
    then_import: bool = False  # first run chose 导入花名册: open the import dialog on the new database


def parse_args(argv: Sequence[str] | None) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="trainer-gui", description="城管执法培训管理（桌面版）")
    parser.add_argument("--db", help="数据库文件（默认：用户数据目录，或环境变量 TRAINER_DB）")
    parser.add_argument("--demo", action="store_true", help="打开演示数据库（为空时生成300名虚构人员）")
    parser.add_argument("--selftest", action="store_true", help="离屏打开主窗口后退出（安装包自检）")
    parser.add_argument("--judge", metavar="KIT", help="评委模式：打开评分包（.kit），只显示该评委的评分")
    args, rest = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    if not args.judge and rest and rest[0].lower().endswith(".kit"):  # a kit file opened from the desktop
        args.judge = rest.pop(0)
    return args, rest


def open_demo(path: Path) -> Database:
    db = open_db(path)
    if people.count(db) == 0:
        from trainer import demo  # only here: keeps the usual start quick

        demo.generate(db, DEMO_PEOPLE)
    return db


def choose_database(args: argparse.Namespace, ask: FirstRun | None = None) -> Opening | None:
    """The database to open, asking on a first start; None when the user quits the first-run dialog."""
    if args.db:
        path = Path(args.db)
        db = open_demo(path) if args.demo else open_db(path)
        return Opening(db, path, is_demo=args.demo or path == demo_db_path())
    if args.demo:
        return Opening(open_demo(demo_db_path()), demo_db_path(), is_demo=True)
    path = default_db_path()
    if os.environ.get("TRAINER_DB") or path.exists():
        return Opening(open_db(path), path, is_demo=path == demo_db_path())
    from ui.first_run import DEMO, EMPTY, IMPORT, ask_first_run

    choice = (ask or ask_first_run)(path, demo_db_path())
    if choice == DEMO:
        return Opening(open_demo(demo_db_path()), demo_db_path(), is_demo=True)
    if choice in (EMPTY, IMPORT):
        return Opening(open_db(path), path, then_import=choice == IMPORT)
    return None


def apply_cjk_font(app: object) -> str | None:
    """Use a font with Chinese glyphs for the whole UI; Qt's default may fall back per glyph unevenly."""
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    available = set(QFontDatabase.families())
    for family in CJK_FONTS:
        if family in available:
            font = QGuiApplication.font()
            font.setFamily(family)
            QGuiApplication.setFont(font)
            return family
    return None


def _application(qt_args: list[str]) -> object:
    from PySide6.QtWidgets import QApplication

    from ui.qt_runtime import quiet_feature_hook

    quiet_feature_hook()  # before any worker thread imports anything (see ui.qt_runtime)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "trainer-gui", *qt_args])
    app.setApplicationName("Trainer")
    app.setOrganizationName("Trainer")
    apply_cjk_font(app)
    install_qt_chinese(app)
    from ui import gui_gc

    gui_gc.install()
    return app


_translators: list[object] = []  # kept alive for the life of the process


def install_qt_chinese(app: object) -> bool:
    """Qt's own words in Chinese: the buttons of standard dialogs (确定/取消/是/否), the file dialogs, the
    context menu of a text field. Without this they are English in an otherwise Chinese window."""
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(QCoreApplication.instance())
    if not translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        return False  # a bundle without Qt's translations: English buttons, nothing worse
    QCoreApplication.installTranslator(translator)
    _translators.append(translator)
    return True


def apply_saved_settings(db: Database) -> None:
    """Settings stored in the database that act outside it: the font files chosen in 证书设置 for every PDF."""
    from exports import font_settings

    font_settings.apply_saved(db)


def selftest(args: argparse.Namespace, qt_args: list[str]) -> int:
    """Build the real main window offscreen on a real database; any failure is a non-zero exit."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtWidgets import QApplication

        from ui.main_window import MainWindow

        _application(qt_args)
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
            path = Path(args.db) if args.db else Path(tmp) / "selftest.db"
            db = open_db(path) if args.db else open_demo(path)
            try:
                window = MainWindow(db, path, is_demo=not args.db)
                window.show()
                QApplication.processEvents()
                if window.grab().isNull():
                    raise RuntimeError("主窗口无法绘制")
                shown, expected = window.people_page.model.total_count(), people.count(db)
                if shown != expected:
                    raise RuntimeError(f"人员名册显示 {shown} 人，数据库中有 {expected} 人")
                for row, title in enumerate(window.sections):  # every page builds and paints
                    window.sidebar.setCurrentRow(row)
                    QApplication.processEvents()
                    if window.stack.currentWidget() is not window.sections[title] or window.grab().isNull():
                        raise RuntimeError(f"栏目“{title}”无法打开")
                sections = "、".join(window.sections)
                window.close()
            finally:
                db.close()
        from PySide6.QtCore import QCoreApplication

        font = QApplication.font().family()
        ok = QCoreApplication.translate("QPlatformTheme", "OK")  # Qt's own words: 确定 when its translation loaded
        _say(f"selftest ok: {expected} 人；栏目：{sections}；按钮：{ok}；字体：{font}")
        return 0
    except Exception:
        if sys.stderr:
            traceback.print_exc()
        return 1


def _say(text: str) -> None:
    if sys.stdout:  # a windowed bundle on Windows has no console
        print(text, flush=True)


def judge_main(kit: str, qt_args: list[str]) -> int:
    """Judge mode: the judge's own score entry, nothing of the main database."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from trainer.judge_session import STORE_SUFFIX, JudgeSession, JudgeSessionError
    from ui.judge_window import JudgeWindow

    _application(qt_args)
    path = Path(kit)
    try:
        session = JudgeSession.resume(path) if path.suffix == STORE_SUFFIX else JudgeSession.open(path)
    except JudgeSessionError as exc:
        QMessageBox.critical(None, "无法打开评分包", str(exc))
        return 1
    try:
        window = JudgeWindow(session)
        window.show()
        return int(QApplication.exec())
    finally:
        session.close()


def open_database(args: argparse.Namespace) -> Opening | int:
    """choose_database, offering the latest good backup when the file is damaged; else the exit code."""
    from PySide6.QtWidgets import QMessageBox

    from ui.recovery import offer_restore

    try:
        try:
            opening = choose_database(args)
        except DamagedDatabase as exc:
            if not offer_restore(exc):
                return 1
            opening = choose_database(args)
    except DatabaseError as exc:
        QMessageBox.critical(None, "无法打开数据库", str(exc))
        return 1
    return 0 if opening is None else opening  # None: the first-run dialog was closed


def main(argv: Sequence[str] | None = None) -> int:
    args, qt_args = parse_args(argv)
    if args.selftest:
        return selftest(args, qt_args)
    if args.judge:
        return judge_main(args.judge, qt_args)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow
    from ui.recovery import start_backup

    _application(qt_args)
    opening = open_database(args)
    if isinstance(opening, int):
        return opening
    apply_saved_settings(opening.db)
    window = MainWindow(opening.db, opening.path, is_demo=opening.is_demo)
    window.show()
    if opening.then_import:
        QTimer.singleShot(0, window.import_roster)
    if not opening.is_demo:  # after the first paint: the copy runs on its own connection and thread
        def backed_up(made: Path | None) -> None:
            say = getattr(window, "show_message", None)  # the window may be gone (or a test's stand-in)
            if made is not None and callable(say):
                say(f"已完成今日自动备份：{made.name}")

        db_path = opening.path
        QTimer.singleShot(0, lambda: start_backup(db_path, backed_up))
    try:
        return int(QApplication.exec())
    finally:
        close_all(opening.path)  # the pages' own readers too, so the close is clean and recorded as such
        close_db(opening.db, opening.path)  # the next start need not re-check the whole file


if __name__ == "__main__":
    sys.exit(main())
