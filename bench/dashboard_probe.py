"""`python -m bench.dashboard_probe DB`: the 首页 figures as the page loads them, in this fresh process.

Prints one JSON line: the first load (the page's reader connection and record cache, imports of the
domain code done, numpy not yet), a reload with nothing changed, a change of the as-of date, and the figures."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time


def main(path: str, year: int, as_of: str) -> None:
    from trainer import dashboard, rules
    from trainer.db import connect
    from trainer.record_cache import RecordCache

    window, reader = connect(path), connect(path)
    active = rules.active(window)  # the page asks on the window's thread before it starts the reader
    cache = RecordCache()
    day = dt.date.fromisoformat(as_of)
    started = time.perf_counter()
    d = dashboard.load(reader, active, year, day, cache=cache)
    first = time.perf_counter() - started
    started = time.perf_counter()
    dashboard.load(reader, active, year, day, cache=cache)
    again = time.perf_counter() - started
    started = time.perf_counter()
    dashboard.load(reader, active, year, dt.date(year, 6, 30), cache=cache)
    other = time.perf_counter() - started
    total = d.rows[0]
    print(json.dumps({
        "first": first, "again": again, "other_as_of": other, "people": total.people,
        "cells": {c: dict(total.cells[c].counts) for c in total.cells},
        "hours": str(d.total_hours), "overdue": len(d.overdue), "expiring": len(d.expiring),
    }, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
