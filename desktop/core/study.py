"""The study service: the one object the UI talks to. Joins the bank with the user's data.

Start-up imports only what the first window needs (the bank, the user's store, due dates);
drafting, rounds, bank building and packs load on first use.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from . import bank_stamp
from .bank import (
    Bank,
    ExerciseDetail,
    Highlighter,
    QuestionDetail,
    SearchHit,
    TopicInfo,
    cut_snippet,
    fts_query,
    highlight_pattern,
    highlight_snippet,
)
from .review import ReviewSettings, cache_status, due_dates, due_labeler, end_of_local_day, read_settings, utc_text
from .userstore import USER_DB_NAME, UserStore, utc_now
from .vocabulary import DIFFICULTIES

if TYPE_CHECKING:
    import random

    from .drafting import DraftSession
    from .round_keeper import RoundKeeper

STATUSES = ("all", "new", "practised", "starred", "due")
SORTS = ("bank", "difficulty", "title", "relevance", "due")
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


@dataclass(frozen=True)
class QuestionFilter:
    topic: str | None = None
    difficulty: str | None = None
    kind: str | None = None
    status: str = "all"
    search: str = ""
    sort: str = "bank"


class OwnTextHit:
    """A search match in the user's own draft or note for a question; the snippet says which."""

    def __init__(self, question_id: str, draft: str, note: str, pattern: Highlighter) -> None:
        self.id = question_id
        self.draft = draft
        self.note = note
        self.pattern = pattern
        self._snippet: str | None = None

    @property
    def snippet_html(self) -> str:
        if self._snippet is None:  # cut only when a row is shown, as for bank hits
            def found(text: str) -> int:
                lowered = text.lower()
                return sum(stem in lowered for stem in self.pattern.stems)

            label, text = ("Your notes", self.note) if found(self.note) > found(self.draft) \
                else ("Your draft", self.draft)
            self._snippet = f"<i>{label}:</i> {highlight_snippet(cut_snippet((text,), self.pattern))}"
        return self._snippet


@dataclass(frozen=True)
class QuestionRow:
    id: str
    topic: str
    title: str
    difficulty: str
    kind: str
    practised: int
    starred: bool
    hit: SearchHit | OwnTextHit | None = None  # set when the list comes from a search
    due: str | None = None  # ISO UTC of the next review; None = never graded (new to the scheduler)
    due_label: str = "new"

    @property
    def snippet_html(self) -> str:
        return self.hit.snippet_html if self.hit else ""


def pick_random(rows: list[QuestionRow], rng: random.Random | None = None,
                exclude: str | None = None) -> QuestionRow | None:
    """A question to practise next, drawn from `rows` (the list as filtered): never-practised ones
    first, then any; not `exclude` (the one already open) unless nothing else is left."""
    import random

    rng = rng or random.Random()
    candidates = [row for row in rows if row.id != exclude] or list(rows)
    fresh = [row for row in candidates if not row.practised]
    pool = fresh or candidates
    return rng.choice(pool) if pool else None


@dataclass(frozen=True)
class TopicProgress:
    topic: TopicInfo
    practised: int
    exercises_done: int


@dataclass
class BankStatus:
    """How the bank was found; `warning` is shown to the user when it is set."""

    path: Path
    rebuilt: bool = False
    warning: str | None = None
    notes: list[str] = field(default_factory=list)


def rating_for_fraction(fraction: float) -> int:
    """Suggested self-grade (1 Again … 4 Easy) from the share of key points covered."""
    if fraction < 0.4:
        return 1
    if fraction < 0.7:
        return 2
    if fraction < 0.9:
        return 3
    return 4


def prepare_bank(content_root: Path | None, source_bank: Path, shipped_bank: Path) -> BankStatus:
    """Find the bank to open; from source, rebuild it when content/ changed.

    A broken content file never leaves the user without a bank: the last good build is used
    and the error is reported.
    """
    if content_root is None or not content_root.is_dir():
        return BankStatus(shipped_bank if shipped_bank.exists() else source_bank)
    if bank_stamp.is_current(content_root, source_bank):
        return BankStatus(source_bank)
    from .bank_build import build_bank, content_hash, stored_hash
    from .content import ContentError

    if stored_hash(source_bank) == content_hash(content_root):
        bank_stamp.write_stamp(content_root, source_bank)
        return BankStatus(source_bank)
    try:
        build_bank(content_root, source_bank)  # stamps the new bank
    except ContentError as error:
        fallback = source_bank if source_bank.exists() else shipped_bank
        return BankStatus(fallback, warning=f"The question bank could not be rebuilt: {error}")
    return BankStatus(source_bank, rebuilt=True)


def with_question_packs(status: BankStatus, data_dir: Path) -> BankStatus:
    """The bank plus the user's installed question packs (a combined copy, rebuilt only on change).

    A pack problem never stops the app: the plain bank is used and the problem is reported.
    """
    if not (data_dir / "packs").is_dir():  # packs.PACKS_DIR: most users have none, so skip loading that code
        return status
    import sqlite3

    from .packs import PackError, bank_with_packs

    try:
        path, warnings = bank_with_packs(status.path, data_dir)
    except (OSError, sqlite3.Error, PackError) as error:
        warning = f"Your question packs could not be added to the bank: {error}"
        return BankStatus(status.path, status.rebuilt, " ".join(filter(None, [status.warning, warning])),
                          status.notes)
    warning = " ".join(filter(None, [status.warning, *warnings])) or None
    return BankStatus(path, status.rebuilt, warning, status.notes)


class Study:
    def __init__(self, bank: Bank, store: UserStore, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.bank = bank
        self.store = store
        self._monotonic = monotonic
        self._rounds: RoundKeeper | None = None  # built on first use
        self._topics: list[TopicInfo] | None = None
        self.tz: tzinfo | None = None  # the user's time zone for "today"; None = the system's

    @classmethod
    def open(
        cls, bank_path: Path, data_dir: Path, clock: Callable[[], datetime] = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> Study:
        return cls(Bank(bank_path), UserStore(data_dir / USER_DB_NAME, clock=clock), monotonic)

    @property
    def rounds(self) -> RoundKeeper:
        if self._rounds is None:
            from .round_keeper import RoundKeeper

            self._rounds = RoundKeeper(self.bank, self.store, clock=self._monotonic)
        return self._rounds

    def close(self) -> None:
        self.store.close()
        self.bank.close()

    def reload_store(self, swap: Callable[[], None] | None = None) -> None:
        """Close the user's data file, run `swap` (a restore replaces the file there), open it again."""
        path, clock = self.store.path, self.store.clock
        self.store.close()
        try:
            if swap is not None:
                swap()
        finally:
            self.store = UserStore(path, clock=clock)
            self._rounds = None  # rebuilt on next use, over the new store

    def reload_bank(self, bank_path: Path) -> None:
        """Switch to another compiled bank (after a question pack was added or removed)."""
        new_bank = Bank(bank_path)
        old_bank, self.bank = self.bank, new_bank
        if self._rounds is not None:
            self._rounds.bank = new_bank
        self._topics = None
        old_bank.close()

    # --- browsing ---------------------------------------------------------------------------

    def topics(self) -> list[TopicInfo]:
        if self._topics is None:
            self._topics = self.bank.topics()
        return self._topics

    def topic_progress(self, topic_id: str) -> TopicProgress | None:
        topic = next((item for item in self.topics() if item.id == topic_id), None)
        if topic is None:
            return None
        stats = self.store.stats()
        question_ids = [question.id for question in self.bank.questions(topics=[topic_id])]
        practised = sum(1 for qid in question_ids if stats.get(qid) and stats[qid].practised)
        answers = self.store.exercise_answers()
        done = sum(1 for exercise in self.bank.exercises(topic_id) if exercise.id in answers)
        return TopicProgress(topic, practised, done)

    def questions(self, query: QuestionFilter) -> list[QuestionRow]:
        snippets: dict[str, SearchHit | OwnTextHit] = {}
        order: dict[str, int] = {}
        ids = None
        if query.search.strip():
            snippets = {hit.id: hit for hit in self.bank.search(query.search)}  # bank rank order
            # The user's own drafts and notes are searched too; their matches follow the bank's.
            own_query = fts_query(query.search)
            if own_query is not None:
                pattern = None
                for question_id, draft, note in self.store.search_own_text(own_query):
                    if question_id not in snippets:
                        pattern = pattern or highlight_pattern(query.search)
                        snippets[question_id] = OwnTextHit(question_id, draft, note, pattern)
            order = {question_id: index for index, question_id in enumerate(snippets)}
            ids = list(snippets)
        summaries = self.bank.questions(
            topics=[query.topic] if query.topic else None,
            difficulty=query.difficulty,
            kind=query.kind,
            ids=ids,
        )
        stats = self.store.stats()
        dues = self.due_dates()
        now = self.store.clock()
        end_of_today = utc_text(end_of_local_day(now, self.tz))
        label = due_labeler(now, self.tz)
        rows = []
        for summary in summaries:
            stat = stats.get(summary.id)
            practised = stat.practised if stat else 0
            starred = bool(stat and stat.starred)
            due = dues.get(summary.id)
            if query.status == "due" and (due is None or due > end_of_today):
                continue
            if query.status == "new" and practised:
                continue
            if query.status == "practised" and not practised:
                continue
            if query.status == "starred" and not starred:
                continue
            rows.append(
                QuestionRow(summary.id, summary.topic, summary.title, summary.difficulty, summary.kind,
                            practised, starred, snippets.get(summary.id), due, label(due))
            )
        if query.sort == "difficulty":
            rows.sort(key=lambda row: (DIFFICULTIES.index(row.difficulty), row.title.lower()))
        elif query.sort == "title":
            rows.sort(key=lambda row: row.title.lower())
        elif query.sort == "due":  # soonest first; never-graded questions after every scheduled one
            rows.sort(key=lambda row: (row.due is None, row.due or ""))
        elif order and query.sort in ("relevance", "bank"):
            rows.sort(key=lambda row: order[row.id])
        return rows

    def question(self, question_id: str) -> QuestionDetail | None:
        return self.bank.question(question_id)

    def exercises(self, topic_id: str | None, search: str = "") -> list[ExerciseDetail]:
        return self.bank.exercises(topic_id, search)

    def exercise(self, exercise_id: str) -> ExerciseDetail | None:
        return self.bank.exercise(exercise_id)

    # --- the user's actions -----------------------------------------------------------------

    def mark_practised(self, question_id: str) -> int:
        return self.store.mark_practised(question_id)

    def toggle_star(self, question_id: str) -> bool:
        starred = not self.store.question_stats(question_id).starred
        self.store.set_starred(question_id, starred)
        return starred

    def answer_exercise(self, exercise: ExerciseDetail, chosen: str) -> bool:
        correct = chosen == exercise.best
        self.store.record_exercise(exercise.id, chosen, correct)
        # Exercise answers join the review log: wrong comes back tomorrow (Again), right fades (Good).
        self.grade(exercise.id, 3 if correct else 1, float(correct), [], source="exercise")
        return correct

    def grade(
        self, question_id: str, rating: int, fraction: float, ticked: list[int], source: str,
        round_id: int | None = None,
    ) -> int:
        """Store a self-grade (every grade is kept) and count it as a practice."""
        grade_id = self.store.add_grade(question_id, rating, fraction, ticked, source, round_id)
        if source != "exercise":
            self.store.mark_practised(question_id)
        self.sync_schedule()
        return grade_id

    def draft_session(self, question_id: str, kind: str = "draft") -> DraftSession:
        from .drafting import DraftSession

        return DraftSession(self.store, question_id, kind)

    # --- spaced review and statistics (scheduling imports fsrs: loaded on first use only) ---------

    def due_dates(self) -> dict[str, str]:
        """Item id -> next review (ISO UTC), from the cache; refreshed first only if the log moved on."""
        if cache_status(self.store, read_settings(self.store).desired_retention).action != "current":
            self.sync_schedule()
        return due_dates(self.store)

    def sync_schedule(self, force_full: bool = False) -> str:
        from .scheduling import sync_cards

        return sync_cards(self.store, force_full)

    def today(self):  # noqa: ANN201 - scheduling.TodayQueue, imported lazily
        from .scheduling import today_queue

        return today_queue(self.bank, self.store, self.store.clock(), self.tz)

    def review_settings(self) -> ReviewSettings:
        return read_settings(self.store)

    def save_review_settings(self, settings: ReviewSettings) -> None:
        """Store validated settings; a new retention reschedules every card from the log."""
        from .review import FIRST_DAY_KEY, NEW_LIMIT_KEY, RETENTION_KEY, validate_settings

        problems = validate_settings(settings)
        if problems:
            raise ValueError(" ".join(problems))
        self.store.set_setting(NEW_LIMIT_KEY, int(settings.daily_new_limit))
        self.store.set_setting(RETENTION_KEY, round(float(settings.desired_retention), 2))
        self.store.set_setting(FIRST_DAY_KEY, int(settings.first_day_of_week))
        self.sync_schedule()

    def statistics(self, weeks: int = 12):  # noqa: ANN201 - stats.Statistics
        from .stats import collect_statistics

        return collect_statistics(self, self.store.clock(), weeks, self.tz)
