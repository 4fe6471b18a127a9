"""Exports: Markdown, HTML, PDF and Anki; atomic writes, clear errors, cancel leaves nothing."""

from __future__ import annotations

import errno
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from desktop.core import export
from desktop.core.export import ExportCancelled, ExportError, ExportOptions, Selection, run_export

DRAFT = ("# My plan\n\nBatch **requests** by deadline.\n\n```python\nfor request in queue:\n    batch.append(request)\n"
         "```\n\n<script>alert(1)</script> <img src='http://example.com/track.png'>\n")


@pytest.fixture
def worked(study):
    """A study with some work on dynamic-batching: draft, note, grade, star."""
    study.store.save_draft("dynamic-batching", DRAFT, 30.0, True, 20)
    study.store.save_note("dynamic-batching", "Remember *paged attention*.")
    study.grade("dynamic-batching", 3, 0.8, [0, 1, 2, 3], "draft")
    study.toggle_star("dynamic-batching")
    return study


def answered(study):
    """ex-serving-one answered wrongly (C; B is best), ex-serving-two rightly (D)."""
    for exercise_id, letter in (("ex-serving-one", "C"), ("ex-serving-two", "D")):
        study.answer_exercise(study.exercise(exercise_id), letter)
    return study


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if ".partial" in path.name or ".old" in path.name)


def test_markdown_folder_has_front_matter_sections_and_index(worked, tmp_path):
    target = tmp_path / "vault" / "onsite"
    target.parent.mkdir()
    result = run_export(worked, Selection("all"), "markdown", target)
    assert result.questions == 6 and result.exercises == 3
    text = (target / "serving" / "dynamic-batching.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["topic"] == "Serving" and front["difficulty"] == "Easy" and front["kind"] == "Technical"
    assert front["starred"] is True and front["practised"] == 1
    assert len(front["grades"]) == 1 and "Good" in front["grades"][0] and "80%" in front["grades"][0]
    for heading in ("## Prompt", "## My latest draft", "## My notes", "## My grades", "## Model answer",
                    "### Key points", "### Answer structure"):
        assert heading in text
    assert "Batch **requests** by deadline." in text and "Remember *paged attention*." in text
    index = (target / "index.md").read_text(encoding="utf-8")
    assert "[Dynamic batching for GPU serving](serving/dynamic-batching.md)" in index
    assert index.count("](") == 6 + 3  # the questions, then the exercises
    assert leftovers(target.parent) == []


def test_markdown_options_leave_out_answer_and_draft(worked, tmp_path):
    target = tmp_path / "out"
    run_export(worked, Selection("topic", topic_id="serving", label="Topic: Serving"), "markdown", target,
               ExportOptions(include_answer=False, include_draft=False, include_notes=False))
    text = (target / "serving" / "dynamic-batching.md").read_text(encoding="utf-8")
    assert "## Model answer" not in text and "## My latest draft" not in text and "## My notes" not in text
    assert not (target / "training").exists()


def test_markdown_reexport_replaces_own_folder_but_never_a_foreign_one(worked, tmp_path):
    target = tmp_path / "notes"
    run_export(worked, Selection("all"), "markdown", target)
    run_export(worked, Selection("starred", label="Starred"), "markdown", target)
    assert sorted(path.name for path in target.rglob("*.md")) == ["dynamic-batching.md", "index.md"]
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "precious.txt").write_text("keep me")
    with pytest.raises(ExportError, match="not written by an Onsite export"):
        run_export(worked, Selection("all"), "markdown", foreign)
    assert (foreign / "precious.txt").read_text() == "keep me"


def test_markdown_zip(worked, tmp_path):
    target = tmp_path / "onsite-starred.zip"
    run_export(worked, Selection("starred", label="Starred"), "markdown-zip", target)
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert sorted(names) == ["onsite-starred/index.md", "onsite-starred/serving/dynamic-batching.md"]
        assert "## My latest draft" in archive.read("onsite-starred/serving/dynamic-batching.md").decode()


def test_html_is_self_contained_and_neutralises_my_markup(worked, tmp_path):
    target = tmp_path / "export.html"
    run_export(worked, Selection("all"), "html", target)
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # No external resource of any kind: no tag has a src attribute, no style sheet link, import or url().
    tags = re.findall(r"<[^>]+>", page)
    assert not [tag for tag in tags if re.search(r"\bsrc\s*=", tag, re.IGNORECASE)]
    assert "<link" not in page and "@import" not in page and "url(" not in page
    # Any http(s) inside a tag is a clickable link (href), never something a browser fetches.
    assert all(re.search(r'href="https?://', tag) for tag in tags if "http" in tag and "Content-Security" not in tag)
    assert "&lt;img src=" in page  # my draft's raw <img> shows as text
    assert "<style>" in page and ".highlight .k" in page  # Pygments styles inline
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'class="highlight"' in page
    assert page.count("<article") == 6 + 3 and 'href="#q-dynamic-batching"' in page
    assert "Content-Security-Policy" in page


def test_html_renders_offscreen(worked, tmp_path, qtbot):
    from desktop.ui.browser import SafeBrowser

    target = tmp_path / "export.html"
    run_export(worked, Selection("starred", label="Starred"), "html", target)
    view = SafeBrowser("Export preview")
    qtbot.addWidget(view)
    view.resize(900, 1200)
    view.setHtml(target.read_text(encoding="utf-8"))
    view.show()
    qtbot.waitExposed(view)
    assert "Dynamic batching for GPU serving" in view.toPlainText()
    assert "My latest draft" in view.toPlainText()
    image = view.grab().toImage()
    assert image.width() == 900


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


def test_pdf_has_a_page_per_question_and_a_contents_page(worked, tmp_path, qapp):
    target = tmp_path / "export.pdf"
    run_export(worked, Selection("all"), "pdf", target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    assert pdf_pages(data) >= 1 + 6
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_pdf_text_has_contents_with_page_numbers(worked, tmp_path, qapp):
    answered(worked)
    target = tmp_path / "export.pdf"
    run_export(worked, Selection("topic", topic_id="serving", label="Serving"), "pdf", target)
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")
    assert "Contents" in pages[0]
    # Each question's contents line names the page where its heading really is.
    for title in ("Dynamic batching for GPU", "KV cache memory arithmetic", "Autoscaling an inference",
                  "Exercise ex-serving-two"):
        line = next(line for line in pages[0].splitlines() if title in line)
        number = int(line.split()[-1])
        assert pages[number - 1].lstrip().startswith(title)
    assert "for request in queue:" in text
    assert "Exercises: Serving" in pages[0] and "I chose D (right)." in text
    for number, page in enumerate(pages[:-1], start=1):  # the text after the last form feed is empty
        assert re.search(rf"\b{number}\s*/\s*{len(pages) - 1}$", page.rstrip())  # numbered at its foot


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
def test_pdf_first_page_renders(worked, tmp_path, qapp):
    target = tmp_path / "export.pdf"
    run_export(worked, Selection("all"), "pdf", target)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "2", str(target), str(tmp_path / "page")],
                   check=True)
    from PySide6.QtGui import QImage

    image = QImage(str(next(tmp_path.glob("page-*1.png"))))
    assert not image.isNull() and image.height() > image.width()  # A4 portrait
    colours = {image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, image.height(), 5)}
    assert len(colours) > 4  # text was painted, not a blank page


anki = pytest.importorskip("anki.collection", reason="the test-only `anki` package is not installed")


def import_deck(collection_path: Path, deck: Path) -> tuple:
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition

    collection = Collection(str(collection_path))
    try:
        options = ImportAnkiPackageOptions(
            update_notes=ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS,
            update_notetypes=ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS,
            with_scheduling=False,
        )
        log = collection.import_anki_package(ImportAnkiPackageRequest(package_path=str(deck), options=options)).log
        notes = {}
        for note_id in collection.find_notes(""):
            note = collection.get_note(note_id)
            notes[note["Id"]] = (note.guid, dict(note.items()), sorted(note.tags))
        return log, notes, collection.card_count()
    finally:
        collection.close()


def test_anki_deck_imports_into_a_fresh_collection_and_reexport_updates(worked, tmp_path):
    deck = tmp_path / "onsite.apkg"
    items, _skipped = export.collect(worked, Selection("all"))
    export.export_anki(items, deck, timestamp=1_700_000_000)
    collection = tmp_path / "anki" / "collection.anki2"
    collection.parent.mkdir()
    log, notes, cards = import_deck(collection, deck)
    assert len(log.new) == 6 and cards == 6
    assert all(fields["Title"] for _guid, fields, _tags in notes.values())
    guid, fields, tags = notes["dynamic-batching"]
    assert "How does dynamic batching raise GPU throughput?" in fields["Prompt"]
    assert "Continuous batching" in fields["Model answer"]
    assert "Batch <strong>requests</strong> by deadline." in fields["My draft"]
    assert "<script>" not in fields["My draft"]
    assert fields["Topic"] == "Serving" and fields["Difficulty"] == "Easy"
    assert {"onsite", "topic::serving", "difficulty::easy", "starred"} <= set(tags)

    # A changed draft, exported again (a minute later): the same notes are updated, none duplicated.
    worked.store.save_draft("dynamic-batching", "A **better** answer.", 40.0, True, 3)
    items, _skipped = export.collect(worked, Selection("all"))
    export.export_anki(items, deck, timestamp=1_700_000_060)
    log, notes, cards = import_deck(collection, deck)
    assert cards == 6 and len(notes) == 6 and not log.new
    assert notes["dynamic-batching"][0] == guid
    assert "A <strong>better</strong> answer." in notes["dynamic-batching"][1]["My draft"]


def test_anki_deck_carries_exercises_as_their_own_note_type(worked, tmp_path):
    answered(worked)
    deck = tmp_path / "onsite.apkg"

    def export_all(timestamp: float) -> None:  # Anki updates a note only from a newer export
        items, _skipped = export.collect(worked, Selection("all"))
        exercises, _missing = export.collect_exercises(worked, Selection("all"))
        export.export_anki(items, deck, timestamp=timestamp, exercises=exercises)

    export_all(1_700_000_000)
    collection = tmp_path / "anki" / "collection.anki2"
    collection.parent.mkdir()
    log, notes, cards = import_deck(collection, deck)
    assert len(log.new) == 6 + 3 and cards == 6 + 3
    _guid, fields, tags = notes["ex-serving-one"]
    assert fields["Best"] == "B" and "Candidate answer B about the pipeline." in fields["Scenario"]
    assert "(best)" in fields["Why"] and fields["My answer"] == "I chose C (wrong; the best answer is B)."
    assert {"onsite", "exercise", "topic::serving"} <= set(tags)
    assert notes["ex-training-one"][1]["My answer"] == ""  # not tried: nothing claimed

    worked.store.reset_exercise("ex-serving-one")
    worked.answer_exercise(worked.exercise("ex-serving-one"), "B")
    export_all(1_700_000_060)
    log, notes, cards = import_deck(collection, deck)
    assert cards == 6 + 3 and not log.new  # updated in place
    assert notes["ex-serving-one"][1]["My answer"] == "I chose B (right)."


def test_anki_without_draft_option(worked, tmp_path):
    deck = tmp_path / "onsite.apkg"
    run_export(worked, Selection("starred", label="Starred"), "anki", deck, ExportOptions(include_draft=False))
    collection = tmp_path / "col" / "collection.anki2"
    collection.parent.mkdir()
    _log, notes, _cards = import_deck(collection, deck)
    assert list(notes) == ["dynamic-batching"] and notes["dynamic-batching"][1]["My draft"] == ""


# --- selections --------------------------------------------------------------------------------


def test_round_selection_exports_its_items_with_round_answers(worked):
    round_id = worked.store.create_round({"preset": "Custom"}, "finished",
                                         [("question", "zero-stages", "answered"),
                                          ("question", "kv-cache-memory", "answered")])
    worked.store.save_round(round_id, "finished", 1, [(60.0, "answered", None, "Round answer on ZeRO"),
                                                      (30.0, "skipped", None, None)], ended=True)
    items, skipped = export.collect(worked, Selection("round", round_id=round_id, label="Round"))
    assert [item.question.id for item in items] == ["zero-stages", "kv-cache-memory"]
    assert items[0].draft == "Round answer on ZeRO"
    assert skipped == []


def test_exercises_export_with_my_answers_to_markdown_and_html(worked, tmp_path):
    answered(worked)
    folder = tmp_path / "md"
    run_export(worked, Selection("topic", topic_id="serving", label="Topic: Serving"), "markdown", folder)
    assert sorted(path.name for path in (folder / "exercises" / "serving").iterdir()) == [
        "ex-serving-one.md", "ex-serving-two.md"]
    text = (folder / "exercises" / "serving" / "ex-serving-one.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["best"] == "B" and front["my_choice"] == "C" and front["correct"] is False
    assert "I chose C (wrong; the best answer is B)." in text
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## A", "## B (best)", "## C", "## D", "## Takeaway"]
    assert "*Why:*" in text and "<p>" not in text  # Markdown sources, not rendered HTML
    index = (folder / "index.md").read_text(encoding="utf-8")
    assert "## Exercises: Serving" in index and "I chose D (right)." in index

    page_path = tmp_path / "serving.html"
    run_export(worked, Selection("topic", topic_id="serving", label="Topic: Serving"), "html", page_path)
    page = page_path.read_text(encoding="utf-8")
    assert 'href="#x-ex-serving-one"' in page and '<article id="x-ex-serving-one">' in page
    assert "<h3>B — best answer</h3>" in page and "<h3>C — my choice</h3>" in page
    assert "3 questions and 2 exercises" in page


def test_exercises_can_be_left_out_and_stars_cover_questions_only(worked, tmp_path):
    target = tmp_path / "out"
    result = run_export(worked, Selection("all"), "markdown", target, ExportOptions(include_exercises=False))
    assert result.exercises == 0 and not (target / "exercises").exists()
    starred = run_export(worked, Selection("starred", label="Starred"), "html", tmp_path / "s.html")
    assert starred.questions == 1 and starred.exercises == 0


def test_an_exercise_round_exports_the_answers_given_in_it(worked, tmp_path):
    from desktop.core.rounds import RoundConfig

    config = RoundConfig(preset="Custom", item_type="exercise", count=2, seconds=60).to_dict()
    round_id = worked.store.create_round(config, "finished",
                                         [("exercise", "ex-serving-one", "answered"),
                                          ("exercise", "ex-training-one", "answered")])
    worked.store.save_round(round_id, "finished", 1, [(20.0, "answered", "B", None), (25.0, "answered", "C", None)],
                            ended=True)
    assert any(choice.round_id == round_id for choice in export.selections(worked))  # offered in the dialog
    exercises, skipped = export.collect_exercises(worked, Selection("round", round_id=round_id, label="Round"))
    assert [(item.exercise.id, item.chosen, item.correct) for item in exercises] == [
        ("ex-serving-one", "B", True), ("ex-training-one", "C", False)]
    assert skipped == []
    result = run_export(worked, Selection("round", round_id=round_id, label="Round"), "markdown", tmp_path / "r")
    assert result.questions == 0 and result.exercises == 2


def test_empty_selection_is_a_clear_error(study, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ExportError, match="nothing to export"):
        run_export(study, Selection("starred", label="Starred questions"), "html", out / "x.html")
    assert list(out.iterdir()) == []


def test_selections_list_topics_and_finished_rounds(worked):
    labels = [choice.label for choice in export.selections(worked)]
    assert labels[:2] == ["All questions", "Starred questions"]
    assert "Topic: Serving" in labels and "Topic: Training" in labels


# --- failures leave nothing behind -------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["markdown", "markdown-zip", "html", "pdf", "anki"])
def test_cancel_leaves_nothing(worked, tmp_path, fmt, qapp):
    out = tmp_path / "out"
    out.mkdir()
    calls = []

    def progress(done: int, total: int) -> bool:
        calls.append(done)
        return len(calls) < 3

    with pytest.raises(ExportCancelled):
        run_export(worked, Selection("all"), fmt, out / f"export{export.SUFFIXES[fmt]}", progress=progress)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_full_disk_gives_a_clear_message_and_no_partial_output(worked, tmp_path, monkeypatch, fmt):
    out = tmp_path / "out"
    out.mkdir()
    writes = []

    def failing_write(path: Path, data: bytes) -> None:
        writes.append(path)
        if len(writes) >= 2 or fmt == "html":
            path.write_bytes(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        path.write_bytes(data)

    monkeypatch.setattr(export, "write_bytes", failing_write)
    with pytest.raises(ExportError, match="disk .* is full"):
        run_export(worked, Selection("all"), fmt, out / f"export{export.SUFFIXES[fmt]}")
    assert list(out.iterdir()) == []


def test_missing_target_folder_is_a_clear_message(worked, tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        run_export(worked, Selection("all"), "html", tmp_path / "nope" / "x.html")


@pytest.mark.skipif(sys.platform == "win32" or not hasattr(__import__("os"), "geteuid")
                    or __import__("os").geteuid() == 0, reason="root may write anywhere")
def test_unwritable_folder_is_a_clear_message(worked, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="not allowed to write"):
            run_export(worked, Selection("all"), "html", locked / "x.html")
    finally:
        locked.chmod(0o700)


def test_export_modules_are_not_imported_at_start_up():
    code = ("import sys; import desktop.app, desktop.ui.main_window; "
            "print(','.join(m for m in ('genanki', 'desktop.core.export', 'PySide6.QtPrintSupport', "
            "'desktop.core.packs', 'desktop.core.backup') if m in sys.modules))")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parent.parent).stdout.strip()
    assert output == ""


@pytest.mark.parametrize("fmt", ["markdown", "markdown-zip", "html", "pdf", "anki"])
def test_cancel_at_the_very_last_step_still_leaves_nothing(worked, tmp_path, fmt, qapp):
    out = tmp_path / "out"
    out.mkdir()
    calls: list[int] = []
    run_export(worked, Selection("all"), fmt, out / f"first{export.SUFFIXES[fmt]}",
               progress=lambda done, total: calls.append(done) or True)
    last = len(calls)
    count = iter(range(1, last + 1))
    with pytest.raises(ExportCancelled):
        run_export(worked, Selection("all"), fmt, out / f"second{export.SUFFIXES[fmt]}",
                   progress=lambda done, total: next(count) < last)
    assert sorted(path.name for path in out.iterdir()) == [f"first{export.SUFFIXES[fmt]}"]


def test_pdf_export_does_not_drain_references_to_none(worked, tmp_path, qapp):
    """PySide6 6.12 on Python < 3.12 drops a reference to None per void Qt call, and the PDF is painted
    page by page from Python: under that binding a big export would crash the app later. 6.12 is kept
    out by pyproject.toml's pin; this checks the export stays (nearly) neutral with the one installed."""
    import gc

    items, _skipped = export.collect(worked, Selection("all"))
    gc.collect()
    before = sys.getrefcount(None)
    for attempt in range(3):
        export.export_pdf(items * 4, tmp_path / f"x{attempt}.pdf")
    gc.collect()
    assert sys.getrefcount(None) > before - 100


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
def test_pdf_text_is_black_on_white_under_a_dark_palette(worked, tmp_path, qapp):
    from PySide6.QtGui import QColor, QImage, QPalette

    light = qapp.palette()
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.Text, QColor("#f0f0f0"))
    dark.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#181818"))
    qapp.setPalette(dark)
    try:
        run_export(worked, Selection("all"), "pdf", tmp_path / "dark.pdf")
    finally:
        qapp.setPalette(light)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "2", "-l", "2", str(tmp_path / "dark.pdf"),
                    str(tmp_path / "page")], check=True)
    image = QImage(str(next(tmp_path.glob("page-*2.png"))))
    greys = [QColor(image.pixel(x, y)).lightness() for x in range(0, image.width(), 2)
             for y in range(0, image.height(), 2)]
    assert sum(grey > 240 for grey in greys) > 0.8 * len(greys)  # a white page
    assert sum(grey < 90 for grey in greys) > 50  # with dark text on it
