"""Export study work (questions with my drafts, notes and grades; exercises with my answers) to
Markdown, HTML, PDF and Anki.

Every export is written to a temporary name next to the target and renamed into place only when
complete, so a full disk, an unwritable folder or a cancel never leaves half a file behind.
Heavy libraries (genanki, Qt's PDF writer) are imported only when that format is asked for: the
app's start-up never pays for them.
"""

from __future__ import annotations

import errno
import hashlib
import html
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import yaml

from .bank import ExerciseDetail, QuestionDetail
from .render import code_css, escape, for_qt, page_css, render_markdown
from .userstore import Grade

# progress(done, total) -> False cancels; None or True carries on.
Progress = Callable[[int, int], "bool | None"]

FORMATS = {
    "markdown": "Markdown folder",
    "markdown-zip": "Markdown (.zip)",
    "html": "HTML page (.html)",
    "pdf": "PDF document (.pdf)",
    "anki": "Anki deck (.apkg)",
}
SUFFIXES = {"markdown": "", "markdown-zip": ".zip", "html": ".html", "pdf": ".pdf", "anki": ".apkg"}
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
# A folder holding this file was written by Onsite, so a re-export may replace it.
EXPORT_MARKER = ".onsite-export"
# Fixed forever: Anki matches note types by id, so re-imports update the same note type.
ANKI_MODEL_ID = 1_718_402_771
ANKI_GUID_SALT = "onsite-question"
ANKI_EXERCISE_MODEL_ID = 1_718_402_772
ANKI_EXERCISE_GUID_SALT = "onsite-exercise"
LETTERS = ("A", "B", "C", "D")


class ExportError(RuntimeError):
    """The export could not be written; the message says why and that nothing was left behind."""


class ExportCancelled(Exception):  # noqa: N818 - a cancel is not an error
    """The user cancelled; nothing was written."""


@dataclass(frozen=True)
class Selection:
    """Which questions to export: everything, one topic, the starred ones, or one round's items."""

    kind: str  # "all", "topic", "starred", "round"
    topic_id: str | None = None
    round_id: int | None = None
    label: str = "All questions"


@dataclass(frozen=True)
class ExportOptions:
    include_answer: bool = True
    include_draft: bool = True
    include_notes: bool = True
    include_exercises: bool = True  # the selection's multiple-choice exercises, with my answers


@dataclass(frozen=True)
class ExportItem:
    """One question as exported: the bank's text plus the user's own work on it."""

    question: QuestionDetail
    draft: str = ""
    notes: str = ""
    grades: tuple[Grade, ...] = ()
    starred: bool = False
    practised: int = 0


@dataclass(frozen=True)
class ExerciseItem:
    """One multiple-choice exercise as exported, with the answer I last chose (None: not tried)."""

    exercise: ExerciseDetail
    topic_title: str
    chosen: str | None = None

    @property
    def correct(self) -> bool | None:
        return None if self.chosen is None else self.chosen == self.exercise.best


@dataclass
class ExportResult:
    path: Path
    questions: int
    skipped: list[str] = field(default_factory=list)  # why some selected items are not in the export
    exercises: int = 0


# --- choosing what to export ------------------------------------------------------------------


def selections(study) -> list[Selection]:  # noqa: ANN001 - desktop.core.study.Study (import cycle)
    """Every selection the user can pick: all, starred, each topic, each finished round."""
    choices = [Selection("all", label="All questions"), Selection("starred", label="Starred questions")]
    for topic in study.topics():
        if topic.question_count:
            choices.append(Selection("topic", topic_id=topic.id, label=f"Topic: {topic.title}"))
    for summary in study.rounds.history():
        when = summary.started_at[:16].replace("T", " ")
        label = f"Round #{summary.round_id}: {summary.config.preset}, {when} UTC ({summary.items} items)"
        choices.append(Selection("round", round_id=summary.round_id, label=label))
    return choices


def collect(study, selection: Selection) -> tuple[list[ExportItem], list[str]]:  # noqa: ANN001
    """The questions a selection covers, with my drafts, notes and grades; and notes on skipped items."""
    store = study.store
    stats = store.stats()
    skipped: list[str] = []
    round_answers: dict[str, str] = {}
    if selection.kind == "round":
        ids = []
        for item_type, item_id, _seconds, _status, _choice, answer in store.round_items(selection.round_id):
            if item_type != "question":
                continue  # exercises: collect_exercises
            ids.append(item_id)
            if answer:
                round_answers[item_id] = answer
    elif selection.kind == "topic":
        ids = [summary.id for summary in study.bank.questions(topics=[selection.topic_id])]
    elif selection.kind == "starred":
        ids = [summary.id for summary in study.bank.questions() if stats.get(summary.id, None)
               and stats[summary.id].starred]
    elif selection.kind == "all":
        ids = [summary.id for summary in study.bank.questions()]
    else:
        raise ValueError(f"unknown selection {selection.kind!r}")
    grades_by_question: dict[str, list[Grade]] = {}
    for grade in store.grades():
        grades_by_question.setdefault(grade.question_id, []).append(grade)
    items = []
    for question_id in ids:
        question = study.bank.question(question_id)
        if question is None:  # a round item whose pack was removed since
            skipped.append(f"question {question_id} (no longer in the bank)")
            continue
        stat = stats.get(question_id)
        draft = round_answers.get(question_id) or store.draft(question_id)[0]
        items.append(
            ExportItem(question, draft, store.note(question_id), tuple(grades_by_question.get(question_id, ())),
                       bool(stat and stat.starred), stat.practised if stat else 0)
        )
    return items, skipped


def collect_exercises(study, selection: Selection) -> tuple[list[ExerciseItem], list[str]]:  # noqa: ANN001
    """The exercises a selection covers with my last answer (a round's: the answer given in it)."""
    titles = {topic.id: topic.title for topic in study.topics()}
    answers = {exercise_id: letter for exercise_id, (letter, _correct) in study.store.exercise_answers().items()}
    skipped: list[str] = []
    if selection.kind == "round":
        chosen_in_round = {item_id: choice for item_type, item_id, _seconds, _status, choice, _answer
                           in study.store.round_items(selection.round_id) if item_type == "exercise"}
        exercises = []
        for exercise_id, choice in chosen_in_round.items():
            exercise = study.bank.exercise(exercise_id)
            if exercise is None:
                skipped.append(f"exercise {exercise_id} (no longer in the bank)")
                continue
            exercises.append(ExerciseItem(exercise, titles.get(exercise.topic, exercise.topic), choice or None))
        return exercises, skipped
    if selection.kind == "starred":  # stars belong to questions
        return [], skipped
    exercises = study.bank.exercises(selection.topic_id if selection.kind == "topic" else None)
    return [ExerciseItem(exercise, titles.get(exercise.topic, exercise.topic), answers.get(exercise.id))
            for exercise in exercises], skipped


def run_export(
    study, selection: Selection, fmt: str, target: Path,  # noqa: ANN001
    options: ExportOptions = ExportOptions(), progress: Progress | None = None,
) -> ExportResult:
    """Collect the selection and write it in one format. Raises ExportError or ExportCancelled."""
    items, skipped = collect(study, selection)
    exercises: list[ExerciseItem] = []
    if options.include_exercises:
        exercises, missing = collect_exercises(study, selection)
        skipped += missing
    if not items and not exercises:
        what = "questions or exercises" if options.include_exercises else "questions"
        raise ExportError(f"“{selection.label}” holds no {what}, so there is nothing to export.")
    label = selection.label
    writers = {
        "markdown": lambda: export_markdown(items, target, options, label, progress, exercises),
        "markdown-zip": lambda: export_markdown_zip(items, target, options, label, progress, exercises),
        "html": lambda: export_html(items, target, options, label, progress, exercises),
        "pdf": lambda: export_pdf(items, target, options, label, progress, exercises),
        "anki": lambda: export_anki(items, target, options, label, progress, exercises=exercises),
    }
    if fmt not in writers:
        raise ValueError(f"unknown export format {fmt!r}")
    writers[fmt]()
    return ExportResult(target, len(items), skipped, len(exercises))


# --- safe writing ------------------------------------------------------------------------------


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise ExportCancelled()


def explain_os_error(error: OSError, where: Path) -> str:
    """A sentence the user can act on, for a failed write (disk full, read-only, no permission)."""
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        reason = f"the disk holding {where} is full"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = f"Onsite is not allowed to write to {where}"
    elif error.errno == errno.ENOENT:
        reason = f"the folder {where} does not exist"
    else:
        reason = f"writing to {where} failed ({error.strerror or error})"
    return reason[0].upper() + reason[1:] + ". Nothing was written; choose another place or free some space."


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _check_parent(target: Path) -> Path:
    parent = target.parent
    if not parent.is_dir():
        raise ExportError(f"The folder {parent} does not exist. Nothing was written.")
    return parent


@contextmanager
def atomic_file(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to `target`; rename it into place only if the block succeeds."""
    parent = _check_parent(target)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=parent)
        os.close(handle)
        os.chmod(name, 0o666 & ~_umask())  # mkstemp's private 0600 would surprise a notes vault or a sync tool
    except OSError as error:
        raise ExportError(explain_os_error(error, parent)) from None
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, target)
    except OSError as error:
        raise ExportError(explain_os_error(error, parent)) from None
    finally:
        with suppress(OSError):
            temp.unlink()


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a temporary folder next to `target`; it becomes `target` only if the block succeeds.

    An existing folder is replaced only if an earlier Onsite export wrote it (it holds the marker
    file): a re-export refreshes a notes vault, but never deletes a folder of someone else's files.
    """
    parent = _check_parent(target)
    if target.exists() and not (target / EXPORT_MARKER).is_file():
        raise ExportError(
            f"{target} already exists and was not written by an Onsite export; choose a new folder name. "
            "Nothing was written."
        )
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=parent))
        os.chmod(temp, 0o777 & ~_umask())
    except OSError as error:
        raise ExportError(explain_os_error(error, parent)) from None
    old: Path | None = None
    try:
        yield temp
        (temp / EXPORT_MARKER).write_text("Written by Onsite; a later export may replace this folder.\n")
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
            os.replace(target, old / "previous")
        try:
            os.replace(temp, target)
        except OSError:
            if old is not None:  # put the previous export back where it was
                os.replace(old / "previous", target)
            raise
    except OSError as error:
        raise ExportError(explain_os_error(error, parent)) from None
    finally:
        shutil.rmtree(temp, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def write_bytes(path: Path, data: bytes) -> None:
    """The one place Markdown and HTML exports write a file (tests make it fail like a full disk)."""
    with open(path, "wb") as handle:
        handle.write(data)


# --- shared text helpers --------------------------------------------------------------------


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def utc_stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def grade_line(grade: Grade) -> str:
    when = grade.graded_at[:10]
    return f"{when} {RATING_NAMES.get(grade.rating, grade.rating)} ({round(grade.fraction * 100)}% of key points, " \
           f"{grade.source})"


def inline_markdown(fragment: str) -> str:
    """Turn a pre-rendered inline HTML fragment (a key point) back into Markdown."""
    text = re.sub(r"<code>(.*?)</code>", lambda m: f"`{m.group(1)}`", fragment, flags=re.S)
    text = re.sub(r"</?(strong|b)>", "**", text)
    text = re.sub(r"</?(em|i)>", "*", text)
    text = re.sub(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', lambda m: f"[{m.group(2)}]({m.group(1)})", text,
                  flags=re.S)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text).strip()


def slug(text: str) -> str:
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned[:60] or "export"


def default_file_name(selection: Selection, fmt: str) -> str:
    label = {"all": "all-questions", "starred": "starred"}.get(selection.kind) or slug(selection.label)
    return f"onsite-{label}{SUFFIXES[fmt]}"


def _by_topic(items: list[ExportItem]) -> list[tuple[str, list[ExportItem]]]:
    groups: dict[str, list[ExportItem]] = {}
    for item in items:
        groups.setdefault(item.question.topic_title, []).append(item)
    return list(groups.items())


# --- Markdown ----------------------------------------------------------------------------------


def question_markdown(item: ExportItem, options: ExportOptions, exported: str) -> str:
    """One question as a Markdown file with YAML front matter (reads well in Obsidian)."""
    question = item.question
    meta = {
        "id": question.id,
        "title": question.title,
        "topic": question.topic_title,
        "topic_id": question.topic,
        "difficulty": question.difficulty,
        "kind": question.kind,
        "tags": ["onsite", *question.tags],
        "starred": item.starred,
        "practised": item.practised,
        "grades": [grade_line(grade) for grade in item.grades],
        "exported": exported,
    }
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    parts = [f"---\n{front}---\n", f"# {question.title}\n",
             f"*{question.topic_title} · {question.difficulty} · {question.kind}*\n",
             f"## Prompt\n\n{question.prompt_md.strip()}\n"]
    if options.include_draft:
        parts.append(f"## My latest draft\n\n{item.draft.strip() or '*No draft yet.*'}\n")
    if options.include_notes and item.notes.strip():
        parts.append(f"## My notes\n\n{item.notes.strip()}\n")
    if item.grades:
        parts.append("## My grades\n\n" + "".join(f"- {grade_line(grade)}\n" for grade in item.grades))
    if options.include_answer:
        parts.append(f"## Model answer\n\n{question.answer_md.strip()}\n")
        parts.append(f"### Answer structure\n\n{question.structure}\n")
        for title, points in (("Key points", question.key_points), ("Pitfalls", question.pitfalls),
                              ("Follow-ups", question.follow_ups)):
            if points:
                parts.append(f"### {title}\n\n" + "".join(f"- {inline_markdown(point)}\n" for point in points))
    return "\n".join(parts)


def choice_line(item: ExerciseItem) -> str:
    best = item.exercise.best
    if item.chosen is None:
        return f"Not tried yet. Best answer: {best}."
    verdict = "right" if item.correct else f"wrong; the best answer is {best}"
    return f"I chose {item.chosen} ({verdict})."


def exercise_markdown(item: ExerciseItem, exported: str) -> str:
    """One exercise as Markdown: the scenario, the four answers, which is best and why each is (not)."""
    exercise = item.exercise
    meta = {
        "id": exercise.id, "title": exercise.title, "topic": item.topic_title, "topic_id": exercise.topic,
        "type": "exercise", "best": exercise.best, "my_choice": item.chosen, "correct": item.correct,
        "tags": ["onsite", "exercise"], "exported": exported,
    }
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    parts = [f"---\n{front}---\n", f"# {exercise.title}\n", f"*{item.topic_title} · exercise*\n",
             f"{exercise.stem_md.strip()}\n", f"**{choice_line(item)}**\n"]
    for letter, option, why in zip(LETTERS, exercise.options_md, exercise.explanations_md, strict=False):
        mark = " (best)" if letter == exercise.best else ""
        parts.append(f"## {letter}{mark}\n\n{option.strip()}\n\n*Why:* {why.strip()}\n")
    parts.append(f"## Takeaway\n\n{exercise.takeaway.strip()}\n")
    return "\n".join(parts)


def _exercises_by_topic(exercises: list[ExerciseItem]) -> list[tuple[str, list[ExerciseItem]]]:
    groups: dict[str, list[ExerciseItem]] = {}
    for item in exercises:
        groups.setdefault(item.topic_title, []).append(item)
    return list(groups.items())


def _counts(items: list[ExportItem], exercises: list[ExerciseItem]) -> str:
    counts = [plural(len(items), "question")]
    if exercises:
        counts.append(plural(len(exercises), "exercise"))
    return " and ".join(counts)


def markdown_files(
    items: list[ExportItem], options: ExportOptions, label: str, progress: Progress | None,
    exercises: list[ExerciseItem] = (),
) -> Iterator[tuple[str, bytes]]:
    """(relative path, bytes) of every file in a Markdown export, index.md last."""
    exported = utc_stamp()
    total = len(items) + len(exercises) + 1
    written = 0
    index = [f"# Onsite export: {label}\n", f"{_counts(items, exercises)}, exported {exported}.\n"]
    for topic_title, group in _by_topic(items):
        index.append(f"\n## {topic_title}\n")
        for item in group:
            question = item.question
            relative = f"{question.topic}/{question.id}.md"
            yield relative, question_markdown(item, options, exported).encode("utf-8")
            details = [question.difficulty, question.kind]
            if item.starred:
                details.append("★")
            if item.grades:
                details.append(f"last grade {RATING_NAMES.get(item.grades[-1].rating)}")
            index.append(f"- [{question.title}]({relative}) — {' · '.join(details)}\n")
            written += 1
            _tick(progress, written, total)
    for topic_title, group in _exercises_by_topic(exercises):
        index.append(f"\n## Exercises: {topic_title}\n")
        for item in group:
            relative = f"exercises/{item.exercise.topic}/{item.exercise.id}.md"
            yield relative, exercise_markdown(item, exported).encode("utf-8")
            outcome = choice_line(item) if item.chosen else "not tried yet"  # the index does not give answers away
            index.append(f"- [{item.exercise.title}]({relative}) — {outcome}\n")
            written += 1
            _tick(progress, written, total)
    yield "index.md", "".join(index).encode("utf-8")
    _tick(progress, total, total)


def export_markdown(
    items: list[ExportItem], target: Path, options: ExportOptions = ExportOptions(), label: str = "Export",
    progress: Progress | None = None, exercises: list[ExerciseItem] = (),
) -> Path:
    """A folder with index.md and one Markdown file per question (and exercise), in a folder per topic."""
    with atomic_folder(target) as folder:
        for relative, data in markdown_files(items, options, label, progress, exercises):
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(path, data)
    return target


def export_markdown_zip(
    items: list[ExportItem], target: Path, options: ExportOptions = ExportOptions(), label: str = "Export",
    progress: Progress | None = None, exercises: list[ExerciseItem] = (),
) -> Path:
    """The Markdown export as one .zip whose files sit in a folder named after the zip."""
    root = target.stem or "onsite-export"
    with atomic_file(target) as temp, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative, data in markdown_files(items, options, label, progress, exercises):
            archive.writestr(f"{root}/{relative}", data)
    return target


# --- HTML --------------------------------------------------------------------------------------

# Layout for a browser; page_css() carries the colours and the Pygments code styles.
HTML_LAYOUT_CSS = """
body { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; line-height: 1.5;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; background: #ffffff; }
article { border-top: 2px solid #d0d4da; margin-top: 2.5rem; padding-top: 0.5rem; }
nav.toc ol { padding-left: 1.5rem; }
nav.toc h3 { margin-bottom: 0.2rem; }
.meta { color: #5f6368; font-size: 0.9rem; }
.draft { border-left: 4px solid #1a5fb4; padding-left: 0.8rem; }
.notes { border-left: 4px solid #a05a00; padding-left: 0.8rem; }
.why { border-left: 4px solid #d0d4da; padding-left: 0.8rem; }
pre { overflow-x: auto; border-radius: 4px; }
@media print { article { page-break-before: always; border-top: none; } }
"""
# Belt and braces: even if something slipped into the page, a browser would fetch nothing.
CSP = "default-src 'none'; style-src 'unsafe-inline'"


def user_html(markdown_text: str) -> str:
    """The user's own Markdown rendered safely, headings demoted to sit under the section's heading."""
    rendered = render_markdown(markdown_text)
    return re.sub(r"<(/?)h([1-6])\b", lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + 3)}", rendered)


def _meta_line(item: ExportItem) -> str:
    question = item.question
    details = [escape(question.topic_title), escape(question.difficulty), escape(question.kind)]
    if item.starred:
        details.append("★ starred")
    if item.practised:
        details.append(f"practised {item.practised}×")
    return " · ".join(details)


def question_html(item: ExportItem, options: ExportOptions, heading: str = "h2") -> str:
    """One question's section: prompt, my draft and notes (rendered safely), grades, model answer."""
    question = item.question
    parts = [
        f'<{heading} class="question-title"><a name="q-{escape(question.id)}"></a>{escape(question.title)}</{heading}>',
        f'<p class="meta">{_meta_line(item)}</p>',
        "<h3>Prompt</h3>", question.prompt_html,
    ]
    if options.include_draft:
        draft = user_html(item.draft) if item.draft.strip() else "<p class='muted'><i>No draft yet.</i></p>"
        parts += ["<h3>My latest draft</h3>", f'<div class="draft">{draft}</div>']
    if options.include_notes and item.notes.strip():
        parts += ["<h3>My notes</h3>", f'<div class="notes">{user_html(item.notes)}</div>']
    if item.grades:
        lines = "".join(f"<li>{escape(grade_line(grade))}</li>" for grade in item.grades)
        parts += ["<h3>My grades</h3>", f"<ul>{lines}</ul>"]
    if options.include_answer:
        parts += [
            "<h3>Answer structure</h3>", f'<p class="structure">{escape(question.structure)}</p>',
            "<h3>Model answer</h3>", question.answer_html,
        ]
        for title, points in (("Key points", question.key_points), ("Pitfalls", question.pitfalls),
                              ("Follow-ups", question.follow_ups)):
            if points:
                parts += [f"<h3>{title}</h3>", "<ul>" + "".join(f"<li>{point}</li>" for point in points) + "</ul>"]
    return "\n".join(parts)


def exercise_section_html(item: ExerciseItem, heading: str = "h2") -> str:
    """One exercise's section: the scenario, my answer, each option with why it is (not) the best."""
    exercise = item.exercise
    parts = [
        f'<{heading} class="question-title"><a name="x-{escape(exercise.id)}"></a>{escape(exercise.title)}</{heading}>',
        f'<p class="meta">{escape(item.topic_title)} · exercise</p>', exercise.stem_html,
        f"<p><b>{escape(choice_line(item))}</b></p>",
    ]
    for letter, option, why in zip(LETTERS, exercise.options, exercise.explanations, strict=False):
        marks = [mark for mark, applies in (("best answer", letter == exercise.best),
                                            ("my choice", letter == item.chosen)) if applies]
        parts += [f"<h3>{letter}{' — ' + ', '.join(marks) if marks else ''}</h3>", option,
                  f'<p class="meta">Why:</p><div class="why">{why}</div>']
    parts += ["<h3>Takeaway</h3>", f"<p>{escape(exercise.takeaway)}</p>"]
    return "\n".join(parts)


def html_document(
    items: list[ExportItem], options: ExportOptions, label: str, progress: Progress | None,
    exercises: list[ExerciseItem] = (),
) -> str:
    total = len(items) + len(exercises)
    toc = []
    for topic_title, group in _by_topic(items):
        entries = "".join(
            f'<li><a href="#q-{escape(item.question.id)}">{escape(item.question.title)}</a> '
            f'<span class="meta">{escape(item.question.difficulty)}</span></li>'
            for item in group
        )
        toc.append(f"<h3>{escape(topic_title)}</h3><ol>{entries}</ol>")
    for topic_title, group in _exercises_by_topic(exercises):
        entries = "".join(f'<li><a href="#x-{escape(item.exercise.id)}">{escape(item.exercise.title)}</a></li>'
                          for item in group)
        toc.append(f"<h3>Exercises: {escape(topic_title)}</h3><ol>{entries}</ol>")
    articles = []
    for done, item in enumerate(items, start=1):
        section = for_qt(question_html(item, options))  # no blank last code line in browsers either
        articles.append(f'<article id="q-{escape(item.question.id)}">\n{section}\n</article>')
        _tick(progress, done, total)
    for done, item in enumerate(exercises, start=len(items) + 1):
        section = for_qt(exercise_section_html(item))
        articles.append(f'<article id="x-{escape(item.exercise.id)}">\n{section}\n</article>')
        _tick(progress, done, total)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="Onsite">\n'
        f"<title>Onsite: {escape(label)}</title>\n"
        f"<style>\n{page_css(dark=False)}\n{HTML_LAYOUT_CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>Onsite: {escape(label)}</h1>\n"
        f'<p class="meta">{_counts(items, exercises)} · exported {utc_stamp()}</p></header>\n'
        f'<nav class="toc"><h2>Contents</h2>{"".join(toc)}</nav>\n'
        + "\n".join(articles)
        + "\n</body>\n</html>\n"
    )


def export_html(
    items: list[ExportItem], target: Path, options: ExportOptions = ExportOptions(), label: str = "Export",
    progress: Progress | None = None, exercises: list[ExerciseItem] = (),
) -> Path:
    """One self-contained HTML file: styles and highlighted code inline, no external resources."""
    document = html_document(items, options, label, progress, exercises)
    with atomic_file(target) as temp:
        write_bytes(temp, document.encode("utf-8"))
    return target


# --- PDF -----------------------------------------------------------------------------------------

PDF_CSS = """
h1 { font-size: 20pt; }
h1.question-title { font-size: 17pt; page-break-before: always; }
h2.topic { font-size: 13pt; margin-top: 10px; }
h3 { font-size: 12pt; margin-top: 12px; }
.meta { color: #5f6368; }
table.toc td { border-width: 0; border-style: none; padding: 2px 0; }
pre { font-size: 8.5pt; }
"""
LAYOUT_DPI = 96.0  # the document is laid out in these "pixels"; print_() scales them to the PDF's resolution


def pdf_html(
    items: list[ExportItem], options: ExportOptions, label: str, pages: dict[str, int],
    progress: Progress | None = None, exercises: list[ExerciseItem] = (),
) -> str:
    """The PDF's document: a title and table of contents, then each question (and exercise) on a new page."""
    toc = []
    for topic_title, group in _by_topic(items):
        rows = "".join(
            f'<tr><td width="90%">{escape(item.question.title)} '
            f'<span class="meta">· {escape(item.question.difficulty)}</span></td>'
            f'<td width="10%" align="right">{pages.get("q-" + item.question.id, "")}</td></tr>'
            for item in group
        )
        toc.append(f'<h2 class="topic">{escape(topic_title)}</h2>'
                   f'<table class="toc" width="100%" cellspacing="0" cellpadding="2" border="0">{rows}</table>')
    for topic_title, group in _exercises_by_topic(exercises):
        rows = "".join(
            f'<tr><td width="90%">{escape(item.exercise.title)}</td>'
            f'<td width="10%" align="right">{pages.get("x-" + item.exercise.id, "")}</td></tr>'
            for item in group
        )
        toc.append(f'<h2 class="topic">Exercises: {escape(topic_title)}</h2>'
                   f'<table class="toc" width="100%" cellspacing="0" cellpadding="2" border="0">{rows}</table>')
    sections = []
    total = len(items) + len(exercises) + 2
    for done, item in enumerate(items, start=1):
        sections.append(question_html(item, options, heading="h1"))
        _tick(progress, done, total)
    for done, item in enumerate(exercises, start=len(items) + 1):
        sections.append(exercise_section_html(item, heading="h1"))
        _tick(progress, done, total)
    body = "".join(sections)
    body = for_qt(body)
    return (
        f"<html><body><h1>Onsite: {escape(label)}</h1>"
        f'<p class="meta">{_counts(items, exercises)} · exported {utc_stamp()}</p>'
        f"<h2>Contents</h2>{''.join(toc)}{body}</body></html>"
    )


def _anchor_pages(document, page_height: float) -> dict[str, int]:  # noqa: ANN001 - QTextDocument
    """Page number (1-based) of each question heading, from the document's paginated layout."""
    layout = document.documentLayout()
    pages: dict[str, int] = {}
    block = document.begin()
    while block.isValid():
        for fragment_iterator in block:
            for name in fragment_iterator.fragment().charFormat().anchorNames():
                if name.startswith(("q-", "x-")):
                    pages[name] = int(layout.blockBoundingRect(block).top() // page_height) + 1
        block = block.next()
    return pages


def export_pdf(
    items: list[ExportItem], target: Path, options: ExportOptions = ExportOptions(), label: str = "Export",
    progress: Progress | None = None, exercises: list[ExerciseItem] = (),
) -> Path:
    """A paginated A4 PDF (Qt's own PDF writer): contents with page numbers, one question per page,
    and each page numbered at its foot. Progress counts the questions, then the pages painted."""
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QFont, QGuiApplication, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

    if QGuiApplication.instance() is None:
        raise ExportError("PDF export needs the Onsite window to be running.")
    sections = len(items) + len(exercises)
    estimate = sections + 1 + sections + 1  # sections, layout, then about one page each plus contents
    with atomic_file(target) as temp:
        writer = QPdfWriter(str(temp))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(QMarginsF(16, 16, 16, 14), QPageLayout.Unit.Millimeter)
        writer.setTitle(f"Onsite: {label}")
        writer.setCreator("Onsite")
        paint_rect = writer.pageLayout().paintRect(QPageLayout.Unit.Point)
        to_layout = LAYOUT_DPI / 72.0
        page = QSizeF(paint_rect.width() * to_layout, paint_rect.height() * to_layout)

        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultStyleSheet(page_css(dark=False) + PDF_CSS)
        document.setPageSize(page)
        base_font = QFont()
        base_font.setPointSizeF(10.5)
        document.setDefaultFont(base_font)
        pages: dict[str, int] = {}
        # The contents list needs page numbers, which need the layout: lay out until they settle.
        for _attempt in range(3):
            ticks = (lambda done, _total: progress(done, estimate)) if progress and not pages else None
            document.setHtml(pdf_html(items, options, label, pages, ticks, exercises))
            found = _anchor_pages(document, page.height())
            if found == pages:
                break
            pages = found
        page_count = document.pageCount()
        total = sections + 1 + page_count
        _tick(progress, sections + 1, total)

        painter = QPainter()
        if not painter.begin(writer):
            raise ExportError(f"{target} could not be written as a PDF.")
        try:
            for index in range(page_count):
                if index:
                    writer.newPage()
                _paint_pdf_page(painter, writer, document, page, index, page_count)
                _tick(progress, sections + 2 + index, total)  # cancel between pages
        finally:
            painter.end()
        del writer  # closes the file before it is renamed
    return target


def _paint_pdf_page(painter, writer, document, page, index: int, page_count: int) -> None:  # noqa: ANN001
    """One page of the laid-out document, scaled to the writer's resolution, and its number below it.

    Painted page by page (not with QTextDocument.print_) to number the pages and to let a long
    export be cancelled between them. Colours come from the light page style sheet, whatever the
    app's palette (tests/test_export.py checks a dark one).
    """
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QFont

    scale = writer.resolution() / LAYOUT_DPI
    view = QRectF(0, index * page.height(), page.width(), page.height())
    context = QAbstractTextDocumentLayout.PaintContext()
    context.clip = view
    painter.save()
    painter.scale(scale, scale)
    painter.translate(0, -view.top())
    painter.setClipRect(view)
    document.documentLayout().draw(painter, context)
    painter.restore()

    # The number sits in the bottom margin, 6 mm below the text area (painter units are device pixels).
    area = writer.pageLayout().paintRectPixels(writer.resolution())
    millimetre = writer.resolution() / 25.4
    footer = QFont()
    footer.setPointSizeF(8)
    painter.setFont(footer)
    painter.setPen(QColor("#5f6368"))
    painter.drawText(QRectF(0, area.height() + 3 * millimetre, area.width(), 6 * millimetre),
                     int(Qt.AlignmentFlag.AlignHCenter.value | Qt.AlignmentFlag.AlignTop.value),
                     f"{index + 1} / {page_count}")


# --- Anki ----------------------------------------------------------------------------------------

ANKI_CSS = """
.card { font-family: -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 17px; text-align: left;
        color: #1d1d1f; background: #ffffff; line-height: 1.45; }
.meta { color: #5f6368; font-size: 13px; }
.structure { color: #1a5fb4; font-weight: 600; }
.draft { border-left: 4px solid #1a5fb4; padding-left: 10px; }
pre { background: #f4f5f7; padding: 8px; overflow-x: auto; white-space: pre-wrap; font-size: 14px; }
code { font-family: monospace; }
.option { margin: 6px 0; }
.nightMode .card, .card.nightMode { color: #e6e6e6; background: #1e1e1e; }
.nightMode pre { background: #2b2b2b; }
"""


def stable_id(text: str) -> int:
    """A deterministic id in the range genanki recommends (2^30 .. 2^31) for decks."""
    value = int(hashlib.sha256(text.encode()).hexdigest()[:12], 16)
    return (1 << 30) + value % (1 << 30)


def anki_tag(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_:-]+", "-", text.strip()).strip("-").lower()


def anki_fields(item: ExportItem, options: ExportOptions) -> list[str]:
    question = item.question
    answer = ""
    if options.include_answer:
        points = "".join(f"<li>{point}</li>" for point in question.key_points)
        answer = (f'<p class="structure">{escape(question.structure)}</p>{question.answer_html}'
                  + (f"<h4>Key points</h4><ul>{points}</ul>" if points else ""))
    draft = user_html(item.draft) if options.include_draft and item.draft.strip() else ""
    return [question.id, escape(question.title), question.prompt_html, answer, draft,
            escape(question.topic_title), escape(question.difficulty)]


def anki_exercise_fields(item: ExerciseItem) -> list[str]:
    exercise = item.exercise
    options = "".join(f'<div class="option"><b>{letter}</b> {option}</div>'
                      for letter, option in zip(LETTERS, exercise.options, strict=False))
    explanations = "".join(
        f'<div class="option"><b>{letter}{" (best)" if letter == exercise.best else ""}</b> {why}</div>'
        for letter, why in zip(LETTERS, exercise.explanations, strict=False))
    mine = escape(choice_line(item)) if item.chosen else ""
    return [exercise.id, escape(exercise.title), exercise.stem_html + options, exercise.best, explanations,
            escape(exercise.takeaway), mine, escape(item.topic_title)]


def export_anki(
    items: list[ExportItem], target: Path, options: ExportOptions = ExportOptions(), label: str = "Export",
    progress: Progress | None = None, timestamp: float | None = None, exercises: list[ExerciseItem] = (),
) -> Path:
    """An Anki deck: front = prompt, back = model answer (and my draft); re-imports update, not duplicate.
    Exercises become cards of their own: the scenario and four answers, then the best one and why.

    Notes keep a guid derived from the question id, so Anki matches them across exports; it updates a
    note whose modification time (`timestamp`, default now) is newer than the one it holds.
    """
    try:
        import genanki
    except ImportError:
        raise ExportError("Anki export is not available in this installation (the genanki library is missing).") \
            from None
    def note_type(model_id: int, name: str, fields: tuple[str, ...], card: str, front: str, back: str):  # noqa: ANN202
        return genanki.Model(model_id, name, fields=[{"name": field_name} for field_name in fields],
                             templates=[{"name": card, "qfmt": front, "afmt": back}],
                             css=ANKI_CSS + code_css(False), sort_field_index=1)

    model = note_type(
        ANKI_MODEL_ID, "Onsite question",
        ("Id", "Title", "Prompt", "Model answer", "My draft", "Topic", "Difficulty"), "Prompt → answer",
        '<div class="meta">{{Topic}} · {{Difficulty}}</div><h3>{{Title}}</h3>{{Prompt}}',
        '{{FrontSide}}<hr id="answer">{{Model answer}}'
        '{{#My draft}}<h4>My draft</h4><div class="draft">{{My draft}}</div>{{/My draft}}',
    )
    exercise_model = note_type(
        ANKI_EXERCISE_MODEL_ID, "Onsite exercise",
        ("Id", "Title", "Scenario", "Best", "Why", "Takeaway", "My answer", "Topic"), "Scenario → best answer",
        '<div class="meta">{{Topic}} · exercise</div><h3>{{Title}}</h3>{{Scenario}}',
        '{{FrontSide}}<hr id="answer"><h4>Best: {{Best}}</h4>{{Why}}<p><i>{{Takeaway}}</i></p>'
        '{{#My answer}}<p class="meta">{{My answer}}</p>{{/My answer}}',
    )
    deck_name = f"Onsite::{label}"
    deck = genanki.Deck(stable_id(deck_name), deck_name)
    total = len(items) + len(exercises) + 1
    for done, item in enumerate(items, start=1):
        question = item.question
        tags = ["onsite", f"topic::{anki_tag(question.topic)}", f"difficulty::{anki_tag(question.difficulty)}",
                f"kind::{anki_tag(question.kind)}"]
        if item.starred:
            tags.append("starred")
        deck.add_note(genanki.Note(
            model=model, fields=anki_fields(item, options), tags=tags,
            guid=genanki.guid_for(ANKI_GUID_SALT, question.id),
        ))
        _tick(progress, done, total)
    for done, item in enumerate(exercises, start=len(items) + 1):
        tags = ["onsite", "exercise", f"topic::{anki_tag(item.exercise.topic)}"]
        deck.add_note(genanki.Note(
            model=exercise_model, fields=anki_exercise_fields(item), tags=tags,
            guid=genanki.guid_for(ANKI_EXERCISE_GUID_SALT, item.exercise.id),
        ))
        _tick(progress, done, total)
    with atomic_file(target) as temp:
        try:
            genanki.Package(deck).write_to_file(str(temp), timestamp=timestamp)
        except (OSError, ExportCancelled):
            raise
        except Exception as error:  # noqa: BLE001 - genanki's own failures become a message, not a crash
            raise ExportError(f"The Anki deck could not be written: {error}. Nothing was written.") from None
        _tick(progress, total, total)
    return target
