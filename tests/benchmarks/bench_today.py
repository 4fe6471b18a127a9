"""Benchmark (not a test): building the Today queue for 5,000 questions with 50,000 grades.

    /tmp/venv/bin/python tests/benchmarks/bench_today.py [--questions 5000] [--grades 50000] [--runs 21]

Generates a bank of N questions across 12 topics (kept in a temporary folder; --keep DIR reuses
one) and a user store with M grades spread over the last year, then prints the median of:
- Today with an up-to-date cache (what every opening of Today and every grade costs),
- one new grade caught up incrementally, then Today,
- a full recomputation from the log (first start after an upgrade, or a changed retention).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import question_text, topic_text  # noqa: E402

from desktop.core import scheduling  # noqa: E402
from desktop.core.bank_build import build_bank  # noqa: E402
from desktop.core.study import QuestionFilter, Study  # noqa: E402

NOW = datetime(2025, 6, 2, 9, 30, tzinfo=timezone.utc)


def make_bank(folder: Path, questions: int) -> Path:
    bank = folder / "bank.sqlite"
    marker = folder / f"questions-{questions}"
    if bank.exists() and marker.exists():
        return bank
    content = folder / "content"
    (content / "topics").mkdir(parents=True, exist_ok=True)
    topics = [f"topic-{index:02d}" for index in range(12)]
    for order, topic in enumerate(topics, 1):
        (content / "topics" / f"{topic}.md").write_text(topic_text(topic, f"Topic {order}", order))
    for index in range(questions):
        topic = topics[index % len(topics)]
        target = content / "questions" / topic
        target.mkdir(parents=True, exist_ok=True)
        (target / f"q-{index:05d}.md").write_text(
            question_text(f"q-{index:05d}", topic, f"Benchmark question {index}", words=320)
        )
    started = time.perf_counter()
    build_bank(content, bank)
    print(f"(built a bank of {questions} questions in {time.perf_counter() - started:.1f} s)")
    marker.touch()
    return bank


def fill_grades(study: Study, questions: int, grades: int, rng: random.Random) -> None:
    """Grades spread over the past year, each question's in time order, inserted in one go."""
    per_question = max(grades // questions, 1)
    rows = []
    for index in range(questions):
        moment = NOW - timedelta(days=365) + timedelta(minutes=rng.randrange(60 * 24 * 30))
        for _ in range(per_question):
            rows.append((f"q-{index:05d}", rng.choice((1, 2, 3, 3, 3, 4)), 0.7, "[]", "draft", None,
                         moment.isoformat(timespec="seconds")))
            moment += timedelta(days=rng.uniform(3, 33))
            if len(rows) >= grades:
                break
    rows.sort(key=lambda row: row[6])
    with study.store.transaction() as db:
        db.executemany(
            "INSERT INTO grades (question_id, rating, fraction, ticked, source, round_id, graded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", rows,
        )
    print(f"(stored {len(rows)} grades)")


def median_ms(action, runs: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--grades", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--keep", type=Path, help="folder to keep the generated bank in between runs")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="onsite-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    bank = make_bank(work, args.questions)
    data = Path(tempfile.mkdtemp(prefix="onsite-bench-data-"))
    clock = [NOW]
    study = Study.open(bank, data, clock=lambda: clock[0])
    study.tz = timezone.utc
    fill_grades(study, args.questions, args.grades, random.Random(8))

    full = median_ms(lambda: study.sync_schedule(force_full=True), max(3, args.runs // 4))
    queue = study.today()
    today = median_ms(study.today, args.runs)

    counter = [0]

    def grade_then_today() -> None:
        counter[0] += 1
        clock[0] = NOW + timedelta(seconds=counter[0])
        study.grade(f"q-{counter[0] % args.questions:05d}", 3, 0.8, [], "draft")
        study.today()

    incremental = median_ms(grade_then_today, args.runs)

    def first_today() -> None:  # the first opening in a session also lists the bank
        scheduling._bank_items.clear()
        study.today()

    first = median_ms(first_today, args.runs)
    question_list = median_ms(lambda: study.questions(QuestionFilter(sort="due")), max(3, args.runs // 4))
    study.close()
    print(f"Today: {len(queue.items)} items ({queue.due_count} due, {queue.new_questions} new), "
          f"{args.questions} questions, {args.grades} grades")
    print(f"build Today, cache current:        median {today:7.1f} ms over {args.runs} runs")
    print(f"first Today of a session:          median {first:7.1f} ms over {args.runs} runs")
    print(f"add a grade + catch up + Today:    median {incremental:7.1f} ms over {args.runs} runs")
    print(f"full recompute from the log:       median {full:7.1f} ms")
    print(f"question list sorted by due date:  median {question_list:7.1f} ms (all {args.questions} rows)")


if __name__ == "__main__":
    main()
