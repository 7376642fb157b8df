"""The PDF engine: A4 portrait or landscape bureau documents with header, `第 x 页 共 y 页` and embedded fonts.

    from exports.pdf import build_pdf, data_table, kv_table, para, seal_block, signature_line, title_block

    story = [
        *title_block("2026年度教育培训计划", meta=["填报单位：市局培训科", f"日期：{chinese_date(today)}"]),
        data_table(headers, rows, widths=[1, 4, 2, 1], total=["合计", "", "", 96], tail=signature_line()),
    ]
    build_pdf("plan.pdf", "2026年度教育培训计划", story, landscape=True, people=[("张三 4104…", ["张三"])])

The parts (each returns flowables; nest them in lists freely):
    title_block(title, subtitle=None, meta=())      centred 黑体 title, 楷体 subtitle, meta line(s)
    para(text, style="text", align=None)            plain text; styles: title subtitle h1 h2 body text meta small
    data_table(headers, rows, widths=, align=, total=, zebra=, font_size=, tail=, min_row_height=)
    kv_table(pairs, columns=2, wide=())             form-style label/value grid (一人一档)
    spread(items)                                   short texts across the width
    signature_line(labels=("制表人", "审核人", "日期"), values=None)
    seal_block(unit, date, seal=None, size_mm=40)   issuing unit + 二〇二一年六月六日 under a red seal PNG
    PageBreak(), Spacer(w, h)                       reportlab's own
    NumberingRestart()                              page numbers count from 1 again here (each judge's
                                                    sheet in one file: 第 1 页 共 3 页 of that sheet)
    draw_text(canvas, x, y, text, font, size, align)  for canvas-drawn documents (certificates)

Before anything is written every string the document draws (story, header, footer) is checked against
the font that draws it; characters the font lacks raise MissingGlyphsError naming the people (from
`people`: (label, texts) pairs) or, for text nobody claims, the text itself. Characters the body font
lacks but the rare-character font (SimSun-ExtB) has are printed from that font instead. The file is
written to a temporary name and renamed, so a failed build never leaves a half-written PDF behind.

Only embedded TrueType fonts are drawn: the canvas's own default font and every table's cell font are
the body font, or reportlab would reference a non-embedded Helvetica; a caller's table that still
uses Helvetica is refused (ValueError) rather than printed.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as to_landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Paragraph, Spacer, Table

from exports.fonts import BODY, HEADING, register_fonts
from exports.glyphs import MissingGlyphsError, attribute, family_of, missing_glyphs
from exports.pdf_blocks import SealBlock, seal_block, seal_image, signature_line, spread, title_block
from exports.pdf_style import INK, RULE, draw_text, para, runs, styles
from exports.pdf_table import cell_text, data_table, kv_table

__all__ = [
    "DEFAULT_BUREAU",
    "MissingGlyphsError",
    "NumberingRestart",
    "PageBreak",
    "SealBlock",
    "Spacer",
    "build_pdf",
    "cell_text",
    "check_glyphs",
    "data_table",
    "draw_text",
    "drawn_texts",
    "kv_table",
    "page_footer",
    "para",
    "seal_block",
    "seal_image",
    "signature_line",
    "spread",
    "styles",
    "title_block",
]

DEFAULT_BUREAU = "平顶山市城市管理局"

Story = Iterable["Flowable | Story"]


@dataclass(frozen=True)
class Margins:
    top: float
    bottom: float
    left: float
    right: float


# Portrait: 28 mm binding edge on the left as GB/T 9704 has it. Landscape pages are bound along
# their top edge when filed with portrait pages, so that edge gets the room.
PORTRAIT = Margins(top=25 * mm, bottom=22 * mm, left=28 * mm, right=20 * mm)
LANDSCAPE = Margins(top=26 * mm, bottom=18 * mm, left=18 * mm, right=18 * mm)


def page_footer(page: int, total: int) -> str:
    return f"第 {page} 页 共 {total} 页"


@dataclass(frozen=True)
class _Page:
    size: tuple[float, float]
    margins: Margins
    bureau: str
    title: str
    header: bool
    numbers: bool

    def draw_header(self, canvas: Canvas, _doc: object = None) -> None:
        if not self.header:
            return
        width, height = self.size
        m = self.margins
        y = height - m.top + 7 * mm
        canvas.saveState()
        canvas.setFillColor(INK)
        draw_text(canvas, m.left, y, self.bureau, HEADING, 9)
        draw_text(canvas, width - m.right, y, self.title, BODY, 9, "R")
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(m.left, y - 2.2 * mm, width - m.right, y - 2.2 * mm)
        canvas.restoreState()

    def draw_footer(self, canvas: Canvas, page: int, total: int) -> None:
        if not self.numbers:
            return
        width, _height = self.size
        m = self.margins
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setFont(BODY, 9)
        canvas.drawCentredString(m.left + (width - m.left - m.right) / 2, m.bottom / 2, page_footer(page, total))
        canvas.restoreState()


class NumberingRestart(Flowable):  # type: ignore[misc]  # reportlab has no type hints
    """Invisible: the page it lands on is page 1 of a new count (placed right after a PageBreak)."""

    width = height = 0

    def wrap(self, _avail_width: float, _avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.restarts.add(self.canv.getPageNumber())


def numbering(total: int, restarts: Iterable[int]) -> list[tuple[int, int]]:
    """(page number, page count) for each page of a document of `total` pages counted afresh from each of
    the `restarts` (1-based pages)."""
    starts = sorted({1, *(r for r in restarts if 1 <= r <= total)})
    out: list[tuple[int, int]] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - 1 if i + 1 < len(starts) else total
        out += [(n, end - start + 1) for n in range(1, end - start + 2)]
    return out


def _canvas_class(page: _Page) -> type[Canvas]:
    """A canvas that holds pages back until the end, so each footer can say how many there are."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []
            self.restarts: set[int] = set()

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            numbers = numbering(len(self._held), self.restarts)
            for (number, total), state in zip(numbers, self._held, strict=True):
                self.__dict__.update(state)
                page.draw_footer(self, number, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def _flatten(story: Story) -> list[Flowable]:
    flat: list[Flowable] = []
    for part in story:
        if isinstance(part, Flowable):
            flat.append(part)
        else:
            flat.extend(_flatten(part))
    return flat


def drawn_texts(flowables: Iterable[Any]) -> Iterator[tuple[str, str]]:
    """(font name, text) for every string the flowables will draw, nested tables included; the text is
    empty where a font is selected without drawing."""
    for f in flowables:
        if f is None or isinstance(f, str):
            continue
        if isinstance(f, list | tuple):
            yield from drawn_texts(f)
        elif isinstance(f, Paragraph):
            for frag in f.frags:
                text = getattr(frag, "text", "")
                if text:
                    yield frag.fontName, text
            if getattr(f, "bulletText", None):
                yield f.style.bulletFontName, f.bulletText
        elif isinstance(f, Table):
            for r, row in enumerate(f._cellvalues):
                for c, value in enumerate(row):
                    # Table.draw selects the cell's font even for a Paragraph or an empty cell, so the
                    # font is reported either way: a default Helvetica would be a non-embedded font.
                    yield f._cellStyles[r][c].fontname, value if isinstance(value, str) else ""
                    if not isinstance(value, str):
                        yield from drawn_texts([value])
        elif hasattr(f, "inner_flowables"):
            yield from drawn_texts(f.inner_flowables())
        elif hasattr(f, "glyph_texts"):
            yield from f.glyph_texts()
        else:
            for attr in ("_content", "_flowables"):  # KeepTogether and friends
                inner = getattr(f, attr, None)
                if inner:
                    yield from drawn_texts(inner)


def check_glyphs(texts: Iterable[tuple[str, str]], people: Iterable[tuple[str, Sequence[str]]] | None = None) -> None:
    """Raise MissingGlyphsError when a font lacks a character it must draw, or ValueError when the
    text is set in a font that would not be embedded."""
    by_font: dict[str, set[str]] = {}
    for font, text in texts:
        by_font.setdefault(font, set()).add(text)
    bad: dict[str, set[str]] = {}
    family = ""
    for name, strings in by_font.items():
        font = pdfmetrics.getFont(name)
        if not isinstance(font, TTFont):
            raise ValueError(f"字体 {name} 不是嵌入的 TrueType 字体，打印时可能显示为空白")
        for text, chars in missing_glyphs(strings, font).items():
            bad.setdefault(text, set()).update(chars)
            family = family or family_of(font)
    if bad:
        raise MissingGlyphsError(attribute(bad, people), family)


def _part_file(path: Path) -> str:
    """A new empty file beside `path` to write into and then rename over it. Created as a plain open() would
    create it (0o666 less the umask, applied by the system), so the saved document can be read by whoever may read
    the user's other files: tempfile.mkstemp's 0600 made every PDF private to its writer."""
    for _ in range(100):
        tmp = path.with_name(f".trainer-{secrets.token_hex(6)}.pdf.part")  # short: the target's name may be long
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666))
        except FileExistsError:
            continue
        return str(tmp)
    raise FileExistsError(f"无法在{path.parent}中创建临时文件")


def build_pdf(
    path: str | Path,
    title: str,
    story: Story,
    *,
    landscape: bool = False,
    bureau: str = DEFAULT_BUREAU,
    font: str | Path | None = None,
    people: Iterable[tuple[str, Sequence[str]]] | None = None,
    header: bool = True,
    page_numbers: bool = True,
    subject: str = "",
) -> Path:
    """Write `story` as an A4 bureau document and return its path.

    title: the running header's right side and the PDF's title metadata.
    font: a font file chosen by the user (else the settings value or the automatic choice).
    people: (label, texts) pairs, so a missing glyph is reported by person ("王𪚥 410…") not by string.
    Raises FontError or MissingGlyphsError before any file is touched.
    """
    register_fonts(font)
    flowables = _flatten(story)
    size = to_landscape(A4) if landscape else A4
    page = _Page(size, LANDSCAPE if landscape else PORTRAIT, bureau, title, header, page_numbers)
    chrome = [*runs(bureau, HEADING), *runs(title, BODY)] if header else []
    if page_numbers:
        chrome.append((BODY, page_footer(1234567890, 1234567890)))
    check_glyphs([*chrome, *drawn_texts(flowables)], people)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    m = page.margins
    tmp = _part_file(path)
    try:
        doc = BaseDocTemplate(
            tmp,
            pagesize=size,
            leftMargin=m.left,
            rightMargin=m.right,
            topMargin=m.top,
            bottomMargin=m.bottom,
            title=title,
            author=bureau,
            subject=subject,
            creator="Trainer",
            initialFontName=BODY,
            initialFontSize=10.5,
        )
        frame = Frame(
            m.left,
            m.bottom,
            size[0] - m.left - m.right,
            size[1] - m.top - m.bottom,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        doc.addPageTemplates([PageTemplate("page", [frame], onPage=page.draw_header, pagesize=size)])
        doc.build(flowables, canvasmaker=_canvas_class(page))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
