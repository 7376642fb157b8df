"""A drawn round seal (公章 style) for demos and tests: a red ring, a star, the unit's name along the top
arc and a line of text below the star. Real certificates use the bureau's own scanned seal.

    make_seal_png("seal.png", "平顶山市城市管理局", "培训专用章")
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from exports.fonts import HEADING, register_fonts

RED = (200, 20, 30, 255)


def _font(size: int) -> ImageFont.FreeTypeFont:
    files = register_fonts()
    f = files.file_for(HEADING) or files.body
    return ImageFont.truetype(str(f.path), size, index=f.index)


def _star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    return points


def make_seal_png(path: str | Path, unit: str, bottom: str = "", px: int = 600) -> Path:
    img = Image.new("RGBA", (px, px), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    c = px / 2
    ring = px * 0.035
    draw.ellipse((ring / 2, ring / 2, px - ring / 2, px - ring / 2), outline=RED, width=int(ring))
    draw.polygon(_star(c, c, px * 0.15), fill=RED)
    size = int(px * 0.105)
    font = _font(size)
    radius = c - ring - size * 0.75
    span = math.radians(250)  # the name runs over the top 250° of the ring
    n = max(len(unit), 1)
    for i, ch in enumerate(unit):
        angle = math.pi / 2 + span / 2 - span * (i + 0.5) / n  # left to right, clockwise
        glyph = Image.new("RGBA", (size * 2, size * 2), (255, 255, 255, 0))
        ImageDraw.Draw(glyph).text((size, size), ch, font=font, fill=RED, anchor="mm")
        glyph = glyph.rotate(math.degrees(angle - math.pi / 2), resample=Image.Resampling.BICUBIC)
        x = c + radius * math.cos(angle)
        y = c - radius * math.sin(angle)
        img.alpha_composite(glyph, (int(x - size), int(y - size)))
    if bottom:
        small = _font(int(px * 0.075))
        draw.text((c, c + px * 0.27), bottom, font=small, fill=RED, anchor="mm")
    path = Path(path)
    img.save(path)
    return path
