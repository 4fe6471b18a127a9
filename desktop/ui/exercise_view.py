"""Multiple-choice "choose the best-structured answer" exercises, and the topic page."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..core.bank import ExerciseDetail, TopicInfo
from ..core.render import escape
from ..core.study import TopicProgress
from ..core.vocabulary import OPTION_LETTERS
from .browser import SafeBrowser


def exercise_html(exercise: ExerciseDetail, chosen: str | None) -> str:
    parts = [exercise.stem_html]
    for index, letter in enumerate(OPTION_LETTERS):
        verdict = ""
        if chosen:
            if letter == exercise.best:
                verdict = " <span style='color:#2e7d32'><b>✓ best answer</b></span>"
            elif letter == chosen:
                verdict = " <span style='color:#c62828'><b>✗ your choice</b></span>"
        parts.append(f"<h3>Option {letter}{verdict}</h3>{exercise.options[index]}")
        if chosen:
            parts.append(f"<blockquote><p><b>Why {letter}:</b></p>{exercise.explanations[index]}</blockquote>")
    if chosen:
        parts.append(f"<h3>Takeaway structure</h3><p class='structure'>{escape(exercise.takeaway)}</p>")
    return "".join(parts)


def exercise_result_text(exercise: ExerciseDetail, chosen: str) -> str:
    if chosen == exercise.best:
        return f"Right: option {exercise.best} is the best-structured answer."
    return f"Not quite: you chose {chosen}; option {exercise.best} is the best-structured answer."


class ExerciseView(QWidget):
    """Shows one exercise; the user picks an option, then sees every explanation."""

    answered = Signal(str, str)  # exercise id, chosen letter
    reset_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.exercise: ExerciseDetail | None = None
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.position = QLabel()
        self.page = SafeBrowser("Exercise")
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Exercise result")
        self.option_buttons: list[QPushButton] = []
        choices = QHBoxLayout()
        choices.addWidget(QLabel("Your choice:"))
        for letter in OPTION_LETTERS:
            button = QPushButton(f"&{letter}")
            button.setAccessibleName(f"Choose option {letter}")
            button.clicked.connect(lambda _checked=False, value=letter: self._choose(value))
            self.option_buttons.append(button)
            choices.addWidget(button)
        choices.addStretch(1)
        self.retry_button = QPushButton("Try again")
        self.retry_button.setAccessibleName("Try this exercise again")
        self.retry_button.clicked.connect(lambda: self.exercise and self.reset_requested.emit(self.exercise.id))
        choices.addWidget(self.retry_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.position)
        layout.addWidget(self.page, 1)
        layout.addWidget(self.result)
        layout.addLayout(choices)

    def show_exercise(self, exercise: ExerciseDetail, chosen: str | None, position: str) -> None:
        self.exercise = exercise
        self.title.setText(exercise.title)
        self.position.setText(position)
        self.page.set_page(exercise_html(exercise, chosen))
        self.result.setText(exercise_result_text(exercise, chosen) if chosen else "Read all four, then choose.")
        for button in self.option_buttons:
            button.setEnabled(chosen is None)
        self.retry_button.setVisible(chosen is not None)

    def _choose(self, letter: str) -> None:
        if self.exercise is not None:
            self.answered.emit(self.exercise.id, letter)


def topic_page_html(progress: TopicProgress) -> str:
    topic: TopicInfo = progress.topic
    rules = "".join(f"<li><b>{rule}</b> — {why}</li>" for rule, why in topic.rules)
    return (
        f"<h2>{escape(topic.title)}</h2>{topic.description_html}"
        f"<p><b>Progress:</b> {progress.practised} of {topic.question_count} questions practised · "
        f"{progress.exercises_done} / {topic.exercise_count} exercises completed</p>"
        f"<h3>How to structure answers in this topic</h3><ul>{rules}</ul>"
    )


def all_topics_html(topics: list[TopicInfo], practised: int, total: int) -> str:
    items = "".join(
        f"<li><b>{escape(topic.title)}</b> — {topic.question_count} questions, {topic.exercise_count} exercises</li>"
        for topic in topics
    )
    return (
        "<h2>Onsite</h2><p>Pick a topic on the left or a question in the list. Draft your answer first, "
        "then reveal the model answer and grade yourself against its key points.</p>"
        f"<p><b>{practised}</b> of <b>{total}</b> questions practised.</p><ul>{items}</ul>"
        "<p class='muted'>Keys: Ctrl+F search · J/K or arrows move · Space reveals · S stars · R random question · "
        "A–D answer an exercise · Ctrl+= / Ctrl+- text size.</p>"
    )
