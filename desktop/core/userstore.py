"""The user's own data (practice counts, stars, drafts, notes, grades, rounds, settings).

One SQLite file under the platform's user data dir, separate from the bank. WAL journal, a
schema version in `PRAGMA user_version` with a chain of migrations, a backup copy before any
migration, and a file that is corrupt or from a newer app set aside, never overwritten.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

USER_DB_NAME = "onsite-user.sqlite"


class UserDataError(RuntimeError):
    """A write or read of user data failed for a reason the user can act on (disk full, read-only)."""


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


# Each step moves the schema from version N-1 to N. Never edit a released step: add a new one.
MIGRATIONS: list[str] = [
    # 1: foundation
    """
    CREATE TABLE question_stats (
        question_id TEXT PRIMARY KEY,
        practised INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0,
        last_practised TEXT
    );
    CREATE TABLE exercise_answers (
        exercise_id TEXT PRIMARY KEY,
        chosen TEXT NOT NULL,
        correct INTEGER NOT NULL,
        answered_at TEXT NOT NULL
    );
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: drafting, notes and self-grading
    """
    CREATE TABLE drafts (
        question_id TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        seconds_spent REAL NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE draft_versions (
        id INTEGER PRIMARY KEY,
        question_id TEXT NOT NULL,
        text TEXT NOT NULL,
        words INTEGER NOT NULL,
        saved_at TEXT NOT NULL
    );
    CREATE INDEX draft_versions_question ON draft_versions (question_id, id);
    CREATE TABLE notes (
        question_id TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE grades (
        id INTEGER PRIMARY KEY,
        question_id TEXT NOT NULL,
        rating INTEGER NOT NULL,
        fraction REAL NOT NULL,
        ticked TEXT NOT NULL,
        source TEXT NOT NULL,
        round_id INTEGER,
        graded_at TEXT NOT NULL
    );
    CREATE INDEX grades_question ON grades (question_id, id);
    """,
    # 3: timed mock rounds, stored as they happen so a killed app can resume
    """
    CREATE TABLE rounds (
        id INTEGER PRIMARY KEY,
        config TEXT NOT NULL,
        state TEXT NOT NULL,
        current_index INTEGER NOT NULL DEFAULT 0,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        score REAL
    );
    CREATE TABLE round_items (
        round_id INTEGER NOT NULL REFERENCES rounds (id),
        position INTEGER NOT NULL,
        item_type TEXT NOT NULL,
        item_id TEXT NOT NULL,
        seconds_used REAL NOT NULL DEFAULT 0,
        status TEXT NOT NULL,
        choice TEXT,
        answer TEXT,
        PRIMARY KEY (round_id, position)
    );
    """,
    # 4: spaced review. review_cards is only a cache of scheduler state recomputed from the grades log
    # (desktop/core/scheduling.py). Exercise answers so far become grades, so the log is complete.
    """
    CREATE TABLE review_cards (
        item_id TEXT PRIMARY KEY,
        state INTEGER NOT NULL,
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due TEXT NOT NULL,
        last_review TEXT NOT NULL,
        first_review TEXT NOT NULL,
        reviews INTEGER NOT NULL,
        lapses INTEGER NOT NULL,
        last_rating INTEGER NOT NULL
    );
    CREATE TABLE review_cache_meta (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        signature TEXT NOT NULL,
        last_grade_id INTEGER NOT NULL,
        grade_count INTEGER NOT NULL
    );
    INSERT INTO grades (question_id, rating, fraction, ticked, source, round_id, graded_at)
        SELECT exercise_id, CASE WHEN correct THEN 3 ELSE 1 END, CAST(correct AS REAL), '[]', 'exercise', NULL,
               answered_at
        FROM exercise_answers ORDER BY answered_at;
    """,
    # 5: the user's own words (current drafts and notes) are searched with the bank. own_text_rows gives
    # each question a fixed rowid, so re-indexing one question on every autosave touches one row.
    """
    CREATE TABLE own_text_rows (row INTEGER PRIMARY KEY, question_id TEXT NOT NULL UNIQUE);
    CREATE VIRTUAL TABLE own_text_fts USING fts5(draft, note, tokenize = 'porter unicode61', prefix = '1 2 3');
    INSERT INTO own_text_rows (question_id)
        SELECT question_id FROM drafts WHERE text != '' UNION SELECT question_id FROM notes WHERE text != '';
    INSERT INTO own_text_fts (rowid, draft, note)
        SELECT r.row, COALESCE(d.text, ''), COALESCE(n.text, '')
        FROM own_text_rows r
        LEFT JOIN drafts d ON d.question_id = r.question_id
        LEFT JOIN notes n ON n.question_id = r.question_id;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class OpenReport:
    """What happened while opening: a message for the user if a file was set aside or migrated."""

    path: Path
    set_aside: Path | None = None
    reason: str | None = None
    backup: Path | None = None


@dataclass(frozen=True)
class QuestionStats:
    practised: int = 0
    starred: bool = False
    last_practised: str | None = None


@dataclass(frozen=True)
class DraftVersion:
    id: int
    text: str
    words: int
    saved_at: str


@dataclass(frozen=True)
class Grade:
    id: int
    question_id: str
    rating: int
    fraction: float
    ticked: tuple[int, ...]
    source: str
    round_id: int | None
    graded_at: str


def free_name(path: Path, label: str) -> Path:
    """An unused sibling name like `onsite-user.corrupt-20261123-180000.sqlite`."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{label}-{stamp}{path.suffix}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.{label}-{stamp}-{counter}{path.suffix}")
        counter += 1
    return target


def _set_aside(path: Path, label: str) -> Path:
    target = free_name(path, label)
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target


def _inspect(path: Path) -> tuple[int | None, str | None]:
    """Return (schema version, problem) of an existing file without changing it."""
    try:
        connection = sqlite3.connect(path)
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            check = connection.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return None, f"it is not a readable database ({error})"
    if check != "ok":
        return version, f"its integrity check failed ({check})"
    return version, None


class UserStore:
    """All reads and writes of the user's data. Every write is its own committed transaction."""

    def __init__(self, path: Path, clock: Callable[[], datetime] = utc_now) -> None:
        self.path = path
        self.clock = clock
        self.report = self._prepare(path)
        try:
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.Error as error:
            raise UserDataError(f"Your study data at {path} cannot be opened: {error}") from None

    def _prepare(self, path: Path) -> OpenReport:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UserDataError(f"Cannot create the data folder {path.parent}: {error.strerror}") from None
        if not path.exists():
            return OpenReport(path)
        version, problem = _inspect(path)
        if problem is None and version is not None and version > SCHEMA_VERSION:
            problem = (
                f"it was written by a newer version of Onsite "
                f"(data version {version}, this app reads up to {SCHEMA_VERSION})"
            )
            label = "newer"
        else:
            label = "corrupt"
        if problem:
            moved = _set_aside(path, label)
            return OpenReport(path, set_aside=moved, reason=problem)
        if version is not None and 0 < version < SCHEMA_VERSION:
            backup = path.with_name(f"{path.stem}.v{version}.bak{path.suffix}")
            shutil.copy2(path, backup)
            return OpenReport(path, backup=backup)
        return OpenReport(path)

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        for number in range(version + 1, SCHEMA_VERSION + 1):
            with self.transaction():
                for statement in MIGRATIONS[number - 1].split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        with suppress(sqlite3.Error):
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Commit on success, roll back on error; storage errors become UserDataError."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise UserDataError(self._explain(error)) from None
        try:
            yield self._db
        except sqlite3.Error as error:
            self._db.execute("ROLLBACK")
            raise UserDataError(self._explain(error)) from None
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            self._db.execute("ROLLBACK")
            raise UserDataError(self._explain(error)) from None

    def _explain(self, error: sqlite3.Error) -> str:
        text = str(error)
        if "readonly" in text or "read-only" in text:
            return f"Your study data at {self.path} is read-only, so changes cannot be saved."
        if "full" in text:
            return f"The disk holding {self.path} is full, so changes cannot be saved."
        return f"Saving to {self.path} failed: {text}"

    def now(self) -> str:
        return iso(self.clock())

    def query(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        return self._db.execute(sql, params).fetchall()

    # --- practice counts, stars, exercises -------------------------------------------------

    def stats(self) -> dict[str, QuestionStats]:
        rows = self.query("SELECT question_id, practised, starred, last_practised FROM question_stats")
        return {row[0]: QuestionStats(row[1], bool(row[2]), row[3]) for row in rows}

    def question_stats(self, question_id: str) -> QuestionStats:
        rows = self.query(
            "SELECT practised, starred, last_practised FROM question_stats WHERE question_id = ?", (question_id,)
        )
        return QuestionStats(rows[0][0], bool(rows[0][1]), rows[0][2]) if rows else QuestionStats()

    def mark_practised(self, question_id: str) -> int:
        with self.transaction() as db:
            db.execute(
                """
                INSERT INTO question_stats (question_id, practised, last_practised) VALUES (?, 1, ?)
                ON CONFLICT (question_id)
                DO UPDATE SET practised = practised + 1, last_practised = excluded.last_practised
                """,
                (question_id, self.now()),
            )
        return self.question_stats(question_id).practised

    def set_starred(self, question_id: str, starred: bool) -> None:
        with self.transaction() as db:
            db.execute(
                """
                INSERT INTO question_stats (question_id, starred) VALUES (?, ?)
                ON CONFLICT (question_id) DO UPDATE SET starred = excluded.starred
                """,
                (question_id, int(starred)),
            )

    def record_exercise(self, exercise_id: str, chosen: str, correct: bool) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO exercise_answers (exercise_id, chosen, correct, answered_at) "
                "VALUES (?, ?, ?, ?)",
                (exercise_id, chosen, int(correct), self.now()),
            )

    def exercise_answers(self) -> dict[str, tuple[str, bool]]:
        rows = self.query("SELECT exercise_id, chosen, correct FROM exercise_answers")
        return {row[0]: (row[1], bool(row[2])) for row in rows}

    def reset_exercise(self, exercise_id: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM exercise_answers WHERE exercise_id = ?", (exercise_id,))

    # --- settings --------------------------------------------------------------------------

    def setting(self, key: str, default: object = None) -> object:
        rows = self.query("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else default

    def set_setting(self, key: str, value: object) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, json.dumps(value)))

    # --- drafts, versions, notes ------------------------------------------------------------

    def draft(self, question_id: str) -> tuple[str, float]:
        rows = self.query("SELECT text, seconds_spent FROM drafts WHERE question_id = ?", (question_id,))
        return (rows[0][0], rows[0][1]) if rows else ("", 0.0)

    def save_draft(self, question_id: str, text: str, seconds_spent: float, keep_version: bool, words: int) -> None:
        with self.transaction() as db:
            now = self.now()
            db.execute(
                "INSERT OR REPLACE INTO drafts (question_id, text, seconds_spent, updated_at) VALUES (?, ?, ?, ?)",
                (question_id, text, seconds_spent, now),
            )
            if keep_version:
                db.execute(
                    "INSERT INTO draft_versions (question_id, text, words, saved_at) VALUES (?, ?, ?, ?)",
                    (question_id, text, words, now),
                )
            self._index_own_text(db, question_id)

    def draft_versions(self, question_id: str) -> list[DraftVersion]:
        rows = self.query(
            "SELECT id, text, words, saved_at FROM draft_versions WHERE question_id = ? ORDER BY id DESC",
            (question_id,),
        )
        return [DraftVersion(*row) for row in rows]

    def latest_version_text(self, question_id: str) -> str | None:
        rows = self.query(
            "SELECT text FROM draft_versions WHERE question_id = ? ORDER BY id DESC LIMIT 1", (question_id,)
        )
        return rows[0][0] if rows else None

    def drafted_question_ids(self) -> set[str]:
        return {row[0] for row in self.query("SELECT question_id FROM drafts WHERE text != ''")}

    def note(self, question_id: str) -> str:
        rows = self.query("SELECT text FROM notes WHERE question_id = ?", (question_id,))
        return rows[0][0] if rows else ""

    def save_note(self, question_id: str, text: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO notes (question_id, text, updated_at) VALUES (?, ?, ?)",
                (question_id, text, self.now()),
            )
            self._index_own_text(db, question_id)

    @staticmethod
    def _index_own_text(db: sqlite3.Connection, question_id: str) -> None:
        """Re-index one question's current draft and note (inside the transaction that saved them).

        A savepoint keeps the index secondary: if it cannot be updated (a damaged index), the
        words are still saved and only searching them is missed.
        """
        db.execute("SAVEPOINT own_text")
        try:
            db.execute("INSERT OR IGNORE INTO own_text_rows (question_id) VALUES (?)", (question_id,))
            row = db.execute("SELECT row FROM own_text_rows WHERE question_id = ?", (question_id,)).fetchone()[0]
            db.execute("DELETE FROM own_text_fts WHERE rowid = ?", (row,))
            db.execute(
                "INSERT INTO own_text_fts (rowid, draft, note) VALUES (?, "
                "COALESCE((SELECT text FROM drafts WHERE question_id = ?), ''), "
                "COALESCE((SELECT text FROM notes WHERE question_id = ?), ''))",
                (row, question_id, question_id),
            )
        except sqlite3.DatabaseError:
            db.execute("ROLLBACK TO own_text")
        db.execute("RELEASE own_text")

    def search_own_text(self, fts_query: str, limit: int = 200) -> list[tuple[str, str, str]]:
        """(question id, draft, note) of the questions whose draft or note matches an FTS5 query,
        best match first."""
        try:
            return self.query(
                "SELECT r.question_id, f.draft, f.note FROM own_text_fts f JOIN own_text_rows r ON r.row = f.rowid "
                "WHERE own_text_fts MATCH ? ORDER BY rank LIMIT ?",
                (fts_query, limit),
            )
        except sqlite3.OperationalError:  # a query FTS5 cannot parse finds nothing, as in the bank
            return []

    # --- grades (append-only: scheduling and statistics read the whole history) -------------

    def add_grade(
        self, question_id: str, rating: int, fraction: float, ticked: list[int], source: str,
        round_id: int | None = None,
    ) -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO grades (question_id, rating, fraction, ticked, source, round_id, graded_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (question_id, rating, fraction, json.dumps(ticked), source, round_id, self.now()),
            )
            return int(cursor.lastrowid)

    def grades(self, question_id: str | None = None) -> list[Grade]:
        where, params = ("WHERE question_id = ?", (question_id,)) if question_id else ("", ())
        rows = self.query(
            "SELECT id, question_id, rating, fraction, ticked, source, round_id, graded_at "
            f"FROM grades {where} ORDER BY id",
            params,
        )
        return [Grade(r[0], r[1], r[2], r[3], tuple(json.loads(r[4])), r[5], r[6], r[7]) for r in rows]

    def latest_ratings(self) -> dict[str, int]:
        rows = self.query(
            "SELECT question_id, rating FROM grades g "
            "WHERE id = (SELECT MAX(id) FROM grades WHERE question_id = g.question_id)"
        )
        return dict(rows)

    # --- rounds -------------------------------------------------------------------------------

    def create_round(self, config: dict, state: str, items: list[tuple[str, str, str]]) -> int:
        """Store a new round with its items as (item_type, item_id, status)."""
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO rounds (config, state, started_at) VALUES (?, ?, ?)",
                (json.dumps(config), state, self.now()),
            )
            round_id = int(cursor.lastrowid)
            db.executemany(
                "INSERT INTO round_items (round_id, position, item_type, item_id, status) VALUES (?, ?, ?, ?, ?)",
                [(round_id, position, *item) for position, item in enumerate(items)],
            )
        return round_id

    def save_round(
        self, round_id: int, state: str, current_index: int,
        items: list[tuple[float, str, str | None, str | None]], ended: bool = False,
    ) -> None:
        """Update progress; items are (seconds_used, status, choice, answer) in position order."""
        with self.transaction() as db:
            db.execute(
                "UPDATE rounds SET state = ?, current_index = ?, ended_at = CASE WHEN ? THEN ? ELSE ended_at END "
                "WHERE id = ?",
                (state, current_index, int(ended), self.now(), round_id),
            )
            db.executemany(
                "UPDATE round_items SET seconds_used = ?, status = ?, choice = ?, answer = ? "
                "WHERE round_id = ? AND position = ?",
                [(*item, round_id, position) for position, item in enumerate(items)],
            )

    def set_round_score(self, round_id: int, score: float | None) -> None:
        with self.transaction() as db:
            db.execute("UPDATE rounds SET score = ? WHERE id = ?", (score, round_id))

    def round_row(self, round_id: int) -> tuple | None:
        rows = self.query(
            "SELECT id, config, state, current_index, started_at, ended_at, score FROM rounds WHERE id = ?",
            (round_id,),
        )
        return rows[0] if rows else None

    def round_items(self, round_id: int) -> list[tuple]:
        return self.query(
            "SELECT item_type, item_id, seconds_used, status, choice, answer FROM round_items "
            "WHERE round_id = ? ORDER BY position",
            (round_id,),
        )

    def unfinished_round_id(self) -> int | None:
        rows = self.query("SELECT id FROM rounds WHERE state IN ('running', 'paused') ORDER BY id DESC LIMIT 1")
        return rows[0][0] if rows else None

    def round_rows(self) -> list[tuple]:
        return self.query(
            "SELECT id, config, state, current_index, started_at, ended_at, score FROM rounds "
            "WHERE state IN ('finished', 'time_up') ORDER BY id DESC"
        )

    def round_grades(self, round_id: int) -> dict[str, Grade]:
        """The latest grade given to each question within a round."""
        rows = self.query(
            "SELECT id, question_id, rating, fraction, ticked, source, round_id, graded_at "
            "FROM grades WHERE round_id = ? ORDER BY id",
            (round_id,),
        )
        return {r[1]: Grade(r[0], r[1], r[2], r[3], tuple(json.loads(r[4])), r[5], r[6], r[7]) for r in rows}
