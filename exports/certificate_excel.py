"""The certificate register as an Excel workbook, through the one Excel writer.

    export_register(db, "证书登记.xlsx", CertFilter(status="有效"))
"""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from exports.excel import Sheet, write_xlsx
from trainer import cert_register
from trainer.cert_register import CertFilter


def export_register(db: Database, path: str | Path, f: CertFilter | None = None) -> Path:
    """The certificates matching `f` (all by default), one row each; serial and ID number as text."""
    headers, rows = cert_register.register_rows(cert_register.search(db, f))
    return write_xlsx(path, [Sheet("证书登记", list(headers), rows)])
