"""Printing certificates from the register: a class's valid certificates, or chosen serials.

    result = print_class(db, class_id, out_dir, progress=cb, cancelled=flag)   # merged + one per person
    result = print_serials(db, ["PDS2021JY000122"], out_dir)
    style = style_from_settings(db)                                            # layout, seal, offsets

Only valid (有效) certificates print. The print count of each certificate goes up once its files are in
place; a refused, failed or cancelled batch counts nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sqlite_utils import Database

from exports.certificate_pdf import BatchResult, CertificateStyle, render_certificates, render_preview
from trainer import cert_register, cert_settings, training
from trainer.cert_face import certificate_faces, face
from trainer.cert_register import CertFilter, CertificateError

Progress = Callable[[int, int], None]


def style_from_settings(db: Database) -> CertificateStyle:
    s = cert_settings.load(db)
    return CertificateStyle(layout=s.layout, seal=Path(s.seal_path) if s.seal_path else None,
                            offset_x_mm=s.offset_x_mm, offset_y_mm=s.offset_y_mm)


def print_serials(db: Database, serials: Sequence[str], out_dir: str | Path, *, label: str | None = None,
                  zip_files: bool = False, style: CertificateStyle | None = None, progress: Progress | None = None,
                  cancelled: Callable[[], bool] | None = None) -> BatchResult:
    """Print the certificates in the order given; `label` names the merged file (合并打印_{label}.pdf)."""
    faces = certificate_faces(db, serials)
    if not faces:
        raise CertificateError("没有要打印的证书")
    label = label or (faces[0].serial if len(faces) == 1 else f"{faces[0].serial}等{len(faces)}份")
    result = render_certificates(
        faces, out_dir, style or style_from_settings(db), merged_name=f"合并打印_{label}.pdf",
        zip_name=f"个人证书_{label}.zip" if zip_files else None, progress=progress, cancelled=cancelled)
    cert_register.record_prints(db, [f.serial for f in faces])
    return result


def print_class(db: Database, class_id: int, out_dir: str | Path, *, zip_files: bool = False,
                style: CertificateStyle | None = None, progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None) -> BatchResult:
    """Every valid certificate issued for the class, in serial order."""
    c = training.get_class(db, class_id)
    if c is None:
        raise CertificateError(f"培训班 {class_id} 不存在")
    serials = [x.serial for x in cert_register.search(db, CertFilter(class_id=class_id, status=cert_register.VALID))]
    if not serials:
        raise CertificateError(f"培训班“{c.title}”还没有有效的结业证书，请先发证")
    return print_serials(db, serials, out_dir, label=c.title, zip_files=zip_files, style=style, progress=progress,
                         cancelled=cancelled)


def preview(db: Database, serial: str, style: CertificateStyle | None = None) -> bytes:
    """One certificate as PDF bytes (the window shows it before printing; the print count is unchanged)."""
    cert = cert_register.require(db, serial)
    return render_preview(face(db, cert), style or style_from_settings(db))
