"""The "Add or update code sets..." dialog: pick official files, read what they hold, rebuild on a thread."""

from __future__ import annotations

import html
import os
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core import paths
from desktop.core.coverage import OFFICIAL_FILES, PUBLIC_CODE_SETS, Coverage, coverage_of, read_coverage
from desktop.core.index import IndexProblem
from desktop.core.manifest import Manifest
from desktop.core.records import CodeSet
from desktop.dialogs.job_dialog import JobDialog
from index_build import update
from index_build.update import ADD, PRESENT, REPLACE, PickedFile, UpdatePlan

FILE_FILTER = "Official code-set files (*.zip *.xml *.txt *.xlsx *.pdf *.json);;All files (*)"
ReleaseIndex = Callable[[], None]  # the main window closes its open index (Windows cannot replace open files)

_ACTION_TEXT = {
    ADD: "copied to your sources",
    REPLACE: "replaces your earlier file of the same name and release (kept aside, not used)",
    PRESENT: "already available",
}


def _what(picked: PickedFile) -> str:
    parts = [f"{source.code_set} {source.release}" for source in picked.contents]
    return ", ".join(dict.fromkeys(parts))


def _kinds(picked: PickedFile) -> str:
    return ", ".join(dict.fromkeys(source.kind for source in picked.contents))


def _page_link(url: str, name: str) -> str:
    esc = html.escape
    return f"<a href='{esc(url, quote=True)}'>{esc(name)}</a><br><small>{esc(url)}</small>"


def official_files_html(coverage: Coverage) -> str:
    """What the index holds, what it lacks, and every official file CodeAtlas reads with its page."""
    esc = html.escape
    out = [f"<h3>The index holds</h3><p>{esc(coverage.held_text())}</p>"]
    if coverage.missing:
        names = ", ".join(str(c) for c in coverage.missing)
        out.append(f"<h3>Missing: {esc(names)}</h3><p>Download these official files, then choose them here:</p>")
    else:
        out.append("<h3>Newer releases</h3><p>Every code set is present. Newer releases come from:</p>")
    out.append(
        "<table cellspacing='0' cellpadding='3' border='1'>"
        "<tr><th>Code set</th><th>Official file</th><th>What it holds</th><th>Official page</th></tr>"
    )
    # Missing code sets first, so the file a coder needs most is at the top.
    order = sorted(OFFICIAL_FILES, key=lambda e: (e.code_set not in coverage.missing, not e.essential))
    for entry in order:
        state = " (missing)" if entry.code_set in coverage.missing and entry.essential else ""
        name = f"<b>{esc(entry.name)}</b>" if state else esc(entry.name)
        out.append(
            f"<tr><td>{esc(str(entry.code_set))}{esc(state)}</td><td>{name}</td><td>{esc(entry.holds)}</td>"
            f"<td>{_page_link(entry.page.url, entry.page.name)}</td></tr>"
        )
    out.append("</table><p>CPT is never downloaded: import your own AMA files with File > Import CPT…</p>")
    return "".join(out)


def _still_missing(plan: UpdatePlan) -> list[CodeSet]:
    """Public code sets the index would still lack after this update."""
    after = set(plan.after)
    return [code_set for code_set in PUBLIC_CODE_SETS if str(code_set) not in after]


def plan_html(plan: UpdatePlan) -> str:
    """The plan as rich text; every file name and text from a file is escaped."""
    esc = html.escape
    out: list[str] = []
    if plan.recognised:
        out.append(
            "<h3>Recognised</h3><table cellspacing='0' cellpadding='3' border='1'>"
            "<tr><th>File</th><th>Code set and release</th><th>Kind</th><th>What happens</th></tr>"
        )
        for picked in plan.recognised:
            happens = _ACTION_TEXT.get(picked.action, picked.action)
            if picked.action == PRESENT and picked.present_as:
                happens += f" ({Path(picked.present_as).name})"
            out.append(
                f"<tr><td>{esc(picked.name)}</td><td>{esc(_what(picked))}</td>"
                f"<td>{esc(_kinds(picked))}</td><td>{esc(happens)}</td></tr>"
            )
        out.append("</table>")
    if plan.rejected:
        out.append("<h3>Not used</h3><ul>")
        out.extend(f"<li><b>{esc(picked.name)}</b> {esc(picked.rejected)}</li>" for picked in plan.rejected)
        out.append("</ul>")
    if plan.after:
        out.append("<h3>After the update the index holds</h3><ul>")
        for code_set, release in sorted(plan.after.items()):
            now = plan.current.get(code_set, "")
            if now.startswith(release):  # the same release, e.g. "FY2026 (index FY2025)"
                release = now
            change = f" (now {now})" if now and now != release else ""
            out.append(f"<li>{esc(code_set)} {esc(release)}{esc(change)}</li>")
        out.append("</ul>")
    still = _still_missing(plan) if plan.after else []
    if still:
        out.append("<h3>Still missing after this update</h3><ul>")
        for code_set in still:
            entry = next(e for e in OFFICIAL_FILES if e.code_set is code_set and e.essential)
            out.append(
                f"<li>{esc(str(code_set))}: {esc(entry.name)} from the "
                f"{_page_link(entry.page.url, entry.page.name)}</li>"
            )
        out.append("</ul>")
    if plan.warnings:
        out.append("<h3>Please note</h3><ul>")
        out.extend(f"<li>{esc(line)}</li>" for line in plan.warnings)
        out.append("</ul>")
    if not plan.buildable:
        out.append("<p><b>None of these files is an official code-set file CodeAtlas reads.</b></p>")
    return "".join(out)


class UpdateDialog(JobDialog):
    """Pick files or a folder, read the summary, then rebuild the index on a worker thread."""

    index_updated = Signal(object)  # the new manifest; the main window reopens the index
    update_finished = Signal(bool)  # True when the index was rebuilt; False when it failed or was cancelled
    # Emitted by the job on its thread just before the swap, connected blocking-queued: the GUI thread
    # closes the open index (Windows cannot replace open files), then the job goes on.
    _release_requested = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        release_index: ReleaseIndex | None = None,
        release_before_swap: bool = os.name == "nt",
        coverage: Coverage | None = None,
    ) -> None:
        super().__init__(parent)
        self._release_requested.connect(self._on_self_release_requested, Qt.ConnectionType.BlockingQueuedConnection)
        self.setWindowTitle("Add or update code sets")
        self.setObjectName("update-dialog")
        self.resize(820, 640)
        self.manifest: Manifest | None = None
        self.released = False  # the open index was closed for the swap: the caller must reopen one
        self._release_index = release_index
        self._release_before_swap = release_before_swap and release_index is not None
        self._plan: UpdatePlan | None = None
        self._cancel = threading.Event()
        self.coverage = coverage if coverage is not None else _current_coverage()

        intro = QLabel(
            "Choose the official files you downloaded from CMS or CDC (zip, XML, text, xlsx "
            "or PDF), or a folder holding them. CodeAtlas shows what it recognises before "
            "anything changes; the files are copied into your CodeAtlas data folder and the "
            "index is rebuilt. Code sets you do not update are kept."
        )
        intro.setWordWrap(True)
        self.files_button = QPushButton("Choose files…")
        self.files_button.clicked.connect(self._on_files_button_clicked)
        self.folder_button = QPushButton("Choose a folder…")
        self.folder_button.clicked.connect(self._on_folder_button_clicked)
        pick = QHBoxLayout()
        pick.addWidget(self.files_button)
        pick.addWidget(self.folder_button)
        pick.addStretch(1)
        self.summary_view = QTextBrowser()
        self.summary_view.setObjectName("update-summary")
        self.summary_view.setOpenLinks(False)
        self.summary_view.setOpenExternalLinks(False)
        self.summary_view.anchorClicked.connect(self._on_summary_view_anchor_clicked)
        self.summary_view.setHtml("<p>No files chosen yet.</p>" + official_files_html(self.coverage))
        self.log_view = QPlainTextEdit()
        self.log_view.setObjectName("update-log")
        self.log_view.setReadOnly(True)
        self.log_view.setVisible(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # the builder reports steps, not a fraction
        self.progress.setVisible(False)
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.build_button = self.buttons.addButton("Build", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.build_button.setEnabled(False)
        self.build_button.clicked.connect(self.start_build)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(pick)
        layout.addWidget(self.summary_view, 2)
        layout.addWidget(self.log_view, 1)
        for widget in (self.progress, self.status_label, self.buttons):
            layout.addWidget(widget)

    @property
    def plan(self) -> UpdatePlan | None:
        return self._plan

    @Slot(QUrl)
    def _on_summary_view_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == "https":  # an official download page, in the user's browser
            QDesktopServices.openUrl(url)

    @Slot()
    def _on_files_button_clicked(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Choose official code-set files", "", FILE_FILTER)
        if names:
            self.set_paths([Path(name) for name in names])

    @Slot()
    def _on_folder_button_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a folder of official code-set files")
        if folder:
            self.set_paths([Path(folder)])

    def set_paths(self, chosen: list[Path]) -> None:
        """Inspect the chosen files and folders and show what they hold; nothing is copied yet."""
        self.setCursor(Qt.CursorShape.WaitCursor)
        try:
            plan = update.inspect(chosen)
        finally:
            self.unsetCursor()
        self._plan = plan
        self.summary_view.setHtml(plan_html(plan))
        self.build_button.setEnabled(plan.buildable)
        self.status_label.setText("" if plan.buildable else "Nothing to add yet.")

    def _confirm_losses(self, plan: UpdatePlan) -> bool:
        """A rebuild that would drop a code set the index holds now goes ahead only when the user says so."""
        if not plan.lost:
            return True
        names = ", ".join(plan.lost)
        answer = QMessageBox.question(
            self,
            "Add or update code sets",
            f"The official files of {names} are not available on this computer, so the rebuilt index would "
            f"not have {names}.\n\nAdd their files too (Choose files…), or build without {names}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    @Slot()
    def start_build(self) -> None:
        if self._plan is None or not self._plan.buildable or self.running:
            return
        if not self._confirm_losses(self._plan):
            return
        self._cancel.clear()
        for widget in (self.build_button, self.files_button, self.folder_button):
            widget.setEnabled(False)
        self.log_view.clear()
        self.log_view.setVisible(True)
        self.progress.setVisible(True)
        self.status_label.setText(
            "Copying the files and rebuilding the index. This takes a few minutes; you can keep working in CodeAtlas."
        )
        plan, cancel = self._plan, self._cancel
        before_swap = self._release_requested.emit if self._release_before_swap else None
        self.start_job(lambda log: update.apply(plan, log, cancel, before_swap=before_swap))

    @Slot()
    def _on_cancel_button_clicked(self) -> None:
        if self.running:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.status_label.setText("Cancelling…")
        else:
            self.reject()

    @Slot()
    def _on_self_release_requested(self) -> None:
        if self._release_index is not None:
            self.released = True
            self._release_index()

    def _on_job_progressed(self, line: str) -> None:
        self.log_view.appendPlainText(line)

    def _end_thread(self) -> None:
        self.progress.setVisible(False)
        self.cancel_button.setEnabled(True)

    def _allow_retry(self) -> None:
        for widget in (self.files_button, self.folder_button):
            widget.setEnabled(True)
        self.build_button.setEnabled(self._plan is not None and self._plan.buildable)

    def _on_job_succeeded(self, manifest: Manifest) -> None:
        self._end_thread()
        self.manifest = manifest
        releases = ", ".join(f"{entry.get('code_set')} {entry.get('release')}" for entry in manifest.code_sets)
        self.status_label.setText(f"The index was rebuilt. It now holds: {releases}.")
        self.build_button.setVisible(False)
        self.cancel_button.setText("Close")
        self.index_updated.emit(manifest)
        self.update_finished.emit(True)

    def _on_job_failed(self, message: str) -> None:
        self._end_thread()
        self.status_label.setText(f"The update failed: {message}\nYour index and your files are unchanged.")
        self._allow_retry()
        self.update_finished.emit(False)

    def _on_job_cancelled(self) -> None:
        self._end_thread()
        self.status_label.setText("Cancelled. Your index and your files are unchanged.")
        self._allow_retry()
        self.update_finished.emit(False)


def _current_coverage() -> Coverage:
    """What the index the app opens holds; with no readable index, every code set is missing."""
    try:
        return read_coverage(paths.index_dir())
    except IndexProblem:
        return coverage_of({})


def open_update_dialog(parent: QWidget | None, release_index: ReleaseIndex | None = None) -> bool:
    """Run the dialog; True when the caller must reopen its index (it was rebuilt, or closed for the swap)."""
    dialog = UpdateDialog(parent, release_index)
    try:
        dialog.exec()
        return dialog.manifest is not None or dialog.released
    finally:
        dialog.deleteLater()
