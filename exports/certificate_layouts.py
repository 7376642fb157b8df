"""Certificate layouts on A4 landscape: what goes where, as page ops (exports.page_ops).

    classic     double border (gold outside, red inside) with corner brackets, 结业证书 / 荣誉证书 in the
                heading font, the text in 楷体, issuing unit and Chinese date at the lower right under the
                seal, QR and serial at the lower left
    modern      a red band on the left with the title set vertically and the QR in a white box; the name
                large, the text, and a strip with serial and 学时
    preprinted  only the variable text (name and text, ID, date, serial, QR) where the classic layout puts
                it, shifted by the user's offsets: for paper with the border, title and unit already printed

Each layout returns the ops that are the same on every page of a kind (`decoration`, drawn once per
file as a form) and the ops for one certificate (`page`). Text that would not fit is set smaller, never
clipped; a name too long for its line even at its smallest size (阿卜杜热合曼·艾合麦提托合提·买买提依明) is
broken into lines, after a middle dot where it can be.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from exports.fonts import HEADING, KAI
from exports.page_ops import Box, Op, Polygon, Qr, Rule, Seal, Text, text_width, wrap
from exports.pdf_image import EncodedImage
from trainer.cert_face import CertificateFace

PAGE_W, PAGE_H = landscape(A4)
RED = HexColor("#B0161E")  # 中国红, a little darker so it prints as red, not orange
DEEP_RED = HexColor("#8E1119")
GOLD = HexColor("#B8893A")
PALE_GOLD = HexColor("#E3C987")
INK = HexColor("#1A1A1A")
GREY = HexColor("#5A5A5A")


@dataclass(frozen=True)
class Placement:
    """Where a layout puts the shared blocks; `dx`, `dy` shift everything (preprinted paper)."""

    dx: float = 0.0
    dy: float = 0.0


def _diamond(cx: float, cy: float, r: float, color: Color) -> Polygon:
    return Polygon(((cx, cy + r), (cx + r, cy), (cx, cy - r), (cx - r, cy)), fill=color)


# the 简约 layout's name: 34 pt, set smaller down to 24 pt before it is broken into lines (classic's floor is
# the body text's size)
MODERN_NAME_SIZE, MODERN_NAME_FLOOR = 34.0, 24.0
NAME_DOTS = "·•・"


def _spacing(size: float, at_34: float) -> float:
    """Letter spacing that keeps its proportion as a name is set smaller."""
    return at_34 * size / 34


def fit_name(name: str, font: str, size: float, floor: float, widths: tuple[float, float], tail: float,
             spacing_at_34: float = 0.0) -> tuple[float, list[str]]:
    """The size and lines of a name: at most `size`, shrunk down to `floor` until it fits on one line with
    `tail` points after it (widths[0] wide); at the floor, broken into lines (widths[0] for the first,
    widths[1] for the rest), the last leaving room for the tail."""
    while size > floor and text_width(name, font, size, _spacing(size, spacing_at_34)) + tail > widths[0]:
        size = max(floor, size - 1)
    spacing = _spacing(size, spacing_at_34)
    if text_width(name, font, size, spacing) + tail <= widths[0]:
        return size, [name]
    return size, _break_name(name, font, size, spacing, (widths[0] - tail, widths[1] - tail))


def _break_name(name: str, font: str, size: float, spacing: float, widths: tuple[float, float]) -> list[str]:
    """Lines of a name too long for one: broken after a middle dot where the part fits, else between
    characters (a dot never starts a line)."""
    lines: list[str] = []
    line = ""

    def fits(text: str) -> bool:
        return text_width(text, font, size, spacing) <= widths[min(len(lines), 1)]

    # 阿卜杜热合曼· / 艾合麦提托合提· / 买买提依明
    for part in re.findall(f"[^{NAME_DOTS}]*[{NAME_DOTS}]|[^{NAME_DOTS}]+", name):
        if line and not fits(line + part):
            lines.append(line)
            line = ""
        for ch in part:
            if line and ch not in NAME_DOTS and not fits(line + ch):
                lines.append(line)
                line = ""
            line += ch
    return [*lines, line] if line else lines


def _body(face: CertificateFace, x: float, top: float, width: float, bottom: float, *, size: float,
          name_size: float, with_name: bool, centre: bool = False, color: Color = INK) -> list[Op]:
    """Name (larger, underlined) then the text, 首行缩进两字, and the closing line, between the baselines
    `top` and `bottom` (centred between them if asked); set smaller until it fits, never clipped. A name too
    long for the first line with "同志" after it is set smaller, down to the body size, then broken into
    lines (the text goes on after its last line)."""
    while True:
        leading = size * 1.9
        indent = 2 * size
        body = face.body
        names: list[str] = []
        name_w = 0.0
        if with_name:
            gap = size * 0.5
            tail = gap + text_width(body[:2], KAI, size)  # 同志 stays on the name's line
            name_size, names = fit_name(face.holder_name, KAI, name_size, size, (width - indent, width), tail)
            name_w = text_width(names[-1], KAI, name_size) + gap
        else:
            body = body.removeprefix("同志")
        start = indent if len(names) <= 1 else 0.0  # where the line the text begins on starts
        lines = wrap(body, KAI, size, [width - start - name_w, width])
        rows = max(len(names) - 1, 0) + len(lines)
        span = rows * leading  # first baseline to the closing line's
        if top - span >= bottom or size <= 12:
            break
        size -= 1
        name_size -= 1
    y = min(top, (top + bottom + span) / 2) if centre else top
    ops: list[Op] = []
    for i, name in enumerate(names):
        ops.append(Text(x + (indent if i == 0 else 0), y, name, KAI, name_size, color, bold=0.35,
                        underline=name_size * 0.22))
        if i < len(names) - 1:
            y -= leading
    for i, line in enumerate(lines):
        ops.append(Text(x + (start + name_w if i == 0 else 0), y, line, KAI, size, color))
        y -= leading
    ops.append(Text(x + indent, y, face.closing, KAI, size, color))
    return ops


def _issuer_block(face: CertificateFace, cx: float, base: float, seal: EncodedImage | None, *, issuer: bool = True,
                  size: float = 18, color: Color = INK, max_width: float = 100 * mm, right: float = 24 * mm
                  ) -> list[Op]:
    """Issuing unit over the Chinese date, centred on cx, the seal over both as a stamped seal sits. A long
    unit name is set smaller and the block moved left, so it stays `right` from the page edge."""
    lines = [face.issuer, face.issue_date_text] if issuer else [face.issue_date_text]
    while size > 12 and max(text_width(t, KAI, size) for t in lines) > max_width:
        size -= 1
    cx = min(cx, PAGE_W - right - max(text_width(t, KAI, size) for t in lines) / 2)
    ops: list[Op] = []
    if issuer:
        ops.append(Text(cx, base + size * 1.5, face.issuer, KAI, size, color, "C"))
    ops.append(Text(cx, base, face.issue_date_text, KAI, size, color, "C"))
    if seal is not None:
        ops.append(Seal(seal, cx, base + size * 1.1, 40 * mm))
    return ops


def _qr_block(face: CertificateFace, x: float, y: float, size: float, caption_color: Color = INK) -> list[Op]:
    """QR with the serial and a hint at its right."""
    tx = x + size + 3.5 * mm
    return [
        Qr(face.payload, x, y, size),
        Text(tx, y + size * 0.55, f"证书编号：{face.serial}", KAI, 11, caption_color),
        Text(tx, y + size * 0.55 - 16, f"身份证号：{face.id_masked}", KAI, 11, caption_color),
        Text(tx, y + size * 0.55 - 30, "扫描二维码可核验证书真伪", KAI, 8.5, GREY),
    ]


class Classic:
    name = "classic"

    def decoration(self, title: str) -> list[Op]:
        ops: list[Op] = []
        o, i = 9 * mm, 13 * mm
        ops.append(Box(o, o, PAGE_W - 2 * o, PAGE_H - 2 * o, stroke=GOLD, line=3.2))
        ops.append(Box(o + 1.6 * mm, o + 1.6 * mm, PAGE_W - 2 * o - 3.2 * mm, PAGE_H - 2 * o - 3.2 * mm,
                       stroke=GOLD, line=0.6))
        ops.append(Box(i, i, PAGE_W - 2 * i, PAGE_H - 2 * i, stroke=RED, line=1.1))
        arm, gap = 16 * mm, 3 * mm
        for cx, sx in ((i, 1), (PAGE_W - i, -1)):
            for cy, sy in ((i, 1), (PAGE_H - i, -1)):
                x0, y0 = cx + sx * gap, cy + sy * gap
                ops.append(Rule(x0, y0, x0 + sx * arm, y0, 1.4, GOLD))
                ops.append(Rule(x0, y0, x0, y0 + sy * arm, 1.4, GOLD))
                x1, y1 = x0 + sx * 2 * mm, y0 + sy * 2 * mm
                ops.append(Rule(x1, y1, x1 + sx * (arm - 6 * mm), y1, 0.6, GOLD))
                ops.append(Rule(x1, y1, x1, y1 + sy * (arm - 6 * mm), 0.6, GOLD))
                ops.append(_diamond(cx, cy, 2.6 * mm, RED))
        ty = PAGE_H - 50 * mm
        ops.append(Text(PAGE_W / 2, ty, title, HEADING, 46, RED, "C", spacing=22, bold=0.6))
        ly = ty - 9 * mm
        half = 62 * mm
        ops.append(Rule(PAGE_W / 2 - half, ly, PAGE_W / 2 - 5 * mm, ly, 1.0, GOLD))
        ops.append(Rule(PAGE_W / 2 + 5 * mm, ly, PAGE_W / 2 + half, ly, 1.0, GOLD))
        ops.append(_diamond(PAGE_W / 2, ly, 2.2 * mm, GOLD))
        ops.append(_diamond(PAGE_W / 2 - half, ly, 1.1 * mm, GOLD))
        ops.append(_diamond(PAGE_W / 2 + half, ly, 1.1 * mm, GOLD))
        return ops

    def page(self, face: CertificateFace, seal: EncodedImage | None, place: Placement) -> list[Op]:
        return self.variable(face, seal, issuer=True)

    @staticmethod
    def variable(face: CertificateFace, seal: EncodedImage | None, *, issuer: bool) -> list[Op]:
        """Everything that changes between certificates, where this layout puts it."""
        left = 40 * mm
        ops = _body(face, left, PAGE_H - 80 * mm, PAGE_W - 2 * left, 72 * mm, size=22, name_size=28,
                    with_name=True, centre=True)
        ops += _issuer_block(face, PAGE_W - 80 * mm, 34 * mm, seal, issuer=issuer)
        ops += _qr_block(face, 24 * mm, 21 * mm, 26 * mm)
        return ops


class Modern:
    name = "modern"
    band = 70 * mm

    def decoration(self, title: str) -> list[Op]:
        b = self.band
        ops: list[Op] = [
            Box(0, 0, b, PAGE_H, fill=RED),
            Box(0, 0, 7 * mm, PAGE_H, fill=DEEP_RED),
            Rule(b - 4 * mm, 10 * mm, b - 4 * mm, PAGE_H - 10 * mm, 1.4, PALE_GOLD),
            Rule(b - 2.6 * mm, 10 * mm, b - 2.6 * mm, PAGE_H - 10 * mm, 0.5, PALE_GOLD),
            Rule(b + 18 * mm, PAGE_H - 36 * mm, PAGE_W - 20 * mm, PAGE_H - 36 * mm, 0.8, GOLD),
            Rule(b + 18 * mm, 52 * mm, PAGE_W - 20 * mm, 52 * mm, 0.5, PALE_GOLD),
        ]
        cx = (b - 4 * mm) / 2 + 2 * mm
        top = PAGE_H - 40 * mm
        for n, ch in enumerate(title):
            ops.append(Text(cx, top - n * 19 * mm, ch, HEADING, 40, white, "C", bold=0.4))
        ops.append(_diamond(cx, top - len(title) * 19 * mm + 8 * mm, 1.8 * mm, PALE_GOLD))
        ops.append(Box(cx - 17 * mm, 27 * mm, 34 * mm, 34 * mm, fill=white, radius=2 * mm))
        return ops

    def page(self, face: CertificateFace, seal: EncodedImage | None, place: Placement) -> list[Op]:
        b = self.band
        x = b + 18 * mm
        width = PAGE_W - 20 * mm - x
        cx = (b - 4 * mm) / 2 + 2 * mm
        ops: list[Op] = [Text(x, PAGE_H - 31 * mm, face.issuer, HEADING, 15, RED, spacing=2)]
        names, drop = self._name(face.holder_name, x, width)
        ops += names
        ops.append(Text(x, PAGE_H - 72 * mm - drop, f"身份证号  {face.id_masked}", KAI, 12, GREY))
        ops += _body(face, x, PAGE_H - 92 * mm - drop, width, 66 * mm, size=20, name_size=20, with_name=False)
        strip = [("证书编号", face.serial)]  # the date is under the seal already
        if face.hours:
            strip.append(("学时", face.hours))
        sx = x
        for label, value in strip:
            ops.append(Text(sx, 41 * mm, label, KAI, 9.5, GREY))
            ops.append(Text(sx, 33 * mm, value, KAI, 13, INK))
            sx += max(text_width(value, KAI, 13), text_width(label, KAI, 9.5)) + 12 * mm
        ops += _issuer_block(face, PAGE_W - 62 * mm, 30 * mm, seal, issuer=True, size=16)
        ops.append(Qr(face.payload, cx - 14 * mm, 30 * mm, 28 * mm))
        ops.append(Text(cx, 20 * mm, face.serial, KAI, 10, white, "C"))
        ops.append(Text(cx, 14 * mm, "扫码核验", KAI, 8.5, PALE_GOLD, "C", spacing=2))
        return ops

    @staticmethod
    def _name(name: str, x: float, width: float) -> tuple[list[Op], float]:
        """The name in large type with 同志： after it, and how far a name of several lines pushes the rest
        down. Shrunk to fit the line, then broken into lines, never run off the page."""
        gap, tail = 6 * mm, text_width("同志：", KAI, 20)
        size, lines = fit_name(name, HEADING, MODERN_NAME_SIZE, MODERN_NAME_FLOOR, (width, width), gap + tail, 4)
        spacing = _spacing(size, 4)
        leading = size * 1.3
        y = PAGE_H - (62 if len(lines) == 1 else 55) * mm  # two lines use the room under the rule
        ops: list[Op] = []
        for line in lines:
            ops.append(Text(x, y, line, HEADING, size, INK, spacing=spacing))
            y -= leading
        y += leading
        ops.append(Text(x + text_width(lines[-1], HEADING, size, spacing) + gap, y, "同志：", KAI, 20, INK))
        return ops, max(0.0, PAGE_H - 62 * mm - y)


class Preprinted:
    """Only what changes from one certificate to the next; the paper has the rest."""

    name = "preprinted"

    def decoration(self, title: str) -> list[Op]:
        return []

    def page(self, face: CertificateFace, seal: EncodedImage | None, place: Placement) -> list[Op]:
        # where the classic layout has them, without the unit (printed on the paper) and the seal (stamped)
        return [_shift(op, place.dx, place.dy) for op in Classic.variable(face, None, issuer=False)]


def _shift(op: Op, dx: float, dy: float) -> Op:
    if not dx and not dy:
        return op
    if isinstance(op, Text | Qr):
        return replace(op, x=op.x + dx, y=op.y + dy)
    raise TypeError(f"cannot shift {type(op).__name__}")


LAYOUTS: dict[str, Callable[[], Classic | Modern | Preprinted]] = {
    "classic": Classic, "modern": Modern, "preprinted": Preprinted,
}
