"""A cheap "is the source bank current?" check for source runs.

Hashing every content file costs a few milliseconds per start; comparing their sizes and
modification times costs a fraction of that. The stamp beside the bank records the stat
fingerprint under which the full content hash last matched; when it still holds, the bank is
current. Any difference (an edit, a checkout, a new file) falls back to the full hash.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

BANK_SCHEMA_VERSION = 2  # 2: exercises keep their options' and explanations' Markdown
CONTENT_SUFFIXES = (".md", ".yaml")
# The code that shapes the bank's rows and HTML: a change to it must rebuild the bank too.
BUILD_CODE = ("bank_build.py", "content.py", "render.py", "markdown_safe.py", "bank_stamp.py")
CORE_DIR = Path(__file__).parent


def stamp_path(bank_path: Path) -> Path:
    return bank_path.with_name(bank_path.name + ".stamp")


def _entries(root: Path, prefix: str = "") -> list[str]:
    found = []
    with os.scandir(root) as items:
        for item in items:
            if item.is_dir(follow_symlinks=False):
                found += _entries(Path(item.path), f"{prefix}{item.name}/")
            elif item.name.endswith(CONTENT_SUFFIXES):
                info = item.stat()
                found.append(f"{prefix}{item.name} {info.st_size} {info.st_mtime_ns}")
    return found


def content_files(content_root: Path) -> list[str]:
    """Each content file's relative path, size and modification time, sorted."""
    return sorted(_entries(content_root))


def fingerprint(content_root: Path, bank_path: Path) -> str:
    """Sizes and modification times of the content, the build code and the bank file itself."""
    lines = content_files(content_root)
    for name in BUILD_CODE:
        info = (CORE_DIR / name).stat()
        lines.append(f"code/{name} {info.st_size} {info.st_mtime_ns}")
    info = bank_path.stat()
    lines.append(f"bank {info.st_size} {info.st_mtime_ns} schema {BANK_SCHEMA_VERSION}")
    return "\n".join(lines)


def is_current(content_root: Path, bank_path: Path) -> bool:
    """True when the stamp says nothing changed since the bank was last found to match content/."""
    try:
        stamp = json.loads(stamp_path(bank_path).read_text(encoding="utf-8"))
        return stamp.get("fingerprint") == fingerprint(content_root, bank_path)
    except (OSError, ValueError, AttributeError):
        return False


def write_stamp(content_root: Path, bank_path: Path) -> None:
    """Record that the bank matches content/ as it is now (after a full hash check or a build)."""
    target = stamp_path(bank_path)
    try:
        temp = target.with_name(target.name + ".tmp")
        temp.write_text(json.dumps({"fingerprint": fingerprint(content_root, bank_path)}), encoding="utf-8")
        os.replace(temp, target)
    except OSError:
        pass  # only an optimisation: the next start hashes the content again
