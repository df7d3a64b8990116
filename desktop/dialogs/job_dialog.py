"""A dialog that runs one background job on a QThread and cannot be closed while it runs."""

from __future__ import annotations

from PySide6.QtCore import QThread
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog


class JobDialog(QDialog):
    """Shared by the code-set update and the CPT import: one worker thread at a time."""

    _thread: QThread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def _release_thread(self) -> None:
        """Forget the finished worker; its run() has emitted its last signal, wait() only lets it return."""
        if self._thread is not None:
            self._thread.wait()
            self._thread.deleteLater()
            self._thread = None

    def reject(self) -> None:
        if not self.running:  # closing mid-job would destroy a running thread
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            event.ignore()
        else:
            super().closeEvent(event)
