"""The baseline: the smallest PySide6 window, started and measured exactly like the app.

    python tests/benchmarks/minimal_window.py            # start-up: prints ONSITE_FIRST_PAINT <time>
    python tests/benchmarks/minimal_window.py --memory   # prints peak RSS (VmHWM) after the first paint
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("Minimal")
    window.setCentralWidget(QLabel("Hello"))
    window.resize(1440, 900)
    if "--memory" in sys.argv:
        import json

        from tests.benchmarks.qt_probe import paint_fully, peak_rss_mb

        window.show()
        paint_fully(window)
        print(json.dumps({"after_start_mb": peak_rss_mb()}), flush=True)
        return 0
    # The same first-paint hook as the app (desktop/startup_probe.py), so both are timed alike.
    from desktop.startup_probe import exit_after_first_paint

    exit_after_first_paint(window)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
