"""Export, backup/restore and question-pack dialogs. Thin: every file operation is a core call.

Core modules (export, backup, packs) are imported inside the functions: the app's start-up never
loads them, nor genanki or the PDF writer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.study import Study

LAST_FOLDER_KEY = "export.last_folder"


# --- small seams (tests replace these; they are the only places that open native file dialogs) ---------


def ask_save_path(parent: QWidget, title: str, suggested: Path, file_filter: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
    return Path(name) if name else None


def ask_folder(parent: QWidget, title: str, start: Path) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, title, str(start))
    return Path(name) if name else None


def ask_open_path(parent: QWidget, title: str, start: Path, file_filter: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, str(start), file_filter)
    return Path(name) if name else None


def ask_pack_source(parent: QWidget, start: Path) -> Path | None:
    """Ask for a pack: a folder or a .zip (one native dialog cannot offer both)."""
    box = QMessageBox(parent)
    box.setWindowTitle("Import question pack")
    box.setText("A question pack is a folder (or a .zip of one) laid out like Onsite's content: "
                "topics/, questions/<topic>/ and exercises/<topic>/ with Markdown files, "
                "and optionally a pack.yaml with its id and title.")
    folder_button = box.addButton("Choose a folder…", QMessageBox.ButtonRole.AcceptRole)
    zip_button = box.addButton("Choose a .zip…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is folder_button:
        return ask_folder(parent, "Question pack folder", start)
    if box.clickedButton() is zip_button:
        return ask_open_path(parent, "Question pack (.zip)", start, "Zip archive (*.zip)")
    return None


def progress_callback(parent: QWidget, label: str) -> tuple[QProgressDialog, Callable[[int, int], bool]]:
    """A modal progress dialog with Cancel, and the progress(done, total) callback core calls."""
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setWindowTitle("Onsite")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)  # quick jobs finish before it would flash up
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def progress(done: int, total: int) -> bool:
        if dialog.maximum() != total:
            dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))
        QApplication.processEvents()
        return not dialog.wasCanceled()

    return dialog, progress


def _start_folder(study: Study) -> Path:
    folder = study.store.setting(LAST_FOLDER_KEY)
    if folder and Path(folder).is_dir():
        return Path(folder)
    return Path.home()


def _remember_folder(study: Study, folder: Path) -> None:
    study.store.set_setting(LAST_FOLDER_KEY, str(folder))


# --- export ------------------------------------------------------------------------------------


class ExportDialog(QDialog):
    """Choose what to export (a selection), the format and what each question includes."""

    def __init__(self, study: Study, parent: QWidget | None = None, topic_id: str | None = None) -> None:
        super().__init__(parent)
        from ..core import export

        self.setWindowTitle("Export")
        self.choices = export.selections(study)
        self.selection = QComboBox()
        self.selection.setAccessibleName("What to export")
        for choice in self.choices:
            self.selection.addItem(choice.label)
            if topic_id and choice.topic_id == topic_id:
                self.selection.setCurrentIndex(self.selection.count() - 1)
        self.format = QComboBox()
        self.format.setAccessibleName("Format")
        for key, label in export.FORMATS.items():
            self.format.addItem(label, key)
        saved = study.store.setting("export.format")
        if saved in export.FORMATS:
            self.format.setCurrentIndex(list(export.FORMATS).index(saved))
        self.include_answer = QCheckBox("Include the model answer, key points and pitfalls")
        self.include_draft = QCheckBox("Include my latest draft")
        self.include_notes = QCheckBox("Include my notes")
        self.include_exercises = QCheckBox("Include the exercises, with my answers and why each option is (not) best")
        for box in (self.include_answer, self.include_draft, self.include_notes, self.include_exercises):
            box.setChecked(True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setProperty("class", "muted")
        self.format.currentIndexChanged.connect(self._update_hint)
        form = QFormLayout()
        form.addRow("&What:", self.selection)
        form.addRow("&Format:", self.format)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for widget in (self.include_answer, self.include_draft, self.include_notes, self.include_exercises,
                       self.hint):
            layout.addWidget(widget)
        layout.addWidget(buttons)
        self._update_hint()
        self.resize(520, self.sizeHint().height())

    def _update_hint(self) -> None:
        hints = {
            "markdown": "A folder with index.md and one file per question and exercise (front matter for Obsidian "
                        "and similar).",
            "markdown-zip": "The Markdown folder, packed into one .zip file.",
            "html": "One self-contained page: styles and highlighted code inline, nothing loaded from elsewhere.",
            "pdf": "Numbered A4 pages: contents with page numbers, then each question and exercise on its own page.",
            "anki": "Cards with the prompt on the front and the model answer (and my draft) on the back; exercises "
                    "show the four answers, then the best one and why. Importing a newer export updates the same "
                    "cards instead of adding copies.",
        }
        self.hint.setText(hints[self.format.currentData()])
        self.include_notes.setEnabled(self.format.currentData() != "anki")

    def chosen(self):  # noqa: ANN201 - (Selection, format key, ExportOptions)
        from ..core.export import ExportOptions

        options = ExportOptions(self.include_answer.isChecked(), self.include_draft.isChecked(),
                                self.include_notes.isChecked(), self.include_exercises.isChecked())
        return self.choices[self.selection.currentIndex()], self.format.currentData(), options


def export_flow(parent: QWidget, study: Study, topic_id: str | None = None) -> Path | None:
    """The whole Export… command: options, target, progress, result. Returns the written path."""
    from ..core import export

    dialog = ExportDialog(study, parent, topic_id)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    selection, fmt, options = dialog.chosen()
    study.store.set_setting("export.format", fmt)
    suggested = export.default_file_name(selection, fmt)
    start = _start_folder(study)
    if fmt == "markdown":
        folder = ask_folder(parent, "Export into which folder?", start)
        target = folder / suggested if folder else None
    else:
        filters = {"markdown-zip": "Zip archive (*.zip)", "html": "HTML page (*.html)", "pdf": "PDF document (*.pdf)",
                   "anki": "Anki deck (*.apkg)"}
        target = ask_save_path(parent, "Export to", start / suggested, filters[fmt])
        if target is not None and target.suffix.lower() != export.SUFFIXES[fmt]:
            target = target.with_name(target.name + export.SUFFIXES[fmt])
    if target is None:
        return None
    _remember_folder(study, target.parent)
    progress_dialog, progress = progress_callback(parent, f"Exporting {selection.label}…")
    try:
        result = export.run_export(study, selection, fmt, target, options, progress)
    except export.ExportCancelled:
        _status(parent, "Export cancelled; nothing was written.")
        return None
    except export.ExportError as error:
        QMessageBox.warning(parent, "Export failed", str(error))
        return None
    finally:
        progress_dialog.close()
    counts = [f"{result.questions} question{'s' if result.questions != 1 else ''}"]
    if result.exercises:
        counts.append(f"{result.exercises} exercise{'s' if result.exercises != 1 else ''}")
    text = f"Exported {' and '.join(counts)} to\n{result.path}"
    if result.skipped:
        text += "\n\nNot included: " + "; ".join(result.skipped[:5])
    QMessageBox.information(parent, "Export finished", text)
    return result.path


def _status(parent: QWidget, text: str) -> None:
    show = getattr(parent, "show_message", None)
    if callable(show):
        show(text)


# --- backup and restore ------------------------------------------------------------------------


def backup_flow(parent: QWidget, study: Study) -> Path | None:
    from ..core.backup import BackupError, default_backup_name, write_backup
    from ..core.export import ExportCancelled, ExportError

    target = ask_save_path(parent, "Back up my data to", _start_folder(study) / default_backup_name(),
                           "Onsite backup (*.onsite-backup)")
    if target is None:
        return None
    if target.suffix != ".onsite-backup":
        target = target.with_name(target.name + ".onsite-backup")
    _remember_folder(study, target.parent)
    progress_dialog, progress = progress_callback(parent, "Backing up your study data…")
    try:
        info = write_backup(study.store.path, target, progress)
    except ExportCancelled:
        _status(parent, "Backup cancelled; nothing was written.")
        return None
    except (BackupError, ExportError) as error:
        QMessageBox.warning(parent, "Backup failed", str(error))
        return None
    finally:
        progress_dialog.close()
    QMessageBox.information(parent, "Backup finished",
                            f"Your study data ({info.summary()}) was backed up to\n{target}")
    return target


def restore_flow(parent: QWidget, study: Study, before_swap: Callable[[], None]) -> bool:
    """Pick a backup, show what it holds, confirm, restore. `before_swap` saves and detaches editors."""
    from ..core.backup import BackupError, inspect_backup, restore_backup

    source = ask_open_path(parent, "Restore from which backup?", _start_folder(study),
                           "Onsite backup (*.onsite-backup *.sqlite);;All files (*)")
    if source is None:
        return False
    try:
        info = inspect_backup(source, study.store.path.parent)
    except BackupError as error:
        QMessageBox.warning(parent, "Cannot restore", f"{error}\n\nNothing was changed.")
        return False
    answer = QMessageBox.question(
        parent, "Restore from backup?",
        f"{source.name} holds {info.summary()}.\n\nRestoring replaces all of your current study data with it. "
        "Your current data is kept as a fallback copy next to it.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    before_swap()
    try:
        result = restore_backup(study, source)
    except BackupError as error:
        QMessageBox.warning(parent, "Cannot restore", f"{error}\n\nNothing was changed.")
        return True  # the editors were detached: the window must reload either way
    kept = f"\n\nYour previous data was kept as {result.fallback}." if result.fallback else ""
    QMessageBox.information(parent, "Restored", f"Your study data was restored from {source.name}.{kept}")
    return True


# --- question packs ----------------------------------------------------------------------------


def import_pack_flow(parent: QWidget, study: Study) -> bool:
    """Choose a folder or .zip, validate it (every problem listed), confirm, install. True if installed."""
    from ..core import packs

    source = ask_pack_source(parent, _start_folder(study))
    if source is None:
        return False
    data_dir = study.store.path.parent
    progress_dialog, progress = progress_callback(parent, f"Checking {source.name}…")
    try:
        plan = packs.validate_pack(source, data_dir, study.bank.path, progress)
    except packs.PackCancelled:
        return False
    except packs.PackError as error:
        show_pack_problems(parent, error)
        return False
    finally:
        progress_dialog.close()
    text = f"Import “{plan.title}”: {plan.summary()}?"
    if plan.replaces:
        text += f"\n\nA pack with the id “{plan.id}” is installed already; it will be replaced."
    if plan.warnings:
        text += "\n\n" + "\n".join(plan.warnings)
    answer = QMessageBox.question(parent, "Import question pack", text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                  QMessageBox.StandardButton.Yes)
    if answer != QMessageBox.StandardButton.Yes:
        return False
    try:
        packs.install_pack(plan, data_dir)
        warnings = packs.refresh_study_bank(study)
    except packs.PackError as error:
        QMessageBox.warning(parent, "Import failed", str(error))
        return False
    QMessageBox.information(parent, "Question pack imported",
                            f"“{plan.title}” was imported: {plan.summary()}."
                            + ("\n\n" + "\n".join(warnings) if warnings else ""))
    return True


def show_pack_problems(parent: QWidget, error) -> None:  # noqa: ANN001 - packs.PackError
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Question pack not imported")
    box.setText(error.message)
    shown = error.problems[:8]
    more = len(error.problems) - len(shown)
    box.setInformativeText("\n".join(shown) + (f"\n… and {more} more (see Show Details)" if more > 0 else ""))
    if error.problems:
        box.setDetailedText("\n".join(error.problems))
    box.exec()


class ManagePacksDialog(QDialog):
    """Installed question packs, with Remove."""

    def __init__(self, study: Study, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.study = study
        self.changed = False
        self.setWindowTitle("Question packs")
        self.list = QListWidget()
        self.list.setAccessibleName("Installed question packs")
        self.list.setWordWrap(True)
        self.empty = QLabel("No question packs are installed. Use File ▸ Import question pack… to add one.")
        self.empty.setWordWrap(True)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.resize(520, 340)
        self.refresh()

    def refresh(self) -> None:
        from ..core.packs import installed_packs

        self.list.clear()
        for pack in installed_packs(self.study.store.path.parent):
            item = QListWidgetItem(
                f"{pack.title}  ({pack.id})\n{pack.topics} topics, {pack.questions} questions, "
                f"{pack.exercises} exercises · imported {pack.imported_at[:10]} from {pack.source}"
            )
            item.setData(Qt.ItemDataRole.UserRole, pack.id)
            self.list.addItem(item)
        has_packs = self.list.count() > 0
        self.list.setVisible(has_packs)
        self.empty.setVisible(not has_packs)
        self.remove_button.setEnabled(has_packs)
        if has_packs:
            self.list.setCurrentRow(0)

    def remove_selected(self, confirm: bool = True) -> None:
        from ..core import packs

        item = self.list.currentItem()
        if item is None:
            return
        pack_id = item.data(Qt.ItemDataRole.UserRole)
        if confirm and QMessageBox.question(
            self, "Remove question pack?",
            f"Remove the pack “{pack_id}” and its questions from the bank? Your drafts, notes and grades "
            "for them are kept and come back if you import the pack again.",
        ) != QMessageBox.StandardButton.Yes:
            return
        try:
            packs.remove_pack(self.study.store.path.parent, pack_id)
            packs.refresh_study_bank(self.study)
        except packs.PackError as error:
            QMessageBox.warning(self, "Cannot remove", str(error))
        self.changed = True
        self.refresh()
