"""The Today page: what is due for review, new questions up to the daily limit, and the time it takes.

Selecting an item opens it in the usual flow (try, reveal, grade; or choose an exercise option);
a grade takes it out of the queue. The page owns its own question view; the main window saves it
when the page is left and reloads its own view, so one draft is never edited in two places.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ..core.render import escape
from ..core.review import due_labeler, parse_utc
from ..core.study import Study
from .exercise_view import ExerciseView
from .question_list import RowDelegate
from .question_view import QuestionView
from .theme import due_color

ITEM_ROLE = Qt.ItemDataRole.UserRole
META_ROLE = Qt.ItemDataRole.UserRole + 1  # (state label, rest of the meta line)


class QueueDelegate(RowDelegate):
    """A queue row: the title in bold (up to two lines), then the due state in colour and the topic."""

    PAD = 6

    def _title_font(self, option: QStyleOptionViewItem) -> QFont:
        font = QFont(option.font)
        font.setBold(True)
        return font

    def _title_rect(self, option: QStyleOptionViewItem, text: str, width: int) -> QRect:
        metrics = QFontMetrics(self._title_font(option))
        flags = int(Qt.TextFlag.TextWordWrap)
        bound = metrics.boundingRect(QRect(0, 0, max(width, 40), 10_000), flags, text)
        return QRect(0, 0, max(width, 40), min(bound.height(), 2 * metrics.lineSpacing()))

    def sizeHint(self, option, index) -> QSize:  # noqa: ANN001, N802 - Qt API
        width = (option.rect.width() or 320) - 2 * self.PAD
        title = self._title_rect(option, index.data(Qt.ItemDataRole.DisplayRole), width)
        return QSize(width, title.height() + QFontMetrics(option.font).lineSpacing() + 2 * self.PAD + 2)

    def paint(self, painter, option, index) -> None:  # noqa: ANN001 - Qt API
        self.paint_background(painter, option, index)
        selected = self.is_selected(option, index)
        text_color = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        rect = option.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        title = index.data(Qt.ItemDataRole.DisplayRole)
        state, rest = index.data(META_ROLE)
        painter.save()
        painter.setFont(self._title_font(option))
        painter.setPen(text_color)
        title_rect = self._title_rect(option, title, rect.width()).translated(rect.topLeft())
        painter.drawText(title_rect, int(Qt.TextFlag.TextWordWrap), title)
        painter.setFont(option.font)
        metrics = QFontMetrics(option.font)
        y = title_rect.bottom() + 2
        painter.setPen(text_color if selected else due_color(state.lower()))
        painter.drawText(QRect(rect.left(), y, rect.width(), metrics.lineSpacing()), 0, state)
        painter.setPen(text_color)
        offset = metrics.horizontalAdvance(state)
        line = metrics.elidedText(rest, Qt.TextElideMode.ElideRight, max(rect.width() - offset, 10))
        painter.drawText(QRect(rect.left() + offset, y, rect.width() - offset, metrics.lineSpacing()), 0, line)
        painter.restore()


def minutes_text(minutes: float) -> str:
    minutes = round(minutes)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def summary_html(queue) -> str:  # noqa: ANN001 - scheduling.TodayQueue (imported lazily)
    due = queue.due_count
    parts = [f"<b>{due}</b> due", f"<b>{queue.new_questions}</b> new"]
    estimate = "your average drafting time" if queue.estimate_from_drafts else "a default"
    detail = (
        f"{queue.reviewed_today} reviewed today · new questions started today: "
        f"{queue.new_started_today} of {queue.new_limit}"
    )
    return (
        f"<p style='font-size:large'>{' · '.join(parts)} · about <b>{minutes_text(queue.minutes)}</b></p>"
        f"<p><span title='Estimated from {estimate} of {queue.minutes_per_question:.0f} min per question'>"
        f"{escape(detail)}</span></p>"
    )


class TodayPage(QWidget):
    leave = Signal()
    changed = Signal(str)  # an item was graded or answered: lists elsewhere may need refreshing
    message = Signal(str)
    settings_requested = Signal()

    def __init__(self, study: Study) -> None:
        super().__init__()
        self.study = study
        self.queue = None
        self.shown: tuple[str, str] | None = None  # (kind, id) on the right

        title = QLabel("Today")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Today's queue summary")
        self.next_button = QPushButton("Start ▶")
        self.next_button.setAccessibleName("Open the next item in the queue")
        self.next_button.setToolTip("Open the first item still in the queue")
        self.next_button.clicked.connect(self.open_next)
        self.list = QListWidget()
        self.list.setAccessibleName("Today's queue")
        self.list.setWordWrap(True)
        self.list.setItemDelegate(QueueDelegate(self.list))
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.currentItemChanged.connect(self._on_current_changed)
        settings = QPushButton("Settings…")
        settings.setAccessibleName("Review settings")
        settings.clicked.connect(self.settings_requested)
        back = QPushButton("Back to browsing")
        back.clicked.connect(self.leave)
        footer = QHBoxLayout()
        footer.addWidget(settings)
        footer.addStretch(1)
        footer.addWidget(back)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 8, 4, 8)
        left_layout.addWidget(title)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(self.next_button)
        left_layout.addWidget(self.list, 1)
        left_layout.addLayout(footer)

        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setAccessibleName("Today status")
        self.question_view = QuestionView(study)
        self.question_view.practised_changed.connect(self._on_question_changed)
        self.question_view.message.connect(self.message)
        self.exercise_view = ExerciseView()
        self.exercise_view.answered.connect(self._on_exercise_answered)
        self.exercise_view.reset_requested.connect(self._retry_exercise)
        self.right = QStackedWidget()
        for page in (self.empty, self.question_view, self.exercise_view):
            self.right.addWidget(page)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 1000])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    # --- the queue ----------------------------------------------------------------------------

    def refresh(self, reload_shown: bool = False) -> None:
        """Rebuild the queue; `reload_shown` re-reads the open question (it may have changed elsewhere)."""
        self.queue = self.study.today()
        label = due_labeler(self.study.store.clock(), self.study.tz)
        current = self.list.currentItem()
        current_id = current.data(ITEM_ROLE)[1] if current else None
        self.list.blockSignals(True)
        self.list.clear()
        for entry in self.queue.items:
            state = "New" if entry.status == "new" else label(entry.due).capitalize()
            kind = " · exercise" if entry.kind == "exercise" else ""
            item = QListWidgetItem(entry.title)
            item.setData(META_ROLE, (state, f" · {entry.topic_title}{kind}"))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{entry.title}. {state}, {entry.topic_title}{kind}")
            item.setData(ITEM_ROLE, (entry.kind, entry.item_id))
            item.setToolTip(entry.title)
            self.list.addItem(item)
            if entry.item_id == current_id:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self.summary.setText(summary_html(self.queue))
        self.next_button.setEnabled(bool(self.queue.items))
        self.next_button.setText("Next ▶" if self.shown else "Start ▶")
        if self.shown is None or self.right.currentWidget() is self.empty:
            self._show_empty()
        elif reload_shown and self.shown[0] == "question":
            self.question_view.show_question(self.shown[1])

    def _show_empty(self) -> None:
        if self.queue is None:
            return
        if self.queue.items:
            text = ("Pick an item on the left, or press <b>Start</b>.<br>"
                    "Try your answer first, then reveal and grade it.")
        else:
            upcoming = ""
            if self.queue.next_due:
                moment = parse_utc(self.queue.next_due).astimezone(self.study.tz)
                upcoming = f"<br>The next review is due {moment:%A %d %B}."
            text = f"<h2>All done for today.</h2>Nothing is due and today's new questions are started.{upcoming}"
        self.empty.setText(text)
        self.right.setCurrentWidget(self.empty)
        self.shown = None

    def open_next(self) -> None:
        if self.list.count():
            self.list.setCurrentRow(0)
            self._open(self.list.item(0))

    def _on_current_changed(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is not None:
            self._open(item)

    def _open(self, item: QListWidgetItem) -> None:
        kind, item_id = item.data(ITEM_ROLE)
        if self.shown == (kind, item_id):
            return
        self.question_view.save_all()
        if kind == "question":
            self.question_view.show_question(item_id)
            self.right.setCurrentWidget(self.question_view)
        else:
            exercise = self.study.exercise(item_id)
            if exercise is None:
                return
            self.exercise_view.show_exercise(exercise, None, "Exercise review — choose again")
            self.right.setCurrentWidget(self.exercise_view)
        self.shown = (kind, item_id)
        self.next_button.setText("Next ▶")

    # --- grading -------------------------------------------------------------------------------

    def _on_question_changed(self, question_id: str) -> None:
        self.refresh()
        self.changed.emit(question_id)

    def _on_exercise_answered(self, exercise_id: str, letter: str) -> None:
        exercise = self.study.exercise(exercise_id)
        if exercise is None:
            return
        self.study.answer_exercise(exercise, letter)
        self.exercise_view.show_exercise(exercise, letter, "Exercise review")
        self.refresh()
        self.changed.emit(exercise_id)

    def _retry_exercise(self, exercise_id: str) -> None:
        exercise = self.study.exercise(exercise_id)
        if exercise is not None:
            self.exercise_view.show_exercise(exercise, None, "Exercise review — choose again")

    def handle_key(self, key: int) -> bool:
        """Study keys on this page (the main window's key filter passes them on): J/K, Space, S."""
        if key in (Qt.Key.Key_J, Qt.Key.Key_K) and self.list.count():
            row = self.list.currentRow() + (1 if key == Qt.Key.Key_J else -1)
            self.list.setCurrentRow(min(max(row, 0), self.list.count() - 1))
        elif key == Qt.Key.Key_Space and self.right.currentWidget() is self.question_view:
            self.question_view.reveal()
        elif key == Qt.Key.Key_S and self.right.currentWidget() is self.question_view:
            self.question_view.toggle_star()
        else:
            return False
        return True

    def save_all(self) -> None:
        self.question_view.save_all()

    def hideEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        self.save_all()  # leaving the page: the main window's question view may open the same draft
        super().hideEvent(event)
