"""Back up all of the user's study data to one file, and restore it.

A backup is made with SQLite's online backup API from a consistent snapshot, so it is safe while
the app keeps writing (a plain file copy of a live WAL database can tear). A restore checks the
file completely (integrity, data version, tables and columns) before anything is replaced, keeps
the current data as a fallback copy, and re-opens the study data.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path

from .export import ExportCancelled, ExportError, atomic_file, explain_os_error
from .userstore import MIGRATIONS, SCHEMA_VERSION, free_name

Progress = Callable[[int, int], "bool | None"]
BACKUP_SUFFIX = ".onsite-backup"
SQLITE_HEADER = b"SQLite format 3\x00"
# What a backup summary counts, for the confirmation before a restore.
COUNTED = {
    "drafts": "SELECT COUNT(*) FROM drafts WHERE text != ''",
    "notes": "SELECT COUNT(*) FROM notes WHERE text != ''",
    "grades": "SELECT COUNT(*) FROM grades",
    "practised questions": "SELECT COUNT(*) FROM question_stats WHERE practised > 0",
    "rounds": "SELECT COUNT(*) FROM rounds",
}


class BackupError(ExportError):
    """A backup could not be written, or a file cannot be restored; says why. Nothing was changed."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    schema_version: int
    counts: dict[str, int]

    def summary(self) -> str:
        parts = [f"{count} {name}" for name, count in self.counts.items()]
        return ", ".join(parts) if parts else "no study data"


@dataclass(frozen=True)
class RestoreResult:
    info: BackupInfo
    fallback: Path | None  # the data that was replaced, kept under this name


def default_backup_name() -> str:
    return f"onsite-backup-{time.strftime('%Y-%m-%d-%H%M')}{BACKUP_SUFFIX}"


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise ExportCancelled()


def write_backup(data_path: Path, target: Path, progress: Progress | None = None) -> BackupInfo:
    """Write a consistent copy of the user data file `data_path` to `target` (atomically)."""
    if not data_path.exists():
        raise BackupError(f"There is no study data at {data_path} to back up yet.")
    _tick(progress, 0, 2)
    with atomic_file(target) as temp:
        try:
            # A separate read-only connection: the app's own connection keeps working meanwhile, and
            # one backup step copies one snapshot (WAL readers never block the writer).
            with closing(sqlite3.connect(f"file:{data_path}?mode=ro", uri=True)) as source, \
                    closing(sqlite3.connect(temp)) as copy:
                source.backup(copy)
                # One self-contained file: the copy inherits WAL mode, which would need side files.
                copy.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.Error as error:
            if "full" in str(error):
                raise OSError(28, "No space left on device") from None
            raise BackupError(f"The backup could not be written: {error}. Nothing was written.") from None
        _tick(progress, 1, 2)
        info = check_database(temp)  # never hand the user a backup that would not restore
        _tick(progress, 2, 2)
    return BackupInfo(target, info.schema_version, info.counts)


def expected_schema(version: int) -> dict[str, set[str]]:
    """Tables and their columns at a data version, from the migrations themselves."""
    with closing(sqlite3.connect(":memory:")) as memory:
        for script in MIGRATIONS[:version]:
            memory.executescript(script)
        return _schema(memory)


def _schema(connection: sqlite3.Connection) -> dict[str, set[str]]:
    tables = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )]
    return {table: {row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')} for table in tables}


def check_database(path: Path, name: str | None = None) -> BackupInfo:
    """Validate a candidate data file without changing it; raise BackupError naming the problem.

    `name` is what messages call the file (the user's chosen file, when `path` is a staged copy).
    """
    name = name or path.name
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise BackupError(f"{name} cannot be read: {error.strerror or error}.") from None
    if header != SQLITE_HEADER:
        raise BackupError(f"{name} is not an Onsite backup (it is not an SQLite database).")
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            check = connection.execute("PRAGMA integrity_check").fetchall()
            if [row[0] for row in check] != ["ok"]:
                problem = "; ".join(str(row[0]) for row in check[:3])
                raise BackupError(f"{name} is damaged (integrity check: {problem}).")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                raise BackupError(f"{name} is not an Onsite backup (it has no Onsite data version).")
            if version > SCHEMA_VERSION:
                raise BackupError(
                    f"{name} was written by a newer version of Onsite (data version {version}; this "
                    f"app reads up to {SCHEMA_VERSION}). Update Onsite to restore it."
                )
            found = _schema(connection)
            missing = []
            for table, columns in expected_schema(version).items():
                if table not in found:
                    missing.append(f"table {table}")
                elif columns - found[table]:
                    missing.append(f"{table}.{', '.join(sorted(columns - found[table]))}")
            if missing:
                raise BackupError(f"{name} is not a complete Onsite backup (missing {'; '.join(missing)}).")
            counts = {name: connection.execute(sql).fetchone()[0] for name, sql in COUNTED.items()
                      if _tables_exist(found, sql)}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{name} cannot be read as an Onsite backup: {error}.") from None
    return BackupInfo(path, version, {name: count for name, count in counts.items() if count})


def _tables_exist(found: dict[str, set[str]], sql: str) -> bool:
    table = sql.split(" FROM ")[1].split()[0]
    return table in found


def _staged_copy(source: Path, folder: Path) -> Path:
    """Copy the chosen file next to the data file and make it self-contained; the copy is what gets checked."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    try:
        handle, name = tempfile.mkstemp(prefix=".restore-", suffix=".sqlite", dir=folder)
        os.close(handle)
    except OSError as error:
        raise BackupError(explain_os_error(error, folder)) from None
    staged = Path(name)
    try:
        with open(source, "rb") as reader, open(staged, "wb") as writer:
            while chunk := reader.read(1 << 20):
                writer.write(chunk)
        check_database(staged, source.name)
        with closing(sqlite3.connect(staged)) as connection:
            connection.execute("PRAGMA journal_mode = DELETE")
    except OSError as error:
        staged.unlink(missing_ok=True)
        raise BackupError(explain_os_error(error, folder)) from None
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return staged


def inspect_backup(source: Path, scratch_dir: Path) -> BackupInfo:
    """Check a backup file (on a copy, in `scratch_dir`) and summarise it; changes nothing."""
    staged = _staged_copy(source, scratch_dir)
    try:
        info = check_database(staged)
    finally:
        staged.unlink(missing_ok=True)
    return BackupInfo(source, info.schema_version, info.counts)


def restore_backup(study, source: Path) -> RestoreResult:  # noqa: ANN001 - desktop.core.study.Study
    """Replace the user's data with a backup. Checked first: a bad file changes nothing.

    The current data is kept as `<name>.before-restore-<time>.sqlite` next to it. The study's
    store is closed for the swap and opened again (migrating an older backup as usual).
    """
    data_path: Path = study.store.path
    staged = _staged_copy(source, data_path.parent)
    info = check_database(staged, source.name)
    fallback: Path | None = None

    def swap() -> None:
        nonlocal fallback
        if data_path.exists():
            fallback = free_name(data_path, "before-restore")
            os.replace(data_path, fallback)
            for side in ("-wal", "-shm"):
                side_path = data_path.with_name(data_path.name + side)
                if side_path.exists():
                    os.replace(side_path, fallback.with_name(fallback.name + side))
        try:
            os.replace(staged, data_path)
        except OSError:
            if fallback is not None:  # put the user's data back exactly as it was
                os.replace(fallback, data_path)
                fallback = None
            raise

    try:
        study.reload_store(swap)
    except OSError as error:
        raise BackupError(explain_os_error(error, data_path.parent).replace("Nothing was written",
                                                                              "Nothing was changed")) from None
    finally:
        with suppress(OSError):
            staged.unlink(missing_ok=True)
    return RestoreResult(BackupInfo(source, info.schema_version, info.counts), fallback)


