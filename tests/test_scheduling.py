"""Spaced review: FSRS cards recomputed from the grades log, the cache, and the Today queue (fake clock)."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from desktop.core import review, scheduling
from desktop.core.review import ReviewSettings, due_label, due_labeler, load_cards
from desktop.core.scheduling import make_scheduler, recompute_cards, replay
from desktop.core.study import QuestionFilter, Study
from desktop.core.userstore import MIGRATIONS, USER_DB_NAME, UserStore

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)  # a Monday
QUESTIONS = ["dynamic-batching", "autoscaling-inference", "kv-cache-memory", "zero-stages", "pipeline-bubbles",
             "checkpoint-frequency"]


class Clock:
    def __init__(self, moment: datetime = T0) -> None:
        self.now = moment

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timed_study(bank_path: Path, data_dir: Path, clock: Clock):
    opened = Study.open(bank_path, data_dir, clock=clock)
    opened.tz = timezone.utc
    yield opened
    opened.close()


def due_after(*ratings: int, retention: float = 0.9) -> datetime:
    reviews, moment = [], T0
    for rating in ratings:
        reviews.append((rating, moment.isoformat()))
        moment = datetime.fromisoformat(replay("q", reviews, make_scheduler(retention)).due)
    return moment


# --- the scheduler rules ------------------------------------------------------------------------


def test_first_grade_sets_the_first_interval_in_days() -> None:
    dues = {rating: due_after(rating) - T0 for rating in (1, 2, 3, 4)}
    assert dues[1] <= timedelta(days=1)  # Again: back within a day
    assert dues[1] <= dues[2] <= dues[3] < dues[4]  # Easy waits longest
    assert all(delta >= timedelta(days=1) for delta in dues.values())  # whole days, no minute steps


def test_a_lapse_comes_back_the_next_day_and_success_stretches_intervals() -> None:
    assert due_after(3, 3, 3) - due_after(3, 3) > due_after(3, 3) - due_after(3)
    assert due_after(3, 3, 3, 1) - due_after(3, 3, 3) == timedelta(days=1)
    assert due_after(3, 3, 4) > due_after(3, 3, 3) > due_after(3, 3, 2)


def test_a_fixed_sequence_gives_pinned_due_dates() -> None:
    # Reviewed on each due date: Good, Good, Good, Again, Good, Easy (values pinned from fsrs 6.3).
    reviews, moment, dues = [], T0, []
    for rating in (3, 3, 3, 1, 3, 4):
        reviews.append((rating, moment.isoformat()))
        card = replay("q", reviews, make_scheduler(0.9))
        dues.append(card.due)
        moment = datetime.fromisoformat(card.due)
    assert dues == [
        "2025-03-05T09:00:00+00:00", "2025-03-16T09:00:00+00:00", "2025-05-01T09:00:00+00:00",
        "2025-05-02T09:00:00+00:00", "2025-05-07T09:00:00+00:00", "2025-05-26T09:00:00+00:00",
    ]
    assert card.reviews == 6 and card.lapses == 1 and card.last_rating == 4
    assert card.first_review == "2025-03-03T09:00:00+00:00"


def test_higher_retention_means_sooner_reviews() -> None:
    sequence = (3, 3, 3, 1, 3, 4)
    assert due_after(*sequence, retention=0.95) < due_after(*sequence, retention=0.9) < due_after(
        *sequence, retention=0.8
    )


def test_damaged_ratings_are_skipped_not_fatal() -> None:
    card = replay("q", [(9, T0.isoformat()), (3, T0.isoformat())], make_scheduler(0.9))
    assert card is not None and card.reviews == 1
    assert replay("q", [(0, T0.isoformat())], make_scheduler(0.9)) is None


# --- the log, the cache and rescheduling ----------------------------------------------------------


def test_grades_update_the_cache_and_match_a_full_recomputation(timed_study: Study, clock: Clock) -> None:
    rng = random.Random(4)
    for _step in range(60):
        clock.advance(hours=rng.choice([1, 5, 20, 30, 80]))
        timed_study.grade(rng.choice(QUESTIONS), rng.randint(1, 4), 0.5, [], "draft")
    cached = load_cards(timed_study.store)
    assert set(cached) <= set(QUESTIONS) and len(cached) >= 5
    assert cached == recompute_cards(timed_study.store)


def test_grades_written_behind_the_schedulers_back_are_caught_up(timed_study: Study) -> None:
    timed_study.store.add_grade("zero-stages", 1, 0.0, [], "draft")  # e.g. the app died before syncing
    assert timed_study.due_dates()["zero-stages"] == "2025-03-04T09:00:00+00:00"
    assert load_cards(timed_study.store) == recompute_cards(timed_study.store)


def test_a_changed_retention_reschedules_from_the_log(timed_study: Study, clock: Clock) -> None:
    for rating in (3, 3, 3):
        timed_study.grade("kv-cache-memory", rating, 0.8, [], "draft")
        clock.now = datetime.fromisoformat(timed_study.due_dates()["kv-cache-memory"])
    before = timed_study.due_dates()["kv-cache-memory"]
    timed_study.save_review_settings(ReviewSettings(daily_new_limit=10, desired_retention=0.8))
    later = timed_study.due_dates()["kv-cache-memory"]
    timed_study.save_review_settings(ReviewSettings(daily_new_limit=10, desired_retention=0.97))
    sooner = timed_study.due_dates()["kv-cache-memory"]
    assert sooner < before < later
    assert timed_study.review_settings().desired_retention == 0.97
    assert load_cards(timed_study.store) == recompute_cards(timed_study.store)
    assert len(timed_study.store.grades()) == 3  # rescheduling never touches the log


def test_settings_out_of_range_are_refused_with_a_clear_message(timed_study: Study) -> None:
    with pytest.raises(ValueError, match="retention must be between 0.70 and 0.97"):
        timed_study.save_review_settings(ReviewSettings(desired_retention=0.99))
    timed_study.store.set_setting(review.RETENTION_KEY, "not a number")  # a hand-edited file
    assert timed_study.review_settings().desired_retention == 0.9


def test_a_new_scheduler_version_recomputes_everything(timed_study: Study, monkeypatch) -> None:
    timed_study.grade("zero-stages", 3, 0.8, [], "draft")
    monkeypatch.setattr(review, "SCHEDULER_VERSION", review.SCHEDULER_VERSION + 1)
    assert timed_study.sync_schedule() == "full"
    assert timed_study.sync_schedule() == "current"


# --- Today ----------------------------------------------------------------------------------------


def test_today_offers_new_questions_up_to_the_daily_limit(timed_study: Study, clock: Clock) -> None:
    timed_study.save_review_settings(ReviewSettings(daily_new_limit=3))
    queue = timed_study.today()
    assert (queue.due_count, queue.new_questions) == (0, 3)
    # New questions take turns across topics rather than exhausting the first one.
    topics = [item.topic_title for item in queue.items]
    assert topics[:2] == ["Serving", "Training"]
    assert queue.minutes == 3 * scheduling.DEFAULT_MINUTES_PER_QUESTION

    first = queue.items[0].item_id
    timed_study.grade(first, 3, 0.8, [], "draft")
    queue = timed_study.today()
    assert first not in [item.item_id for item in queue.items]
    assert (queue.new_started_today, queue.new_questions, queue.reviewed_today) == (1, 2, 1)

    clock.advance(days=2)
    queue = timed_study.today()
    assert [item.item_id for item in queue.items if item.status == "due"] == [first]
    assert queue.new_questions == 3  # a new day, a new allowance


def test_today_lists_due_items_most_overdue_first_and_exercises_answered_wrong(
    timed_study: Study, clock: Clock,
) -> None:
    timed_study.save_review_settings(ReviewSettings(daily_new_limit=0))
    timed_study.grade("zero-stages", 3, 0.8, [], "draft")  # due in 2 days
    clock.advance(hours=1)
    timed_study.grade("pipeline-bubbles", 1, 0.1, [], "draft")  # due tomorrow
    exercise = timed_study.exercise("ex-serving-one")
    assert timed_study.answer_exercise(exercise, "A") is False  # wrong: comes back tomorrow
    assert timed_study.answer_exercise(timed_study.exercise("ex-serving-two"), "D") is True
    assert timed_study.today().items == ()

    clock.advance(days=1)
    queue = timed_study.today()
    assert [(item.item_id, item.kind) for item in queue.items] == [
        ("pipeline-bubbles", "question"), ("ex-serving-one", "exercise")]
    assert queue.minutes == scheduling.DEFAULT_MINUTES_PER_QUESTION + scheduling.MINUTES_PER_EXERCISE
    clock.advance(days=1)
    assert [item.item_id for item in timed_study.today().items][0] == "pipeline-bubbles"
    assert "zero-stages" in [item.item_id for item in timed_study.today().items]


def test_due_today_means_before_the_end_of_the_users_local_day(timed_study: Study, clock: Clock) -> None:
    timed_study.save_review_settings(ReviewSettings(daily_new_limit=0))
    clock.now = datetime(2025, 3, 3, 22, 30, tzinfo=timezone.utc)
    timed_study.grade("zero-stages", 1, 0.0, [], "draft")  # due 2025-03-04 22:30 UTC
    clock.now = datetime(2025, 3, 4, 8, 0, tzinfo=timezone.utc)
    assert timed_study.today().due_count == 1  # in UTC the due moment falls today
    timed_study.tz = timezone(timedelta(hours=9))  # in Tokyo the due moment is already tomorrow morning
    assert timed_study.today().due_count == 0
    assert timed_study.questions(QuestionFilter(status="due")) == []


def test_the_estimate_uses_my_own_drafting_pace(timed_study: Study) -> None:
    for question_id in QUESTIONS[:3]:
        timed_study.store.save_draft(question_id, "text", 600.0, keep_version=False, words=1)
    assert scheduling.minutes_per_question(timed_study.store) == (10.0, True)
    assert timed_study.today().minutes_per_question == 10.0


def test_questions_removed_from_the_bank_are_left_out(timed_study: Study, clock: Clock) -> None:
    timed_study.store.add_grade("gone-from-the-bank", 1, 0.0, [], "draft")
    clock.advance(days=3)
    assert "gone-from-the-bank" not in [item.item_id for item in timed_study.today().items]


# --- the question list ----------------------------------------------------------------------------


def test_question_list_shows_filters_and_sorts_by_due_date(timed_study: Study, clock: Clock) -> None:
    timed_study.grade("zero-stages", 4, 1.0, [], "draft")
    timed_study.grade("pipeline-bubbles", 1, 0.0, [], "draft")
    rows = {row.id: row for row in timed_study.questions(QuestionFilter())}
    assert rows["pipeline-bubbles"].due_label == "due tomorrow"
    assert rows["zero-stages"].due_label.startswith("due in ")
    assert rows["kv-cache-memory"].due_label == "new" and rows["kv-cache-memory"].due is None
    ordered = [row.id for row in timed_study.questions(QuestionFilter(sort="due"))]
    assert ordered[:2] == ["pipeline-bubbles", "zero-stages"]
    assert timed_study.questions(QuestionFilter(status="due")) == []
    clock.advance(days=1)
    assert [row.id for row in timed_study.questions(QuestionFilter(status="due"))] == ["pipeline-bubbles"]
    assert timed_study.questions(QuestionFilter(status="due"))[0].due_label == "due today"


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"])
def test_the_fast_due_labels_match_the_exact_ones(zone: str) -> None:
    tz = ZoneInfo(zone)
    now = datetime(2025, 3, 28, 23, 30, tzinfo=timezone.utc)  # around a daylight-saving change
    label = due_labeler(now, tz)
    for hours in range(-24 * 100, 24 * 100, 7):
        due = (now + timedelta(hours=hours, minutes=13)).isoformat(timespec="seconds")
        assert label(due) == due_label(due, now, tz), due
    assert label(None) == "new"


# --- where the log comes from --------------------------------------------------------------------


def test_exercise_answers_from_before_the_upgrade_join_the_log(tmp_path: Path) -> None:
    path = tmp_path / USER_DB_NAME
    db = sqlite3.connect(path)
    for number, script in enumerate(MIGRATIONS[:3], 1):
        db.executescript(script)
        db.execute(f"PRAGMA user_version = {number}")
    db.execute("INSERT INTO exercise_answers VALUES ('ex-serving-one', 'A', 0, '2025-03-01T10:00:00+00:00')")
    db.execute("INSERT INTO exercise_answers VALUES ('ex-serving-two', 'D', 1, '2025-03-02T10:00:00+00:00')")
    db.commit()
    db.close()
    store = UserStore(path)
    try:
        grades = {grade.question_id: grade for grade in store.grades()}
        assert grades["ex-serving-one"].rating == 1 and grades["ex-serving-two"].rating == 3
        assert grades["ex-serving-two"].source == "exercise"
        assert grades["ex-serving-one"].graded_at == "2025-03-01T10:00:00+00:00"
        assert store.report.backup is not None  # the pre-upgrade file was kept
    finally:
        store.close()


def test_exercises_answered_in_a_round_are_logged_once(timed_study: Study) -> None:
    from desktop.core.rounds import RoundConfig

    config = RoundConfig(preset="test", item_type="exercise", count=2, seconds=60, per_item=True)
    active = timed_study.rounds.start(config, random.Random(1))
    for item in active.engine.items:
        item.choice = "B"
    active.engine.end_early()
    timed_study.rounds.save(active)
    timed_study.rounds.save(active)  # saving again after the end must not log twice
    logged = [grade for grade in timed_study.store.grades() if grade.source == "exercise"]
    assert len(logged) == 2 and {grade.round_id for grade in logged} == {active.round_id}
    assert set(timed_study.due_dates()) == {grade.question_id for grade in logged}
