"""The "Import CPT..." dialog and the "Remove CPT data" confirmation, over index_build.cpt_import."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core import paths
from desktop.core.manifest import Manifest
from desktop.dialogs.job_dialog import JobDialog
from index_build import cpt_import
from index_build.cpt_import import FileSummary, ImportPlan
from index_build.sources.cpt import ColumnChoice

FILE_FILTER = "CPT data files (*.txt *.tsv *.csv);;All files (*)"
_ROLE_TEXT = {"long": "long descriptors", "medium": "medium descriptors", "short": "short descriptors"}
_DELIMITER_TEXT = {"tab": "tab-delimited", "comma": "comma-separated", "space": "code, blanks, descriptor"}

ReleaseIndex = Callable[[], None]  # the main window closes its open CPT index (Windows locks open files)


def cpt_notice_html() -> str:
    """The trademark notice for the first import and the About box, with what is imported now."""
    parts = [
        "<p>CPT® is a registered trademark of the American Medical Association (AMA).</p>",
        "<p>The CPT codes and descriptors CodeAtlas shows come from your own licensed copy of the AMA "
        "CPT data files, imported on this computer. CodeAtlas itself contains no CPT content.</p>",
    ]
    manifest = Manifest.read_if_any(paths.cpt_index_dir())
    if manifest is None:
        return "".join(parts)
    releases = ", ".join(str(entry.get("release", "")) for entry in manifest.code_sets)
    when = manifest.built_at[:10]
    parts.append(f"<p>Imported {html.escape(when)}: {html.escape(releases)}.</p>")
    return "".join(parts)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


def summary_html(plan: ImportPlan) -> str:
    """The plan as rich text; every piece of file text is escaped."""
    esc = html.escape
    out = ["<h3>Files</h3><ul>"]
    for summary in plan.files:
        out.append(f"<li><b>{esc(summary.name)}</b>: {esc(_file_line(summary))}</li>")
    out.append("</ul><h3>To import</h3><ul>")
    for form, count in plan.codes_by_form.items():
        out.append(f"<li>{esc(form)}: {_count(count, 'code')}</li>")
    out.append(f"<li>Modifiers: {plan.modifiers:,}</li>")
    found = ", ".join(f"{role} {count:,}" for role, count in plan.descriptors.items() if count)
    out.append(f"<li>Descriptors found: {esc(found or 'none')}</li></ul>")
    if not plan.codes and not plan.modifiers:
        out.append("<p><b>Nothing can be imported from these files.</b></p>")
    if plan.problem_count:
        shown = len(plan.problems)
        more = f"; the first {shown} are listed" if shown < plan.problem_count else ""
        out.append(f"<h3>Problems</h3><p>{plan.problem_count:,} rows or files could not be used{more}:</p>")
        out.append("<ul>")
        out.extend(f"<li>{esc(str(problem))}</li>" for problem in plan.problems)
        out.append("</ul>")
    if plan.warnings:
        out.append("<ul>" + "".join(f"<li>{esc(line)}</li>" for line in plan.warnings) + "</ul>")
    return "".join(out)


def _file_line(summary: FileSummary) -> str:
    if summary.rejected:
        return f"not used: it {summary.rejected}"
    if summary.needs_columns:
        return "choose the code and descriptor columns below"
    counts = f"{_count(summary.codes, 'code')}, {_count(summary.modifiers, 'modifier')}"
    how = (
        f"{_ROLE_TEXT.get(summary.role, summary.role)}, {_DELIMITER_TEXT.get(summary.delimiter, '')}, "
        f"{summary.encoding}, code in column {summary.code_column + 1}, "
        f"descriptor in column {summary.descriptor_column + 1}"
    )
    header = "; header line skipped" if summary.header else ""
    bad = f"; {_count(summary.bad_rows, 'bad row')}" if summary.bad_rows else ""
    return f"{counts} ({how}){header}{bad}"


class ColumnPicker(QGroupBox):
    """Two combo boxes for a CSV/TSV without a known layout; each item shows a column's first values."""

    changed = Signal()

    def __init__(self, summary: FileSummary, parent: QWidget | None = None) -> None:
        super().__init__(f"Columns of {summary.name}", parent)  # a group box title is plain text
        self.path = summary.path
        preview = QLabel("\n".join(" | ".join(row) for row in summary.preview[:4]))
        preview.setTextFormat(Qt.TextFormat.PlainText)
        self.code_combo = QComboBox()
        self.descriptor_combo = QComboBox()
        for column in range(summary.width):
            values = [row[column] for row in summary.preview if column < len(row) and row[column]][:3]
            label = f"Column {column + 1}: {', '.join(values)}"
            for combo in (self.code_combo, self.descriptor_combo):
                combo.addItem(label[:90], column)
        self.code_combo.setCurrentIndex(max(summary.code_column, 0))
        self.descriptor_combo.setCurrentIndex(max(summary.descriptor_column, 0))
        form = QFormLayout(self)
        form.addRow("First rows:", preview)
        form.addRow("Code column:", self.code_combo)
        form.addRow("Descriptor column:", self.descriptor_combo)
        self.code_combo.currentIndexChanged.connect(self._on_combo_changed)
        self.descriptor_combo.currentIndexChanged.connect(self._on_combo_changed)

    def choice(self) -> ColumnChoice:
        return ColumnChoice(int(self.code_combo.currentData()), int(self.descriptor_combo.currentData()))

    @Slot(int)
    def _on_combo_changed(self, _index: int) -> None:
        self.changed.emit()


class CptImportDialog(JobDialog):
    """Pick files, pick columns where needed, read the summary, then import on a worker thread."""

    import_finished = Signal(bool)  # True when the import was written

    def __init__(self, parent: QWidget | None = None, release_index: ReleaseIndex | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import CPT")
        self.resize(720, 600)
        self.succeeded = False
        self.first_import = not cpt_import.has_cpt()
        self._release_index = release_index
        self._paths: list[Path] = []
        self._pickers: list[ColumnPicker] = []
        self._plan: ImportPlan | None = None

        self.notice_label = QLabel(cpt_notice_html())
        self.notice_label.setTextFormat(Qt.TextFormat.RichText)
        self.notice_label.setWordWrap(True)
        self.notice_label.setVisible(self.first_import)
        intro = QLabel(
            "Choose the files of your AMA CPT data file release (the tab-delimited descriptor "
            "files such as LONGULT.txt, MEDU.txt and SHORTU.txt, and the modifier file), or any "
            "CSV or tab-delimited file of codes and descriptors."
        )
        intro.setWordWrap(True)
        self.choose_button = QPushButton("Choose files…")
        self.choose_button.clicked.connect(self.choose_files)
        self.pickers_area = QWidget()
        self._pickers_layout = QVBoxLayout(self.pickers_area)
        self._pickers_layout.setContentsMargins(0, 0, 0, 0)
        self.summary_view = QTextBrowser()
        self.summary_view.setOpenLinks(False)
        self.summary_view.setPlainText("No files chosen yet.")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # the writer reports steps, not a fraction
        self.progress.setVisible(False)
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        for widget in (
            self.notice_label,
            intro,
            self.choose_button,
            self.pickers_area,
            self.summary_view,
            self.progress,
            self.status_label,
            self.buttons,
        ):
            layout.addWidget(widget)

    @property
    def plan(self) -> ImportPlan | None:
        return self._plan

    @property
    def pickers(self) -> list[ColumnPicker]:
        return list(self._pickers)

    @Slot()
    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Choose your CPT data files", "", FILE_FILTER)
        if names:
            self.set_files([Path(name) for name in names])

    def set_files(self, files: list[Path]) -> None:
        """Inspect the files; offer column pickers (preset to the best guess) where the layout is unknown."""
        self._paths = list(files)
        for picker in self._pickers:
            picker.setParent(None)
            picker.deleteLater()
        self._pickers = []
        plan = cpt_import.inspect(self._paths)
        for summary in plan.pending:
            picker = ColumnPicker(summary, self.pickers_area)
            picker.changed.connect(self._on_picker_changed)
            self._pickers_layout.addWidget(picker)
            self._pickers.append(picker)
        if self._pickers:
            plan = cpt_import.inspect(self._paths, self._choices())
        self._show(plan)

    def _choices(self) -> dict[Path, ColumnChoice]:
        return {picker.path: picker.choice() for picker in self._pickers}

    @Slot()
    def _on_picker_changed(self) -> None:
        self._show(cpt_import.inspect(self._paths, self._choices()))

    def _show(self, plan: ImportPlan) -> None:
        self._plan = plan
        self.summary_view.setHtml(summary_html(plan))
        self.import_button.setEnabled(plan.importable and not self.running)
        self.status_label.setText("" if plan.importable else "Nothing to import yet.")

    @Slot()
    def start_import(self) -> None:
        if self._plan is None or not self._plan.importable or self.running:
            return
        if self._release_index is not None:
            self._release_index()
        for widget in (self.import_button, self.choose_button, self.pickers_area, self.close_button):
            widget.setEnabled(False)
        self.progress.setVisible(True)
        self.status_label.setText("Importing…")
        plan = self._plan
        self.start_job(lambda log: cpt_import.write(plan, log))

    def _end_thread(self) -> None:
        self.progress.setVisible(False)
        self.close_button.setEnabled(True)

    def _on_job_progressed(self, line: str) -> None:
        self.status_label.setText(line.strip())

    def _on_job_succeeded(self, manifest: Manifest) -> None:
        self._end_thread()
        self.succeeded = True
        plan = self._plan
        assert plan is not None
        self.status_label.setText(
            f"Imported {plan.codes:,} CPT codes and {plan.modifiers:,} modifiers ({manifest.documents:,} entries)."
        )
        self.import_button.setVisible(False)
        self.close_button.setText("Close")
        self.import_finished.emit(True)

    def _on_job_failed(self, message: str) -> None:
        self._end_thread()
        previous = "Your previous CPT data is unchanged." if cpt_import.has_cpt() else "Nothing was imported."
        self.status_label.setText(f"The import failed: {message}\n{previous}")
        for widget in (self.import_button, self.choose_button, self.pickers_area):
            widget.setEnabled(True)
        self.import_finished.emit(False)


def open_import_dialog(parent: QWidget | None, release_index: ReleaseIndex | None = None) -> bool:
    """Run the import dialog; True when CPT data was imported (the caller reopens its CPT index)."""
    dialog = CptImportDialog(parent, release_index)
    try:
        dialog.exec()
        return dialog.succeeded
    finally:
        dialog.deleteLater()


def confirm_remove(parent: QWidget | None, release_index: ReleaseIndex | None = None) -> bool:
    """Ask, then delete the imported CPT data; True when it was removed (the caller drops its CPT index)."""
    title = "Remove CPT data"
    if not cpt_import.has_cpt():
        QMessageBox.information(parent, title, "No CPT data has been imported.")
        return False
    folder = html.escape(str(paths.cpt_index_dir()))
    answer = QMessageBox.question(
        parent,
        title,
        f"<p>Remove the imported CPT data from this computer?</p><p>This deletes the folder {folder}. "
        "Your original AMA files are not touched; you can import them again at any time.</p>",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    if release_index is not None:
        release_index()
    try:
        cpt_import.remove()
    except OSError as exc:
        QMessageBox.warning(
            parent,
            title,
            f"<p>The CPT data could not be removed completely: "
            f"{html.escape(str(exc))}</p><p>Close CodeAtlas and delete the "
            f"folder {folder} yourself.</p>",
        )
        return False
    return True
