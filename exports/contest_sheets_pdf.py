"""The contest's printed documents (trainer.contest_report) as A4 PDFs in the bureau's house style: title
block with the contest's name and dates, the table with its header repeated on every page, notes and
signature lines kept with the table's last rows, `第 x 页 共 y 页` counted within each section (a judge's sheet
is handed out on its own), every font embedded. Each section starts on a new page (one judge × item per sheet).

    report_pdf(contest_report.build(db, 1, "sheets"), "评委评分表.pdf")
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from exports.fonts import BODY, HEADING
from exports.pdf import (
    NumberingRestart,
    PageBreak,
    Spacer,
    build_pdf,
    data_table,
    para,
    seal_block,
    signature_line,
    title_block,
)
from exports.pdf_style import styles
from trainer.contest_report import Report, Section

BANNER_RED = colors.HexColor("#C00000")


def banner(text: str) -> Table:
    """A boxed warning across the width (密封 — 成绩录入完毕前不得拆封)."""
    style = ParagraphStyle("banner", parent=styles()["title"], fontName=HEADING, fontSize=16, leading=22,
                           spaceAfter=0, textColor=BANNER_RED)
    cell = para(text, style)
    return Table([[cell]], colWidths=["100%"], hAlign="CENTER", style=TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), BODY),
        ("BOX", (0, 0), (-1, -1), 1.6, BANNER_RED),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]))


def section_story(section: Section, font_size: float) -> list[Flowable]:
    parts: list[Flowable] = [*title_block(section.title, section.subtitle or None, section.meta)]
    if section.banner:
        parts += [banner(section.banner), Spacer(1, 4 * mm)]
    for text in section.paragraphs:
        parts.append(para(text, "body"))
    if section.paragraphs:
        parts.append(Spacer(1, 3 * mm))
    tail: list[Flowable] = [para(n, "small") for n in section.notes]
    for labels in section.signers:
        tail += [Spacer(1, 4 * mm), signature_line(labels)]
    if section.closing is not None:
        tail.append(seal_block(*section.closing))
    t = section.table
    if t is not None:
        rows = [[format(v, "f") if isinstance(v, Decimal) else v for v in row] for row in t.rows]  # 76.00, not 76
        parts.append(data_table(t.headers, rows, widths=t.widths, align=t.align, font_size=font_size,
                                tail=tail or None, min_row_height=t.row_height_mm * mm if t.row_height_mm else None))
    else:
        parts += tail
    return parts


FONT_SIZES = {"sheets": 10.5, "draw": 10, "codes": 10, "awards": 10, "notice": 10.5}


def report_pdf(report: Report, path: str | Path, *, font: str | Path | None = None) -> Path:
    """Write the report; raises FontError or MissingGlyphsError before any file is touched."""
    size = FONT_SIZES.get(report.kind, 8.5)
    story: list[Flowable] = []
    for i, section in enumerate(report.sections):
        if i:
            story += [PageBreak(), NumberingRestart()]
        story += section_story(section, size)
    people = [(name, [name]) for name in dict.fromkeys(report.names)]
    return build_pdf(path, report.title, story, landscape=report.landscape, font=font, people=people,
                     bureau=report.contest.organiser or "平顶山市城市管理局", subject=report.label)
