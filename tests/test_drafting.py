"""Draft sessions: autosave bookkeeping, version history and time spent, with a fake clock."""

import pytest

from desktop.core.drafting import IDLE_CAP_SECONDS, DraftSession, should_keep_version, word_count
from desktop.core.userstore import UserDataError, UserStore


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(data_dir):
    opened = UserStore(data_dir / "user.sqlite")
    yield opened
    opened.close()


def test_save_writes_only_changes(store):
    session = DraftSession(store, "q1")
    assert session.save("first words")
    assert not session.save("first words")
    assert store.draft("q1")[0] == "first words"


def test_versions_are_kept_when_the_draft_moved_enough(store):
    session = DraftSession(store, "q1")
    base = " ".join(f"word{i}" for i in range(40))
    session.save(base)
    session.save(base + " tiny")
    assert len(session.versions()) == 1
    session.save(base + " " + " ".join(f"new{i}" for i in range(15)))
    versions = session.versions()
    assert len(versions) == 2
    assert versions[0].words == 55


def test_forced_version_on_reveal(store):
    session = DraftSession(store, "q1")
    session.save("a long enough first draft for history")
    session.save("a long enough first draft for history!", force_version=True)
    assert len(session.versions()) == 2


def test_time_spent_counts_typing_not_idle(store):
    clock = FakeMonotonic()
    session = DraftSession(store, "q1", monotonic=clock)
    session.edited()
    clock.now += 5
    session.edited()
    clock.now += 3600  # went for lunch
    session.edited()
    assert session.seconds_spent == 5 + IDLE_CAP_SECONDS
    session.save("text")
    assert DraftSession(store, "q1").seconds_spent == 5 + IDLE_CAP_SECONDS


def test_failed_save_keeps_text_pending(store):
    session = DraftSession(store, "q1")
    session.edited()
    store._db.execute("PRAGMA query_only = ON")
    with pytest.raises(UserDataError):
        session.save("precious words")
    assert session.dirty
    store._db.execute("PRAGMA query_only = OFF")
    assert session.save("precious words")
    assert store.draft("q1")[0] == "precious words"


def test_notes_are_separate_from_drafts(store):
    DraftSession(store, "q1", kind="note").save("my note")
    assert store.note("q1") == "my note"
    assert store.draft("q1")[0] == ""


def test_version_rules():
    assert not should_keep_version(None, "   ")
    assert should_keep_version(None, "hello")
    assert word_count("one two\nthree") == 3
