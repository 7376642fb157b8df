"""The core runs without Qt: every module of trainer/ and exports/ imports, and the CLI works, with
PySide6 made unimportable (the layer rule ui → exports → trainer)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SCRIPT = textwrap.dedent(
    """
    import importlib, pkgutil, sys
    for blocked in ("PySide6", "shiboken6", "PyQt5", "PyQt6"):
        sys.modules[blocked] = None  # any `import PySide6...` now raises ImportError

    import exports, trainer

    imported = []
    for package in (trainer, exports):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.endswith(".__main__"):
                continue  # runs the CLI on import; exercised below through cli.main
            importlib.import_module(info.name)
            imported.append(info.name)
    print("IMPORTED", " ".join(sorted(imported)))

    from trainer import cli
    db = sys.argv[1]
    codes = [
        cli.main(["--db", db, "demo", "--people", "40", "--seed", "3"]),
        cli.main(["--db", db, "people", "list", "--format", "csv"]),
        cli.main(["--db", db, "people", "export", sys.argv[2]]),
        cli.main(["--db", db, "people", "import", sys.argv[2], "--dry-run"]),
    ]
    print("CODES", codes)
    qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6") and sys.modules[m] is not None)
    print("QT", qt)
    """
)


def test_trainer_and_exports_import_and_run_with_qt_blocked(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("QT_QPA_PLATFORM", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "demo.db"), str(tmp_path / "roster.xlsx")],
        capture_output=True, text=True, encoding="utf-8", cwd=REPO, env=env, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    imported = next(line for line in lines if line.startswith("IMPORTED")).split()[1:]
    for module in ("trainer.cli", "trainer.db", "trainer.roster", "trainer.demo", "exports.tables", "exports.excel"):
        assert module in imported
    assert "CODES [0, 0, 0, 0]" in lines
    assert "QT []" in lines
    assert "姓名,性别,身份证号" in done.stdout
    assert "未变 40 人" in done.stdout
