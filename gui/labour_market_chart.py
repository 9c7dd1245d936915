"""Labour-market context: the share of (critical) bottleneck vacancies among vacancies for
industrial occupations, per year, as a line chart with its source (reference data labour_market)."""
from __future__ import annotations

import math

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

SERIES_KEYS = ("knelpunt", "kritiek_knelpunt")


class LabourMarketChart(QWidget):
    """``set_data(reference.labour_market)`` draws both series; empty until then."""

    def __init__(self, labour_market=None, parent=None):
        super().__init__(parent)
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(260)
        self.view.setAccessibleName(self.tr("Grafiek aandeel knelpuntvacatures"))
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.source.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.source)
        self.series: dict[str, QLineSeries] = {}
        self.axis_x: QValueAxis | None = None
        self.axis_y: QValueAxis | None = None
        if labour_market is not None:
            self.set_data(labour_market)

    def set_data(self, lm) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        self.chart.setTitle(lm.label_nl)
        labels = {
            "knelpunt": lm.series_labels.get("knelpunt") or self.tr("Aandeel vacatures voor knelpuntberoepen"),
            "kritiek_knelpunt": lm.series_labels.get("kritiek_knelpunt")
            or self.tr("Aandeel vacatures voor kritieke knelpuntberoepen"),
        }
        values = {"knelpunt": [(p.year, p.bottleneck_pct) for p in lm.points],
                  "kritiek_knelpunt": [(p.year, p.critical_bottleneck_pct) for p in lm.points]}
        self.axis_x = QValueAxis()
        self.axis_x.setTitleText(self.tr("Jaar"))
        self.axis_x.setLabelFormat("%d")
        years = [p.year for p in lm.points]
        self.axis_x.setRange(min(years), max(years))
        self.axis_x.setTickCount(min(len(years), 12) if len(years) > 1 else 2)
        self.axis_y = QValueAxis()
        unit = "%" if lm.unit.lower().startswith("procent") else lm.unit
        self.axis_y.setTitleText(self.tr("Aandeel vacatures ({eenheid})").format(eenheid=unit))
        self.axis_y.setLabelFormat("%d")
        top = max([v for pts in values.values() for _y, v in pts] or [10.0])
        self.axis_y.setRange(0, min(100, math.ceil((top + 1) / 10.0) * 10))
        self.axis_y.setTickCount(6)
        self.chart.addAxis(self.axis_x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self.axis_y, Qt.AlignmentFlag.AlignLeft)
        self.series = {}
        for key in SERIES_KEYS:
            s = QLineSeries()
            s.setName(labels[key])
            s.setPointsVisible(True)
            s.append([QPointF(float(y), float(v)) for y, v in values[key]])
            self.chart.addSeries(s)
            s.attachAxis(self.axis_x)
            s.attachAxis(self.axis_y)
            self.series[key] = s
        first, last = lm.points[0], lm.points[-1]
        self.source.setText(self.tr("Bron: {bron}. {eerste}: {a}% knelpunt, {b}% kritiek knelpunt; "
                                    "{laatste}: {c}% en {d}%.").format(
            bron=lm.source, eerste=first.year, laatste=last.year, a=_pct(first.bottleneck_pct),
            b=_pct(first.critical_bottleneck_pct), c=_pct(last.bottleneck_pct), d=_pct(last.critical_bottleneck_pct)))


def _pct(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")
