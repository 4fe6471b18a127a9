"""Start-up stays lazy: what the first window does not show is not imported before it is needed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import REPO

# Each is loaded on first use: PDF export, charts, Anki decks, FSRS scheduling, and the Markdown,
# YAML and bank-building machinery (bank pages are pre-rendered HTML; the bank is only checked).
NOT_AT_START = (
    "genanki",
    "fsrs",
    "PySide6.QtPrintSupport",
    "PySide6.QtPdf",
    "desktop.core.export",
    "desktop.core.scheduling",
    "desktop.ui.stats_view",
    "desktop.ui.today_view",
    "markdown",
    "yaml",
    "sqlite_utils",
    "pygments.lexers",
)

# Not even loaded for the first frame: the question and exercise panes, the editor, the study keys'
# filter, drafting, rounds, and the content parser are built on the loop turn after the first paint.
NOT_BEFORE_FIRST_PAINT = (
    "desktop.ui.question_view",
    "desktop.ui.draft_editor",
    "desktop.ui.study_keys",
    "desktop.ui.round_view",
    "desktop.core.drafting",
    "desktop.core.round_keeper",
    "desktop.core.rounds",
    "desktop.core.content",
    "desktop.core.bank_build",
    "desktop.core.packs",
)

START_AND_LIST_MODULES = textwrap.dedent(
    """
    import enum, json, sys
    from pathlib import Path
    enums_built = []  # names of the Python enum classes PySide6 builds, in order
    build_enum = enum.EnumType._create_
    def recorded(cls, name, *args, **kwargs):
        enums_built.append(name)
        return build_enum(cls, name, *args, **kwargs)
    enum.EnumType._create_ = recorded
    from desktop import app, paths, startup_probe
    content, bank, data = map(Path, sys.argv[1:4])
    paths.content_dir = lambda: content
    paths.source_bank_path = lambda: bank  # already built from `content`: start-up only checks it
    painted = startup_probe._FirstPaint._painted
    def painted_and_listed(self):
        print("AT_PAINT " + json.dumps(sorted(sys.modules)), flush=True)
        print("ENUMS_AT_PAINT " + json.dumps(enums_built), flush=True)
        painted(self)
    startup_probe._FirstPaint._painted = painted_and_listed
    code = app.main(["--data-dir", str(data)])
    print("MODULES " + json.dumps(sorted(sys.modules)))
    print("ENUMS_AT_EXIT " + json.dumps(enums_built))
    sys.exit(code)
    """
)


def _loaded(modules: set[str], lazy_names: tuple[str, ...]) -> list[str]:
    return sorted(name for name in modules
                  if any(name == lazy or name.startswith(lazy + ".") for lazy in lazy_names))


@pytest.mark.slow
def test_first_window_imports_nothing_it_does_not_show(content_dir, bank_path, data_dir):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ONSITE_EXIT_AFTER_PAINT="1", PYTHONPATH=str(REPO))
    result = subprocess.run(
        [sys.executable, "-c", START_AND_LIST_MODULES, str(content_dir), str(bank_path), str(data_dir)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "ONSITE_FIRST_PAINT" in result.stdout  # the main window really was shown and painted
    assert "ONSITE_READY" in result.stdout  # ... and then built its deferred panes
    at_paint = set(json.loads(result.stdout.split("AT_PAINT ", 1)[1].splitlines()[0]))
    at_exit = set(json.loads(result.stdout.split("MODULES ", 1)[1].splitlines()[0]))
    assert "desktop.ui.main_window" in at_paint
    assert _loaded(at_paint, NOT_BEFORE_FIRST_PAINT) == []
    assert "desktop.ui.question_view" in at_exit  # built right after the first paint
    # Naming QStyle or reading a style option's state builds all of QStyle's enum classes (~7 ms),
    # and an application-wide event filter builds those of every class whose objects get events.
    enums_at_paint = json.loads(result.stdout.split("ENUMS_AT_PAINT ", 1)[1].splitlines()[0])
    enums_at_exit = json.loads(result.stdout.split("ENUMS_AT_EXIT ", 1)[1].splitlines()[0])
    assert "AlignmentFlag" in enums_at_exit and len(enums_at_exit) > len(enums_at_paint)  # the hook works
    assert "StateFlag" not in enums_at_paint and "ControlElement" not in enums_at_paint
    assert len(enums_at_paint) < 300  # was 357 before the filter and the question pane moved
    assert _loaded(at_exit, NOT_AT_START) == []
