"""The drafting widgets: autosave, preview, history restore, safety with hostile or huge input."""

import time

from PySide6.QtCore import Qt

from desktop.ui.draft_editor import AUTOSAVE_MS, PREVIEW_MAX_CHARS
from desktop.ui.history_dialog import HistoryDialog


def open_question(window, question_id="zero-stages"):
    window.question_panel.select(question_id)
    return window.question_view.draft


def test_autosave_within_a_second_of_typing(window, qtbot):
    draft = open_question(window)
    draft.editor.setFocus()
    qtbot.keyClicks(draft.editor, "Shard the optimizer states")
    started = time.monotonic()
    qtbot.waitUntil(lambda: window.study.store.draft("zero-stages")[0] == "Shard the optimizer states", timeout=1500)
    assert time.monotonic() - started < 1.0 + AUTOSAVE_MS / 1000
    assert "saved" in draft.status.text()


def test_switching_question_saves_immediately(window, qtbot):
    draft = open_question(window)
    draft.editor.setFocus()
    qtbot.keyClicks(draft.editor, "unsaved yet")
    window.question_panel.select("kv-cache-memory")
    assert window.study.store.draft("zero-stages")[0] == "unsaved yet"
    assert draft.text() == ""
    window.question_panel.select("zero-stages")
    assert draft.text() == "unsaved yet"


def test_closing_the_window_saves(window, qtbot):
    draft = open_question(window)
    draft.editor.setFocus()
    qtbot.keyClicks(draft.editor, "last words")
    window.close()
    assert window.study.store.draft("zero-stages")[0] == "last words"


def test_notes_autosave_separately(window, qtbot):
    window.question_panel.select("zero-stages")
    notes = window.question_view.notes
    qtbot.keyClicks(notes.editor, "note to self")
    notes.save_now()
    assert window.study.store.note("zero-stages") == "note to self"
    assert window.study.store.draft("zero-stages")[0] == ""


def test_preview_renders_highlighted_code(window, qtbot):
    draft = open_question(window)
    draft.editor.setPlainText("# Plan\n\n```python\nimport torch\n```")
    qtbot.waitUntil(lambda: "import torch" in draft.preview.toPlainText(), timeout=2000)
    assert "highlight" in draft.preview.toHtml() or "import" in draft.preview.toHtml()


def test_a_saved_draft_is_previewed_when_its_question_opens(window, study, qtbot):
    study.store.save_draft("kv-cache-memory", "Per token: **2 × layers × hidden × bytes**.", 10.0, True, 7)
    window.show_home()  # the question pane is hidden when the question is chosen
    window.question_panel.select("kv-cache-memory")
    assert window.showing_question()
    assert "Per token: 2 × layers" in window.question_view.draft.preview.toPlainText()


def test_preview_modes(window):
    draft = open_question(window)
    draft.set_mode(1)
    assert draft.editor.isVisible() and not draft.preview.isVisible()
    draft.set_mode(2)
    assert not draft.editor.isVisible() and draft.preview.isVisible()
    draft.set_mode(0)
    assert draft.editor.isVisible() and draft.preview.isVisible()


def test_tab_indents_and_shift_tab_dedents(window, qtbot):
    draft = open_question(window)
    draft.editor.setFocus()
    qtbot.keyClick(draft.editor, Qt.Key.Key_Tab)
    qtbot.keyClicks(draft.editor, "x = 1")
    assert draft.text() == "    x = 1"
    draft.editor.selectAll()
    qtbot.keyClick(draft.editor, Qt.Key.Key_Backtab)
    assert draft.text() == "x = 1"


def test_hostile_markdown_is_inert(window, qtbot):
    draft = open_question(window)
    draft.editor.setPlainText('<script>alert(1)</script>\n\n![x](http://example.com/a.png) [y](javascript:evil())')
    qtbot.waitUntil(lambda: "alert" in draft.preview.toPlainText(), timeout=2000)
    html = draft.preview.toHtml()
    assert "javascript:" not in html
    assert "<img" not in html


def test_huge_paste_keeps_the_window_responsive(window, qtbot):
    draft = open_question(window)
    big = ("word " * 20 + "\n") * 10_500  # about 1 MB
    started = time.monotonic()
    draft.editor.setPlainText(big)
    draft.refresh_preview()
    assert time.monotonic() - started < 5  # generous: the point is no multi-second freeze on the UI thread
    qtbot.waitUntil(lambda: "first 200,000 characters" in draft.preview.toPlainText(), timeout=15000)
    assert len(draft.preview.toPlainText()) < PREVIEW_MAX_CHARS + 1000
    draft.save_now()
    assert len(window.study.store.draft("zero-stages")[0]) == len(big)


def test_history_restore_is_undoable(window, qtbot, monkeypatch):
    draft = open_question(window)
    first = " ".join(f"alpha{i}" for i in range(30))
    second = " ".join(f"beta{i}" for i in range(30))
    draft.editor.setPlainText(first)
    draft.save_now()
    draft.editor.setPlainText(second)
    draft.save_now()
    versions = draft.session.versions()
    assert [version.text for version in versions] == [second, first]

    dialog = HistoryDialog(versions)
    qtbot.addWidget(dialog)
    dialog.list.setCurrentRow(1)
    assert "alpha0" in dialog.preview.toPlainText()
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: (self.list.setCurrentRow(1), self._restore(), 1)[-1])
    window.question_view.open_history()
    assert draft.text() == first
    draft.editor.undo()
    assert draft.text() == second


def test_save_failure_warns_and_keeps_text(window, qtbot):
    draft = open_question(window)
    window.study.store._db.execute("PRAGMA query_only = ON")
    draft.editor.setFocus()
    qtbot.keyClicks(draft.editor, "do not lose me")
    draft.save_now()
    assert window.banner.isVisibleTo(window)
    assert "cannot be saved" in window.banner.text() or "failed" in window.banner.text().lower()
    assert draft.text() == "do not lose me"
    assert "NOT SAVED" in draft.status.text()
    window.study.store._db.execute("PRAGMA query_only = OFF")
    draft.save_now()
    assert not window.banner.isVisibleTo(window)
    assert window.study.store.draft("zero-stages")[0] == "do not lose me"
