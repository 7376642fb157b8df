"""As a training officer I bring in training done outside our classes (provincial courses, party school,
earlier years) from Excel: I see every row checked first, a bad file writes nothing, and a good one
appears in the list — searchable by name or ID number, filtered by year — and counts toward the rules.
A wrong record is corrected in a form (编辑… or a double-click), deleted with a reason (删除…, several at
once), or put right by importing the corrected file with 更新已有记录."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from prompt_support import ScriptedPrompts
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox
from sqlite_utils import Database
from training_support import RECORD_HEADERS, D, add_record, count_rows, person, record_row, status

from exports.excel import Sheet, write_xlsx
from trainer import audit, records
from trainer.compliance import ANNUAL, COVERAGE
from trainer.people import Person
from ui import import_preview
from ui.form_draft import draft_buttons
from ui.person_detail import PersonDetailDialog
from ui.record_dialog import RecordDialog
from ui.records_import_dialog import UPDATE_HINT, RecordsImportDialog
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


# ---- correcting and deleting -----------------------------------------------------------------------------

def typo(db: Database, p: Person, title: str = "全省执法业务培训班") -> None:
    """5 days in March with 9 学时 where the certificate says 90."""
    add_record(db, p, "业务知识培训", D(2026, 3, 2), D(2026, 3, 6), hours="9", title=title)


def double_click(page: RecordsPage, row: int) -> None:
    rect = page.view.visualRect(page.proxy.index(row, 3))
    QTest.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def editor(qtbot, page: RecordsPage) -> RecordDialog:
    dialog = page.editor
    assert isinstance(dialog, RecordDialog)
    qtbot.addWidget(dialog)
    return dialog


def save_button(dialog: RecordDialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_a_double_click_opens_the_form_and_corrected_hours_count_at_once(qtbot, page: RecordsPage, db: Database,
                                                                         officers: list[Person]) -> None:
    wang = officers[0]
    typo(db, wang)
    page.refresh()
    assert status(db, wang, ANNUAL, TODAY) == "未完成"
    double_click(page, 0)
    dialog = editor(qtbot, page)
    assert dialog.isVisible() and dialog.windowTitle() == "编辑培训记录 — 王立 全省执法业务培训班"
    assert (dialog.id_edit.text(), dialog.name_edit.text(), dialog.hours_edit.text()) == (wang.id_number, "王立", "9")
    assert dialog.days_edit.text() == "" and "（5天）" in dialog.days_edit.placeholderText()  # days follow the dates

    dialog.hours_edit.setText("90")
    dialog.reason_edit.setText("按结业证书更正")
    with qtbot.waitSignal(page.data_changed, timeout=5_000):
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)

    assert not dialog.isVisible() and dialog.error_label.text() == ""
    assert page.shown_rows()[0][7:9] == ("5", "90")
    assert status(db, wang, ANNUAL, TODAY) == "合格"
    (entry,) = audit.entries(db, actions=[audit.RECORD_EDIT])
    assert (entry.actor, entry.old, entry.new, entry.reason) == (records.ACTOR, "学时：9", "学时：90", "按结业证书更正")


def test_a_bad_value_is_refused_under_the_form_and_nothing_changes(qtbot, page: RecordsPage, db: Database,
                                                                   officers: list[Person]) -> None:
    typo(db, officers[0])
    page.refresh()
    page.view.selectRow(0)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    dialog = editor(qtbot, page)
    dialog.hours_edit.setText("-8")
    dialog.name_edit.setText("王力")
    with qtbot.assertNotEmitted(page.data_changed):
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_label.text() == "姓名: 与名册不符（名册中为“王立”）\n学时: 不能为负数（-8）"
    assert dialog.hours_edit.text() == "-8"  # what was typed stays
    assert [r.fields.hours for r in records.list_records(db)] == [9]
    assert audit.entries(db, actions=[audit.RECORD_EDIT]) == []


def test_what_was_typed_comes_back_after_cancel(qtbot, page: RecordsPage, db: Database,
                                               officers: list[Person]) -> None:
    typo(db, officers[0])
    page.refresh()
    double_click(page, 0)
    dialog = editor(qtbot, page)
    dialog.hours_edit.setText("90")
    dialog.reject()
    double_click(page, 0)
    again = editor(qtbot, page)
    assert again is not dialog and again.hours_edit.text() == "90" and draft_buttons(again)
    assert [r.fields.hours for r in records.list_records(db)] == [9]  # a draft is not a save


def test_edit_needs_one_row_and_delete_one_or_more(qtbot, page: RecordsPage, db: Database,
                                                   officers: list[Person]) -> None:
    typo(db, officers[0])
    typo(db, officers[1])
    page.refresh()
    assert not page.edit_button.isEnabled() and not page.delete_button.isEnabled()
    page.view.selectRow(0)
    assert page.edit_button.isEnabled() and page.delete_button.isEnabled() and page.person_button.isEnabled()
    page.view.selectionModel().select(page.proxy.index(1, 0), QItemSelectionModel.SelectionFlag.Select
                                      | QItemSelectionModel.SelectionFlag.Rows)
    assert not page.edit_button.isEnabled() and page.delete_button.isEnabled()


def test_deleting_several_asks_for_a_reason_and_the_list_and_rules_follow(
        qtbot, page: RecordsPage, db: Database, officers: list[Person], tmp_path: Path) -> None:
    wang, li, zhang = officers
    typo(db, wang)
    typo(db, li)
    typo(db, zhang, title="保留的一期")
    page.refresh()
    prompts = page.prompts = ScriptedPrompts(page, tmp_path)
    page.view.selectAll()
    page.view.selectionModel().select(page.proxy.index(next(
        r for r in range(3) if page.shown_rows()[r][3] == "保留的一期"), 0),
        QItemSelectionModel.SelectionFlag.Deselect | QItemSelectionModel.SelectionFlag.Rows)

    prompts.answers = [None]  # 取消
    page.delete_selected()
    prompts.answers = [""]  # no reason
    page.delete_selected()
    assert prompts.told == ["未删除任何记录：删除培训记录须填写原因（记入审计日志）"]
    assert len(records.list_records(db)) == 3

    prompts.answers = ["同一培训重复导入"]
    with qtbot.waitSignal(page.data_changed, timeout=5_000):
        qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    question = prompts.asked[-1]
    assert "删除以下 2 条外部培训记录" in question and "王立" in question and "李强" in question
    assert "删除原因（必填）" in question and "张敏" not in question
    assert [r[0] for r in page.shown_rows()] == ["张敏"]
    assert status(db, wang, COVERAGE, TODAY) == "未完成"
    assert [e.reason for e in audit.entries(db, actions=[audit.RECORD_DELETE])] == ["同一培训重复导入"] * 2
    assert prompts.told[-1] == "已删除 2 条培训记录。"


def test_the_person_button_opens_the_personal_file(qtbot, page: RecordsPage, db: Database,
                                                   officers: list[Person]) -> None:
    typo(db, officers[0])
    page.refresh()
    page.view.selectRow(0)
    qtbot.mouseClick(page.person_button, Qt.MouseButton.LeftButton)
    assert isinstance(page.detail, PersonDetailDialog)
    page.detail.close()


def test_a_corrected_file_is_imported_again_with_update(qtbot, page: RecordsPage, db: Database,
                                                        officers: list[Person], tmp_path: Path) -> None:
    wang, li, _zhang = officers
    typo(db, wang)
    typo(db, li)
    page.refresh()
    corrected = write_file(tmp_path / "更正.xlsx", [
        record_row(wang, "业务知识培训", D(2026, 3, 2), D(2026, 3, 6), hours="90", title="全省执法业务培训班"),
        record_row(li, "业务知识培训", D(2026, 3, 2), D(2026, 3, 6), hours="9", title="全省执法业务培训班"),
    ])
    dialog = open_import(qtbot, page, corrected)
    assert not dialog.update_check.isChecked()  # by default a stored record is a duplicate, as before
    assert dialog.problems_model.stringList() == [
        "第2行 培训名称: 该记录已存在（同一人、同一培训名称、同一开始日期）",
        "第3行 培训名称: 该记录已存在（同一人、同一培训名称、同一开始日期）"]
    assert dialog.banner.text().endswith(UPDATE_HINT)

    dialog.update_check.setChecked(True)  # the same file is checked again
    qtbot.waitUntil(lambda: dialog.task is not None and dialog.task.done and dialog.plan is not None
                    and dialog.plan.update, timeout=10_000)
    assert dialog.problems_model.stringList() == [] and dialog.banner_kind == "ok"
    counts = dialog.counts_label.text()
    assert "新增 0" in counts and "更新 1" in counts and "未变 1" in counts
    model = dialog.model
    assert [model.index(r, 1).data() for r in range(model.rowCount())] == ["更新", "未变"]

    with qtbot.waitSignal(page.data_changed, timeout=10_000):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.task is not None and dialog.task.done, timeout=10_000)
    assert dialog.banner.text() == "导入完成：新增 0 条，更新 1 条，未变 1 条。"
    assert sorted(r[8] for r in page.shown_rows()) == ["9", "90"]
    assert status(db, wang, ANNUAL, TODAY) == "合格"
    (entry,) = audit.entries(db, actions=[audit.RECORD_EDIT])
    assert entry.reason == "重新导入更正" and entry.detail.endswith("（第2行）")
