"""Single-letter study keys for the main window: J/K move, Space reveals, S stars."""

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


class StudyKeys(QObject):
    """Single-letter study keys (J/K, Space, S) that act only when no text field has focus."""

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
        if key == Qt.Key.Key_J:
            window.question_panel.move(1)
        elif key == Qt.Key.Key_K:
            window.question_panel.move(-1)
        elif key == Qt.Key.Key_Space and window.showing_question():
            window.question_view.reveal()
        elif key == Qt.Key.Key_S and window.showing_question():
            window.question_view.toggle_star()
        else:
            return False
        return True
