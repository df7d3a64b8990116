"""The one job thread of the dialogs, and a dialog that runs one job at a time and cannot close mid-job."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThread, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QWidget

from index_build.build import BuildCancelled

Job = Callable[[Callable[[str], None]], Any]  # job(log) -> result; log lines are shown as they come


class JobThread(QThread):
    """Runs job(log) off the GUI thread and reports only through signals: it never touches a widget."""

    progressed = Signal(str)  # a log line
    succeeded = Signal(object)  # what the job returned (a Manifest for builds and imports)
    failed = Signal(str)  # a message for the user
    cancelled = Signal()  # the job raised BuildCancelled: nothing was changed

    def __init__(self, job: Job, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._job = job

    def run(self) -> None:
        try:
            result = self._job(self.progressed.emit)
        except BuildCancelled:
            self.cancelled.emit()
        except Exception as exc:  # whatever broke, what was there is intact (staging); the user must hear why
            self.failed.emit(str(exc) or type(exc).__name__)
        else:
            self.succeeded.emit(result)


class JobDialog(QDialog):
    """Shared by the index build, the code-set update and the CPT import: one JobThread at a time.

    Subclasses call start_job() and override the _on_job_* slots; the thread is released (waited
    for and deleted) before any of them runs, so `running` is already False there.
    """

    _thread: JobThread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start_job(self, job: Job) -> None:
        if self._thread is not None:
            raise RuntimeError("a job is already running in this dialog")
        thread = JobThread(job, self)
        thread.progressed.connect(self._on_job_progressed)
        thread.succeeded.connect(self._on_thread_succeeded)
        thread.failed.connect(self._on_thread_failed)
        thread.cancelled.connect(self._on_thread_cancelled)
        self._thread = thread
        thread.start()

    def _release_thread(self) -> None:
        """Forget the finished worker; its run() has emitted its last signal, wait() only lets it return."""
        if self._thread is not None:
            self._thread.wait()
            self._thread.deleteLater()
            self._thread = None

    @Slot(object)
    def _on_thread_succeeded(self, result: Any) -> None:
        self._release_thread()
        self._on_job_succeeded(result)

    @Slot(str)
    def _on_thread_failed(self, message: str) -> None:
        self._release_thread()
        self._on_job_failed(message)

    @Slot()
    def _on_thread_cancelled(self) -> None:
        self._release_thread()
        self._on_job_cancelled()

    # -- for subclasses -----------------------------------------------------------------------

    def _on_job_progressed(self, line: str) -> None:
        """A log line from the job (queued to the GUI thread)."""

    def _on_job_succeeded(self, result: Any) -> None:
        """The job returned result."""

    def _on_job_failed(self, message: str) -> None:
        """The job raised; message says why, for the user."""

    def _on_job_cancelled(self) -> None:
        """The job was cancelled before it changed anything."""

    def reject(self) -> None:
        if not self.running:  # closing mid-job would destroy a running thread
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            event.ignore()
        else:
            super().closeEvent(event)
