"""The real main window, driven like a user would: filter, search, select, reveal, star, practise."""

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from desktop.core.study import Study
from desktop.ui.main_window import MainWindow


def titles(window):
    return [row.title for row in window.question_panel.model.rows]


def select_topic(window, title):
    for row in range(window.topic_list.count()):
        if window.topic_list.item(row).text().startswith(title):
            window.topic_list.setCurrentRow(row)
            return
    raise AssertionError(title)


def test_topics_show_counts(window):
    texts = [window.topic_list.item(row).text() for row in range(window.topic_list.count())]
    assert texts == ["All topics (6)", "Serving (3)", "Training (3)"]


def test_filters_narrow_the_list(window, qtbot):
    assert len(titles(window)) == 6
    select_topic(window, "Serving")
    assert len(titles(window)) == 3
    window.question_panel.difficulty.setCurrentText("Hard")
    assert titles(window) == ["Autoscaling an inference fleet"]
    window.question_panel.difficulty.setCurrentIndex(0)
    window.question_panel.kind.setCurrentText("Technical")
    assert set(titles(window)) == {"Dynamic batching for GPU serving", "KV cache memory arithmetic"}
    window.question_panel.sort.setCurrentText("Title")
    assert titles(window) == ["Dynamic batching for GPU serving", "KV cache memory arithmetic"]


def test_search_as_you_type_highlights(window, qtbot):
    qtbot.keyClicks(window.question_panel.search, "pipeline bub")
    qtbot.waitUntil(lambda: titles(window) == ["Pipeline parallel bubbles"], timeout=2000)
    assert '<b class="match">' in window.question_panel.model.rows[0].snippet_html
    assert window.question_panel.count_label.text() == "1 question"


def test_ctrl_f_focuses_search(window, qtbot):
    window.topic_list.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.question_panel.search.hasFocus()


def test_select_reveal_star_and_practise(window, qtbot):
    window.question_panel.select("zero-stages")
    assert window.showing_question()
    view = window.question_view
    assert view.title.text() == "ZeRO stages and when to use each"
    assert not view.is_revealed()
    view.reveal_button.click()
    assert view.is_revealed()
    assert "ZeRO shards optimizer states" in view.answer.toPlainText()
    assert view.rubric.points.count() == 5
    view.star_button.click()
    assert "Starred" in view.star_button.text()
    view.practised_button.click()
    view.practised_button.click()
    assert "2 practised" in view.meta.text()
    row = next(row for row in window.question_panel.model.rows if row.id == "zero-stages")
    assert row.practised == 2 and row.starred


def test_keyboard_moves_reveals_and_stars(window, qtbot):
    window.question_panel.view.setFocus()
    qtbot.keyClick(window.question_panel.view, Qt.Key.Key_J)
    first = window.question_panel.current_id()
    assert first is not None
    qtbot.keyClick(window.question_panel.view, Qt.Key.Key_J)
    assert window.question_panel.current_id() != first
    qtbot.keyClick(window.question_panel.view, Qt.Key.Key_K)
    assert window.question_panel.current_id() == first
    qtbot.keyClick(window.question_panel.view, Qt.Key.Key_Space)
    assert window.question_view.is_revealed()
    window.question_panel.view.setFocus()
    qtbot.keyClick(window.question_panel.view, Qt.Key.Key_S)
    assert window.study.store.question_stats(first).starred


def test_space_types_in_the_editor_instead_of_revealing(window, qtbot):
    window.question_panel.select("zero-stages")
    editor = window.question_view.draft.editor
    editor.setFocus()
    qtbot.keyClicks(editor, "a b")
    assert editor.toPlainText() == "a b"
    assert not window.question_view.is_revealed()


def restart(window, study, bank_path, data_dir, qtbot):
    """Quit the app and start it again on the same data: (new window, its study)."""
    window.close()
    study.store.close()
    reopened = Study.open(bank_path, data_dir)
    second = MainWindow(reopened)
    qtbot.addWidget(second)
    second.show()
    return second, reopened


def test_status_filter_and_state_survive_restart(window, study, bank_path, data_dir, qtbot):
    window.question_panel.select("kv-cache-memory")
    window.question_view.practised_button.click()
    window.question_view.star_button.click()
    window.splitter.setSizes([300, 300, 800])
    sizes = window.splitter.sizes()
    second, reopened = restart(window, study, bank_path, data_dir, qtbot)
    second.question_panel.status.setCurrentText("Starred")
    assert titles(second) == ["KV cache memory arithmetic"]
    assert second.question_panel.model.rows[0].practised == 1
    second.question_panel.status.setCurrentText("New")
    assert "KV cache memory arithmetic" not in titles(second)
    assert second.size() == window.size()
    assert second.splitter.sizes() == sizes
    qtbot.waitUntil(second.is_ready)
    second.close()
    reopened.close()


def test_grading_stores_every_grade(window, qtbot):
    window.question_panel.select("dynamic-batching")
    view = window.question_view
    view.reveal()
    for row in range(4):
        view.rubric.points.item(row).setCheckState(Qt.CheckState.Checked)
    assert "Good" in view.rubric.summary.text()
    view.rubric.rating_buttons[3].click()
    view.rubric.rating_buttons[4].click()
    grades = window.study.store.grades("dynamic-batching")
    assert [grade.rating for grade in grades] == [3, 4]
    assert grades[0].fraction == 0.8
    assert grades[0].ticked == (0, 1, 2, 3)
    assert "2 grades" in view.rubric.last_grade.text()


def test_exercise_answer_shows_explanations_and_persists(window, qtbot):
    select_topic(window, "Serving")
    window.middle_tabs.setCurrentIndex(1)
    assert window.exercise_progress.text() == "0 / 2 completed"
    window.exercise_list.setCurrentRow(0)
    assert window.showing_exercise()
    view = window.exercise_view
    assert "Because of reason" not in view.page.toPlainText()
    view.option_buttons[0].click()  # A, but B is best
    assert "option B is the best" in view.result.text()
    assert "Because of reason C" in view.page.toPlainText()
    assert window.exercise_progress.text() == "1 / 2 completed"
    assert window.study.store.exercise_answers()["ex-serving-one"] == ("A", False)
    assert not view.option_buttons[1].isEnabled()
    view.retry_button.click()
    assert view.option_buttons[1].isEnabled()


def test_exercise_keys_move_through_exercises_and_answer(window, qtbot):
    select_topic(window, "Serving")
    window.middle_tabs.setCurrentIndex(1)
    window.exercise_list.setCurrentRow(0)
    window.exercise_list.setFocus()
    assert window.showing_exercise() and window.exercise_view.exercise.id == "ex-serving-one"
    qtbot.keyClick(window.exercise_list, Qt.Key.Key_J)  # J/K follow the list in front: the exercises
    assert window.exercise_view.exercise.id == "ex-serving-two"
    qtbot.keyClick(window.exercise_list, Qt.Key.Key_D)  # D is best for ex-serving-two
    assert window.study.store.exercise_answers()["ex-serving-two"] == ("D", True)
    qtbot.keyClick(window.exercise_list, Qt.Key.Key_A)  # answered: another letter changes nothing
    assert window.study.store.exercise_answers()["ex-serving-two"] == ("D", True)
    assert window.exercise_view.exercise.id == "ex-serving-two"
    qtbot.keyClick(window.exercise_list, Qt.Key.Key_K)
    assert window.exercise_view.exercise.id == "ex-serving-one"
    qtbot.keyClick(window.exercise_list, Qt.Key.Key_2)  # 1-4 work as A-D
    assert window.study.store.exercise_answers()["ex-serving-one"] == ("B", True)
    window.middle_tabs.setCurrentIndex(0)
    before = window.question_panel.current_id()
    qtbot.keyClick(window.question_panel.view, Qt.Key.Key_J)
    assert window.question_panel.current_id() != before and window.showing_question()


def test_search_narrows_the_exercise_list_too(window, qtbot):
    window.question_panel.search.setText("ex-serving-two")
    qtbot.waitUntil(lambda: window.exercise_list.count() == 1)
    assert "1 exercise match" in window.exercise_progress.text()
    assert window.middle_tabs.tabText(1) == "E&xercises 0/1"
    window.question_panel.search.clear()
    qtbot.waitUntil(lambda: window.exercise_list.count() == 3)
    assert window.exercise_progress.text() == "0 / 3 completed"


def test_topic_page_shows_guide_and_progress(window):
    select_topic(window, "Training")
    text = window.home.toPlainText()
    assert "Start from the budget" in text
    assert "0 of 3 questions practised" in text


def test_question_and_exercise_panes_are_built_after_the_first_paint(study, qtbot):
    eager = MainWindow(study)
    qtbot.addWidget(eager)
    assert eager._question_view is None and eager._exercise_view is None  # not in the first frame
    eager.question_panel.select("zero-stages")  # asked for before the first paint: built on demand
    assert eager.showing_question() and eager.question_view.question.id == "zero-stages"

    window = MainWindow(study)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=5000):
        window.show()
    assert window._question_view is not None and window._exercise_view is not None
    assert window.is_ready()
    eager.close()
    window.close()


def test_question_rows_wrap_long_titles_and_show_snippets_only_when_searching(window, qtbot):
    from PySide6.QtWidgets import QStyleOptionViewItem

    from desktop.core.study import QuestionRow

    delegate = window.question_panel.view.itemDelegate()
    option = QStyleOptionViewItem()
    option.font = window.question_panel.view.font()
    option.rect.setWidth(260)

    def height(row: QuestionRow) -> int:
        window.question_panel.model.set_rows([row])
        return delegate.sizeHint(option, window.question_panel.model.index(0)).height()

    short = QuestionRow("a", "t", "Short", "Easy", "Technical", 0, False)
    long = QuestionRow("b", "t", "A much longer question title that has to wrap onto further lines " * 2,
                       "Hard", "System Design", 2, True)
    assert height(long) >= height(short) + 2 * option.fontMetrics.lineSpacing()
    assert [text for text, _ in delegate_meta(long)] == ["Hard", " · System Design", " · 2 practised", " · ", "new"]

    window.question_panel.search.setText("gradient")
    window.refresh_questions()
    first = window.question_panel.model.rows[0]
    assert first.snippet_html  # search rows carry a highlighted snippet, laid out as rich text
    plain = QuestionRow(first.id, first.topic, first.title, first.difficulty, first.kind, 0, False)
    assert height(first) > height(plain)

    window.question_panel.model.set_rows([short])  # painted directly: the difficulty in its colour
    image = window.question_panel.view.grab().toImage()
    easy_green = {(image.pixelColor(x, y).red(), image.pixelColor(x, y).green(), image.pixelColor(x, y).blue())
                  for x in range(0, 200) for y in range(0, 60)} & {(0x2E, 0x7D, 0x32)}
    assert easy_green


def delegate_meta(row):
    from desktop.ui.question_list import meta_segments

    return meta_segments(row)


def test_a_dark_palette_re_renders_pages_and_rows_dark(window, qtbot):
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    from desktop.core.render import page_css
    from desktop.ui.theme import is_dark

    app = QApplication.instance()
    light = app.palette()
    window.question_panel.select("zero-stages")
    assert not is_dark() and window.question_view.prompt._css == page_css(False)
    dark = QPalette(light)
    for role, color in ((QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.Base, "#181818"),
                        (QPalette.ColorRole.Text, "#e8eaed"), (QPalette.ColorRole.WindowText, "#e8eaed")):
        dark.setColor(role, QColor(color))
    try:
        app.setPalette(dark)
        assert is_dark()
        qtbot.waitUntil(lambda: window.question_view.prompt._css == page_css(True))
        assert window.question_view.question.id == "zero-stages"  # the same question, re-rendered
    finally:
        app.setPalette(light)
    qtbot.waitUntil(lambda: window.question_view.prompt._css == page_css(False))


def zoom_action(window, text):
    menu = window._menus["V&iew"]  # noqa: SLF001 - the window's own menus
    return next(action for action in menu.actions() if action.text() == text)


def test_text_size_follows_the_view_menu_keys_and_wheel_and_survives_restart(
        window, study, bank_path, data_dir, qtbot):
    window.question_panel.select("kv-cache-memory")
    view = window.question_view
    panes = {"prompt": view.prompt, "answer": view.answer, "editor": view.draft.editor,
             "preview": view.draft.preview, "key points": view.rubric.points, "overview": window.home}
    normal = {name: pane.font().pointSizeF() for name, pane in panes.items()}

    zoom_action(window, "&Bigger text").trigger()
    zoom_action(window, "&Bigger text").trigger()
    assert {name: pane.font().pointSizeF() for name, pane in panes.items()} == {
        name: size + 2 for name, size in normal.items()}
    # The page's document lays out in the new size, not just the widget.
    assert view.prompt.document().defaultFont().pointSizeF() == normal["prompt"] + 2
    assert study.store.setting("view.text_zoom") == 2

    # The keyboard works while typing in the editor (Ctrl+-), and Ctrl+wheel over a page.
    view.draft.editor.setFocus()
    qtbot.keyClick(view.draft.editor, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.prompt.font().pointSizeF() == normal["prompt"] + 1
    assert view.draft.editor.toPlainText() == ""  # the shortcut did not type a "-"
    wheel = QWheelEvent(QPointF(20, 20), QPointF(20, 20), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.answer.viewport(), wheel)
    assert view.draft.editor.font().pointSizeF() == normal["editor"] + 2
    assert study.store.setting("view.text_zoom") == 2

    second, reopened = restart(window, study, bank_path, data_dir, qtbot)
    qtbot.waitUntil(second.is_ready)
    assert second.home.font().pointSizeF() == normal["overview"] + 2
    assert second.question_view.prompt.font().pointSizeF() == normal["prompt"] + 2
    zoom_action(second, "&Normal text size").trigger()
    assert second.question_view.prompt.font().pointSizeF() == normal["prompt"]
    assert reopened.store.setting("view.text_zoom") == 0
    second.close()
    reopened.close()


def test_text_size_stays_within_readable_bounds(window):
    for _ in range(40):
        zoom_action(window, "&Smaller text").trigger()
    smallest = window.home.font().pointSizeF()
    assert smallest >= 6
    for _ in range(40):
        zoom_action(window, "&Bigger text").trigger()
    assert window.home.font().pointSizeF() <= 30
    zoom_action(window, "&Normal text size").trigger()


def test_search_finds_my_own_drafts_and_notes(window, qtbot):
    window.question_panel.select("kv-cache-memory")
    qtbot.keyClicks(window.question_view.draft.editor, "The Zanzibar trick halves it, like batching")
    window.question_panel.select("dynamic-batching")
    qtbot.keyClicks(window.question_view.notes.editor, "Ask them about zanzibar timing")
    window.save_drafts()  # what autosave does within a second of typing
    qtbot.keyClicks(window.question_panel.search, "zanzib")
    qtbot.waitUntil(lambda: len(titles(window)) == 2, timeout=2000)
    snippets = {row.id: row.snippet_html for row in window.question_panel.model.rows}
    assert snippets["kv-cache-memory"].startswith("<i>Your draft:</i>")
    assert snippets["dynamic-batching"].startswith("<i>Your notes:</i>")
    assert '<b class="match">Zanzibar</b>' in snippets["kv-cache-memory"]
    # Bank matches keep their ranked place ahead of matches in the user's own words.
    window.question_panel.search.clear()
    qtbot.keyClicks(window.question_panel.search, "batching")
    qtbot.waitUntil(lambda: window.question_panel.search.text() == "batching"
                    and titles(window)[0] == "Dynamic batching for GPU serving"
                    and not window.question_panel.model.rows[0].snippet_html.startswith("<i>"), timeout=2000)
    rows = window.question_panel.model.rows
    assert rows[-1].id == "kv-cache-memory" and rows[-1].snippet_html.startswith("<i>Your draft:</i>")


def test_r_opens_a_random_question_from_the_filtered_list(window, qtbot):
    import random

    window._rng = random.Random(3)  # noqa: SLF001 - a fixed draw
    select_topic(window, "Serving")
    window.question_panel.difficulty.setCurrentText("Hard")
    qtbot.keyClick(window.question_panel.view, Qt.Key.Key_R)
    assert window.question_view.question.id == "autoscaling-inference"  # the only Hard one in Serving
    window.question_panel.difficulty.setCurrentText("Any difficulty")
    window.study.store.mark_practised("dynamic-batching")
    window.refresh_questions()
    window.question_panel.view.setFocus()
    drawn = []
    for _ in range(12):
        qtbot.keyClick(window.question_panel.view, Qt.Key.Key_R)
        drawn.append(window.question_view.question.id)
    # New questions first, never the one already open: the two unpractised ones alternate.
    assert set(drawn) == {"autoscaling-inference", "kv-cache-memory"}
    assert all(first != second for first, second in zip(drawn, drawn[1:], strict=False))
    # Text fields keep the letter: R types into the search box instead of drawing.
    qtbot.keyClick(window.question_panel.search, Qt.Key.Key_R)
    assert window.question_panel.search.text() == "r"
    window.question_panel.search.clear()
    window.question_panel.difficulty.setCurrentText("Any difficulty")
    window.question_panel.search.setText("no such words anywhere")
    qtbot.waitUntil(lambda: titles(window) == [], timeout=2000)
    window.show_random_question()
    assert "nothing to draw" in window.statusBar().currentMessage()
