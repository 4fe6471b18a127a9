"""Command line for the content bank: `python -m desktop.bank check|build`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .core.bank_build import build_bank
from .core.content import ContentError, load_content
from .core.content_quality import near_duplicate_prompts, summarize
from .paths import content_dir, source_bank_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop.bank", description=__doc__)
    parser.add_argument("command", choices=["check", "build"])
    parser.add_argument("--content", type=Path, default=None, help="content folder (default: the repo's)")
    parser.add_argument("--topic", default=None, help="check only this topic's files")
    parser.add_argument("--out", type=Path, default=None, help="bank file to write (build)")
    args = parser.parse_args(argv)
    root = args.content or content_dir()
    try:
        if args.command == "build":
            out = args.out or source_bank_path()
            content = build_bank(root, out)
            print(f"built {out}: {len(content.topics)} topics, {len(content.questions)} questions, "
                  f"{len(content.exercises)} exercises")
            return 0
        content = load_content(root, only_topic=args.topic)
    except ContentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{'topic':34} {'qs':>3} {'E/M/H':>9} {'Tech/SD':>8} {'ex':>3} {'words':>5}")
    for summary in summarize(content):
        difficulty = "/".join(str(summary.by_difficulty.get(level, 0)) for level in ("Easy", "Medium", "Hard"))
        kinds = f"{summary.by_kind.get('Technical', 0)}/{summary.by_kind.get('System Design', 0)}"
        print(f"{summary.topic:34} {summary.questions:>3} {difficulty:>9} {kinds:>8} "
              f"{summary.exercises:>3} {summary.median_words:>5}")
    print(f"total: {len(content.questions)} questions, {len(content.exercises)} exercises")
    duplicates = near_duplicate_prompts(content.questions)
    for first, second, score in duplicates:
        print(f"near-duplicate prompts ({score:.2f}): {first.path} ~ {second.path}", file=sys.stderr)
    return 1 if duplicates else 0


if __name__ == "__main__":
    sys.exit(main())
