"""The contest's printed documents (trainer.contest_report) as an Excel workbook: one worksheet per section,
laid out to print like the PDF — title, meta line, banner, the bordered table (its header row repeated on
every printed page), notes and signature lines; A4, fitted to the page width, `第 x 页 共 y 页` in the footer.
Scores stay numbers (Decimal with their own places), so the workbook can be checked with formulas.

    report_xlsx(contest_report.build(db, 1, "summary"), "单项成绩汇总表.xlsx")
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from exports.excel import display_width
from trainer.contest_report import Report, Section

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_names(sections: list[Section]) -> list[str]:
    """Worksheet names: Excel's 31 characters, no []:*?/\\, unique."""
    names: list[str] = []
    for s in sections:
        base = _BAD_SHEET_CHARS.sub("-", s.name).strip("'") or "Sheet"
        name, n = base[:31], 2
        while name.lower() in (x.lower() for x in names):
            suffix = f"({n})"
            name, n = base[:31 - len(suffix)] + suffix, n + 1
        names.append(name)
    return names


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _merged(ws: Any, row: int, last: int, text: str, fmt: Any, height: float | None = None) -> int:
    """`text` across the table's width on `row`; the next row."""
    if last > 0:
        ws.merge_range(row, 0, row, last, text, fmt)
    else:
        ws.write_string(row, 0, text, fmt)
    if height:
        ws.set_row(row, height)
    return row + 1


def report_xlsx(report: Report, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    try:
        wb.set_properties({"title": report.title, "subject": report.label, "author": report.contest.organiser})
        f: dict[str, Any] = {
            "title": wb.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"}),
            "subtitle": wb.add_format({"font_size": 12, "align": "center"}),
            "meta": wb.add_format({"font_size": 10}),
            "banner": wb.add_format({"bold": True, "font_size": 14, "font_color": "#C00000", "align": "center",
                                     "valign": "vcenter", "border": 2, "border_color": "#C00000"}),
            "para": wb.add_format({"text_wrap": True, "valign": "top", "font_size": 11}),
            "head": wb.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1, "align": "center",
                                   "valign": "vcenter", "text_wrap": True}),
            "note": wb.add_format({"font_size": 9, "font_color": "#555555", "text_wrap": True, "valign": "top"}),
            "sign": wb.add_format({"font_size": 11}),
            "closing": wb.add_format({"font_size": 12, "align": "right"}),
        }
        cells: dict[tuple[str, int], Any] = {}

        def cell_fmt(align: str, places: int | None) -> Any:
            key = (align, -1 if places is None else places)
            if key not in cells:
                spec: dict[str, object] = {"border": 1, "valign": "vcenter", "text_wrap": True,
                                           "align": {"L": "left", "C": "center", "R": "right"}[align]}
                if places is not None:
                    spec["num_format"] = "0." + "0" * places if places else "0"
                cells[key] = wb.add_format(spec)
            return cells[key]

        for section, name in zip(report.sections, sheet_names(list(report.sections)), strict=True):
            ws = wb.add_worksheet(name)
            ws.set_paper(9)  # A4
            if report.landscape:
                ws.set_landscape()
            ws.set_margins(left=0.5, right=0.5, top=0.7, bottom=0.7)
            ws.set_header(f"&L{report.contest.organiser}&R{report.title}")
            ws.set_footer("&C第 &P 页 共 &N 页")
            ws.fit_to_pages(1, 0)
            t = section.table
            ncols = len(t.headers) if t is not None else 6
            last = ncols - 1
            row = 0

            row = _merged(ws, row, last, section.title, f["title"], 28)
            if section.subtitle:
                row = _merged(ws, row, last, section.subtitle, f["subtitle"])
            if section.meta:
                row = _merged(ws, row, last, "　　".join(section.meta), f["meta"])
            if section.banner:
                row = _merged(ws, row, last, section.banner, f["banner"], 26)
            for text in section.paragraphs:
                row = _merged(ws, row, last, text, f["para"], max(18.0, 16.0 * (display_width(text) // 90 + 1)))
            row += 1 if section.paragraphs else 0
            if t is not None:
                widths = [display_width(h.split("\n")[0]) for h in t.headers]
                for r in t.rows[:500]:
                    for c, v in enumerate(r):
                        widths[c] = max(widths[c], display_width(v) if v is not None else 0)
                for c, w in enumerate(widths):
                    ws.set_column(c, c, min(max(w + 2, 6), 50))
                header_row = row
                ws.write_row(row, 0, list(t.headers), f["head"])
                ws.set_row(row, 30 if any("\n" in h for h in t.headers) else 20)
                ws.repeat_rows(header_row)
                row += 1
                height = t.row_height_mm * 72 / 25.4 if t.row_height_mm else None
                for r in t.rows:
                    for c, v in enumerate(r):
                        a = t.align[c]
                        if v is None or v == "":
                            ws.write_blank(row, c, None, cell_fmt(a, None))
                        elif isinstance(v, Decimal):
                            ws.write_number(row, c, float(v), cell_fmt(a, _places(v)))
                        elif isinstance(v, int) and not isinstance(v, bool):
                            ws.write_number(row, c, v, cell_fmt(a, 0))
                        else:
                            ws.write_string(row, c, str(v), cell_fmt(a, None))
                    if height:
                        ws.set_row(row, height)
                    row += 1
            row += 1
            for text in section.notes:
                row = _merged(ws, row, last, text, f["note"], max(15.0, 13.0 * (display_width(text) // 110 + 1)))
            for labels in section.signers:
                row += 1
                line = "　　　".join(f"{label}：＿＿＿＿＿＿＿＿" for label in labels)
                row = _merged(ws, row, last, line, f["sign"], 22)
            if section.closing is not None:
                row += 1
                for text in section.closing:
                    row = _merged(ws, row, last, text, f["closing"], 20)
    finally:
        wb.close()
    return path
