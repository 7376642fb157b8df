"""1,000 completion certificates (the merged file and 1,000 personal files) vs. bare reportlab drawing the
same text, font, seal and QR on 1,000 pages of one file, in the same run.

Ours is the whole print from the register: load and sign each payload, lay out, check every name's
glyphs, write the merged PDF and the personal PDFs (each with its own font subset), publish them and
count the prints. The baseline is what a few lines of plain reportlab would do with the same input: one
canvas, drawString for each line in the same fonts, the seal as an image, and the QR from the same
encoder drawn module by module with canvas.rect.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

from sqlite_utils import Database

from bench.core import Result, benchmark, compare
from trainer import cert_issue, people, training
from trainer.cert_face import CertificateFace, certificate_faces
from trainer.db import open_db

COUNT = 1_000


def _setup(folder: Path) -> tuple[Database, int]:
    from trainer import demo

    db = open_db(folder / "bench.db")
    demo.generate(db, COUNT + 200, seed=11, today=dt.date(2026, 11, 25))
    c = training.save_class(db, training.TrainingClass(
        None, "2026年执法技能提升培训第9期", "执法技能培训", dt.date(2026, 3, 2), dt.date(2026, 3, 4),
        status="已结束"))
    cid = int(c.id or 0)
    s = training.save_session(db, training.Session(None, cid, dt.date(2026, 3, 2), "情景模拟执法", Decimal(24)))
    ids = [int(p.id or 0) for p in people.all_people(db)][:COUNT]
    training.enrol(db, cid, ids)
    training.set_attendance(db, int(s.id or 0), dict.fromkeys(ids, "出勤"))
    issued = cert_issue.issue_for_class(db, cid, issue_date=dt.date(2026, 3, 6))
    assert len(issued) == COUNT, len(issued)
    return db, cid


def baseline_pdf(faces: list[CertificateFace], path: Path, seal: Path, qr_path: bool = False) -> None:
    """`qr_path`: the dark modules as one path of rectangles instead of one rect each (for the detail line)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from exports.fonts import HEADING, KAI
    from exports.pdf_blocks import seal_image
    from exports.qr import matrix

    w, h = landscape(A4)
    stamp = ImageReader(seal_image(seal, 500))
    c = Canvas(str(path), pagesize=(w, h), pageCompression=1, initialFontName=KAI)
    for f in faces:
        c.setStrokeColorRGB(0.72, 0.54, 0.23)
        c.setLineWidth(3)
        c.rect(9 * mm, 9 * mm, w - 18 * mm, h - 18 * mm)
        c.setFillColorRGB(0.69, 0.09, 0.12)
        c.setFont(HEADING, 46)
        c.drawCentredString(w / 2, h - 50 * mm, f.title, charSpace=22)
        c.setFillColorRGB(0.1, 0.1, 0.1)
        c.setFont(KAI, 28)
        c.drawString(62 * mm, h - 80 * mm, f.holder_name)
        c.setFont(KAI, 22)
        text = f.body
        for n, start in enumerate(range(0, len(text), 26)):
            c.drawString(40 * mm, h - (92 + 14 * n) * mm, text[start:start + 26])
        c.drawString(55 * mm, 80 * mm, f.closing)
        c.setFont(KAI, 18)
        c.drawCentredString(w - 80 * mm, 45 * mm, f.issuer)
        c.drawCentredString(w - 80 * mm, 34 * mm, f.issue_date_text)
        c.drawImage(stamp, w - 100 * mm, 20 * mm, 40 * mm, 40 * mm, mask="auto")
        c.setFont(KAI, 11)
        c.drawString(54 * mm, 35 * mm, f"证书编号：{f.serial}")
        c.drawString(54 * mm, 29 * mm, f"身份证号：{f.id_masked}")
        rows = matrix(f.payload)
        m = 26 * mm / len(rows)
        p = c.beginPath()
        for r, row in enumerate(rows):
            for col, dark in enumerate(row):
                if dark and qr_path:
                    p.rect(24 * mm + col * m, 47 * mm - (r + 1) * m, m, m)
                elif dark:
                    c.rect(24 * mm + col * m, 47 * mm - (r + 1) * m, m, m, stroke=0, fill=1)
        if qr_path:
            c.drawPath(p, stroke=0, fill=1)
        c.showPage()
    c.save()


@benchmark("certificates")
def run() -> Result:
    import time

    from exports import qr
    from exports.certificate_batch import print_class
    from exports.seal_maker import make_seal_png
    from trainer import cert_register, cert_settings

    folder = Path(tempfile.mkdtemp(prefix="bench-cert-"))
    try:
        db, cid = _setup(folder)
        seal = make_seal_png(folder / "seal.png", "平顶山市城市管理局", "培训专用章")
        cert_settings.save(db, cert_settings.CertSettings(seal_path=str(seal)))
        serials = [c.serial for c in cert_register.search(db, cert_register.CertFilter(class_id=cid))]
        faces = certificate_faces(db, serials)

        qr.qr_code.cache_clear()
        start = time.perf_counter()
        result = print_class(db, cid, folder / "ours")
        ours = time.perf_counter() - start
        assert len(result.personal) == COUNT

        start = time.perf_counter()
        baseline_pdf(faces, folder / "baseline.pdf", seal)
        base = time.perf_counter() - start

        start = time.perf_counter()
        baseline_pdf(faces, folder / "baseline_path.pdf", seal, qr_path=True)
        path_base = time.perf_counter() - start

        size = result.merged_bytes / 1e6
        personal = sum(p.stat().st_size for p in result.personal) / COUNT / 1e3
        db.close()
        return compare("certificates", ours, base, 1.5,
                       f"{COUNT} 份：合并文件 {size:.1f} MB（基准 {(folder / 'baseline.pdf').stat().st_size / 1e6:.1f}"
                       f" MB），个人文件平均 {personal:.0f} KB；二维码画成一条路径的基准 {path_base:.1f}s"
                       f"（{ours / path_base:.2f}x）")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
