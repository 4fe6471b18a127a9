"""Timed mock rounds: set-up, the running round under a countdown, review and history.

All timing and storage live in core (RoundEngine, RoundKeeper); these widgets show state and
forward the user's clicks.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.render import escape, render_markdown
from ..core.round_keeper import ActiveRound
from ..core.rounds import PRESETS, RoundConfig, RoundEngine, RoundState, describe_topics
from ..core.study import RATING_NAMES, Study
from ..core.userstore import UserDataError
from ..core.vocabulary import DIFFICULTIES, KINDS, OPTION_LETTERS
from .browser import SafeBrowser
from .draft_editor import DraftEditor
from .exercise_view import exercise_html, exercise_result_text
from .question_view import RubricPanel, answer_html

TICK_MS = 250
SAVE_EVERY_TICKS = 8  # progress reaches the disk at least every two seconds
CUSTOM = "Custom"


def clock_text(seconds: float) -> str:
    seconds = max(int(round(seconds)), 0)
    minutes, rest = divmod(seconds, 60)
    return f"{minutes:02d}:{rest:02d}"


def countdown_color(remaining: float, budget: float) -> str:
    """Calm blue-grey, amber when a fifth is left, red in the last minute."""
    if remaining <= 60 or remaining <= budget * 0.1:
        return "#c62828"
    if remaining <= budget * 0.2:
        return "#b26a00"
    return "#2f5d8a"


class RoundSetup(QWidget):
    start_requested = Signal(object)  # RoundConfig
    history_requested = Signal()
    back_requested = Signal()

    def __init__(self, study: Study) -> None:
        super().__init__()
        self.preset = QComboBox()
        self.preset.addItems([*PRESETS, CUSTOM])
        self.preset.setAccessibleName("Round preset")
        self.item_type = QComboBox()
        self.item_type.addItems(["Questions (draft an answer)", "Multiple-choice exercises"])
        self.item_type.setAccessibleName("What to practise")
        self.topics = QListWidget()
        self.topics.setAccessibleName("Topics in the round")
        for topic in study.topics():
            item = QListWidgetItem(topic.title)
            item.setData(Qt.ItemDataRole.UserRole, topic.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.topics.addItem(item)
        self.difficulty_boxes = {level: QCheckBox(level) for level in DIFFICULTIES}
        self.kind_boxes = {kind: QCheckBox(kind) for kind in KINDS}
        self.count = QSpinBox()
        self.count.setRange(1, 30)
        self.count.setAccessibleName("Number of items")
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 180)
        self.minutes.setSuffix(" min")
        self.minutes.setAccessibleName("Minutes")
        self.per_item = QRadioButton("per item")
        self.whole_round = QRadioButton("for the whole round")
        timing_group = QButtonGroup(self)
        timing_group.addButton(self.per_item)
        timing_group.addButton(self.whole_round)
        self.strict = QCheckBox("Strict: no peeking at model answers, no pause (like a real interview)")
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        difficulties = QHBoxLayout()
        for box in self.difficulty_boxes.values():
            difficulties.addWidget(box)
        difficulties.addStretch(1)
        kinds = QHBoxLayout()
        for box in self.kind_boxes.values():
            kinds.addWidget(box)
        kinds.addStretch(1)
        timing = QHBoxLayout()
        timing.addWidget(self.minutes)
        timing.addWidget(self.per_item)
        timing.addWidget(self.whole_round)
        timing.addStretch(1)
        # The topic list shows every topic without scrolling; the form keeps its fields at their natural
        # size, so a wide window does not stretch a two-digit spin box across the screen.
        rows = max(self.topics.count(), 1)
        self.topics.setFixedHeight(min(rows, 16) * self.topics.sizeHintForRow(0) + 2 * self.topics.frameWidth() + 4)
        self.topics.setMinimumWidth(max(self.topics.sizeHintForColumn(0) + 48, 360))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("Preset", self.preset)
        form.addRow("Practise", self.item_type)
        form.addRow("Topics (none ticked: all)", self.topics)
        form.addRow("Difficulty (none: any)", difficulties)
        form.addRow("Kind (none: any)", kinds)
        form.addRow("Items", self.count)
        form.addRow("Time", timing)
        form.addRow("", self.strict)

        self.start_button = QPushButton("Start round")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(lambda: self.start_requested.emit(self.config()))
        history = QPushButton("Round history…")
        history.clicked.connect(self.history_requested)
        back = QPushButton("Back to study")
        back.clicked.connect(self.back_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addWidget(history)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        title = QLabel("<h2>New mock round</h2><p>Answer under a visible countdown, then review each answer "
                       "beside the model answer and grade it.</p>")
        title.setWordWrap(True)
        column = QWidget()
        column.setMaximumWidth(820)
        content = QVBoxLayout(column)
        content.setContentsMargins(0, 0, 0, 0)
        content.addWidget(title)
        content.addLayout(form)
        content.addSpacing(8)
        content.addWidget(self.summary)
        content.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(column)
        layout.addStretch(1)

        self.preset.currentTextChanged.connect(self._apply_preset)
        for widget in (self.item_type, self.count, self.minutes):
            signal = widget.currentIndexChanged if isinstance(widget, QComboBox) else widget.valueChanged
            signal.connect(self._mark_custom)
        for box in [*self.difficulty_boxes.values(), *self.kind_boxes.values(), self.per_item, self.strict]:
            box.toggled.connect(self._mark_custom)
        self._applying = False
        self._apply_preset(self.preset.currentText())

    def _apply_preset(self, name: str) -> None:
        if name not in PRESETS:
            return
        config = PRESETS[name]
        self._applying = True
        self.item_type.setCurrentIndex(1 if config.item_type == "exercise" else 0)
        for level, box in self.difficulty_boxes.items():
            box.setChecked(level in config.difficulties)
        for kind, box in self.kind_boxes.items():
            box.setChecked(kind in config.kinds)
        self.count.setValue(config.count)
        self.minutes.setValue(max(int(config.seconds // 60), 1))
        (self.per_item if config.per_item else self.whole_round).setChecked(True)
        self.strict.setChecked(config.strict)
        self._applying = False
        self._update_summary()

    def _mark_custom(self, *_args: object) -> None:
        if not self._applying and self.preset.currentText() != CUSTOM:
            self.preset.blockSignals(True)
            self.preset.setCurrentText(CUSTOM)
            self.preset.blockSignals(False)
        self._update_summary()

    def _update_summary(self) -> None:
        config = self.config()
        total = config.total_seconds(config.count) / 60
        self.summary.setText(f"{config.count} item{'s' if config.count != 1 else ''}, {total:g} minutes in all"
                             + (", strict" if config.strict else ""))

    def config(self) -> RoundConfig:
        topics = tuple(
            self.topics.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.topics.count())
            if self.topics.item(row).checkState() == Qt.CheckState.Checked
        )
        preset = self.preset.currentText()
        return RoundConfig(
            preset=preset,
            item_type="exercise" if self.item_type.currentIndex() == 1 else "question",
            count=self.count.value(),
            topics=topics,
            difficulties=tuple(level for level, box in self.difficulty_boxes.items() if box.isChecked()),
            kinds=tuple(kind for kind, box in self.kind_boxes.items() if box.isChecked()),
            seconds=self.minutes.value() * 60.0,
            per_item=self.per_item.isChecked(),
            strict=self.strict.isChecked(),
        )


class RoundRunner(QWidget):
    """The round in progress. `finished` fires once the round is over (time up or ended)."""

    finished = Signal(int)
    message = Signal(str)

    def __init__(self, study: Study) -> None:
        super().__init__()
        self.study = study
        self.active: ActiveRound | None = None
        self._ticks = 0
        self._chosen: str | None = None

        self.countdown = QLabel("00:00")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown.setAccessibleName("Time left")
        font = self.countdown.font()
        font.setPointSizeF(font.pointSizeF() * 3.2)
        font.setBold(True)
        self.countdown.setFont(font)
        self.progress = QLabel()
        self.progress.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice = QLabel()
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice.setAccessibleName("Round notice")
        self.item_title = QLabel()
        self.item_title.setWordWrap(True)
        title_font = self.item_title.font()
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.2)
        self.item_title.setFont(title_font)
        self.prompt = SafeBrowser("Round item")
        self.draft = DraftEditor("draft", study.draft_session)
        self.draft.save_failed.connect(self.message)
        self.peek = SafeBrowser("Model answer (peek)")
        self.peek.hide()

        self.choice_buttons: list[QPushButton] = []
        choices = QHBoxLayout()
        choices.addWidget(QLabel("Your answer:"))
        for letter in OPTION_LETTERS:
            button = QPushButton(letter)
            button.setCheckable(True)
            button.setAccessibleName(f"Answer {letter}")
            button.clicked.connect(lambda _checked=False, value=letter: self._choose(value))
            self.choice_buttons.append(button)
            choices.addWidget(button)
        choices.addStretch(1)
        self.choices = QWidget()
        self.choices.setLayout(choices)

        self.peek_button = QPushButton("Peek at model answer")
        self.peek_button.setCheckable(True)
        self.peek_button.toggled.connect(self._toggle_peek)
        self.pause_button = QPushButton("Pause")
        self.pause_button.clicked.connect(self.toggle_pause)
        self.skip_button = QPushButton("Skip")
        self.skip_button.clicked.connect(self.skip)
        self.next_button = QPushButton("Submit && next")
        self.next_button.setAccessibleName("Submit and go to the next item")
        self.next_button.clicked.connect(self.submit)
        self.end_button = QPushButton("End round")
        self.end_button.clicked.connect(self.end_round)
        controls = QHBoxLayout()
        for button in (self.peek_button, self.pause_button):
            controls.addWidget(button)
        controls.addStretch(1)
        for button in (self.end_button, self.skip_button, self.next_button):
            controls.addWidget(button)

        work = QSplitter(Qt.Orientation.Horizontal)
        work.addWidget(self.draft)
        work.addWidget(self.peek)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(self.prompt)
        body.addWidget(work)
        body.setStretchFactor(0, 1)
        body.setStretchFactor(1, 3)
        self.work = work
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.countdown)
        layout.addWidget(self.progress)
        layout.addWidget(self.notice)
        layout.addWidget(self.item_title)
        layout.addWidget(body, 1)
        layout.addWidget(self.choices)
        layout.addLayout(controls)

        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)

    # --- life cycle ---------------------------------------------------------------------------

    def run(self, active: ActiveRound) -> None:
        self.active = active
        strict = active.engine.config.strict
        self.peek_button.setVisible(not strict)
        self.pause_button.setVisible(not strict)
        self._show_item()
        self._refresh_clock()
        self.timer.start()

    @property
    def engine(self) -> RoundEngine:
        assert self.active is not None
        return self.active.engine

    def _current_answer(self) -> tuple[str | None, str | None]:
        item = self.engine.items[self.engine.index]
        if item.item_type == "exercise":
            return None, self._chosen
        self.draft.save_now()
        return self.draft.text(), None

    def _save(self) -> None:
        try:
            self.study.rounds.save(self.active)
        except UserDataError as error:
            self.message.emit(str(error))

    def tick(self) -> None:
        if self.active is None:
            return
        before = self.engine.index
        events = self.engine.tick(self._current_answer)
        for event in events:
            if event.kind == "warning":
                self.notice.setText(f"{clock_text(event.remaining)} left")
            elif event.kind == "item_time_up":
                self.notice.setText("Time is up for that one: it was submitted as it stood.")
            elif event.kind == "slept":
                self.notice.setText("The clock skipped (the computer slept?): that time was not counted.")
        self._ticks += 1
        if events or self._ticks % SAVE_EVERY_TICKS == 0:
            self._save()
        if self.engine.is_over():
            self._finish()
            return
        if self.engine.index != before:
            self._show_item()
        self._refresh_clock()

    def _refresh_clock(self) -> None:
        engine = self.engine
        remaining = engine.remaining()
        self.countdown.setText(clock_text(remaining))
        self.countdown.setStyleSheet(f"color: {countdown_color(remaining, engine.budget())};")
        paused = engine.state == RoundState.PAUSED
        self.pause_button.setText("Resume" if paused else "Pause")
        scope = "this item" if engine.config.per_item else "the round"
        self.progress.setText(
            f"Item {engine.index + 1} of {len(engine.items)} · time for {scope}"
            + (" · PAUSED" if paused else "")
        )
        self.countdown.setAccessibleDescription(f"{clock_text(remaining)} left for {scope}")

    def _show_item(self) -> None:
        item = self.engine.items[self.engine.index]
        self._chosen = item.choice
        self.peek_button.setChecked(False)
        if item.item_type == "exercise":
            exercise = self.study.exercise(item.item_id)
            self.item_title.setText(exercise.title if exercise else item.item_id)
            html = exercise.stem_html + "".join(
                f"<h3>Option {letter}</h3>{exercise.options[index]}" for index, letter in enumerate(OPTION_LETTERS)
            ) if exercise else ""
            self.prompt.set_page(html)
            self.draft.load(None)
            self.work.hide()
            self.choices.show()
            self.peek_button.setEnabled(False)
            for button in self.choice_buttons:
                button.setChecked(button.text() == self._chosen)
        else:
            question = self.study.question(item.item_id)
            self.item_title.setText(question.title if question else item.item_id)
            self.prompt.set_page(question.prompt_html if question else "")
            self.peek.set_page(answer_html(question) if question else "")
            self.draft.load(item.item_id)
            self.work.show()
            self.choices.hide()
            self.peek_button.setEnabled(not self.engine.config.strict)
            self.draft.editor.setFocus()
        self.next_button.setText("Submit && finish" if self.engine.index + 1 == len(self.engine.items)
                                 else "Submit && next")

    # --- user actions -------------------------------------------------------------------------

    def _choose(self, letter: str) -> None:
        self._chosen = letter
        for button in self.choice_buttons:
            button.setChecked(button.text() == letter)

    def _toggle_peek(self, shown: bool) -> None:
        self.peek.setVisible(shown and not self.engine.config.strict)

    def toggle_pause(self) -> None:
        if self.engine.state == RoundState.PAUSED:
            self.engine.resume()
        elif self.engine.can_pause():
            self.engine.pause()
        self._save()
        self._refresh_clock()

    def submit(self) -> None:
        answer, choice = self._current_answer()
        self.engine.submit(answer=answer, choice=choice)
        self._after_action()

    def skip(self) -> None:
        answer, _choice = self._current_answer()
        self.engine.skip(answer=answer)
        self._after_action()

    def end_round(self) -> None:
        if QMessageBox.question(self, "End round", "End the round now? Answers so far are kept.") \
                != QMessageBox.StandardButton.Yes:
            return
        answer, choice = self._current_answer()
        self.engine.end_early(answer=answer, choice=choice)
        self._after_action()

    def _after_action(self) -> None:
        self.notice.clear()
        self._save()
        if self.engine.is_over():
            self._finish()
        else:
            self._show_item()
            self._refresh_clock()

    def _finish(self) -> None:
        self.timer.stop()
        self.draft.load(None)
        round_id = self.active.round_id
        self.active = None
        self.finished.emit(round_id)

    def stop_for_quit(self) -> None:
        """On quit mid-round: save the draft and the round so the next start can resume it."""
        if self.active is None:
            return
        self.timer.stop()
        self.draft.save_now()
        if not self.engine.is_over():
            self.engine.tick(self._current_answer)
        self._save()


class RoundReview(QWidget):
    """Question by question: my answer beside the model answer, rubric grading, exercise verdicts."""

    back_requested = Signal()

    def __init__(self, study: Study) -> None:
        super().__init__()
        self.study = study
        self.round_id: int | None = None
        self.engine: RoundEngine | None = None
        self.read_only = False
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.items = QListWidget()
        self.items.setAccessibleName("Round items")
        self.items.setWordWrap(True)  # long titles wrap instead of hiding behind a horizontal scroll bar
        self.items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.items.setSpacing(2)
        self.items.currentRowChanged.connect(self._show)
        self.mine = SafeBrowser("My answer")
        self.model = SafeBrowser("Model answer")
        self.rubric = RubricPanel()
        self.rubric.graded.connect(self._grade)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.model)
        right.addWidget(self.rubric)
        self.compare = QSplitter(Qt.Orientation.Horizontal)
        self.compare.addWidget(self.mine)
        self.compare.addWidget(right)
        self.exercise_page = SafeBrowser("Exercise review")
        self.detail = QStackedWidget()
        self.detail.addWidget(self.compare)
        self.detail.addWidget(self.exercise_page)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.items)
        split.addWidget(self.detail)
        split.setSizes([260, 1000])
        back = QPushButton("Done")
        back.clicked.connect(self.back_requested)
        footer = QHBoxLayout()
        footer.addStretch(1)
        footer.addWidget(back)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.header)
        layout.addWidget(split, 1)
        layout.addLayout(footer)

    def show_round(self, round_id: int, read_only: bool = False) -> None:
        self.round_id = round_id
        self.read_only = read_only
        self.engine = self.study.rounds.load(round_id)
        for button in self.rubric.rating_buttons.values():
            button.setEnabled(not read_only)
        self._refresh()
        self.items.setCurrentRow(0)

    def _refresh(self) -> None:
        engine = self.engine
        grades = self.study.store.round_grades(self.round_id)
        score = self.study.rounds.score(self.round_id)
        used = sum(item.seconds_used for item in engine.items)
        titles = {topic.id: topic.title for topic in self.study.topics()}
        self.header.setText(
            f"<h2>Round review{' (read-only)' if self.read_only else ''}</h2>"
            f"<p>{escape(engine.config.preset)} · {escape(describe_topics(engine.config, titles))} · "
            f"time used {clock_text(used)} · <b>score {score:g}%</b></p>"
        )
        current = self.items.currentRow()
        self.items.blockSignals(True)
        self.items.clear()
        for position, item in enumerate(engine.items):
            if item.item_type == "exercise":
                exercise = self.study.exercise(item.item_id)
                right = exercise is not None and item.choice == exercise.best
                mark = "✓" if right else ("✗" if item.choice else "–")
                title = exercise.title if exercise else item.item_id
            else:
                question = self.study.question(item.item_id)
                grade = grades.get(item.item_id)
                mark = RATING_NAMES[grade.rating] if grade else "to grade"
                title = question.title if question else item.item_id
            self.items.addItem(f"{position + 1}. {title}\n    {mark} · {clock_text(item.seconds_used)} · {item.status}")
        self.items.blockSignals(False)
        if current >= 0:
            self.items.setCurrentRow(current)

    def _show(self, row: int) -> None:
        if self.engine is None or not 0 <= row < len(self.engine.items):
            return
        item = self.engine.items[row]
        if item.item_type == "exercise":
            exercise = self.study.exercise(item.item_id)
            if exercise:
                verdict = exercise_result_text(exercise, item.choice) if item.choice else "Not answered."
                self.exercise_page.set_page(f"<p><b>{escape(verdict)}</b></p>" + exercise_html(
                    exercise, item.choice or exercise.best))
            self.detail.setCurrentIndex(1)
            return
        question = self.study.question(item.item_id)
        if question is None:
            return
        answer = item.answer or ""
        self.mine.set_page(
            f"<h3>My answer</h3>{render_markdown(answer) if answer.strip() else '<p><i>No answer written.</i></p>'}"
        )
        self.model.set_page(f"<h3>{escape(question.title)}</h3>{question.prompt_html}{answer_html(question)}")
        self.rubric.load(question.key_points)
        grade = self.study.store.round_grades(self.round_id).get(item.item_id)
        self.rubric.last_grade.setText(
            f"Graded {RATING_NAMES[grade.rating]} ({round(grade.fraction * 100)}%)" if grade else "Not graded yet."
        )
        self.detail.setCurrentIndex(0)

    def _grade(self, rating: int, fraction: float, ticked: list) -> None:
        if self.read_only or self.engine is None:
            return
        item = self.engine.items[self.items.currentRow()]
        self.study.grade(item.item_id, rating, fraction, ticked, source="round", round_id=self.round_id)
        self.study.rounds.grade(self.round_id)
        self._refresh()
        self._show(self.items.currentRow())


class RoundHistory(QWidget):
    open_requested = Signal(int)
    back_requested = Signal()

    def __init__(self, study: Study) -> None:
        super().__init__()
        self.study = study
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Date", "Preset", "Topics", "Score", "Time used"])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setAccessibleName("Past rounds")
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(lambda row, _column: self._open(row))
        open_button = QPushButton("Open")
        open_button.clicked.connect(lambda: self._open(self.table.currentRow()))
        back = QPushButton("Back")
        back.clicked.connect(self.back_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(QLabel("<h2>Past rounds</h2>"))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._ids: list[int] = []

    def refresh(self) -> None:
        titles = {topic.id: topic.title for topic in self.study.topics()}
        history = self.study.rounds.history()
        self._ids = [summary.round_id for summary in history]
        self.table.setRowCount(len(history))
        for row, summary in enumerate(history):
            values = [
                summary.started_at.replace("T", " ")[:16],
                summary.config.preset,
                describe_topics(summary.config, titles),
                "–" if summary.score is None else f"{summary.score:g}%",
                clock_text(summary.seconds_used),
            ]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def _open(self, row: int) -> None:
        if 0 <= row < len(self._ids):
            self.open_requested.emit(self._ids[row])


class RoundPage(QStackedWidget):
    """Set-up → running → review, plus history; `leave` returns to studying."""

    leave = Signal()
    message = Signal(str)

    def __init__(self, study: Study) -> None:
        super().__init__()
        self.study = study
        self.setup = RoundSetup(study)
        self.runner = RoundRunner(study)
        self.review = RoundReview(study)
        self.history = RoundHistory(study)
        for page in (self.setup, self.runner, self.review, self.history):
            self.addWidget(page)
        self.setup.start_requested.connect(self.start)
        self.setup.history_requested.connect(self.show_history)
        self.setup.back_requested.connect(self.leave)
        self.runner.finished.connect(lambda round_id: self.show_review(round_id))
        self.runner.message.connect(self.message)
        self.review.back_requested.connect(self.show_history)
        self.history.open_requested.connect(lambda round_id: self.show_review(round_id, read_only=True))
        self.history.back_requested.connect(self.show_setup)

    def show_setup(self) -> None:
        self.setCurrentWidget(self.setup)

    def start(self, config: RoundConfig) -> None:
        try:
            active = self.study.rounds.start(config)
        except ValueError as error:
            QMessageBox.information(self, "Cannot start round", str(error))
            return
        self.resume(active)

    def resume(self, active: ActiveRound) -> None:
        self.setCurrentWidget(self.runner)
        self.runner.run(active)

    def is_running(self) -> bool:
        return self.runner.active is not None

    def show_review(self, round_id: int, read_only: bool = False) -> None:
        self.review.show_round(round_id, read_only)
        self.setCurrentWidget(self.review)

    def show_history(self) -> None:
        self.history.refresh()
        self.setCurrentWidget(self.history)
