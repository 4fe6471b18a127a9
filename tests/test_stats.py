"""Statistics core: per-day counts by week, streaks, coverage per topic, grade trend, rounds."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from desktop.core.review import FIRST_DAY_KEY
from desktop.core.stats import daily_counts, round_points, streaks, week_start, weekly_grades, window_start
from desktop.core.study import Study
from desktop.core.userstore import Grade

WEDNESDAY = date(2025, 3, 5)


def grade(question_id: str, when: str, rating: int = 3, source: str = "draft") -> Grade:
    return Grade(0, question_id, rating, 0.5, (), source, None, when)


@pytest.mark.parametrize(
    ("first_day", "expected"),
    [(0, date(2025, 3, 3)), (6, date(2025, 3, 2)), (2, WEDNESDAY), (3, date(2025, 2, 27))],
)
def test_weeks_start_on_the_chosen_day(first_day: int, expected: date) -> None:
    assert week_start(WEDNESDAY, first_day) == expected
    assert window_start(WEDNESDAY, 4, first_day) == expected - timedelta(weeks=3)


def test_daily_counts_are_distinct_items_per_local_day() -> None:
    grades = [
        grade("a", "2025-03-03T08:00:00+00:00"),
        grade("a", "2025-03-03T09:00:00+00:00"),  # same question twice: counted once
        grade("b", "2025-03-03T23:30:00+00:00"),
        grade("ex", "2025-03-04T10:00:00+00:00", source="exercise"),
        grade("c", "2025-02-01T10:00:00+00:00"),  # before the window
    ]
    days = daily_counts(grades, date(2025, 3, 3), date(2025, 3, 9), timezone.utc)
    assert len(days) == 7
    assert [(day.questions, day.exercises) for day in days[:3]] == [(2, 0), (0, 1), (0, 0)]
    # Two hours east of UTC, the 23:30 grade belongs to the next day.
    shifted = daily_counts(grades, date(2025, 3, 3), date(2025, 3, 9), timezone(timedelta(hours=2)))
    assert [day.total for day in shifted[:2]] == [1, 2]


def test_streaks_count_consecutive_days_and_survive_until_today_ends() -> None:
    today = date(2025, 3, 10)
    active = {today - timedelta(days=offset) for offset in (1, 2, 3)} | {date(2025, 2, 1), date(2025, 2, 2)}
    assert streaks(active, today) == (3, 3)  # nothing yet today: yesterday's run still counts
    assert streaks(active | {today}, today) == (4, 4)
    assert streaks(active, today + timedelta(days=1)) == (0, 3)  # a missed day ends it
    assert streaks(set(), today) == (0, 0)


def test_weekly_grades_average_question_ratings_only() -> None:
    start = date(2025, 3, 3)
    grades = [
        grade("a", "2025-03-03T08:00:00+00:00", 1),
        grade("b", "2025-03-04T08:00:00+00:00", 4),
        grade("x", "2025-03-04T08:00:00+00:00", 1, source="exercise"),
        grade("c", "2025-03-12T08:00:00+00:00", 3),
    ]
    weeks = weekly_grades(grades, start, 3, timezone.utc)
    assert [week.counts for week in weeks] == [(1, 0, 0, 1), (0, 0, 1, 0), (0, 0, 0, 0)]
    assert [week.average for week in weeks] == [2.5, 3.0, None]


def test_round_points_are_scored_rounds_oldest_first() -> None:
    rows = [
        (3, json.dumps({"preset": "Full loop"}), "finished", 0, "2025-03-05T10:00:00+00:00",
         "2025-03-05T11:00:00+00:00", 75.0),
        (2, "{}", "time_up", 0, "2025-03-01T10:00:00+00:00", None, None),
        (1, "not json", "finished", 0, "2025-02-20T10:00:00+00:00", "2025-02-20T10:30:00+00:00", 40.0),
    ]
    points = round_points(rows, timezone.utc)
    assert [(point.round_id, point.score, point.preset) for point in points] == [(1, 40.0, ""), (3, 75.0, "Full loop")]


def test_collected_statistics_from_a_real_store(bank_path: Path, data_dir: Path) -> None:
    now = [datetime(2025, 3, 5, 12, 0, tzinfo=timezone.utc)]
    study = Study.open(bank_path, data_dir, clock=lambda: now[0])
    study.tz = timezone.utc
    try:
        study.store.set_setting(FIRST_DAY_KEY, 2)  # weeks start on Wednesday
        now[0] = datetime(2025, 3, 4, 12, 0, tzinfo=timezone.utc)  # Tuesday: last week
        study.grade("zero-stages", 1, 0.2, [], "draft")
        now[0] = datetime(2025, 3, 5, 12, 0, tzinfo=timezone.utc)  # Wednesday: this week
        study.grade("zero-stages", 3, 0.8, [], "draft")
        study.grade("dynamic-batching", 4, 1.0, [], "draft")
        study.answer_exercise(study.exercise("ex-serving-one"), "B")
        study.mark_practised("kv-cache-memory")  # practised without a grade still counts as covered
        study.store.save_draft("zero-stages", "text", 300.0, keep_version=False, words=1)
        stats = study.statistics(weeks=4)
    finally:
        study.close()
    assert stats.first_day_of_week == 2 and stats.days[0].day.weekday() == 2
    assert len(stats.days) == 28 and stats.days[-1].day == date(2025, 3, 11)
    assert [(day.questions, day.exercises) for day in stats.days if day.total] == [(1, 0), (2, 1)]
    assert (stats.this_week, stats.last_week) == (3, 1)
    assert (stats.current_streak, stats.best_streak) == (2, 2)
    coverage = {topic.topic_id: topic for topic in stats.coverage}
    assert (coverage["serving"].practised, coverage["serving"].total) == (2, 3)
    assert coverage["serving"].average_grade == 4.0  # latest grade of each graded question
    assert coverage["training"].average_grade == 3.0 and coverage["training"].share == pytest.approx(1 / 3)
    assert stats.total_reviews == 4 and stats.seconds_drafting == 300.0
    assert stats.weeks[-1].counts == (0, 0, 1, 1)
