"""How a refused or failed print is explained to HR: the people whose names the font cannot print (one per
line, so the list can be read and fixed), or where to choose a font, or why a folder could not be written."""

from __future__ import annotations

from pathlib import Path

from exports.certificate_pdf import PrintCancelled
from exports.fonts import FontError
from exports.glyphs import MissingGlyphsError
from trainer.cert_register import CertificateError

SETTINGS_HINT = ("请点击“证书设置…”，选择含这些字的字体文件（正文字体，或生僻字字体如 Windows 的 simsunb.ttf），"
                 "再重新打印。")
FONT_HINT = "请点击“证书设置…”，选择一个中文 TrueType 字体文件（.ttf 或 .ttc，如 C:\\Windows\\Fonts\\simsun.ttc）。"
MAX_LISTED = 30


def missing_glyphs_text(exc: MissingGlyphsError, outcome: str = "因此整批都没有打印（没有生成任何文件）") -> str:
    font = f"字体“{exc.font_family}”" if exc.font_family else "所选字体"
    lines = [f"　{label}：缺“{chars}”" for label, chars in exc.people[:MAX_LISTED]]
    if len(exc.people) > MAX_LISTED:
        lines.append(f"　……等共 {len(exc.people)} 人")
    return (f"以下 {len(exc.people)} 人的证书含{font}缺少的字，打印出来会是空白，{outcome}：\n\n"
            + "\n".join(lines) + "\n\n" + SETTINGS_HINT)


def font_text(exc: FontError) -> str:
    return f"{exc}\n\n{FONT_HINT}"


def failure_text(exc: BaseException, folder: Path | None = None) -> str:
    """The message for a print that did not happen (nothing was written in any of these cases)."""
    if isinstance(exc, MissingGlyphsError):
        return missing_glyphs_text(exc)
    if isinstance(exc, FontError):
        return font_text(exc)
    if isinstance(exc, PrintCancelled):
        return "已取消打印：没有生成任何文件，打印次数未变。"
    if isinstance(exc, CertificateError):
        return str(exc)
    if isinstance(exc, OSError):
        where = f"“{folder}”" if folder else "所选文件夹"
        return f"无法写入{where}（文件夹是否只读，或文件正被其他程序打开？）：\n{exc}"
    return f"打印失败：{exc}"


def preview_problem_text(exc: BaseException) -> str:
    """Said where the preview would be: the same problems printing would meet."""
    if isinstance(exc, MissingGlyphsError):
        return missing_glyphs_text(exc, "无法预览，打印时也会被拒绝")
    if isinstance(exc, FontError):
        return font_text(exc)
    return f"无法预览：{exc}"
