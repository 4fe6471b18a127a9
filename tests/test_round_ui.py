"""A short round end to end through the real widgets, with a fake clock."""

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.core.rounds import RoundState
from desktop.core.study import Study
from desktop.ui.main_window import MainWindow
from desktop.ui.round_view import countdown_color


class FakeClock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def round_window(qtbot, bank_path, data_dir, clock):
    study = Study.open(bank_path, data_dir, monotonic=clock)
    window = MainWindow(study)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(window.is_ready)
    yield window
    window.round_page.runner.timer.stop()
    window.close()
    study.close()


def advance(window, clock, seconds, step=1.0):
    runner = window.round_page.runner
    for _ in range(int(seconds / step)):
        clock.now += step
        runner.tick()


def test_technical_screen_round_end_to_end(round_window, clock, qtbot, monkeypatch):
    window = round_window
    window.show_round_setup()
    setup = window.round_page.setup
    setup.preset.setCurrentText("Technical screen (4 × 10 min)")
    assert setup.minutes.value() == 10 and setup.per_item.isChecked()
    setup.count.setValue(2)
    assert setup.preset.currentText() == "Custom"
    setup.kind_boxes["Technical"].setChecked(False)
    setup.minutes.setValue(2)
    setup.start_button.click()

    runner = window.round_page.runner
    assert window.round_page.currentWidget() is runner
    assert runner.countdown.text() == "02:00"
    first = runner.engine.items[0].item_id
    qtbot.keyClicks(runner.draft.editor, "my first answer")
    advance(window, clock, 61)
    assert runner.countdown.text() == "00:59"
    assert "left" in runner.notice.text()
    assert countdown_color(59, 120) == "#c62828"
    advance(window, clock, 60)  # time up: submitted as it stands, on to the second
    assert runner.engine.index == 1
    assert runner.engine.items[0].status == "timed_out"
    assert runner.engine.items[0].answer == "my first answer"
    assert window.study.store.draft(first)[0] == "my first answer"

    qtbot.keyClicks(runner.draft.editor, "second")
    advance(window, clock, 10)
    runner.next_button.click()  # submit & finish
    review = window.round_page.review
    assert window.round_page.currentWidget() is review
    assert "score 0%" in review.header.text()
    assert review.items.count() == 2
    assert "my first answer" in review.mine.toPlainText()
    for row in range(review.rubric.points.count()):
        review.rubric.points.item(row).setCheckState(review.rubric.points.item(row).checkState().Checked)
    review.rubric.rating_buttons[4].click()
    assert "score 50%" in review.header.text()
    grades = window.study.store.grades(first)
    assert grades[-1].source == "round" and grades[-1].round_id is not None

    window.round_page.show_history()
    history = window.round_page.history
    assert history.table.rowCount() == 1
    assert history.table.item(0, 3).text() == "50%"
    assert history.table.item(0, 4).text() == "02:11"  # 120 s on the first, 11 s on the second
    history._open(0)
    assert review.read_only
    assert not review.rubric.rating_buttons[4].isEnabled()


def test_strict_round_hides_peek_and_pause(round_window, clock):
    window = round_window
    window.show_round_setup()
    setup = window.round_page.setup
    setup.preset.setCurrentText("System design interview (45 min)")
    assert setup.strict.isChecked() and setup.whole_round.isChecked()
    setup.start_button.click()
    runner = window.round_page.runner
    assert runner.countdown.text() == "45:00"
    assert not runner.peek_button.isVisibleTo(window)
    assert not runner.pause_button.isVisibleTo(window)
    runner.toggle_pause()
    assert runner.engine.state == RoundState.RUNNING


def test_pause_and_peek_in_relaxed_round(round_window, clock):
    window = round_window
    window.show_round_setup()
    window.round_page.setup.preset.setCurrentText("Technical screen (4 × 10 min)")
    window.round_page.setup.count.setValue(1)
    window.round_page.setup.start_button.click()
    runner = window.round_page.runner
    runner.pause_button.click()
    advance(window, clock, 100)
    assert runner.countdown.text() == "10:00"
    assert "PAUSED" in runner.progress.text()
    runner.pause_button.click()
    runner.peek_button.click()
    assert runner.peek.isVisibleTo(window)
    assert "Model answer" in runner.peek.toPlainText()


def test_rapid_fire_exercises_marked_in_review(round_window, clock):
    window = round_window
    window.show_round_setup()
    window.round_page.setup.preset.setCurrentText("Rapid fire (10 exercises × 1 min)")
    window.round_page.setup.start_button.click()
    runner = window.round_page.runner
    assert len(runner.engine.items) == 3  # the fixture bank has three exercises
    assert runner.choices.isVisibleTo(window)
    for _ in range(3):
        exercise = window.study.exercise(runner.engine.items[runner.engine.index].item_id)
        runner.choice_buttons["ABCD".index(exercise.best)].click()
        runner.next_button.click()
    review = window.round_page.review
    assert "score 100%" in review.header.text()
    review.items.setCurrentRow(1)
    assert "best-structured answer" in review.exercise_page.toPlainText()


def test_unfinished_round_is_offered_on_restart(qtbot, bank_path, data_dir, clock, monkeypatch):
    study = Study.open(bank_path, data_dir, monotonic=clock)
    window = MainWindow(study)
    qtbot.addWidget(window)
    window.show_round_setup()
    window.round_page.setup.preset.setCurrentText("Technical screen (4 × 10 min)")
    window.round_page.setup.count.setValue(2)
    window.round_page.setup.start_button.click()
    qtbot.keyClicks(window.round_page.runner.draft.editor, "half an answer")
    advance(window, clock, 30)
    window.close()  # quitting mid-round keeps it resumable
    study.close()

    study = Study.open(bank_path, data_dir, monotonic=clock)
    second = MainWindow(study)
    qtbot.addWidget(second)

    def click_resume(box):
        box.clickedButton = lambda: box.buttons()[0]
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click_resume)
    second.offer_resume()
    runner = second.round_page.runner
    assert second.modes.currentWidget() is second.round_page
    assert runner.engine.state == RoundState.PAUSED
    assert runner.countdown.text() == "09:30"
    assert runner.draft.text() == "half an answer"
    second.close()
    study.close()
