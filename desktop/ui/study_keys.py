"""Single-letter study keys for the main window: J/K move, Space reveals, S stars, R draws a question."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

if TYPE_CHECKING:
    from .main_window import MainWindow


OPTION_KEYS = {Qt.Key.Key_A: 0, Qt.Key.Key_B: 1, Qt.Key.Key_C: 2, Qt.Key.Key_D: 3,
               Qt.Key.Key_1: 0, Qt.Key.Key_2: 1, Qt.Key.Key_3: 2, Qt.Key.Key_4: 3}


class StudyKeys(QObject):
    """Single-letter study keys that act only when no text field has focus: J/K move through the
    list in front (questions or exercises), Space reveals, S stars, R opens a random question,
    A–D (or 1–4) answer an exercise."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.KeyPress or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        # Judge by the widget receiving the key: typing into any text field is never a command.
        focus = watched if isinstance(watched, QWidget) else QApplication.focusWidget()
        if focus is None or focus.window() is not self.window:
            return False
        editable = isinstance(focus, (QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox)) or (
            isinstance(focus, QTextEdit) and not focus.isReadOnly()
        )
        key = event.key()
        if editable or (key == Qt.Key.Key_Space and isinstance(focus, QAbstractButton)):
            return False
        window = self.window
        if window._today_page is not None and window.modes.currentWidget() is window._today_page:
            return window._today_page.handle_key(key)
        if window.modes.currentWidget() is not window.splitter:
            return False
        if key in (Qt.Key.Key_J, Qt.Key.Key_K):
            window.move_in_list(1 if key == Qt.Key.Key_J else -1)
        elif key in OPTION_KEYS and window.showing_exercise():
            button = window.exercise_view.option_buttons[OPTION_KEYS[key]]
            if button.isEnabled():  # once answered, "Try again" comes first; the key is still ours, so
                button.click()      # the list's type-ahead does not jump to a title starting with it
        elif key == Qt.Key.Key_Space and window.showing_question():
            window.question_view.reveal()
        elif key == Qt.Key.Key_S and window.showing_question():
            window.question_view.toggle_star()
        elif key == Qt.Key.Key_R and not window.showing_exercise():
            window.show_random_question()
        else:
            return False
        return True
