"""One text size for every pane you read or write in (View → Bigger text / Smaller text).

Pages, editors and the key-point list register here when they are built; a change resizes each
from the size it was built with, so a pane that starts larger (the exercise title, the countdown is
not registered) keeps its proportion. The main window persists the step in the user's settings.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from shiboken6 import isValid

if TYPE_CHECKING:  # annotations only: building these Python types at start-up costs time
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QWidget

MIN_STEP, MAX_STEP = -3, 12  # in points, relative to the platform's default size
MIN_POINT_SIZE = 6.0


class TextZoom:
    """The current zoom step and the widgets that follow it."""

    def __init__(self) -> None:
        self.step = 0
        self._widgets: weakref.WeakKeyDictionary[QWidget, float] = weakref.WeakKeyDictionary()
        self._listeners: list[weakref.WeakMethod] = []

    def register(self, widget: QWidget) -> None:
        """Follow the zoom from now on; `widget`'s current font size is its normal size."""
        self._widgets[widget] = widget.font().pointSizeF()
        if self.step:
            self._apply(widget, self._widgets[widget])

    def on_change(self, listener: Callable[[int], None]) -> None:
        """Call the bound method `listener` with each new step while its object lives."""
        self._listeners.append(weakref.WeakMethod(listener))

    def set_step(self, step: int) -> None:
        step = max(MIN_STEP, min(MAX_STEP, int(step)))
        if step == self.step:
            return
        self.step = step
        for widget, base in list(self._widgets.items()):
            self._apply(widget, base)
        self._listeners = [reference for reference in self._listeners if reference() is not None]
        for reference in list(self._listeners):
            listener = reference()
            if listener is not None:
                listener(step)

    def bigger(self) -> None:
        self.set_step(self.step + 1)

    def smaller(self) -> None:
        self.set_step(self.step - 1)

    def reset(self) -> None:
        self.set_step(0)

    def wheel(self, event: QWheelEvent) -> bool:
        """Ctrl+wheel over a registered pane zooms them all; True if the event was used."""
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return False
        delta = event.angleDelta().y()
        if delta:
            self.bigger() if delta > 0 else self.smaller()
        event.accept()
        return True

    def _apply(self, widget: QWidget, base: float) -> None:
        if not isValid(widget):  # its C++ side is gone (a closed dialog)
            return
        font = widget.font()
        font.setPointSizeF(max(MIN_POINT_SIZE, base + self.step))
        widget.setFont(font)


ZOOM = TextZoom()  # one per process, like the application object
