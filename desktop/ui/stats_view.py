"""Statistics page: painted charts (QPainter; Qt Charts is not in PySide6-Essentials).

Every colour comes from the palette or from a light/dark pair, so the page reads in both themes.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..core.stats import DayCount, RoundPoint, Statistics, TopicCoverage, WeekGrades
from ..core.study import RATING_NAMES, Study
from .theme import is_dark, mute
from .today_view import minutes_text

RATING_COLORS = {
    False: ("#c62828", "#ef6c00", "#2e7d32", "#1565c0"),
    True: ("#ef9a9a", "#ffb74d", "#81c784", "#90caf9"),
}
WEEK_CHOICES = (4, 12, 26, 52)


def nearest_rating(average: float) -> int:
    return min(max(int(average + 0.5), 1), 4)  # 2.5 reads as Good, not Hard (no banker's rounding)


def rating_color(rating: float) -> QColor:
    return QColor(RATING_COLORS[is_dark()][nearest_rating(rating) - 1])


def short_day(day) -> str:  # noqa: ANN001 - date
    return f"{day.day} {day:%b}"


class Chart(QWidget):
    """Shared painting helpers: palette colours, an empty-state message, a value axis."""

    LEFT, RIGHT, TOP, BOTTOM = 34, 10, 10, 22

    def __init__(self, height: int = 200) -> None:
        super().__init__()
        self._height = height
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(height)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(600, self._height)

    def text_color(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.WindowText)

    def muted_color(self) -> QColor:
        color = QColor(self.text_color())
        color.setAlphaF(0.6)
        return color

    def grid_color(self) -> QColor:
        color = QColor(self.text_color())
        color.setAlphaF(0.15)
        return color

    def accent(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Highlight)

    def small_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
        return font

    def plot_rect(self) -> QRectF:
        return QRectF(self.LEFT, self.TOP, self.width() - self.LEFT - self.RIGHT,
                      self.height() - self.TOP - self.BOTTOM)

    def draw_empty(self, painter: QPainter, text: str) -> None:
        painter.setPen(self.muted_color())
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, text)

    def draw_value_axis(self, painter: QPainter, plot: QRectF, top: float, steps: Sequence[float],
                        suffix: str = "") -> None:
        painter.setFont(self.small_font())
        for value in steps:
            y = plot.bottom() - plot.height() * value / top
            painter.setPen(QPen(self.grid_color(), 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(self.muted_color())
            painter.drawText(QRectF(0, y - 8, self.LEFT - 6, 16),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{value:g}{suffix}")


def nice_top(value: float) -> tuple[float, list[float]]:
    """An axis maximum at or above `value` and two or three round gridline values."""
    if value <= 0:
        return 1.0, [1.0]
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if value / step <= 4:
            top = step * -(-value // step)
            return float(top), [float(step * n) for n in range(1, int(top / step) + 1)]
    return float(value), [float(value)]


class DailyBars(Chart):
    """Items practised per day: questions with exercises stacked on top; today outlined."""

    def __init__(self) -> None:
        super().__init__(190)
        self.days: tuple[DayCount, ...] = ()
        self.today = None
        self.first_day = 0

    def set_data(self, days: tuple[DayCount, ...], today, first_day: int) -> None:  # noqa: ANN001
        self.days, self.today, self.first_day = days, today, first_day
        self.setAccessibleDescription(
            f"{sum(day.total for day in days)} items practised over {len(days)} days"
        )
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: ANN001, N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not any(day.total for day in self.days):
            self.draw_empty(painter, "Nothing practised in these weeks yet: grades you give will show here.")
            return
        plot = self.plot_rect()
        top, steps = nice_top(max(day.total for day in self.days))
        self.draw_value_axis(painter, plot, top, steps)
        slot = plot.width() / len(self.days)
        gap = min(max(slot * 0.2, 1.0), 4.0)
        question_color = self.accent()
        exercise_color = QColor(question_color)
        exercise_color.setAlphaF(0.45)
        painter.setFont(self.small_font())
        for index, day in enumerate(self.days):
            x = plot.left() + index * slot
            if day.day.weekday() == self.first_day:
                painter.setPen(QPen(self.grid_color(), 1))
                painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
                painter.setPen(self.muted_color())
                painter.drawText(QRectF(x + 2, plot.bottom() + 2, 60, self.BOTTOM - 2),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, short_day(day.day))
            base = plot.bottom()
            for count, color in ((day.questions, question_color), (day.exercises, exercise_color)):
                if count:
                    height = plot.height() * count / top
                    painter.fillRect(QRectF(x + gap / 2, base - height, slot - gap, height), color)
                    base -= height
            if day.day == self.today:
                painter.setPen(QPen(self.text_color(), 1, Qt.PenStyle.DotLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(x + gap / 2, plot.top(), slot - gap, plot.height()))


class TopicBars(Chart):
    """Per topic: practised share as a bar coloured by the average grade, with the numbers beside it."""

    ROW = 26

    def __init__(self) -> None:
        super().__init__(80)
        self.rows: tuple[TopicCoverage, ...] = ()

    def set_data(self, rows: tuple[TopicCoverage, ...]) -> None:
        self.rows = rows
        self._height = max(len(rows) * self.ROW + 8, 40)
        self.setMinimumHeight(self._height)
        self.updateGeometry()
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: ANN001, N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.rows:
            self.draw_empty(painter, "No topics in the bank.")
            return
        label_width = min(self.width() * 0.34, 260)
        value_width = 170
        bar_left = label_width + 8
        bar_width = max(self.width() - bar_left - value_width - 8, 40)
        track = self.grid_color()
        for index, row in enumerate(self.rows):
            y = 4 + index * self.ROW
            painter.setPen(self.text_color())
            painter.setFont(self.font())
            label = painter.fontMetrics().elidedText(row.title, Qt.TextElideMode.ElideRight, int(label_width))
            painter.drawText(QRectF(0, y, label_width, self.ROW - 4),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            bar = QRectF(bar_left, y + 5, bar_width, self.ROW - 14)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            painter.drawRoundedRect(bar, 3, 3)
            if row.practised:
                fill = rating_color(row.average_grade) if row.average_grade is not None else self.accent()
                painter.setBrush(fill)
                painter.drawRoundedRect(QRectF(bar.left(), bar.top(), max(bar.width() * row.share, 4), bar.height()),
                                        3, 3)
            grade = ""
            if row.average_grade is not None:
                grade = f" · avg {row.average_grade:.1f} {RATING_NAMES[nearest_rating(row.average_grade)]}"
            painter.setPen(self.muted_color())
            painter.setFont(self.small_font())
            painter.drawText(QRectF(bar.right() + 8, y, value_width, self.ROW - 4),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             f"{row.practised}/{row.total}{grade}")


class GradeWeeks(Chart):
    """Grades given per week, stacked by rating (Again at the bottom), with a legend."""

    def __init__(self) -> None:
        super().__init__(180)
        self.weeks: tuple[WeekGrades, ...] = ()

    def set_data(self, weeks: tuple[WeekGrades, ...]) -> None:
        self.weeks = weeks
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: ANN001, N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not any(sum(week.counts) for week in self.weeks):
            self.draw_empty(painter, "No question grades in these weeks yet.")
            return
        plot = self.plot_rect().adjusted(0, 16, 0, 0)
        top, steps = nice_top(max(sum(week.counts) for week in self.weeks))
        self.draw_value_axis(painter, plot, top, steps)
        colors = RATING_COLORS[is_dark()]
        painter.setFont(self.small_font())
        x = plot.left()
        for rating, name in RATING_NAMES.items():  # legend across the top
            painter.fillRect(QRectF(x, 2, 10, 10), QColor(colors[rating - 1]))
            painter.setPen(self.muted_color())
            painter.drawText(QPointF(x + 14, 11), name)
            x += 14 + painter.fontMetrics().horizontalAdvance(name) + 14
        slot = plot.width() / len(self.weeks)
        label_every = max(1, round(len(self.weeks) / 8))
        for index, week in enumerate(self.weeks):
            left = plot.left() + index * slot + slot * 0.15
            base = plot.bottom()
            for rating, count in enumerate(week.counts):
                if count:
                    height = plot.height() * count / top
                    painter.fillRect(QRectF(left, base - height, slot * 0.7, height), QColor(colors[rating]))
                    base -= height
            if index % label_every == 0:
                painter.setPen(self.muted_color())
                painter.drawText(QRectF(plot.left() + index * slot, plot.bottom() + 2, slot * label_every,
                                        self.BOTTOM - 2),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, short_day(week.start))


class RoundScores(Chart):
    """Round scores (0-100 %) in the order the rounds were played."""

    def __init__(self) -> None:
        super().__init__(170)
        self.points: tuple[RoundPoint, ...] = ()

    def set_data(self, points: tuple[RoundPoint, ...]) -> None:
        self.points = points
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: ANN001, N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.points:
            self.draw_empty(painter, "No scored mock rounds yet (Round → New mock round…).")
            return
        plot = self.plot_rect().adjusted(6, 0, -6, 0)
        self.draw_value_axis(painter, plot, 100.0, (25.0, 50.0, 75.0, 100.0), "%")
        count = len(self.points)
        step = plot.width() / max(count - 1, 1)
        positions = [
            QPointF(plot.left() + (index * step if count > 1 else plot.width() / 2),
                    plot.bottom() - plot.height() * min(max(point.score, 0.0), 100.0) / 100.0)
            for index, point in enumerate(self.points)
        ]
        path = QPainterPath(positions[0])
        for position in positions[1:]:
            path.lineTo(position)
        painter.setPen(QPen(self.accent(), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setBrush(self.accent())
        for position in positions:
            painter.drawEllipse(position, 3.5, 3.5)
        painter.setPen(self.muted_color())
        painter.setFont(self.small_font())
        label_every = max(1, round(count / 8))
        for index, point in enumerate(self.points):
            if index % label_every == 0 or index == count - 1:
                x = min(max(positions[index].x(), 30.0), self.width() - 30.0)  # keep end labels inside
                painter.drawText(QRectF(x - 30, plot.bottom() + 2, 60, self.BOTTOM - 2),
                                 Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, short_day(point.day))


class Tile(QFrame):
    """A headline number with a caption."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel()
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.value.setFont(font)
        self.caption = QLabel(caption)
        self.detail = QLabel()
        mute(self.detail)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)

    def set(self, value: str, detail: str) -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.setAccessibleName(f"{self.caption.text()}: {value}, {detail}")


class StatsPage(QWidget):
    leave = Signal()

    def __init__(self, study: Study) -> None:
        super().__init__()
        self.study = study
        title = QLabel("Statistics")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        self.weeks = QComboBox()
        self.weeks.addItems([f"Last {weeks} weeks" for weeks in WEEK_CHOICES])
        self.weeks.setCurrentIndex(1)
        self.weeks.setAccessibleName("Period")
        self.weeks.currentIndexChanged.connect(self.refresh)
        back = QPushButton("Back to browsing")
        back.clicked.connect(self.leave)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.weeks)
        header.addWidget(back)

        self.streak = Tile("Streak")
        self.week = Tile("This week")
        self.reviews = Tile("Grades given")
        self.time = Tile("Time spent")
        tiles = QGridLayout()
        for column, tile in enumerate((self.streak, self.week, self.reviews, self.time)):
            tiles.addWidget(tile, 0, column)

        self.daily = DailyBars()
        self.coverage = TopicBars()
        self.grades = GradeWeeks()
        self.rounds = RoundScores()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(header)
        layout.addLayout(tiles)
        for caption, chart in (
            ("Questions practised per day (lighter: exercises)", self.daily),
            ("Coverage per topic: share practised, coloured by average latest grade", self.coverage),
            ("Grades per week", self.grades),
            ("Mock round scores", self.rounds),
        ):
            label = QLabel(f"<b>{caption}</b>")
            label.setContentsMargins(0, 10, 0, 2)
            layout.addWidget(label)
            chart.setAccessibleName(caption)
            layout.addWidget(chart)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.statistics: Statistics | None = None

    def refresh(self) -> None:
        stats = self.study.statistics(WEEK_CHOICES[self.weeks.currentIndex()])
        self.statistics = stats
        self.streak.set(f"{stats.current_streak} day{'s' if stats.current_streak != 1 else ''}",
                        f"best {stats.best_streak}")
        self.week.set(f"{stats.this_week} practised", f"last week {stats.last_week}")
        self.reviews.set(str(stats.total_reviews), "questions, rounds and exercises")
        total = (stats.seconds_drafting + stats.seconds_in_rounds) / 60
        self.time.set(minutes_text(total),
                      f"drafting {minutes_text(stats.seconds_drafting / 60)} · rounds "
                      f"{minutes_text(stats.seconds_in_rounds / 60)}")
        self.daily.set_data(stats.days, stats.today, stats.first_day_of_week)
        self.coverage.set_data(stats.coverage)
        self.grades.set_data(stats.weeks)
        self.rounds.set_data(stats.rounds)
