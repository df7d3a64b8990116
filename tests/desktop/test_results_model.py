"""The results model passes Qt's model checks, exposes named roles, and the delegate scales with fonts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QListView, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from desktop.core.records import CodeSet, Kind
from desktop.search.results_delegate import ResultDelegate, runs
from desktop.search.results_model import ResultsModel, Role, matched_label, status_label
from desktop.theme import LIGHT
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


def test_model_passes_qtmodeltester(qtmodeltester) -> None:
    model = ResultsModel()
    model.set_hits(HITS)
    qtmodeltester.check(model)
    model.set_hits(())
    qtmodeltester.check(model)


def test_roles_carry_the_hit_fields() -> None:
    model = ResultsModel()
    model.set_hits(HITS)
    index = model.index(0, 0)
    assert model.rowCount() == len(HITS)
    assert index.data(Role.CODE) == "I21.9"
    assert index.data(Role.CODE_SET) == "ICD-10-CM"
    assert index.data(Role.MATCHED_FIELD) == "index"
    assert index.data(Role.HIGHLIGHTS) == [[0, 6], [8, 13]]
    assert index.data(Role.HIT) is HITS[0]
    assert index.data(Qt.ItemDataRole.DisplayRole) == "I21.9 Acute myocardial infarction, unspecified"
    assert "matched: index term 'Attack, heart'" in index.data(Qt.ItemDataRole.ToolTipRole)
    names = {bytes(name.data()).decode() for name in model.roleNames().values()}
    assert {"code", "code_set", "title", "billable", "matched_text", "highlights", "hit"} <= names
    assert model.hit(99) is None


def test_labels_a_coder_reads() -> None:
    assert matched_label(HITS[0]) == "matched: index term 'Attack, heart'"
    assert matched_label(HITS[1]) == ""
    assert [status_label(h) for h in HITS] == ["Billable", "Billable", "Header, not billable", "Terminated", "Modifier"]


def test_runs_split_highlights() -> None:
    assert runs("Attack, heart", [(0, 6), (8, 13)]) == [("Attack", True), (", ", False), ("heart", True)]
    assert runs("abc", [(2, 99), (-5, 1)]) == [("a", True), ("b", False), ("c", True)]
    assert runs("abc", []) == [("abc", False)]


def test_long_titles_keep_their_end(qtbot: QtBot) -> None:
    """Sibling codes differ at the end of the title, so the middle is cut, and highlights follow."""
    from PySide6.QtGui import QFontMetrics

    from desktop.search.results_delegate import elide_middle

    title = "Fracture of unspecified part of neck of right femur, subsequent encounter for open fracture"
    metrics = QFontMetrics(QFont())
    width = metrics.horizontalAdvance(title) // 2
    end = title.rindex("fracture")
    shown, spans = elide_middle(title, [(0, 8), (end, end + 8)], metrics, width)
    assert shown.startswith("Fracture") and shown.endswith("open fracture") and "\u2026" in shown
    assert [shown[a:b] for a, b in spans] == ["Fracture", "fracture"]
    assert elide_middle("Gout", [(0, 4)], metrics, 500) == ("Gout", [(0, 4)])


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
