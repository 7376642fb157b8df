"""Shared fixtures: a fresh database file per test, and a small deterministic demo bureau."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")

from trainer.db import open_db

# Fixed "today" for demo data so tests see the same bureau every day.
DEMO_DAY = dt.date(2026, 11, 25)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "trainer.db"


@pytest.fixture
def db(db_path: Path):
    database = open_db(db_path)
    yield database
    database.close()


@pytest.fixture
def demo_db(db):
    from trainer import demo

    demo.generate(db, 300, seed=7, today=DEMO_DAY)
    return db
