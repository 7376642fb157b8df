"""The one Excel writer: bold frozen header, sensible widths, dates as dates, ID numbers as text, and Decimal
values as numbers shown with their own places (85.50 stays 85.50, as a number Excel can sum). Every sheet
prints as it should from Excel: A4, landscape when wide, one page wide, the header row on every page and
page numbers in the footer (users print these tables more often than they filter them)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

TEXT_COLUMNS = frozenset({"身份证号", "联系电话", "执法证号", "证书编号"})


@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: Sequence[Sequence[object]]
    text_columns: frozenset[str] = field(default=TEXT_COLUMNS)
    title: str = ""  # printed in the page header ('' → the sheet name)

LANDSCAPE_FROM = 100  # total column width (characters) above which a sheet prints landscape


def display_width(value: object) -> int:
    """Columns a value takes in Excel; CJK characters count double."""
    s = value.isoformat() if isinstance(value, dt.date) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def write_xlsx(path: str | Path, sheets: Sequence[Sheet]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    try:
        header = workbook.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1, "valign": "vcenter"})
        date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
        text_fmt = workbook.add_format({"num_format": "@"})
        decimal_fmts: dict[int, object] = {}

        def decimal_fmt(value: Decimal) -> object:
            exponent = value.as_tuple().exponent
            places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            if places not in decimal_fmts:
                decimal_fmts[places] = workbook.add_format({"num_format": "0." + "0" * places if places else "0"})
            return decimal_fmts[places]
        for sheet in sheets:
            ws = workbook.add_worksheet(sheet.name[:31])
            ws.freeze_panes(1, 0)
            widths = [display_width(h) for h in sheet.headers]
            for row in sheet.rows[:500]:  # a sample is enough to size columns
                for c, v in enumerate(row):
                    if v is not None and c < len(widths):
                        widths[c] = max(widths[c], display_width(v))
            sizes = [min(max(w + 2, 6), 60) for w in widths]
            for c, name in enumerate(sheet.headers):
                fmt = text_fmt if name in sheet.text_columns else None
                ws.set_column(c, c, sizes[c], fmt)
            _print_setup(ws, sheet, sum(sizes))
            ws.write_row(0, 0, sheet.headers, header)
            text_idx = {i for i, h in enumerate(sheet.headers) if h in sheet.text_columns}
            for r, row in enumerate(sheet.rows, start=1):
                for c, v in enumerate(row):
                    if v is None or v == "":
                        continue
                    if isinstance(v, dt.date):
                        ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), date_fmt)
                    elif c in text_idx:
                        ws.write_string(r, c, str(v), text_fmt)
                    elif isinstance(v, bool):
                        ws.write_boolean(r, c, v)
                    elif isinstance(v, Decimal):
                        ws.write_number(r, c, float(v), decimal_fmt(v))
                    elif isinstance(v, int | float):
                        ws.write_number(r, c, v)
                    else:
                        ws.write_string(r, c, str(v))
            if sheet.rows:
                ws.autofilter(0, 0, len(sheet.rows), len(sheet.headers) - 1)
    finally:
        workbook.close()
    return path


def _print_setup(ws: Worksheet, sheet: Sheet, width: int) -> None:
    ws.set_paper(9)  # A4
    if width > LANDSCAPE_FROM:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)  # one page wide, as many long as needed
    ws.repeat_rows(0)
    title = (sheet.title or sheet.name).replace("&", "&&")
    ws.set_header(f"&C&12{title}")
    ws.set_footer("&C第 &P 页 共 &N 页")
