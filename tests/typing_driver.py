"""Run the real app window in this process and type into a draft, reporting each keystroke.

Used by test_crash_safety: the test kills this process with SIGKILL mid-typing.
Usage: python -m tests.typing_driver BANK DATA_DIR QUESTION_ID
       python -m tests.typing_driver BANK DATA_DIR --round   (types into a running mock round)
"""

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.core.study import Study  # noqa: E402
from desktop.ui.main_window import MainWindow  # noqa: E402


def main() -> None:
    bank, data_dir, question_id = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    app = QApplication([])
    window = MainWindow(Study.open(bank, data_dir))
    window.show()
    if question_id == "--round":
        from desktop.core.rounds import RoundConfig

        window.show_round_setup()
        window.round_page.start(RoundConfig(count=2, seconds=600, per_item=True))
        runner = window.round_page.runner
        print(f"ROUND {runner.active.round_id} {runner.engine.items[0].item_id}", flush=True)
        editor = runner.draft.editor
    else:
        window.question_panel.select(question_id)
        editor = window.question_view.draft.editor
    editor.setFocus()
    words = iter(f"word{index} " for index in range(10_000))

    def type_next() -> None:
        word = next(words)
        QTest.keyClicks(editor, word)
        print(f"{time.monotonic():.3f} {word.strip()}", flush=True)

    timer = QTimer()
    timer.timeout.connect(type_next)
    timer.start(50)
    app.exec()


if __name__ == "__main__":
    main()
