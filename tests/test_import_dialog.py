"""A training officer imports the bureau's roster: preview first, every bad cell explained, then all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from exports.excel import Sheet, write_xlsx
from trainer import idnumber, people
from trainer.person_fields import COLUMNS
from trainer.roster import ImportResult
from ui import import_preview
from ui.import_dialog import RosterImportDialog
from ui.worker import TaskContext

HEADERS = ["姓名", "性别", "身份证号", "单位", "人员类别", "职务", "入职日期", "执法证号", "执法证有效期至", "联系电话"]


def person_row(i: int, unit: str = "新华区", name: str | None = None) -> list[object]:
    birth = dt.date(1980, 1, 1) + dt.timedelta(days=i // 100)
    gender = "男" if i % 2 else "女"
    number = idnumber.make("410402", birth, i % 100, gender)
    return [name or f"测试{i}", gender, number, unit, "执法人员", "科员", dt.date(2015, 3, 1),
            f"豫{41000000 + i}", dt.date(2028, 12, 31), f"1390375{i:04d}"]


def write_roster(path: Path, rows: list[list[object]], headers: list[str] = HEADERS) -> Path:
    return write_xlsx(path, [Sheet("人员名册", headers, rows)])


def open_dialog(qtbot, db, path: Path) -> RosterImportDialog:
    dlg = RosterImportDialog(db, path=str(path))
    qtbot.addWidget(dlg)
    dlg.show()
    wait_idle(qtbot, dlg)
    return dlg


def wait_idle(qtbot, dlg: RosterImportDialog) -> None:
    qtbot.waitUntil(lambda: dlg.task is not None and dlg.task.done, timeout=10_000)


def confirm(qtbot, dlg: RosterImportDialog) -> None:
    assert dlg.confirm_button.isEnabled()
    qtbot.mouseClick(dlg.confirm_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dlg)


def shown_rows(dlg: RosterImportDialog) -> list[tuple[str, str]]:
    """(Excel row number, action) as the table shows them, top to bottom."""
    proxy = dlg.view.model()
    return [(proxy.index(r, 0).data(), proxy.index(r, 1).data()) for r in range(proxy.rowCount())]


def cell(dlg: RosterImportDialog, excel_row: int, column: str):
    model = dlg.model
    return model.index(model.source_row_of(excel_row), model.column_of(column))


def test_a_clean_roster_previews_with_counts_and_is_written_only_on_confirm(qtbot, db, tmp_path):
    path = write_roster(tmp_path / "花名册.xlsx", [person_row(i) for i in range(3)])
    dlg = open_dialog(qtbot, db, path)

    assert shown_rows(dlg) == [("2", "新增"), ("3", "新增"), ("4", "新增")]
    assert "新增 3" in dlg.counts_label.text() and "问题 0 处" in dlg.counts_label.text()
    assert dlg.problems_model.stringList() == []
    assert people.count(db) == 0  # previewing writes nothing

    with qtbot.waitSignal(dlg.imported, timeout=10_000) as signal:
        confirm(qtbot, dlg)
    assert signal.args == [ImportResult(3, 0, 0)]
    assert people.count(db) == 3
    assert "导入完成：新增 3 人" in dlg.banner.text()
    assert not dlg.confirm_button.isEnabled()  # the same plan cannot be written twice

    # One officer moves to 卫东区 in Excel; re-reading shows one update and two unchanged.
    write_roster(path, [person_row(0), person_row(1, unit="卫东区"), person_row(2)])
    qtbot.mouseClick(dlg.reload_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dlg)
    assert sorted(shown_rows(dlg)) == [("2", "未变"), ("3", "更新"), ("4", "未变")]
    confirm(qtbot, dlg)
    assert dlg.import_result == ImportResult(0, 1, 2)


def test_bad_rows_are_marked_with_reasons_and_nothing_can_be_imported_until_fixed(qtbot, db, tmp_path):
    good = [person_row(i) for i in range(4)]
    bad_id = list(good[1])
    bad_id[2] = bad_id[2][:-1] + ("0" if bad_id[2][-1] != "0" else "1")  # wrong check character
    unknown_unit = person_row(2, unit="火星区")
    unknown_unit[9] = "12345"  # and an impossible phone number in the same row
    no_name = person_row(3)
    no_name[0] = None
    path = write_roster(tmp_path / "有错的花名册.xlsx", [good[0], bad_id, unknown_unit, no_name])
    dlg = open_dialog(qtbot, db, path)

    # Bad rows first, each with its Excel row number.
    assert shown_rows(dlg) == [("3", "有问题"), ("4", "有问题"), ("5", "有问题"), ("2", "新增")]
    problems = dlg.problems_model.stringList()
    assert "第3行 身份证号: 校验位错误" in problems
    assert any(p.startswith("第4行 单位: 未知单位“火星区”") for p in problems)
    assert any(p.startswith("第4行 联系电话: 应为以1开头的11位手机号") for p in problems)
    assert "第5行 姓名: 必填项为空" in problems
    assert "问题 4 处（3 行）" in dlg.counts_label.text()
    assert "重新读取" in dlg.banner.text() and dlg.banner_kind == "error"

    # Each bad cell is red with its reason as the tooltip; a good cell in the same row is not.
    bad = cell(dlg, 3, "身份证号")
    assert bad.data(Qt.ItemDataRole.BackgroundRole) == import_preview.BAD_CELL
    assert "校验位错误" in bad.data(Qt.ItemDataRole.ToolTipRole)
    assert "未知单位" in cell(dlg, 4, "单位").data(Qt.ItemDataRole.ToolTipRole)
    assert cell(dlg, 5, "姓名").data() == "（空）"
    assert cell(dlg, 3, "单位").data(Qt.ItemDataRole.BackgroundRole) != import_preview.BAD_CELL
    assert cell(dlg, 2, "身份证号").data(Qt.ItemDataRole.BackgroundRole) is None

    assert not dlg.confirm_button.isEnabled()
    dlg.confirm()  # even if called directly, nothing is written
    assert people.count(db) == 0

    dlg.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # row numbers sort as numbers
    assert [r for r, _ in shown_rows(dlg)] == ["5", "4", "3", "2"]
    dlg.only_problems.setChecked(True)
    assert [r for r, _ in shown_rows(dlg)] == ["5", "4", "3"]

    # Clicking a problem selects its cell.
    dlg.problems_view.clicked.emit(dlg.problems_model.index(problems.index("第5行 姓名: 必填项为空")))
    current = dlg.view.currentIndex()
    assert current.data(import_preview.EXCEL_ROW_ROLE) == 5 and current.column() == dlg.model.column_of("姓名")

    # The officer fixes the file in Excel and re-reads it.
    write_roster(path, [good[0], good[1], person_row(2), good[3]])
    qtbot.mouseClick(dlg.reload_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dlg)
    assert dlg.problems_model.stringList() == [] and not dlg.only_problems.isChecked()
    confirm(qtbot, dlg)
    assert people.count(db) == 4


def test_cancelling_during_the_write_leaves_the_register_as_it_was(qtbot, demo_db, tmp_path, monkeypatch):
    before = people.count(demo_db)
    path = write_roster(tmp_path / "大名册.xlsx", [person_row(i, name=f"新人{i}") for i in range(450)])
    dlg = open_dialog(qtbot, demo_db, path)
    assert "新增 450" in dlg.counts_label.text()

    # The user presses 取消 right after the first progress report: by then 200 rows are already written
    # inside the transaction (apply_import checks for cancel after every chunk of 200 rows).
    reports: list[int] = []
    real_progress = TaskContext.progress

    def progress(self: TaskContext, done: int, total: int) -> None:
        reports.append(done)
        real_progress(self, done, total)

    monkeypatch.setattr(TaskContext, "progress", progress)
    monkeypatch.setattr(TaskContext, "cancelled", lambda self: bool(reports))
    confirm(qtbot, dlg)

    assert reports == [200]
    assert dlg.task is not None and dlg.task.cancelled
    assert people.count(demo_db) == before
    assert "已取消导入，未写入任何数据" in dlg.banner.text()
    assert dlg.import_result is None

    monkeypatch.undo()  # the plan is still good: confirming again writes everything
    confirm(qtbot, dlg)
    assert people.count(demo_db) == before + 450


def test_a_gbk_csv_saved_by_chinese_excel_imports(qtbot, db, tmp_path):
    path = tmp_path / "花名册.csv"
    with open(path, "w", encoding="gbk", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerow(["张三", "", idnumber.make("410402", dt.date(1985, 5, 6), 11, "男"), "示范区", "协管人员",
                         "协管员", "否", "", "2019/6/6", "", "", "", "0375-2345678"])
        writer.writerow(["李四", "女", idnumber.make("410421", dt.date(1990, 2, 3), 12, "女").lower(), "卫东区城管局",
                         "执法人员", "中队长", "是", "2021年6月6日", "20150701", "豫41123456", "2027.1.1", "在岗",
                         "13803751234"])
    dlg = open_dialog(qtbot, db, path)
    assert dlg.problems_model.stringList() == []
    assert cell(dlg, 2, "姓名").data() == "张三"
    confirm(qtbot, dlg)
    assert sorted(p.name for p in people.all_people(db)) == ["张三", "李四"]


def test_a_file_that_cannot_be_read_says_why(qtbot, db, tmp_path):
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(b"this is not a workbook")
    dlg = open_dialog(qtbot, db, path)
    assert "无法读取表格文件" in dlg.banner.text() and dlg.banner_kind == "error"
    assert not dlg.confirm_button.isEnabled() and dlg.reload_button.isEnabled()


def test_a_missing_required_column_is_named(qtbot, db, tmp_path):
    headers = [h for h in HEADERS if h != "入职日期"]
    rows = [[v for h, v in zip(HEADERS, person_row(i), strict=True) if h != "入职日期"] for i in range(2)]
    dlg = open_dialog(qtbot, db, write_roster(tmp_path / "缺列.xlsx", rows, headers))
    assert "缺少必填列：入职日期" in dlg.banner.text()
    assert dlg.problems_model.stringList() == ["第1行 入职日期: 缺少必填列"]
    assert not dlg.confirm_button.isEnabled()


@pytest.mark.parametrize("chosen", [True, False])
def test_without_a_path_the_dialog_asks_for_a_file_first(qtbot, db, tmp_path, monkeypatch, chosen):
    path = write_roster(tmp_path / "花名册.xlsx", [person_row(1)])
    monkeypatch.setattr(RosterImportDialog, "ask_open_path", lambda self: str(path) if chosen else None)
    dlg = RosterImportDialog(db)
    qtbot.addWidget(dlg)
    dlg.show()
    if chosen:
        wait_idle(qtbot, dlg)
        assert dlg.path == str(path) and shown_rows(dlg) == [("2", "新增")]
    else:
        qtbot.waitUntil(lambda: not dlg.isVisible())  # backing out of the file chooser closes the import
