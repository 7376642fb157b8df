"""Starting the app: the main window on a database, the bundle's self-test, the first-run choices,
a damaged database, and the menu wiring to the import dialog and the units page."""

from __future__ import annotations

import argparse
import subprocess
import sys
import types
from pathlib import Path

import pytest
from conftest import DEMO_DAY
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from trainer import people
from ui import app
from ui.first_run import DEMO, EMPTY, IMPORT, FirstRunDialog
from ui.main_window import APP_TITLE, MainWindow


@pytest.fixture
def window(qtbot, demo_db, db_path):
    w = MainWindow(demo_db, db_path, is_demo=True, today=DEMO_DAY)
    qtbot.addWidget(w)
    w.show()
    return w


def test_main_window_opens_on_a_demo_database(qtbot, window, demo_db):
    assert window.windowTitle() == f"{APP_TITLE} — trainer.db（演示数据）"
    assert "Trainer 城管执法培训管理" in window.windowTitle()
    titles = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert titles[:2] == ["首页", "人员名册"]  # the window opens on the dashboard
    assert window.stack.currentWidget() is window.sections["首页"]
    assert window.people_page.model.total_count() == 300
    assert window.demo_badge.isVisible() and window.demo_badge.text() == "演示数据"
    assert window.count_label.text() == "在册 300 人"
    assert not window.grab().isNull()


def test_a_real_database_has_no_demo_badge(qtbot, db, db_path):
    w = MainWindow(db, db_path)
    qtbot.addWidget(w)
    w.show()
    assert not w.demo_badge.isVisible()
    assert w.windowTitle() == f"{APP_TITLE} — trainer.db"
    assert all(label.text() != "演示数据" for label in w.statusBar().findChildren(QLabel) if label.isVisible())


def test_the_sidebar_switches_sections(qtbot, window):
    assert "单位管理" in window.sections
    window.sidebar.setCurrentRow(list(window.sections).index("单位管理"))  # other pages come and go
    assert window.stack.currentWidget() is window.sections["单位管理"]


def fake_module(monkeypatch, name: str, **attrs: object) -> None:
    module = types.ModuleType(name)
    for key, value in attrs.items():
        setattr(module, key, value)
    monkeypatch.setitem(sys.modules, name, module)


def test_without_a_units_page_module_the_section_is_left_out(qtbot, monkeypatch, demo_db, db_path):
    monkeypatch.setitem(sys.modules, "ui.units_page", None)  # import fails like a missing module
    w = MainWindow(demo_db, db_path)
    qtbot.addWidget(w)
    assert "单位管理" not in w.sections and "人员名册" in w.sections
    assert w.sidebar.count() == len(w.sections)


def test_a_units_change_reloads_the_people_page(qtbot, monkeypatch, demo_db, db_path):
    class FakeUnitsPage(QWidget):
        units_changed = Signal()

        def __init__(self, db, parent=None):
            super().__init__(parent)

    fake_module(monkeypatch, "ui.units_page", UnitsPage=FakeUnitsPage)
    w = MainWindow(demo_db, db_path, today=DEMO_DAY)
    qtbot.addWidget(w)
    assert isinstance(w.sections["单位管理"], FakeUnitsPage)
    street = next(u for u in w.people_page._units if u.level == "街道")
    demo_db.execute("UPDATE units SET name = '改名街道' WHERE id = ?", [street.id])
    w.units_page.units_changed.emit()
    assert w.people_page._unit_items[street.id].text().startswith("改名街道（")


def test_import_menu_opens_the_import_dialog_and_refreshes_on_imported(qtbot, monkeypatch, demo_db, db_path):
    opened: list[QDialog] = []

    class FakeImportDialog(QDialog):
        imported = Signal(object)

        def __init__(self, db, parent=None, path=None):
            super().__init__(parent)
            self.path = path
            opened.append(self)

    fake_module(monkeypatch, "ui.import_dialog", RosterImportDialog=FakeImportDialog)
    w = MainWindow(demo_db, db_path, today=DEMO_DAY)
    qtbot.addWidget(w)
    w.show_section("人员名册")  # the register is on screen (pages are built when first shown)
    w.import_action.trigger()
    assert len(opened) == 1 and opened[0].isVisible()

    # the import wrote someone; the page shows them once the dialog says so
    someone = people.all_people(demo_db)[0]
    from dataclasses import replace

    from trainer import idnumber

    people.save(demo_db, replace(someone, id=None, name="新导入", id_number=idnumber.make(
        "410402", someone.hire_date.replace(year=1990, day=1), 9, someone.gender)))
    assert w.people_page.model.total_count() == 300
    opened[0].imported.emit(object())
    assert w.people_page.model.total_count() == 301
    assert w.count_label.text() == "在册 301 人"


def test_export_menu_writes_the_whole_register(qtbot, monkeypatch, window, tmp_path):
    from exports.tables import read_table

    target = tmp_path / "全部.xlsx"
    monkeypatch.setattr("ui.people_page.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    window.people_page.category_combo.setCurrentText("协管人员")  # the menu ignores the page's filter
    window.export_action.trigger()
    assert len(read_table(target).rows) == 300


# ---- the entry point ---------------------------------------------------------------------------------

def test_selftest_returns_0_on_a_temporary_demo(qtbot, capsys):
    assert app.main(["--selftest"]) == 0
    assert "selftest ok" in capsys.readouterr().out


def test_selftest_on_a_given_database(qtbot, capsys, demo_db, db_path):
    assert app.main(["--selftest", "--db", str(db_path)]) == 0
    assert "selftest ok: 300 人" in capsys.readouterr().out


def test_selftest_fails_on_a_damaged_database(qtbot, tmp_path, capsys):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 200)
    assert app.main(["--selftest", "--db", str(bad)]) == 1
    assert "损坏" in capsys.readouterr().err


def test_python_m_ui_app_selftest_in_a_fresh_process(tmp_path):
    done = subprocess.run([sys.executable, "-m", "ui.app", "--selftest"], capture_output=True, text=True,
                          timeout=120, env={"QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8",
                                            "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    assert "selftest ok" in done.stdout


def test_a_damaged_database_is_explained_and_the_app_exits_1(qtbot, monkeypatch, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 1000)
    shown: list[str] = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.critical", lambda parent, title, text: shown.append(text))
    assert app.main(["--db", str(bad)]) == 1
    assert len(shown) == 1 and "已损坏" in shown[0]


def test_the_first_run_dialog_offers_three_choices(qtbot, tmp_path):
    d = FirstRunDialog(tmp_path / "trainer.db", tmp_path / "demo.db")
    qtbot.addWidget(d)
    titles = {key: button.text() for key, button in d.buttons.items()}
    assert titles == {EMPTY: "新建空数据库", IMPORT: "导入花名册", DEMO: "浏览演示数据"}
    assert "演示" in d.buttons[DEMO].description() and str(tmp_path / "demo.db") in d.buttons[DEMO].description()
    d.buttons[DEMO].click()
    assert d.choice == DEMO and d.result() == QDialog.DialogCode.Accepted


@pytest.fixture
def fresh_machine(monkeypatch, tmp_path):
    """No --db, no TRAINER_DB, no database yet; the default and demo paths live in tmp_path."""
    monkeypatch.delenv("TRAINER_DB", raising=False)
    monkeypatch.setattr(app, "default_db_path", lambda: tmp_path / "data" / "trainer.db")
    monkeypatch.setattr(app, "demo_db_path", lambda: tmp_path / "data" / "demo.db")
    monkeypatch.setattr(app, "DEMO_PEOPLE", 20)  # keep the test quick; the count is a parameter
    return tmp_path / "data"


def no_args(**kw: object) -> argparse.Namespace:
    return argparse.Namespace(db=None, demo=False, selftest=False, **kw)


def test_first_start_asks_and_explore_demo_opens_a_separate_demo_file(fresh_machine):
    asked: list[Path] = []
    opening = app.choose_database(no_args(), ask=lambda path, demo_path: asked.append(path) or DEMO)
    assert asked == [fresh_machine / "trainer.db"]
    assert opening is not None and opening.is_demo
    assert opening.path == fresh_machine / "demo.db"
    assert people.count(opening.db) == 20
    assert not (fresh_machine / "trainer.db").exists()  # the real database is never filled with demo people
    opening.db.close()


def test_first_start_empty_and_import_create_the_default_database(fresh_machine):
    opening = app.choose_database(no_args(), ask=lambda *_: EMPTY)
    assert opening is not None and not opening.is_demo and not opening.then_import
    assert opening.path == fresh_machine / "trainer.db" and opening.path.exists()
    assert people.count(opening.db) == 0
    opening.db.close()
    # the second start finds the database and does not ask again
    again = app.choose_database(no_args(), ask=lambda *_: pytest.fail("asked twice"))
    assert again is not None and again.path == fresh_machine / "trainer.db"
    again.db.close()


def test_first_start_import_roster_opens_the_import_after_creating(fresh_machine):
    opening = app.choose_database(no_args(), ask=lambda *_: IMPORT)
    assert opening is not None and opening.then_import and opening.path.exists()
    opening.db.close()


def test_quitting_the_first_run_dialog_opens_nothing(fresh_machine):
    assert app.choose_database(no_args(), ask=lambda *_: None) is None
    assert not (fresh_machine / "trainer.db").exists()


def test_demo_flag_fills_an_empty_database_only_once(tmp_path, monkeypatch):
    monkeypatch.setattr(app, "DEMO_PEOPLE", 15)
    target = tmp_path / "d.db"
    first = app.choose_database(argparse.Namespace(db=str(target), demo=True, selftest=False))
    assert first is not None and first.is_demo and people.count(first.db) == 15
    first.db.close()
    second = app.choose_database(argparse.Namespace(db=str(target), demo=True, selftest=False))
    assert second is not None and people.count(second.db) == 15
    second.db.close()


def test_a_cjk_font_is_chosen_when_one_is_installed(qapp):
    from PySide6.QtGui import QFontDatabase

    family = app.apply_cjk_font(qapp)
    if not set(app.CJK_FONTS) & set(QFontDatabase.families()):
        assert family is None
    else:
        assert family in app.CJK_FONTS and qapp.font().family() == family



def test_a_damaged_database_offers_the_latest_good_backup_and_opens_it(qtbot, monkeypatch, tmp_path):
    from trainer import backup, settings
    from trainer.db import open_db

    path = tmp_path / "trainer.db"
    good = open_db(path)
    settings.put(good, "test.marker", "完好")
    backup.manual_backup(good.conn, path)
    good.close()
    path.write_bytes(b"garbage" * 1000)  # the disk ate the file
    asked: list[str] = []
    monkeypatch.setattr("ui.recovery._ask", lambda parent: lambda title, text: asked.append(text) or True)
    opening = app.open_database(argparse.Namespace(db=str(path), demo=False))
    assert not isinstance(opening, int)
    try:
        assert "最近一份完好的备份" in asked[0]
        assert settings.get(opening.db, "test.marker") == "完好"
        assert any(b.reason == backup.DAMAGED for b in backup.backups(path))  # the damaged file is kept
    finally:
        opening.db.close()


def test_the_start_of_day_backup_runs_in_the_background_once_a_day(qtbot, db, db_path):
    from ui.recovery import start_backup

    made: list[object] = []
    start_backup(db_path, made.append)
    qtbot.waitUntil(lambda: len(made) == 1, timeout=20_000)
    assert made[0] is not None and "-start-" in made[0].name  # type: ignore[attr-defined]
    start_backup(db_path, made.append)
    qtbot.waitUntil(lambda: len(made) == 2, timeout=20_000)
    assert made[1] is None  # already done today


def fresh_process(script: str, home: Path, *args: str) -> list[str]:
    """The lines `script` prints in a new interpreter (offscreen, a clean environment): what a start loads."""
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120,
                          env={"QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8", "HOME": str(home),
                               "PATH": "/usr/bin:/bin"}, cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_first_paint_needs_neither_the_register_page_nor_the_figures_code(tmp_path):
    """Start-up builds only 首页's frame: the people page, the checks, numpy and QtCharts load later."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from trainer.db import open_db\n"
        "from ui.app import _application\n"
        "from ui.main_window import MainWindow\n"
        "_application([])\n"
        "path = Path(sys.argv[1])\n"
        "w = MainWindow(open_db(path), path, is_demo=True)\n"
        "w.show()\n"
        "print(sorted(m for m in ('ui.people_page', 'trainer.compliance', 'trainer.dashboard', 'numpy',\n"
        "                         'PySide6.QtCharts', 'ui.dashboard_charts') if m in sys.modules))\n"
        "print(w.sections.is_built('人员名册'), w.people_page.model.total_count())\n"
    )
    # nothing of the figures loaded, and the register page is built only when asked for
    assert fresh_process(script, tmp_path, str(tmp_path / "t.db")) == ["[]", "False 0"]


def test_a_units_change_before_the_people_page_is_built_does_not_build_it(qtbot, monkeypatch, demo_db, db_path):
    class FakeUnitsPage(QWidget):
        units_changed = Signal()

        def __init__(self, db, parent=None):
            super().__init__(parent)

    fake_module(monkeypatch, "ui.units_page", UnitsPage=FakeUnitsPage)
    w = MainWindow(demo_db, db_path, today=DEMO_DAY)
    qtbot.addWidget(w)
    w.sections["单位管理"]
    w.units_page.units_changed.emit()
    assert not w.sections.is_built("人员名册")
    w.show_section("人员名册")
    assert w.stack.currentWidget() is w.people_page and w.people_page.model.total_count() == 300


def test_opening_a_database_loads_the_pdf_fonts_only_when_the_user_chose_some(tmp_path):
    """Start-up applies the fonts chosen in 证书设置; with none chosen reportlab waits for the first document."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from trainer import settings\n"
        "from trainer.db import open_db\n"
        "from ui.app import apply_saved_settings\n"
        "db = open_db(Path(sys.argv[1]))\n"
        "apply_saved_settings(db)\n"
        "print('reportlab' in sys.modules)\n"
        "settings.put_many(db, {'pdf.font': sys.argv[2]})\n"
        "apply_saved_settings(db)\n"
        "from exports import fonts\n"
        "print(fonts._user_font == Path(sys.argv[2]))\n"
    )
    assert fresh_process(script, tmp_path, str(tmp_path / "t.db"), "/usr/share/fonts/宋体.ttf") == ["False", "True"]


def test_qt_own_buttons_speak_chinese(qtbot):
    """A question with 确定/取消 — not OK/Cancel — in the Chinese window (Qt's translation is installed)."""
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from ui.app import install_qt_chinese

    assert install_qt_chinese(QApplication.instance())
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert [b.text() for b in box.buttons()] == ["确定", "取消"]


def test_shibokens_import_hook_no_longer_reads_every_imported_module(qtbot, monkeypatch):
    """Worker threads import numpy and reportlab: PySide6's hook must not inspect their sources meanwhile."""
    import inspect

    from ui.qt_runtime import quiet_feature_hook

    assert quiet_feature_hook()
    read: list[object] = []
    monkeypatch.setattr(inspect, "getsource", lambda obj: read.append(obj) or "")
    monkeypatch.delitem(sys.modules, "colorsys", raising=False)
    import colorsys  # noqa: F401  (any module not yet imported)

    assert read == []
