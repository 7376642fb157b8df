"""Where the shipped data files (data/ in the repository) are: source tree, installed wheel or bundle."""

from __future__ import annotations

import sys
from pathlib import Path

_REPO_DATA = Path(__file__).resolve().parent.parent / "data"


def installed_data_dir() -> Path | None:
    """data/ as installed by `pip install .`: the package trainer_data (see pyproject.toml)."""
    try:
        import trainer_data
    except ImportError:
        return None
    return Path(trainer_data.__file__).parent


def data_dir() -> Path:
    """The folder holding units.csv and the other shipped data files."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:  # PyInstaller bundle: build.spec copies data/ next to the code
        return Path(frozen) / "data"
    if (_REPO_DATA / "units.csv").exists():
        return _REPO_DATA
    installed = installed_data_dir()
    if installed is None:
        raise FileNotFoundError("Trainer 的数据文件（data/）缺失，请重新安装")
    return installed


def data_file(name: str) -> Path:
    return data_dir() / name
