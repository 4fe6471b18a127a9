"""Draft history: every kept version with its time and word count; any one can be restored."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
)

from ..core.render import render_markdown
from ..core.userstore import DraftVersion
from .browser import SafeBrowser


class HistoryDialog(QDialog):
    """Returns the chosen version's text in `restored_text` when accepted."""

    def __init__(self, versions: list[DraftVersion], parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setWindowTitle("Draft history")
        self.resize(900, 600)
        self.versions = versions
        self.restored_text: str | None = None
        self.list = QListWidget()
        self.list.setAccessibleName("Saved versions")
        for version in versions:
            when = version.saved_at.replace("T", " ")[:16]
            item = QListWidgetItem(f"{when} UTC · {version.words} words")
            item.setData(Qt.ItemDataRole.UserRole, version.id)
            self.list.addItem(item)
        self.preview = SafeBrowser("Version preview")
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.preview)
        splitter.setSizes([260, 640])
        self.restore_button = QPushButton("Restore this version")
        self.restore_button.setAccessibleName("Restore this version")
        self.restore_button.clicked.connect(self._restore)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        footer = QHBoxLayout()
        footer.addWidget(QLabel("Restoring replaces the editor's text; Ctrl+Z undoes it."), 1)
        footer.addWidget(self.restore_button)
        footer.addWidget(buttons)
        layout = QVBoxLayout(self)
        if not versions:
            layout.addWidget(QLabel("No versions yet: one is kept whenever the draft changes noticeably."))
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)
        self.list.currentRowChanged.connect(self._show)
        self.restore_button.setEnabled(bool(versions))
        if versions:
            self.list.setCurrentRow(0)

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.versions):
            self.preview.set_page(render_markdown(self.versions[row].text))

    def _restore(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.versions):
            self.restored_text = self.versions[row].text
            self.accept()
