"""A page as a list of drawing operations, laid out once and replayed on any number of canvases.

Certificates are drawn twice (into the merged file for the printer and into each person's own file);
laying a page out once as ops — wrapped lines at their positions, the QR as a ready path — means the
second drawing only replays them.

    ops = [Text(x, y, "结业证书", HEADING, 44, RED, "C", spacing=18), Rule(x0, y0, x1, y1, 0.8, GOLD)]
    for op in ops: op.draw(canvas)
    texts = [t for op in ops for t in op.glyph_texts()]      # (font, text) for the glyph check
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from exports.pdf_image import EncodedImage
from exports.pdf_style import runs
from exports.qr import qr_code

# A line may not start with closing punctuation nor end with an opening one (避头尾).
NO_LINE_START = set("，。、；：？！）》」』”’…—%)]}>,.;:?!")
NO_LINE_END = set("（《「『“‘([{<")


class Op:
    def draw(self, canvas: Canvas) -> None:
        raise NotImplementedError

    def glyph_texts(self) -> Iterator[tuple[str, str]]:
        return iter(())


@dataclass(frozen=True)
class Text(Op):
    """One line of text; characters the font lacks but the rare-character font has are set in that."""

    x: float
    y: float
    text: str
    font: str
    size: float
    color: Color
    align: str = "L"  # L, C or R about x
    spacing: float = 0.0  # extra space after each character (字距), points
    bold: float = 0.0  # stroke width for a heavier face (CJK TrueType fonts have no bold)
    underline: float = 0.0  # distance below the baseline; 0: none

    def width(self) -> float:
        return text_width(self.text, self.font, self.size, self.spacing)

    def pieces(self) -> list[tuple[str, str]]:
        return runs(self.text, self.font)

    def draw(self, canvas: Canvas) -> None:
        width = self.width()
        x = self.x - {"L": 0.0, "C": width / 2, "R": width}[self.align]
        if self.align != "L" and self.spacing:
            x += self.spacing / 2  # the last character's spacing is not part of the visible text
        canvas.setFillColor(self.color)
        mode = None
        if self.bold:
            canvas.setStrokeColor(self.color)
            canvas.setLineWidth(self.bold)
            mode = 2  # fill, then stroke the outline: a heavier face from a regular one
        start = x
        for font, piece in self.pieces():
            canvas.setFont(font, self.size)
            canvas.drawString(x, self.y, piece, mode=mode, charSpace=self.spacing)
            x += stringWidth(piece, font, self.size) + self.spacing * len(piece)
        if self.underline:
            canvas.setStrokeColor(self.color)
            canvas.setLineWidth(0.6)
            canvas.line(start - 2, self.y - self.underline, x - self.spacing + 2, self.y - self.underline)

    def glyph_texts(self) -> Iterator[tuple[str, str]]:
        return iter(self.pieces())


@dataclass(frozen=True)
class Rule(Op):
    x0: float
    y0: float
    x1: float
    y1: float
    width: float
    color: Color

    def draw(self, canvas: Canvas) -> None:
        canvas.setStrokeColor(self.color)
        canvas.setLineWidth(self.width)
        canvas.line(self.x0, self.y0, self.x1, self.y1)


@dataclass(frozen=True)
class Box(Op):
    """A rectangle, stroked and/or filled."""

    x: float
    y: float
    w: float
    h: float
    stroke: Color | None = None
    fill: Color | None = None
    line: float = 1.0
    radius: float = 0.0

    def draw(self, canvas: Canvas) -> None:
        if self.stroke is not None:
            canvas.setStrokeColor(self.stroke)
            canvas.setLineWidth(self.line)
        if self.fill is not None:
            canvas.setFillColor(self.fill)
        if self.radius:
            canvas.roundRect(self.x, self.y, self.w, self.h, self.radius, stroke=int(self.stroke is not None),
                             fill=int(self.fill is not None))
        else:
            canvas.rect(self.x, self.y, self.w, self.h, stroke=int(self.stroke is not None),
                        fill=int(self.fill is not None))


@dataclass(frozen=True)
class Polygon(Op):
    points: tuple[tuple[float, float], ...]
    fill: Color | None = None
    stroke: Color | None = None
    line: float = 0.8

    def draw(self, canvas: Canvas) -> None:
        path = canvas.beginPath()
        path.moveTo(*self.points[0])
        for p in self.points[1:]:
            path.lineTo(*p)
        path.close()
        if self.fill is not None:
            canvas.setFillColor(self.fill)
        if self.stroke is not None:
            canvas.setStrokeColor(self.stroke)
            canvas.setLineWidth(self.line)
        canvas.drawPath(path, stroke=int(self.stroke is not None), fill=int(self.fill is not None))


@dataclass(frozen=True)
class Qr(Op):
    """A QR code of `text`; encoded when first drawn (and cached), so laying out a batch stays quick."""

    text: str
    x: float
    y: float
    size: float

    def draw(self, canvas: Canvas) -> None:
        qr_code(self.text).draw(canvas, self.x, self.y, self.size)


@dataclass(frozen=True, eq=False)
class Seal(Op):
    """The seal image centred on (cx, cy), multiplied over the ink below so the text stays readable."""

    image: EncodedImage
    cx: float
    cy: float
    size: float

    def draw(self, canvas: Canvas) -> None:
        w, h = self.image.width, self.image.height
        scale = self.size / max(w, h)
        canvas.saveState()
        canvas.setBlendMode("Multiply")
        self.image.draw(canvas, self.cx - w * scale / 2, self.cy - h * scale / 2, w * scale, h * scale)
        canvas.restoreState()


@lru_cache(maxsize=65536)
def _char_width(ch: str, font: str, size: float) -> float:
    return float(sum(stringWidth(piece, name, size) for name, piece in runs(ch, font)))


def text_width(text: str, font: str, size: float, spacing: float = 0.0) -> float:
    return sum(_char_width(ch, font, size) for ch in text) + spacing * max(len(text) - 1, 0)


def _tokens(text: str) -> list[str]:
    """Unbreakable pieces: a CJK character, or a run of ASCII letters and digits (2026, PDS…), with closing
    punctuation glued to what precedes it and opening punctuation to what follows."""
    out: list[str] = []
    pending_open = ""
    for ch in text:
        if ch in NO_LINE_START and out:
            out[-1] += ch
        elif ch in NO_LINE_END:
            pending_open += ch
        elif ch.isascii() and ch.isalnum() and out and not pending_open and out[-1][-1:].isascii() \
                and out[-1][-1:].isalnum():
            out[-1] += ch
        else:
            out.append(pending_open + ch)
            pending_open = ""
    if pending_open:
        out.append(pending_open)
    return out


def wrap(text: str, font: str, size: float, widths: Sequence[float]) -> list[str]:
    """Greedy CJK line breaking: line i is at most widths[min(i, len(widths) - 1)] wide."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        limit = widths[min(len(lines), len(widths) - 1)]
        if line and text_width(line + token, font, size) > limit:
            lines.append(line)
            line = token.lstrip()
        else:
            line += token
    if line:
        lines.append(line)
    return lines
