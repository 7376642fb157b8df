"""As a training officer I export the register to Excel, edit it there, and import it back: an
untouched export imports back with every person 未变, ID numbers stay text and dates stay dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from roster_files import run

from exports.tables import read_table
from trainer import people, roster
from trainer.db import open_db
from trainer.person_fields import COLUMNS

DATE_COLUMNS = ("任职日期", "入职日期", "执法证有效期至")
TEXT_COLUMNS = ("身份证号", "执法证号", "联系电话")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A demo bureau made through the CLI (today's date), exported through the CLI."""
    from trainer import cli

    folder = tmp_path_factory.mktemp("export")
    db_path = folder / "bureau.db"
    assert cli.main(["--db", str(db_path), "demo", "--people", "150", "--seed", "11"]) == 0
    xlsx = folder / "sub" / "名册.xlsx"  # a folder that does not exist yet is created
    assert cli.main(["--db", str(db_path), "people", "export", str(xlsx)]) == 0
    return db_path, xlsx


def test_export_prints_where_and_how_many(tmp_path: Path, capsys: Any, exported: tuple[Path, Path]) -> None:
    db_path, _ = exported
    target = tmp_path / "out.xlsx"
    code, out, err = run(capsys, db_path, "people", "export", str(target))
    assert (code, err) == (0, "")
    assert out.strip() == f"已导出 150 人到 {target}"
    assert target.exists()


def test_an_export_imports_back_with_everyone_unchanged(capsys: Any, exported: tuple[Path, Path]) -> None:
    db_path, xlsx = exported
    code, out, err = run(capsys, db_path, "people", "import", str(xlsx), "--dry-run")
    assert (code, err) == (0, ""), err
    assert out.strip() == "检查通过（未写入）：新增 0 人，更新 0 人，未变 150 人"
    code, out, err = run(capsys, db_path, "people", "import", str(xlsx))
    assert (code, out.strip()) == (0, "新增 0 人，更新 0 人，未变 150 人")


def test_an_export_into_an_empty_database_recreates_the_same_people(
        tmp_path: Path, capsys: Any, exported: tuple[Path, Path]) -> None:
    db_path, xlsx = exported
    fresh = tmp_path / "fresh.db"
    # the demo's street units are not shipped: add them first, as a user would in the unit tree
    from trainer import demo

    db = open_db(fresh)
    demo.ensure_streets(db)
    db.close()
    code, out, err = run(capsys, fresh, "people", "import", str(xlsx))
    assert (code, err) == (0, ""), err
    assert out.strip() == "新增 150 人，更新 0 人，未变 0 人"

    code, original, _ = run(capsys, db_path, "people", "list", "--format", "csv")
    code2, copy, _ = run(capsys, fresh, "people", "list", "--format", "csv")
    assert (code, code2) == (0, 0)
    assert sorted(copy.splitlines()) == sorted(original.splitlines())


def test_the_header_is_the_roster_columns_bold_and_frozen(exported: tuple[Path, Path]) -> None:
    _, xlsx = exported
    wb = openpyxl.load_workbook(xlsx)
    ws = wb.worksheets[0]
    assert ws.title == "人员名册"
    header = next(ws.iter_rows(min_row=1, max_row=1))
    assert tuple(c.value for c in header) == COLUMNS
    assert all(c.font.b for c in header)
    assert ws.freeze_panes == "A2"
    assert ws.max_row == 151


def test_id_numbers_are_text_cells_and_dates_are_date_cells(exported: tuple[Path, Path]) -> None:
    db_path, xlsx = exported
    db = open_db(db_path)
    try:
        register = people.by_id_numbers(db)
    finally:
        db.close()
    wb = openpyxl.load_workbook(xlsx)
    ws = wb.worksheets[0]
    col = {c.value: c.column for c in ws[1]}
    seen_x = seen_dates = 0
    for r in range(2, ws.max_row + 1):
        id_cell = ws.cell(r, col["身份证号"])
        assert id_cell.data_type == "s", id_cell.value
        assert id_cell.number_format == "@"
        person = register[str(id_cell.value)]
        seen_x += str(id_cell.value).endswith("X")
        for name in TEXT_COLUMNS:
            cell = ws.cell(r, col[name])
            assert cell.value is None or cell.data_type == "s", (name, cell.value)
        hire = ws.cell(r, col["入职日期"])
        assert hire.is_date and hire.value == dt.datetime.combine(person.hire_date, dt.time())
        assert hire.number_format == "yyyy-mm-dd"
        for name, value in (("任职日期", person.leader_since), ("执法证有效期至", person.card_expiry)):
            cell = ws.cell(r, col[name])
            if value is None:
                assert cell.value is None
            else:
                assert cell.is_date and cell.value == dt.datetime.combine(value, dt.time())
                seen_dates += 1
        assert ws.cell(r, col["队伍负责人"]).value == ("是" if person.is_leader else "否")
    assert seen_x, "the demo should hold at least one ID ending in X"
    assert seen_dates


def test_the_reader_gets_text_ids_and_date_values_back(exported: tuple[Path, Path]) -> None:
    _, xlsx = exported
    table = read_table(xlsx)
    assert table.headers == list(COLUMNS)
    for _, cells in table.records():
        assert isinstance(cells["身份证号"], str) and len(cells["身份证号"]) == 18
        assert isinstance(cells["入职日期"], dt.date)


def test_an_empty_register_exports_a_header_whose_import_says_there_is_nobody_in_it(tmp_path: Path,
                                                                                      capsys: Any) -> None:
    db_path = tmp_path / "empty.db"
    code, out, _ = run(capsys, db_path, "people", "export", str(tmp_path / "e.xlsx"))
    assert (code, out.strip()) == (0, f"已导出 0 人到 {tmp_path / 'e.xlsx'}")
    ws = openpyxl.load_workbook(tmp_path / "e.xlsx").worksheets[0]
    assert tuple(c.value for c in ws[1]) == COLUMNS
    assert ws.max_row == 1
    # Importing it back writes nothing and says why, rather than "新增 0 人" as if a roster had been read.
    code, out, err = run(capsys, db_path, "people", "import", str(tmp_path / "e.xlsx"))
    assert (code, out.strip(), err.strip()) == (2, "", "第1行 表头: 只有表头，没有数据行")


def test_a_filtered_selection_exports_only_those_people(demo_db: Any) -> None:
    chosen = [p for p in people.all_people(demo_db) if p.category == "协管人员"]
    headers, rows = roster.export_rows(demo_db, chosen)
    assert headers == list(COLUMNS)
    assert len(rows) == len(chosen) > 0
    card = COLUMNS.index("执法证号")
    assert all(r[COLUMNS.index("人员类别")] == "协管人员" and r[card] == "" for r in rows)


def test_exporting_to_a_folder_path_fails_with_exit_1(tmp_path: Path, capsys: Any, exported: tuple[Path, Path]) -> None:
    db_path, _ = exported
    folder = tmp_path / "a_folder.xlsx"
    folder.mkdir()
    code, out, err = run(capsys, db_path, "people", "export", str(folder))
    assert (code, out) == (1, "")
    assert err.startswith("错误：") and "Traceback" not in err


@pytest.mark.parametrize("name", ["名册.csv", "名册.xls", "名册"])
def test_export_refuses_a_file_name_that_is_not_xlsx(tmp_path: Path, capsys: Any, name: str) -> None:
    code, out, err = run(capsys, tmp_path / "t.db", "people", "export", str(tmp_path / name))
    assert (code, out) == (2, "")
    assert err.strip() == f"{tmp_path / name}: 导出文件应以 .xlsx 结尾"
    assert not (tmp_path / name).exists()


def test_the_exported_register_prints_on_a4_one_page_wide_with_the_header_on_every_page(demo_db: Any,
                                                                                       tmp_path: Path) -> None:
    import zipfile

    from exports.excel import Sheet, write_xlsx

    headers, rows = roster.export_rows(demo_db, people.all_people(demo_db))
    path = write_xlsx(tmp_path / "r.xlsx", [Sheet("人员名册", headers, rows, title="人员名册")])
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        book = z.read("xl/workbook.xml").decode()
    assert 'paperSize="9"' in sheet and 'orientation="landscape"' in sheet   # 13 columns: too wide for portrait
    assert 'fitToHeight="0"' in sheet and 'fitToPage="1"' in sheet  # fitToWidth=1 is the default
    assert "_xlnm.Print_Titles" in book and "$1:$1" in book
    assert "&amp;C第 &amp;P 页 共 &amp;N 页" in sheet
