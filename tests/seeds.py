"""Read the seed documents (../shared/seeds) into question records, for the coverage test.

The seeds are not ours to copy: only a hash of each question's normalised text is stored in
content/seed-coverage.yaml, never the text itself.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

HEADER = re.compile(r"^(Easy|Medium|Hard)(Technical|System Design)$")


@dataclass(frozen=True)
class SeedItem:
    file: str
    position: int  # 1-based within its file
    kind_of_item: str  # "question" or "exercise"
    difficulty: str | None
    kind: str | None
    text: str

    @property
    def sha1(self) -> str:
        return seed_hash(self.text)


def seed_hash(text: str) -> str:
    normalised = re.sub(r"\s+", " ", text).strip().lower()
    return hashlib.sha1(normalised.encode()).hexdigest()


def read_seeds(folder: Path) -> list[SeedItem]:
    items: list[SeedItem] = []
    for path in sorted(folder.glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        lines = [line for line in lines if line]
        position = 0
        for index, line in enumerate(lines):
            header = HEADER.match(line)
            if header and index + 2 < len(lines) and lines[index + 1].endswith("practiced"):
                position += 1
                items.append(
                    SeedItem(path.name, position, "question", header.group(1), header.group(2), lines[index + 2])
                )
            elif line.startswith("The interviewer asks:"):
                position += 1
                items.append(SeedItem(path.name, position, "exercise", None, None, line))
    return items
