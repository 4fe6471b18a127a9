"""A SIGKILL while typing loses at most the last second of the draft."""

import os
import signal
import subprocess
import sys
import time

import pytest

from desktop.core.userstore import USER_DB_NAME, UserStore

from .conftest import REPO

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")]


def type_then_kill(bank_path, data_dir, target: str, words: int = 60) -> tuple[list[str], list[str], float]:
    """Run the real window in a subprocess typing steadily; SIGKILL it. Returns (header, typed, kill time)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.typing_driver", str(bank_path), str(data_dir), target],
        cwd=REPO, stdout=subprocess.PIPE, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    header: list[str] = []
    typed: list[tuple[float, str]] = []
    try:
        deadline = time.monotonic() + 60
        while len(typed) < words and time.monotonic() < deadline:  # ~3 s of steady typing
            line = process.stdout.readline()
            if not line:
                break
            if line.startswith("ROUND"):
                header = line.split()[1:]
                continue
            stamp, word = line.split()
            typed.append((float(stamp), word))
        os.kill(process.pid, signal.SIGKILL)
        killed_at = time.monotonic()
    finally:
        process.wait(timeout=10)
    assert len(typed) >= words, "the app did not start typing"
    must_have = [word for stamp, word in typed if stamp < killed_at - 1.0]
    assert must_have, "typing too short to judge"
    return header, must_have, killed_at


def test_kill_while_typing_loses_at_most_one_second(bank_path, data_dir):
    _header, must_have, _killed = type_then_kill(bank_path, data_dir, "zero-stages")
    store = UserStore(data_dir / USER_DB_NAME)
    saved_words = store.draft("zero-stages")[0].split()
    store.close()
    assert saved_words[: len(must_have)] == must_have


def test_kill_during_a_round_offers_resume_with_drafts_intact(bank_path, data_dir):
    from desktop.core.bank import Bank
    from desktop.core.round_keeper import RoundKeeper

    header, must_have, _killed = type_then_kill(bank_path, data_dir, "--round")
    round_id, question_id = int(header[0]), header[1]
    store = UserStore(data_dir / USER_DB_NAME)
    assert store.draft(question_id)[0].split()[: len(must_have)] == must_have
    resumed = RoundKeeper(Bank(bank_path), store).unfinished()
    assert resumed is not None and resumed.round_id == round_id
    assert resumed.engine.index == 0
    assert 590 - 5 <= resumed.engine.remaining() < 600  # ~3 s were used; progress hits disk every 2 s
    store.close()
