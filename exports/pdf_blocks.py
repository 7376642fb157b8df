"""The parts every bureau document has besides tables: title block, signature lines, issuing unit with seal.

    title_block("2026年度教育培训计划", subtitle="（执法技能类）", meta=["填报单位：市局培训科", "日期：…"])
    signature_line()                                  # 制表人：____  审核人：____  日期：____
    seal_block("平顶山市城市管理局", dt.date(2021, 6, 6), seal="seal.png")

The seal is the user's PNG (a scan or a drawing, any colour, white or transparent background): its ink
is recoloured to seal red, its background made transparent, and it is printed over the unit name and
date the way a stamped seal sits, with the text still readable through it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from PIL import Image, ImageChops
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from exports.fonts import BODY
from exports.pdf_style import INK, SEAL_RED, draw_text, para, runs, styles, text_width
from exports.pdf_table import FitTable
from trainer.dates import chinese_date


def title_block(title: str, subtitle: str | None = None, meta: Sequence[str] = ()) -> list[Flowable]:
    """Centred title (黑体 18 pt), optional subtitle (楷体), and a meta line spread across the width
    (first item left, last right, others centred), e.g. 填报单位 … 日期 …"""
    parts: list[Flowable] = [para(title, "title")]
    if subtitle:
        parts.append(para(subtitle, "subtitle"))
    if meta:
        parts.append(Spacer(1, 2 * mm))
        parts.append(spread(meta))
    parts.append(Spacer(1, 3 * mm))
    return parts


def spread(items: Sequence[str], style: str = "meta") -> FitTable:
    """Short texts across the full width without borders: first left, last right, others centred.
    As many per line as fit (all on one line when they can), so nothing breaks mid-item."""
    st = styles()[style]
    needs = [stringWidth(text, st.fontName, st.fontSize) + 4 * mm for text in items]

    def build(width: float) -> Table:
        per_line = next(k for k in range(len(items), 0, -1) if all(w <= width / k for w in needs) or k == 1)
        aligns = ["L"] if per_line == 1 else ["L", *(["C"] * (per_line - 2)), "R"]
        rows = [list(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        cells = [[para(text, st, align=aligns[c]) for c, text in enumerate(row)] for row in rows]
        for row in cells:
            row.extend([""] * (per_line - len(row)))
        commands = [
            ("FONTNAME", (0, 0), (-1, -1), BODY),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
        return Table(cells, colWidths=[width / per_line] * per_line, hAlign="CENTER", style=TableStyle(commands))

    return FitTable(build)


def signature_line(
    labels: Sequence[str] = ("制表人", "审核人", "日期"),
    values: Sequence[str] | None = None,
) -> FitTable:
    """`label：______` groups across the width; `values` prefill the blanks (e.g. a Chinese date)."""
    values = list(values or [""] * len(labels))
    if len(values) != len(labels):
        raise ValueError("values 与 labels 个数不同")
    st = styles()["text"]
    gap = 8 * mm  # keeps one blank from running into the next label
    row: list[object] = []
    label_ws: list[float] = []
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("FONTNAME", (0, 0), (-1, -1), BODY),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        text = f"{label}："
        row += [para(text, st), para(value, st, align="C"), ""]
        label_ws.append(stringWidth(text, BODY, st.fontSize) + 2)
        commands.append(("LINEBELOW", (3 * i + 1, 0), (3 * i + 1, 0), 0.6, INK))
    row.pop()

    needs = [max(stringWidth(v, BODY, st.fontSize) + 6 * mm, 20 * mm) for v in values]

    def build(width: float) -> Table:
        # Each blank gets what its prefilled value needs; the rest of the line is shared equally.
        spare = max(width - sum(label_ws) - gap * (len(labels) - 1) - sum(needs), 0)
        widths: list[float] = []
        for label_w, need in zip(label_ws, needs, strict=True):
            widths += [label_w, need + spare / len(labels), gap]
        table = Table([row], colWidths=widths[:-1], hAlign="CENTER", style=TableStyle(commands))
        return table

    fit = FitTable(build)
    fit.spaceBefore = 8 * mm
    return fit


_seal_cache: dict[tuple[str, float, int], Image.Image] = {}
_seal_lock = threading.Lock()


def seal_image(path: str | Path, max_px: int = 600) -> Image.Image:
    """The seal PNG as red ink on a transparent background, cropped to the ink (cached per file).

    Ink strength is how far a pixel is from white (255 − min(R, G, B)) times its own alpha, so a black,
    blue or red scan on white and a drawing on transparency all come out the same.
    """
    path = Path(path)
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime, stat.st_size)
    except OSError as exc:
        raise ValueError(f"找不到印章图片：{path}") from exc
    with _seal_lock:
        cached = _seal_cache.get(key)
        if cached is not None:
            return cached
        try:
            with Image.open(path) as src:
                rgba = src.convert("RGBA")
        except (OSError, ValueError) as exc:
            raise ValueError(f"无法读取印章图片“{path.name}”：{exc}") from exc
        r, g, b, a = rgba.split()
        ink = ImageChops.invert(ImageChops.darker(ImageChops.darker(r, g), b))
        alpha = ImageChops.multiply(ink, a).point(lambda v: 0 if v < 24 else min(255, int(v * 1.15)))
        box = alpha.getbbox()
        if box is None:
            raise ValueError(f"印章图片“{path.name}”是空白的")
        alpha = alpha.crop(box)
        seal = Image.new("RGBA", alpha.size, (*SEAL_RED, 255))
        seal.putalpha(alpha)
        if max(seal.size) > max_px:  # 600 px is ~380 dpi at 40 mm: sharper adds only bytes
            seal.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
        _seal_cache[key] = seal
        return seal


class SealBlock(Flowable):  # type: ignore[misc]  # reportlab has no type hints
    """Issuing unit and date at the right, with the seal centred over them."""

    def __init__(
        self,
        unit: str,
        date: dt.date | str | None,
        seal: str | Path | Image.Image | None = None,
        size: float = 40 * mm,
        font_size: float = 14,
    ) -> None:
        super().__init__()
        self.unit = unit
        self.date_text = chinese_date(date) if isinstance(date, dt.date) else (date or "")
        self.seal = seal_image(seal) if isinstance(seal, str | Path) else seal
        self.size = size
        self.font_size = font_size
        self.spaceBefore = 6 * mm

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = max(self.size, 3 * self.font_size)
        return self.width, self.height

    def glyph_texts(self) -> Iterator[tuple[str, str]]:
        yield from runs(self.unit, BODY)
        yield from runs(self.date_text, BODY)

    def draw(self) -> None:
        c = self.canv
        fs = self.font_size
        text_w = max(text_width(t, BODY, fs) for t in (self.unit, self.date_text))
        cx = self.width - 4 * fs - text_w / 2  # ~4 characters from the right edge, as 公文 place it
        cy = self.height / 2
        c.setFillColor(INK)
        draw_text(c, cx, cy + 0.35 * fs, self.unit, BODY, fs, "C")
        if self.date_text:
            draw_text(c, cx, cy - 1.15 * fs, self.date_text, BODY, fs, "C")
        if self.seal is not None:
            w, h = self.seal.size
            scale = self.size / max(w, h)
            c.saveState()
            c.setBlendMode("Multiply")  # ink over ink: the text stays readable under the seal
            c.drawImage(
                ImageReader(self.seal), cx - w * scale / 2, cy - h * scale / 2, w * scale, h * scale, mask="auto"
            )
            c.restoreState()


def seal_block(unit: str, date: dt.date | str | None, seal: str | Path | None = None, size_mm: float = 40) -> SealBlock:
    """The issuing unit's name and the date (a date prints as 二〇二一年六月六日), sealed if `seal` is a PNG."""
    return SealBlock(unit, date, seal, size=size_mm * mm)
