"""Timed mock rounds: choosing items, and the round engine with an injectable monotonic clock.

The engine is plain Python. The UI calls `tick()` a few times a second and reacts to the events
it returns; persistence goes through RoundStore so a killed app can resume with its time left.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from .bank import Bank

# A gap this long between two ticks means the machine slept or the app was frozen: not charged.
SLEEP_GAP_SECONDS = 10.0
# Warnings fire when this share of the time budget is left (and at one minute left).
WARNING_FRACTIONS = (0.5, 0.2)
LAST_MINUTE = 60.0


AnswerSource = Callable[[], "tuple[str | None, str | None]"]


class RoundState(str, Enum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    TIME_UP = "time_up"
    FINISHED = "finished"


@dataclass(frozen=True)
class RoundConfig:
    preset: str = "Custom"
    item_type: str = "question"  # "question" or "exercise"
    count: int = 4
    topics: tuple[str, ...] = ()  # empty: every topic
    difficulties: tuple[str, ...] = ()  # empty: any difficulty
    kinds: tuple[str, ...] = ()  # empty: any kind
    seconds: float = 600.0
    per_item: bool = True  # True: `seconds` for each item; False: for the whole round
    strict: bool = False  # no peeking at model answers and no pause, as in a real interview

    def total_seconds(self, items: int) -> float:
        return self.seconds * items if self.per_item else self.seconds

    def to_dict(self) -> dict:
        return {
            "preset": self.preset, "item_type": self.item_type, "count": self.count,
            "topics": list(self.topics), "difficulties": list(self.difficulties), "kinds": list(self.kinds),
            "seconds": self.seconds, "per_item": self.per_item, "strict": self.strict,
        }

    @classmethod
    def from_dict(cls, data: dict) -> RoundConfig:
        return cls(
            preset=data["preset"], item_type=data["item_type"], count=data["count"],
            topics=tuple(data["topics"]), difficulties=tuple(data["difficulties"]), kinds=tuple(data["kinds"]),
            seconds=data["seconds"], per_item=data["per_item"], strict=data["strict"],
        )


PRESETS: dict[str, RoundConfig] = {
    "System design interview (45 min)": RoundConfig(
        preset="System design interview (45 min)", count=1, kinds=("System Design",),
        difficulties=("Medium", "Hard"), seconds=45 * 60, per_item=False, strict=True,
    ),
    "Technical screen (4 × 10 min)": RoundConfig(
        preset="Technical screen (4 × 10 min)", count=4, kinds=("Technical",), seconds=600, per_item=True,
    ),
    "Rapid fire (10 exercises × 1 min)": RoundConfig(
        preset="Rapid fire (10 exercises × 1 min)", item_type="exercise", count=10, seconds=60, per_item=True,
    ),
}


@dataclass
class RoundItem:
    item_type: str
    item_id: str
    seconds_used: float = 0.0
    status: str = "pending"  # pending, current, answered, skipped, timed_out
    choice: str | None = None  # multiple-choice answer
    answer: str | None = None  # draft text as it stood when the item closed


@dataclass
class RoundEvent:
    kind: str  # "warning", "item_time_up", "time_up", "slept"
    index: int
    remaining: float = 0.0


def choose_items(
    bank: Bank, config: RoundConfig, practised: dict[str, int], latest_ratings: dict[str, int],
    rng: random.Random | None = None,
) -> list[RoundItem]:
    """Pick `config.count` distinct items, preferring what I have not practised and what I graded low."""
    rng = rng or random.Random()
    if config.item_type == "exercise":
        pool = [exercise.id for exercise in bank.exercises()
                if not config.topics or exercise.topic in config.topics]
    else:
        pool = [
            question.id for question in bank.questions(topics=list(config.topics) or None)
            if (not config.difficulties or question.difficulty in config.difficulties)
            and (not config.kinds or question.kind in config.kinds)
        ]

    def priority(item_id: str) -> tuple[int, float]:
        if item_id in latest_ratings:
            band = latest_ratings[item_id]  # 1 (again) comes back before 4 (easy)
        elif practised.get(item_id):
            band = 3
        else:
            band = 0  # never practised comes first
        return band, rng.random()

    chosen = sorted(pool, key=priority)[: config.count]
    rng.shuffle(chosen)  # mixed order within the round, chosen set stays the same
    return [RoundItem(config.item_type, item_id) for item_id in chosen]


@dataclass
class RoundEngine:
    config: RoundConfig
    items: list[RoundItem]
    clock: Callable[[], float] = time.monotonic
    state: RoundState = RoundState.READY
    index: int = 0
    _last: float | None = None
    _warned: set = field(default_factory=set)

    # --- time ---------------------------------------------------------------------------------

    def _charge(self) -> bool:
        """Add the time since the last charge to the current item; False if it was a sleep gap."""
        now = self.clock()
        if self._last is None or self.state != RoundState.RUNNING:
            self._last = now
            return True
        gap = now - self._last
        self._last = now
        if gap < 0 or gap > SLEEP_GAP_SECONDS:
            return False
        self.items[self.index].seconds_used += gap
        return True

    def time_used(self) -> float:
        return sum(item.seconds_used for item in self.items)

    def budget(self) -> float:
        """The time budget the countdown shows: this item's (per item) or the round's."""
        return self.config.seconds

    def remaining(self) -> float:
        if self.config.per_item:
            used = self.items[self.index].seconds_used if self.items else 0.0
        else:
            used = self.time_used()
        return max(self.config.seconds - used, 0.0)

    # --- transitions --------------------------------------------------------------------------

    def start(self) -> None:
        if self.state != RoundState.READY:
            raise RuntimeError(f"cannot start a round that is {self.state.value}")
        if not self.items:
            raise ValueError("a round needs at least one item")
        self.state = RoundState.RUNNING
        self._last = self.clock()
        self.items[self.index].status = "current"

    def resume_from_storage(self, paused: bool) -> None:
        """Continue a round restored after a crash; time spent while the app was dead is not charged."""
        self.state = RoundState.PAUSED if paused and not self.config.strict else RoundState.RUNNING
        self._last = self.clock()
        if self.items[self.index].status == "pending":
            self.items[self.index].status = "current"

    def can_pause(self) -> bool:
        return not self.config.strict and self.state == RoundState.RUNNING

    def pause(self) -> None:
        if not self.can_pause():
            raise RuntimeError("strict rounds cannot be paused" if self.config.strict else "not running")
        self._charge()
        self.state = RoundState.PAUSED

    def resume(self) -> None:
        if self.state != RoundState.PAUSED:
            raise RuntimeError("not paused")
        self.state = RoundState.RUNNING
        self._last = self.clock()

    def submit(self, answer: str | None = None, choice: str | None = None, status: str = "answered") -> None:
        """Close the current item with its answer and move on (or finish after the last)."""
        if self.state not in (RoundState.RUNNING, RoundState.PAUSED):
            raise RuntimeError(f"cannot submit in a round that is {self.state.value}")
        self._charge()
        item = self.items[self.index]
        item.answer = answer if answer is not None else item.answer
        item.choice = choice if choice is not None else item.choice
        item.status = status
        if self.index + 1 < len(self.items):
            self.index += 1
            self.items[self.index].status = "current"
            if self.state == RoundState.PAUSED:
                self.state = RoundState.RUNNING
                self._last = self.clock()
        else:
            self.state = RoundState.FINISHED

    def skip(self, answer: str | None = None) -> None:
        self.submit(answer=answer, status="skipped")

    def end_early(self, answer: str | None = None, choice: str | None = None) -> None:
        if self.state in (RoundState.FINISHED, RoundState.TIME_UP):
            return
        self._charge()
        item = self.items[self.index]
        item.answer = answer if answer is not None else item.answer
        item.choice = choice if choice is not None else item.choice
        item.status = "answered" if (answer or choice) else "skipped"
        for later in self.items[self.index + 1:]:
            later.status = "skipped"
        self.state = RoundState.FINISHED

    def is_over(self) -> bool:
        return self.state in (RoundState.FINISHED, RoundState.TIME_UP)

    # --- the heartbeat ------------------------------------------------------------------------

    def tick(self, current_answer: AnswerSource = lambda: (None, None)) -> list[RoundEvent]:
        """Advance time; returns warnings and expiries. `current_answer` gives (draft, choice) to submit."""
        if self.state != RoundState.RUNNING:
            return []
        events: list[RoundEvent] = []
        if not self._charge():
            events.append(RoundEvent("slept", self.index))
            if not self.config.strict:
                self.state = RoundState.PAUSED
            return events
        remaining = self.remaining()
        budget = self.budget()
        scope = self.index if self.config.per_item else -1
        for threshold in (*(budget * fraction for fraction in WARNING_FRACTIONS), LAST_MINUTE):
            key = (scope, round(threshold, 3))
            if 0 < remaining <= threshold < budget and key not in self._warned:
                self._warned.add(key)
                events.append(RoundEvent("warning", self.index, remaining))
                break
        if remaining <= 0:
            answer, choice = current_answer()
            if self.config.per_item and self.index + 1 < len(self.items):
                events.append(RoundEvent("item_time_up", self.index))
                self.submit(answer, choice, status="timed_out")
            else:
                self.submit(answer, choice, status="timed_out")
                self.state = RoundState.TIME_UP
                for later in self.items[self.index + 1:]:
                    later.status = "skipped"
                events.append(RoundEvent("time_up", self.index))
        return events


def difficulty_mix(config: RoundConfig) -> str:
    return ", ".join(config.difficulties) if config.difficulties else "any difficulty"


def describe_topics(config: RoundConfig, titles: dict[str, str]) -> str:
    if not config.topics:
        return "All topics"
    return ", ".join(titles.get(topic, topic) for topic in config.topics)
