"""Helpers for the certificate tests: a finished class whose members completed (or did not), built
through the same training services the window uses, and small readers for the PDFs written."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Sequence
from pathlib import Path

from sqlite_utils import Database
from training_support import make_class, person

from trainer import training
from trainer.people import Person

START = dt.date(2026, 3, 2)
END = dt.date(2026, 3, 4)
ISSUED = dt.date(2026, 3, 6)


def finished_class(db: Database, names: Sequence[str], *, failed: Sequence[str] = (), title: str = "",
                   status: str = "已结束", start: dt.date = START, end: dt.date = END
                   ) -> tuple[training.TrainingClass, dict[str, Person]]:
    """A class of three 8-学时 days with `names` enrolled; those in `failed` were absent throughout (so
    they do not complete), the others present."""
    c, sessions = make_class(db, "业务知识培训", start, end, session_hours=("8", "8", "8"), status=status,
                             title=title or f"业务知识轮训{start.isoformat()}")
    members = {name: person(db, name) for name in names}
    cid = int(c.id or 0)
    training.enrol(db, cid, [int(p.id or 0) for p in members.values()])
    for s in sessions:
        training.set_attendance(db, int(s.id or 0), {int(p.id or 0): "缺勤" if name in failed else "出勤"
                                                     for name, p in members.items()})
    return c, members


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts rows as {name, type, emb, sub, uni}."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name, type (may be two words: "CID TrueType"), encoding, emb, sub, uni, object ID (2 fields)
        rows.append({"name": parts[0], "type": " ".join(parts[1:-6]), "emb": parts[-5], "sub": parts[-4],
                     "uni": parts[-3]})
    return rows
