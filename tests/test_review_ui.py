"""Today, statistics and review settings in the real main window (pytest-qt, offscreen)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.core.review import ReviewSettings
from desktop.core.study import Study

REPO = Path(__file__).resolve().parent.parent


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def review_window(qtbot, bank_path: Path, data_dir: Path, clock: Clock):
    from desktop.ui.main_window import MainWindow

    study = Study.open(bank_path, data_dir, clock=clock)
    study.tz = timezone.utc
    main = MainWindow(study)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    qtbot.waitUntil(main.is_ready)
    yield main
    main.close()
    study.close()


def queue_ids(window) -> list[str]:  # noqa: ANN001
    page = window._today_page
    return [page.list.item(row).data(Qt.ItemDataRole.UserRole)[1] for row in range(page.list.count())]


def test_grading_in_today_takes_the_item_out_of_the_queue(qtbot, review_window) -> None:
    window = review_window
    window.study.save_review_settings(ReviewSettings(daily_new_limit=3))
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    page = window._today_page
    assert window.modes.currentWidget() is page
    assert len(queue_ids(window)) == 3
    assert "<b>3</b> new" in page.summary.text() and "18 min" in page.summary.text()

    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    first = queue_ids(window)[0]
    view = page.question_view
    assert page.right.currentWidget() is view and view.question.id == first
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_Space)  # the study keys work on this page too
    assert view.is_revealed()
    view.rubric.points.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(view.rubric.rating_buttons[3], Qt.MouseButton.LeftButton)

    assert first not in queue_ids(window)
    assert len(queue_ids(window)) == 2
    assert "1 reviewed today" in page.summary.text()
    assert view.question.id == first  # the graded answer stays on screen to read
    grades = window.study.store.grades(first)
    assert [(grade.rating, grade.source) for grade in grades] == [(3, "draft")]
    # The browsing list knows the new due date as soon as the page is left.
    window.show_study()
    labels = {row.id: row.due_label for row in window.question_panel.model.rows}
    assert labels[first] == "due in 2 d"


def test_an_exercise_answered_wrong_comes_back_and_is_answered_in_today(qtbot, review_window, clock) -> None:
    window = review_window
    window.study.save_review_settings(ReviewSettings(daily_new_limit=0))
    window.study.answer_exercise(window.study.exercise("ex-training-one"), "C")  # wrong (A is best)
    window.show_today()
    page = window._today_page
    assert queue_ids(window) == []
    assert "All done for today" in page.empty.text() and "Tuesday 04 March" in page.empty.text()

    clock.now += timedelta(days=1)
    window.show_today()
    assert queue_ids(window) == ["ex-training-one"]
    page.list.setCurrentRow(0)
    assert page.right.currentWidget() is page.exercise_view
    qtbot.mouseClick(page.exercise_view.option_buttons[0], Qt.MouseButton.LeftButton)
    assert queue_ids(window) == []
    assert window.study.store.exercise_answers()["ex-training-one"] == ("A", True)
    assert window.exercise_list.count() > 0 and "✓" in window.exercise_progress.text() + "".join(
        window.exercise_list.item(row).text() for row in range(window.exercise_list.count()))


def test_the_question_list_filters_and_sorts_by_due_date(qtbot, review_window) -> None:
    window = review_window
    window.study.grade("zero-stages", 1, 0.0, [], "draft")
    window.refresh_questions()
    panel = window.question_panel
    panel.sort.setCurrentIndex(panel.sort.findText("Due date"))
    assert panel.model.rows[0].id == "zero-stages" and panel.model.rows[0].due_label == "due tomorrow"
    assert "due tomorrow" in panel.model.data(panel.model.index(0), Qt.ItemDataRole.AccessibleTextRole)
    panel.status.setCurrentIndex(panel.status.findText("Due"))
    assert panel.model.rows == []


def test_settings_dialog_saves_and_reschedules(qtbot, review_window, monkeypatch) -> None:
    from desktop.ui import settings_dialog

    window = review_window
    window.study.grade("zero-stages", 3, 0.8, [], "draft")
    seen = {}

    def fake_exec(dialog) -> int:  # noqa: ANN001 - stands in for the user
        seen["before"] = dialog.settings()
        dialog.new_limit.setValue(4)
        dialog.retention.setValue(0.8)
        dialog.first_day.setCurrentIndex(6)
        return 1

    monkeypatch.setattr(settings_dialog.SettingsDialog, "exec", fake_exec)
    window.show_review_settings()
    assert seen["before"] == ReviewSettings()
    assert window.study.review_settings() == ReviewSettings(4, 0.8, 6)
    assert window.study.sync_schedule() == "current"  # the cache was already rebuilt for 0.8


def test_statistics_page_renders_charts(qtbot, review_window, clock) -> None:
    window = review_window
    for offset, question_id in enumerate(["zero-stages", "dynamic-batching", "kv-cache-memory"]):
        clock.now = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc) + timedelta(days=offset)
        window.study.grade(question_id, offset + 1, 0.5, [], "draft")
    window.show_statistics()
    page = window._stats_page
    assert window.modes.currentWidget() is page
    assert page.statistics.total_reviews == 3 and page.streak.value.text() == "3 days"
    for chart in (page.daily, page.coverage, page.grades, page.rounds):
        image = chart.grab().toImage()
        assert not image.isNull() and image.width() > 100 and image.height() >= 40
    # The daily chart paints bars: more than one colour in its picture.
    image = page.daily.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 3
    page.weeks.setCurrentIndex(0)
    assert len(page.statistics.days) == 28


def test_start_up_does_not_load_the_scheduler(bank_path: Path, data_dir: Path) -> None:
    script = textwrap.dedent(
        f"""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        sys.path.insert(0, {str(REPO)!r})
        from pathlib import Path
        from PySide6.QtWidgets import QApplication
        from desktop.core.study import Study
        from desktop.ui.main_window import MainWindow
        app = QApplication([])
        study = Study.open(Path({str(bank_path)!r}), Path({str(data_dir)!r}))
        window = MainWindow(study)
        window.show()
        app.processEvents()
        print("fsrs" in sys.modules, "desktop.ui.stats_view" in sys.modules)
        window.show_today()
        print("fsrs" in sys.modules)
        window.close()
        study.close()
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "True"]
