"""Which characters a font cannot print, and which people that affects.

Names often hold rare characters (生僻字, many in CJK Extension B) that 宋体 or AR PL UMing lack; reportlab
would print them as blanks or boxes without a word. Printing stops instead, naming the people:

    check_people([("张三 410402199001011234", ["张三"]), ("王𪚥 410402199202022345", ["王𪚥"])])
    # MissingGlyphsError: 以下 1 项含字体“AR PL UMing CN”缺少的字，打印会出现空白，已停止打印：
    #                     王𪚥 410402199202022345（缺“𪚥”）。请在设置中选择……
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import TypeAlias

from reportlab.pdfbase.ttfonts import TTFont

from exports import fonts as _fonts

FontLike: TypeAlias = "TTFont | str"  # a TTFont or the name it is registered under


class MissingGlyphsError(Exception):
    """Printing would leave blanks; `people` holds (label, missing characters) for the user."""

    def __init__(self, people: Sequence[tuple[str, str]], font_family: str = "") -> None:
        self.people = list(people)
        self.font_family = font_family
        font = f"字体“{font_family}”" if font_family else "所选字体"
        listed = "；".join(f"{label}（缺“{chars}”）" for label, chars in self.people[:20])
        more = f" 等 {len(self.people)} 项" if len(self.people) > 20 else ""
        super().__init__(
            f"以下 {len(self.people)} 项含{font}缺少的字，打印会出现空白，已停止打印：{listed}{more}。"
            "请在设置中选择含这些字的字体文件（正文字体，或生僻字字体如 Windows 的 simsunb.ttf）。"
        )

    @property
    def labels(self) -> list[str]:
        return [label for label, _chars in self.people]


def _font(font: FontLike) -> TTFont:
    # a glyph without an outline prints blank: exports.fonts.inked drops such characters from the cmap
    return _fonts.get_font(font) if isinstance(font, str) else _fonts.inked(font)


def _printable(ch: str) -> bool:
    # Spaces, line breaks and format characters draw nothing, so a font need not have them.
    return unicodedata.category(ch)[0] not in "ZC"


def missing_glyphs(texts: Iterable[str], font: FontLike) -> dict[str, set[str]]:
    """text → the characters `font` has no glyph for, or only an empty one (AR PL UKai's 䶮); texts the font
    prints fully are left out."""
    cmap = _font(font).face.charToGlyph
    missing: dict[str, set[str]] = {}
    for text in texts:
        lacking = {ch for ch in text if ord(ch) not in cmap and _printable(ch)}
        if lacking:
            missing[text] = lacking
    return missing


def _chars(chars: Iterable[str]) -> str:
    return "".join(sorted(set(chars)))


def people_with_missing_glyphs(
    people: Iterable[tuple[str, Sequence[str]]], font: FontLike | Sequence[FontLike], use_rare: bool = True
) -> list[tuple[str, str]]:
    """(label, missing characters) for each person with a text that would print wrong, in input order.

    `font` may be several fonts when a person's texts print in more than one (e.g. 楷体 name, 宋体 table).
    With `use_rare`, characters the rare-character font has count as printable, as they are when the
    text goes through pdf_style (para, tables, draw_text); pass False for text drawn any other way.
    """
    faces = [_font(f) for f in ([font] if isinstance(font, TTFont | str) else font)]
    rare = _fonts.rare_font() if use_rare else None
    rare_cmap = rare.face.charToGlyph if rare is not None else {}
    affected: list[tuple[str, str]] = []
    for label, texts in people:
        lacking: set[str] = set()
        for face in faces:
            for chars in missing_glyphs(texts, face).values():
                lacking |= {ch for ch in chars if ord(ch) not in rare_cmap}
        if lacking:
            affected.append((label, _chars(lacking)))
    return affected


def check_people(
    people: Iterable[tuple[str, Sequence[str]]], font: FontLike | Sequence[FontLike] = _fonts.BODY
) -> None:
    """Raise MissingGlyphsError listing everyone whose texts the font(s) cannot print (e.g. before a
    batch of certificates, so nobody's is half-printed)."""
    affected = people_with_missing_glyphs(people, font)
    if affected:
        first = font if isinstance(font, TTFont | str) else font[0]
        raise MissingGlyphsError(affected, family_of(first))


def family_of(font: FontLike) -> str:
    return _fonts.family_name(_font(font))


def attribute(bad: dict[str, set[str]], people: Iterable[tuple[str, Sequence[str]]] | None) -> list[tuple[str, str]]:
    """Turn bad drawn strings into (label, chars): a person is named when one of their texts inside a bad
    string holds one of its missing characters; strings nobody claims are listed by themselves."""
    people = list(people or [])
    claimed: dict[str, set[str]] = {}
    result: dict[str, set[str]] = {}
    for label, texts in people:
        for drawn, chars in bad.items():
            # `drawn` may be the whole paragraph ("姓名：王𪚥") or, where a rare-character font took
            # over some characters, a piece of the name.
            hit = {ch for t in texts if t and (t in drawn or drawn in t) for ch in chars if ch in t}
            if hit:
                result.setdefault(label, set()).update(hit)
                claimed.setdefault(drawn, set()).update(hit)
    listed = [(label, _chars(chars)) for label, chars in result.items()]
    for drawn, chars in bad.items():
        rest = chars - claimed.get(drawn, set())
        if rest:
            short = drawn if len(drawn) <= 30 else drawn[:29] + "…"
            listed.append((f"“{short}”", _chars(rest)))
    return listed
