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

START_AND_LIST_MODULES = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from desktop import app, paths
    content, bank, data = map(Path, sys.argv[1:4])
    paths.content_dir = lambda: content
    paths.source_bank_path = lambda: bank  # already built from `content`: start-up only checks it
    code = app.main(["--data-dir", str(data)])
    print("MODULES " + json.dumps(sorted(sys.modules)))
    sys.exit(code)
    """
)


@pytest.mark.slow
def test_first_window_imports_nothing_it_does_not_show(content_dir, bank_path, data_dir):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ONSITE_EXIT_AFTER_PAINT="1", PYTHONPATH=str(REPO))
    result = subprocess.run(
        [sys.executable, "-c", START_AND_LIST_MODULES, str(content_dir), str(bank_path), str(data_dir)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "ONSITE_FIRST_PAINT" in result.stdout  # the main window really was shown and painted
    modules = set(json.loads(result.stdout.split("MODULES ", 1)[1]))
    assert "desktop.ui.main_window" in modules
    loaded = sorted(name for name in modules if name.split(".")[0] in {n.split(".")[0] for n in NOT_AT_START}
                    and any(name == lazy or name.startswith(lazy + ".") for lazy in NOT_AT_START))
    assert loaded == []
