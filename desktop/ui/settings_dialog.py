"""Review settings: daily new-question limit, desired retention (FSRS) and the first day of the week.

The dialog only collects values; the main window hands them to the study service, which
validates, stores and reschedules.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.review import MAX_NEW_LIMIT, RETENTION_RANGE, WEEKDAY_NAMES, ReviewSettings
from .theme import mute


class SettingsDialog(QDialog):
    def __init__(self, settings: ReviewSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Review settings")
        self.new_limit = QSpinBox()
        self.new_limit.setRange(0, MAX_NEW_LIMIT)
        self.new_limit.setValue(settings.daily_new_limit)
        self.new_limit.setSuffix(" per day")
        self.new_limit.setAccessibleName("Daily new-question limit")
        self.retention = QDoubleSpinBox()
        self.retention.setRange(*RETENTION_RANGE)
        self.retention.setSingleStep(0.01)
        self.retention.setDecimals(2)
        self.retention.setValue(settings.desired_retention)
        self.retention.setAccessibleName("Desired retention")
        self.first_day = QComboBox()
        self.first_day.addItems(list(WEEKDAY_NAMES))
        self.first_day.setCurrentIndex(settings.first_day_of_week)
        self.first_day.setAccessibleName("First day of the week")

        form = QFormLayout()
        form.addRow("New questions per &day:", self.new_limit)
        form.addRow(self._hint("Questions you have never graded that Today offers each day."))
        form.addRow("Desired &retention:", self.retention)
        form.addRow(self._hint(
            "The chance you still know an answer when it comes back. Higher means shorter intervals and "
            "more reviews (0.90 is a good start; 0.95 roughly doubles the reviews). Changing it reschedules every "
            "question from your grade history; nothing is lost."
        ))
        form.addRow("&Weeks start on:", self.first_day)
        form.addRow(self._hint("Used by the statistics for weekly totals and charts."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _hint(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        return mute(label)

    def settings(self) -> ReviewSettings:
        return ReviewSettings(
            daily_new_limit=self.new_limit.value(),
            desired_retention=round(self.retention.value(), 2),
            first_day_of_week=self.first_day.currentIndex(),
        )
