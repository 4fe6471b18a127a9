"""The main window: topics | questions and exercises | the selected item. Wiring only.

Start-up paints the browsing columns first; the question and exercise panes (the editor, the
rubric, their modules) are built on the event-loop turn after the first paint, or earlier if
something asks for them. That keeps the first frame close to a bare window's.
"""

from __future__ import annotations

from contextlib import suppress

from PySide6.QtCore import QByteArray, QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.study import Study, pick_random
from .browser import SafeBrowser
from .exercise_view import all_topics_html, topic_page_html
from .question_list import QuestionListPanel
from .text_zoom import ZOOM

ALL_TOPICS = "__all__"


class MainWindow(QMainWindow):
    ready = Signal()  # the panes deferred past the first paint are built

    def __init__(self, study: Study) -> None:
        super().__init__()
        self.study = study
        self.setWindowTitle("Onsite — ML systems interview practice")

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background:#b3261e; color:white; padding:6px; font-weight:600;")
        self.banner.setAccessibleName("Warning")
        self.banner.hide()

        self.topic_list = QListWidget()
        self.topic_list.setAccessibleName("Topics")
        self.topic_list.setWordWrap(True)
        self.topic_list.setSpacing(2)  # wrapped entries need air to read as separate items
        self.topic_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.topic_list.currentItemChanged.connect(self._on_topic_changed)

        self.question_panel = QuestionListPanel()
        self.question_panel.filter_changed.connect(self.refresh_questions)
        self.question_panel.filter_changed.connect(self.refresh_exercises)  # the search narrows both lists
        self.question_panel.question_selected.connect(self.show_question)
        self.exercise_list = QListWidget()
        self.exercise_list.setAccessibleName("Exercises")
        self.exercise_list.setWordWrap(True)
        self.exercise_list.setSpacing(2)
        self.exercise_list.currentItemChanged.connect(self._on_exercise_changed)
        self.exercise_progress = QLabel()
        exercise_panel = QWidget()
        exercise_layout = QVBoxLayout(exercise_panel)
        exercise_layout.setContentsMargins(4, 4, 4, 4)
        exercise_layout.addWidget(self.exercise_progress)
        exercise_layout.addWidget(self.exercise_list, 1)
        self.middle_tabs = QTabWidget()
        self.middle_tabs.addTab(self.question_panel, "&Questions")
        self.middle_tabs.addTab(exercise_panel, "E&xercises")
        self.middle_tabs.setAccessibleName("Questions and exercises")

        self.home = SafeBrowser("Topic overview")
        self._question_view = None  # built after the first paint (see _finish_start) or on first use
        self._exercise_view = None
        self.pages = QStackedWidget()
        self.pages.addWidget(self.home)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.topic_list)
        self.splitter.addWidget(self.middle_tabs)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setSizes([250, 350, 840])
        self.splitter.setChildrenCollapsible(False)

        self._round_page = None  # built on first use: most sessions never open a round
        self.modes = QStackedWidget()
        self.modes.addWidget(self.splitter)
        self._today_page = None  # Today and Statistics are built on first use: fsrs loads only then
        self._stats_page = None

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.modes, 1)
        self.setCentralWidget(central)
        # The text size of pages and editors: set before any of them is built, then kept in settings.
        ZOOM.set_step(self.study.store.setting("view.text_zoom") or 0)
        ZOOM.on_change(self._save_text_zoom)
        self._build_menus()
        self._load_topics()
        self._restore_state()
        self._closed = False
        self._theme_rerender_pending = False
        self._keys = None  # the study keys' application-wide filter: installed after the first paint
        self._is_ready = False
        self._rng = None  # random.Random for "Random question"; None draws from the system's randomness
        _AfterFirstPaint(self, self._finish_start)

    def _finish_start(self) -> None:
        """Build what the first frame did not show, so the first click on a question is instant."""
        if self._is_ready or self._closed:
            return
        from .study_keys import StudyKeys

        self.question_view  # noqa: B018 - builds the pane
        self.exercise_view  # noqa: B018
        self._fill_menus()
        # An application-wide filter sees every event of every object, and PySide resolves each
        # one's Python type (building type and enum tables on the way): after the first paint.
        self._keys = StudyKeys(self)
        QApplication.instance().installEventFilter(self._keys)
        self._is_ready = True
        self.ready.emit()

    @property
    def question_view(self):  # noqa: ANN201 - QuestionView, imported lazily
        if self._question_view is None:
            from .question_view import QuestionView

            view = QuestionView(self.study)
            view.practised_changed.connect(self._refresh_row)
            view.message.connect(self.show_message)
            view.draft.saved.connect(self.clear_warning)
            self.pages.addWidget(view)
            self._question_view = view
            self._restore_splitters(self._question_splitters())
        return self._question_view

    @property
    def exercise_view(self):  # noqa: ANN201 - ExerciseView, imported lazily
        if self._exercise_view is None:
            from .exercise_view import ExerciseView

            view = ExerciseView()
            view.answered.connect(self._on_exercise_answered)
            view.reset_requested.connect(self._on_exercise_reset)
            self.pages.addWidget(view)
            self._exercise_view = view
        return self._exercise_view

    def is_ready(self) -> bool:
        """True once everything deferred past the first paint is built (see `ready`)."""
        return self._is_ready

    def showing_question(self) -> bool:
        return self._question_view is not None and self.pages.currentWidget() is self._question_view

    def showing_exercise(self) -> bool:
        return self._exercise_view is not None and self.pages.currentWidget() is self._exercise_view

    def save_drafts(self) -> None:
        """Write every open editor now (before export, a round, quitting...)."""
        if self._question_view is not None:
            self._question_view.save_all()

    # --- building ---------------------------------------------------------------------------

    def _build_menus(self) -> None:
        """The menu titles; their actions are added after the first paint (_fill_menus)."""
        self._menus = {title: self.menuBar().addMenu(title)
                       for title in ("&File", "&Go", "V&iew", "&Round", "Re&view", "&Help")}

    def _fill_menus(self) -> None:
        file_menu = self._menus["&File"]
        for text, shortcut, slot in (
            ("&Export…", "Ctrl+E", self.export), (None, "", None),
            ("&Back up my data…", "", self.back_up), ("&Restore from backup…", "", self.restore_backup),
            (None, "", None),
            ("&Import question pack…", "", self.import_pack), ("&Manage question packs…", "", self.manage_packs),
            (None, "", None),
        ):
            if text is None:
                file_menu.addSeparator()
                continue
            action = QAction(text, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            file_menu.addAction(action)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        go_menu = self._menus["&Go"]
        find = QAction("&Search", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.focus_search)
        go_menu.addAction(find)
        random_question = QAction("R&andom question", self)
        random_question.setShortcut(QKeySequence("Ctrl+Shift+R"))
        random_question.setToolTip("A question from the list as filtered, new ones first (key: R)")
        random_question.triggered.connect(self.show_random_question)
        go_menu.addAction(random_question)
        reveal = QAction("&Reveal model answer", self)
        reveal.triggered.connect(lambda: self.question_view.reveal())
        go_menu.addAction(reveal)
        view_menu = self._menus["V&iew"]
        for text, keys, slot in (
            ("&Bigger text", [QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+=")], ZOOM.bigger),
            ("&Smaller text", [QKeySequence.StandardKey.ZoomOut], ZOOM.smaller),
            ("&Normal text size", [QKeySequence("Ctrl+0")], ZOOM.reset),
        ):
            action = QAction(text, self)
            action.setShortcuts(keys)
            action.triggered.connect(slot)
            view_menu.addAction(action)
        round_menu = self._menus["&Round"]
        new_round = QAction("&New mock round…", self)
        new_round.setShortcut(QKeySequence("Ctrl+R"))
        new_round.triggered.connect(self.show_round_setup)
        round_menu.addAction(new_round)
        history = QAction("Round &history", self)
        history.triggered.connect(self.show_round_history)
        round_menu.addAction(history)
        review_menu = self._menus["Re&view"]
        for text, shortcut, slot in (("&Today", "Ctrl+T", self.show_today), ("&Statistics", "", self.show_statistics),
                                     ("S&ettings…", "", self.show_review_settings)):
            action = QAction(text, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            review_menu.addAction(action)
        help_menu = self._menus["&Help"]
        about = QAction("&About Onsite", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _save_text_zoom(self, step: int) -> None:
        if not self._closed:
            self.study.store.set_setting("view.text_zoom", step)

    def _load_topics(self) -> None:
        topics = self.study.topics()
        total = sum(topic.question_count for topic in topics)
        all_item = QListWidgetItem(f"All topics ({total})")
        all_item.setData(Qt.ItemDataRole.UserRole, ALL_TOPICS)
        self.topic_list.addItem(all_item)
        for topic in topics:
            item = QListWidgetItem(f"{topic.title} ({topic.question_count})")
            item.setData(Qt.ItemDataRole.UserRole, topic.id)
            item.setToolTip(topic.title)
            self.topic_list.addItem(item)
        self.topic_list.setCurrentRow(0)

    def _restore_state(self) -> None:
        # Size and position are stored as plain numbers: restoreGeometry() second-guesses sizes
        # against the current screen, which loses the user's layout on some platforms.
        geometry = self.study.store.setting("window.geometry") or {}
        self.resize(geometry.get("width", 1440), geometry.get("height", 900))
        if "x" in geometry and QGuiApplication.screenAt(QPoint(geometry["x"] + 40, geometry["y"] + 40)):
            self.move(geometry["x"], geometry["y"])
        if geometry.get("maximized"):
            self.setWindowState(Qt.WindowState.WindowMaximized)
        self._restore_splitters({"main": self.splitter})

    def _restore_splitters(self, splitters: dict[str, QSplitter]) -> None:
        for key, splitter in splitters.items():
            state = self.study.store.setting(f"splitter.{key}")
            if state:
                splitter.restoreState(QByteArray.fromBase64(state.encode()))

    def _question_splitters(self) -> dict[str, QSplitter]:
        view = self._question_view
        if view is None:
            return {}
        return {"question.body": view.body, "question.vertical": view.vertical, "draft": view.draft.splitter}

    def _splitters(self) -> dict[str, QSplitter]:
        return {"main": self.splitter, **self._question_splitters()}

    def save_state(self) -> None:
        store = self.study.store
        normal = self.normalGeometry() if self.isMaximized() else self.geometry()
        store.set_setting(
            "window.geometry",
            {"x": normal.x(), "y": normal.y(), "width": normal.width(), "height": normal.height(),
             "maximized": self.isMaximized()},
        )
        for key, splitter in self._splitters().items():
            store.set_setting(f"splitter.{key}", bytes(splitter.saveState().toBase64()).decode())

    # --- behaviour --------------------------------------------------------------------------

    def current_topic(self) -> str | None:
        item = self.topic_list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item else ALL_TOPICS
        return None if value == ALL_TOPICS else value

    def _on_topic_changed(self, *_args: object) -> None:
        topic_id = self.current_topic()
        self.question_panel.topic_id = topic_id
        self.refresh_questions()
        self.refresh_exercises()
        self.show_home()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        # A light/dark switch arrives as a new application palette (theme.is_dark reads it):
        # re-render pages once the palette has settled, not once per widget told of it.
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and getattr(self, "_is_ready", False) and not self._theme_rerender_pending:
            self._theme_rerender_pending = True
            QTimer.singleShot(0, self._rerender_for_theme)
        super().changeEvent(event)

    def _rerender_for_theme(self) -> None:
        """Re-render pages with the new theme's colours when the system switches light/dark."""
        self._theme_rerender_pending = False
        if self.showing_question() and self.question_view.question is not None:
            revealed = self.question_view.is_revealed()
            self.question_view.show_question(self.question_view.question.id)
            if revealed:
                self.question_view.answer_stack.setCurrentIndex(1)
        elif self.showing_exercise() and self.exercise_view.exercise is not None:
            self._show_exercise(self.exercise_view.exercise.id)
        else:
            self.show_home()

    def show_home(self) -> None:
        topic_id = self.current_topic()
        if topic_id:
            progress = self.study.topic_progress(topic_id)
            if progress:
                self.home.set_page(topic_page_html(progress))
        else:
            topics = self.study.topics()
            practised = sum(1 for stat in self.study.store.stats().values() if stat.practised)
            self.home.set_page(all_topics_html(topics, practised, sum(t.question_count for t in topics)))
        self.pages.setCurrentWidget(self.home)

    def refresh_questions(self) -> None:
        self.question_panel.set_rows(self.study.questions(self.question_panel.current_filter()))

    def _refresh_row(self, question_id: str) -> None:
        query = self.question_panel.current_filter()
        if query.status != "all" or query.sort == "due":  # the row may leave the list or move
            self.refresh_questions()
            return
        for row in self.study.questions(query):
            if row.id == question_id:
                self.question_panel.model.update_row(row)

    def show_question(self, question_id: str) -> None:
        self.question_view.show_question(question_id)
        self.pages.setCurrentWidget(self.question_view)

    def show_random_question(self) -> None:
        """Open a question drawn from the list as filtered, never-practised ones first."""
        if self.modes.currentWidget() is not self.splitter:
            if self._round_page is not None and self._round_page.is_running():
                self.show_message("Finish or end the mock round first.")
                return
            self.show_study()
        self.middle_tabs.setCurrentWidget(self.question_panel)
        current = self.question_view.question.id if self.showing_question() and self.question_view.question else None
        row = pick_random(self.question_panel.model.rows, self._rng, exclude=current)
        if row is None:
            self.show_message("No question matches the filters, so there is nothing to draw from.")
            return
        self.question_panel.select(row.id)

    def refresh_exercises(self) -> None:
        topic_id = self.current_topic()
        answers = self.study.store.exercise_answers()
        search = self.question_panel.search.text().strip()
        exercises = self.study.exercises(topic_id, search)
        current = self.exercise_list.currentItem()
        current_id = current.data(Qt.ItemDataRole.UserRole) if current else None
        self.exercise_list.blockSignals(True)
        self.exercise_list.clear()
        for exercise in exercises:
            mark = ""
            if exercise.id in answers:
                mark = "✓ " if answers[exercise.id][1] else "✗ "
            item = QListWidgetItem(f"{mark}{exercise.title}")
            item.setData(Qt.ItemDataRole.UserRole, exercise.id)
            self.exercise_list.addItem(item)
            if exercise.id == current_id:
                self.exercise_list.setCurrentItem(item)
        self.exercise_list.blockSignals(False)
        done = sum(1 for exercise in exercises if exercise.id in answers)
        if search:
            found = f"{len(exercises)} exercise{'s' if len(exercises) != 1 else ''} match “{search}”"
            self.exercise_progress.setText(f"{found} · {done} completed")
        else:
            self.exercise_progress.setText(f"{done} / {len(exercises)} completed")
        self.middle_tabs.setTabText(1, f"E&xercises {done}/{len(exercises)}")

    def _on_exercise_changed(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            return
        exercise_id = item.data(Qt.ItemDataRole.UserRole)
        self._show_exercise(exercise_id)

    def _show_exercise(self, exercise_id: str) -> None:
        exercise = self.study.exercise(exercise_id)
        if exercise is None:
            return
        answers = self.study.store.exercise_answers()
        chosen = answers.get(exercise_id, (None, False))[0]
        row = self.exercise_list.currentRow()
        self.exercise_view.show_exercise(exercise, chosen, f"{row + 1} / {self.exercise_list.count()}")
        self.pages.setCurrentWidget(self.exercise_view)

    def _on_exercise_answered(self, exercise_id: str, letter: str) -> None:
        exercise = self.study.exercise(exercise_id)
        if exercise is None:
            return
        self.study.answer_exercise(exercise, letter)
        self.refresh_exercises()
        self._show_exercise(exercise_id)

    def _on_exercise_reset(self, exercise_id: str) -> None:
        self.study.store.reset_exercise(exercise_id)
        self.refresh_exercises()
        self._show_exercise(exercise_id)

    # --- rounds -------------------------------------------------------------------------------

    @property
    def round_page(self):  # noqa: ANN201 - RoundPage, imported lazily
        if self._round_page is None:
            from .round_view import RoundPage

            self._round_page = RoundPage(self.study)
            self._round_page.leave.connect(self.show_study)
            self._round_page.message.connect(self.show_message)
            self.modes.addWidget(self._round_page)
        return self._round_page

    def _round_running(self) -> bool:
        return self._round_page is not None and self._round_page.is_running()

    def show_round_setup(self) -> None:
        if self._round_running():
            self.modes.setCurrentWidget(self.round_page)
            return
        self.save_drafts()
        self.round_page.show_setup()
        self.modes.setCurrentWidget(self.round_page)

    def show_round_history(self) -> None:
        if self._round_running():
            self.modes.setCurrentWidget(self.round_page)
            return
        self.round_page.show_history()
        self.modes.setCurrentWidget(self.round_page)

    def show_study(self) -> None:
        self.modes.setCurrentWidget(self.splitter)
        self.refresh_questions()
        if self.showing_question() and self.question_view.question is not None:
            self.question_view.show_question(self.question_view.question.id)

    # --- spaced review and statistics ---------------------------------------------------------

    def show_today(self) -> None:
        if self._round_running():
            self.modes.setCurrentWidget(self.round_page)
            return
        self.save_drafts()
        if self._today_page is None:
            from .today_view import TodayPage

            self._today_page = TodayPage(self.study)
            self._today_page.leave.connect(self.show_study)
            self._today_page.message.connect(self.show_message)
            self._today_page.changed.connect(self._on_review_changed)
            self._today_page.settings_requested.connect(self.show_review_settings)
            self.modes.addWidget(self._today_page)
        self._today_page.refresh(reload_shown=True)
        self.modes.setCurrentWidget(self._today_page)

    def _on_review_changed(self, item_id: str) -> None:
        self._refresh_row(item_id)
        self.refresh_exercises()

    def show_statistics(self) -> None:
        if self._round_running():
            self.modes.setCurrentWidget(self.round_page)
            return
        if self._stats_page is None:
            from .stats_view import StatsPage

            self._stats_page = StatsPage(self.study)
            self._stats_page.leave.connect(self.show_study)
            self.modes.addWidget(self._stats_page)
        self._stats_page.refresh()
        self.modes.setCurrentWidget(self._stats_page)

    def show_review_settings(self) -> None:
        from .settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.study.review_settings(), self)
        if not dialog.exec():
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # a new retention replays every grade
        try:
            self.study.save_review_settings(dialog.settings())
        except ValueError as error:
            QMessageBox.warning(self, "Review settings", str(error))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.refresh_questions()
        current = self.modes.currentWidget()
        if current is self._today_page:
            self._today_page.refresh()
        elif current is self._stats_page:
            self._stats_page.refresh()
        self.show_message("Review settings saved.")

    def offer_resume(self) -> None:
        """After a crash mid-round, offer to resume it with the time that was left, or to end it."""
        active = self.study.rounds.unfinished()
        if active is None:
            return
        engine = active.engine
        box = QMessageBox(self)
        box.setWindowTitle("Unfinished round")
        box.setText(
            f"A mock round was interrupted at item {engine.index + 1} of {len(engine.items)} with "
            f"{int(engine.remaining() // 60)} min {int(engine.remaining() % 60)} s left. "
            "Your drafts are saved either way."
        )
        resume = box.addButton("Resume round", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("End it", QMessageBox.ButtonRole.DestructiveRole)
        box.exec()
        if box.clickedButton() is resume:
            self.round_page.resume(active)
            self.modes.setCurrentWidget(self.round_page)
        else:
            self.study.rounds.end(active)

    # --- export, backup and question packs (dialogs in export_dialog.py; loaded on first use) ---------

    def export(self) -> None:
        from .export_dialog import export_flow

        self.save_drafts()  # export what is on screen, not what was last autosaved
        export_flow(self, self.study, self.current_topic())

    def back_up(self) -> None:
        from .export_dialog import backup_flow

        self.save_drafts()
        backup_flow(self, self.study)

    def restore_backup(self) -> None:
        from .export_dialog import restore_flow

        if self._round_running():
            QMessageBox.information(self, "Restore from backup", "Finish or end the running round first.")
            return
        if restore_flow(self, self.study, self._detach_user_data):
            self.reload_views()

    def _detach_user_data(self) -> None:
        """Save every editor and let go of the data file, so a restore can replace it."""
        self.save_drafts()
        if self._question_view is not None:
            self._question_view.draft.load(None)
            self._question_view.notes.load(None)

    def import_pack(self) -> None:
        from .export_dialog import import_pack_flow

        if import_pack_flow(self, self.study):
            self.reload_views()

    def manage_packs(self) -> None:
        from .export_dialog import ManagePacksDialog

        dialog = ManagePacksDialog(self.study, self)
        dialog.exec()
        if dialog.changed:
            self.reload_views()

    def reload_views(self) -> None:
        """Show the study afresh after its bank (packs) or its data (restore) was swapped."""
        topic_id = self.current_topic()
        question = self._question_view.question if self._question_view is not None else None
        self.topic_list.blockSignals(True)
        self.topic_list.clear()
        self._load_topics()
        for row in range(self.topic_list.count()):
            if self.topic_list.item(row).data(Qt.ItemDataRole.UserRole) == topic_id:
                self.topic_list.setCurrentRow(row)
        self.topic_list.blockSignals(False)
        self._on_topic_changed()
        if question is not None and self.study.question(question.id) is not None:
            self.show_question(question.id)
        elif self._question_view is not None:
            self._question_view.question = None

    def move_in_list(self, step: int) -> None:
        """J/K: the next or previous entry of the list in front, questions or exercises."""
        if self.middle_tabs.currentIndex() == 0:
            self.question_panel.move(step)
            return
        count = self.exercise_list.count()
        if count:
            current = self.exercise_list.currentRow()
            self.exercise_list.setCurrentRow(0 if current < 0 else min(max(current + step, 0), count - 1))

    def focus_search(self) -> None:
        self.middle_tabs.setCurrentIndex(0)
        self.question_panel.search.setFocus()
        self.question_panel.search.selectAll()

    def show_message(self, text: str) -> None:
        if "cannot be saved" in text or "failed" in text.lower():
            self.banner.setText(f"⚠ {text} Your text is still in the editor; Onsite keeps trying.")
            self.banner.show()
        else:
            self.statusBar().showMessage(text, 6000)

    def clear_warning(self) -> None:
        self.banner.hide()

    def _about(self) -> None:
        QMessageBox.about(
            self, "About Onsite",
            "<b>Onsite</b><br>Offline practice for ML-systems and AI-infrastructure interviews.<br>"
            f"Question bank: {sum(t.question_count for t in self.study.topics())} questions.",
        )

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        if self._closed:  # a second close (e.g. at application exit) has nothing left to save
            event.accept()
            return
        self._closed = True
        self.question_panel.cancel_pending_search()
        self.save_drafts()
        if self._today_page is not None:
            self._today_page.save_all()
        if self._round_page is not None:
            self._round_page.runner.stop_for_quit()
        with suppress(Exception):  # the window layout is not worth refusing to quit over
            self.save_state()
        if self._keys is not None:
            QApplication.instance().removeEventFilter(self._keys)
        super().closeEvent(event)


class _AfterFirstPaint(QObject):
    """Calls `callback` once, on the event-loop turn after the window's first paint."""

    def __init__(self, window: QWidget, callback) -> None:  # noqa: ANN001
        super().__init__(window)
        self._callback = callback
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
        return False
