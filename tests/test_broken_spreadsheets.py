"""As a training officer I can feed any importer whatever file a colleague sends me — an empty sheet, a sheet
of headers only, merged cells, wrong types, Excel error values, formulas, a CSV in GBK or UTF-8 with a BOM,
a huge file, a text file renamed .xlsx, a zero-byte file, a password-protected or truncated workbook — and
each is refused (or read) with a clear Chinese message, never a traceback, and nothing is written.

The importers: roster (`people import`), external records (`records import`), annual plan items and
attendance (the window's import dialogs call these services), a contest workbook (`contest import`) and
contest scores (`contest scores import`)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from contest_support import good_sheets, write_workbook
from judge_support import judged_contest
from training_support import make_class, person

from exports.tables import TableReadError, read_score_file, read_sheets, read_table
from trainer import attendance_import, cli, contest_import, plan_import, records, roster, training
from trainer.person_fields import COLUMNS as ROSTER
from trainer.plan_fields import COLUMNS as PLAN
from trainer.units import UnitIndex

CJK = re.compile(r"[\u4e00-\u9fff]")
SCORES = ["项目名称", "抽签号", "评委编号", "分数"]
IMPORTERS = ("roster", "records", "plans", "attendance", "workbook", "scores")


class Office:
    """A bureau's file with someone on the register, a class with sessions, and a contest."""

    def __init__(self, db: Any, db_path: Path, folder: Path):
        self.db, self.db_path, self.folder = db, db_path, folder
        self.someone = person(db, "张三")
        cls, _sessions = make_class(db, session_hours=("4", "4"))
        self.class_id = int(cls.id or 0)
        training.enrol(db, self.class_id, [int(self.someone.id or 0)])
        self.contest = judged_contest(db)
        unit = UnitIndex.load(db).resolve("新华区")
        assert unit is not None
        self.unit_id = unit.id

    def headers(self, importer: str) -> list[str]:
        return {"roster": list(ROSTER), "records": list(records.COLUMNS), "plans": list(PLAN),
                "attendance": attendance_import.template(self.db, self.class_id)[0], "scores": SCORES}[importer]

    def plan(self, importer: str, path: Path) -> Any:
        """What the importer makes of the file, without writing: a plan, or TableReadError from the reader."""
        if importer == "roster":
            return roster.plan_import(self.db, read_table(path))
        if importer == "records":
            return records.plan_records(self.db, read_table(path))
        if importer == "plans":
            return plan_import.plan_items_import(self.db, read_table(path, "项目名称"), self.unit_id, 2026)
        if importer == "attendance":
            return attendance_import.plan_attendance(self.db, self.class_id, read_table(path))
        if importer == "workbook":
            return contest_import.plan_workbook(self.db, read_sheets(path), default_name=path.stem)
        return contest_import.plan_scores(self.db, self.contest.contest_id, read_score_file(path))

    def refusal(self, importer: str, path: Path) -> list[str]:
        """The messages a user sees; any exception but the reader's own fails the test."""
        try:
            plan = self.plan(importer, path)
        except TableReadError as exc:
            messages = [str(exc)]
        else:
            messages = [str(p) for p in plan.problems]
        assert messages, f"{importer} accepted {path.name}"
        assert all(CJK.search(m) for m in messages), messages
        return messages

    def digest(self) -> str:
        h = hashlib.sha256()
        for (table,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            for row in sorted(map(repr, self.db.execute(f"SELECT * FROM [{table}]"))):
                h.update(f"{table}{row}".encode())
        return h.hexdigest()


@pytest.fixture
def office(db, db_path: Path, tmp_path: Path):
    o = Office(db, db_path, tmp_path)
    before = o.digest()
    yield o
    assert o.digest() == before  # whatever the test fed the importers, nothing was written
    assert not (tmp_path / "backups").exists()


def xlsx(path: Path, rows: list[list[object]], *, merge: tuple[str, ...] = (), title: str = "Sheet") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for r in rows:
        ws.append(r)
    for cells in merge:
        ws.merge_cells(cells)
    wb.save(path)
    return path


def every_importer(office: Office, path: Path, *, skip: tuple[str, ...] = ()) -> dict[str, list[str]]:
    return {imp: office.refusal(imp, path) for imp in IMPORTERS if imp not in skip}


def cli_run(capsys: Any, office: Office, *args: str) -> tuple[int, str]:
    code = cli.main(["--db", str(office.db_path), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err + out
    return code, err


# ---- files that are no spreadsheet at all ------------------------------------------------------------

def test_a_zero_byte_file_says_it_is_empty(office: Office, tmp_path: Path) -> None:
    for name in ("空.xlsx", "空.csv"):
        path = tmp_path / name
        path.write_bytes(b"")
        skip = ("workbook",) if name.endswith(".csv") else ()
        for imp, messages in every_importer(office, path, skip=skip).items():
            assert messages == ["文件中没有数据（文件是空的，0 字节）"], (imp, name)


def test_a_text_file_named_xlsx_is_named_for_what_it_is(office: Office, tmp_path: Path) -> None:
    path = tmp_path / "名册.xlsx"
    path.write_text("身份证号,姓名\n410402198001011234,张三\n", encoding="utf-8")
    for messages in every_importer(office, path).values():
        assert len(messages) == 1 and "内容不是 Excel 工作簿" in messages[0] and "改了扩展名" in messages[0]


def test_a_password_protected_or_cut_off_workbook_is_refused(office: Office, tmp_path: Path) -> None:
    locked = tmp_path / "加密.xlsx"  # Excel saves a workbook with a password as an OLE compound file
    locked.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4088))
    whole = write_workbook(tmp_path / "完整.xlsx", good_sheets()).read_bytes()
    cut = tmp_path / "截断.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    for messages in every_importer(office, locked).values():
        assert "设置了打开密码" in messages[0]
    for messages in every_importer(office, cut).values():
        assert messages[0].startswith("无法读取表格文件：Excel 文件已损坏或不完整")


def test_a_folder_or_a_missing_file_is_refused(office: Office, tmp_path: Path) -> None:
    folder = tmp_path / "文件夹.xlsx"
    folder.mkdir()
    for messages in every_importer(office, folder).values():
        assert messages == [f"不是文件：{folder}"]
    for messages in every_importer(office, tmp_path / "没有.xlsx").values():
        assert messages == [f"文件不存在：{tmp_path / '没有.xlsx'}"]


def test_a_csv_in_an_unknown_encoding_is_refused(office: Office, tmp_path: Path) -> None:
    path = tmp_path / "乱码.csv"
    path.write_bytes(bytes(range(128, 256)) * 8)
    for messages in every_importer(office, path, skip=("workbook",)).values():
        assert messages == ["无法识别文件编码（应为 UTF-8 或 GBK）"]


# ---- spreadsheets with nothing in them ---------------------------------------------------------------

def test_an_empty_sheet(office: Office, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "空表.xlsx", [])
    found = every_importer(office, path)
    assert found.pop("workbook")[0] == "第1行 工作表: 缺少“比武项目”工作表"
    assert all(messages == ["文件中没有数据"] for messages in found.values()), found


def test_a_sheet_with_only_the_header_imports_nothing_and_says_so(office: Office, tmp_path: Path) -> None:
    for imp in ("roster", "records", "plans", "scores"):
        path = xlsx(tmp_path / f"{imp}.xlsx", [office.headers(imp)])
        assert office.refusal(imp, path) == ["第1行 表头: 只有表头，没有数据行"], imp
    path = xlsx(tmp_path / "考勤.xlsx", [office.headers("attendance")])
    assert office.refusal("attendance", path) == ["第1行 身份证号: 文件中没有学员数据行"]
    sheets = {name: rows[:1] for name, rows in good_sheets().items()}
    path = write_workbook(tmp_path / "比武.xlsx", sheets)
    assert office.refusal("workbook", path) == ["第1行 项目名称: 比武项目表：没有项目",
                                                "第1行 抽签号: 选手表：没有选手", "第1行 评委编号: 评委表：没有评委"]


# ---- cells that are not what they seem ---------------------------------------------------------------

def test_excel_error_values_are_refused_naming_the_cells(office: Office, tmp_path: Path) -> None:
    """The reader would see #N/A as an empty cell: an empty 分数 is "not scored", an empty 天数 is worked out
    from the dates. So any error value refuses the file, naming the cells."""
    for imp in IMPORTERS:
        wb = xlsxwriter.Workbook(tmp_path / f"{imp}.xlsx")
        ws = wb.add_worksheet("选手" if imp == "workbook" else "评分")
        headers = ["抽签号", "姓名", "单位"] if imp == "workbook" else office.headers(imp)
        ws.write_row(0, 0, headers)
        ws.write_row(1, 0, [f"值{i}" for i in range(len(headers))])
        ws.write_formula(1, 1, "=VLOOKUP(A2,Sheet2!A:B,2,FALSE)", None, "#N/A")
        ws.write_formula(2, 2, "=1/0", None, "#DIV/0!")
        wb.close()
        messages = office.refusal(imp, tmp_path / f"{imp}.xlsx")
        where = "工作表“选手”中" if imp == "workbook" else ("工作表“评分”中" if imp == "scores" else "")
        assert messages == [f"{where}有 Excel 错误值的单元格：B2 #N/A、C3 #DIV/0!——请先在 Excel 中改正"
                            "（或把公式换成数值）再导入"], imp


def test_formulas_are_read_as_the_values_excel_saved(office: Office, tmp_path: Path) -> None:
    p = office.someone
    wb = xlsxwriter.Workbook(tmp_path / "记录.xlsx")
    ws = wb.add_worksheet()
    ws.write_row(0, 0, records.COLUMNS)
    ws.write_row(1, 0, [p.id_number, p.name, "省厅执法培训", "业务知识培训", "2025-06-02", "2025-06-04"])
    ws.write_formula(1, 6, "=G1+3", None, 3)        # 天数
    ws.write_formula(1, 7, "=8*3", None, 24)        # 学时
    ws.write_formula(1, 8, '=IF(1,"是","否")', None, "是")
    wb.close()
    plan = office.plan("records", tmp_path / "记录.xlsx")
    assert plan.ok and [(r.days, r.hours, r.completed) for r in plan.rows] == [(3, 24, True)]


def test_wrong_types_in_cells_are_named_by_row_and_column(office: Office, tmp_path: Path) -> None:
    rows = {
        "roster": {"姓名": 12345, "性别": 3.5, "身份证号": True, "单位": dt.datetime(2020, 1, 1),
                   "人员类别": False, "入职日期": "昨天"},
        "records": {"身份证号": office.someone.id_number, "姓名": "张三", "培训名称": 1.5, "培训类型": 2,
                    "开始日期": "abc", "结束日期": True, "学时": "很多", "是否结业": 7},
        "plans": {"项目名称": True, "培训类型": 2, "开始日期": "abc", "结束日期": dt.time(8, 30)},
        "scores": {"项目名称": 3.14, "抽签号": "二号", "评委编号": 9, "分数": "八十"},
    }
    expected = {
        "roster": ("第2行 身份证号: ", "第2行 性别: ", "第2行 人员类别: ", "第2行 入职日期: 无法识别的日期“昨天”"),
        "records": ("第2行 培训类型: ", "第2行 开始日期: 无法识别的日期“abc”", "第2行 学时: ", "第2行 是否结业: "),
        "plans": ("第2行 培训类型: 未知的培训类型“2”", "第2行 开始日期: 无法识别的日期“abc”"),
        "scores": ("第2行 项目名称: 未知项目“3.14”", "第2行 抽签号: “二号”不是数字", "第2行 评委编号: 未知评委编号“9”"),
    }
    for imp, cells in rows.items():
        headers = office.headers(imp)
        path = xlsx(tmp_path / f"{imp}.xlsx", [headers, [cells.get(h) for h in headers]])
        messages = office.refusal(imp, path)
        for start in expected[imp]:
            assert any(m.startswith(start) for m in messages), (imp, start, messages)
    headers = office.headers("attendance")
    path = xlsx(tmp_path / "考勤.xlsx", [headers, [office.someone.id_number, "张三", "新华区", 1, dt.date(2026, 1, 1)]])
    messages = office.refusal("attendance", path)
    assert messages[0].startswith(f"第2行 {headers[3]}: “1”不是考勤状态"), messages


def test_merged_cells_leave_the_rows_below_empty(office: Office, tmp_path: Path) -> None:
    """Merging 单位 over two people in Excel keeps the value in the first row only."""
    from roster_files import person as roster_person

    rows = [[roster_person(n).get(c) for c in ROSTER] for n in (1, 2)]
    path = xlsx(tmp_path / "合并.xlsx", [list(ROSTER), *rows], merge=("D2:D3",))
    assert office.refusal("roster", path) == ["第3行 单位: 必填项为空"]
    path = xlsx(tmp_path / "成绩.xlsx", [SCORES, ["笔试", 1, None, 80], [None, 2, None, 81]], merge=("A2:A3",))
    assert office.refusal("scores", path) == ["第3行 项目名称: 必填项为空"]


# ---- encodings and size --------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_a_csv_reads_the_same_in_gbk_and_in_utf8_with_or_without_bom(office: Office, tmp_path: Path,
                                                                     encoding: str) -> None:
    p = office.someone
    path = tmp_path / f"记录_{encoding}.csv"
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows([records.COLUMNS, [p.id_number, "张三", "中共平顶山市委党校主体班", "专题培训",
                                                   "2025/6/2", "2025/6/13", "", "96", "是", "市委党校"]])
    plan = office.plan("records", path)
    assert plan.ok and [(r.title, r.organiser) for r in plan.rows] == [("中共平顶山市委党校主体班", "市委党校")]


def test_a_huge_file_is_checked_and_refused_without_a_crash(office: Office, tmp_path: Path) -> None:
    long = tmp_path / "二十万行.csv"
    with open(long, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["身份证号", "姓名", "备注"])
        w.writerows([f"41040219800101{i:04d}"[-18:], f"人员{i}", "x" * 100] for i in range(200_000))
    assert long.stat().st_size > 20_000_000
    assert office.refusal("roster", long) == [f"第1行 {c}: 缺少必填列" for c in ("单位", "人员类别", "入职日期")]
    wide = xlsx(tmp_path / "三千列.xlsx", [[*ROSTER, *(f"备注{i}" for i in range(3000))],
                                          [None] * len(ROSTER) + list(range(3000))])
    messages = office.refusal("roster", wide)
    assert messages[0] == "第2行 姓名: 必填项为空" and len(messages) >= 5


# ---- the command line: one line per problem, exit 2, no traceback -------------------------------------

@pytest.mark.parametrize(("command", "name", "data", "reason"), [
    (("people", "import"), "名册.xlsx", b"", "文件中没有数据（文件是空的，0 字节）"),
    (("records", "import"), "记录.xlsx", b"just text", "内容不是 Excel 工作簿"),
    (("contest", "import"), "比武.xlsx", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(100), "设置了打开密码"),
    (("contest", "scores", "import", "--contest", "1"), "成绩.xlsx", b"PK\x03\x04broken", "Excel 文件已损坏或不完整"),
])
def test_the_command_line_refuses_with_one_clear_line(capsys: Any, office: Office, tmp_path: Path,
                                                      command: tuple[str, ...], name: str, data: bytes,
                                                      reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    code, err = cli_run(capsys, office, *command, str(path))
    assert code == 2 and len(err.strip().splitlines()) == 1 and err.startswith(f"{path}: ") and reason in err


def test_the_command_line_refuses_error_values_and_header_only_files(capsys: Any, office: Office,
                                                                     tmp_path: Path) -> None:
    path = xlsx(tmp_path / "只有表头.xlsx", [list(ROSTER)])
    code, err = cli_run(capsys, office, "people", "import", str(path))
    assert (code, err) == (2, "第1行 表头: 只有表头，没有数据行\n")
    wb = xlsxwriter.Workbook(tmp_path / "错误值.xlsx")
    ws = wb.add_worksheet()
    ws.write_row(0, 0, SCORES)
    ws.write_row(1, 0, ["笔试", 1, ""])
    ws.write_formula(1, 3, "=VLOOKUP(A2,B:C,2,0)", None, "#N/A")  # the score a lookup failed to find
    wb.close()
    code, err = cli_run(capsys, office, "contest", "scores", "import", "--contest", str(office.contest.contest_id),
                        str(tmp_path / "错误值.xlsx"))
    assert code == 2 and "有 Excel 错误值的单元格：D2 #N/A" in err

