"""The right-hand question view: prompt, my draft and notes, and the model answer with its rubric."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.bank import QuestionDetail
from ..core.render import escape
from ..core.study import RATING_NAMES, Study, rating_for_fraction
from .browser import SafeBrowser
from .draft_editor import DraftEditor
from .history_dialog import HistoryDialog
from .text_zoom import ZOOM
from .theme import difficulty_color


def answer_html(question: QuestionDetail) -> str:
    pitfalls = "".join(f"<li>{item}</li>" for item in question.pitfalls)
    follow_ups = "".join(f"<li>{item}</li>" for item in question.follow_ups)
    return (
        f"<h3>Answer structure</h3><p class='structure'>{escape(question.structure)}</p>"
        f"<h3>Model answer</h3>{question.answer_html}"
        f"<h3>Pitfalls</h3><ul>{pitfalls}</ul>"
        f"<h3>Follow-up questions</h3><ul>{follow_ups}</ul>"
    )


def plain(html_fragment: str) -> str:
    from PySide6.QtGui import QTextDocumentFragment

    return QTextDocumentFragment.fromHtml(html_fragment).toPlainText()


class RubricPanel(QWidget):
    """Key points as checkboxes; ticking suggests a grade, a button stores it."""

    graded = Signal(int, float, list)  # rating, fraction, ticked indexes

    def __init__(self) -> None:
        super().__init__()
        self.points = QListWidget()
        self.points.setWordWrap(True)
        self.points.setSpacing(3)  # wrapped key points need air between them to read as separate items
        self.points.setAccessibleName("Key points to check your answer against")
        # Fusion draws item-view check boxes in near-background colours on dark palettes; an explicit
        # outline in the text colour and a filled box when ticked read in both themes.
        self.points.setStyleSheet(
            "QListWidget::indicator { width: 13px; height: 13px; border: 1px solid palette(text);"
            " border-radius: 2px; }"
            "QListWidget::indicator:checked { background: palette(highlight); }"
        )
        self.points.itemChanged.connect(self._update_summary)
        ZOOM.register(self.points)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.last_grade = QLabel()
        self.last_grade.setWordWrap(True)
        self.last_grade.setAccessibleName("Previous grades")
        buttons = QHBoxLayout()
        self.rating_buttons: dict[int, QPushButton] = {}
        for rating, name in RATING_NAMES.items():
            button = QPushButton(f"{rating} {name}")
            button.setAccessibleName(f"Grade {name}")
            button.setToolTip(f"Save the grade {name} ({rating} of 4)")
            button.clicked.connect(lambda _checked=False, value=rating: self._grade(value))
            self.rating_buttons[rating] = button
            buttons.addWidget(button)
        title = QLabel("<b>Key points</b> — tick what your draft covered, then grade yourself")
        title.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.points, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(self.last_grade)

    def load(self, points: tuple[str, ...]) -> None:
        self.points.blockSignals(True)
        self.points.clear()
        for point in points:
            item = QListWidgetItem(plain(point))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.points.addItem(item)
        self.points.blockSignals(False)
        self._update_summary()

    def ticked(self) -> list[int]:
        return [
            row for row in range(self.points.count())
            if self.points.item(row).checkState() == Qt.CheckState.Checked
        ]

    def fraction(self) -> float:
        return len(self.ticked()) / self.points.count() if self.points.count() else 0.0

    def _update_summary(self) -> None:
        suggested = rating_for_fraction(self.fraction())
        self.summary.setText(
            f"{len(self.ticked())} of {self.points.count()} key points · suggested grade: "
            f"<b>{RATING_NAMES[suggested]}</b>"
        )
        for rating, button in self.rating_buttons.items():
            button.setDefault(rating == suggested)

    def _grade(self, rating: int) -> None:
        self.graded.emit(rating, self.fraction(), self.ticked())


class QuestionView(QWidget):
    practised_changed = Signal(str)
    message = Signal(str)

    def __init__(self, study: Study) -> None:
        super().__init__()
        self.study = study
        self.question: QuestionDetail | None = None

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.meta = QLabel()
        self.meta.setWordWrap(True)
        self.star_button = QPushButton("☆ Star")
        self.star_button.setAccessibleName("Star this question")
        self.star_button.setToolTip("Bookmark this question (S)")
        self.star_button.clicked.connect(self.toggle_star)
        self.practised_button = QPushButton("✓ Mark practised")
        self.practised_button.setAccessibleName("Mark practised")
        self.practised_button.clicked.connect(self.mark_practised)
        header_buttons = QHBoxLayout()
        header_buttons.addWidget(self.meta, 1)
        header_buttons.addWidget(self.star_button)
        header_buttons.addWidget(self.practised_button)

        self.prompt = SafeBrowser("Question prompt")
        self.prompt.setMinimumHeight(60)

        self.draft = DraftEditor("draft", study.draft_session)
        self.notes = DraftEditor("note", study.draft_session)
        for editor in (self.draft, self.notes):
            editor.save_failed.connect(self.message)
        self.draft.history_requested.connect(self.open_history)
        self.work_tabs = QTabWidget()
        self.work_tabs.addTab(self.draft, "My &draft")
        self.work_tabs.addTab(self.notes, "&Notes")
        self.work_tabs.setAccessibleName("Draft and notes")

        self.reveal_button = QPushButton("Reveal model answer  (Space)")
        self.reveal_button.setAccessibleName("Reveal model answer")
        self.reveal_button.clicked.connect(self.reveal)
        hint = QLabel("Try your own answer first: the model answer, its structure and the key points "
                      "stay hidden until you ask.")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder = QWidget()
        placeholder_layout = QVBoxLayout(placeholder)
        placeholder_layout.addStretch(1)
        placeholder_layout.addWidget(hint)
        placeholder_layout.addWidget(self.reveal_button, 0, Qt.AlignmentFlag.AlignCenter)
        placeholder_layout.addStretch(2)

        self.answer = SafeBrowser("Model answer")
        self.rubric = RubricPanel()
        self.rubric.graded.connect(self.save_grade)
        answer_split = QSplitter(Qt.Orientation.Vertical)
        answer_split.addWidget(self.answer)
        answer_split.addWidget(self.rubric)
        answer_split.setStretchFactor(0, 3)
        answer_split.setStretchFactor(1, 2)
        self.answer_stack = QStackedWidget()
        self.answer_stack.addWidget(placeholder)
        self.answer_stack.addWidget(answer_split)
        self._answer_page_for: str | None = None
        self.answer_stack.currentChanged.connect(self._fill_answer_when_shown)

        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.body.addWidget(self.work_tabs)
        self.body.addWidget(self.answer_stack)
        self.body.setChildrenCollapsible(False)
        self.vertical = QSplitter(Qt.Orientation.Vertical)
        self.vertical.addWidget(self.prompt)
        self.vertical.addWidget(self.body)
        self.vertical.setStretchFactor(0, 1)
        self.vertical.setStretchFactor(1, 4)
        self.vertical.setSizes([130, 700])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.title)
        layout.addLayout(header_buttons)
        layout.addWidget(self.vertical, 1)

    def show_question(self, question_id: str) -> None:
        question = self.study.question(question_id)
        if question is None:
            return
        self.question = question
        self.title.setText(question.title)
        self.prompt.set_page(question.prompt_html)
        self.answer_stack.setCurrentIndex(0)
        self._answer_page_for = None  # the hidden answer is laid out when it is revealed, not on every switch
        self.rubric.load(question.key_points)
        self.draft.load(question_id)
        self.notes.load(question_id)
        self._refresh_meta()

    def _fill_answer_when_shown(self, index: int) -> None:
        # Every way of revealing (Space, the button, a theme change) goes through the stack.
        if index == 1 and self.question is not None and self._answer_page_for != self.question.id:
            self.answer.set_page(answer_html(self.question))
            self._answer_page_for = self.question.id

    def _refresh_meta(self) -> None:
        if self.question is None:
            return
        question = self.question
        stats = self.study.store.question_stats(question.id)
        tags = ", ".join(question.tags)
        self.meta.setText(
            f"<span style='color:{difficulty_color(question.difficulty)}'><b>{question.difficulty}</b></span>"
            f" · {escape(question.kind)} · {escape(question.topic_title)} · "
            f"<b>{stats.practised} practised</b>" + (f" · <span class='muted'>{escape(tags)}</span>" if tags else "")
        )
        self.star_button.setText("★ Starred" if stats.starred else "☆ Star")
        self.star_button.setAccessibleName("Remove star" if stats.starred else "Star this question")
        grades = self.study.store.grades(question.id)
        if grades:
            last = grades[-1]
            self.rubric.last_grade.setText(
                f"Last grade: {RATING_NAMES[last.rating]} ({round(last.fraction * 100)}% of key points) "
                f"on {last.graded_at[:10]} · {len(grades)} grade{'s' if len(grades) != 1 else ''} in all"
            )
        else:
            self.rubric.last_grade.setText("Not graded yet.")

    def reveal(self) -> None:
        if self.question is None:
            return
        self.draft.save_now(force_version=bool(self.draft.text().strip()))
        self.answer_stack.setCurrentIndex(1)
        self.answer.setFocus()

    def is_revealed(self) -> bool:
        return self.answer_stack.currentIndex() == 1

    def toggle_star(self) -> None:
        if self.question is None:
            return
        self.study.toggle_star(self.question.id)
        self._refresh_meta()
        self.practised_changed.emit(self.question.id)

    def mark_practised(self) -> None:
        if self.question is None:
            return
        self.study.mark_practised(self.question.id)
        self._refresh_meta()
        self.practised_changed.emit(self.question.id)

    def save_grade(self, rating: int, fraction: float, ticked: list) -> None:
        if self.question is None:
            return
        self.study.grade(self.question.id, rating, fraction, ticked, source="draft")
        self._refresh_meta()
        self.practised_changed.emit(self.question.id)
        self.message.emit(f"Saved grade {RATING_NAMES[rating]} for “{self.question.title}”.")

    def open_history(self) -> None:
        if self.draft.session is None:
            return
        self.draft.save_now()
        dialog = HistoryDialog(self.draft.session.versions(), self)
        if dialog.exec() and dialog.restored_text is not None:
            self.draft.editor.replace_all_undoable(dialog.restored_text)
            self.draft.save_now()

    def save_all(self) -> None:
        self.draft.save_now()
        self.notes.save_now()
