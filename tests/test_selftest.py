"""`onsite --self-test`: passes from source, reports failures and never touches the real user data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import paths
from desktop.selftest import SelfTest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_self_test_passes_from_source(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ONSITE_", "XDG_"))}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", ONSITE_SELF_TEST_LOG=str(tmp_path / "report.txt"))
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--self-test"], cwd=REPO, env=env,
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "self-test passed"
    checks = [line for line in lines if line.startswith(("ok ", "FAIL"))]
    assert len(checks) == 6 and all(line.startswith("ok ") for line in checks)
    assert any("highlighted code" in line for line in checks)
    assert any("write an export" in line for line in checks)
    assert (tmp_path / "report.txt").read_text().splitlines() == lines
    assert not (home / ".local" / "share" / paths.APP_NAME).exists()


def test_a_missing_bundled_bank_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths, "is_frozen", lambda: True)
    monkeypatch.setattr(paths, "shipped_bank_path", lambda: tmp_path / "nowhere" / "bank.sqlite")
    lines: list[str] = []
    code = SelfTest(tmp_path, lines.append).run()
    assert code == 1
    assert lines[0].startswith("FAIL open the bundled question bank")
    assert lines[-1].startswith("self-test FAILED")


def test_a_failing_check_is_reported_and_counted(tmp_path: Path) -> None:
    lines: list[str] = []
    test = SelfTest(tmp_path, lines.append)

    def broken() -> str:
        raise ValueError("no hits")

    assert test.check("search", lambda: "3 hits")
    assert not test.check("search again", broken)
    assert lines == ["ok   search (3 hits)", "FAIL search again: ValueError: no hits"]
    assert test.failures == 1
