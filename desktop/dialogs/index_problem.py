"""The screen shown when there is no usable index: what happened, and a button that builds one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.detail.html import esc
from desktop.dialogs.job_dialog import JobDialog

BuildFunction = Callable[[Path, Path | None, Callable[[str], None]], Any]


def default_build(out_dir: Path, sources: Path | None, log: Callable[[str], None]) -> Any:
    from index_build.build import build_index  # the builder is only needed on this screen

    return build_index(out_dir, sources, log)


class BuildDialog(JobDialog):
    """Shows the builder's log lines as they come; closes only when the build is over."""

    built = Signal(Path)

    def __init__(
        self, out_dir: Path, sources: Path | None, build: BuildFunction, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Building the CodeAtlas index")
        self.setObjectName("build-dialog")
        self._out_dir, self._sources, self._build = out_dir, sources, build
        self.succeeded: bool | None = None
        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.log_view.setObjectName("build-log")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # the builder cannot say how far along it is: a busy bar
        self.status = QLabel("Reading the official files and writing the index. This takes a few minutes.")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.buttons.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.log_view, 1)
        layout.addWidget(self.buttons)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 100, metrics.lineSpacing() * 28)

    def start(self) -> None:
        out_dir, sources, build = self._out_dir, self._sources, self._build
        self.start_job(lambda log: build(out_dir, sources, log))

    def _on_job_progressed(self, line: str) -> None:
        self.log_view.appendPlainText(line)

    def _on_job_succeeded(self, result: object) -> None:
        self._finish(True, f"The index was built in {self._out_dir}.")

    def _on_job_failed(self, message: str) -> None:
        self._finish(False, f"The index could not be built: {message}")

    def _on_job_cancelled(self) -> None:
        self._finish(False, "The build was cancelled.")

    def _finish(self, ok: bool, message: str) -> None:
        self.succeeded = ok
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if ok else 0)
        self.status.setText(message)
        self.log_view.appendPlainText(message)
        self.buttons.setEnabled(True)
        if ok:
            self.built.emit(self._out_dir)


class IndexProblemWindow(QWidget):
    """Explains the problem in plain words and offers to build the index."""

    index_ready = Signal(Path)

    def __init__(
        self,
        problem: str,
        out_dir: Path,
        sources: Path | None,
        build: BuildFunction = default_build,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("CodeAtlas: no code index")
        self.setObjectName("index-problem")
        self._out_dir, self._sources, self._build = out_dir, sources, build
        self.dialog: BuildDialog | None = None
        title = QLabel("<h2>CodeAtlas cannot open its code index</h2>")
        self.problem = QLabel(f"<p>{esc(problem)}</p>")
        self.problem.setObjectName("problem-text")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        explain = QLabel(
            "<p>The index is built once from the official code-set files (CMS and CDC/NCHS). "
            f"CodeAtlas can build it now into <b>{esc(str(out_dir))}</b>; your favourites and settings "
            "are not affected.</p>"
        )
        explain.setWordWrap(True)
        self.sources_label = QLabel()
        self.sources_label.setWordWrap(True)
        self.build_button = QPushButton("Build the index")
        self.build_button.setObjectName("build-button")
        self.build_button.setDefault(True)
        self.build_button.clicked.connect(self._on_build_button_clicked)
        choose = QPushButton("Choose the folder of official files\u2026")
        choose.clicked.connect(self._on_choose_button_clicked)
        quit_button = QPushButton("Quit")
        quit_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.build_button)
        buttons.addWidget(choose)
        buttons.addStretch(1)
        buttons.addWidget(quit_button)
        layout = QVBoxLayout(self)
        for widget in (title, self.problem, explain, self.sources_label):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self._show_sources()
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 90, metrics.lineSpacing() * 20)

    def _show_sources(self) -> None:
        if self._sources is None:
            text = (
                "No folder of official files is chosen: the index will hold ICD-10-CM only (its "
                "tabular ships with CodeAtlas). Choose the folder to add ICD-10-PCS and HCPCS."
            )
        else:
            text = f"Official files will be read from <b>{esc(str(self._sources))}</b>."
        self.sources_label.setText(f"<p>{text}</p>")

    @Slot()
    def _on_choose_button_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder of official code-set files")
        if folder:
            self._sources = Path(folder)
            self._show_sources()

    @Slot()
    def _on_build_button_clicked(self) -> None:
        self.build_button.setEnabled(False)
        self.dialog = BuildDialog(self._out_dir, self._sources, self._build, self)
        self.dialog.built.connect(self.index_ready)
        self.dialog.finished.connect(self._on_dialog_finished)
        self.dialog.open()
        self.dialog.start()

    @Slot(int)
    def _on_dialog_finished(self, _result: int) -> None:
        self.build_button.setEnabled(True)
