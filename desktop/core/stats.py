"""Statistics over the user's history: practice per day, streaks, coverage per topic, grade trend,
round scores and time spent. Plain Python over the grades log; days are the user's local days.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from .review import local_date, parse_utc, read_settings
from .userstore import Grade, QuestionStats

if TYPE_CHECKING:
    from .bank import TopicInfo
    from .study import Study


@dataclass(frozen=True)
class DayCount:
    day: date
    questions: int  # distinct questions graded that day
    exercises: int  # distinct exercises answered that day

    @property
    def total(self) -> int:
        return self.questions + self.exercises


@dataclass(frozen=True)
class TopicCoverage:
    topic_id: str
    title: str
    total: int
    practised: int
    average_grade: float | None  # mean of the latest grade (1-4) of each graded question

    @property
    def share(self) -> float:
        return self.practised / self.total if self.total else 0.0


@dataclass(frozen=True)
class WeekGrades:
    start: date
    counts: tuple[int, int, int, int]  # Again, Hard, Good, Easy given to questions that week

    @property
    def average(self) -> float | None:
        total = sum(self.counts)
        return sum((rating + 1) * n for rating, n in enumerate(self.counts)) / total if total else None


@dataclass(frozen=True)
class RoundPoint:
    round_id: int
    day: date
    score: float
    preset: str


@dataclass(frozen=True)
class Statistics:
    today: date
    first_day_of_week: int
    days: tuple[DayCount, ...]  # whole weeks, oldest first, ending with the week holding today
    weeks: tuple[WeekGrades, ...]
    coverage: tuple[TopicCoverage, ...]
    rounds: tuple[RoundPoint, ...]  # oldest first
    current_streak: int
    best_streak: int
    this_week: int  # distinct items practised since the week started
    last_week: int
    total_reviews: int
    seconds_drafting: float
    seconds_in_rounds: float


def week_start(day: date, first_day_of_week: int) -> date:
    """The first day of the week holding `day` (first_day_of_week: 0 Monday … 6 Sunday)."""
    return day - timedelta(days=(day.weekday() - first_day_of_week) % 7)


def window_start(today: date, weeks: int, first_day_of_week: int) -> date:
    return week_start(today, first_day_of_week) - timedelta(weeks=max(weeks, 1) - 1)


def daily_counts(
    grades: Iterable[Grade], start: date, end: date, tz: tzinfo | None = None,
) -> list[DayCount]:
    """Distinct questions and exercises graded on each local day from `start` to `end` inclusive."""
    questions: dict[date, set[str]] = defaultdict(set)
    exercises: dict[date, set[str]] = defaultdict(set)
    for grade in grades:
        day = local_date(parse_utc(grade.graded_at), tz)
        if start <= day <= end:
            (exercises if grade.source == "exercise" else questions)[day].add(grade.question_id)
    return [
        DayCount(start + timedelta(days=offset), len(questions[start + timedelta(days=offset)]),
                 len(exercises[start + timedelta(days=offset)]))
        for offset in range((end - start).days + 1)
    ]


def streaks(active_days: set[date], today: date) -> tuple[int, int]:
    """(current, best) runs of consecutive active days. Today not yet active does not break the run."""
    best = run = 0
    previous = None
    for day in sorted(active_days):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    current = 0
    day = today if today in active_days else today - timedelta(days=1)
    while day in active_days:
        current += 1
        day -= timedelta(days=1)
    return current, best


def topic_coverage(
    topics: list[TopicInfo], question_topics: dict[str, str], grades: Iterable[Grade],
    stats: dict[str, QuestionStats],
) -> list[TopicCoverage]:
    """Per topic: questions practised (graded or marked practised) and the average latest grade."""
    latest: dict[str, int] = {}
    for grade in grades:  # in log order, so the last one wins
        if grade.source != "exercise" and grade.question_id in question_topics:
            latest[grade.question_id] = grade.rating
    totals = Counter(question_topics.values())
    practised: Counter[str] = Counter()
    rating_sums: dict[str, list[int]] = defaultdict(list)
    for question_id, topic in question_topics.items():
        stat = stats.get(question_id)
        if question_id in latest or (stat is not None and stat.practised):
            practised[topic] += 1
        if question_id in latest:
            rating_sums[topic].append(latest[question_id])
    return [
        TopicCoverage(
            topic.id, topic.title, totals[topic.id], practised[topic.id],
            sum(rating_sums[topic.id]) / len(rating_sums[topic.id]) if rating_sums[topic.id] else None,
        )
        for topic in topics
    ]


def weekly_grades(grades: Iterable[Grade], start: date, weeks: int, tz: tzinfo | None = None) -> list[WeekGrades]:
    counts = [[0, 0, 0, 0] for _ in range(weeks)]
    for grade in grades:
        if grade.source == "exercise" or grade.rating not in (1, 2, 3, 4):
            continue
        index = (local_date(parse_utc(grade.graded_at), tz) - start).days // 7
        if 0 <= index < weeks:
            counts[index][grade.rating - 1] += 1
    return [WeekGrades(start + timedelta(weeks=index), tuple(row)) for index, row in enumerate(counts)]


def round_points(rows: list[tuple], tz: tzinfo | None = None) -> list[RoundPoint]:
    """Scored rounds, oldest first, from `UserStore.round_rows()`."""
    points = []
    for round_id, config, _state, _index, started_at, ended_at, score in rows:
        if score is None:
            continue
        try:
            preset = str(json.loads(config).get("preset", ""))
        except (ValueError, AttributeError):
            preset = ""
        points.append(RoundPoint(round_id, local_date(parse_utc(ended_at or started_at), tz), float(score), preset))
    points.sort(key=lambda point: (point.day, point.round_id))
    return points


def collect_statistics(study: Study, now: datetime, weeks: int = 12, tz: tzinfo | None = None) -> Statistics:
    store = study.store
    first_day = read_settings(store).first_day_of_week
    today = local_date(now, tz)
    start = window_start(today, weeks, first_day)
    end = week_start(today, first_day) + timedelta(days=6)
    grades = store.grades()
    days = daily_counts(grades, start, end, tz)
    this_week_start = week_start(today, first_day)
    last_week_start = this_week_start - timedelta(days=7)
    distinct: dict[str, set[str]] = {"this": set(), "last": set()}
    active: set[date] = set()
    for grade in grades:
        day = local_date(parse_utc(grade.graded_at), tz)
        active.add(day)
        if this_week_start <= day <= today:
            distinct["this"].add(grade.question_id)
        elif last_week_start <= day < this_week_start:
            distinct["last"].add(grade.question_id)
    current, best = streaks(active, today)
    question_topics = {summary.id: summary.topic for summary in study.bank.questions()}
    drafting = store.query("SELECT COALESCE(SUM(seconds_spent), 0) FROM drafts")[0][0]
    in_rounds = store.query("SELECT COALESCE(SUM(seconds_used), 0) FROM round_items")[0][0]
    return Statistics(
        today=today,
        first_day_of_week=first_day,
        days=tuple(days),
        weeks=tuple(weekly_grades(grades, start, weeks, tz)),
        coverage=tuple(topic_coverage(study.topics(), question_topics, grades, store.stats())),
        rounds=tuple(round_points(store.round_rows(), tz)),
        current_streak=current,
        best_streak=best,
        this_week=len(distinct["this"]),
        last_week=len(distinct["last"]),
        total_reviews=len(grades),
        seconds_drafting=float(drafting),
        seconds_in_rounds=float(in_rounds),
    )
