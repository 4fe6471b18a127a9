"""Spaced review with FSRS: scheduler state recomputed from the grades log, and the Today queue.

The grades table is the review log (append-only; drafting, rounds and exercises all write to it).
A card per item (question or exercise) is the result of replaying that item's grades through an
`fsrs.Scheduler` in time order; the cards are cached in `review_cards` so that opening Today does
not replay the whole history. The cache is refreshed incrementally when grades were added and
rebuilt when the desired retention or the scheduling rules change, so changing the rules never
loses anything: the log is all that is kept for good.

Choices, and why:
- No learning steps, a one-day relearning step and no fuzz. A long-form interview answer takes
  minutes to draft; minute-scale learning steps (Anki's flashcard defaults) would bring it back
  within the hour. Here "Again" means "tomorrow", and every other interval is whole days.
  Fuzz draws from `random`, which would make a replay differ from the cache it must equal.
- Intervals are capped at a year: interview preparation has a horizon of months.
- Exercises (multiple-choice) are scheduled as their own cards: one answered wrong comes back the
  next day, one answered right fades out. Only answered exercises are queued; new material
  in Today is questions, because drafting an answer is the practice that matters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from typing import NamedTuple
from weakref import WeakKeyDictionary

from fsrs import Card, Rating, Scheduler, State

from .bank import Bank
from .review import (
    CachedCard,
    ReviewSettings,
    cache_status,
    card_times,
    end_of_local_day,
    parse_utc,
    read_settings,
    start_of_local_day,
    utc_text,
    write_cards,
)
from .userstore import UserStore

MAX_INTERVAL_DAYS = 365
RELEARNING_STEP = timedelta(days=1)
DEFAULT_MINUTES_PER_QUESTION = 6.0
MINUTES_PER_EXERCISE = 1.5
# A draft needs this much time and there must be this many of them before the user's own pace
# replaces the default estimate.
MIN_DRAFT_SECONDS = 60.0
MIN_DRAFTS_FOR_ESTIMATE = 3
_SQL_CHUNK = 500  # well under SQLite's limit on bound parameters


def make_scheduler(desired_retention: float) -> Scheduler:
    return Scheduler(
        desired_retention=desired_retention,
        learning_steps=(),
        relearning_steps=(RELEARNING_STEP,),
        maximum_interval=MAX_INTERVAL_DAYS,
        enable_fuzzing=False,
    )


def replay(item_id: str, reviews: Iterable[tuple[int, str]], scheduler: Scheduler) -> CachedCard | None:
    """The card of one item after its reviews, given as (rating 1-4, graded_at ISO) in time order.

    Ratings outside 1-4 (a damaged row) are skipped rather than stopping the whole schedule.
    """
    card = Card(card_id=1)  # a fixed id: fsrs otherwise sleeps a millisecond to make ids unique
    first = last_rating = None
    count = lapses = 0
    for rating, graded_at in reviews:
        if rating not in (1, 2, 3, 4):
            continue
        moment = parse_utc(graded_at).astimezone(timezone.utc)
        if card.last_review is not None and moment < card.last_review:
            moment = card.last_review  # a clock that went backwards must not make time run backwards
        if rating == 1 and count:
            lapses += 1
        card, _log = scheduler.review_card(card, Rating(rating), moment)
        first = first or moment
        last_rating = rating
        count += 1
    if not count:
        return None
    return CachedCard(
        item_id=item_id,
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=utc_text(card.due),
        last_review=utc_text(card.last_review),
        first_review=utc_text(first),
        reviews=count,
        lapses=lapses,
        last_rating=last_rating,
    )


def _replay_rows(rows: list[tuple], retention: float) -> list[CachedCard]:
    """Cards from grade rows (id, item_id, rating, graded_at); each item's reviews in time order."""
    by_item: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for grade_id, item_id, rating, graded_at in rows:
        by_item[item_id].append((graded_at, grade_id, rating))
    scheduler = make_scheduler(retention)
    cards = []
    for item_id, reviews in by_item.items():
        # ISO UTC strings sort in time order; the id breaks ties between grades in the same second.
        reviews.sort()
        card = replay(item_id, ((rating, graded_at) for graded_at, _id, rating in reviews), scheduler)
        if card is not None:
            cards.append(card)
    return cards


def sync_cards(store: UserStore, force_full: bool = False) -> str:
    """Bring the cached cards up to date with the grades log. Returns what it did."""
    retention = read_settings(store).desired_retention
    status = cache_status(store, retention)
    action = "full" if force_full else status.action
    if action == "current":
        return action
    if action == "full":
        rows = store.query(
            "SELECT id, question_id, rating, graded_at FROM grades WHERE id <= ?", (status.log_max_id,)
        )
        write_cards(store, _replay_rows(rows, retention), retention, status.log_max_id, len(rows), True)
        return action
    changed = [row[0] for row in store.query(
        "SELECT DISTINCT question_id FROM grades WHERE id > ? AND id <= ?", (status.last_grade_id, status.log_max_id)
    )]
    rows: list[tuple] = []
    for start in range(0, len(changed), _SQL_CHUNK):
        chunk = changed[start:start + _SQL_CHUNK]
        marks = ", ".join("?" * len(chunk))
        rows += store.query(
            f"SELECT id, question_id, rating, graded_at FROM grades WHERE id <= ? AND question_id IN ({marks})",
            (status.log_max_id, *chunk),
        )
    added = store.query(
        "SELECT COUNT(*) FROM grades WHERE id > ? AND id <= ?", (status.last_grade_id, status.log_max_id)
    )[0][0]
    write_cards(store, _replay_rows(rows, retention), retention, status.log_max_id, status.grade_count + added, False)
    return action


def recompute_cards(store: UserStore) -> dict[str, CachedCard]:
    """Every card replayed from the whole log, without touching the cache (tests compare the two)."""
    rows = store.query("SELECT id, question_id, rating, graded_at FROM grades")
    return {card.item_id: card for card in _replay_rows(rows, read_settings(store).desired_retention)}


# --- Today ------------------------------------------------------------------------------------


class QueueItem(NamedTuple):  # a tuple: thousands are built per Today, dataclasses cost 3x
    item_id: str
    kind: str  # "question" or "exercise"
    status: str  # "due" or "new"
    title: str
    topic_title: str
    due: str | None  # ISO UTC, None for a new question
    minutes: float


@dataclass(frozen=True)
class TodayQueue:
    items: tuple[QueueItem, ...]
    due_questions: int
    due_exercises: int
    new_questions: int
    new_started_today: int
    new_limit: int
    reviewed_today: int
    minutes_per_question: float
    estimate_from_drafts: bool
    next_due: str | None = None  # the first due moment after today (ISO UTC), for an empty queue

    @property
    def minutes(self) -> float:
        return sum(item.minutes for item in self.items)

    @property
    def due_count(self) -> int:
        return self.due_questions + self.due_exercises


def interleave_topics(question_ids: list[tuple[str, str]]) -> list[str]:
    """(id, topic) in bank order -> ids taking one from each topic in turn, so new work is spread."""
    by_topic: dict[str, list[str]] = {}
    for question_id, topic in question_ids:
        by_topic.setdefault(topic, []).append(question_id)
    queues = list(by_topic.values())
    order = []
    for depth in range(max((len(queue) for queue in queues), default=0)):
        order.extend(queue[depth] for queue in queues if depth < len(queue))
    return order


def build_today(
    cards: dict[str, tuple[str, str, str]],
    questions: list[tuple[str, str, str]],
    exercises: list[tuple[str, str, str]],
    topic_titles: dict[str, str],
    settings: ReviewSettings,
    now: datetime,
    minutes_per_question: float = DEFAULT_MINUTES_PER_QUESTION,
    estimate_from_drafts: bool = False,
    tz: tzinfo | None = None,
) -> TodayQueue:
    """The queue for the user's local today.

    `cards` maps item id -> (due, last review, first review) as ISO UTC; questions and exercises
    are (id, topic, title) in bank order. Due: every graded item whose due moment falls before
    the end of today, most overdue first. New: questions never graded, up to the daily limit
    minus the new questions started today.
    """
    # Compare ISO UTC strings rather than parsing thousands of timestamps: same format, same order.
    end_of_today = utc_text(end_of_local_day(now, tz))
    start_of_today = utc_text(start_of_local_day(now, tz))
    question_info = {qid: (topic, title) for qid, topic, title in questions}
    exercise_info = {eid: (topic, title) for eid, topic, title in exercises}
    due_items = []
    started_today = reviewed_today = 0
    next_due = None
    for item_id, (due, last_review, first_review) in cards.items():
        info = question_info.get(item_id)
        kind = "question"
        if info is None:
            info, kind = exercise_info.get(item_id), "exercise"
            if info is None:
                continue  # graded once, since removed from the bank
        if last_review >= start_of_today:
            reviewed_today += 1
        if kind == "question" and first_review >= start_of_today:
            started_today += 1
        if due > end_of_today:
            next_due = due if next_due is None or due < next_due else next_due
        else:
            minutes = minutes_per_question if kind == "question" else MINUTES_PER_EXERCISE
            due_items.append(
                QueueItem(item_id, kind, "due", info[1], topic_titles.get(info[0], info[0]), due, minutes)
            )
    due_items.sort(key=lambda item: (item.due, item.kind != "question", item.title))
    room = max(0, settings.daily_new_limit - started_today)
    new_items = []
    if room:
        fresh = [(qid, topic) for qid, topic, _title in questions if qid not in cards]
        for question_id in interleave_topics(fresh)[:room]:
            topic, title = question_info[question_id]
            new_items.append(
                QueueItem(question_id, "question", "new", title, topic_titles.get(topic, topic), None,
                          minutes_per_question)
            )
    return TodayQueue(
        items=tuple(due_items + new_items),
        due_questions=sum(1 for item in due_items if item.kind == "question"),
        due_exercises=sum(1 for item in due_items if item.kind == "exercise"),
        new_questions=len(new_items),
        new_started_today=started_today,
        new_limit=settings.daily_new_limit,
        reviewed_today=reviewed_today,
        minutes_per_question=minutes_per_question,
        estimate_from_drafts=estimate_from_drafts,
        next_due=next_due,
    )


def minutes_per_question(store: UserStore) -> tuple[float, bool]:
    """The user's own average drafting time per question, or the default when there is too little data."""
    average, count = store.query(
        "SELECT AVG(seconds_spent), COUNT(*) FROM drafts WHERE seconds_spent >= ?", (MIN_DRAFT_SECONDS,)
    )[0]
    if count < MIN_DRAFTS_FOR_ESTIMATE or average is None:
        return DEFAULT_MINUTES_PER_QUESTION, False
    return min(max(average / 60.0, 2.0), 45.0), True


# The bank is read-only while it is open: list its items once per Bank object, not per Today.
_bank_items: WeakKeyDictionary[Bank, tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]] = (
    WeakKeyDictionary()
)


def bank_items(bank: Bank) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """(questions, exercises) as (id, topic, title) in bank order."""
    if bank not in _bank_items:
        _bank_items[bank] = (
            [(summary.id, summary.topic, summary.title) for summary in bank.questions()],
            [(exercise.id, exercise.topic, exercise.title) for exercise in bank.exercises()],
        )
    return _bank_items[bank]


def today_queue(bank: Bank, store: UserStore, now: datetime, tz: tzinfo | None = None) -> TodayQueue:
    sync_cards(store)
    topics = bank.topics()
    questions, exercises = bank_items(bank)
    minutes, from_drafts = minutes_per_question(store)
    return build_today(
        card_times(store), questions, exercises, {topic.id: topic.title for topic in topics},
        read_settings(store), now, minutes, from_drafts, tz,
    )


def card_state_name(state: int) -> str:
    return {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}.get(state, "?")
