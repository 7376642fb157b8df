"""Trainer: training and skills-contest records for an urban-management enforcement bureau.

This package is the Qt-free core: domain dataclasses, storage, rules and the CLI.
"""

import importlib.util
import os
import sys

__version__ = "0.1.0"

# numpy counts the dashboard's figures but never multiplies matrices here; its OpenBLAS would start a thread
# per core that spins for ~0.1 s of CPU after numpy loads, taking a core from the figures' reading on a
# two-core office PC. One thread, unless the user's environment says otherwise.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# Imported by sqlite-utils at its start but only used inside functions Trainer never calls (its date-guessing
# `recipes`): they load when first used instead of at every start of the window and the CLI.
_LAZY_AT_IMPORT = ("dateutil.parser",)


def _defer(name: str) -> None:
    """Put `name` in sys.modules as a module that runs on its first attribute access (the stdlib LazyLoader)."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
        return
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)


def _import_sqlite_utils_lean() -> None:
    """Import sqlite-utils without letting it pull in pandas and numpy, nor dateutil's parser.

    sqlite-utils imports pandas and numpy when installed, only to map their column types; that costs ~0.4 s
    of every start of the window and the CLI. Trainer never hands it a DataFrame, and pandas still imports
    normally later where an export needs it. dateutil's parser (~25 ms with its time zones) is deferred, not
    kept out: anything that uses it later gets the real module.
    """
    if "sqlite_utils" in sys.modules or "pandas" in sys.modules:
        return
    for name in _LAZY_AT_IMPORT:
        _defer(name)
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
