"""Draft keeping: autosave bookkeeping, version history rules and time spent, with no widgets."""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Callable

from .userstore import DraftVersion, UserDataError, UserStore

# A new history version is kept when the draft moved this far from the last kept one.
VERSION_MIN_CHANGED_WORDS = 12
# Pauses longer than this between keystrokes count as time away, not time spent drafting.
IDLE_CAP_SECONDS = 60.0
# Diffing huge pastes word by word would stall the save; past this size compare lengths only.
DIFF_WORD_LIMIT = 20_000


def word_count(text: str) -> int:
    return len(re.findall(r"\S+", text))


def changed_words(old: str, new: str) -> int:
    old_words, new_words = old.split(), new.split()
    if len(old_words) + len(new_words) > DIFF_WORD_LIMIT:
        return abs(len(old_words) - len(new_words)) or (0 if old == new else VERSION_MIN_CHANGED_WORDS)
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    return max(len(old_words), len(new_words)) - same


def should_keep_version(last_kept: str | None, text: str) -> bool:
    if not text.strip():
        return False
    if last_kept is None:
        return True
    return changed_words(last_kept, text) >= VERSION_MIN_CHANGED_WORDS


class DraftSession:
    """One question's draft (or note) being edited: what is saved, what is pending, time spent.

    The UI calls `edited()` on every change and `save()` from its autosave timer, when switching
    question and on quit. A failed save keeps `dirty` set and raises UserDataError so the UI can
    warn; the text stays in the editor and the next save tries again.
    """

    def __init__(
        self, store: UserStore, question_id: str, kind: str = "draft",
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.question_id = question_id
        self.kind = kind
        self.monotonic = monotonic
        if kind == "draft":
            self.saved_text, self.seconds_spent = store.draft(question_id)
            self._last_kept = store.latest_version_text(question_id)
        else:
            self.saved_text, self.seconds_spent = store.note(question_id), 0.0
            self._last_kept = None
        self.dirty = False
        self._last_edit: float | None = None

    def edited(self) -> None:
        now = self.monotonic()
        if self._last_edit is not None:
            self.seconds_spent += min(now - self._last_edit, IDLE_CAP_SECONDS)
        self._last_edit = now
        self.dirty = True

    def save(self, text: str, force_version: bool = False) -> bool:
        """Persist `text` if it changed; returns True when something was written."""
        if text == self.saved_text and not force_version:
            self.dirty = False
            return False
        try:
            if self.kind == "draft":
                keep = force_version or should_keep_version(self._last_kept, text)
                self.store.save_draft(self.question_id, text, self.seconds_spent, keep, word_count(text))
                if keep:
                    self._last_kept = text
            else:
                self.store.save_note(self.question_id, text)
        except UserDataError:
            self.dirty = True
            raise
        self.saved_text = text
        self.dirty = False
        return True

    def versions(self) -> list[DraftVersion]:
        return self.store.draft_versions(self.question_id)
