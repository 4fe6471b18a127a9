"""ONSITE_EXIT_AFTER_PAINT=1: print when the main window first painted and, for a window with a
`ready` signal (the app's: its deferred panes are built), when it was ready; then quit.

Read by packaging/bench_start.py and tests/benchmarks/startup.py.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


class _FirstPaint(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._waits_for_ready = hasattr(window, "ready")
        if self._waits_for_ready:
            window.ready.connect(self._ready)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # After this paint event is handled the frame is flushed; stamp on the next loop turn.
            # This filter is installed last, so it runs first and its stamp precedes deferred work.
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        print(f"ONSITE_FIRST_PAINT {time.time():.6f}", flush=True)
        if not self._waits_for_ready:
            QApplication.instance().quit()

    def _ready(self) -> None:
        print(f"ONSITE_READY {time.time():.6f}", flush=True)
        QTimer.singleShot(0, QApplication.instance().quit)


def exit_after_first_paint(window: QWidget) -> None:
    window.installEventFilter(_FirstPaint(window))
