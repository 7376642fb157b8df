"""Reading .xlsx / .xls / .csv into a RawTable, keeping the row numbers a user sees in Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

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


def _read_grid(path: Path) -> list[list[object]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [list(r) for r in csv.reader(io.StringIO(_decode(path.read_bytes())))]
    if suffix in (".xlsx", ".xlsm", ".xls"):
        from python_calamine import CalamineWorkbook

        try:
            workbook = CalamineWorkbook.from_path(str(path))
            sheet = workbook.get_sheet_by_index(0)
            return [list(r) for r in sheet.to_python(skip_empty_area=False)]
        except Exception as exc:  # calamine raises its own error types per format
            raise TableReadError(f"无法读取表格文件：{exc}") from exc
    raise TableReadError(f"不支持的文件类型“{suffix}”，请使用 .xlsx、.xls 或 .csv")


def read_table(path: str | Path, header_hint: str = "身份证号") -> RawTable:
    """The first sheet; the header is the first row that names `header_hint`, else the first row of
    two or more cells (a title above the table is one merged cell), else the first non-blank row."""
    path = Path(path)
    if not path.exists():
        raise TableReadError(f"文件不存在：{path}")
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
    if not path.exists():
        raise TableReadError(f"文件不存在：{path}")
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".xls"):
        raise TableReadError(f"不支持的文件类型“{suffix}”，请使用 .xlsx 或 .xls 工作簿")
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        grids: dict[str, list[list[object]]] = {}
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            grids[str(name).strip()] = [list(r) for r in sheet.to_python(skip_empty_area=False)]
    except Exception as exc:  # calamine raises its own error types per format
        raise TableReadError(f"无法读取表格文件：{exc}") from exc
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
