"""Cold start to the first painted main window on the demo database vs. a bare PySide6 QMainWindow."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.core import Result, benchmark, compare
from trainer import demo
from trainer.db import close_db, open_db


def _time_to_paint(args: list[str]) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bench.startup_probe", *args], stdout=subprocess.PIPE, text=True,
                            env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.wait(timeout=60)
    if line.strip() != "painted":
        raise RuntimeError(f"startup probe {args} did not paint (exit {proc.returncode})")
    return elapsed


@benchmark("cold_start")
def run() -> Result:
    path = Path(tempfile.mkdtemp(prefix="bench-start-")) / "demo.db"
    db = open_db(path)
    demo.generate(db, 300)
    close_db(db, path)  # as `trainer demo` leaves it
    _time_to_paint(["bare"])  # warm the OS file cache for both: we measure our start, not the disk
    ours = min(_time_to_paint(["ours", str(path)]) for _ in range(3))
    bare = min(_time_to_paint(["bare"]) for _ in range(3))
    return compare("cold_start", ours, bare, 2.0, "演示数据库（300人）首次绘制主窗口")
