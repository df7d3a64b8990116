"""The results model passes Qt's model checks, exposes named roles, and the delegate scales with fonts."""

from __future__ import annotations

from PySide6.QtCore import QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QListView, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from desktop.colours import LIGHT
from desktop.core.records import CodeSet, Hit, Kind
from desktop.search.result_rows import RowKind, build_rows
from desktop.search.results_delegate import ResultDelegate, runs
from desktop.search.results_model import ResultsModel, Role, family_label, matched_label, status_label
from tests.desktop.fakes import make_hit

HITS = (
    make_hit(
        "I21.9",
        "Acute myocardial infarction, unspecified",
        matched_field="index",
        matched_text="Attack, heart",
        highlights=((0, 6), (8, 13)),
    ),
    make_hit("E11.9", "Type 2 diabetes mellitus without complications", highlights=((7, 15),)),
    make_hit("E11", "Type 2 diabetes mellitus", kind=Kind.CATEGORY, billable=False),
    make_hit("J0001", "Synthetic terminated injection code", code_set=CodeSet.HCPCS, terminated=True),
    make_hit("LT", "Left side", code_set=CodeSet.HCPCS, kind=Kind.MODIFIER, billable=False),
)


def femur_family(parent: str = "S72.002", count: int = 16) -> tuple[Hit, ...]:
    """count children of parent, as the engine returns a 7th-character family (parent not found)."""
    meanings = [f"encounter kind {n}" for n in range(count)]
    return tuple(
        make_hit(
            f"{parent}{chr(ord('A') + n)}",
            f"Fracture of unspecified part of neck of left femur, {meanings[n]}",
            parent=parent,
        )
        for n in range(count)
    )


HEART_ATTACK = (
    make_hit("I21.9", "Acute myocardial infarction, unspecified"),
    make_hit("I21.A1", "Myocardial infarction type 2"),
    make_hit("C9606", "Percutaneous transluminal revascularization", code_set=CodeSet.HCPCS),
    make_hit("I25.2", "Old myocardial infarction"),  # an engine that did not keep code sets together
    make_hit("G9753", "Synthetic quality measure code", code_set=CodeSet.HCPCS),
)


def codes(model: ResultsModel) -> list[str]:
    """What each row reads as, compactly: '#ICD-10-CM diagnoses · 2', '+S72.002', '-S72.002', ' S72.002A'."""
    out = []
    for row in model.rows():
        if row.kind == RowKind.GROUP:
            out.append("#" + row.label)
        elif row.kind == RowKind.FAMILY:
            out.append(("-" if row.expanded else "+") + row.code)
        elif row.kind == RowKind.MORE:
            out.append("more")
        else:
            out.append(" " * row.depth + row.code)
    return out


def test_model_passes_qtmodeltester(qtmodeltester) -> None:
    """Every change the list makes (reset, folding, more rows, the "more" row) passes Qt's checks."""
    model = ResultsModel()
    model.set_hits(HITS)
    qtmodeltester.check(model)  # the tester stays attached and checks every change that follows
    family = femur_family()
    model.set_hits((make_hit("S72.001A", "Other"), *family[:8]), more="Show 50 more")
    assert model.set_expanded(1, True)
    model.set_hits((make_hit("S72.001A", "Other"), *family), more="Show 50 more", keep=True)
    assert model.set_expanded(1, False)
    model.set_more("")
    model.set_hits(HEART_ATTACK, keep=True)
    model.set_hits(())
    qtmodeltester.check(model)


def test_roles_carry_the_hit_fields() -> None:
    model = ResultsModel()
    model.set_hits(HITS)
    assert codes(model) == [
        "#ICD-10-CM diagnoses \u00b7 3",
        "I21.9",
        "E11.9",
        "E11",
        "#HCPCS Level II \u00b7 2",
        "J0001",
        "LT",
    ]
    index = model.index(1, 0)
    assert index.data(Role.CODE) == "I21.9"
    assert index.data(Role.CODE_SET) == "ICD-10-CM"
    assert index.data(Role.MATCHED_FIELD) == "index"
    assert index.data(Role.HIGHLIGHTS) == [[0, 6], [8, 13]]
    assert index.data(Role.HIT) is HITS[0]
    assert index.data(Role.ROW_KIND) == "hit"
    assert index.data(Qt.ItemDataRole.DisplayRole) == "I21.9 Acute myocardial infarction, unspecified"
    assert "matched: index term 'Attack, heart'" in index.data(Qt.ItemDataRole.ToolTipRole)
    names = {bytes(name.data()).decode() for name in model.roleNames().values()}
    assert {"code", "code_set", "title", "billable", "matched_text", "highlights", "hit", "row_kind", "depth"} <= names
    assert model.hit(99) is None and model.place(0) is None and model.place(1) == ("ICD-10-CM", "I21.9")


def test_a_seventh_character_family_folds_into_one_row_with_its_count() -> None:
    """16 children of S72.002 used to fill the list; now one row says what they are and how many."""
    model = ResultsModel()
    model.set_hits((make_hit("S72.001A", "Fracture of unspecified part of neck of right femur"), *femur_family()))
    assert codes(model) == [" S72.001A"[1:], "+S72.002"]
    family = model.index(1, 0)
    assert family.data(Role.ROW_KIND) == "family" and family.data(Role.COUNT) == 16
    assert family_label(model.row(1)) == "S72.002 \u00b7 16 codes"  # type: ignore[arg-type]
    # Only the children were found: the family reads as their shared title, the parent's.
    assert family.data(Role.TITLE) == "Fracture of unspecified part of neck of left femur"
    assert "16 codes, collapsed" in family.data(Qt.ItemDataRole.DisplayRole)
    assert "Right or Enter shows them" in family.data(Qt.ItemDataRole.ToolTipRole)
    assert model.place(1) == ("ICD-10-CM", "S72.002")  # highlighting the family shows the parent's detail


def test_a_family_opens_and_closes_inserting_and_removing_only_its_children(qtbot: QtBot) -> None:
    model = ResultsModel()
    family = femur_family(count=3)
    parent = make_hit("S72.002", "Fracture of unspecified part of neck of left femur", kind=Kind.SUBCATEGORY)
    model.set_hits((make_hit("S72.001A", "Right"), parent, *family, make_hit("S72.009A", "Unspecified femur")))
    assert codes(model) == ["S72.001A", "+S72.002", "S72.009A"]
    assert model.hit(1) is parent  # the parent was found itself: the family row is its row
    last = QPersistentModelIndex(model.index(2, 0))
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        assert model.set_expanded(1, True)
    assert inserted.args[1:] == [2, 4]
    assert codes(model) == ["S72.001A", "-S72.002", " S72.002A", " S72.002B", " S72.002C", "S72.009A"]
    assert last.row() == 5 and model.index(2, 0).data(Role.DEPTH) == 1
    assert model.family_row(3) == 1 and model.family_row(1) == -1
    assert not model.set_expanded(1, True)  # already open
    with qtbot.waitSignal(model.rowsRemoved) as removed:
        assert model.toggle(1)
    assert removed.args[1:] == [2, 4]
    assert codes(model) == ["S72.001A", "+S72.002", "S72.009A"] and last.row() == 2
    assert not model.set_expanded(0, True)  # not a family


def test_the_top_hit_is_never_folded_away() -> None:
    """Typing S72.002A exactly puts it first: its family starts open so the code is on screen."""
    model = ResultsModel()
    model.set_hits(femur_family(count=4))
    assert codes(model) == ["-S72.002", " S72.002A", " S72.002B", " S72.002C", " S72.002D"]


def test_only_seventh_character_families_fold() -> None:
    """The engine names every hit's parent; E11.9 under E11 or a PCS code under its body part stay rows."""
    hits = (
        make_hit("E11.9", "Type 2 without complications", parent="E11"),
        make_hit("E11.65", "Type 2 with hyperglycemia", parent="E11"),
        make_hit("0FT44ZZ", "Resection", code_set=CodeSet.ICD10PCS, parent="0FT4"),
        make_hit("0FT40ZZ", "Resection, open", code_set=CodeSet.ICD10PCS, parent="0FT4"),
        *femur_family("S72.002", 2),
        make_hit("S72.009A", "A lone child", parent="S72.009"),  # one child: nothing to fold
    )
    rows = build_rows(hits, set())
    assert [(r.kind.value, r.code, r.count) for r in rows if r.kind != RowKind.GROUP] == [
        ("hit", "E11.9", 0),
        ("hit", "E11.65", 0),
        ("family", "S72.002", 2),
        ("hit", "S72.009A", 0),
        ("hit", "0FT44ZZ", 0),
        ("hit", "0FT40ZZ", 0),
    ]


def test_code_sets_are_grouped_under_headers_in_the_order_the_engine_ranked_them() -> None:
    model = ResultsModel()
    model.set_hits(HEART_ATTACK)
    assert codes(model) == [
        "#ICD-10-CM diagnoses \u00b7 3",
        "I21.9",
        "I21.A1",
        "I25.2",
        "#HCPCS Level II \u00b7 2",
        "C9606",
        "G9753",
    ]
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsSelectable  # the keyboard passes over it
    assert model.index(4, 0).data(Qt.ItemDataRole.DisplayRole) == "HCPCS Level II \u00b7 2"
    single = ResultsModel()
    single.set_hits(HEART_ATTACK[:2])
    assert codes(single) == ["I21.9", "I21.A1"]  # one code set: no header needed


def test_retired_icd9_codes_are_grouped_under_a_header_that_says_they_are_retired() -> None:
    model = ResultsModel()
    model.set_hits(
        (
            make_hit("E11.9", "Type 2 diabetes mellitus without complications"),
            make_hit("250.00", "Diabetes mellitus without mention of complication", code_set=CodeSet.ICD9CM),
        )
    )
    assert codes(model) == ["#ICD-10-CM diagnoses \u00b7 1", "E11.9", "#ICD-9-CM (retired) \u00b7 1", "250.00"]


def test_more_rows_keep_the_rows_already_shown(qtbot: QtBot) -> None:
    model = ResultsModel()
    first = tuple(make_hit(f"A{n:02d}", f"Row {n}") for n in range(5))
    model.set_hits(first, more="Show 5 more")
    assert codes(model)[-1] == "more"
    current = QPersistentModelIndex(model.index(3, 0))
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.set_hits((*first, *(make_hit(f"B{n:02d}", f"Row {n}") for n in range(5))), more="", keep=True)
    assert resets == [] and inserted.args[1:] == [5, 9]
    assert current.row() == 3 and current.data(Role.CODE) == "A03"
    assert codes(model)[-1] == "B04"


def test_find_reveals_a_folded_child() -> None:
    model = ResultsModel()
    model.set_hits((make_hit("S72.001A", "Right"), *femur_family(count=3)))
    assert model.find("ICD-10-CM", "S72.002B") == -1
    assert model.find("ICD-10-CM", "S72.002B", reveal=True) == 3
    assert codes(model)[1] == "-S72.002"
    assert model.find("HCPCS", "S72.002B", reveal=True) == -1


def test_labels_a_coder_reads() -> None:
    assert matched_label(HITS[0]) == "matched: index term 'Attack, heart'"
    assert matched_label(HITS[1]) == ""
    assert [status_label(h) for h in HITS] == ["Billable", "Billable", "Header, not billable", "Terminated", "Modifier"]


def test_runs_split_highlights() -> None:
    assert runs("Attack, heart", [(0, 6), (8, 13)]) == [("Attack", True), (", ", False), ("heart", True)]
    assert runs("abc", [(2, 99), (-5, 1)]) == [("a", True), ("b", False), ("c", True)]
    assert runs("abc", []) == [("abc", False)]


def test_long_titles_wrap_to_two_lines_and_are_cut_only_at_their_end(qtbot: QtBot) -> None:
    """0FT44ZZ and 0FT44ZG differ in the middle ("Hand-Assisted"): cutting the middle made them look identical."""
    from PySide6.QtGui import QFontMetrics

    from desktop.search.results_delegate import line_breaks, shifted

    metrics = QFontMetrics(QFont())
    bold_font = QFont()
    bold_font.setBold(True)
    bold = QFontMetrics(bold_font)
    zg = "Resection of Gallbladder, Hand-Assisted, Percutaneous Endoscopic Approach"
    zz = "Resection of Gallbladder, Percutaneous Endoscopic Approach"
    width = int(metrics.horizontalAdvance(zg) * 0.6)
    lines = line_breaks(zg, [], metrics, bold, width)
    assert len(lines) == 2 and " ".join(zg[a:b] for a, b in lines) == zg  # all of it, on two lines
    assert metrics.horizontalAdvance(zg[lines[0][0] : lines[0][1]]) <= width
    assert zg[lines[0][0] : lines[0][1]] != zz[slice(*line_breaks(zz, [], metrics, bold, width)[0])]
    assert line_breaks(zz, [], metrics, bold, metrics.horizontalAdvance(zz) + 1) == [(0, len(zz))]  # fits: one line
    # Too narrow for the whole title: the first line is whole words, the rest is cut at its end when drawn.
    narrow = line_breaks(zg, [], metrics, bold, width // 3)
    assert len(narrow) == 2 and zg[slice(*narrow[0])] == "Resection of" and narrow[1][1] == len(zg)
    # Highlighted words are measured bold and their spans follow onto the second line.
    start = zg.index("Percutaneous")
    spans = [(start, start + len("Percutaneous"))]
    second = line_breaks(zg, spans, metrics, bold, width)[1]
    assert [zg[second[0] :][a:b] for a, b in shifted(spans, *second)] == ["Percutaneous"]


def test_a_long_title_takes_a_second_line_a_short_one_does_not(qtbot: QtBot) -> None:
    model = ResultsModel()
    model.set_hits(
        (
            make_hit("0FT44ZG", "Resection of Gallbladder, Hand-Assisted, Percutaneous Endoscopic Approach"),
            make_hit("0FT44ZZ", "Resection of Gallbladder"),
        )
    )
    view = QListView()
    qtbot.addWidget(view)
    view.setModel(model)
    delegate = ResultDelegate(lambda: LIGHT, view)
    view.setItemDelegate(delegate)
    view.resize(view.fontMetrics().averageCharWidth() * 50, 400)
    view.show()
    qtbot.waitExposed(view)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.widget = view  # type: ignore[assignment]
    long_row, short_row = (delegate.sizeHint(option, model.index(n, 0)).height() for n in (0, 1))
    assert long_row - short_row == view.fontMetrics().height()
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole).splitlines()[1] == model.hits()[0].title


def test_rows_grow_with_the_font(qtbot: QtBot) -> None:
    """At 200% scaling the font doubles; the row height must follow (no fixed pixel sizes)."""
    delegate = ResultDelegate(lambda: LIGHT)
    option = QStyleOptionViewItem()
    small, large = QFont(option.font), QFont(option.font)
    small.setPointSizeF(9)
    large.setPointSizeF(18)
    option.font = small
    height_small = delegate.sizeHint(option, ResultsModel().index(0, 0)).height()
    option.font = large
    height_large = delegate.sizeHint(option, ResultsModel().index(0, 0)).height()
    assert height_large > height_small * 1.6


def test_delegate_paints_every_kind_of_row(qtbot: QtBot) -> None:
    model = ResultsModel()
    model.set_hits(HITS)
    view = QListView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setItemDelegate(ResultDelegate(lambda: LIGHT, view))
    view.resize(500, 400)
    view.setCurrentIndex(model.index(0, 0))
    image = view.grab().toImage()
    assert not image.isNull()
    # The highlight colour of matched words appears in the painted rows.
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 2) for y in range(0, 120, 2)}
    assert LIGHT.highlight_bg in colours
