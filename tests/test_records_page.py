"""As a training officer I bring in training done outside our classes (provincial courses, party school,
earlier years) from Excel: I see every row checked first, a bad file writes nothing, and a good one
appears in the list — searchable by name or ID number, filtered by year — and counts toward the rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlite_utils import Database
from training_support import RECORD_HEADERS, D, count_rows, person, record_row, status

from exports.excel import Sheet, write_xlsx
from trainer.compliance import COVERAGE
from trainer.people import Person
from ui import import_preview
from ui.person_detail import PersonDetailDialog
from ui.records_import_dialog import RecordsImportDialog
from ui.records_page import RecordsPage

TODAY = D(2026, 11, 25)


@pytest.fixture
def officers(db: Database) -> list[Person]:
    return [person(db, "王立"), person(db, "李强", unit="卫东区"), person(db, "张敏", unit="湛河区")]


@pytest.fixture
def page(qtbot, db: Database, officers: list[Person]) -> RecordsPage:
    p = RecordsPage(db, today=TODAY)
    qtbot.addWidget(p)
    p.show()
    return p


def write_file(path: Path, rows: list[list[object]]) -> Path:
    return write_xlsx(path, [Sheet("培训记录", RECORD_HEADERS, rows)])


def open_import(qtbot, page: RecordsPage, path: Path) -> RecordsImportDialog:
    page.import_records(str(path))
    dialog = page.import_dialog
    assert isinstance(dialog, RecordsImportDialog)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.task is not None and dialog.task.done, timeout=10_000)
    return dialog


def test_a_good_file_is_previewed_then_written_and_listed(qtbot, page: RecordsPage, db: Database,
                                                          officers: list[Person], tmp_path: Path) -> None:
    wang, li, zhang = officers
    path = write_file(tmp_path / "外部培训.xlsx", [
        record_row(wang, "业务知识培训", D(2026, 5, 11), D(2026, 5, 15), hours="40", title="全省执法业务培训班",
                   organiser="河南省住房和城乡建设厅"),
        record_row(li, "专题培训", D(2025, 10, 12), D(2025, 10, 21), hours="60", title="市委党校中青年干部培训班"),
        record_row(zhang, "业务知识培训", D(2026, 6, 1), D(2026, 6, 3), hours="24", completed=False,
                   title="全省执法业务培训班"),
    ])
    assert status(db, wang, COVERAGE, TODAY) == "未完成"
    dialog = open_import(qtbot, page, path)
    assert "新增 3" in dialog.counts_label.text() and "问题 0 处" in dialog.counts_label.text()
    assert dialog.banner_kind == "ok" and dialog.problems_model.stringList() == []
    assert count_rows(Path(db.conn.execute("PRAGMA database_list").fetchone()[2]), "external_records") == 0

    with qtbot.waitSignal(page.data_changed, timeout=10_000):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.task is not None and dialog.task.done, timeout=10_000)
    assert dialog.import_result == 3 and "新增 3 条培训记录" in dialog.banner.text()
    assert not dialog.confirm_button.isEnabled()
    rows = page.shown_rows()
    assert [r[0] for r in rows] == ["张敏", "王立", "李强"]  # newest end date first
    assert rows[1][:10] == ("王立", wang.id_number, "新华区", "全省执法业务培训班", "业务知识培训", "2026-05-11",
                            "2026-05-15", "5", "40", "是")
    assert status(db, wang, COVERAGE, TODAY) == "合格"  # an imported record counts toward the rules
    assert status(db, zhang, COVERAGE, TODAY) == "未完成"  # not completed: it does not


def test_a_file_with_one_bad_row_writes_nothing_and_says_where(qtbot, page: RecordsPage, db: Database,
                                                               officers: list[Person], tmp_path: Path) -> None:
    wang, li, zhang = officers
    bad_name = record_row(li, "专题培训", D(2026, 3, 2), D(2026, 3, 3), hours="16")
    bad_name[1] = "李刚"
    backwards = record_row(zhang, "专题培训", D(2026, 3, 9), D(2026, 3, 2), hours="16")
    path = write_file(tmp_path / "有错.xlsx", [
        record_row(wang, "专题培训", D(2026, 3, 2), D(2026, 3, 3), hours="16"), bad_name, backwards,
        record_row(wang, "专题培训", D(2026, 4, 2), D(2026, 4, 2), hours="-8", title="x"),
    ])
    dialog = open_import(qtbot, page, path)
    assert dialog.problems_model.stringList() == [
        "第3行 姓名: 与名册不符（名册中为“李强”）",
        "第4行 结束日期: 结束日期早于开始日期",
        "第5行 学时: 不能为负数（-8）",
    ]
    assert dialog.banner_kind == "error" and "未写入任何数据" in dialog.banner.text()
    assert "问题 3 处（3 行）" in dialog.counts_label.text()
    model = dialog.model
    bad = model.index(model.source_row_of(3), model.column_of("姓名"))
    assert bad.data(Qt.ItemDataRole.BackgroundRole) == import_preview.BAD_CELL
    assert model.index(model.source_row_of(2), model.column_of("姓名")).data(
        Qt.ItemDataRole.BackgroundRole) != import_preview.BAD_CELL
    assert [model.index(r, 1).data() for r in range(model.rowCount())] == ["有问题"] * 3 + ["新增"]
    assert not dialog.confirm_button.isEnabled()
    dialog.confirm()  # even called directly, nothing is written
    assert page.shown_rows() == [] and db.execute("SELECT COUNT(*) FROM external_records").fetchone()[0] == 0


def test_a_file_without_the_required_columns_is_refused(qtbot, page: RecordsPage, tmp_path: Path,
                                                        officers: list[Person]) -> None:
    path = write_xlsx(tmp_path / "缺列.xlsx", [Sheet("x", ["身份证号", "姓名", "培训名称"],
                                                   [[officers[0].id_number, "王立", "某培训"]])])
    dialog = open_import(qtbot, page, path)
    assert "文件缺少必填列" in dialog.banner.text() and "培训类型" in dialog.banner.text()
    assert not dialog.confirm_button.isEnabled()


def test_a_cancelled_write_leaves_nothing(qtbot, page: RecordsPage, db: Database, officers: list[Person],
                                         tmp_path: Path) -> None:
    rows = [record_row(officers[i % 3], "专题培训", D(2026, 1, 1) + dt.timedelta(days=i),
                       D(2026, 1, 1) + dt.timedelta(days=i), hours="4") for i in range(300)]
    dialog = open_import(qtbot, page, write_file(tmp_path / "多.xlsx", rows))
    assert "新增 300" in dialog.counts_label.text()
    dialog.confirm()
    assert dialog.task is not None
    dialog.task.cancel()  # the user presses 取消 before the first batch is written
    qtbot.waitUntil(lambda: dialog.task is not None and dialog.task.done, timeout=10_000)
    if dialog.task.cancelled:
        assert "已取消导入，未写入任何数据" in dialog.banner.text()
        assert db.execute("SELECT COUNT(*) FROM external_records").fetchone()[0] == 0
    else:  # the write finished before the cancel arrived: then all of it is there
        assert db.execute("SELECT COUNT(*) FROM external_records").fetchone()[0] == 300


def test_the_list_searches_by_name_or_id_number_and_filters_by_year(qtbot, page: RecordsPage, db: Database,
                                                                    officers: list[Person], tmp_path: Path) -> None:
    wang, li, _zhang = officers
    dialog = open_import(qtbot, page, write_file(tmp_path / "r.xlsx", [
        record_row(wang, "专题培训", D(2026, 3, 2), D(2026, 3, 3), hours="16", title="甲班"),
        record_row(wang, "专题培训", D(2025, 3, 2), D(2025, 3, 3), hours="16", title="乙班"),
        record_row(li, "专题培训", D(2025, 6, 2), D(2025, 6, 3), hours="16", title="丙班"),
    ]))
    dialog.confirm()
    qtbot.waitUntil(lambda: dialog.import_result is not None, timeout=10_000)
    assert len(page.shown_rows()) == 3 and page.count_label.text() == "共 3 条"
    page.search_edit.setText("王立")  # typed Chinese: setText, not keyClicks
    assert [r[3] for r in page.shown_rows()] == ["甲班", "乙班"]
    page.search_edit.setText(li.id_number[-6:].lower())  # part of an ID number, x typed lower-case
    assert [r[3] for r in page.shown_rows()] == ["丙班"]
    page.search_edit.setText("")
    page.year_combo.setCurrentIndex(page.year_combo.findData("2025"))
    assert sorted(r[3] for r in page.shown_rows()) == ["丙班", "乙班"]
    assert page.count_label.text() == "显示 2 条，共 3 条"
    page._open_person(page.proxy.index(0, 0))
    assert isinstance(page.detail, PersonDetailDialog)


def test_the_template_has_the_import_headers(page: RecordsPage, tmp_path: Path) -> None:
    import openpyxl

    told: list[str] = []
    page.ask_save_path = lambda name: str(tmp_path / name)  # type: ignore[method-assign]
    page.tell = lambda title, text, error=False: told.append(text)  # type: ignore[method-assign]
    page.save_template()
    sheet = openpyxl.load_workbook(tmp_path / "培训记录导入模板.xlsx").active
    assert [c.value for c in sheet[1]] == RECORD_HEADERS and told
