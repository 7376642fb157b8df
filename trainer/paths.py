"""Default locations: the user's database, and the demo database kept apart from it."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "Trainer"


def user_folder() -> Path:
    from platformdirs import user_data_dir  # here: the window's start does not need it when given a database

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """`TRAINER_DB` wins over the per-user data folder; `--db` wins over both (see cli)."""
    env = os.environ.get("TRAINER_DB")
    if env:
        return Path(env)
    return user_folder() / "trainer.db"


def demo_db_path() -> Path:
    """The demo lives in its own file so exploring it never touches real records."""
    return user_folder() / "demo.db"


def resolve_db(arg: str | os.PathLike[str] | None) -> Path:
    return Path(arg) if arg else default_db_path()
