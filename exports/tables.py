"""Reading .xlsx / .xls / .csv into a RawTable, keeping the row numbers a user sees in Excel."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from trainer.oserrors import describe
from trainer.tabular import RawTable


class TableReadError(Exception):
    """The file cannot be read at all; the message is for the user."""


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _decode(data: bytes) -> str:
    # Chinese Excel saves CSV as GBK ("ANSI"); everything else here writes UTF-8, often with a BOM.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableReadError("无法识别文件编码（应为 UTF-8 或 GBK）")


_OLE = bytes.fromhex("D0CF11E0A1B11AE1")  # an old .xls, or any Office file saved with a password
_ERROR_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*?t="e"[^>]*>(?:<f[^>]*?(?:/>|>.*?</f>))?<v>([^<]*)</v>', re.S)


def _check_file(path: Path, workbook: bool) -> None:
    """Refuse, in words a user understands, what is no file, an empty file, or no workbook at all."""
    if not path.exists():
        raise TableReadError(f"文件不存在：{path}")
    if not path.is_file():
        raise TableReadError(f"不是文件：{path}")
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise TableReadError(f"无法打开文件：{describe(exc)}") from exc
    if not head:
        raise TableReadError("文件中没有数据（文件是空的，0 字节）")
    suffix = path.suffix.lower()
    if not workbook or suffix == ".xls":
        return
    if head.startswith(_OLE):
        raise TableReadError("无法读取表格文件：文件设置了打开密码（已加密），或是改了扩展名的旧版 .xls 文件："
                             "请在 Excel 中取消密码、另存为 .xlsx 后再导入")
    if not head.startswith(b"PK"):
        raise TableReadError(f"无法读取表格文件：内容不是 Excel 工作簿（扩展名是 {suffix}，可能是改了扩展名的"
                             "文本或其他文件），请在 Excel 中打开后另存为 .xlsx，CSV 文件请保留 .csv 扩展名")


def _unreadable(exc: Exception) -> TableReadError:
    from python_calamine import PasswordError, ZipError

    if isinstance(exc, PasswordError):
        return TableReadError("无法读取表格文件：文件设置了打开密码，请在 Excel 中取消密码后再导入")
    if isinstance(exc, ZipError | zipfile.BadZipFile):
        return TableReadError(f"无法读取表格文件：Excel 文件已损坏或不完整（无法解压，可能在拷贝时被截断；{exc}）")
    return TableReadError(f"无法读取表格文件（已损坏或格式不符）：{exc}")


def _error_cells(path: Path) -> dict[str, list[str]]:
    """Sheet name → Excel error cells (`B7 #N/A`) of an .xlsx. The reader turns an error cell into an empty one,
    which an import would take for "not filled in" (or, for a score, "not scored"): such a file is refused."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}  # .xls: the reader gives no way to tell them apart
    out: dict[str, list[str]] = {}
    try:
        with zipfile.ZipFile(path) as z:
            book = z.read("xl/workbook.xml").decode("utf-8")
            rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
            targets = dict(re.findall(r'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
            targets.update({k: v for v, k in re.findall(r'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"',
                                                          rels)})
            for name, rid in re.findall(r'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"', book):
                target = targets.get(rid, "")
                member = target.lstrip("/") if target.startswith("/") else "xl/" + target
                if member not in z.namelist() or b't="e"' not in (data := z.read(member)):
                    continue
                found = [f"{ref.decode()} {value.decode()}" for ref, value in _ERROR_CELL.findall(data)]
                if found:
                    out[name.strip()] = found
    except (KeyError, OSError, UnicodeDecodeError, zipfile.BadZipFile):
        return {}  # calamine has read it; this check is only for error cells
    return out


def _refuse_error_cells(found: list[str], sheet: str = "") -> None:
    if found:
        more = f"等{len(found)}处" if len(found) > 5 else ""
        where = f"工作表“{sheet}”中" if sheet else ""
        raise TableReadError(f"{where}有 Excel 错误值的单元格：{'、'.join(found[:5])}{more}——"
                             "请先在 Excel 中改正（或把公式换成数值）再导入")


def _read_grid(path: Path) -> list[list[object]]:
    suffix = path.suffix.lower()
    if path.exists() and suffix not in (".csv", ".xlsx", ".xlsm", ".xls"):
        raise TableReadError(f"不支持的文件类型“{suffix}”，请使用 .xlsx、.xls 或 .csv")
    _check_file(path, suffix != ".csv")
    if suffix == ".csv":
        return [list(r) for r in csv.reader(io.StringIO(_decode(path.read_bytes())))]
    if suffix in (".xlsx", ".xlsm", ".xls"):
        from python_calamine import CalamineWorkbook

        try:
            workbook = CalamineWorkbook.from_path(str(path))
            sheet = workbook.get_sheet_by_index(0)
            grid: list[list[object]] = [list(r) for r in sheet.to_python(skip_empty_area=False)]
            name = str(sheet.name).strip()
        except Exception as exc:  # calamine raises its own error types per format
            raise _unreadable(exc) from exc
        _refuse_error_cells(_error_cells(path).get(name, []))
        return grid
    raise TableReadError(f"不支持的文件类型“{suffix}”，请使用 .xlsx、.xls 或 .csv")


def read_table(path: str | Path, header_hint: str = "身份证号") -> RawTable:
    """The first sheet; the header is the first row that names `header_hint`, else the first row of
    two or more cells (a title above the table is one merged cell), else the first non-blank row."""
    path = Path(path)
    table = table_from_grid(_read_grid(path), header_hint)
    if table is None:
        raise TableReadError("文件中没有数据")
    return table


def table_from_grid(grid: Sequence[Sequence[object]], header_hint: str | None = None) -> RawTable | None:
    """A grid of cells as a RawTable (header found as read_table finds it); None when every row is blank."""

    def filled(r: Sequence[object]) -> int:
        return sum(not _blank(c) for c in r)

    named = (i for i, r in enumerate(grid) if any(isinstance(c, str) and c.strip() == header_hint for c in r))
    wide = (i for i, r in enumerate(grid) if filled(r) >= 2)
    header_index = next(named, next(wide, next((i for i, r in enumerate(grid) if filled(r)), None)))
    if header_index is None:
        return None
    headers = [str(c).strip() if not _blank(c) else "" for c in grid[header_index]]
    rows = []
    for i, r in enumerate(grid[header_index + 1:], start=header_index + 1):
        cells = [(c.strip() or None) if c.__class__ is str else c for c in r]  # blank text → None
        if any(c is not None for c in cells):
            rows.append((i + 1, cells))
    return RawTable(headers=headers, rows=rows, header_row=header_index + 1)


def read_sheets(path: str | Path) -> dict[str, RawTable | None]:
    """Every sheet of an .xlsx / .xls workbook by its (trimmed) name, in workbook order; None for a blank
    sheet. Each sheet's header is its first row of two or more cells, as in read_table."""
    path = Path(path)
    suffix = path.suffix.lower()
    if path.exists() and suffix not in (".xlsx", ".xlsm", ".xls"):
        raise TableReadError(f"不支持的文件类型“{suffix}”，请使用 .xlsx 或 .xls 工作簿")
    _check_file(path, True)
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        grids: dict[str, list[list[object]]] = {}
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            grids[str(name).strip()] = [list(r) for r in sheet.to_python(skip_empty_area=False)]
    except Exception as exc:  # calamine raises its own error types per format
        raise _unreadable(exc) from exc
    for name, found in _error_cells(path).items():
        _refuse_error_cells(found, name)
    return {name: table_from_grid(grid) for name, grid in grids.items()}


def read_score_file(path: str | Path) -> RawTable:
    """A contest score file's rows: a .csv, or the 评分 sheet of a workbook (else its first sheet)."""
    from trainer.contest_import import SCORES  # the contest engine only when a score file is read

    path = Path(path)
    if path.suffix.lower() == ".csv":
        return read_table(path, header_hint="抽签号")
    sheets = read_sheets(path)
    table = sheets.get(SCORES) or next((t for t in sheets.values() if t is not None), None)
    if table is None:
        raise TableReadError("文件中没有数据")
    return table
