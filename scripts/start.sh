#!/usr/bin/env bash
# First command of the README: set up, then open Trainer on its own demo database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export LANG="${LANG:-C.UTF-8}"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "$(uname)" = "Linux" ]; then
  echo "没有检测到图形界面（DISPLAY 未设置）：在虚拟屏幕上做一次自检。有屏幕时此命令会直接打开主窗口。"
  exec xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/trainer-gui --demo --selftest
fi
exec .venv/bin/trainer-gui --demo "$@"
