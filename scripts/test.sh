#!/usr/bin/env bash
# Second command of the README: set up, lint, type-check, then run every test (GUI tests offscreen).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check trainer exports ui tests bench
.venv/bin/mypy trainer exports
exec .venv/bin/python -m pytest -n 2 "$@"
