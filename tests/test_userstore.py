"""The user's data file: migrations, set-aside of bad files, and error reporting."""

import sqlite3
from datetime import datetime, timezone

import pytest

from desktop.core.bank import fts_query
from desktop.core.userstore import MIGRATIONS, SCHEMA_VERSION, UserDataError, UserStore


def test_fresh_store_has_current_schema(data_dir):
    store = UserStore(data_dir / "user.sqlite")
    assert store.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION
    assert store.query("PRAGMA journal_mode")[0][0] == "wal"
    store.close()


def test_practised_and_star_persist(data_dir):
    path = data_dir / "user.sqlite"
    store = UserStore(path)
    store.mark_practised("q1")
    assert store.mark_practised("q1") == 2
    store.set_starred("q1", True)
    store.close()
    reopened = UserStore(path)
    assert reopened.question_stats("q1").practised == 2
    assert reopened.question_stats("q1").starred
    assert reopened.question_stats("missing").practised == 0


def test_migration_from_version_one_keeps_data_and_backs_up(data_dir):
    path = data_dir / "user.sqlite"
    connection = sqlite3.connect(path)
    connection.executescript(MIGRATIONS[0])
    connection.execute("INSERT INTO question_stats (question_id, practised) VALUES ('q1', 3)")
    connection.execute("PRAGMA user_version = 1")
    connection.commit()
    connection.close()
    store = UserStore(path)
    assert store.report.backup is not None and store.report.backup.exists()
    assert store.question_stats("q1").practised == 3
    store.save_note("q1", "remember ZeRO")
    assert store.note("q1") == "remember ZeRO"


def test_corrupt_file_is_set_aside_not_overwritten(data_dir):
    path = data_dir / "user.sqlite"
    garbage = b"this is not sqlite" * 500
    path.write_bytes(garbage)
    store = UserStore(path)
    assert store.report.set_aside is not None
    assert store.report.set_aside.read_bytes() == garbage
    assert "not a readable database" in store.report.reason
    assert store.question_stats("q1").practised == 0


def test_file_from_newer_version_is_set_aside(data_dir):
    path = data_dir / "user.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE future (x)")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    connection.commit()
    connection.close()
    store = UserStore(path)
    assert "newer version" in store.report.reason
    assert store.report.set_aside.name.startswith("user.newer-")


def test_grades_are_append_only_with_timestamps(data_dir):
    moments = iter([datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2026, 1, 2, tzinfo=timezone.utc)])
    store = UserStore(data_dir / "user.sqlite", clock=lambda: next(moments))
    store.add_grade("q1", 2, 0.5, [0, 1], "draft")
    store.add_grade("q1", 4, 1.0, [0, 1, 2, 3], "draft")
    grades = store.grades("q1")
    assert [grade.rating for grade in grades] == [2, 4]
    assert grades[0].graded_at.startswith("2026-01-01")
    assert store.latest_ratings() == {"q1": 4}


def test_failed_write_rolls_back_and_explains(data_dir):
    store = UserStore(data_dir / "user.sqlite")
    with pytest.raises(UserDataError), store.transaction() as db:
        db.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
        db.execute("INSERT INTO no_such_table VALUES (1)")
    assert store.setting("a") is None


def test_read_only_data_is_a_clear_error(data_dir):
    path = data_dir / "user.sqlite"
    UserStore(path).close()
    store = UserStore(path)
    store._db.execute("PRAGMA query_only = ON")  # what a read-only file looks like to SQLite writes
    with pytest.raises(UserDataError, match="cannot be saved|failed"):
        store.save_note("q1", "text")


def test_settings_round_trip(data_dir):
    store = UserStore(data_dir / "user.sqlite")
    store.set_setting("window", {"w": 3})
    assert store.setting("window") == {"w": 3}
    assert store.setting("missing", 7) == 7


def test_own_words_are_searchable_and_follow_every_save(data_dir):
    store = UserStore(data_dir / "user.sqlite")
    store.save_draft("q1", "Bucket gradients and overlap the NCCL all-reduce with backward.", 30, False, 9)
    store.save_note("q2", "Remember: sharding the optimizer states is ZeRO-1.")
    store.save_note("q1", "Ask about ring versus tree.")

    def found(words: str) -> list[str]:
        return [row[0] for row in store.search_own_text(fts_query(words))]

    assert found("nccl") == ["q1"]
    assert found("shard optim") == ["q2"]  # prefixes and stems, as in the bank's search
    assert found("ring nccl") == ["q1"]  # one question's draft and note are searched together
    assert store.search_own_text(fts_query("ring"))[0][1:] == (
        "Bucket gradients and overlap the NCCL all-reduce with backward.", "Ask about ring versus tree.")
    store.save_draft("q1", "Rewritten without the library name.", 40, False, 5)
    assert found("nccl") == []
    assert found("rewritten") == ["q1"]
    store.save_note("q2", "")
    assert found("shard") == []
    assert store.search_own_text('"unbalanced') == []  # a query FTS5 cannot parse finds nothing
    store.close()


def test_migration_indexes_drafts_and_notes_written_before_search_existed(data_dir):
    path = data_dir / "user.sqlite"
    connection = sqlite3.connect(path)
    for script in MIGRATIONS[:4]:
        connection.executescript(script)
    connection.execute("INSERT INTO drafts VALUES ('q1', 'Paged attention allocates KV blocks', 12, 'then')")
    connection.execute("INSERT INTO notes VALUES ('q2', 'PagedAttention paper, vLLM', 'then')")
    connection.execute("INSERT INTO notes VALUES ('q3', '', 'then')")
    connection.execute("PRAGMA user_version = 4")
    connection.commit()
    connection.close()
    store = UserStore(path)
    assert sorted(row[0] for row in store.search_own_text(fts_query("paged"))) == ["q1", "q2"]
    store.save_draft("q3", "Paged KV cache", 5, False, 3)  # a question first written after the migration
    assert sorted(row[0] for row in store.search_own_text(fts_query("paged"))) == ["q1", "q2", "q3"]
    store.close()


def test_a_broken_search_index_never_stops_a_draft_from_saving(data_dir):
    store = UserStore(data_dir / "user.sqlite")
    store.query("DROP TABLE own_text_fts")  # stands in for an index that can no longer be written
    store.save_draft("q1", "My words survive.", 5, False, 3)
    store.save_note("q1", "So does my note.")
    assert store.draft("q1")[0] == "My words survive."
    assert store.note("q1") == "So does my note."
    assert store.search_own_text(fts_query("words")) == []  # only searching them is lost
    store.close()
