"""The middle column: search box, filters and the list of questions."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QFont, QFontMetrics, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ..core.render import escape
from ..core.study import QuestionFilter, QuestionRow
from ..core.vocabulary import DIFFICULTIES, KINDS
from .theme import difficulty_color, due_color

ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class QuestionListModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[QuestionRow] = []

    def set_rows(self, rows: list[QuestionRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def update_row(self, row: QuestionRow) -> None:
        for position, existing in enumerate(self.rows):
            if existing.id == row.id:
                self.rows[position] = row
                index = self.index(position)
                self.dataChanged.emit(index, index)
                return

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            star = "starred, " if row.starred else ""
            return f"{row.title}. {row.difficulty}, {row.kind}, {star}{row.practised} practised, {row.due_label}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.title
        return None


def row_html(row: QuestionRow) -> str:
    star = "★ " if row.starred else ""
    practised = f" · {row.practised} practised" if row.practised else ""
    due = f' · <span style="color:{due_color(row.due_label)}">{escape(row.due_label)}</span>'
    meta = (
        f'<span style="color:{difficulty_color(row.difficulty)}">{row.difficulty}</span>'
        f" · {escape(row.kind)}{practised}{due}"
    )
    snippet = f'<div style="margin-top:2px">{row.snippet_html}</div>' if row.snippet_html else ""
    return f"<div><b>{star}{escape(row.title)}</b></div><div>{meta}</div>{snippet}"


class RowDelegate(QStyledItemDelegate):
    """Base for delegates that paint their own text over the style's row background.

    The background (selection, hover, focus) comes from QStyledItemDelegate with the text
    blanked, and selection is read from the view: going through QStyle's Python enums instead
    would build all of them (~7 ms) during the first paint.
    """

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # noqa: N802 - Qt API
        super().initStyleOption(option, index)
        option.text = ""

    def paint_background(self, painter, option, index) -> None:  # noqa: ANN001
        super().paint(painter, option, index)

    @staticmethod
    def is_selected(option: QStyleOptionViewItem, index: QModelIndex) -> bool:
        view = option.widget
        selection = view.selectionModel() if view is not None else None
        return selection is not None and selection.isSelected(index)


def meta_segments(row: QuestionRow) -> list[tuple[str, str | None]]:
    """The row's second line as (text, colour) pieces; None keeps the text colour."""
    segments: list[tuple[str, str | None]] = [(row.difficulty, difficulty_color(row.difficulty)),
                                               (f" · {row.kind}", None)]
    if row.practised:
        segments.append((f" · {row.practised} practised", None))
    segments += [(" · ", None), (row.due_label, due_color(row.due_label))]
    return segments


class QuestionDelegate(RowDelegate):
    """Draws a row as the title (bold, wrapped), a meta line and, in search results, the snippet.

    Rows without a snippet are painted directly with the painter: measuring a title with font
    metrics costs microseconds, where a rich-text document per row cost most of the first paint.
    Search rows carry highlighted HTML snippets and keep a small rich-text document each.
    """

    PADDING = 6
    # Laid-out search rows kept between paints: selecting a question repaints and re-measures many
    # rows whose text did not change, and parsing their HTML again was most of a question switch.
    CACHE_SIZE = 600
    TITLE_FLAGS = int(Qt.TextFlag.TextWordWrap.value) | int(Qt.AlignmentFlag.AlignLeft.value) \
        | int(Qt.AlignmentFlag.AlignTop.value)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._documents: OrderedDict[tuple[str, str, float], QTextDocument] = OrderedDict()
        self._title_heights: dict[tuple[str, str, int], int] = {}

    def _document(self, option: QStyleOptionViewItem, row: QuestionRow, width: float) -> QTextDocument:
        html = row_html(row)  # carries the theme's colours, so a light/dark switch misses the cache
        text_width = max(width - 2 * self.PADDING, 50)
        key = (html, option.font.key(), text_width)
        document = self._documents.get(key)
        if document is not None:
            self._documents.move_to_end(key)
            return document
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(0)  # the row's own padding only, as in the plainly painted rows
        document.setDefaultStyleSheet("b.match { background-color: #ffe98a; color: #000; }")
        document.setHtml(html)
        document.setTextWidth(text_width)
        self._documents[key] = document
        if len(self._documents) > self.CACHE_SIZE:
            self._documents.popitem(last=False)
        return document

    @staticmethod
    def _title(row: QuestionRow) -> str:
        return f"★ {row.title}" if row.starred else row.title

    @staticmethod
    def _bold(font: QFont) -> QFont:
        bold = QFont(font)
        bold.setBold(True)
        return bold

    def _title_height(self, font: QFont, title: str, width: int) -> int:
        key = (title, font.key(), width)
        height = self._title_heights.get(key)
        if height is None:
            bounds = QFontMetrics(self._bold(font)).boundingRect(QRect(0, 0, width, 10_000), self.TITLE_FLAGS, title)
            height = self._title_heights[key] = bounds.height()
        return height

    def paint(self, painter, option, index) -> None:  # noqa: ANN001 - Qt API
        row: QuestionRow = index.data(ROW_ROLE)
        self.paint_background(painter, option, index)
        selected = self.is_selected(option, index)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_color = option.palette.color(role)
        painter.save()
        painter.translate(option.rect.left() + self.PADDING, option.rect.top() + self.PADDING)
        painter.setClipRect(QRectF(0, 0, option.rect.width() - self.PADDING, option.rect.height()))
        if row.snippet_html:
            document = self._document(option, row, option.rect.width())
            context = QAbstractTextDocumentLayout.PaintContext()
            context.palette.setColor(QPalette.ColorRole.Text, text_color)
            document.documentLayout().draw(painter, context)
        else:
            self._paint_plain(painter, option, row, text_color, coloured=not selected)
        painter.restore()

    def _paint_plain(self, painter, option, row: QuestionRow, text_color: QColor,  # noqa: ANN001
                     coloured: bool = True) -> None:
        """Title and meta line; on a selected row everything takes the highlight's text colour."""
        width = max(option.rect.width() - 2 * self.PADDING, 50)
        title = self._title(row)
        title_height = self._title_height(option.font, title, width)
        painter.setPen(text_color)
        painter.setFont(self._bold(option.font))
        painter.drawText(QRect(0, 0, width, title_height), self.TITLE_FLAGS, title)
        painter.setFont(option.font)
        metrics = QFontMetrics(option.font)
        x, baseline = 0, title_height + metrics.ascent()
        for text, color in meta_segments(row):
            painter.setPen(QColor(color) if color and coloured else text_color)
            painter.drawText(x, baseline, text)
            x += metrics.horizontalAdvance(text)

    def sizeHint(self, option, index) -> QSize:  # noqa: ANN001, N802 - Qt API
        row: QuestionRow = index.data(ROW_ROLE)
        width = option.rect.width() if option.rect.width() > 0 else 320
        if row.snippet_html:
            height = int(self._document(option, row, width).size().height())
        else:
            text_width = max(width - 2 * self.PADDING, 50)
            height = self._title_height(option.font, self._title(row), text_width) \
                + QFontMetrics(option.font).lineSpacing()
        return QSize(int(width), height + 2 * self.PADDING)


class QuestionListPanel(QWidget):
    """Emits `filter_changed` with a new QuestionFilter and `question_selected` with an id."""

    filter_changed = Signal()
    question_selected = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.topic_id: str | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search questions, exercises and your notes (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search")
        self.difficulty = self._combo("Difficulty", ["Any difficulty", *DIFFICULTIES])
        self.kind = self._combo("Kind", ["Any kind", *KINDS])
        self.status = self._combo("Status", ["All", "New", "Practised", "Starred", "Due"])
        self.status.setItemData(4, "Due for review today (or overdue)", Qt.ItemDataRole.ToolTipRole)
        self.sort = self._combo("Sort", ["Bank order", "Difficulty", "Title", "Due date"])
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of questions shown")

        self.model = QuestionListModel()
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(QuestionDelegate(self.view))
        self.view.setAccessibleName("Questions")
        self.view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.view.setWordWrap(True)
        self.view.setUniformItemSizes(False)
        # Rows have rich-text heights; laying them out in batches keeps a 25,000-row list responsive.
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(64)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)

        # Typing waits for a short pause before querying, so each keystroke stays cheap.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(120)
        self._search_timer.timeout.connect(self.filter_changed)
        self.search.textChanged.connect(self._search_timer.start)
        for combo in (self.difficulty, self.kind, self.status, self.sort):
            combo.currentIndexChanged.connect(self.filter_changed)

        filters = QHBoxLayout()
        filters.setSpacing(4)
        for combo in (self.difficulty, self.kind, self.status):
            filters.addWidget(combo)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label, 1)
        footer.addWidget(self.sort)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addLayout(footer)
        layout.addWidget(self.view, 1)

    def _combo(self, name: str, items: list[str]) -> QComboBox:
        combo = QComboBox()
        combo.addItems(items)
        combo.setAccessibleName(name)
        combo.setToolTip(name)
        return combo

    def cancel_pending_search(self) -> None:
        """Forget a search still waiting for the typing pause (the window is closing)."""
        self._search_timer.stop()

    def current_filter(self) -> QuestionFilter:
        difficulty = self.difficulty.currentIndex()
        kind = self.kind.currentIndex()
        return QuestionFilter(
            topic=self.topic_id,
            difficulty=DIFFICULTIES[difficulty - 1] if difficulty > 0 else None,
            kind=KINDS[kind - 1] if kind > 0 else None,
            status=("all", "new", "practised", "starred", "due")[self.status.currentIndex()],
            search=self.search.text(),
            sort=("bank", "difficulty", "title", "due")[self.sort.currentIndex()],
        )

    def set_rows(self, rows: list[QuestionRow]) -> None:
        current = self.current_id()
        self.model.set_rows(rows)
        self.count_label.setText(f"{len(rows)} question{'s' if len(rows) != 1 else ''}")
        if current:
            self.select(current, emit=False)

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(ROW_ROLE).id if index.isValid() else None

    def select(self, question_id: str, emit: bool = True) -> bool:
        for position, row in enumerate(self.model.rows):
            if row.id == question_id:
                index = self.model.index(position)
                blocked = self.view.selectionModel().blockSignals(not emit)
                self.view.setCurrentIndex(index)
                self.view.selectionModel().blockSignals(blocked)
                self.view.scrollTo(index)
                return True
        return False

    def move(self, step: int) -> None:
        count = self.model.rowCount()
        if not count:
            return
        current = self.view.currentIndex().row()
        target = 0 if current < 0 else min(max(current + step, 0), count - 1)
        self.view.setCurrentIndex(self.model.index(target))

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.question_selected.emit(current.data(ROW_ROLE).id)
