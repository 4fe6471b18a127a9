"""Rounds as they are stored: start, save progress, resume after a crash, finish, score, history."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from .bank import Bank
from .rounds import RoundConfig, RoundEngine, RoundItem, RoundState, choose_items
from .userstore import UserStore


@dataclass
class ActiveRound:
    round_id: int
    engine: RoundEngine


@dataclass(frozen=True)
class RoundSummary:
    round_id: int
    config: RoundConfig
    state: str
    started_at: str
    ended_at: str | None
    score: float | None
    seconds_used: float
    items: int


class RoundKeeper:
    def __init__(self, bank: Bank, store: UserStore, clock: Callable[[], float] = time.monotonic) -> None:
        self.bank = bank
        self.store = store
        self.clock = clock

    def start(self, config: RoundConfig, rng: random.Random | None = None) -> ActiveRound:
        practised = {qid: stat.practised for qid, stat in self.store.stats().items()}
        items = choose_items(self.bank, config, practised, self.store.latest_ratings(), rng)
        if not items:
            raise ValueError("No questions match this round's topics, difficulty and kind.")
        engine = RoundEngine(config, items, clock=self.clock)
        engine.start()
        round_id = self.store.create_round(
            config.to_dict(), engine.state.value, [(item.item_type, item.item_id, item.status) for item in items]
        )
        return ActiveRound(round_id, engine)

    def save(self, active: ActiveRound) -> None:
        engine = active.engine
        self.store.save_round(
            active.round_id, engine.state.value, engine.index,
            [(item.seconds_used, item.status, item.choice, item.answer) for item in engine.items],
            ended=engine.is_over(),
        )
        if engine.is_over():
            self.store.set_round_score(active.round_id, self.score(active.round_id))
            self._log_exercise_answers(active.round_id)

    def _log_exercise_answers(self, round_id: int) -> None:
        """Answered exercises join the review log once, when the round ends (the scheduler reads it)."""
        if any(grade.source == "exercise" for grade in self.store.round_grades(round_id).values()):
            return
        for item_type, item_id, _seconds, _status, choice, _answer in self.store.round_items(round_id):
            exercise = self.bank.exercise(item_id) if item_type == "exercise" and choice else None
            if exercise is not None:
                correct = choice == exercise.best
                self.store.add_grade(item_id, 3 if correct else 1, float(correct), [], "exercise", round_id)

    def _engine_for(self, round_id: int) -> RoundEngine:
        row = self.store.round_row(round_id)
        if row is None:
            raise KeyError(round_id)
        config = RoundConfig.from_dict(json.loads(row[1]))
        items = [
            RoundItem(item_type, item_id, seconds_used, status, choice, answer)
            for item_type, item_id, seconds_used, status, choice, answer in self.store.round_items(round_id)
        ]
        engine = RoundEngine(config, items, clock=self.clock, state=RoundState(row[2]), index=row[3])
        return engine

    def unfinished(self) -> ActiveRound | None:
        """A round the app died in the middle of, ready to resume (paused unless strict)."""
        round_id = self.store.unfinished_round_id()
        if round_id is None:
            return None
        engine = self._engine_for(round_id)
        engine.resume_from_storage(paused=True)
        return ActiveRound(round_id, engine)

    def end(self, active: ActiveRound) -> None:
        """End a round now, keeping whatever was answered."""
        active.engine.end_early()
        self.save(active)

    def load(self, round_id: int) -> RoundEngine:
        return self._engine_for(round_id)

    def score(self, round_id: int) -> float | None:
        """Share of the round done well, 0-100: exercises right or wrong, questions by their rubric grade."""
        items = self.store.round_items(round_id)
        if not items:
            return None
        grades = self.store.round_grades(round_id)
        total = 0.0
        for item_type, item_id, _seconds, _status, choice, _answer in items:
            if item_type == "exercise":
                exercise = self.bank.exercise(item_id)
                total += 1.0 if exercise is not None and choice == exercise.best else 0.0
            elif item_id in grades:
                total += grades[item_id].fraction
        return round(100.0 * total / len(items), 1)

    def grade(self, round_id: int) -> None:
        self.store.set_round_score(round_id, self.score(round_id))

    def history(self) -> list[RoundSummary]:
        summaries = []
        for round_id, config, state, _index, started, ended, score in self.store.round_rows():
            items = self.store.round_items(round_id)
            summaries.append(
                RoundSummary(round_id, RoundConfig.from_dict(json.loads(config)), state, started, ended, score,
                             sum(item[2] for item in items), len(items))
            )
        return summaries
