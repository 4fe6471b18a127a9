"""Measurements that need the real main window, each run in its own process (clean memory, no
state carried between cases). Prints one JSON object on stdout.

    python -m tests.benchmarks.qt_probe switch  --bank BANK [--switches 150]
    python -m tests.benchmarks.qt_probe preview --bank BANK
    python -m tests.benchmarks.qt_probe memory  --bank BANK
    python -m tests.benchmarks.qt_probe history --bank BANK [--grades 50000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux: VmHWM in /proc/self/status)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def paint_fully(window) -> None:  # noqa: ANN001 - a QWidget
    """Process events until the window has been laid out and painted (offscreen backing store)."""
    from PySide6.QtWidgets import QApplication

    for _ in range(5):
        QApplication.processEvents()
    window.repaint()
    QApplication.processEvents()


def percentiles(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50": round(statistics.median(ordered), 2), "p95": round(p95, 2), "max": round(ordered[-1], 2),
            "n": len(ordered)}


def open_window(bank: Path, data_dir: Path):  # noqa: ANN201 - (QApplication, MainWindow)
    from PySide6.QtWidgets import QApplication

    from desktop.core.study import Study
    from desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    study = Study.open(bank, data_dir)
    window = MainWindow(study)
    window.show()
    paint_fully(window)
    for _ in range(1000):  # measure the whole window: the panes it builds right after the first paint too
        if window.is_ready():
            break
        app.processEvents()
    assert window.is_ready(), "the main window never finished building"
    return app, window


def question_ids(window, count: int, rng: random.Random) -> list[str]:  # noqa: ANN001
    ids = [row.id for row in window.question_panel.model.rows]
    return [ids[rng.randrange(len(ids))] for _ in range(count)]


def bench_switch(bank: Path, data_dir: Path, switches: int) -> dict:
    app, window = open_window(bank, data_dir)
    rng = random.Random(1)
    for question_id in question_ids(window, 5, rng):  # warm-up: first renders load fonts and styles
        window.question_panel.select(question_id)
        app.processEvents()
    samples = []
    for question_id in question_ids(window, switches, rng):
        started = time.perf_counter()
        window.question_panel.select(question_id)
        app.processEvents()  # the view's update requests: layout and paint into the backing store
        samples.append((time.perf_counter() - started) * 1000)
    window.close()
    return {"questions_in_list": window.question_panel.model.rowCount(), **percentiles(samples)}


def draft_text(words: int = 1500) -> str:
    """A 1,500-word draft with headings, lists and three code blocks, like a long written answer."""
    rng = random.Random(3)
    vocabulary = ["latency", "throughput", "batch", "shard", "replica", "gradient", "optimizer", "memory",
                  "bandwidth", "cache", "queue", "tensor", "pipeline", "kernel", "cluster", "budget", "p99",
                  "rollout", "canary", "drift", "feature", "store"]
    code = "```python\nimport torch\n\ndef step(model, batch):\n    loss = model(batch).mean()\n" \
           "    loss.backward()\n    return loss.item()\n```"
    parts, total = [], 0
    while total < words - 150:  # headings, lists and the code blocks bring it to about `words`
        sentence_words = [rng.choice(vocabulary) for _ in range(rng.randint(8, 20))]
        total += len(sentence_words)
        parts.append(" ".join(sentence_words).capitalize() + ".")
        if len(parts) % 12 == 0:
            parts.append(f"\n\n## Part {len(parts) // 12}\n\n- first point\n- second point with `code`\n\n")
    text = " ".join(parts)
    third = len(text) // 3
    return text[:third] + f"\n\n{code}\n\n" + text[third:2 * third] + f"\n\n{code}\n\n" + text[2 * third:] \
        + f"\n\n{code}\n"


def bench_preview(bank: Path, data_dir: Path) -> dict:
    from desktop.core import render

    text = draft_text()
    started = time.perf_counter()
    render.render_markdown(text)
    first_ms = (time.perf_counter() - started) * 1000
    samples = []
    for _ in range(20):
        started = time.perf_counter()
        render.render_markdown(text)
        samples.append((time.perf_counter() - started) * 1000)
    app, window = open_window(bank, data_dir)
    window.question_panel.select(window.question_panel.model.rows[0].id)
    app.processEvents()
    editor = window.question_view.draft
    editor._loading = True  # noqa: SLF001 - fill the editor without autosaving the benchmark text
    editor.editor.setPlainText(text)
    editor._loading = False  # noqa: SLF001
    widget_samples = []
    for _ in range(20):
        started = time.perf_counter()
        editor.refresh_preview()  # what the debounce timer calls after typing stops
        app.processEvents()
        widget_samples.append((time.perf_counter() - started) * 1000)
    # One keystroke at the end of the 1,500-word draft: the key event, the autosave bookkeeping and
    # the editor's relayout. The preview and the save run later, from their timers, off this path.
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    editor.editor.moveCursor(editor.editor.textCursor().MoveOperation.End)
    editor.editor.setFocus()
    key_samples = []
    for index in range(200):
        started = time.perf_counter()
        QTest.keyClick(editor.editor, Qt.Key.Key_A if index % 2 else Qt.Key.Key_Backspace)
        app.processEvents()
        key_samples.append((time.perf_counter() - started) * 1000)
    words = len(text.split())
    return {"words": words, "code_blocks": 3, "first_render_ms": round(first_ms, 2),
            "render": percentiles(samples), "widget": percentiles(widget_samples),
            "keystroke": percentiles(key_samples)}


def bench_memory(bank: Path, data_dir: Path, browse: int = 100) -> dict:
    app, window = open_window(bank, data_dir)
    after_start = peak_rss_mb()
    for question_id in question_ids(window, browse, random.Random(2)):
        window.question_panel.select(question_id)
        app.processEvents()
    after_browse = peak_rss_mb()
    window.close()
    return {"after_start_mb": after_start, "after_browse_mb": after_browse, "browsed": browse}


def bench_history(bank: Path, data_dir: Path, grades: int) -> dict:
    from desktop.core.study import QuestionFilter, Study

    study = Study.open(bank, data_dir)
    ids = [summary.id for summary in study.bank.questions()]
    rng = random.Random(4)
    now = study.store.clock()
    rows, stats = [], {}
    for index in range(grades):
        question_id = ids[index % len(ids)]
        moment = now - timedelta(days=365) + timedelta(minutes=index * (365 * 24 * 60 // grades))
        rows.append((question_id, rng.choice((1, 2, 3, 3, 3, 4)), 0.7, "[]", "draft", None,
                     moment.isoformat(timespec="seconds")))
        stats[question_id] = stats.get(question_id, 0) + 1
    with study.store.transaction() as db:
        db.executemany(
            "INSERT INTO grades (question_id, rating, fraction, ticked, source, round_id, graded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", rows,
        )
        db.executemany(
            "INSERT INTO question_stats (question_id, practised, starred, last_practised) VALUES (?, ?, ?, ?)",
            [(qid, count, int(rng.random() < 0.1), now.isoformat()) for qid, count in stats.items()],
        )
    result: dict = {"grades": grades, "questions": len(ids)}
    started = time.perf_counter()
    study.sync_schedule()
    result["first_schedule_sync_ms"] = round((time.perf_counter() - started) * 1000, 1)
    samples = []
    for _ in range(21):
        started = time.perf_counter()
        study.questions(QuestionFilter())
        samples.append((time.perf_counter() - started) * 1000)
    result["question_list"] = percentiles(samples)
    samples = []
    for _ in range(21):
        started = time.perf_counter()
        study.today()
        samples.append((time.perf_counter() - started) * 1000)
    result["today_core"] = percentiles(samples)
    study.close()
    app, window = open_window(bank, data_dir)
    started = time.perf_counter()
    window.show_today()
    app.processEvents()
    result["today_view_first_open_ms"] = round((time.perf_counter() - started) * 1000, 1)
    samples = []
    for _ in range(11):
        started = time.perf_counter()
        window._today_page.refresh()  # noqa: SLF001 - what every grade and every reopening does
        app.processEvents()
        samples.append((time.perf_counter() - started) * 1000)
    result["today_view_refresh"] = percentiles(samples)
    window.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("switch", "preview", "memory", "history"))
    parser.add_argument("--bank", type=Path, required=True)
    parser.add_argument("--switches", type=int, default=150)
    parser.add_argument("--grades", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="onsite-bench-") as folder:
        data_dir = Path(folder)
        if args.mode == "switch":
            result = bench_switch(args.bank, data_dir, args.switches)
        elif args.mode == "preview":
            result = bench_preview(args.bank, data_dir)
        elif args.mode == "memory":
            result = bench_memory(args.bank, data_dir)
        else:
            result = bench_history(args.bank, data_dir, args.grades)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
