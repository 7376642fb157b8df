"""Where the shipped data files (data/ in the repository) are, installed or not."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path


def data_dir() -> Path:
    """The folder holding units.csv and the other shipped data files."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:  # PyInstaller bundle: build.spec copies data/ next to the code
        return Path(frozen) / "data"
    repo = Path(__file__).resolve().parent.parent / "data"
    if (repo / "units.csv").exists():
        return repo
    return Path(str(resources.files("trainer_data")))


def data_file(name: str) -> Path:
    return data_dir() / name
