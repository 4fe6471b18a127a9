"""The File menu's export, backup/restore and question-pack commands, driven through the real window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from desktop.core.study import QuestionFilter
from desktop.ui import export_dialog
from tests.test_packs import make_pack


@pytest.fixture
def messages(monkeypatch):
    """Record message boxes instead of showing them; questions are answered Yes."""
    shown: list[tuple[str, str]] = []

    def record(kind: str):
        def box(_parent, title, text, *_args, **_kwargs):
            shown.append((kind, f"{title}: {text}"))
            return QMessageBox.StandardButton.Yes
        return staticmethod(box)

    for kind in ("information", "warning", "question", "critical"):
        monkeypatch.setattr(QMessageBox, kind, record(kind))
    monkeypatch.setattr(export_dialog, "show_pack_problems",
                        lambda _parent, error: shown.append(("problems", str(error))))
    return shown


def file_menu_texts(window) -> list[str]:
    menu = window.menuBar().actions()[0].menu()
    return [action.text() for action in menu.actions() if not action.isSeparator()]


def test_file_menu_has_the_commands(window):
    assert file_menu_texts(window)[:5] == [
        "&Export…", "&Back up my data…", "&Restore from backup…", "&Import question pack…",
        "&Manage question packs…",
    ]


def test_export_dialog_offers_selections_formats_and_options(window, qtbot):
    dialog = export_dialog.ExportDialog(window.study, window, topic_id="training")
    qtbot.addWidget(dialog)
    assert dialog.selection.currentText() == "Topic: Training"
    assert dialog.format.count() == 5
    dialog.include_answer.setChecked(False)
    selection, fmt, options = dialog.chosen()
    assert selection.topic_id == "training" and fmt == "markdown" and not options.include_answer
    assert options.include_exercises
    dialog.include_exercises.setChecked(False)
    assert not dialog.chosen()[2].include_exercises
    dialog.format.setCurrentIndex(4)
    assert "Anki" in dialog.format.currentText() and not dialog.include_notes.isEnabled()


def test_export_command_writes_the_file(window, tmp_path, monkeypatch, messages):
    window.show_question("dynamic-batching")
    window.question_view.draft.editor.setPlainText("Typed just now, not yet autosaved")
    monkeypatch.setattr(export_dialog.ExportDialog, "exec", lambda self: (
        self.format.setCurrentIndex(2), QDialog.DialogCode.Accepted)[1])
    monkeypatch.setattr(export_dialog, "ask_save_path", lambda *_args: tmp_path / "mine")
    window.export()
    page = (tmp_path / "mine.html").read_text(encoding="utf-8")  # the suffix is added
    assert "Typed just now, not yet autosaved" in page
    assert messages[-1][0] == "information" and "mine.html" in messages[-1][1]
    assert "6 questions and 3 exercises" in messages[-1][1]
    assert window.study.store.setting(export_dialog.LAST_FOLDER_KEY) == str(tmp_path)


def test_export_failure_is_a_message_not_a_crash(window, tmp_path, monkeypatch, messages):
    monkeypatch.setattr(export_dialog.ExportDialog, "exec", lambda self: (
        self.format.setCurrentIndex(2), QDialog.DialogCode.Accepted)[1])
    monkeypatch.setattr(export_dialog, "ask_save_path", lambda *_args: tmp_path / "missing" / "x.html")
    window.export()
    assert messages[-1][0] == "warning" and "does not exist" in messages[-1][1]


def test_backup_then_restore_through_the_window(window, tmp_path, monkeypatch, messages):
    window.show_question("zero-stages")
    window.question_view.notes.editor.setPlainText("note kept in the backup")
    monkeypatch.setattr(export_dialog, "ask_save_path", lambda *_args: tmp_path / "b.onsite-backup")
    window.back_up()
    assert (tmp_path / "b.onsite-backup").is_file() and messages[-1][0] == "information"

    window.question_view.notes.editor.setPlainText("note written later")
    window.question_view.save_all()
    monkeypatch.setattr(export_dialog, "ask_open_path", lambda *_args: tmp_path / "b.onsite-backup")
    window.restore_backup()
    assert messages[-2][0] == "question" and "Restore" in messages[-2][1]
    assert messages[-1][0] == "information" and "previous data was kept" in messages[-1][1]
    assert window.question_view.notes.editor.toPlainText() == "note kept in the backup"
    window.question_view.notes.editor.setPlainText("edits after a restore are saved")
    window.question_view.save_all()
    assert window.study.store.note("zero-stages") == "edits after a restore are saved"


def test_restore_of_a_bad_file_says_so(window, tmp_path, monkeypatch, messages):
    bad = tmp_path / "bad.onsite-backup"
    bad.write_bytes(b"nope" * 100)
    monkeypatch.setattr(export_dialog, "ask_open_path", lambda *_args: bad)
    window.restore_backup()
    assert messages[-1][0] == "warning" and "not an Onsite backup" in messages[-1][1]


def topic_titles(window) -> list[str]:
    return [window.topic_list.item(row).text() for row in range(window.topic_list.count())]


def test_import_and_remove_a_pack_updates_the_window(window, tmp_path, monkeypatch, messages):
    pack = make_pack(tmp_path / "sources")
    monkeypatch.setattr(export_dialog, "ask_pack_source", lambda *_args: pack)
    window.import_pack()
    assert messages[-1][0] == "information" and "imported" in messages[-1][1]
    assert "Vector databases (2)" in topic_titles(window)
    assert topic_titles(window)[0] == "All topics (9)"
    assert [row.id for row in window.study.questions(QuestionFilter(search="HNSW"))] == ["hnsw-recall"]
    assert "hnsw-recall" in [row.id for row in window.question_panel.model.rows]

    dialog = export_dialog.ManagePacksDialog(window.study, window)
    assert dialog.list.count() == 1 and "my-pack" in dialog.list.item(0).text()
    dialog.remove_selected(confirm=False)
    assert dialog.changed and dialog.list.isHidden()
    window.reload_views()
    assert "Vector databases (2)" not in topic_titles(window)


def test_a_broken_pack_lists_its_problems_and_changes_nothing(window, tmp_path, monkeypatch, messages):
    pack = make_pack(tmp_path / "sources")
    (pack / "questions" / "vector-db" / "hnsw-recall.md").write_text("not a question\n")
    (pack / "questions" / "vector-db" / "ivf-pq.md").write_bytes(b"\xff\xfe broken")
    monkeypatch.setattr(export_dialog, "ask_pack_source", lambda *_args: pack)
    before = topic_titles(window)
    window.import_pack()
    kind, text = messages[-1]
    assert kind == "problems" and "hnsw-recall.md:1" in text and "ivf-pq.md:1" in text
    assert topic_titles(window) == before
    assert not Path(window.study.store.path.parent / "packs").exists() or not any(
        (window.study.store.path.parent / "packs").iterdir())
