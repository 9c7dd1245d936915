"""Two parts of the reference-data screen (``gui.reference_view.ReferenceView``) that are widgets
of their own: the box of competence variants beside the competences table, and the labour-market
tab with the confirmed yearly bottleneck lists. The view wires their buttons to its actions."""
from __future__ import annotations

from PySide6.QtWidgets import (QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)


class VariantsBox(QGroupBox):
    """A new variant (synonym) of the chosen competence and the counsellors' own variants."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("Varianten van deze competentie"))
        self.input = QLineEdit()
        self.input.setPlaceholderText(self.tr("Nieuwe variant of synoniem, bv. zoals een werknemer het zegt"))
        self.input.setAccessibleName(self.tr("Nieuwe variant"))
        self.btn_add = QPushButton(self.tr("Variant toevoegen"))
        self.own = QListWidget()
        self.own.setAccessibleName(self.tr("Eigen varianten"))
        self.own.setMaximumHeight(90)
        self.btn_remove = QPushButton(self.tr("Eigen variant verwijderen"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        bl = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.input, 1)
        row.addWidget(self.btn_add)
        bl.addLayout(row)
        bl.addWidget(QLabel(self.tr("Eigen varianten (lokaal bewaard):")))
        bl.addWidget(self.own)
        bl.addWidget(self.btn_remove)
        bl.addWidget(self.message)


class LabourMarketPage(QWidget):
    """The labour-market chart and the table of imported yearly bottleneck lists."""

    def __init__(self, parent=None):
        super().__init__(parent)
        from gui.labour_market_chart import LabourMarketChart
        self.chart = LabourMarketChart()
        self.years = QTableWidget(0, 5)
        self.years.setHorizontalHeaderLabels([self.tr("Jaar"), self.tr("Bestand"), self.tr("Ingevoerd"),
                                              self.tr("Knelpuntberoepen"), self.tr("Niet gekoppeld")])
        self.years.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.years.horizontalHeader().setStretchLastSection(True)
        self.years.verticalHeader().hide()
        self.years.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.years.setMaximumHeight(150)
        self.btn_import = QPushButton(self.tr("Knelpuntlijst &importeren…"))
        lab = QVBoxLayout(self)
        lab.addWidget(self.chart, 1)
        lab.addWidget(QLabel(self.tr("<b>Ingevoerde knelpuntlijsten</b> (de recentste bepaalt welke beroepen "
                                     "knelpuntberoep zijn)")))
        lab.addWidget(self.years)
        row = QHBoxLayout()
        row.addWidget(self.btn_import)
        row.addStretch(1)
        lab.addLayout(row)

    def set_data(self, labour_market, years) -> None:
        """Show ``labour_market`` in the chart and ``years`` (``db.reference_repo.BottleneckYear``,
        most recent first) in the table."""
        self.chart.set_data(labour_market)
        self.years.setRowCount(len(years))
        for r, y in enumerate(years):
            for c, v in enumerate((y.year, y.file_name, y.imported[:16].replace("T", " "), y.listed,
                                   ", ".join(y.unlinked))):
                self.years.setItem(r, c, QTableWidgetItem(str(v)))
