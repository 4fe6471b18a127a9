"""Every file location the app uses, resolved in one place, frozen (PyInstaller) or not."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Onsite"
PACKAGE_DIR = Path(__file__).resolve().parent


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def bundle_root() -> Path:
    """Folder holding `resources/` and the shipped bank: the bundle when frozen, the repo otherwise."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return PACKAGE_DIR.parent


def content_dir() -> Path:
    return bundle_root() / "content"


def resources_dir() -> Path:
    return bundle_root() / "resources"


def source_bank_path() -> Path:
    """Where a source checkout keeps its compiled bank (git-ignored)."""
    return bundle_root() / "build" / "bank.sqlite"


def shipped_bank_path() -> Path:
    return bundle_root() / "bank" / "bank.sqlite"


def user_data_dir() -> Path:
    """The user's own data; ONSITE_DATA_DIR overrides it (tests, portable installs, self-test)."""
    override = os.environ.get("ONSITE_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
