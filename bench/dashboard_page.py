"""首页 in the window at 50,000 people: from showing the main window to its figures painted, in fresh processes.

    xvfb-run -a -s "-screen 0 1600x1000x24" python -m bench.dashboard_page [RUNS]

Each run opens the main window (首页 first) on the dashboard bench's database (see bench.dashboard) in a
process of its own, as on a start of the app, and prints show → first paint → figures painted. Not one of
`python -m bench`'s benchmarks: it needs a display (Xvfb), as a user's window does.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

from bench.dashboard import TARGET_S, bench_db


def _child(path: str) -> None:
    import time
    from pathlib import Path

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from trainer.db import open_db
    from ui.app import _application
    from ui.main_window import MainWindow

    _application([])
    db = open_db(Path(path))
    window = MainWindow(db, Path(path))
    page = window.sections["首页"]
    marks: dict[str, float] = {}
    started = 0.0

    def mark(name: str) -> None:
        marks.setdefault(name, round(time.perf_counter() - started, 4))

    def painted() -> None:
        mark("figures_painted")  # the paint that began with the figures has ended
        QApplication.exit(0)

    class Watch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                if "figures" in marks and "figures_paint" not in marks:
                    mark("figures_paint")
                    QTimer.singleShot(0, painted)
                mark("first_paint")
            return False

    page.loaded.connect(lambda: mark("figures"))  # type: ignore[attr-defined]
    watch = Watch()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(watch)
    QTimer.singleShot(60_000, QApplication.quit)
    started = time.perf_counter()
    window.show()
    QApplication.exec()
    db.close()
    print(json.dumps(marks), flush=True)


def main(runs: int) -> int:
    path = str(bench_db())
    results = []
    for n in range(runs + 1):
        out = subprocess.run([sys.executable, "-m", "bench.dashboard_page", "--child", path], capture_output=True,
                             text=True, timeout=120, env=os.environ.copy(), check=True)
        marks = json.loads(out.stdout.strip().splitlines()[-1])
        if n == 0:
            continue  # warms the OS file cache: we measure our work, not the disk
        results.append(marks)
        print(f"run {n}: first paint {marks['first_paint']:.3f} s, figures painted {marks['figures_painted']:.3f} s",
              flush=True)
    shown = [float(m["figures_painted"]) for m in results]
    print(f"show → figures painted: min {min(shown):.3f} s, median {statistics.median(shown):.3f} s, "
          f"max {max(shown):.3f} s (target < {TARGET_S:.0f} s)")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2])
    else:
        sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
