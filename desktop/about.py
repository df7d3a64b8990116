"""The About box: program version, the code-set releases in the index and the files they came from."""

from __future__ import annotations

import importlib.metadata
import tomllib

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.core import paths
from desktop.core.manifest import Manifest
from desktop.detail.html import esc


def app_version() -> str:
    """The bundled VERSION file (frozen builds), the installed metadata, or pyproject.toml."""
    bundled = paths.resources_dir() / "VERSION"
    if bundled.is_file():
        return bundled.read_text(encoding="utf-8").strip()
    try:
        return importlib.metadata.version("codeatlas")
    except importlib.metadata.PackageNotFoundError:
        pass
    pyproject = paths.bundle_dir() / "pyproject.toml"
    try:
        return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])
    except (OSError, KeyError, ValueError):
        return "unknown"


def about_html(manifest: Manifest | None, version: str) -> str:
    parts = [
        f"<h2>CodeAtlas {esc(version)}</h2>",
        "<p>An offline code reference for ICD-10-CM, ICD-10-PCS and HCPCS Level II, built from the "
        "official public-domain files of CMS and CDC/NCHS.</p>",
    ]
    manifest = manifest or Manifest()
    releases = manifest.code_sets
    if releases:
        parts.append("<h3>Code sets in this index</h3><ul>")
        for item in releases:
            effective = f", effective {item['effective']}" if item.get("effective") else ""
            parts.append(
                f"<li><b>{esc(str(item.get('code_set', '')))}</b>: {esc(str(item.get('release', '')))}"
                f"{esc(effective)}</li>"
            )
        parts.append("</ul>")
    files = manifest.files
    if files:
        parts.append("<h3>Source files</h3><ul>")
        for item in files:
            parts.append(
                f"<li>{esc(str(item.get('name', '')))} ({esc(str(item.get('code_set', '')))}, "
                f"{esc(str(item.get('release', '')))})</li>"
            )
        parts.append("</ul>")
    if manifest.built_at:
        parts.append(f"<p>Index built {esc(manifest.built_at)}.</p>")
    if any(str(item.get("code_set")) == "CPT" for item in releases):
        from desktop.dialogs.cpt_dialog import cpt_notice_html  # the AMA notice lives with the import

        parts.append(cpt_notice_html())
    else:
        parts.append("<p>CPT is not included; CPT descriptors are owned by the AMA.</p>")
    return "".join(parts)


def show_about(parent: QWidget) -> None:
    index = getattr(parent, "index", None)
    manifest = getattr(index, "manifest", None)
    box = QMessageBox(parent)
    box.setWindowTitle("About CodeAtlas")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_html(manifest, app_version()))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setObjectName("about-box")
    box.open()
