"""The desktop bundle: PyInstaller builds build.spec, and the bundled executable passes its self-test.

A training officer gets the one-folder bundle, not a Python install, so this builds it for real (about
20–60 s) and runs `trainer --selftest`, which opens a demo database and the main window offscreen.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _selftest_line(cmd: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("selftest ok")), "")
    assert line, done.stdout + done.stderr
    return line


@pytest.mark.slow
def test_the_bundled_app_starts_with_every_section_the_source_has(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", str(ROOT / "build.spec"), "--noconfirm",
         "--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "build")],
        capture_output=True, text=True, timeout=900, cwd=ROOT, env=env,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    exe = tmp_path / "dist" / "trainer" / ("trainer.exe" if os.name == "nt" else "trainer")
    assert exe.exists()

    bundled = _selftest_line([str(exe), "--selftest"], env)
    from_source = _selftest_line([sys.executable, "-m", "ui.app", "--selftest"], env)
    # "selftest ok: 300 人；栏目：…；按钮：确定；字体：…": same people, the same sidebar sections and Qt's own
    # words in Chinese (its translations travel with the bundle), as from the source tree
    assert bundled.split("；字体")[0] == from_source.split("；字体")[0]
    assert "；按钮：确定；" in bundled
    assert "栏目：" in bundled and "单位管理" in bundled
