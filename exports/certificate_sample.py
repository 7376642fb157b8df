"""A made-up certificate for the settings preview: how the chosen layout, seal, offsets and font print,
before anything is saved or issued.

    pdf_bytes = sample_preview(CertificateStyle(layout="modern", seal=Path("seal.png")), "平顶山市城市管理局", "PDS")

The holder and the class are fictional; the QR holds a text marked 示例 that no register would accept.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from exports.certificate_pdf import CertificateStyle, render_preview
from trainer import cert_payload, cert_serials, cert_text
from trainer.cert_face import CertificateFace
from trainer.dates import chinese_date

SAMPLE_NAME = "张三"
SAMPLE_ID = "410402********1234"
SAMPLE_CLASS = "2026年业务知识轮训第1期"
SAMPLE_START = dt.date(2026, 3, 2)
SAMPLE_END = dt.date(2026, 3, 4)
SAMPLE_HOURS = Decimal(24)


def sample_face(issuer: str, prefix: str = cert_serials.DEFAULT_PREFIX, issue_date: dt.date | None = None
                ) -> CertificateFace:
    day = issue_date or dt.date.today()
    try:
        serial = cert_serials.format_serial(prefix, day.year, "JY", 18)
    except cert_serials.SerialError:  # a prefix still being typed: show the default one
        serial = cert_serials.format_serial(cert_serials.DEFAULT_PREFIX, day.year, "JY", 18)
    fields = [cert_payload.MAGIC, cert_payload.VERSION, serial, SAMPLE_NAME, SAMPLE_ID,
              f"结业：{SAMPLE_CLASS}", day.isoformat(), "示例证书（无签名）"]
    return CertificateFace(
        serial=serial, kind="JY", title=cert_text.COMPLETION_TITLE, holder_name=SAMPLE_NAME, id_masked=SAMPLE_ID,
        body=cert_text.completion_body(SAMPLE_START, SAMPLE_END, SAMPLE_CLASS, SAMPLE_HOURS, True),
        closing=cert_text.COMPLETION_CLOSING, subject=SAMPLE_CLASS,
        period=cert_text.chinese_date_range(SAMPLE_START, SAMPLE_END), hours="24", issuer=issuer,
        issue_date_text=chinese_date(day), payload="|".join(fields))


def sample_preview(style: CertificateStyle, issuer: str, prefix: str = cert_serials.DEFAULT_PREFIX) -> bytes:
    """The sample certificate as PDF bytes; FontError / MissingGlyphsError as printing would raise them."""
    return render_preview(sample_face(issuer, prefix), style)
