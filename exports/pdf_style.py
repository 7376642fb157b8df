"""Paragraph styles for Chinese documents and the one way to turn user text into a Paragraph.

Sizes follow Chinese print habit: 小二 18 pt titles, 四号 14 pt headings, 五号 10.5 pt text, 小五 9 pt
tables. TrueType CJK fonts have no bold face: emphasis is 黑体 (HEADING), not <b>.

    para("姓名：张三", "body")                       # escaped, CJK line breaking
    draw_text(canvas, x, y, "王𪚥", KAI, 26, "C")    # the same rare-character fallback on a canvas
"""

from __future__ import annotations

from functools import cache
from itertools import groupby
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from exports.fonts import BODY, HEADING, KAI, RARE, get_font, rare_font, register_fonts

INK = colors.HexColor("#1A1A1A")  # near-black reads as black on paper and photocopies evenly
RULE = colors.HexColor("#404040")
HEADER_FILL = colors.HexColor("#DDE6F0")  # the Excel writer's header colour
LABEL_FILL = colors.HexColor("#EEF2F7")
ZEBRA_FILL = colors.HexColor("#F6F8FB")
SEAL_RED = (214, 24, 32)

ALIGN = {"L": TA_LEFT, "C": TA_CENTER, "R": TA_RIGHT}


def _style(name: str, font: str, size: float, leading: float, **kw: object) -> ParagraphStyle:
    kw.setdefault("textColor", INK)
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **kw)


@cache
def styles() -> dict[str, ParagraphStyle]:
    """Named styles; registers the fonts first, so a missing font surfaces here as FontError."""
    register_fonts()
    return {
        "title": _style("title", HEADING, 18, 26, alignment=TA_CENTER, spaceAfter=4),
        "subtitle": _style("subtitle", KAI, 12, 18, alignment=TA_CENTER, spaceAfter=2),
        "h1": _style("h1", HEADING, 14, 21, spaceBefore=10, spaceAfter=5),
        "h2": _style("h2", KAI, 12, 18, spaceBefore=6, spaceAfter=3),
        "body": _style("body", BODY, 10.5, 18, firstLineIndent=21, spaceAfter=3),  # 首行缩进两字
        "text": _style("text", BODY, 10.5, 16),
        "meta": _style("meta", BODY, 10.5, 15),
        "small": _style("small", BODY, 8, 11, textColor=colors.HexColor("#555555")),
        "label": _style("label", HEADING, 10, 14, alignment=TA_CENTER),
        "value": _style("value", BODY, 10, 14),
    }


@cache
def cell_style(size: float, align: str = "L", heading: bool = False) -> ParagraphStyle:
    """Table cell text: tight leading so dense tables stay dense."""
    register_fonts()
    font = HEADING if heading else BODY
    return _style(f"cell-{size}-{align}-{heading}", font, size, round(size * 1.3, 1), alignment=ALIGN[align])


def runs(text: str, font: str = BODY) -> list[tuple[str, str]]:
    """`text` as (font name, piece) runs: characters `font` lacks but the rare-character font has
    (SimSun-ExtB on Windows) go to RARE, as Word does; everything else stays in `font`."""
    cmap = get_font(font).face.charToGlyph
    rare = None if all(ord(ch) in cmap for ch in text) else rare_font()
    if rare is None:
        return [(font, text)]
    rare_cmap = rare.face.charToGlyph
    return [
        (RARE if in_rare else font, "".join(group))
        for in_rare, group in groupby(text, key=lambda ch: ord(ch) not in cmap and ord(ch) in rare_cmap)
    ]


def markup(text: object, font: str = BODY) -> str:
    """Plain text as Paragraph markup in `font`: XML escaped, line breaks kept, rare characters in RARE."""
    s = "" if text is None else str(text)
    return "".join(
        f'<font face="{RARE}">{escape(piece)}</font>' if name == RARE else escape(piece).replace("\n", "<br/>")
        for name, piece in runs(s, font)
    )


def text_width(text: str, font: str = BODY, size: float = 10.5) -> float:
    return float(sum(stringWidth(piece, name, size) for name, piece in runs(text, font)))


def draw_text(
    canvas: Canvas, x: float, y: float, text: str, font: str = BODY, size: float = 10.5, align: str = "L"
) -> None:
    """canvas.drawString with the rare-character fallback; `align` L, C or R about x."""
    pieces = runs(text, font)
    width = sum(stringWidth(piece, name, size) for name, piece in pieces)
    x -= {"L": 0.0, "C": width / 2, "R": width}[align]
    for name, piece in pieces:
        canvas.setFont(name, size)
        canvas.drawString(x, y, piece)
        x += stringWidth(piece, name, size)


def para(text: object, style: str | ParagraphStyle = "text", align: str | None = None) -> Paragraph:
    """A Paragraph of plain (never markup) text; `align` is L, C or R to override the style."""
    st = styles()[style] if isinstance(style, str) else style
    if align:
        st = ParagraphStyle(f"{st.name}-{align}", parent=st, alignment=ALIGN[align])
    return Paragraph(markup(text, st.fontName), st)
