"""How much of the search cache a word search reads: sparse matches must not be checked one unit at a time.

Timings belong in bench/; these tests count the cache lookups instead, which do not depend on the machine.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import replace

import pytest

from desktop.core.records import CodeRecord, CodeSet, Kind
from desktop.core.search.cache import FieldLists
from desktop.core.search.engine import SearchEngine
from tests.core.search_fixture import codes, ready_engine, write_records

PCS = CodeSet.ICD10PCS
SPARSE = 1500  # titles with each of the two words; only three titles hold both


def _records() -> list[CodeRecord]:
    rows = [CodeRecord(PCS, "0ZZ", "Made-up procedures of a test", Kind.PCS_TABLE)]
    for n in range(SPARSE):
        rows.append(CodeRecord(PCS, f"0ZA{n:04d}", f"Excision of Part {n:04d}, Open Approach", Kind.CODE, "0ZZ", True))
        rows.append(CodeRecord(PCS, f"0ZB{n:04d}", f"Drainage of Part {n:04d}, Open Approach", Kind.CODE, "0ZZ", True))
    for n in range(3):  # the longest titles, so the rank-ordered lists hold them last
        title = f"Excision and Drainage of Made-up Region Number {n} of the Test, Percutaneous Endoscopic Approach"
        rows.append(CodeRecord(PCS, f"0ZC000{n}", title, Kind.CODE, "0ZZ", True))
    return [replace(r, order=n) for n, r in enumerate(rows)]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    folder = write_records(tmp_path_factory.mktemp("sparse"), _records())
    with ready_engine(folder, timeout=120) as ready:
        yield ready


def test_two_common_words_that_rarely_meet_are_found_without_a_lookup_per_unit(
    engine: SearchEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = 0
    contains = FieldLists.contains

    def counted(self: FieldLists, term_at: int, unit: int) -> bool:
        nonlocal calls
        calls += 1
        return contains(self, term_at, unit)

    monkeypatch.setattr(FieldLists, "contains", counted)
    found = codes(engine, "excision drainage ")
    assert found[:3] == ["0ZC0000", "0ZC0001", "0ZC0002"]
    # Checking every 'excision' title for 'drainage' took one bisection per title in each field searched.
    assert calls < SPARSE // 2, calls


def test_the_engines_long_lived_data_is_hidden_from_the_garbage_collector(engine: SearchEngine) -> None:
    # A full collection walked the search cache and vocabulary mid-keystroke (45 ms on the full index).
    assert gc.get_freeze_count() > 1000


TIED = 300  # titles equal in every ranking key but whether they say 'unspecified'


def _tied_records() -> list[CodeRecord]:
    rows = [CodeRecord(PCS, "0YZ", "Made-up gizmo procedures", Kind.PCS_TABLE)]
    for n in range(TIED):  # same words that count, same code length, all billable: only the tie-break differs
        title = f"Gizmo widget procedure {n:03d}" if n % 100 else f"Gizmo widget procedure {n:03d}, unspecified"
        rows.append(CodeRecord(PCS, f"0YA{n:04d}", title, Kind.CODE, "0YZ", True))
    return [replace(r, order=n) for n, r in enumerate(rows)]


def test_the_ranking_bound_of_a_title_holding_every_word_is_its_rank(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rank a document can reach, worked out from the cache before reading it, is the rank it gets when
    read, the 'unspecified' tie-break included (the cache's words tell a line that cannot say it), so the
    ranking stops reading documents as soon as the page is full; the bound never promises less than the rank."""
    from desktop.core.search.word_search import WordSearch

    folder = write_records(tmp_path_factory.mktemp("tied"), _tied_records())
    with ready_engine(folder, timeout=120) as engine:
        seen: list[tuple[str, bool]] = []
        score = WordSearch._score

        def checked(self: WordSearch, candidates: object, doc: object, sources: list[object]) -> object:
            scored = score(self, candidates, doc, sources)  # type: ignore[arg-type]
            assert scored is not None
            bound = min(self._bound(candidates, doc.docnum, source) for source in sources)  # type: ignore
            assert bound <= scored[0]
            seen.append((scored[1].title, bound == scored[0]))
            return scored

        monkeypatch.setattr(WordSearch, "_score", checked)
        hits = engine.search("gizmo widget", limit=10).hits
        assert hits[0].code == "0YA0000" and len(hits) == 10
    assert any("unspecified" in title for title, _exact in seen) and any("unspecified" not in t for t, _e in seen)
    assert all(exact for _title, exact in seen), seen


def _dense_records() -> list[CodeRecord]:
    rows = [CodeRecord(PCS, "0XZ", "Made-up dense procedures", Kind.PCS_TABLE)]
    kinds = ("Excision of Left", "Excision of Right", "Drainage of Left")  # half of each word's titles hold both
    for n in range(3000):
        rows.append(CodeRecord(PCS, f"0XA{n:04d}", f"{kinds[n % 3]} Part {n:04d}", Kind.CODE, "0XZ", True))
    return [replace(r, order=n) for n, r in enumerate(rows)]


def test_dense_matches_fill_the_page_without_intersecting_whole_lists(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Half the 'excision' titles say 'left': the page fills after ~110 titles checked one by one, where the
    whole lists (4,000 units) were intersected after the first 64."""
    from desktop.core.search.candidates import CachedCandidates

    folder = write_records(tmp_path_factory.mktemp("dense"), _dense_records())
    with ready_engine(folder, timeout=120) as engine:
        passes = 0
        intersection = CachedCandidates._intersection

        def counted(self: CachedCandidates, name: str, groups: list[list[str]]) -> set[int]:
            nonlocal passes
            passes += 1
            return intersection(self, name, groups)

        monkeypatch.setattr(CachedCandidates, "_intersection", counted)
        found = codes(engine, "excision left ")
    assert len(found) == 50 and all(code[3:].isdigit() and int(code[3:]) % 3 == 0 for code in found), found
    assert passes == 0
