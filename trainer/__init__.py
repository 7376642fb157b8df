"""Trainer: training and skills-contest records for an urban-management enforcement bureau.

This package is the Qt-free core: domain dataclasses, storage, rules and the CLI.
"""

import sys

__version__ = "0.1.0"


def _import_sqlite_utils_lean() -> None:
    """Import sqlite-utils without letting it pull in pandas and numpy.

    sqlite-utils imports both when installed, only to map their column types; that costs ~0.4 s of every
    start of the window and the CLI. Trainer never hands it a DataFrame, and pandas still imports normally
    later where an export needs it.
    """
    if "sqlite_utils" in sys.modules or "pandas" in sys.modules:
        return
    saved = {name: sys.modules.get(name) for name in ("pandas", "numpy")}
    sys.modules.update({"pandas": None, "numpy": None})  # type: ignore[dict-item]
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


_import_sqlite_utils_lean()
