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


def test_kill_while_typing_loses_at_most_one_second(bank_path, data_dir):
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.typing_driver", str(bank_path), str(data_dir), "zero-stages"],
        cwd=REPO, stdout=subprocess.PIPE, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    typed: list[tuple[float, str]] = []
    try:
        deadline = time.monotonic() + 60
        while len(typed) < 60 and time.monotonic() < deadline:  # ~3 s of steady typing
            line = process.stdout.readline()
            if not line:
                break
            stamp, word = line.split()
            typed.append((float(stamp), word))
        os.kill(process.pid, signal.SIGKILL)
        killed_at = time.monotonic()
    finally:
        process.wait(timeout=10)
    assert len(typed) >= 60, "the app did not start typing"

    store = UserStore(data_dir / USER_DB_NAME)
    saved_words = store.draft("zero-stages")[0].split()
    store.close()
    must_have = [word for stamp, word in typed if stamp < killed_at - 1.0]
    assert must_have, "typing too short to judge"
    assert saved_words[: len(must_have)] == must_have
