"""The names of the five checks and of the statuses they give (trainer.compliance evaluates them), and how
bad each status is (the colour the dashboard and the lists give it).

Only names, kept apart from the evaluation so the window can show 首页's matrix headers at start-up without
loading the code that reads and checks the register."""

from __future__ import annotations

INITIAL, APPOINTMENT, ANNUAL, COVERAGE, CARD = "初任培训", "任职培训", "年度学时", "培训覆盖", "持证上岗"
CHECKS = (INITIAL, APPOINTMENT, ANNUAL, COVERAGE, CARD)
OK, OVERDUE, PENDING, FAILED, EXPIRING = "合格", "逾期", "未完成", "不合格", "即将到期"
RED, AMBER, GREEN = "red", "amber", "green"
SEVERITY = {OVERDUE: RED, FAILED: RED, PENDING: AMBER, EXPIRING: AMBER, OK: GREEN}
