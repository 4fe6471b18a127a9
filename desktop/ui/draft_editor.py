"""Markdown editor with a live preview, word count, time spent, autosave and history.

The widget only edits and shows; saving goes through a core DraftSession.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase, QKeyEvent, QTextCursor, QWheelEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.drafting import DraftSession, word_count
from ..core.render import render_markdown
from ..core.userstore import UserDataError
from .browser import SafeBrowser
from .text_zoom import ZOOM

AUTOSAVE_MS = 600  # well inside the promise of "saved within a second of the last keystroke"
PREVIEW_DEBOUNCE_MS = 120
PREVIEW_INLINE_LIMIT = 30_000  # characters rendered on the UI thread; larger drafts go to a worker
PREVIEW_MAX_CHARS = 200_000  # a huge paste previews its beginning only, so the window stays live
INDENT = "    "


class MarkdownEdit(QPlainTextEdit):
    """Plain-text editor: monospace, soft wrap, Tab/Shift+Tab indent (code blocks need it)."""

    def __init__(self, accessible_name: str) -> None:
        super().__init__()
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(False)
        self.setAccessibleName(accessible_name)
        self.setPlaceholderText("Write your answer in Markdown. It saves itself as you type.")
        ZOOM.register(self)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        if not ZOOM.wheel(event):  # Ctrl+wheel resizes every pane together, not this editor alone
            super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._indent(dedent=False)
            return
        if event.key() == Qt.Key.Key_Backtab:
            self._indent(dedent=True)
            return
        super().keyPressEvent(event)

    def _indent(self, dedent: bool) -> None:
        cursor = self.textCursor()
        if not cursor.hasSelection() and not dedent:
            cursor.insertText(INDENT)
            return
        start, end = sorted((cursor.selectionStart(), cursor.selectionEnd()))
        cursor.beginEditBlock()
        block = self.document().findBlock(start)
        while block.isValid() and block.position() <= max(end - 1, start):
            line = QTextCursor(block)
            if dedent:
                text = block.text()
                remove = len(text) - len(text.lstrip(" ")) if text.startswith(" ") else 0
                remove = min(remove, len(INDENT))
                line.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, remove)
                line.removeSelectedText()
            else:
                line.insertText(INDENT)
            block = block.next()
        cursor.endEditBlock()

    def replace_all_undoable(self, text: str) -> None:
        """Replace the whole text as one undoable step (used by history restore)."""
        cursor = self.textCursor()
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()


class _RenderBridge(QObject):
    rendered = Signal(int, str)


class DraftEditor(QWidget):
    """Editor + preview for one text kind ("draft" or "note") of the current question."""

    save_failed = Signal(str)
    saved = Signal()
    history_requested = Signal()

    def __init__(self, kind: str, session_factory: Callable[[str, str], DraftSession]) -> None:
        super().__init__()
        self.kind = kind
        self.session_factory = session_factory
        self.session: DraftSession | None = None
        self._loading = False
        self._generation = 0

        label = "Draft" if kind == "draft" else "Notes"
        self.editor = MarkdownEdit(f"{label} editor")
        if kind == "note":
            self.editor.setPlaceholderText("Personal notes for this question (Markdown). Saved as you type.")
        self.preview = SafeBrowser(f"{label} preview")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(self.preview)
        self.splitter.setChildrenCollapsible(False)

        self.mode_buttons = QButtonGroup(self)
        modes = QHBoxLayout()
        modes.setSpacing(2)
        for position, (text, tip) in enumerate(
            [("Split", "Editor and preview side by side"), ("Editor", "Editor only"), ("Preview", "Preview only")]
        ):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(f"{label}: {tip}")
            button.setCheckable(True)
            self.mode_buttons.addButton(button, position)
            modes.addWidget(button)
        self.mode_buttons.button(0).setChecked(True)
        self.mode_buttons.idClicked.connect(self.set_mode)
        self.status = QLabel()
        self.status.setAccessibleName(f"{label} status")
        modes.addSpacing(8)
        modes.addWidget(self.status, 1)
        if kind == "draft":
            self.history_button = QPushButton("History…")
            self.history_button.setAccessibleName("Draft history")
            self.history_button.clicked.connect(self.history_requested)
            modes.addWidget(self.history_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(modes)
        layout.addWidget(self.splitter, 1)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_now)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DEBOUNCE_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self._bridge = _RenderBridge()
        self._bridge.rendered.connect(self._show_render)
        self.editor.textChanged.connect(self._on_text_changed)
        self.editor.verticalScrollBar().valueChanged.connect(self._sync_scroll)

    # --- loading and saving ------------------------------------------------------------------

    def load(self, question_id: str | None) -> None:
        """Save the current text, then show `question_id`'s (None clears the editor)."""
        self.save_now()
        self.session = self.session_factory(question_id, self.kind) if question_id else None
        self._loading = True
        self.editor.setPlainText(self.session.saved_text if self.session else "")
        self.editor.document().clearUndoRedoStacks()
        self._loading = False
        self.editor.setEnabled(self.session is not None)
        self.refresh_preview()
        self._update_status()

    def text(self) -> str:
        return self.editor.toPlainText()

    def save_now(self, force_version: bool = False) -> bool:
        self._autosave.stop()
        if self.session is None:
            return False
        try:
            wrote = self.session.save(self.text(), force_version=force_version)
        except UserDataError as error:
            self.save_failed.emit(str(error))
            self._autosave.start(5000)  # retry; the text stays in the editor meanwhile
            self._update_status(failed=True)
            return False
        self._autosave.setInterval(AUTOSAVE_MS)
        if wrote:
            self.saved.emit()
        self._update_status()
        return wrote

    def has_unsaved_text(self) -> bool:
        return bool(self.session and self.session.dirty)

    def _on_text_changed(self) -> None:
        if self._loading or self.session is None:
            return
        self.session.edited()
        # Throttle, not debounce: steady typing must still save every AUTOSAVE_MS.
        if not self._autosave.isActive():
            self._autosave.start()
        self._preview_timer.start()
        self._update_status(pending=True)

    def _update_status(self, pending: bool = False, failed: bool = False) -> None:
        words = word_count(self.text())
        parts = [f"{words} word{'s' if words != 1 else ''}"]
        if self.session and self.kind == "draft":
            minutes, seconds = divmod(int(self.session.seconds_spent), 60)
            parts.append(f"{minutes}:{seconds:02d} spent")
        if failed:
            parts.append("NOT SAVED")
        elif pending:
            parts.append("saving…")
        elif self.session and self.session.saved_text:
            parts.append("saved")
        self.status.setText(" · ".join(parts))

    # --- preview -----------------------------------------------------------------------------

    def set_mode(self, mode: int) -> None:
        self.mode_buttons.button(mode).setChecked(True)
        self.editor.setVisible(mode in (0, 1))
        self.preview.setVisible(mode in (0, 2))
        if mode in (0, 2):
            self.refresh_preview()

    def refresh_preview(self) -> None:
        # Skip only when the user chose "Editor" only. isVisible() would also be false while the
        # question pane itself is hidden (a question chosen from the overview page), and the saved
        # draft's preview would then stay empty until the next keystroke.
        if self.preview.isHidden() and self.session is not None:
            return
        text = self.text()
        self._generation += 1
        generation = self._generation
        note = ""
        if len(text) > PREVIEW_MAX_CHARS:
            text = text[:PREVIEW_MAX_CHARS]
            note = f"<p class='muted'><i>Preview shows the first {PREVIEW_MAX_CHARS:,} characters.</i></p>"
        if len(text) <= PREVIEW_INLINE_LIMIT:
            self._show_render(generation, note + render_markdown(text))
            return
        # Big drafts render on a worker thread so typing never waits for Markdown.
        def work() -> None:
            from ..core.render import new_renderer

            self._bridge.rendered.emit(generation, note + new_renderer().convert(text))

        threading.Thread(target=work, daemon=True).start()

    def _show_render(self, generation: int, html: str) -> None:
        if generation != self._generation:
            return  # a newer render is on its way
        bar = self.preview.verticalScrollBar()
        position = bar.value()
        self.preview.set_page(html)
        bar.setValue(position)
        self._sync_scroll()

    def _sync_scroll(self) -> None:
        source = self.editor.verticalScrollBar()
        target = self.preview.verticalScrollBar()
        if source.maximum() > 0:
            target.setValue(round(source.value() / source.maximum() * target.maximum()))
