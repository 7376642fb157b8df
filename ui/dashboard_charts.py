"""The dashboard's two charts (QtCharts): 学时 completed per month, and training coverage per county-level
unit. Each bar carries its number and a click on it lists the people behind it."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFont, QPainter
from PySide6.QtWidgets import QToolTip, QWidget

from trainer.amounts import fmt
from trainer.dashboard import GroupCoverage

MONTHS = tuple(str(m) for m in range(1, 13))  # "10月" would be elided on a narrow chart; the axis says 月
BAR = QColor("#3b7dd8")
GOOD, FAIR, POOR = QColor("#2e9d5b"), QColor("#e0a526"), QColor("#d0533f")
LABEL = QColor("#333333")


def _small_font(font: QFont, size: float = 8.0) -> QFont:
    small = QFont(font)
    small.setPointSizeF(size)
    return small


def _nice_top(value: float) -> float:
    """An axis end a little above the highest bar, on a round number, leaving room for the label."""
    if value <= 0:
        return 10.0
    target = value * 1.18
    step = 10 ** (len(str(int(target))) - 1)
    return float((int(target / step) + 1) * step)


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setPointSizeF(10.5)
    font.setBold(True)
    chart.setTitleFont(font)
    chart.legend().hide()
    chart.setMargins(QMargins(4, 4, 8, 4))
    chart.setBackgroundRoundness(0)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


class HoursChart(QChartView):
    """`month_clicked(month)` with month 1–12."""

    month_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None, year: int = 0, hours: list[Decimal] | None = None) -> None:
        """Empty (year 0) until `set_hours`, or with these figures at once."""
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(260)
        self.values: list[Decimal] = [Decimal(0)] * 12
        self.set_hours(year, hours if hours is not None else [Decimal(0)] * 12)

    def set_hours(self, year: int, hours: list[Decimal]) -> None:
        self.values = list(hours)
        total = sum(hours, Decimal(0))
        # Five-digit labels over twelve narrow bars run into each other: large figures are shown in 万学时.
        scale, unit = (Decimal(10000), "万学时") if max(hours, default=Decimal(0)) >= 10000 else (Decimal(1), "学时")
        chart = _chart(f"{year}年各月完成学时（合计 {fmt(total)} 学时）" if year else "各月完成学时")
        bars = QBarSet(unit)
        bars.setColor(BAR)
        bars.setBorderColor(BAR)
        bars.setLabelColor(LABEL)  # the default is white, meant for labels inside the bar
        bars.setLabelFont(_small_font(bars.labelFont()))
        for h in hours:
            bars.append(float(round(h / scale, 1)) if scale > 1 else float(h))
        bars.clicked.connect(lambda i: self.month_clicked.emit(int(i) + 1))
        bars.hovered.connect(self._hovered)
        series = QBarSeries()
        series.append(bars)
        series.setBarWidth(0.7)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat("@value")
        series.setLabelsPrecision(6)
        chart.addSeries(series)
        months = QBarCategoryAxis()
        months.append(list(MONTHS))
        months.setTitleText("月份")
        months.setTitleFont(_small_font(months.titleFont()))
        values = QValueAxis()
        values.setRange(0, _nice_top(max((float(h / scale) for h in hours), default=0)))
        values.setLabelFormat("%g")
        values.setTickCount(5)
        values.setTitleText(unit)
        values.setTitleFont(_small_font(values.titleFont()))
        chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(months)
        series.attachAxis(values)
        self.bars = bars
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()

    def _hovered(self, status: bool, index: int) -> None:
        if status:
            QToolTip.showText(QCursor.pos(), f"{index + 1}月：{fmt(self.values[index])} 学时（点击查看名单）")
        else:
            QToolTip.hideText()


class CoverageChart(QChartView):
    """Coverage (% of people in post with a completed training this year) per county-level unit;
    `group_clicked(index)` with the index into the dashboard's coverage list."""

    group_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None, year: int = 0, groups: list[GroupCoverage] | None = None
                 ) -> None:
        """Empty (year 0) until `set_coverage`, or with these figures at once."""
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(370)  # below ~20 px a bar, QtCharts elides every unit name to "…"
        self.groups: list[GroupCoverage] = []
        self.set_coverage(year, groups or [])

    def set_coverage(self, year: int, groups: list[GroupCoverage]) -> None:
        self.groups = list(groups)
        chart = _chart(f"{year}年各单位培训覆盖率" if year else "各单位培训覆盖率")
        # Horizontal bars list the first category at the bottom: feed them reversed so 市直单位 is on top.
        shown = list(reversed(groups))
        last = len(shown) - 1
        series = QHorizontalStackedBarSeries()
        # One set per colour band, each bar in exactly one of them (stacked on zeros), so colour tells good
        # from poor at a glance. The percentages stand in the unit labels: zero-height bands would label "0".
        for colour, low, high in ((GOOD, 90, 101), (FAIR, 60, 90), (POOR, -1, 60)):
            band = QBarSet("")
            band.setColor(colour)
            band.setBorderColor(colour)
            for g in shown:
                band.append(float(g.percent) if low <= float(g.percent) < high and g.people else 0.0)
            band.clicked.connect(lambda i: self.group_clicked.emit(last - int(i)))
            band.hovered.connect(self._hovered)
            series.append(band)
        series.setBarWidth(0.7)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append([f"{g.label}  {fmt(g.percent)}%" for g in shown] or [""])
        names.setLabelsFont(_small_font(names.labelsFont()))  # thirteen units must fit without eliding
        values = QValueAxis()
        values.setRange(0, 100)
        values.setTickCount(5)
        values.setLabelFormat("%d%%")
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(names)
        series.attachAxis(values)
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()

    def _hovered(self, status: bool, index: int) -> None:
        if not status or not self.groups:
            QToolTip.hideText()
            return
        g = self.groups[len(self.groups) - 1 - index]
        QToolTip.showText(QCursor.pos(), f"{g.label}：在岗 {g.people} 人，已有结业培训 {g.covered} 人"
                          f"（{fmt(g.percent)}%），点击查看名单")
