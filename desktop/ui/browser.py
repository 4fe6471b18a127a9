"""A read-only rich-text view that never fetches anything and opens web links only on click."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QTextBrowser

from ..core.render import for_qt
from .text_zoom import ZOOM
from .theme import document_css

if TYPE_CHECKING:
    from PySide6.QtGui import QWheelEvent


class SafeBrowser(QTextBrowser):
    def __init__(self, accessible_name: str) -> None:
        super().__init__()
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAccessibleName(accessible_name)
        self.anchorClicked.connect(self._open_link)
        self._css = document_css()
        self.document().setDefaultStyleSheet(self._css)
        self.document().setDocumentMargin(10)
        ZOOM.register(self)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        # Qt's own Ctrl+wheel zoom would resize this page alone; every page follows one size.
        if not ZOOM.wheel(event):
            super().wheelEvent(event)

    def set_page(self, html: str) -> None:
        css = document_css()
        if css != self._css:  # parsing the style sheet again costs ~0.3 ms a page; only on a theme change
            self._css = css
            self.document().setDefaultStyleSheet(css)
        self.setHtml(for_qt(html))

    def loadResource(self, resource_type: int, url: QUrl):  # noqa: ANN201, N802 - Qt API
        # Offline means offline: no image, style sheet or file is ever loaded by a page.
        return None

    @staticmethod
    def _open_link(url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
