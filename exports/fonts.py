"""Embeddable Chinese TrueType fonts for every PDF the project writes.

reportlab's CID fonts (STSong-Light) are never used: they are not embedded and print blank on many PCs.
CFF-flavoured OpenType (Noto CJK .otf) is rejected by reportlab, so such files are skipped.

Four roles, registered under stable names so styles can name them before any file is chosen:

    BODY    "TrainerSong"  宋体 for text and tables   simsun.ttc → AR PL UMing → any CJK TrueType
    HEADING "TrainerHei"   黑体 for titles, headers   simhei.ttf, msyh.ttc → WenQuanYi → BODY
    KAI     "TrainerKai"   楷体 for certificates      simkai.ttf → AR PL UKai → BODY
    RARE    "TrainerRare"  生僻字 fallback (optional) simsunb.ttf (SimSun-ExtB), HanaMinB, mingliub.ttc

Windows keeps CJK Extension B, where many rare name characters live, in SimSun-ExtB (simsunb.ttf)
rather than in simsun.ttc; Word switches to it per character and so does `pdf_style.markup`: a
character the style's font lacks but RARE has is set in RARE.

Where files are looked for, in order: the file the user chose in settings (`set_font_file`, or the
`font_file` argument), the `TRAINER_FONT` environment variable, Windows' font folders, the usual Linux
font folders, then `fc-list :lang=zh`. A user-chosen file that cannot be used is an error, never
silently replaced: the user asked for it.

    fonts = register_fonts()          # cached; raises FontError with a Chinese message
    fonts.body.describe()             # "AR PL UMing CN (/usr/share/fonts/truetype/arphic/uming.ttc)"
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

# Binary (Flate-only) streams in every PDF the project writes: ASCII85 on top makes each embedded font and
# image a quarter larger and is encoded in pure Python, many times slower than the compression itself.
rl_config.useA85 = 0
# Embed only the characters a document uses: "ASCII readable" subsets carry all 95 ASCII glyphs of every
# font into every file (text extraction does not need it: the subsets have ToUnicode maps).
rl_config.ttfAsciiReadable = 0

BODY = "TrainerSong"
HEADING = "TrainerHei"
KAI = "TrainerKai"
RARE = "TrainerRare"

NO_FONT_MESSAGE = "未找到可嵌入的中文字体，请在设置中选择字体文件（如 simsun.ttc）"

# Characters every usable Chinese font must have: a font without them is a Latin font.
_CJK_PROBE = "中国城市管理执法局培训一二三年月日"

# (file name, subfont index) per role, best first. Windows names first: they are what the bureau has.
_ROLE_FILES: dict[str, list[tuple[str, int]]] = {
    BODY: [
        ("simsun.ttc", 0),
        ("simsun.ttf", 0),
        ("uming.ttc", 0),  # AR PL UMing CN
        ("wqy-zenhei.ttc", 0),
        ("wqy-microhei.ttc", 0),
        ("msyh.ttc", 0),
        ("simfang.ttf", 0),
        ("DroidSansFallbackFull.ttf", 0),
    ],
    HEADING: [
        ("simhei.ttf", 0),
        ("msyh.ttc", 0),
        ("msyh.ttf", 0),
        ("wqy-microhei.ttc", 0),
        ("wqy-zenhei.ttc", 0),
    ],
    KAI: [
        ("simkai.ttf", 0),
        ("ukai.ttc", 0),  # AR PL UKai CN
    ],
    RARE: [
        ("simsunb.ttf", 0),
        ("HanaMinB.ttf", 0),  # Debian fonts-hanazono
        ("mingliub.ttc", 0),
    ],
}


class FontError(Exception):
    """No usable font; the message is for the user."""


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int  # subfont index inside a .ttc; 0 for a .ttf
    family: str

    def describe(self) -> str:
        suffix = f" #{self.index}" if self.path.suffix.lower() == ".ttc" else ""
        return f"{self.family} ({self.path}{suffix})"


@dataclass(frozen=True)
class FontSet:
    """The files behind the registered role names."""

    body: FontFile
    heading: FontFile
    kai: FontFile
    rare: FontFile | None = None  # extension-plane characters, when the machine has such a font

    def file_for(self, name: str) -> FontFile | None:
        return {BODY: self.body, HEADING: self.heading, KAI: self.kai, RARE: self.rare}[name]


_lock = threading.RLock()
_user_font: Path | None = None
_user_rare: Path | None = None
# One TTFont per file and subfont, shared by every role name that uses it: parsing a TTC costs ~0.1 s,
# and two TTFont objects of one face in one PDF clash ("redefining named object").
_faces: dict[tuple[Path, int], TTFont] = {}
_registered: dict[str, FontFile] = {}
_current: dict[tuple[Path | None, Path | None], FontSet] = {}


def set_font_file(path: str | Path | None) -> None:
    """The font file chosen in settings (None: find one automatically). Takes effect on the next document."""
    global _user_font
    with _lock:
        _user_font = Path(path) if path else None


def set_rare_font_file(path: str | Path | None) -> None:
    """The rare-character (生僻字) fallback chosen in settings (None: simsunb.ttf or the like if present)."""
    global _user_rare
    with _lock:
        _user_rare = Path(path) if path else None


def family_name(font: TTFont) -> str:
    """The font's family as its name table gives it, e.g. "AR PL UMing CN"."""
    raw = getattr(font.face, "familyName", None) or getattr(font.face, "name", b"")
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _has_cjk(font: TTFont) -> bool:
    cmap = font.face.charToGlyph
    return all(ord(ch) in cmap for ch in _CJK_PROBE)


def _load(path: Path, index: int, need_cjk: bool = True) -> TTFont:
    """A TTFont for `path`; raises FontError in Chinese when reportlab cannot embed it."""
    font = _faces.get((path, index)) or _parse(path, index)
    if need_cjk and not _has_cjk(font):
        raise FontError(f"字体“{family_name(font)}”（{path.name}）不含中文字符，请选择中文字体（如 simsun.ttc）")
    return font


def _parse(path: Path, index: int) -> TTFont:
    if not path.is_file():
        raise FontError(f"字体文件不存在：{path}")
    try:
        font = TTFont(f"TrainerFace{len(_faces) + 1}", str(path), subfontIndex=index)
    except TTFError as exc:
        text = str(exc)
        if "postscript outlines" in text:
            raise FontError(
                f"字体文件“{path.name}”是 OpenType/CFF 字体（如思源、Noto CJK 的 .otf），无法嵌入 PDF；"
                "请选择 TrueType 字体（.ttf 或 .ttc，如 simsun.ttc）"
            ) from exc
        if "embedding" in text:
            raise FontError(f"字体文件“{path.name}”的授权不允许嵌入 PDF，请选择其他字体") from exc
        if "subfontIndex" in text:
            raise FontError(f"字体文件“{path.name}”中没有第 {index} 号字体") from exc
        raise FontError(f"“{path.name}”不是可用的 TrueType 字体文件（{text}）") from exc
    except (OSError, ValueError, IndexError) as exc:  # truncated or random bytes
        raise FontError(f"“{path.name}”不是可用的 TrueType 字体文件（{exc}）") from exc
    _faces[(path, index)] = inked(font)
    return font


def inked(font: TTFont) -> TTFont:
    """`font` with the characters whose glyph has no outline taken out of its cmap, so that reportlab, the
    glyph check and the rare-character fallback all treat them as missing (they would print as blanks).

    AR PL UKai, for one, maps some 40 CJK Extension A characters (䶮, 㖞, 䲟 …) to empty glyphs. Spaces and
    format characters draw nothing by nature and stay. Done once per face (a few milliseconds).
    """
    face = font.face
    if getattr(face, "_trainer_inked", False):
        return font
    pos: list[int] = getattr(face, "glyphPos", [])
    cmap: dict[int, int] = face.charToGlyph
    empty = {g for g in set(cmap.values()) if 0 < g < len(pos) - 1 and pos[g + 1] == pos[g]}
    for code in [c for c, g in cmap.items() if g in empty and unicodedata.category(chr(c))[0] not in "ZC"]:
        del cmap[code]
    face._trainer_inked = True
    return font


def load_user_font(path: str | Path) -> tuple[TTFont, FontFile]:
    """Validate a file the user picked: the first subfont of a .ttc that has Chinese characters."""
    path = Path(path)
    first_error: FontError | None = None
    for index in range(8 if path.suffix.lower() == ".ttc" else 1):
        try:
            font = _load(path, index)
            return font, FontFile(path, index, family_name(font))
        except FontError as exc:
            if index and "没有第" in str(exc):
                break
            first_error = first_error or exc
    assert first_error is not None
    raise first_error


def _windows_dirs() -> list[Path]:
    dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:  # fonts installed "for this user only" on Windows 10+
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def _unix_dirs() -> list[Path]:
    home = Path.home()
    return [
        Path("/usr/share/fonts/truetype/arphic"),
        Path("/usr/share/fonts/truetype/wqy"),
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
    ]


def _font_dirs() -> list[Path]:
    return [d for d in (_windows_dirs() if os.name == "nt" else [*_unix_dirs(), *_windows_dirs()]) if d.is_dir()]


_file_index: dict[str, Path] | None = None


def _files_by_name() -> dict[str, Path]:
    """Lower-cased file name → first path, over all font folders (walked once per process)."""
    global _file_index
    if _file_index is None:
        index: dict[str, Path] = {}
        for folder in _font_dirs():
            try:
                for root, _dirs, files in os.walk(folder):
                    for f in files:
                        if f.lower().endswith((".ttf", ".ttc")):
                            index.setdefault(f.lower(), Path(root) / f)
            except OSError:
                continue
        _file_index = index
    return _file_index


def _fc_list() -> list[tuple[Path, int]]:
    """Any Chinese TrueType font fontconfig knows (Linux); CFF files are left out here already."""
    exe = shutil.which("fc-list")
    if not exe:
        return []
    try:
        out = subprocess.run(
            [exe, "--format", "%{file}|%{index}|%{fontformat}\n", ":lang=zh"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found: list[tuple[Path, int]] = []
    for line in sorted(out.splitlines()):
        file, _, rest = line.partition("|")
        index, _, fmt = rest.partition("|")
        if fmt.strip() == "TrueType" and file.lower().endswith((".ttf", ".ttc")):
            found.append((Path(file), int(index or 0)))
    return found


def candidates(role: str) -> Iterator[tuple[Path, int]]:
    """Files to try for a role, best first (not yet validated)."""
    by_name = _files_by_name()
    for file_name, index in _ROLE_FILES[role]:
        path = by_name.get(file_name.lower())
        if path:
            yield path, index
    if role == BODY:
        yield from _fc_list()


def _find(role: str) -> tuple[TTFont, FontFile] | None:
    for path, index in candidates(role):
        try:
            font = _load(path, index, need_cjk=role != RARE)  # SimSun-ExtB has no common characters
        except FontError:
            continue  # a broken or CFF file on the machine: try the next one
        return font, FontFile(path, index, family_name(font))
    return None


def _register(name: str, font: TTFont, file: FontFile) -> None:
    if _registered.get(name) != file:
        # pdfmetrics.registerFont never replaces a name already taken, but the user may pick another
        # font after a refused print and print again: the stable name must follow the new file.
        pdfmetrics._fonts[font.fontName] = font
        pdfmetrics._fonts[name] = font  # an alias, as reportlab itself makes for a face registered twice
        pdfmetrics.registerFontFamily(name)  # Paragraph maps every name to a family (<b> stays the same face)
        _registered[name] = file


def register_fonts(font_file: str | Path | None = None, rare_file: str | Path | None = None) -> FontSet:
    """Register BODY, HEADING, KAI (and RARE when found) and say which files they are; cached per choice.

    `font_file` (else the settings value, else TRAINER_FONT) replaces the body font and stands in for
    a heading or kai font the machine lacks; `rare_file` (else the settings value, else TRAINER_RARE_FONT,
    else simsunb.ttf …) is the rare-character fallback. Raises FontError with a message for the user.
    """
    with _lock:
        chosen = Path(font_file) if font_file else _user_font
        if chosen is None and os.environ.get("TRAINER_FONT"):
            chosen = Path(os.environ["TRAINER_FONT"])
        rare_chosen = Path(rare_file) if rare_file else _user_rare
        if rare_chosen is None and os.environ.get("TRAINER_RARE_FONT"):
            rare_chosen = Path(os.environ["TRAINER_RARE_FONT"])
        cached = _current.get((chosen, rare_chosen))
        if cached is not None:
            for name in (BODY, HEADING, KAI, RARE):  # another choice may have re-registered the names since
                file = cached.file_for(name)
                if file is None:
                    _unregister(name)
                else:
                    _register(name, _faces[(file.path, file.index)], file)
            return cached
        body = load_user_font(chosen) if chosen else _find(BODY)
        if body is None:
            raise FontError(NO_FONT_MESSAGE)
        roles: dict[str, FontFile] = {}
        for name in (BODY, HEADING, KAI):
            found = body if name == BODY else _find(name)
            if found is None:  # no 黑体/楷体 here: the body face under the role's name
                found = body
            _register(name, *found)
            roles[name] = found[1]
        if rare_chosen:
            font = _load(rare_chosen, 0, need_cjk=False)
            rare: tuple[TTFont, FontFile] | None = (font, FontFile(rare_chosen, 0, family_name(font)))
        else:
            rare = _find(RARE)
        if rare is None and any(roles[name] != body[1] for name in (HEADING, KAI)):
            # no SimSun-ExtB or the like: the body face fills in what 黑体/楷体 lack (䶮 is in UMing, not UKai)
            rare = body
        if rare is None:
            _unregister(RARE)
        else:
            _register(RARE, *rare)
        fonts = FontSet(roles[BODY], roles[HEADING], roles[KAI], rare[1] if rare else None)
        _current[(chosen, rare_chosen)] = fonts
        return fonts


def _unregister(name: str) -> None:
    _registered.pop(name, None)
    pdfmetrics._fonts.pop(name, None)


def rare_font() -> TTFont | None:
    """The registered rare-character fallback, if the machine has one."""
    with _lock:
        if BODY not in _registered:
            register_fonts()
        return pdfmetrics._fonts.get(RARE) if RARE in _registered else None


def get_font(name: str = BODY) -> TTFont:
    """The registered TTFont behind a role name (registering the defaults if nothing is yet)."""
    with _lock:
        if name not in _registered:
            register_fonts()
        font = pdfmetrics.getFont(name)
    assert isinstance(font, TTFont)
    return font
