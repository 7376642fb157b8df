"""首页 at 50,000 people and 1,000,000 attendance marks: the figures must arrive within a second of opening.

Each load runs in a fresh process (`bench.dashboard_probe`), as the page's first load after the window
starts: nothing cached, numpy not yet imported. The database is the compliance bench's (built once and kept
in the system temp folder under `trainer-bench/`, since building it takes a while); `TRAINER_BENCH_DB`
names another file to use instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.compliance import AS_OF, PEOPLE, make_db
from bench.core import Result, benchmark

TARGET_S = 1.0


def bench_db() -> Path:
    named = os.environ.get("TRAINER_BENCH_DB")
    if named:
        return Path(named)
    path = Path(tempfile.gettempdir()) / "trainer-bench" / f"dashboard-{PEOPLE}.db"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        for stale in path.parent.glob(partial.name + "*"):
            stale.unlink()
        make_db(partial).close()
        partial.replace(path)
    return path


def _probe(path: Path) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-m", "bench.dashboard_probe", str(path), str(AS_OF.year),
                          AS_OF.isoformat()], check=True, capture_output=True, text=True, timeout=120)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


@benchmark("dashboard")
def run() -> Result:
    path = bench_db()
    _probe(path)  # warm the OS file cache: we measure our work, not the disk
    runs = [_probe(path) for _ in range(3)]
    best = min(runs, key=lambda r: float(r["first"]))  # type: ignore[arg-type]
    first = float(best["first"])  # type: ignore[arg-type]
    worst = max(float(r["first"]) for r in runs)  # type: ignore[arg-type]
    cells = best["cells"]
    assert isinstance(cells, dict)
    coverage = cells.get("培训覆盖", {})
    detail = (f"首次打开 {first:.2f} 秒（3 次中最慢 {worst:.2f} 秒，目标 < {TARGET_S:.0f} 秒）；"
              f"数据未变再次打开 {float(best['again']) * 1000:.1f} 毫秒，"  # type: ignore[arg-type]
              f"换截至日期 {float(best['other_as_of']):.2f} 秒；"  # type: ignore[arg-type]
              f"在岗 {best['people']} 人，培训覆盖 {coverage}，{AS_OF.year}年学时 {best['hours']}，"
              f"逾期 {best['overdue']} 条，执法证即将到期 {best['expiring']} 人")
    return Result("dashboard", round(first, 4), None, None, TARGET_S, detail)
