"""Builds the QApplication and opens the main window, or the no-index screen when there is no index."""

from __future__ import annotations

import argparse
import contextlib
import functools
import itertools
import os
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import gc_guard
from desktop.core import paths
from desktop.core.engine import Engine, open_engine
from desktop.core.index import IndexProblem, verify_index
from desktop.core.userdata import UserData
from desktop.theme import ThemeManager

INTEGRITY_DELAY_MS = 2000  # after opening an index, before every file is checked against its checksum


def make_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName("CodeAtlas")
    app.setOrganizationName("CodeAtlas")
    app.setDesktopFileName("codeatlas")
    for name in ("codeatlas.svg", "codeatlas.png"):
        icon = paths.resources_dir() / "icons" / name
        if icon.is_file():
            app.setWindowIcon(QIcon(str(icon)))
            break
    return app


class _IntegrityRelay(QObject):
    """Carries a finished integrity check from its thread to the GUI thread.

    The checking thread holds no reference to a Shell: had it held the last one, the Shell's Python
    object would die in that thread while its C++ object waited in the GUI thread for a deferred
    delete, and the queued result, delivered to it first, found no Python object (a segfault, seen
    when a test's shell was gone before its check ended). The relay is made once and never freed.
    """

    checked = Signal(int, str, list)  # the asking shell's number, index folder, damaged file names


_shell_numbers = itertools.count(1)


@functools.cache
def _integrity_relay() -> _IntegrityRelay:
    """The one relay, made on first use in the GUI thread."""
    return _IntegrityRelay()


class Shell(QObject):
    """Switches between the no-index screen and the main window; owns the open engine."""

    integrity_checked = Signal(str, list)  # index folder, names of files whose checksum no longer matches

    def __init__(self, userdata: UserData, theme: ThemeManager, folder: Path) -> None:
        super().__init__()
        self._number = next(_shell_numbers)
        _integrity_relay().checked.connect(self._on_relay_checked)
        self.integrity_checked.connect(self._on_integrity_checked)
        self.userdata, self.theme, self.folder = userdata, theme, folder
        self.engine: Engine | None = None
        self.window: Any = None
        self.problem_window: Any = None

    def start(self) -> None:
        self.open_index(self.folder)

    @Slot(Path)
    def open_index(self, folder: Path) -> None:
        from desktop.main_window import MainWindow

        try:
            engine = open_engine(folder)
        except IndexProblem as exc:
            self._show_problem(str(exc))
            return
        if self.window is not None:  # a rebuilt index replaces the one in use
            self.window.close()
            self.window.deleteLater()
        self.close()
        self.engine = engine
        self.window = MainWindow(engine, self.userdata, self.theme)
        self.window.index_reopen_requested.connect(self._on_window_index_reopen_requested)
        self.window.show()
        if engine.problem:
            self.window.statusBar().showMessage(engine.problem, 30000)
        # The full read (half a second of hashing 51 MB) waits until the window is up and the first keys
        # are answered: start-up needs nothing from it. Not after this shell is gone (the timer is tied to it).
        QTimer.singleShot(INTEGRITY_DELAY_MS, self, functools.partial(self._check_integrity, folder))
        if self.problem_window is not None:
            self.problem_window.close()
            self.problem_window.deleteLater()
            self.problem_window = None

    @Slot()
    def _on_window_index_reopen_requested(self) -> None:
        # The update dialog writes the user's own index, which index_dir() prefers from now on.
        self.folder = paths.index_dir()
        self.open_index(self.folder)

    def _check_integrity(self, folder: Path) -> None:
        """Compare every index file with the manifest's sha256 off the GUI thread (a full read takes
        about half a second); opening already checked that each file is there with its size."""

        relay, number = _integrity_relay(), self._number  # the thread must not hold the shell itself

        def work() -> None:
            try:
                damaged = verify_index(folder)
            except IndexProblem as exc:
                damaged = [str(exc)]
            relay.checked.emit(number, str(folder), damaged)

        threading.Thread(target=work, name="codeatlas-verify-index", daemon=True).start()

    @Slot(int, str, list)
    def _on_relay_checked(self, number: int, folder: str, damaged: list[str]) -> None:
        if number == self._number:
            self.integrity_checked.emit(folder, damaged)

    @Slot(str, list)
    def _on_integrity_checked(self, folder: str, damaged: list[str]) -> None:
        if not damaged or Path(folder) != self.folder or self.window is None:
            return
        self.window.close()
        self.window.deleteLater()
        self.window = None
        self.close()
        self._show_problem(
            f"The index in {folder} is damaged: {', '.join(damaged)} no longer matches the checksum "
            "recorded when it was built, so codes shown from it could be wrong. Build it again."
        )

    def _show_problem(self, message: str) -> None:
        from desktop.dialogs.index_problem import IndexProblemWindow

        if self.problem_window is None:
            self.problem_window = IndexProblemWindow(message, paths.user_index_dir(), paths.sources_dir())
            self.problem_window.index_ready.connect(self.open_index)
        else:
            self.problem_window.problem.setText(message)
        self.problem_window.show()

    def close(self) -> None:
        """Close the open engine (the window may have released it already)."""
        engine, self.engine = self.engine, None
        if engine is not None:
            with contextlib.suppress(Exception):  # already closed for a rebuild: nothing to release
                engine.close()


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """An unexpected error is reported in a dialog (the details go to stderr), not a crash."""
    traceback.print_exception(kind, value, tb, file=sys.stderr)
    if QApplication.instance() is not None:
        QMessageBox.warning(None, "CodeAtlas", f"Something went wrong: {value}\n\nCodeAtlas keeps running.")


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="codeatlas", description="Offline code reference for medical coders.")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window offscreen, check a known code per code set, exit 0 or 1",
    )
    args, qt_args = parser.parse_known_args(argv[1:])
    if args.smoke_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_application([argv[0] if argv else "codeatlas", *qt_args])
    if args.smoke_test:
        from desktop.smoke import run_smoke_test

        collector = gc_guard.after_start_up(app)
        try:
            return run_smoke_test(app, paths.index_dir())
        finally:
            collector.stop()
    collector = gc_guard.after_start_up(app)
    app.aboutToQuit.connect(collector.stop)
    userdata = UserData(paths.user_data_dir())
    theme = ThemeManager(app, str(userdata.setting("theme", "system")))
    shell = Shell(userdata, theme, paths.index_dir())
    sys.excepthook = _excepthook
    app.aboutToQuit.connect(shell.close)
    shell.start()
    return app.exec()
