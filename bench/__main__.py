"""`python -m bench [--json] [NAME ...]`: run all or the named benchmarks."""

from __future__ import annotations

import argparse
import json
import sys

from bench import (  # noqa: F401  (they register themselves)
    certificates,
    cold_start,
    compliance,
    contest_ranking,
    dashboard,
    people_filter,
    roster_import,
)
from bench.core import BENCHMARKS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("names", nargs="*", help=f"some of: {', '.join(BENCHMARKS)}")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    for name in args.names or list(BENCHMARKS):
        result = BENCHMARKS[name]()
        if args.json:
            print(json.dumps(result.as_json(), ensure_ascii=False), flush=True)
        else:
            if result.ratio is not None:
                figure = f"ours {result.ours_s:.3f}s  baseline {result.baseline_s:.3f}s  ratio {result.ratio:.2f}x" \
                    f"  (target ≤ {result.target}x)"
            else:
                figure = f"ours {result.ours_s * 1000:.1f} ms  (target ≤ {result.target * 1000:.0f} ms)"
            print(f"{'OK ' if result.met else 'MISS'} {name:<14} {figure}  {result.detail}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
