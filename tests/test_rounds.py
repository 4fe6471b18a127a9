"""The round engine and its storage, driven by a fake monotonic clock."""

import random

import pytest

from desktop.core.bank import Bank
from desktop.core.round_keeper import RoundKeeper
from desktop.core.rounds import (
    PRESETS,
    SLEEP_GAP_SECONDS,
    RoundConfig,
    RoundEngine,
    RoundItem,
    RoundState,
    choose_items,
)
from desktop.core.userstore import UserStore


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float, engine: RoundEngine | None = None, step: float = 1.0):
        """Move time forward in small ticks, as the UI's timer would, collecting events."""
        events = []
        target = self.now + seconds
        while self.now < target - 1e-9:
            self.now = min(self.now + step, target)
            if engine is not None:
                events += engine.tick(lambda: ("draft so far", None))
        return events


def engine_with(clock, count=3, seconds=60.0, per_item=True, strict=False):
    config = RoundConfig(count=count, seconds=seconds, per_item=per_item, strict=strict)
    engine = RoundEngine(config, [RoundItem("question", f"q{i}") for i in range(count)], clock=clock)
    engine.start()
    return engine


def test_per_item_expiry_submits_and_moves_on():
    clock = FakeClock()
    engine = engine_with(clock, count=2, seconds=60)
    events = clock.advance(61, engine)
    assert [event.kind for event in events if event.kind != "warning"] == ["item_time_up"]
    assert engine.index == 1
    first = engine.items[0]
    assert first.status == "timed_out" and first.answer == "draft so far"
    assert first.seconds_used == pytest.approx(60, abs=1)
    events = clock.advance(61, engine)
    assert engine.state == RoundState.TIME_UP
    assert events[-1].kind == "time_up"
    assert engine.items[1].answer == "draft so far"


def test_whole_round_budget_and_warnings():
    clock = FakeClock()
    engine = engine_with(clock, count=2, seconds=300, per_item=False)
    events = clock.advance(150, engine)
    assert [event.kind for event in events] == ["warning"]  # half the time left
    engine.submit(answer="first")
    events = clock.advance(100, engine)
    # 20% left and one minute left coincide at 60 s: one warning, not two.
    assert [event.kind for event in events] == ["warning"]
    assert engine.remaining() == pytest.approx(50, abs=1)
    clock.advance(60, engine)
    assert engine.state == RoundState.TIME_UP
    assert engine.time_used() == pytest.approx(300, abs=1)


def test_each_warning_fires_once_per_item():
    clock = FakeClock()
    engine = engine_with(clock, count=2, seconds=600)
    first = clock.advance(599, engine)
    assert [round(event.remaining) for event in first] == [300, 120, 60]  # half, 20%, last minute
    clock.advance(2, engine)
    second = clock.advance(599, engine)
    assert len([event for event in second if event.kind == "warning"]) == 3


def test_pause_stops_the_clock_but_not_in_strict_mode():
    clock = FakeClock()
    engine = engine_with(clock, seconds=60)
    clock.advance(10, engine)
    engine.pause()
    clock.advance(500, engine)
    assert engine.state == RoundState.PAUSED
    engine.resume()
    clock.advance(5, engine)
    assert engine.items[0].seconds_used == pytest.approx(15)

    strict = engine_with(clock, strict=True)
    assert not strict.can_pause()
    with pytest.raises(RuntimeError, match="strict"):
        strict.pause()


def test_clock_jump_after_sleep_is_not_charged():
    clock = FakeClock()
    engine = engine_with(clock, seconds=600)
    clock.advance(20, engine)
    clock.now += 3600  # laptop lid closed for an hour
    events = engine.tick()
    assert [event.kind for event in events] == ["slept"]
    assert engine.state == RoundState.PAUSED  # the user resumes when back
    assert engine.items[0].seconds_used == pytest.approx(20)


def test_clock_jump_in_strict_mode_keeps_running_without_charging():
    clock = FakeClock()
    engine = engine_with(clock, seconds=600, strict=True)
    clock.advance(20, engine)
    clock.now += SLEEP_GAP_SECONDS * 10
    engine.tick()
    assert engine.state == RoundState.RUNNING
    clock.advance(5, engine)
    assert engine.items[0].seconds_used == pytest.approx(25)


def test_backwards_clock_is_ignored():
    clock = FakeClock()
    engine = engine_with(clock)
    clock.advance(5, engine)
    clock.now -= 100
    engine.tick()
    assert engine.items[0].seconds_used == pytest.approx(5)


def test_end_early_keeps_answers_and_skips_the_rest():
    clock = FakeClock()
    engine = engine_with(clock, count=3)
    clock.advance(10, engine)
    engine.submit(answer="one")
    clock.advance(5, engine)
    engine.end_early(answer="half of two")
    assert engine.state == RoundState.FINISHED
    assert [item.status for item in engine.items] == ["answered", "answered", "skipped"]
    assert engine.items[1].answer == "half of two"
    engine.end_early()  # a second end is harmless


def test_skip_then_finish():
    clock = FakeClock()
    engine = engine_with(clock, count=2)
    engine.skip()
    engine.submit(answer="two")
    assert engine.state == RoundState.FINISHED
    assert [item.status for item in engine.items] == ["skipped", "answered"]


def test_choice_prefers_new_then_low_grades_without_repeats(bank_path):
    bank = Bank(bank_path)
    config = RoundConfig(count=6, item_type="question")
    practised = {"dynamic-batching": 2, "kv-cache-memory": 1, "zero-stages": 1}
    ratings = {"kv-cache-memory": 4, "zero-stages": 1}
    for seed in range(20):
        items = choose_items(bank, RoundConfig(count=3), practised, ratings, random.Random(seed))
        ids = {item.item_id for item in items}
        assert ids == {"autoscaling-inference", "pipeline-bubbles", "checkpoint-frequency"}
    items = choose_items(bank, config, practised, ratings, random.Random(1))
    assert len({item.item_id for item in items}) == 6
    items = choose_items(bank, RoundConfig(count=4), practised, ratings, random.Random(2))
    assert "zero-stages" in {item.item_id for item in items}  # graded "again" comes before the rest


def test_filters_apply_to_choice(bank_path):
    bank = Bank(bank_path)
    preset = PRESETS["System design interview (45 min)"]
    items = choose_items(bank, preset, {}, {}, random.Random(0))
    assert [item.item_id for item in items] == ["autoscaling-inference"]
    exercises = choose_items(bank, PRESETS["Rapid fire (10 exercises × 1 min)"], {}, {}, random.Random(0))
    assert {item.item_id for item in exercises} == {"ex-serving-one", "ex-serving-two", "ex-training-one"}


def test_round_is_stored_as_it_happens_and_resumes(bank_path, data_dir):
    clock = FakeClock()
    store = UserStore(data_dir / "user.sqlite")
    keeper = RoundKeeper(Bank(bank_path), store, clock=clock)
    active = keeper.start(RoundConfig(count=2, seconds=120), random.Random(0))
    clock.advance(30, active.engine)
    keeper.save(active)
    store.close()

    # The app died; a new process finds the round and resumes it with the time that was left.
    store = UserStore(data_dir / "user.sqlite")
    keeper = RoundKeeper(Bank(bank_path), store, clock=clock)
    clock.now += 5000
    resumed = keeper.unfinished()
    assert resumed is not None and resumed.round_id == active.round_id
    assert resumed.engine.state == RoundState.PAUSED
    assert resumed.engine.remaining() == pytest.approx(90, abs=1)
    resumed.engine.resume()
    clock.advance(10, resumed.engine)
    assert resumed.engine.remaining() == pytest.approx(80, abs=1)
    keeper.end(resumed)
    assert keeper.unfinished() is None
    assert keeper.history()[0].round_id == active.round_id


def test_score_combines_exercises_and_graded_questions(bank_path, data_dir):
    clock = FakeClock()
    store = UserStore(data_dir / "user.sqlite")
    bank = Bank(bank_path)
    keeper = RoundKeeper(bank, store, clock=clock)
    active = keeper.start(RoundConfig(item_type="exercise", count=3, seconds=60), random.Random(0))
    for item in list(active.engine.items):
        best = bank.exercise(item.item_id).best
        active.engine.submit(choice=best if item.item_id != "ex-training-one" else "C")
    keeper.save(active)
    assert keeper.score(active.round_id) == pytest.approx(66.7)
    assert keeper.history()[0].score == pytest.approx(66.7)

    questions = keeper.start(RoundConfig(count=2, seconds=60), random.Random(0))
    first = questions.engine.items[0].item_id
    questions.engine.end_early(answer="draft")
    keeper.save(questions)
    store.add_grade(first, 3, 0.8, [0, 1, 2, 3], "round", questions.round_id)
    assert keeper.score(questions.round_id) == pytest.approx(40.0)
