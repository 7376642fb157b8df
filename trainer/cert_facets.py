"""What the certificate register can be filtered by: the issue years and the classes that have certificates.

    cert_facets.years(db)        # [2026, 2025]
    cert_facets.classes(db)      # [IssuedClass(id=1, title="2026年业务知识轮训第1期", issued=41, valid=40), …]

The window's filter lists and the print dialog's class list read these instead of loading the register.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from trainer.cert_register import VALID


@dataclass(frozen=True)
class IssuedClass:
    id: int
    title: str
    issued: int  # certificates ever issued for the class (any status)
    valid: int  # of which still valid, i.e. what printing the class would print


def years(db: Database) -> list[int]:
    """Issue years with at least one certificate, newest first."""
    return [int(r[0]) for r in db.execute("SELECT DISTINCT year FROM certificates ORDER BY year DESC")]


def classes(db: Database) -> list[IssuedClass]:
    """Classes with certificates, newest class first."""
    rows = db.execute(
        "SELECT k.id, k.title, COUNT(*), SUM(c.status = ?) FROM certificates c JOIN classes k ON k.id = c.class_id"
        " GROUP BY k.id ORDER BY k.start_date DESC, k.id DESC", [VALID])
    return [IssuedClass(int(r[0]), str(r[1]), int(r[2]), int(r[3] or 0)) for r in rows]
