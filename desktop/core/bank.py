"""Read-only queries over the compiled question bank."""

from __future__ import annotations

import html
import json
import re
import sqlite3
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .vocabulary import OPTION_LETTERS

SNIPPET_START, SNIPPET_END = "\x02", "\x03"
DEFAULT_SEARCH_LIMIT = 200
# A bank with more questions than this ranks searches on titles, prompts and tags (Bank.search).
LARGE_BANK = 5000
HEAD_RANK = "bm25(0.0, 10.0, 5.0, 3.0)"
RANK_LIMIT = 3000  # on a large bank, more head matches than this are listed unranked
ANSWER_ONLY_HITS = 40  # on a large bank, answer-only matches listed after the ranked ones
SNIPPET_WORDS = 14
SNIPPET_SCAN_CHARS = 20_000  # matches past this point of a long answer are not worth a snippet
# bm25 column weights (id, title, prompt, answer, tags): title, prompt and tags outweigh the answer.
SEARCH_RANK = "bm25(0.0, 10.0, 5.0, 1.0, 3.0)"


class BankError(RuntimeError):
    """The bank file is missing or unreadable."""


@dataclass(frozen=True)
class TopicInfo:
    id: str
    title: str
    description_html: str
    rules: tuple[tuple[str, str], ...]  # (rule html, why html)
    question_count: int
    exercise_count: int


@dataclass(frozen=True)
class QuestionSummary:
    id: str
    topic: str
    title: str
    difficulty: str
    kind: str


@dataclass(frozen=True)
class QuestionDetail:
    id: str
    topic: str
    topic_title: str
    title: str
    difficulty: str
    kind: str
    tags: tuple[str, ...]
    prompt_md: str
    prompt_html: str
    answer_md: str
    answer_html: str
    structure: str
    key_points: tuple[str, ...]  # html fragments
    pitfalls: tuple[str, ...]
    follow_ups: tuple[str, ...]
    words: int


@dataclass
class SearchHit:
    """One search result; its snippet is cut only when something shows it (most hits never are)."""

    id: str
    rank: float
    columns: tuple[str, ...]  # title, prompt, answer
    pattern: Highlighter

    @cached_property
    def snippet_html(self) -> str:
        return highlight_snippet(cut_snippet(self.columns, self.pattern))


@dataclass(frozen=True)
class ExerciseDetail:
    id: str
    topic: str
    title: str
    stem_html: str
    options: tuple[str, ...]  # html, A..D
    best: str
    explanations: tuple[str, ...]  # html, A..D
    takeaway: str
    stem_md: str = ""  # the Markdown sources (exports)
    options_md: tuple[str, ...] = ()
    explanations_md: tuple[str, ...] = ()

    @property
    def best_index(self) -> int:
        return OPTION_LETTERS.index(self.best)


def fts_query(text: str) -> str | None:
    """Turn typed text into an FTS5 query: every word must match, each as a prefix (as-you-type)."""
    words = re.findall(r"\w+", text.lower())
    if not words:
        return None
    return " AND ".join(f'"{word}"*' for word in words)


def _highlight_stem(word: str) -> str:
    """A crude stem so highlighting finds what the porter tokenizer matched ("scaling" -> "scal")."""
    for suffix in ("ing", "ed", "es", "s", "e"):
        if len(word) > 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True)
class Highlighter:
    """What to mark in a snippet: any query word (`any`), and the lower-case stems (for scoring)."""

    any: re.Pattern[str]
    stems: tuple[str, ...]


def highlight_pattern(text: str) -> Highlighter:
    stems = sorted({_highlight_stem(word) for word in re.findall(r"\w+", text.lower())}, key=len, reverse=True)
    return Highlighter(re.compile(r"\b(?:" + "|".join(map(re.escape, stems)) + r")\w*", re.IGNORECASE), tuple(stems))


def cut_snippet(columns: tuple[str, ...], pattern: Highlighter, words: int = SNIPPET_WORDS) -> str:
    """About `words` words around the first match, from the column matching the most query words.

    Marks matches with SNIPPET_START/END and cut ends with an ellipsis, like FTS5's snippet().
    This runs for up to 200 rows on every keystroke, so columns are scored with plain substring
    tests (memchr speed) and only the chosen column is searched with the regex.
    """
    best_text, best_score, first_hit = columns[1] if len(columns) > 1 else columns[0], 0, 0
    for column in columns:
        lowered = column[:SNIPPET_SCAN_CHARS].lower()
        hits = [position for position in map(lowered.find, pattern.stems) if position >= 0]
        if len(hits) > best_score:
            best_text, best_score, first_hit = column, len(hits), min(hits)
        if best_score == len(pattern.stems):
            break  # every word found: the long answer column need not be read at all
    # The regex (word boundaries, any case) is slow to scan with, so it starts at the first
    # substring hit; it only has to skip hits inside words ("combat" for "bat").
    best_match = pattern.any.search(best_text, max(first_hit - 1, 0), SNIPPET_SCAN_CHARS) if best_score else None
    start = 0
    if best_match is not None:
        # Start at the match's sentence when it begins within half a window, else three words before.
        lead = best_text[max(0, best_match.start() - 120): best_match.start()]
        boundary = max(lead.rfind(". "), lead.rfind("? "), lead.rfind("! "), lead.rfind("\n"))
        if boundary >= 0:
            sentence_start: int | None = best_match.start() - len(lead) + boundary + 1
        else:  # the column's own start begins a sentence too
            sentence_start = 0 if best_match.start() == len(lead) else None
        if sentence_start is not None and len(best_text[sentence_start: best_match.start()].split()) <= words // 2:
            start = sentence_start
        else:
            start = best_match.start() - sum(len(word) + 1 for word in lead.split()[-3:])
        start = max(start, 0)
        while start < best_match.start() and best_text[start].isspace():
            start += 1
    window = best_text[start: start + 400].split()[:words]
    snippet = " ".join(window)
    snippet = pattern.any.sub(lambda match: f"{SNIPPET_START}{match.group(0)}{SNIPPET_END}", snippet)
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + len(" ".join(window)) < len(best_text.rstrip()) else ""
    return prefix + snippet + suffix


def highlight_snippet(raw: str) -> str:
    escaped = html.escape(raw)
    return escaped.replace(SNIPPET_START, '<b class="match">').replace(SNIPPET_END, "</b>")


class Bank:
    """The compiled bank, opened read-only. Safe to share; it never changes while the app runs."""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            raise BankError(f"The question bank {path} is missing.")
        try:
            self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            self._db.execute("SELECT 1 FROM questions LIMIT 1")
        except sqlite3.DatabaseError as error:
            raise BankError(f"The question bank {path} cannot be read: {error}") from None
        self.path = path
        self._question_count = self._db.execute("SELECT count(*) FROM questions").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def topics(self) -> list[TopicInfo]:
        rows = self._db.execute(
            """
            SELECT t.id, t.title, t.description_html, t.rules,
                   (SELECT COUNT(*) FROM questions q WHERE q.topic = t.id),
                   (SELECT COUNT(*) FROM exercises e WHERE e.topic = t.id)
            FROM topics t ORDER BY t.position, t.title
            """
        ).fetchall()
        return [
            TopicInfo(id_, title, description, tuple(tuple(rule) for rule in json.loads(rules)), questions, exercises)
            for id_, title, description, rules, questions, exercises in rows
        ]

    def topic(self, topic_id: str) -> TopicInfo | None:
        return next((topic for topic in self.topics() if topic.id == topic_id), None)

    def questions(
        self,
        topics: list[str] | tuple[str, ...] | None = None,
        difficulty: str | None = None,
        kind: str | None = None,
        ids: list[str] | None = None,
    ) -> list[QuestionSummary]:
        """Questions matching every given filter, in bank order (topic, then title)."""
        clauses, params = [], []
        if topics:
            clauses.append(f"q.topic IN ({','.join('?' * len(topics))})")
            params.extend(topics)
        if difficulty:
            clauses.append("q.difficulty = ?")
            params.append(difficulty)
        if kind:
            clauses.append("q.kind = ?")
            params.append(kind)
        if ids is not None:
            clauses.append("q.id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(ids))
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._db.execute(
            f"""
            SELECT q.id, q.topic, q.title, q.difficulty, q.kind
            FROM questions q JOIN topics t ON t.id = q.topic
            {where}
            ORDER BY t.position, q.difficulty_rank, q.title
            """,
            params,
        ).fetchall()
        return [QuestionSummary(*row) for row in rows]

    def search(self, text: str, limit: int = DEFAULT_SEARCH_LIMIT) -> list[SearchHit]:
        """Ranked full-text hits (bm25: title, prompt and tags weigh more than the answer).

        `ORDER BY rank` with the weights given as `rank MATCH` lets FTS5 sort internally and read
        columns only for the rows it returns; snippets are cut here from those rows, because
        FTS5's snippet() re-tokenises every matching document before the sort (most of the cost).
        """
        query = fts_query(text)
        if query is None:
            return []
        try:
            if self._question_count > LARGE_BANK:
                return self._hits(text, self._search_large(query, limit, ranked=len(text.strip()) > 2))
            rows = self._db.execute(
                f"""
                SELECT id, rank, title, prompt, answer FROM questions_fts
                WHERE questions_fts MATCH ? AND rank MATCH '{SEARCH_RANK}'
                ORDER BY rank LIMIT ?
                """,
                (query, limit),
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        return self._hits(text, rows)

    def _search_large(self, query: str, limit: int, ranked: bool) -> list[tuple]:
        """Rank on titles, prompts and tags; fill up with answer-only matches in bank order.

        Ranking costs microseconds per match and FTS5 cannot stop early, so on a bank of tens of
        thousands of questions ranking every answer that mentions "data" would take 50 ms a key.
        One or two typed letters, or words as common as "how", match a large share of the bank:
        those hits come in bank order (counting matches costs a fraction of ranking them).
        """
        if ranked:
            matches = self._db.execute(
                "SELECT count(*) FROM questions_head_fts WHERE questions_head_fts MATCH ?", (query,)
            ).fetchone()[0]
            ranked = matches <= RANK_LIMIT
        order = f"AND rank MATCH '{HEAD_RANK}' ORDER BY rank" if ranked else ""
        head = self._db.execute(
            f"""
            SELECT id, rank, title, prompt, '' FROM questions_head_fts
            WHERE questions_head_fts MATCH ? {order} LIMIT ?
            """,
            (query, limit),
        ).fetchall()
        if len(head) >= limit:
            return head
        # A few answer-only matches show that they exist; a longer query narrows them further.
        wanted = min(limit - len(head), ANSWER_ONLY_HITS)
        seen = {row[0] for row in head}
        rest = self._db.execute(
            "SELECT id, 0.0, title, prompt, answer FROM questions_fts WHERE questions_fts MATCH ? LIMIT ?",
            (query, wanted + len(head)),
        ).fetchall()
        return head + [row for row in rest if row[0] not in seen][:wanted]

    @staticmethod
    def _hits(text: str, rows: list[tuple]) -> list[SearchHit]:
        pattern = highlight_pattern(text)
        return [SearchHit(id_, rank, (title, prompt, answer), pattern) for id_, rank, title, prompt, answer in rows]

    def question(self, question_id: str) -> QuestionDetail | None:
        row = self._db.execute(
            """
            SELECT q.id, q.topic, t.title, q.title, q.difficulty, q.kind, q.tags, q.prompt_md, q.prompt_html,
                   q.answer_md, q.answer_html, q.structure, q.key_points, q.pitfalls, q.follow_ups, q.words
            FROM questions q JOIN topics t ON t.id = q.topic WHERE q.id = ?
            """,
            (question_id,),
        ).fetchone()
        if row is None:
            return None
        values = list(row)
        for index in (6, 12, 13, 14):
            values[index] = tuple(json.loads(values[index]))
        return QuestionDetail(*values)

    def exercises(self, topic_id: str | None = None, search: str = "") -> list[ExerciseDetail]:
        """A topic's exercises (None: all), narrowed to those whose title, scenario or options contain
        every typed word. A plain scan: exercises are few, and a substring also finds word middles."""
        clauses, params = [], []
        if topic_id:
            clauses.append("e.topic = ?")
            params.append(topic_id)
        for word in re.findall(r"\w+", search.lower()):
            pattern = "%" + word.replace("\\", "\\\\").replace("_", "\\_") + "%"
            clauses.append("(lower(e.title) LIKE ? ESCAPE '\\' OR lower(e.stem_md) LIKE ? ESCAPE '\\'"
                           " OR lower(e.options_md) LIKE ? ESCAPE '\\')")
            params += [pattern] * 3
        return self._exercises(f"WHERE {' AND '.join(clauses)}" if clauses else "", tuple(params))

    def exercise(self, exercise_id: str) -> ExerciseDetail | None:
        found = self._exercises("WHERE e.id = ?", (exercise_id,))
        return found[0] if found else None

    def _exercises(self, where: str, params: tuple) -> list[ExerciseDetail]:
        rows = self._db.execute(
            f"""
            SELECT e.id, e.topic, e.title, e.stem_html, e.options, e.best, e.explanations, e.takeaway,
                   e.stem_md, e.options_md, e.explanations_md
            FROM exercises e JOIN topics t ON t.id = e.topic {where}
            ORDER BY t.position, e.id
            """,
            params,
        ).fetchall()
        return [
            ExerciseDetail(id_, topic, title, stem, tuple(json.loads(options)), best,
                           tuple(json.loads(explanations)), takeaway, stem_md,
                           tuple(json.loads(options_md)), tuple(json.loads(explanations_md)))
            for id_, topic, title, stem, options, best, explanations, takeaway, stem_md, options_md,
            explanations_md in rows
        ]
