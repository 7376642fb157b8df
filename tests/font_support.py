"""Fonts the tests print with: the Debian fonts scripts/setup.sh installs, and a character no font here has."""

from __future__ import annotations

from pathlib import Path

import pytest

from exports import fonts

# scripts/setup.sh installs these; certificates and reports need them, so a missing one is a setup fault.
DEBIAN_FONTS = {
    "fonts-arphic-ukai": Path("/usr/share/fonts/truetype/arphic/ukai.ttc"),
    "fonts-arphic-uming": Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
    "fonts-wqy-microhei": Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
}
# CJK Extension B/G characters (生僻字): absent from 宋体, UMing, UKai and WenQuanYi
RARE_CANDIDATES = ("𪚥", "𠀀", "𡘙", "𰻞")


def debian_font(package: str) -> Path:
    path = DEBIAN_FONTS[package]
    assert path.exists(), f"{path} is missing: scripts/setup.sh installs {package}"
    return path


def rare_char() -> str:
    """A character that no registered font — body, heading, kai, nor the rare-character fallback — can print."""
    fonts.register_fonts()
    faces = [fonts.get_font(name) for name in (fonts.BODY, fonts.HEADING, fonts.KAI)]
    rare = fonts.rare_font()
    cmaps = [f.face.charToGlyph for f in [*faces, *([rare] if rare is not None else [])]]
    for ch in RARE_CANDIDATES:
        if all(ord(ch) not in cmap for cmap in cmaps):
            return ch
    pytest.skip("every rare test character is in a font on this machine (a name with them would print)")
