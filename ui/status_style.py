"""Colours of the compliance statuses, the same on the dashboard, the lists and the person detail:
green 合格, red 逾期/不合格, amber 未完成/即将到期 (matching the people page's card colours)."""

from __future__ import annotations

from PySide6.QtGui import QColor

from trainer.checks import AMBER, GREEN, RED, SEVERITY

TEXT = {GREEN: QColor("#1e7b45"), AMBER: QColor("#9a6700"), RED: QColor("#b03a2e")}
TINT = {GREEN: QColor("#e9f6ee"), AMBER: QColor("#fff4d6"), RED: QColor("#fdecea")}


def text_colour(status: str) -> QColor | None:
    severity = SEVERITY.get(status)
    return TEXT[severity] if severity else None


def tint(status: str) -> QColor | None:
    severity = SEVERITY.get(status)
    return TINT[severity] if severity else None
