"""Certificates to PDF: one merged file for the printer and one file per person, or a preview.

    style = CertificateStyle(layout="classic", seal=Path("seal.png"))
    result = render_certificates(faces, out_dir, style, merged_name="合并打印_2026年业务知识轮训第1期.pdf")
    result.merged, result.personal          # …/合并打印_….pdf, […/PDS2026JY000012_张三.pdf, …]
    pdf_bytes = render_preview(faces[0], style)

Every certificate is laid out once (exports.certificate_layouts → page ops) and the ops are replayed on
the merged canvas and on the person's own canvas in the same step, so each QR is encoded once. The
border and title, the same on every page, are a PDF form drawn once per file.

Before anything is written every text of every certificate is checked against the font that draws it;
if a name has a character the fonts lack, the whole batch is refused with MissingGlyphsError naming the
people (nobody's certificate is printed with a blank). Files are written in a temporary folder next to
the target and moved in place only when all are done: a cancelled or failed batch leaves nothing behind.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from exports.certificate_layouts import LAYOUTS, PAGE_H, PAGE_W, Placement
from exports.fonts import KAI, register_fonts
from exports.page_ops import Op
from exports.pdf import check_glyphs
from exports.pdf_blocks import seal_image
from exports.pdf_image import EncodedImage
from trainer.cert_face import CertificateFace

SEAL_PX = 500  # 42 mm at ~300 dpi: sharper only adds bytes to every file


class PrintCancelled(Exception):
    """The user cancelled; nothing was written."""


@dataclass(frozen=True)
class CertificateStyle:
    """How to print: layout name, the seal PNG, offsets for pre-printed paper, a font file chosen by the user."""

    layout: str = "classic"
    seal: Path | None = None
    offset_x_mm: float = 0.0  # preprinted only: + moves right
    offset_y_mm: float = 0.0  # preprinted only: + moves up
    font: Path | None = None


@dataclass(frozen=True)
class BatchResult:
    merged: Path
    personal: list[Path] = field(default_factory=list)  # empty when zipped
    archive: Path | None = None
    count: int = 0

    @property
    def merged_bytes(self) -> int:
        return self.merged.stat().st_size


@dataclass(frozen=True)
class _Page:
    face: CertificateFace
    form: str  # the decoration form this page draws first
    ops: list[Op]


def safe_name(text: str) -> str:
    """A file name Windows accepts (no \\ / : * ? " < > | or control characters)."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip(" ._") or "证书"


def personal_name(face: CertificateFace) -> str:
    return safe_name(face.file_stem) + ".pdf"


class _Renderer:
    """Lays certificates out in one style and draws them onto canvases."""

    def __init__(self, style: CertificateStyle) -> None:
        if style.layout not in LAYOUTS:
            raise ValueError(f"未知的证书版式“{style.layout}”")
        register_fonts(style.font)
        self.layout = LAYOUTS[style.layout]()
        preprinted = style.layout == "preprinted"
        self.seal = EncodedImage(seal_image(style.seal, SEAL_PX)) if style.seal and not preprinted else None
        self.place = Placement(style.offset_x_mm * mm, style.offset_y_mm * mm) if preprinted else Placement()
        self.form_of: dict[str, str] = {}  # title → form name
        self.forms: dict[str, list[Op]] = {}  # form name → the decoration's ops

    def prepare(self, faces: Sequence[CertificateFace]) -> list[_Page]:
        pages = []
        for face in faces:
            form = self.form_of.get(face.title)
            if form is None:
                form = self.form_of[face.title] = f"Deco{len(self.forms)}"
                self.forms[form] = self.layout.decoration(face.title)
            pages.append(_Page(face, form, self.layout.page(face, self.seal, self.place)))
        return pages

    def check(self, pages: Sequence[_Page]) -> None:
        """MissingGlyphsError naming every holder whose certificate would print a blank."""
        texts = [t for ops in self.forms.values() for op in ops for t in op.glyph_texts()]
        texts += [t for p in pages for op in p.ops for t in op.glyph_texts()]
        people = [(p.face.person_label, p.face.texts()) for p in pages]
        check_glyphs(texts, people)

    def canvas(self, target: str | io.BytesIO, title: str) -> Canvas:
        c = Canvas(target, pagesize=(PAGE_W, PAGE_H), pageCompression=1, initialFontName=KAI,
                   initialFontSize=12)  # never reference a non-embedded Helvetica
        c.setTitle(title)
        c.setCreator("Trainer")
        c.setAuthor(title.split("_")[0])
        return c

    def draw(self, c: Canvas, page: _Page, defined: set[str]) -> None:
        decoration = self.forms[page.form]
        if decoration:
            if page.form not in defined:
                c.beginForm(page.form)
                for op in decoration:
                    op.draw(c)
                c.endForm()
                defined.add(page.form)
            c.doForm(page.form)
        for op in page.ops:
            op.draw(c)
        c.showPage()


def render_preview(face: CertificateFace, style: CertificateStyle) -> bytes:
    """One certificate as PDF bytes, for the window's preview (glyphs checked as for printing)."""
    r = _Renderer(style)
    pages = r.prepare([face])
    r.check(pages)
    buf = io.BytesIO()
    c = r.canvas(buf, f"{face.serial} {face.title}")
    r.draw(c, pages[0], set())
    c.save()
    return buf.getvalue()


def render_certificates(
    faces: Sequence[CertificateFace],
    out_dir: str | Path,
    style: CertificateStyle,
    *,
    merged_name: str,
    zip_name: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> BatchResult:
    """Write the merged PDF and one PDF per person (`{serial}_{姓名}.pdf`, or all of them in `zip_name`).

    Raises MissingGlyphsError or FontError before any file is touched, PrintCancelled when `cancelled()`
    turns true (checked after each certificate); either way nothing is left in `out_dir`.
    """
    if not faces:
        raise ValueError("没有要打印的证书")
    r = _Renderer(style)
    pages = r.prepare(faces)
    r.check(pages)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".trainer-print-", dir=out))
    try:
        merged_tmp = work / safe_name(merged_name)
        merged = r.canvas(str(merged_tmp), Path(merged_name).stem)
        merged_forms: set[str] = set()
        names: list[str] = []
        for n, page in enumerate(pages, start=1):
            r.draw(merged, page, merged_forms)
            name = personal_name(page.face)
            own = r.canvas(str(work / name), f"{page.face.title} {page.face.serial} {page.face.holder_name}")
            r.draw(own, page, set())
            own.save()
            names.append(name)
            if progress:
                progress(n, len(pages))
            if cancelled and cancelled():
                raise PrintCancelled()
        merged.save()
        return _publish(work, out, merged_tmp.name, names, zip_name, len(pages))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _publish(work: Path, out: Path, merged: str, names: list[str], zip_name: str | None, count: int) -> BatchResult:
    """Move the finished files from the work folder into `out` (replacing an earlier print of the same)."""
    archive = None
    personal: list[Path] = []
    if zip_name:
        zip_tmp = work / ".archive.zip"
        with zipfile.ZipFile(zip_tmp, "w", zipfile.ZIP_STORED) as zf:  # PDFs are compressed already
            for name in names:
                zf.write(work / name, name)
        archive = out / safe_name(zip_name)
        os.replace(zip_tmp, archive)
    else:
        for name in names:
            os.replace(work / name, out / name)
            personal.append(out / name)
    os.replace(work / merged, out / merged)
    return BatchResult(out / merged, personal, archive, count)
