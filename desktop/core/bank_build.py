"""Compile content/ into the read-only SQLite question bank.

Markdown is rendered here, once, because bank text never changes at run time. The database
carries a hash of the content so a source run can tell when it must rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .content import DIFFICULTIES, ContentSet, load_content
from .render import plain_text, render_inline, render_markdown

if TYPE_CHECKING:
    import sqlite_utils

from . import bank_stamp
from .bank_stamp import BANK_SCHEMA_VERSION, BUILD_CODE, CONTENT_SUFFIXES


def content_hash(root: Path) -> str:
    """Hash of every content file and of the build code; changes whenever the bank would."""
    digest = hashlib.sha256(f"schema {BANK_SCHEMA_VERSION}\n".encode())
    for name in BUILD_CODE:
        digest.update((Path(__file__).parent / name).read_bytes())
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in CONTENT_SUFFIXES:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def stored_hash(bank_path: Path) -> str | None:
    """The content hash a bank was built from, or None if it is missing or unreadable."""
    if not bank_path.exists():
        return None
    try:
        connection = sqlite3.connect(f"file:{bank_path}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT value FROM meta WHERE key = 'content_hash'").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def build_bank(content_root: Path, bank_path: Path) -> ContentSet:
    """Validate content and write the bank atomically; raises ContentError on a bad file.

    Also stamps the bank (bank_stamp.py) so the next source start-up knows it is current without
    hashing content/ again, unless a file changed while the bank was being built.
    """
    files_before = bank_stamp.content_files(content_root)
    content = load_content(content_root)
    bank_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".bank-", suffix=".sqlite", dir=bank_path.parent)
    os.close(handle)
    temp_path = Path(temp_name)
    try:
        write_bank(content, temp_path, content_hash(content_root))
        os.replace(temp_path, bank_path)
    finally:
        temp_path.unlink(missing_ok=True)
    if bank_stamp.content_files(content_root) == files_before:
        bank_stamp.write_stamp(content_root, bank_path)
    return content


def write_bank(content: ContentSet, path: Path, source_hash: str) -> None:
    import sqlite_utils  # here, not at the top: a source start-up only checks the hash (saves ~80 ms)

    path.unlink(missing_ok=True)
    db = sqlite_utils.Database(path)
    db["meta"].insert_all(
        [
            {"key": "content_hash", "value": source_hash},
            {"key": "schema_version", "value": str(BANK_SCHEMA_VERSION)},
            {"key": "built_at", "value": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
        ],
        pk="key",
    )
    db["topics"].insert_all(
        (
            {
                "id": topic.id,
                "title": topic.title,
                "position": topic.order,
                "description_html": render_markdown(topic.description),
                "rules": json.dumps([[render_inline(rule.rule), render_inline(rule.why)] for rule in topic.rules]),
                "source": "bank",
            }
            for topic in content.topics
        ),
        pk="id",
    )
    insert_questions(db, content.questions, source="bank")
    insert_exercises(db, content.exercises, source="bank")
    db.execute("PRAGMA journal_mode = DELETE")
    db.conn.commit()
    db.execute("VACUUM")
    db.conn.close()


def create_question_tables(db: sqlite_utils.Database) -> None:
    db["questions"].create(
        {
            "id": str, "topic": str, "title": str, "difficulty": str, "difficulty_rank": int,
            "kind": str, "tags": str, "prompt_md": str, "prompt_html": str, "answer_md": str,
            "answer_html": str, "structure": str, "key_points": str, "pitfalls": str,
            "follow_ups": str, "words": int, "source": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db["questions"].create_index(["topic"], if_not_exists=True)
    # Prefix indexes for 1-3 letters: a search runs on every keystroke, and without them a short
    # prefix ("b", "ba") merges hundreds of term lists (100+ ms on a bank 100x today's size).
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS questions_fts USING fts5("
        "id UNINDEXED, title, prompt, answer, tags, "
        "tokenize = 'porter unicode61', prefix = '1 2 3')"
    )
    # Titles, prompts and tags alone: ten times less text than with the answers, so a large bank
    # can rank on them within a keystroke (Bank.search).
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS questions_head_fts USING fts5("
        "id UNINDEXED, title, prompt, tags, "
        "tokenize = 'porter unicode61', prefix = '1 2 3')"
    )
    db["exercises"].create(
        {
            "id": str, "topic": str, "title": str, "stem_md": str, "stem_html": str, "options": str,
            "best": str, "explanations": str, "takeaway": str, "source": str,
            "options_md": str, "explanations_md": str,  # the Markdown sources, for the Markdown export
        },
        pk="id",
        if_not_exists=True,
    )


def insert_questions(db: sqlite_utils.Database, questions, source: str) -> None:
    create_question_tables(db)
    rows = []
    fts_rows = []
    for question in questions:
        rows.append(
            {
                "id": question.id,
                "topic": question.topic,
                "title": question.title,
                "difficulty": question.difficulty,
                "difficulty_rank": DIFFICULTIES.index(question.difficulty),
                "kind": question.kind,
                "tags": json.dumps(list(question.tags)),
                "prompt_md": question.prompt,
                "prompt_html": render_markdown(question.prompt),
                "answer_md": question.answer,
                "answer_html": render_markdown(question.answer),
                "structure": question.structure,
                "key_points": json.dumps([render_inline(point) for point in question.key_points]),
                "pitfalls": json.dumps([render_inline(point) for point in question.pitfalls]),
                "follow_ups": json.dumps([render_inline(point) for point in question.follow_ups]),
                "words": question.answer_words,
                "source": source,
            }
        )
        fts_rows.append(
            (
                question.id,
                question.title,
                plain_text(question.prompt),
                plain_text(question.answer),
                " ".join(question.tags).replace("-", " "),
            )
        )
    db["questions"].insert_all(rows)
    insert_search_rows(db.conn, fts_rows)


def insert_search_rows(connection: sqlite3.Connection, rows: list[tuple[str, str, str, str, str]]) -> None:
    """Index (id, title, prompt, answer, tags) rows in both full-text tables."""
    connection.executemany(
        "INSERT INTO questions_fts (id, title, prompt, answer, tags) VALUES (?, ?, ?, ?, ?)", rows
    )
    connection.executemany(
        "INSERT INTO questions_head_fts (id, title, prompt, tags) VALUES (?, ?, ?, ?)",
        [(row[0], row[1], row[2], row[4]) for row in rows],
    )


def insert_exercises(db: sqlite_utils.Database, exercises, source: str) -> None:
    create_question_tables(db)
    db["exercises"].insert_all(
        {
            "id": exercise.id,
            "topic": exercise.topic,
            "title": exercise.title,
            "stem_md": exercise.stem,
            "stem_html": render_markdown(exercise.stem),
            "options": json.dumps([render_markdown(option) for option in exercise.options]),
            "best": exercise.best,
            "explanations": json.dumps([render_markdown(text) for text in exercise.explanations]),
            "takeaway": exercise.takeaway,
            "source": source,
            "options_md": json.dumps(list(exercise.options), ensure_ascii=False),  # searched as text
            "explanations_md": json.dumps(list(exercise.explanations), ensure_ascii=False),
        }
        for exercise in exercises
    )
