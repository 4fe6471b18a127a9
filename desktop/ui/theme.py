"""Light/dark theme detection and the style sheet for rendered pages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette

from ..core.render import page_css


def is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else Qt.ColorScheme.Unknown
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    # Unknown (older platforms): judge by the window colour of the palette.
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def document_css() -> str:
    return page_css(is_dark())


DIFFICULTY_COLORS = {
    False: {"Easy": "#2e7d32", "Medium": "#a05a00", "Hard": "#c62828"},
    True: {"Easy": "#81c784", "Medium": "#ffb74d", "Hard": "#ef9a9a"},
}


def difficulty_color(difficulty: str) -> str:
    return DIFFICULTY_COLORS[is_dark()].get(difficulty, "#888888")
