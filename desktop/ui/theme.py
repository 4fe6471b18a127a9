"""Light/dark theme detection and the style sheet for rendered pages."""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

from ..core.render import page_css


def is_dark() -> bool:
    """Whether the widgets are drawn dark, judged by the application palette's window colour.

    The palette, not the system's colour scheme, is what the widgets around our pages actually
    use: a style that ignores a dark system scheme keeps a light palette, and pages must match.
    """
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def document_css() -> str:
    return page_css(is_dark())


DIFFICULTY_COLORS = {
    False: {"Easy": "#2e7d32", "Medium": "#a05a00", "Hard": "#c62828"},
    True: {"Easy": "#81c784", "Medium": "#ffb74d", "Hard": "#ef9a9a"},
}


def difficulty_color(difficulty: str) -> str:
    return DIFFICULTY_COLORS[is_dark()].get(difficulty, "#888888")


def due_color(label: str) -> str:
    """Colour of a due-date label in lists: overdue and due today stand out, later ones stay quiet."""
    dark = is_dark()
    if label.startswith("overdue"):
        return "#ef9a9a" if dark else "#c62828"
    if label == "due today":
        return "#ffb74d" if dark else "#a05a00"
    return "#9e9e9e" if dark else "#757575"


def mute(widget: QWidget) -> QWidget:
    """Draw a widget's text in a quieter colour (a blend of text and background), in either theme."""
    palette = widget.palette()
    text = palette.color(QPalette.ColorRole.WindowText)
    window = palette.color(QPalette.ColorRole.Window)
    blend = QColor(
        (text.red() * 2 + window.red()) // 3, (text.green() * 2 + window.green()) // 3,
        (text.blue() * 2 + window.blue()) // 3,
    )
    palette.setColor(QPalette.ColorRole.WindowText, blend)
    widget.setPalette(palette)
    return widget
