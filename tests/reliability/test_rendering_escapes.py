"""Text from source files is escaped before it is shown as rich text: markup in a note shows literally."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("desktop.detail.view", reason="the detail tabs (desktop/detail) are not written yet")

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from desktop.core.index import CodeIndex
from desktop.core.records import (
    CodeRecord,
    GuidelineSection,
    IndexTerm,
    Note,
    PcsDefinition,
    SeventhCharacter,
    SourceRelease,
)
from desktop.detail.view import TABS, DetailView
from index_build.manifest import make_manifest
from index_build.sources.base import Parsed
from index_build.writer import write_index
from tests.sample_data import sample_parsed

MARKUP = '<b>x</b><script>alert("x")</script><img src=x onerror=alert(1)>'
PAYLOAD = f" {MARKUP} & more"
CODES = [
    ("ICD-10-CM", "E11.9"),
    ("ICD-10-CM", "S72.001A"),
    ("ICD-10-CM", "T39.011A"),
    ("ICD-10-CM", "I50.9"),
    ("ICD-10-PCS", "0DTJ4ZZ"),
    ("ICD-10-PCS", "0DT"),
    ("HCPCS", "J9035"),
    ("HCPCS", "LT"),
]


def _hostile_record(record: CodeRecord) -> CodeRecord:
    return replace(
        record,
        title=record.title + PAYLOAD,
        short_title=record.short_title + PAYLOAD if record.short_title else "",
        notes=tuple(replace(note, text=note.text + PAYLOAD) for note in record.notes),
        seventh_chars=tuple(SeventhCharacter(s.char, s.meaning + PAYLOAD) for s in record.seventh_chars),
        attributes=tuple((label, value + PAYLOAD) for label, value in record.attributes),
        search_terms=tuple(term + PAYLOAD for term in record.search_terms),
    )


def _hostile(parsed: Parsed) -> Parsed:
    """Every piece of source text gets markup appended; codes, keys and labels stay as they are."""
    return Parsed(
        records=[_hostile_record(record) for record in parsed.records],
        index_terms=[
            IndexTerm(
                t.code_set,
                t.source,
                tuple(p + PAYLOAD for p in t.path),
                t.code,
                t.column + PAYLOAD,
                t.see + PAYLOAD if t.see else "",
                t.see_also,
            )
            for t in parsed.index_terms
        ],
        guidelines=[
            GuidelineSection(
                g.code_set,
                g.number,
                g.title + PAYLOAD,
                g.text + PAYLOAD,
                g.group,
                g.applies_to,
                "Official guidelines" + PAYLOAD,
            )
            for g in parsed.guidelines
        ],
        definitions=[
            PcsDefinition(
                d.section,
                d.position,
                d.axis_name,
                d.titles,
                d.definition + PAYLOAD,
                d.explanation + PAYLOAD,
                tuple(i + PAYLOAD for i in d.includes),
            )
            for d in parsed.definitions
        ],
        releases=[SourceRelease(r.code_set, r.release + PAYLOAD, r.effective) for r in parsed.releases],
    )


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CodeIndex]:
    parsed = _hostile(sample_parsed())
    assert any(isinstance(note, Note) for record in parsed.records for note in record.notes)
    folder = tmp_path_factory.mktemp("hostile") / "index"
    write_index(folder, parsed, make_manifest({"all": parsed}, [], 0.0), lambda line: None)
    index = CodeIndex(folder)
    yield index
    index.close()


@pytest.fixture
def view(qtbot: QtBot, qapp: QApplication, hostile_index: CodeIndex) -> DetailView:
    from desktop.theme import ThemeManager

    theme = ThemeManager(qapp, "light")
    widget = DetailView(lambda: theme.colours)
    qtbot.addWidget(widget)
    widget.set_index(hostile_index)
    return widget


def _shown(rich_text: str) -> str:
    """What a QTextBrowser shows for this rich text."""
    document = QTextDocument()
    document.setHtml(rich_text)
    return document.toPlainText()


def _label_shows(label: QLabel | None) -> str:
    """What a QLabel shows: its text as rich text, or literally, by its format (Qt's AutoText guesses)."""
    assert label is not None
    text = label.text()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text)
    )
    return _shown(text) if rich else text


def _assert_escaped(page: str, where: str) -> None:
    lowered = page.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<b>x</b>" not in lowered, where
    assert "javascript:" not in lowered, where


@pytest.mark.parametrize(("code_set", "code"), CODES)
def test_every_tab_shows_source_markup_literally(
    view: DetailView, hostile_index: CodeIndex, code_set: str, code: str
) -> None:
    detail = hostile_index.detail(code_set, code)
    assert detail is not None
    view.show_detail(detail, favourite=False)
    shown_anywhere = []
    for number, tab in enumerate(TABS):
        view.tabs.setCurrentIndex(number)
        page = view.html_for(tab)
        _assert_escaped(page, f"{code} {tab}")
        text = view.browsers[tab].toPlainText()
        assert "This tab could not be shown" not in text
        shown_anywhere.append(MARKUP in text)
    # The Descriptor tab shows the title (or the table's rows) with the markup as plain characters.
    assert shown_anywhere[0], f"{code}: {view.browsers['Descriptor'].toPlainText()[:300]}"


def test_notes_and_guidelines_show_markup_literally(view: DetailView, hostile_index: CodeIndex) -> None:
    detail = hostile_index.detail("ICD-10-CM", "E11.9")
    assert detail is not None
    view.show_detail(detail, favourite=False)
    view.tabs.setCurrentIndex(TABS.index("Guidelines"))
    text = view.browsers["Guidelines"].toPlainText()
    # An inherited E11 note and the chapter 4 guideline, markup and all, as the coder reads them.
    assert f"type 1 diabetes mellitus (E10.-){PAYLOAD}" in text
    assert f"The diabetes mellitus codes are combination codes.{PAYLOAD}" in text


def test_hcpcs_fields_and_processing_note_show_markup_literally(view: DetailView, hostile_index: CodeIndex) -> None:
    detail = hostile_index.detail("HCPCS", "J9035")
    assert detail is not None
    view.show_detail(detail, favourite=False)
    pages = "\n".join(_shown(view.html_for(tab)) for tab in TABS)
    assert f"D - Special coverage instructions apply{PAYLOAD}" in pages
    assert f"Synthetic processing note for testing.{PAYLOAD}" in pages


def test_title_label_shows_an_ampersand_literally(view: DetailView, hostile_index: CodeIndex) -> None:
    detail = hostile_index.detail("HCPCS", "J9035")
    assert detail is not None
    plain = replace(detail, record=replace(detail.record, title="Syringe & needle, sterile, 1 cc"))
    view.show_detail(plain, favourite=False)
    assert _label_shows(view.findChild(QLabel, "detail-title")) == "Syringe & needle, sterile, 1 cc"


@pytest.mark.parametrize(("code_set", "code"), CODES)
def test_title_label_shows_markup_literally(
    view: DetailView, hostile_index: CodeIndex, code_set: str, code: str
) -> None:
    detail = hostile_index.detail(code_set, code)
    assert detail is not None
    view.show_detail(detail, favourite=False)
    assert _label_shows(view.findChild(QLabel, "detail-title")) == detail.record.title


def test_about_box_escapes_the_manifest(hostile_index: CodeIndex) -> None:
    about = pytest.importorskip("desktop.about")
    manifest = replace(hostile_index.manifest)
    manifest.files = [{"name": "evil" + PAYLOAD + ".xml", "code_set": "HCPCS", "release": "x" + PAYLOAD}]
    page = about.about_html(manifest, "1.0" + PAYLOAD)
    _assert_escaped(page, "about")
    assert MARKUP in _shown(page)


def test_update_dialog_summary_escapes_file_names(tmp_path: Path) -> None:
    from desktop.dialogs.update_dialog import plan_html
    from index_build.update import PickedFile, UpdatePlan

    picked = PickedFile(tmp_path / "x.xml", "folder/<b>x</b><script>.xml", rejected="is empty")
    page = plan_html(UpdatePlan([picked], [], tmp_path, tmp_path, warnings=["warn" + PAYLOAD]))
    _assert_escaped(page, "update dialog")
    assert "folder/<b>x</b><script>.xml" in _shown(page) and MARKUP in _shown(page)
