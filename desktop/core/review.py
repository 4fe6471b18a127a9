"""Review settings, the cached scheduler state and due-date labels: plain SQL, no `fsrs` import.

The question list shows due dates on start-up; reading them from the cache keeps start-up free of
the scheduler. The cache (`review_cards`) is never the source of truth: `scheduling.py` recomputes
it from the append-only grades log whenever its signature (scheduler version, desired retention)
or the log itself moved on.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from .userstore import UserStore

NEW_LIMIT_KEY = "review.daily_new_limit"
RETENTION_KEY = "review.desired_retention"
FIRST_DAY_KEY = "stats.first_day_of_week"
DEFAULT_NEW_LIMIT = 10
MAX_NEW_LIMIT = 200
DEFAULT_RETENTION = 0.9
RETENTION_RANGE = (0.70, 0.97)
DEFAULT_FIRST_DAY = 0  # Monday, as in datetime.weekday()
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Bump when the scheduling rules change (scheduler options, rating mapping): every card is recomputed.
SCHEDULER_VERSION = 1


@dataclass(frozen=True)
class ReviewSettings:
    daily_new_limit: int = DEFAULT_NEW_LIMIT
    desired_retention: float = DEFAULT_RETENTION
    first_day_of_week: int = DEFAULT_FIRST_DAY


@dataclass(frozen=True)
class CachedCard:
    """Scheduler state of one item (question or exercise) as of its last grade; times are ISO UTC."""

    item_id: str
    state: int  # fsrs State: 1 learning, 2 review, 3 relearning
    step: int | None
    stability: float | None
    difficulty: float | None
    due: str
    last_review: str
    first_review: str
    reviews: int
    lapses: int
    last_rating: int


def _number(value: object, default: float) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


def read_settings(store: UserStore) -> ReviewSettings:
    """Settings as stored, brought back into range (a hand-edited value must not break scheduling)."""
    limit = int(_number(store.setting(NEW_LIMIT_KEY, DEFAULT_NEW_LIMIT), DEFAULT_NEW_LIMIT))
    retention = _number(store.setting(RETENTION_KEY, DEFAULT_RETENTION), DEFAULT_RETENTION)
    first_day = int(_number(store.setting(FIRST_DAY_KEY, DEFAULT_FIRST_DAY), DEFAULT_FIRST_DAY))
    return ReviewSettings(
        daily_new_limit=min(max(limit, 0), MAX_NEW_LIMIT),
        desired_retention=round(min(max(retention, RETENTION_RANGE[0]), RETENTION_RANGE[1]), 2),
        first_day_of_week=first_day if 0 <= first_day <= 6 else DEFAULT_FIRST_DAY,
    )


def validate_settings(settings: ReviewSettings) -> list[str]:
    """Problems with settings the user entered, each naming the setting and the allowed range."""
    problems = []
    if not 0 <= settings.daily_new_limit <= MAX_NEW_LIMIT:
        problems.append(f"The daily new-question limit must be between 0 and {MAX_NEW_LIMIT}.")
    low, high = RETENTION_RANGE
    if not low <= settings.desired_retention <= high:
        problems.append(f"Desired retention must be between {low:.2f} and {high:.2f}.")
    if not 0 <= settings.first_day_of_week <= 6:
        problems.append("The first day of the week must be a weekday (Monday to Sunday).")
    return problems


def cache_signature(retention: float) -> str:
    return f"v{SCHEDULER_VERSION}:retention={retention:.2f}"


# --- the cache ------------------------------------------------------------------------------

CARD_COLUMNS = (
    "item_id, state, step, stability, difficulty, due, last_review, first_review, reviews, lapses, last_rating"
)


def load_cards(store: UserStore) -> dict[str, CachedCard]:
    return {row[0]: CachedCard(*row) for row in store.query(f"SELECT {CARD_COLUMNS} FROM review_cards")}


def card_times(store: UserStore) -> dict[str, tuple[str, str, str]]:
    """Item id -> (due, last review, first review), the part of each card that Today needs."""
    rows = store.query("SELECT item_id, due, last_review, first_review FROM review_cards")
    return {row[0]: row[1:] for row in rows}


def due_dates(store: UserStore) -> dict[str, str]:
    """Item id -> due moment (ISO UTC) for every item that has been graded at least once."""
    return dict(store.query("SELECT item_id, due FROM review_cards"))


@dataclass(frozen=True)
class CacheStatus:
    """`action` is "current", "incremental" (grades after `last_grade_id` are new) or "full"."""

    action: str
    last_grade_id: int
    grade_count: int
    log_max_id: int


def cache_status(store: UserStore, retention: float) -> CacheStatus:
    """How far the cache is behind the log. O(1): the log is append-only, so its largest id says
    whether anything was added. Code that ever removes grades must call `invalidate_cache`."""
    log_max = store.query("SELECT COALESCE(MAX(id), 0) FROM grades")[0][0]
    meta = store.query("SELECT signature, last_grade_id, grade_count FROM review_cache_meta WHERE id = 1")
    if not meta:
        return CacheStatus("current" if log_max == 0 else "full", 0, 0, log_max)
    signature, last_id, count = meta[0]
    if signature != cache_signature(retention) or log_max < last_id:
        return CacheStatus("full", last_id, count, log_max)
    return CacheStatus("current" if log_max == last_id else "incremental", last_id, count, log_max)


def invalidate_cache(store: UserStore) -> None:
    """Forget the cached cards' log position: the next sync recomputes everything from the log."""
    with store.transaction() as db:
        db.execute("DELETE FROM review_cache_meta")


def write_cards(
    store: UserStore, cards: list[CachedCard], retention: float, last_grade_id: int, grade_count: int,
    replace_all: bool,
) -> None:
    """Store recomputed cards and the log position they reflect, in one transaction."""
    with store.transaction() as db:
        if replace_all:
            db.execute("DELETE FROM review_cards")
        db.executemany(
            f"INSERT OR REPLACE INTO review_cards ({CARD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (c.item_id, c.state, c.step, c.stability, c.difficulty, c.due, c.last_review, c.first_review,
                 c.reviews, c.lapses, c.last_rating)
                for c in cards
            ],
        )
        db.execute(
            "INSERT OR REPLACE INTO review_cache_meta (id, signature, last_grade_id, grade_count) VALUES (1, ?, ?, ?)",
            (cache_signature(retention), last_grade_id, grade_count),
        )


# --- days and labels --------------------------------------------------------------------------


def parse_utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def local_date(moment: datetime, tz: tzinfo | None = None) -> date:
    """The calendar day of `moment` in the user's time zone (`tz` None = the system's)."""
    return moment.astimezone(tz).date()


def local_midnight(day: date, tz: tzinfo | None = None) -> datetime:
    """The first moment of `day` in the user's time zone, in UTC."""
    if tz is None:  # the system zone: its offset can differ from today's (daylight saving)
        return datetime.combine(day, time(0, 0)).astimezone().astimezone(timezone.utc)
    return datetime.combine(day, time(0, 0), tzinfo=tz).astimezone(timezone.utc)


def start_of_local_day(now: datetime, tz: tzinfo | None = None) -> datetime:
    return local_midnight(local_date(now, tz), tz)


def end_of_local_day(now: datetime, tz: tzinfo | None = None) -> datetime:
    """The last second of today in the user's time zone, in UTC (due <= this means due today)."""
    return local_midnight(local_date(now, tz) + timedelta(days=1), tz) - timedelta(seconds=1)


def utc_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def due_label(due: str | None, now: datetime, tz: tzinfo | None = None) -> str:
    """Short text for a list row: "new", "due today", "due tomorrow", "due in 3 d", "overdue 2 d"."""
    if due is None:
        return "new"
    return days_label((local_date(parse_utc(due), tz) - local_date(now, tz)).days)


def due_labeler(now: datetime, tz: tzinfo | None = None, span: int = 90) -> Callable[[str | None], str]:
    """`due_label` for many rows: local midnights around today are worked out once, and each due
    moment is placed among them by string comparison (ISO UTC strings sort in time order)."""
    midnights: list[str] = []  # worked out on the first dated row: a new user's list has none

    def label(due: str | None) -> str:
        if due is None:
            return "new"
        if not midnights:
            today = local_date(now, tz)
            midnights.extend(utc_text(local_midnight(today + timedelta(days=offset), tz))
                             for offset in range(-span, span + 1))
        if not midnights[0] <= due < midnights[-1]:
            return due_label(due, now, tz)
        return days_label(bisect_right(midnights, due) - 1 - span)

    return label


def days_label(days: int) -> str:
    if days < 0:
        return f"overdue {-days} d"
    if days == 0:
        return "due today"
    if days == 1:
        return "due tomorrow"
    if days < 60:
        return f"due in {days} d"
    if days < 730:
        return f"due in {round(days / 30.4)} mo"
    return f"due in {round(days / 365.25)} y"
