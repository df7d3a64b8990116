"""The code a coder takes under a heading when nothing more was said: found by reading only the codes that can win."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.records import CodeRecord, CodeSet, Kind, SearchFilters
from desktop.core.search.candidates import WhooshCandidates
from desktop.core.search.documents import DocCache
from desktop.core.search.engine import SearchEngine
from desktop.core.search.ranking import meaningful_stems, pick_default
from tests.core.search_fixture import ready_engine, write_records

PCS = CodeSet.ICD10PCS
LONG = ("Diagnostic", "Left Lower Extremity Ventral", "Autologous Tissue Substitute", "Other Qualifier")


def _records() -> list[CodeRecord]:
    """A PCS body part with 40 long-titled codes before the one a coder takes (its open approach)."""
    rows = [CodeRecord(PCS, "0XT", "Resection", Kind.PCS_TABLE, order=0)]
    rows.append(CodeRecord(PCS, "0XTQ", "Resection of Appendix", Kind.PCS_BODY_PART, parent="0XT", order=1))
    for n in range(40):
        words = ", ".join(LONG[: 1 + n % len(LONG)])
        title = f"Resection of Appendix, Percutaneous Endoscopic Approach, {words} {n}"
        code = f"0XTQ4{n:02d}"[:7]
        rows.append(CodeRecord(PCS, code, title, Kind.CODE, parent="0XTQ", billable=True, order=2 + n))
    rows.append(CodeRecord(PCS, "0XTQ0ZZ", "Resection of Appendix, Open Approach", Kind.CODE, "0XTQ", True, order=90))
    rows.append(  # terminated: never the default, however short its title
        CodeRecord(PCS, "0XTQ0ZX", "Resection of Appendix", Kind.CODE, "0XTQ", True, terminated=True, order=91)
    )
    return rows


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    folder = write_records(tmp_path_factory.mktemp("defaults") / "index", _records())
    with ready_engine(folder) as found:
        yield found


def test_the_default_is_pick_default_over_every_child_while_few_are_read(
    engine: SearchEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    heading = next(hit for hit in engine.search("0XTQ").hits if hit.code == "0XTQ")
    docs: DocCache = engine._docs
    number = docs.numbers_for_id(heading.doc_id)
    assert number is not None
    children = [docs.get(n) for n in docs.children("0XTQ")]
    current = [c for c in children if not c.terminated]
    expected = current[pick_default(meaningful_stems(heading.title), [(c.title, c.order) for c in current])]
    assert expected.code == "0XTQ0ZZ"

    read: list[int] = []
    original = DocCache.get
    monkeypatch.setattr(DocCache, "get", lambda self, n: (read.append(n), original(self, n))[1])
    headings = engine._words._headings
    found = headings._find_default(engine._candidates, heading, SearchFilters())
    assert found is not None and found.code == "0XTQ0ZZ"
    assert len(read) < len(children) / 2  # the long titles could not win: most were never read

    read.clear()  # without the search cache's title lengths every child is read, with the same answer
    whoosh = WhooshCandidates(engine._searcher, docs)
    again = headings._find_default(whoosh, heading, SearchFilters())
    assert again is not None and again.code == "0XTQ0ZZ" and len(read) >= len(children)


def test_a_body_part_search_shows_its_open_approach_after_it(engine: SearchEngine) -> None:
    codes = [hit.code for hit in engine.search("resection of appendix").hits]
    assert "0XTQ" in codes and codes.index("0XTQ0ZZ") == codes.index("0XTQ") + 1
    assert "0XTQ0ZX" not in codes


def test_the_cache_title_length_bounds_the_words_a_child_adds(tmp_path: Path, engine: SearchEngine) -> None:
    docs: DocCache = engine._docs
    for number in docs.children("0XTQ"):
        child = docs.get(number)
        for said in (set(), {"resect", "appendix"}, {"resect", "appendix", "open", "approach"}):
            assert engine._candidates.extra_words_bound(number, len(said)) <= len(meaningful_stems(child.title) - said)
