"""Search as typed: every prefix of 1-3 word queries, through what the UI calls and the raw bank."""

from __future__ import annotations

import random
import re
import tempfile
import time
from pathlib import Path

from desktop.core.bank import Bank
from desktop.core.study import QuestionFilter, Study

from .qt_probe import percentiles

# Queries a candidate types; the rest are word runs taken from real question titles.
TYPED = ["kv cache", "pipeline parallel bubble", "feature store", "gradient checkpointing", "p99 latency",
         "data drift detection", "tensor parallel", "autoscaling", "batch size", "canary rollout"]


def typed_queries(bank: Bank, count: int = 30, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    titles = sorted(summary.title for summary in bank.questions())
    queries = list(TYPED)
    while len(queries) < count:
        words = re.findall(r"[A-Za-z0-9]+", rng.choice(titles))
        if not words:
            continue
        size = rng.randint(1, min(3, len(words)))
        start = rng.randrange(len(words) - size + 1)
        queries.append(" ".join(words[start:start + size]).lower())
    return queries


def prefixes(query: str) -> list[str]:
    """Every state of the search box while the query is typed (a trailing space changes nothing)."""
    return [query[:end] for end in range(1, len(query) + 1) if not query[:end].endswith(" ")]


def bench_search(bank_path: Path, passes: int = 3) -> dict:
    with tempfile.TemporaryDirectory(prefix="onsite-bench-search-") as folder:
        study = Study.open(bank_path, Path(folder))
        try:
            typed = [prefix for query in typed_queries(study.bank) for prefix in prefixes(query)]
            calls = {
                "study": lambda text: study.questions(QuestionFilter(search=text)),
                "bank": lambda text: study.bank.search(text),
            }
            result: dict = {"questions": len(study.bank.questions()), "prefixes": len(typed)}
            for name, call in calls.items():
                for text in typed:  # warm-up pass: SQLite page cache, regex compilation
                    call(text)
                samples, slowest = [], []
                for _ in range(passes):
                    for text in typed:
                        started = time.perf_counter()
                        call(text)
                        elapsed = (time.perf_counter() - started) * 1000
                        samples.append(elapsed)
                        slowest.append((elapsed, text))
                result[name] = percentiles(samples)
                worst: dict[str, float] = {}
                for elapsed, text in slowest:
                    worst[text] = max(elapsed, worst.get(text, 0.0))
                result[name]["slowest"] = sorted(worst, key=worst.get, reverse=True)[:5]
        finally:
            study.close()
    return result
