"""Start-up benchmark: the frozen app (dist/onsite) against the source run, to the first painted window.

    python packaging/bench_start.py                 # 10 runs each, alternating, offscreen
    python packaging/bench_start.py --runs 15 --cold --platform xcb   # under an X server (e.g. Xvfb)

Each run starts a new process with a fresh user data folder and ONSITE_EXIT_AFTER_PAINT=1, which makes
the app print the time of its main window's first paint and quit (desktop/startup_probe.py). Runs
alternate frozen/source so drift on the machine hits both alike; one warm-up run of each is not counted.
--cold asks the kernel to drop the app's files from the page cache before every run
(posix_fadvise DONTNEED: no root needed; shared system libraries stay cached), which approximates the
first start after a reboot. Without it the numbers are warm-cache starts. Not a unit test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def tree_size(path: Path) -> int:
    return sum(item.lstat().st_size for item in path.rglob("*") if not item.is_symlink())


def evict(roots: list[Path]) -> None:
    for root in roots:
        files = [root] if root.is_file() else root.rglob("*")
        for path in files:
            if path.is_symlink() or not path.is_file():
                continue
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def start_once(command: list[str], platform: str, cwd: Path) -> tuple[float, float, float]:
    """Seconds from spawning to (first paint, ready, process exit).

    "Ready" is when the app has built the panes it defers past its first paint (ONSITE_READY);
    a window without deferred work (the minimal one) is ready when it paints.
    """
    with tempfile.TemporaryDirectory(prefix="onsite-bench-") as data:
        # A user's Python caches compiled bytecode; some shells here set PYTHONDONTWRITEBYTECODE, which
        # would make every source start recompile the app (~35 ms) and time the compiler, not the app.
        env = {key: value for key, value in os.environ.items()
               if not key.startswith("ONSITE_") and key != "PYTHONDONTWRITEBYTECODE"}
        env.update(QT_QPA_PLATFORM=platform, ONSITE_EXIT_AFTER_PAINT="1")
        started = time.time()
        result = subprocess.run([*command, "--data-dir", data], cwd=cwd, env=env, capture_output=True,
                                text=True, timeout=120)
        ended = time.time()
    stamps = dict(line.split()[:2] for line in result.stdout.splitlines() if line.startswith("ONSITE_"))
    if "ONSITE_FIRST_PAINT" in stamps:
        paint = float(stamps["ONSITE_FIRST_PAINT"]) - started
        ready = float(stamps.get("ONSITE_READY", stamps["ONSITE_FIRST_PAINT"])) - started
        return paint, ready, ended - started
    raise RuntimeError(f"{command[0]} exited {result.returncode} without painting:\n{result.stderr[-2000:]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed runs of each (default 10)")
    parser.add_argument("--frozen", type=Path, default=REPO / "dist" / "onsite" / "onsite")
    parser.add_argument("--python", default=sys.executable, help="interpreter for the source run")
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    parser.add_argument("--cold", action="store_true", help="drop the app's files from the page cache each run")
    args = parser.parse_args(argv)
    if not args.frozen.exists():
        raise SystemExit(f"{args.frozen} is missing: run packaging/build.py first")

    bundle = args.frozen.parent
    site = Path(sysconfig.get_paths()["purelib"])
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    variants = {
        "frozen": ([str(args.frozen)], [bundle]),
        "source": ([args.python, "-m", "desktop"], [site, stdlib, REPO / "desktop", REPO / "build"]),
    }
    times: dict[str, list[tuple[float, float, float]]] = {name: [] for name in variants}
    for command, _ in variants.values():  # warm-up: also lets the source run build its bank
        start_once(command, args.platform, REPO)
    for run in range(args.runs):
        order = list(variants) if run % 2 == 0 else list(reversed(variants))
        for name in order:
            command, files = variants[name]
            if args.cold:
                evict(files)
            times[name].append(start_once(command, args.platform, REPO))
        print(f"run {run + 1}/{args.runs}: " + ", ".join(f"{n} {times[n][-1][0]:.3f} s" for n in variants),
              file=sys.stderr)

    medians = {name: statistics.median(paint for paint, _, _ in values) for name, values in times.items()}
    print(f"\nStart to first painted main window, {args.runs} alternating runs each, platform {args.platform}, "
          f"{'cold (page cache dropped for the app files)' if args.cold else 'warm'} page cache")
    print(f"{'':8} {'median':>8} {'min':>8} {'max':>8} {'ready (median)':>15} {'exit (median)':>14}")
    for name, values in times.items():
        paints = [paint for paint, _, _ in values]
        ready = statistics.median(when for _, when, _ in values)
        exits = statistics.median(total for _, _, total in values)
        print(f"{name:8} {medians[name]:7.3f}s {min(paints):7.3f}s {max(paints):7.3f}s {ready:14.3f}s {exits:13.3f}s")
    print(f"frozen / source: {medians['frozen'] / medians['source']:.2f}")
    print(f"bundle: {tree_size(bundle) / 2**20:.1f} MiB in {bundle}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
