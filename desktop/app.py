"""Start-up: find the bank, open the user's data, show the main window."""

from __future__ import annotations

import argparse
import faulthandler
import logging
import os
import sys
import traceback
from pathlib import Path

from . import paths

log = logging.getLogger("onsite")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="onsite", description="Offline ML-systems interview practice.")
    parser.add_argument("--data-dir", type=Path, help="folder for your study data (default: the platform's)")
    parser.add_argument("--self-test", action="store_true", help="run a headless check of this install and exit")
    return parser.parse_args(argv)


def open_study(data_dir: Path):  # noqa: ANN201 - returns (Study, list of notices)
    from .core.study import Study, prepare_bank, with_question_packs

    content = None if paths.is_frozen() else paths.content_dir()
    status = prepare_bank(content, paths.source_bank_path(), paths.shipped_bank_path())
    status = with_question_packs(status, data_dir)  # the user's own packs, added to a combined copy
    study = Study.open(status.path, data_dir)
    notices = []
    if status.warning:
        notices.append(status.warning)
    report = study.store.report
    if report.set_aside is not None:
        notices.append(
            f"Your study data could not be used because {report.reason}. It was moved to "
            f"{report.set_aside} (nothing was deleted) and Onsite started with fresh data."
        )
    return study, notices


def install_excepthook(crash_dir: Path) -> None:
    """Log unexpected errors and show them instead of vanishing; storage errors get a plain message."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from .core.userstore import UserDataError

    def hook(kind, value, trace) -> None:  # noqa: ANN001
        text = "".join(traceback.format_exception(kind, value, trace))
        log.error("unhandled error\n%s", text)
        try:
            with open(crash_dir / "errors.log", "a", encoding="utf-8") as handle:
                handle.write(text + "\n")
        except OSError:
            pass
        if QApplication.instance() is None:
            sys.__excepthook__(kind, value, trace)
            return
        if isinstance(value, UserDataError):
            QMessageBox.warning(None, "Onsite could not save", str(value))
        else:
            details = f"{value}\n\nDetails were written to {crash_dir / 'errors.log'}."
            QMessageBox.critical(None, "Onsite hit an error", details)

    sys.excepthook = hook


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_test:
        from .selftest import run_self_test

        return run_self_test()
    from PySide6.QtWidgets import QApplication, QMessageBox

    from .core.bank import BankError
    from .core.userstore import UserDataError
    from .ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(paths.APP_NAME)
    app.setApplicationDisplayName(paths.APP_NAME)
    app.setDesktopFileName("onsite")  # lets Wayland docks match the window to onsite.desktop and its icon
    data_dir = args.data_dir or paths.user_data_dir()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        crash_log = open(data_dir / "crash.log", "a", encoding="utf-8")  # noqa: SIM115 - lives as long as the app
        faulthandler.enable(crash_log)
    except OSError:
        pass
    install_excepthook(data_dir)
    try:
        study, notices = open_study(data_dir)
    except (BankError, UserDataError) as error:
        QMessageBox.critical(None, "Onsite cannot start", str(error))
        return 1
    window = MainWindow(study)
    if os.environ.get("ONSITE_EXIT_AFTER_PAINT"):  # start-up benchmark (packaging/bench_start.py)
        from .startup_probe import exit_after_first_paint

        exit_after_first_paint(window)
    window.ready.connect(window.offer_resume)  # after the first paint: the window shows behind the question
    window.show()
    for notice in notices:
        QMessageBox.warning(window, "Onsite", notice)
    code = app.exec()
    study.close()
    return code
