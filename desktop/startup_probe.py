"""ONSITE_EXIT_AFTER_PAINT=1: print when the main window first painted, then quit (packaging/bench_start.py)."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


class _FirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint and self.parent() is not None:
            self.parent().removeEventFilter(self)
            # After this paint event is handled the frame is flushed; quit on the next loop turn.
            QTimer.singleShot(0, self._done)
        return False

    def _done(self) -> None:
        print(f"ONSITE_FIRST_PAINT {time.time():.6f}", flush=True)
        QApplication.instance().quit()


def exit_after_first_paint(window: QWidget) -> None:
    window.installEventFilter(_FirstPaint(window))
