"""Backup (online, consistent, one file) and restore (checked first, fallback kept, store re-opened)."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from desktop.core.backup import BackupError, check_database, inspect_backup, restore_backup, write_backup
from desktop.core.userstore import SCHEMA_VERSION, UserStore


def test_backup_is_one_self_contained_file(study, tmp_path):
    study.store.save_draft("zero-stages", "My ZeRO draft", 5.0, True, 3)
    target = tmp_path / "out" / "my.onsite-backup"
    target.parent.mkdir()
    info = write_backup(study.store.path, target)
    assert sorted(path.name for path in target.parent.iterdir()) == ["my.onsite-backup"]  # no -wal, no temp
    assert info.counts["drafts"] == 1
    with sqlite3.connect(target) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert connection.execute("SELECT text FROM drafts").fetchone()[0] == "My ZeRO draft"


def test_backup_while_the_store_is_being_written_is_consistent(study, tmp_path):
    """A writer commits draft N and setting N together; every backup must hold a matching pair."""
    writer = UserStore(study.store.path)
    stop = threading.Event()
    written = []

    def keep_writing() -> None:
        number = 0
        while not stop.is_set():
            number += 1
            with writer.transaction() as db:
                db.execute("INSERT OR REPLACE INTO drafts (question_id, text, seconds_spent, updated_at) "
                           "VALUES ('zero-stages', ?, 0, 'now')", (f"draft {number}",))
                db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('counter', ?)", (str(number),))
            written.append(number)

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        while len(written) < 20:
            stop.wait(0.001)
        for attempt in range(5):
            target = tmp_path / f"backup-{attempt}.onsite-backup"
            write_backup(study.store.path, target)
            with sqlite3.connect(target) as connection:
                assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                draft = connection.execute("SELECT text FROM drafts").fetchone()[0]
                counter = connection.execute("SELECT value FROM settings WHERE key = 'counter'").fetchone()[0]
            assert draft == f"draft {counter}"
    finally:
        stop.set()
        thread.join()
        writer.close()
    assert len(written) > 20  # the writer kept going during the backups


def test_restore_replaces_data_keeps_fallback_and_reopens(study, tmp_path):
    study.store.save_note("zero-stages", "note in the backup")
    backup = tmp_path / "b.onsite-backup"
    write_backup(study.store.path, backup)
    study.store.save_note("zero-stages", "note written after the backup")
    study.toggle_star("kv-cache-memory")

    result = restore_backup(study, backup)
    assert study.store.note("zero-stages") == "note in the backup"
    assert not study.store.question_stats("kv-cache-memory").starred
    study.store.save_note("zero-stages", "the reopened store takes writes")  # a live, writable store
    assert result.fallback is not None and result.fallback.exists()
    with sqlite3.connect(result.fallback) as connection:
        assert connection.execute("SELECT text FROM notes").fetchone()[0] == "note written after the backup"
    assert not list(study.store.path.parent.glob(".restore-*"))


def _snapshot(study) -> tuple:
    return study.store.note("zero-stages"), sorted(path.name for path in study.store.path.parent.iterdir())


@pytest.mark.parametrize("kind", ["garbage", "truncated", "corrupt-page", "not-onsite", "newer", "missing-table"])
def test_restore_of_a_bad_file_is_refused_and_changes_nothing(study, tmp_path, kind):
    study.store.save_note("zero-stages", "precious")
    good = tmp_path / "good.onsite-backup"
    write_backup(study.store.path, good)
    bad = tmp_path / f"{kind}.onsite-backup"
    data = good.read_bytes()
    if kind == "garbage":
        bad.write_bytes(b"this is not a database at all" * 100)
    elif kind == "truncated":
        bad.write_bytes(data[: len(data) // 2])
    elif kind == "corrupt-page":
        page = 4096
        broken = bytearray(data)
        for offset in range(page * 1 + 100, min(len(broken), page * 3)):
            broken[offset] = 0xFF
        bad.write_bytes(bytes(broken))
    else:
        bad.write_bytes(data)
        with sqlite3.connect(bad) as connection:
            if kind == "not-onsite":
                connection.execute("PRAGMA user_version = 0")
            elif kind == "newer":
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
            else:
                connection.execute("DROP TABLE notes")
        connection.close()
    before = _snapshot(study)
    with pytest.raises(BackupError) as raised:
        restore_backup(study, bad)
    message = str(raised.value)
    assert bad.name in message
    expected = {"garbage": "not an Onsite backup", "newer": "newer version", "not-onsite": "not an Onsite backup",
                "missing-table": "missing table notes"}.get(kind)
    if expected:
        assert expected in message
    assert _snapshot(study) == before
    assert study.store.note("zero-stages") == "precious"


def test_inspect_summarises_without_changing_anything(study, tmp_path):
    study.store.save_draft("zero-stages", "draft", 1.0, True, 1)
    study.grade("zero-stages", 4, 1.0, [0], "draft")
    backup = tmp_path / "b.onsite-backup"
    write_backup(study.store.path, backup)
    before = _snapshot(study)
    info = inspect_backup(backup, study.store.path.parent)
    assert info.counts["drafts"] == 1 and info.counts["grades"] >= 1
    assert "1 drafts" in info.summary()
    assert _snapshot(study) == before


def test_restore_of_an_older_backup_migrates_it(study, tmp_path):
    old = tmp_path / "v2.onsite-backup"
    from desktop.core.userstore import MIGRATIONS

    with sqlite3.connect(old) as connection:
        for script in MIGRATIONS[:2]:
            connection.executescript(script)
        connection.execute("PRAGMA user_version = 2")
        connection.execute("INSERT INTO notes VALUES ('zero-stages', 'from an old version', 'then')")
    connection.close()
    assert check_database(old).schema_version == 2
    restore_backup(study, old)
    assert study.store.note("zero-stages") == "from an old version"
    assert study.store.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION
