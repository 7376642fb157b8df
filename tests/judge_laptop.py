"""One judge's laptop, as a separate process (tests/test_five_judges.py): open the kit in judge mode, type the
scores given as JSON lines, check nothing is left unscored, and submit the signed score file to the stick.

    python tests/judge_laptop.py KIT STORE_DIR USB_DIR < scores.jsonl
    each line: ["项目名称", "抽签号 or 密封编号 as typed", "细则名称" or null, "分数"]

Prints the score file's path on the last line; exit 1 with the refusal (Chinese) when a value is refused.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from trainer.judge_session import JudgeSession, JudgeSessionError


def main(argv: list[str]) -> int:
    kit_path, store_dir, usb = (Path(a) for a in argv)
    try:
        with JudgeSession.open(kit_path, store_dir=store_dir) as s:
            for line in sys.stdin:
                item_name, key, criterion, value = json.loads(line)
                item = s.kit.item_named(item_name)
                if item is None:
                    print(f"评分包中没有项目“{item_name}”", file=sys.stderr)
                    return 1
                crit = item.criterion_named(criterion) if criterion else None
                s.enter(item.id, key, value, criterion_id=crit.id if crit else None)
            left = s.unscored()
            if left:
                print("尚未评分：" + "；".join(u.line() for u in left), file=sys.stderr)
                return 1
            print(s.submit(usb).path)
    except JudgeSessionError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
