"""Synthetic question banks at N times the real bank's size, for the search and list benchmarks.

The text is made from the real bank so the FTS statistics look like the real thing:
- every synthetic answer's length is drawn from the real answers' word counts;
- answers are recombined Markdown blocks (paragraphs, list items, headings, tables, code) taken
  from many real answers;
- the vocabulary grows with the bank as real vocabularies do (Heaps' law, V ~ n^0.5): a share of
  the longer words is replaced by new terms built from pieces of real words, drawn Zipf-like so a
  few are common and most are rare.

Rows are written straight into the real bank schema (`create_question_tables`, the same FTS5
configuration the app uses) without rendering Markdown per question, which would take minutes at
100x: each real block is rendered once and its HTML reused.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from desktop.core.bank_build import create_question_tables, insert_search_rows
from desktop.core.content import DIFFICULTIES
from desktop.core.render import plain_text, render_markdown

SUBSTITUTION_RATE = 0.12  # share of words of 5+ letters replaced by a (possibly new) term
WORD = re.compile(r"[A-Za-z]{5,}")


@dataclass(frozen=True)
class RealQuestion:
    id: str
    topic: str
    title: str
    difficulty: str
    kind: str
    tags: list[str]
    prompt_md: str
    prompt_html: str
    answer_md: str
    structure: str
    key_points: str
    pitfalls: str
    follow_ups: str
    words: int


def load_real(bank_path: Path) -> tuple[list[RealQuestion], sqlite3.Connection]:
    db = sqlite3.connect(f"file:{bank_path}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT id, topic, title, difficulty, kind, tags, prompt_md, prompt_html, answer_md, structure, "
        "key_points, pitfalls, follow_ups, words FROM questions ORDER BY id"
    ).fetchall()
    real = [RealQuestion(*row[:5], json.loads(row[5]), *row[6:]) for row in rows]
    return real, db


def split_blocks(markdown_text: str) -> list[str]:
    """Markdown split at blank lines, keeping fenced code blocks whole."""
    blocks, current, fenced = [], [], False
    for line in markdown_text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


class TermMaker:
    """New terms from pieces of real words, drawn Zipf-like; the pool grows as sqrt(scale)."""

    def __init__(self, vocabulary: list[str], scale: int, rng: random.Random) -> None:
        self.rng = rng
        pool_size = int(len(vocabulary) * (scale ** 0.5))
        heads = [word[: max(3, len(word) // 2)] for word in vocabulary]
        tails = [word[len(word) // 2:] for word in vocabulary]
        terms = set()
        while len(terms) < pool_size:
            terms.add((rng.choice(heads) + rng.choice(tails)).lower())
        self.terms = sorted(terms)
        rng.shuffle(self.terms)
        # Zipf weights (s = 1): cumulative, for bisect-free sampling via random.choices.
        self.weights = [1.0 / (rank + 1) for rank in range(len(self.terms))]
        self._buffer: list[str] = []

    def term(self) -> str:
        if not self._buffer:
            self._buffer = self.rng.choices(self.terms, weights=self.weights, k=4096)
        return self._buffer.pop()

    def mutate(self, text: str) -> str:
        def swap(match: re.Match[str]) -> str:
            return self.term() if self.rng.random() < SUBSTITUTION_RATE else match.group(0)

        return WORD.sub(swap, text)


def build_synthetic_bank(real_bank: Path, target: Path, scale: int, seed: int = 9) -> dict:
    """Write a bank with `scale` x the real question count; returns facts about it."""
    started = time.perf_counter()
    rng = random.Random(seed)
    real, source = load_real(real_bank)
    blocks = [block for question in real for block in split_blocks(question.answer_md)]
    block_words = [len(block.split()) for block in blocks]
    rendered: dict[int, str] = {}
    vocabulary = sorted({word.lower() for question in real for word in WORD.findall(question.answer_md)})
    terms = TermMaker(vocabulary, scale, rng)
    real_words = [question.words for question in real]

    target.unlink(missing_ok=True)
    db = sqlite_utils.Database(target)
    for table in ("meta", "topics", "exercises"):
        columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
        rows = [dict(zip(columns, row, strict=True)) for row in source.execute(f"SELECT * FROM {table}")]
        db[table].insert_all(rows, pk=columns[0])
    db["meta"].upsert({"key": "content_hash", "value": f"synthetic-{scale}x"}, pk="key")
    create_question_tables(db)

    count = len(real) * scale
    batch, fts_batch = [], []

    def flush() -> None:
        db["questions"].insert_all(batch)
        insert_search_rows(db.conn, fts_batch)
        batch.clear()
        fts_batch.clear()

    for number in range(count):
        model = real[number % len(real)]
        wanted = rng.choice(real_words)
        parts_md, parts_html, words = [], [], 0
        while words < wanted:
            index = rng.randrange(len(blocks))
            if index not in rendered:
                rendered[index] = render_markdown(blocks[index])
            parts_md.append(terms.mutate(blocks[index]))
            parts_html.append(rendered[index])
            words += block_words[index]
        answer_md = "\n\n".join(parts_md)
        title_words = model.title.split()
        rng.shuffle(title_words)
        title = " ".join([*title_words[:6], terms.term()]).capitalize()
        prompt_md = terms.mutate(rng.choice(real).prompt_md)
        question_id = f"{model.id}-x{number // len(real)}"
        batch.append(
            {
                "id": question_id, "topic": model.topic, "title": title, "difficulty": model.difficulty,
                "difficulty_rank": DIFFICULTIES.index(model.difficulty), "kind": model.kind,
                "tags": json.dumps(model.tags), "prompt_md": prompt_md, "prompt_html": model.prompt_html,
                "answer_md": answer_md, "answer_html": "".join(parts_html), "structure": model.structure,
                "key_points": model.key_points, "pitfalls": model.pitfalls, "follow_ups": model.follow_ups,
                "words": words, "source": "synthetic",
            }
        )
        fts_batch.append(
            (question_id, title, plain_text(prompt_md), plain_text(answer_md), " ".join(model.tags).replace("-", " "))
        )
        if len(batch) >= 2000:
            flush()
    flush()
    db.conn.commit()
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute("VACUUM")
    db.conn.close()
    source.close()
    return {"questions": count, "seconds_to_generate": round(time.perf_counter() - started, 1),
            "new_terms_in_pool": len(terms.terms), "real_vocabulary": len(vocabulary)}
