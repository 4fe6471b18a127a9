"""Cold start to the first painted window: the app (from source and, where built, the frozen
bundle) against a minimal PySide6 window, alternated run by run so machine noise hits all alike.

Every process prints `ONSITE_FIRST_PAINT <epoch seconds>` after its first paint (the app through
ONSITE_EXIT_AFTER_PAINT=1, see desktop/startup_probe.py) and quits; the time from spawning it to
that stamp is the start-up time. The app also prints `ONSITE_READY` once it has built the panes
it defers past the first frame (the question and exercise panes); that time is reported beside
it. Runs go through packaging/bench_start.py's `start_once` (a fresh data folder each run).
"Cold" means a new process; the page cache stays warm unless --cold-cache evicts the files each
variant reads (posix_fadvise). One warm-up run of each is not counted.
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import sys
import sysconfig
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FROZEN = REPO / "dist" / "onsite" / "onsite"


def _packaging_bench():  # noqa: ANN202 - the module packaging/bench_start.py
    """The packaging engineer's start-up runner (fresh data dir per run, first-paint stamp, eviction).

    Loaded from its file: a top-level `packaging` import would collide with the PyPI package.
    """
    spec = importlib.util.spec_from_file_location("onsite_bench_start", REPO / "packaging" / "bench_start.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bench_startup(runs: int = 10, cold: bool = False) -> dict:
    runner = _packaging_bench()
    platform = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    paths = sysconfig.get_paths()
    python_files = [Path(paths["purelib"]), Path(paths["stdlib"])]
    variants = {  # name: (command, files dropped from the page cache with --cold)
        "minimal": ([sys.executable, "-m", "tests.benchmarks.minimal_window"], python_files),
        "source": ([sys.executable, "-m", "desktop"], [*python_files, REPO / "desktop", REPO / "build"]),
    }
    notes = []
    if FROZEN.exists():
        variants["frozen"] = ([str(FROZEN)], [FROZEN.parent])
    else:
        notes.append(f"frozen bundle not built ({FROZEN.relative_to(REPO)} missing): skipped")
    os.environ["PYTHONPATH"] = str(REPO)  # the minimal window imports the app's first-paint hook
    for command, _ in variants.values():  # warm-up: file cache, and the source run's bank is current
        runner.start_once(command, platform, REPO)
    samples: dict[str, list[float]] = {name: [] for name in variants}
    ready: dict[str, list[float]] = {name: [] for name in variants}
    for run in range(runs):
        order = list(variants) if run % 2 == 0 else list(reversed(variants))
        for name in order:
            command, files = variants[name]
            if cold:
                runner.evict(files)
            paint, built, _ = runner.start_once(command, platform, REPO)
            samples[name].append(paint * 1000)
            ready[name].append(built * 1000)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    ready_medians = {name: statistics.median(values) for name, values in ready.items()}
    return {
        "runs_each": runs,
        "platform": platform,
        "page_cache": "cold (app files evicted each run)" if cold else "warm",
        "median_ms": {name: round(value, 1) for name, value in medians.items()},
        "samples_ms": {name: [round(value, 1) for value in values] for name, values in samples.items()},
        "ratio": {name: round(medians[name] / medians["minimal"], 2) for name in variants if name != "minimal"},
        # First paint shows the topic and question columns; "ready" adds the panes built right after it.
        "ready_median_ms": {name: round(value, 1) for name, value in ready_medians.items()},
        "ready_ratio": {name: round(ready_medians[name] / medians["minimal"], 2)
                        for name in variants if name != "minimal"},
        "notes": notes,
    }
