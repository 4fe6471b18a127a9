"""Guard against a Qt binding that leaks references to None (PySide6 6.12.0 does).

Each void Qt call there drops None's reference count by one; a long session or a ticking
countdown then aborts the interpreter with "deallocating None".
"""

import sys

from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QLabel


def test_void_qt_calls_keep_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    pixmap = QPixmap(8, 8)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("tick")
        label.update()
    painter = QPainter(pixmap)
    for _ in range(500):
        painter.save()
        painter.drawLine(0, 0, 4, 4)
        painter.restore()
    painter.end()
    assert sys.getrefcount(None) - before > -100

