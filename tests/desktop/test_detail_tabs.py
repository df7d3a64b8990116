"""Each tab's content for one code per code set, on the real small index."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QFont, QTextCursor, QTextDocument
from pytestqt.qtbot import QtBot

from desktop.colours import LIGHT
from desktop.core.index import ChildRef, CodeDetail, CodeIndex
from desktop.core.records import CodeRecord, CodeSet, Kind, Note, NoteKind
from desktop.detail.descriptor import descriptor_html
from desktop.detail.guidelines import guidelines_html
from desktop.detail.links import PICK_CLEAR, Link, code_url, parse_link, pick_url, tab_url, toggle_url
from desktop.detail.modifiers import build_seventh, modifiers_html
from desktop.detail.specificity import unspecified_hint
from desktop.detail.view import DetailView
from tests.desktop.tabs_index import build_tabs_index


@pytest.fixture(scope="module")
def index(small_index: Path) -> CodeIndex:
    return CodeIndex(small_index)


def detail(index: CodeIndex, code_set: CodeSet, code: str) -> CodeDetail:
    found = index.detail(code_set, code)
    assert found is not None, code
    return found


def modifiers(index: CodeIndex) -> list[CodeRecord]:
    return index.records_of_kind(CodeSet.HCPCS, Kind.MODIFIER)


def test_icd10cm_descriptor(index: CodeIndex) -> None:
    html = descriptor_html(index, detail(index, CodeSet.ICD10CM, "E11.9"), LIGHT)
    assert "Type 2 diabetes mellitus without complications" in html
    assert "Billable: can be reported on a claim" in html
    assert "FY2026 (April 1, 2026 update), effective 2026-04-01" in html
    # Breadcrumbs, root first, each a link.
    positions = [html.index(code_url(CodeSet.ICD10CM, code)) for code in ("4", "E08-E13", "E11")]
    assert positions == sorted(positions)
    attack = descriptor_html(index, detail(index, CodeSet.ICD10CM, "I21.9"), LIGHT)
    assert "Index entries that lead here" in attack and "Attack, heart" in attack
    header = descriptor_html(index, detail(index, CodeSet.ICD10CM, "S72.001"), LIGHT)
    assert "Header: not valid on a claim" in header
    assert code_url(CodeSet.ICD10CM, "S72.001D") in header  # children are links


def test_icd10cm_guidelines_inherit_and_say_where_from(index: CodeIndex) -> None:
    html = guidelines_html(index, detail(index, CodeSet.ICD10CM, "E11.9"), LIGHT)
    for text in (
        "Includes",
        "Excludes1",
        "Use additional code",
        "From category",
        "From chapter",
        "I.C.4.a Diabetes mellitus",
        "combination codes",
    ):
        assert text in html
    assert f'href="{code_url(CodeSet.ICD10CM, "E10")}">E10.-</a>' in html
    assert f'href="{code_url(CodeSet.ICD10CM, "P70-P74")}">P70-P74</a>' in html
    # Excludes1 comes after Includes and before Use additional code.
    assert html.index("Includes") < html.index("Excludes1") < html.index("Use additional code")


def test_icd10cm_seventh_characters(index: CodeIndex) -> None:
    html = modifiers_html(index, detail(index, CodeSet.ICD10CM, "S72.001A"), LIGHT, [])
    assert "Declared at category S72" in html
    assert "<b>S72.001A</b></span> (this code)" in html
    assert code_url(CodeSet.ICD10CM, "S72.001D") in html and "sequela" in html
    category = modifiers_html(index, detail(index, CodeSet.ICD10CM, "S72"), LIGHT, [])
    assert "Choose a code under S72 first" in category and code_url(CodeSet.ICD10CM, "S72.001A") not in category
    plain = modifiers_html(index, detail(index, CodeSet.ICD10CM, "E11.9"), LIGHT, [])
    assert "E11.9 takes no 7th character" in plain


def test_seventh_character_placeholder_rule() -> None:
    assert build_seventh("S72001", "A") == "S72.001A"
    assert build_seventh("T07", "A") == "T07.XXXA"
    assert build_seventh("T7120", "D") == "T71.20XD"


def test_icd10pcs_descriptor_shows_the_seven_characters(index: CodeIndex) -> None:
    html = descriptor_html(index, detail(index, CodeSet.ICD10PCS, "0DTJ4ZZ"), LIGHT)
    for text in (
        "Characters",
        "Gastrointestinal System",
        "Resection",
        "Cutting out or off",
        "Percutaneous Endoscopic",
        "Entry, by puncture",
        "Vermiform appendix",
        "Valid code",
    ):
        assert text in html
    assert html.index("Resection") < html.index("Appendix") < html.index("Percutaneous Endoscopic")


def test_icd10pcs_guidelines_by_axis(index: CodeIndex) -> None:
    html = guidelines_html(index, detail(index, CodeSet.ICD10PCS, "0DTJ4ZZ"), LIGHT)
    assert "B3.4a Resection" in html and "entire body part is cut out" in html


def test_hcpcs_tabs(index: CodeIndex) -> None:
    j9035 = detail(index, CodeSet.HCPCS, "J9035")
    html = descriptor_html(index, j9035, LIGHT)
    for text in (
        "Bevacizumab injection",
        "Administrative fields",
        "Special coverage instructions apply",
        "July 2026",
        "Avastin",
    ):
        assert text in html
    assert "Synthetic processing note for testing." in guidelines_html(index, j9035, LIGHT)
    mods = modifiers_html(index, j9035, LIGHT, modifiers(index))
    assert "Anatomic sites" in mods
    assert code_url(CodeSet.HCPCS, "LT") not in mods  # folded: anatomic does not fit a drug code
    opened = modifiers_html(index, j9035, LIGHT, modifiers(index), {"group:anatomic"})
    assert code_url(CodeSet.HCPCS, "LT") in opened and "Left side" in opened
    cane = modifiers_html(index, detail(index, CodeSet.HCPCS, "E0100"), LIGHT, modifiers(index))
    assert code_url(CodeSet.HCPCS, "LT") in cane  # anatomic fits DME and opens by itself


def test_hcpcs_terminated_is_plain(index: CodeIndex) -> None:
    html = descriptor_html(index, detail(index, CodeSet.HCPCS, "J0001"), LIGHT)
    assert "Terminated code (terminated 2020-12-31)" in html
    assert "Terminated: no longer valid for reporting" in html


def test_no_notes_says_so(index: CodeIndex) -> None:
    html = guidelines_html(index, detail(index, CodeSet.HCPCS, "E0100"), LIGHT)
    assert "No instructional notes, processing notes or guideline sections apply to <b>E0100</b>" in html


class _StubIndex:
    def releases(self) -> list[dict[str, str]]:
        return []

    def definition(self, *_args: object) -> None:
        return None

    def guidelines(self, *_args: object) -> list[object]:
        return []


def test_source_text_is_escaped() -> None:
    nasty = "<script>alert(1)</script> & <b>bold</b>"
    record = CodeRecord(
        CodeSet.ICD10CM,
        "Z99.9",
        nasty,
        Kind.CODE,
        billable=True,
        short_title=nasty,
        notes=(
            Note(NoteKind.EXCLUDES2, nasty, "Z99.9", Kind.CODE),
            Note(NoteKind.INCLUSION_TERM, nasty, "Z99.9", Kind.CODE),
        ),
    )
    shown = CodeDetail(record, (), (), ())
    for html in (
        descriptor_html(_StubIndex(), shown, LIGHT),  # type: ignore[arg-type]
        guidelines_html(_StubIndex(), shown, LIGHT),
    ):  # type: ignore[arg-type]
        assert "<script>" not in html and "<b>bold</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html


def test_links_stay_inside_the_app() -> None:
    assert parse_link(code_url(CodeSet.ICD10CM, "E11.9")) == Link(CodeSet.ICD10CM, "E11.9")
    # Qt lower-cases the host of a URL; the code set is still found.
    assert parse_link(QUrl(code_url(CodeSet.ICD10PCS, "0DTJ4ZZ")).toString()) == Link(CodeSet.ICD10PCS, "0DTJ4ZZ")
    assert parse_link(toggle_url("group:dme")) == Link(toggle="group:dme")
    assert parse_link(QUrl(pick_url(5, "0")).toString()) == Link(pick="5-0")
    assert parse_link(QUrl(tab_url("Modifiers")).toString()) == Link(tab="modifiers")
    assert parse_link("https://example.com/E11.9") is None
    assert parse_link("codeatlas://nowhere/E11") is None


def test_detail_view_renders_tabs_and_emits_links(qtbot: QtBot, index: CodeIndex) -> None:
    view = DetailView(lambda: LIGHT)
    qtbot.addWidget(view)
    view.set_index(index)
    view.show_detail(detail(index, CodeSet.ICD10CM, "E11.9"), favourite=False)
    assert "Type 2 diabetes mellitus without complications" in view.browsers["Descriptor"].toPlainText()
    view.tabs.setCurrentIndex(1)
    assert "Excludes1" in view.browsers["Guidelines"].toPlainText()
    with qtbot.waitSignal(view.code_requested) as blocker:
        view.browsers["Guidelines"].anchorClicked.emit(QUrl(code_url(CodeSet.ICD10CM, "E10")))
    assert blocker.args == ["ICD-10-CM", "E10"]
    with qtbot.assertNotEmitted(view.code_requested):
        view.browsers["Guidelines"].anchorClicked.emit(QUrl("https://example.com"))


def test_only_hcpcs_codes_read_the_modifier_list(qtbot: QtBot, index: CodeIndex) -> None:
    read: list[tuple[str, str]] = []

    class CountingIndex(CodeIndex):
        def records_of_kind(self, code_set: CodeSet | str, kind: Kind) -> list[CodeRecord]:
            read.append((str(code_set), str(kind)))
            return super().records_of_kind(code_set, kind)

    view = DetailView(lambda: LIGHT)
    qtbot.addWidget(view)
    counting = CountingIndex(index.folder)
    view.set_index(counting)
    view.show_detail(detail(counting, CodeSet.ICD10CM, "S72.001A"), favourite=False)
    view.tabs.setCurrentIndex(2)
    assert "7th character" in view.browsers["Modifiers"].toPlainText()
    assert read == []
    view.show_detail(detail(counting, CodeSet.HCPCS, "J9035"), favourite=False)
    assert "Anatomic" in view.browsers["Modifiers"].toPlainText()
    assert ("HCPCS", "modifier") in read


def test_detail_view_folds_and_unfolds_groups(qtbot: QtBot, index: CodeIndex) -> None:
    view = DetailView(lambda: LIGHT)
    qtbot.addWidget(view)
    view.set_index(index)
    view.show_detail(detail(index, CodeSet.HCPCS, "J9035"), favourite=True)
    view.tabs.setCurrentIndex(2)
    browser = view.browsers["Modifiers"]
    assert "Left side" not in browser.toPlainText()
    browser.anchorClicked.emit(QUrl(toggle_url("group:anatomic")))
    assert "Left side" in browser.toPlainText()
    browser.anchorClicked.emit(QUrl(toggle_url("group:anatomic")))
    assert "Left side" not in browser.toPlainText()
    assert browser.openLinks() is False and browser.openExternalLinks() is False


# -- on the official-format excerpts of fixtures/tabs (E11, J18, S72 of the CDC tabular, table 0DT, HCPCS) --


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> CodeIndex:
    return CodeIndex(build_tabs_index(tmp_path_factory.mktemp("tabs") / "index"))


def test_seventh_characters_name_the_declaring_category(real: CodeIndex) -> None:
    for code in ("S72.001", "S72.001A", "S72.009B"):
        html = modifiers_html(real, detail(real, CodeSet.ICD10CM, code), LIGHT, [])
        assert "Declared at category S72." in html, code
        assert "this code." not in html and "subcategory S72.001" not in html


def test_seventh_character_value_keeps_its_definition_text(real: CodeIndex) -> None:
    html = modifiers_html(real, detail(real, CodeSet.ICD10CM, "S72.001A"), LIGHT, [])
    row_b = html[html.index("<b>B</b>") : html.index("<b>C</b>")]
    assert "initial encounter for open fracture type I or II" in row_b
    assert "initial encounter for open fracture NOS" in row_b
    assert code_url(CodeSet.ICD10CM, "S72.001B") in row_b


def test_a_list_heading_keeps_its_items(real: CodeIndex) -> None:
    html = guidelines_html(real, detail(real, CodeSet.ICD10CM, "E11.9"), LIGHT)
    heading = "<li>code to identify control using:<ul>"
    assert heading in html
    items = html[html.index(heading) : html.index("</ul></li>", html.index(heading))]
    for item in ("injectable non-insulin antidiabetic drugs", "insulin", "oral antidiabetic drugs"):
        assert item in items
    assert "<li>code to identify control using:</li>" not in html
    # A 7th-character heading's list is the sevenChrDef: it points at the tab that shows it.
    retinopathy = guidelines_html(real, detail(real, CodeSet.ICD10CM, "E11.3211"), LIGHT)
    heading = "to designate laterality of the disease:"
    assert f'{heading} <a href="{tab_url("Modifiers")}">see the 7th characters</a></li>' in retinopathy
    seventh = modifiers_html(real, detail(real, CodeSet.ICD10CM, "E11.3211"), LIGHT, [])
    assert "Declared at subcategory E11.32." in seventh and code_url(CodeSet.ICD10CM, "E11.3212") in seventh


def test_notes_of_the_code_come_before_inherited_chapter_lists(real: CodeIndex) -> None:
    html = guidelines_html(real, detail(real, CodeSet.ICD10CM, "E11.22"), LIGHT)
    own = html.index("stage of chronic kidney disease")
    assert own < html.index("type 1 diabetes mellitus") < html.index("transitory endocrine and metabolic")
    assert html.index("Declared at E11.22 (this code)") < own < html.index("From category")
    assert html.index("From category") < html.index("From chapter")
    pneumonia = guidelines_html(real, detail(real, CodeSet.ICD10CM, "J18.9"), LIGHT)
    assert pneumonia.index("congenital pneumonia") < pneumonia.index("neoplasms (C00-D49)")


def test_unspecified_codes_say_what_to_document(real: CodeIndex) -> None:
    fracture = descriptor_html(real, detail(real, CodeSet.ICD10CM, "S72.009A"), LIGHT)
    assert "<b>Unspecified:</b> document laterality (right / left) if known." in fracture
    assert code_url(CodeSet.ICD10CM, "S72.001A") in fracture and code_url(CodeSet.ICD10CM, "S72.002A") in fracture
    pneumonia = descriptor_html(real, detail(real, CodeSet.ICD10CM, "J18.9"), LIGHT)
    assert "<b>Unspecified:</b> document type if known." in pneumonia
    assert code_url(CodeSet.ICD10CM, "J18.0") in pneumonia and code_url(CodeSet.ICD10CM, "J18.8") not in pneumonia
    eye = descriptor_html(real, detail(real, CodeSet.ICD10CM, "E11.3219"), LIGHT)  # the 7th character is unspecified
    assert "<b>Unspecified:</b> document laterality (right / left) if known." in eye
    assert all(code_url(CodeSet.ICD10CM, f"E11.321{c}") in eye for c in "123")
    for code in ("S72.001A", "E11.9", "J18.0", "E11.3211"):  # specific, or nothing more specific beside it
        assert "Unspecified:" not in descriptor_html(real, detail(real, CodeSet.ICD10CM, code), LIGHT), code


def test_pcs_builder_shows_the_whole_table_from_the_code(real: CodeIndex) -> None:
    html = modifiers_html(real, detail(real, CodeSet.ICD10PCS, "0DTJ4ZZ"), LIGHT, [])
    assert "Code builder: table" in html and "starting from the values of 0DTJ4ZZ" in html
    assert 'Complete code: <b><span style="white-space:nowrap">0DTJ4ZZ</span></b> (this code)' in html
    # Open (0) sits in another row of 0DT than 0DTJ4ZZ; the six body parts fold to the picked one.
    assert pick_url(5, "0") in html and pick_url(7, "G") in html and pick_url(4, "6") not in html
    assert toggle_url("builder:4") in html and "the 5 other values" in html
    unfolded = modifiers_html(real, detail(real, CodeSet.ICD10PCS, "0DTJ4ZZ"), LIGHT, [], {"builder:4"})
    for value in "6FJPRU":  # every row's body parts
        assert pick_url(4, value) in unfolded
    opened = modifiers_html(real, detail(real, CodeSet.ICD10PCS, "0DTJ4ZZ"), LIGHT, [], picks={4: "J", 5: "0"})
    assert "Complete code" in opened and code_url(CodeSet.ICD10PCS, "0DTJ0ZZ") in opened
    assert "Resection of Appendix, Open Approach" in opened
    assert pick_url(7, "G") not in opened and "Hand-Assisted: not with Approach 0 Open" in opened
    table = modifiers_html(real, detail(real, CodeSet.ICD10PCS, "0DT"), LIGHT, [])
    assert "from the whole table" in table and "22 valid codes fit these picks" in table
    body_part = modifiers_html(real, detail(real, CodeSet.ICD10PCS, "0DTJ"), LIGHT, [])
    assert "starting from body part J" in body_part and "5 valid codes fit" in body_part
    assert pick_url(5, "0") in body_part and "the 5 other values" in body_part


def test_pcs_builder_picks_narrow_and_the_complete_code_opens(qtbot: QtBot, real: CodeIndex) -> None:
    view = DetailView(lambda: LIGHT)
    qtbot.addWidget(view)
    view.set_index(real)
    view.show_detail(detail(real, CodeSet.ICD10PCS, "0DT"), favourite=False)
    assert view.tabs.tabText(2) == "Code builder"
    view.browsers["Descriptor"].anchorClicked.emit(QUrl(tab_url("Modifiers")))
    assert view.current_tab() == "Modifiers"
    browser = view.browsers["Modifiers"]
    assert "Stomach" in browser.toPlainText()
    with qtbot.assertNotEmitted(view.code_requested):
        browser.anchorClicked.emit(QUrl(pick_url(4, "U")))
    assert "Via Natural or Artificial Opening: not with Body Part U Omentum" in browser.toPlainText()
    with qtbot.assertNotEmitted(view.code_requested):
        browser.anchorClicked.emit(QUrl(pick_url(4, "J")))
    assert "not with Body Part" not in browser.toPlainText()
    with qtbot.waitSignal(view.code_requested) as blocker:
        browser.anchorClicked.emit(QUrl(pick_url(5, "0")))  # device and qualifier have one value left
    assert blocker.args == ["ICD-10-PCS", "0DTJ0ZZ"]
    browser.anchorClicked.emit(QUrl(pick_url(PICK_CLEAR)))
    assert "22 valid codes fit" in browser.toPlainText()
    view.show_detail(detail(real, CodeSet.ICD10CM, "E11.9"), favourite=False)
    assert view.tabs.tabText(2) == "Modifiers"


def test_drug_modifiers_only_of_the_drugs_kind(real: CodeIndex) -> None:
    mods = modifiers(real)
    chemo = modifiers_html(real, detail(real, CodeSet.HCPCS, "J9035"), LIGHT, mods)
    for code in ("JW", "JZ", "JG", "TB", "JA"):
        assert code_url(CodeSet.HCPCS, code) in chemo, code
    opened, others = chemo.split("Other modifiers", 1)
    for code in ("EA", "EB", "EC", "JC", "JD"):
        assert code_url(CodeSet.HCPCS, code) not in chemo, code  # ESA and skin groups stay folded below
    assert "Erythropoiesis-stimulating agents" in others and "Erythropoiesis-stimulating agents" not in opened
    assert "JW on a line for the amount discarded, JZ when none was discarded." in opened
    assert "Only with ESA codes" in others  # a folded group still says when it applies
    esa = modifiers_html(real, detail(real, CodeSet.HCPCS, "J0885"), LIGHT, mods)
    assert esa.index(code_url(CodeSet.HCPCS, "EA")) < esa.index(code_url(CodeSet.HCPCS, "JW"))
    skin = modifiers_html(real, detail(real, CodeSet.HCPCS, "Q4101"), LIGHT, mods)
    assert code_url(CodeSet.HCPCS, "JC") in skin and code_url(CodeSet.HCPCS, "EA") not in skin


def one_word_cells_that_wrap(html: str, scale: float, width: int = 520) -> list[str]:
    """The one-word table cells ('S72.001A', 'billable', 'Character') laid out on more than one line."""
    document = QTextDocument()
    font = QFont(document.defaultFont())
    font.setPointSizeF(font.pointSizeF() * scale)  # QT_SCALE_FACTOR grows text against the pane alike
    document.setDefaultFont(font)
    document.setHtml(html)
    document.setTextWidth(width)
    document.size()  # lays the document out
    broken = []
    block = document.begin()
    while block.isValid():
        text = block.text().strip()
        in_table = QTextCursor(block).currentTable() is not None
        if in_table and text and " " not in text and block.layout().lineCount() > 1:
            broken.append(text)
        block = block.next()
    return broken


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
def test_codes_never_break_inside_table_cells(qapp: object, real: CodeIndex, scale: float) -> None:
    pages = [
        modifiers_html(real, detail(real, CodeSet.ICD10CM, "S72.001A"), LIGHT, []),
        descriptor_html(real, detail(real, CodeSet.ICD10CM, "S72.001"), LIGHT),
        descriptor_html(real, detail(real, CodeSet.ICD10CM, "J18"), LIGHT),
        modifiers_html(real, detail(real, CodeSet.HCPCS, "J9035"), LIGHT, modifiers(real), {"group:anatomic"}),
        modifiers_html(real, detail(real, CodeSet.ICD10PCS, "0DTJ4ZZ"), LIGHT, []),
    ]
    for html in pages:
        assert one_word_cells_that_wrap(html, scale) == []


def test_unspecified_hint_names_what_the_siblings_add() -> None:
    def siblings(*rows: tuple[str, str]) -> list[ChildRef]:
        return [ChildRef(code, title, Kind.CODE, True) for code, title in rows]

    def record(code: str, title: str) -> CodeRecord:
        return CodeRecord(CodeSet.ICD10CM, code, title, Kind.CODE, billable=True)

    # Titles as the tabular gives them (subcategories S72.42, N18, H46.1).
    condyle = siblings(
        ("S72.421", "Displaced fracture of lateral condyle of right femur"),
        ("S72.422", "Displaced fracture of lateral condyle of left femur"),
        ("S72.423", "Displaced fracture of lateral condyle of unspecified femur"),
        ("S72.424", "Nondisplaced fracture of lateral condyle of right femur"),
        ("S72.425", "Nondisplaced fracture of lateral condyle of left femur"),
    )
    hint = unspecified_hint(record("S72.426", "Nondisplaced fracture of lateral condyle of unspecified femur"), condyle)
    assert hint is not None and hint.document == "laterality (right / left)"
    assert hint.codes == ("S72.424", "S72.425")  # not the displaced ones
    kidney = siblings(("N18.1", "Chronic kidney disease, stage 1"), ("N18.2", "Chronic kidney disease, stage 2 (mild)"))
    hint = unspecified_hint(record("N18.9", "Chronic kidney disease, unspecified"), kidney)
    assert hint is not None and hint.document == "stage" and hint.codes == ("N18.1", "N18.2")
    eye = siblings(
        ("H46.11", "Retrobulbar neuritis, right eye"),
        ("H46.12", "Retrobulbar neuritis, left eye"),
        ("H46.13", "Retrobulbar neuritis, bilateral"),
    )
    hint = unspecified_hint(record("H46.10", "Retrobulbar neuritis, unspecified eye"), eye)
    assert hint is not None and hint.codes == ("H46.11", "H46.12", "H46.13")
    stages = siblings(("H40.1111", "mild stage"), ("H40.1112", "moderate stage"), ("H40.1114", "indeterminate stage"))
    hint = unspecified_hint(record("H40.1110", "stage unspecified"), stages)  # H40.111's 7th characters
    assert hint is not None and hint.document == "stage"
    wound = siblings(("S11.11", "Laceration without foreign body of thyroid gland"))
    hint = unspecified_hint(record("S11.10", "Unspecified open wound of thyroid gland"), wound)
    assert hint is not None and hint.document == "type"  # not "open"
