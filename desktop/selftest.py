"""`onsite --self-test`: a headless check that this install works, for installers and CI.

Runs in a throw-away user data folder (never the user's real one) with Qt's offscreen platform
unless QT_QPA_PLATFORM says otherwise. Prints one line per check, `ok ...` or `FAIL ...`, and
returns a non-zero exit code if any check failed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from . import paths

SELF_TEST_DRAFT = "Self-test draft: latency budget first, then batching.\n\n```python\nprint('ok')\n```\n"


class SelfTest:
    def __init__(self, data_dir: Path, out: Callable[[str], None] = print) -> None:
        self.data_dir = data_dir
        self.out = out
        self.failures = 0
        self.study = None  # desktop.core.study.Study once the bank is open

    def check(self, what: str, step: Callable[[], str | None]) -> bool:
        """Run one step; it returns a detail for the `ok` line or raises to fail."""
        try:
            detail = step()
        except Exception as error:  # noqa: BLE001 - every failure is reported, none stops the report
            self.failures += 1
            self.out(f"FAIL {what}: {type(error).__name__}: {error}")
            if os.environ.get("ONSITE_SELF_TEST_TRACEBACK"):
                traceback.print_exc()
            return False
        self.out(f"ok   {what}" + (f" ({detail})" if detail else ""))
        return True

    # --- the checks, in order ---------------------------------------------------------------

    def open_bank(self) -> str:
        from .core.study import Study, prepare_bank

        if paths.is_frozen():
            bank_path = paths.shipped_bank_path()
            if not bank_path.exists():
                raise RuntimeError(f"the bundled bank {bank_path} is missing")
        else:
            content = paths.content_dir()
            bank_path = prepare_bank(content, paths.source_bank_path(), paths.shipped_bank_path()).path
        self.study = Study.open(bank_path, self.data_dir)
        topics = self.study.topics()
        questions = sum(topic.question_count for topic in topics)
        if not topics or not questions:
            raise RuntimeError(f"{bank_path} holds no questions")
        return f"{bank_path}: {len(topics)} topics, {questions} questions"

    def search(self) -> str:
        import re

        first = self.study.bank.questions()[0]
        word = max(re.findall(r"[A-Za-z]{4,}", first.title) or [first.title], key=len)
        hits = self.study.bank.search(word)
        if not hits:
            raise RuntimeError(f"searching {word!r} found nothing")
        return f"{word!r}: {len(hits)} hits"

    def render_code(self) -> str:
        from .core.render import code_css, render_markdown

        question = next(
            (detail for summary in self.study.bank.questions()
             if "```" in (detail := self.study.bank.question(summary.id)).answer_md),
            None,
        )
        if question is None:
            raise RuntimeError("no question in the bank has a fenced code block in its model answer")
        if 'class="highlight"' not in question.answer_html:
            raise RuntimeError(f"{question.id}: the stored answer HTML has no highlighted code")
        # Render again here: this exercises Markdown and Pygments as bundled, as the draft preview does.
        fresh = render_markdown(question.answer_md)
        if 'class="highlight"' not in fresh or "<span class=" not in fresh:
            raise RuntimeError(f"{question.id}: rendering the answer produced no Pygments highlighting")
        if ".highlight" not in code_css(dark=False) or ".highlight" not in code_css(dark=True):
            raise RuntimeError("the Pygments code styles did not load")
        return question.id

    def draft_round_trip(self) -> str:
        from .core.drafting import DraftSession
        from .core.userstore import USER_DB_NAME, UserStore

        question_id = self.study.bank.questions()[0].id
        session = self.study.draft_session(question_id)
        session.edited()
        if not session.save(SELF_TEST_DRAFT):
            raise RuntimeError("the draft was not written")
        # Read it back through a separate connection, as the next start of the app would.
        store = UserStore(self.data_dir / USER_DB_NAME)
        try:
            text = DraftSession(store, question_id).saved_text
            versions = store.draft_versions(question_id)
        finally:
            store.close()
        if text != SELF_TEST_DRAFT:
            raise RuntimeError(f"read back {text!r}")
        if not versions:
            raise RuntimeError("no history version was kept")
        return f"{question_id}, {len(versions)} version(s) in {self.data_dir}"

    def export(self) -> str:
        """Write an HTML and a Markdown export of one question into the throw-away folder and read them back."""
        from .core.export import ExportItem, export_html, export_markdown

        question = self.study.bank.question(self.study.bank.questions()[0].id)
        item = ExportItem(question, draft=SELF_TEST_DRAFT)
        out = self.data_dir / "self-test-export"
        out.mkdir(exist_ok=True)
        page = export_html([item], out / "export.html", label="Self-test").read_text(encoding="utf-8")
        if question.title.split()[0] not in page or 'class="highlight"' not in page or "<style>" not in page:
            raise RuntimeError("the HTML export lacks the question, its highlighted code or its styles")
        folder = export_markdown([item], out / "markdown", label="Self-test")
        written = folder / question.topic / f"{question.id}.md"
        if not written.is_file() or "## My latest draft" not in written.read_text(encoding="utf-8"):
            raise RuntimeError(f"the Markdown export did not write {written}")
        leftovers = [path.name for path in out.iterdir() if ".partial" in path.name]
        if leftovers:
            raise RuntimeError(f"temporary files were left behind: {leftovers}")
        return f"{question.id}: {len(page)} bytes of HTML, {len(list(folder.rglob('*.md')))} Markdown files"

    def main_window(self) -> str:
        from PySide6.QtWidgets import QApplication

        from .ui.main_window import MainWindow

        app = QApplication.instance() or QApplication(sys.argv[:1])
        app.setApplicationName(paths.APP_NAME)
        window = MainWindow(self.study)
        try:
            window.show()
            for _ in range(5):
                app.processEvents()
            pixmap = window.grab()
            if pixmap.isNull() or pixmap.width() < 200 or pixmap.height() < 200:
                raise RuntimeError(f"grabbing the window gave a {pixmap.width()}x{pixmap.height()} image")
            image = pixmap.toImage()
            step_x, step_y = max(1, image.width() // 40), max(1, image.height() // 40)
            colours = {image.pixel(x, y) for x in range(0, image.width(), step_x)
                       for y in range(0, image.height(), step_y)}
            if len(colours) < 3:
                raise RuntimeError("the window painted as a blank image")
            size = f"{pixmap.width()}x{pixmap.height()}, {len(colours)} colours sampled"
        finally:
            window.close()
            app.processEvents()
        return f"{app.platformName()}: {size}"

    def run(self) -> int:
        bank_ok = self.check("open the bundled question bank", self.open_bank)
        if bank_ok:
            self.check("full-text search", self.search)
            self.check("render a model answer with highlighted code", self.render_code)
            self.check("write and read back a draft", self.draft_round_trip)
            self.check("write an export", self.export)
            self.check("open, paint and close the main window", self.main_window)
        if self.study is not None:
            self.study.close()
        if not bank_ok:
            self.out("FAIL remaining checks skipped: no bank")
        self.out("self-test " + ("passed" if not self.failures else f"FAILED ({self.failures} failing)"))
        return 1 if self.failures or not bank_ok else 0


def _report_writer() -> Callable[[str], None]:
    """Print the report; also append it to ONSITE_SELF_TEST_LOG if set. A windowed Windows build has no
    stdout at all (sys.stdout is None), so there the report goes to %TEMP%/onsite-self-test.txt by default."""
    log = os.environ.get("ONSITE_SELF_TEST_LOG")
    if log is None and sys.stdout is None:
        log = str(Path(tempfile.gettempdir()) / "onsite-self-test.txt")

    def write(line: str) -> None:
        if sys.stdout is not None:
            print(line, flush=True)
        if log:
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")

    return write


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = _report_writer()
    with tempfile.TemporaryDirectory(prefix="onsite-self-test-") as folder:
        data_dir = Path(folder) / "data"
        data_dir.mkdir()
        previous = os.environ.get("ONSITE_DATA_DIR")
        os.environ["ONSITE_DATA_DIR"] = str(data_dir)  # anything asking paths.user_data_dir() lands here
        try:
            out(f"Onsite self-test ({'frozen' if paths.is_frozen() else 'source'}, Python {sys.version.split()[0]})")
            return SelfTest(data_dir, out).run()
        finally:
            if previous is None:
                os.environ.pop("ONSITE_DATA_DIR", None)
            else:
                os.environ["ONSITE_DATA_DIR"] = previous
