"""The search cache's per-unit word lists answer membership exactly, also after a save and load."""

from __future__ import annotations

from array import array
from pathlib import Path

from whoosh import index as whoosh_index

from desktop.core.search import cache as search_cache
from desktop.core.search import cache_build
from desktop.core.search.cache import FieldLists


def _membership(lists: FieldLists) -> tuple[list[set[int]], list[set[int]]]:
    """Per word the units that hold it (from the rank-order lists), and what contains() says for every unit."""
    holders = [set(lists.units(term)) for term in lists.terms]
    units = len(lists.unit_starts) - 1
    said = [{unit for unit in range(units) if lists.contains(at, unit)} for at in range(len(lists.terms))]
    return holders, said


def test_holds_any_answers_for_every_run_of_words(small_index: Path) -> None:
    """holds_any(unit, low, high) is 'the unit holds one of terms[low:high]' (the words continuing a prefix)."""
    ix = whoosh_index.open_dir(str(small_index))
    with ix.reader() as reader:
        title = cache_build.build(small_index, reader).fields["title"]
    ix.close()
    holders, _said = _membership(title)
    units = len(title.unit_starts) - 1
    count = len(title.terms)
    runs = [(0, count), (0, 1), (count - 1, count), (count // 3, count // 2), (5, 5)]
    for low, high in runs:
        expected = set().union(*holders[low:high]) if high > low else set()
        assert {unit for unit in range(units) if title.holds_any(unit, low, high)} == expected
    assert any(title.holds_any(unit, count // 3, count // 2) for unit in range(units))


def test_contains_agrees_with_the_word_lists_after_save_and_load(small_index: Path, tmp_path: Path) -> None:
    ix = whoosh_index.open_dir(str(small_index))
    with ix.reader() as reader:
        built = cache_build.build(small_index, reader)
    ix.close()
    title = built.fields["title"]
    assert "femur" in title.terms and title.frequency("femur") >= 3
    for lists in built.fields.values():
        holders, said = _membership(lists)
        assert holders == said
    path = tmp_path / "search.cache"
    search_cache.save(built, path)
    loaded = search_cache.load(path, built.identity)
    assert loaded is not None
    for field, lists in loaded.fields.items():
        assert lists.unit_words.format == "H"
        assert _membership(lists) == _membership(built.fields[field])
        assert bytes(lists.postings) == bytes(built.fields[field].postings)


def test_a_field_of_more_than_65536_words_keeps_wide_word_numbers(tmp_path: Path) -> None:
    count = 70_000
    units = cache_build._Units(
        {f"w{n:05d}": [n % 10] for n in range(count)}, array("B", [1] * 10), array("i"), array("H"), array("B")
    )
    lists = cache_build._field_lists("title", units, bytearray(10), bytearray(10), lambda: False)
    assert lists.unit_words.format == "I"
    last = lists.find(f"w{count - 1:05d}")
    assert last == count - 1 and lists.contains(last, (count - 1) % 10) and not lists.contains(last, 0)
    cache = search_cache.SearchCache(
        "x", b"", b"", b"", b"", b"", {}, {"title": lists}, memoryview(b"").cast("i"), memoryview(b"").cast("i")
    )
    search_cache.save(cache, tmp_path / "wide.cache")
    loaded = search_cache.load(tmp_path / "wide.cache", "x")
    assert loaded is not None
    wide = loaded.fields["title"]
    assert wide.unit_words.format == "I"
    assert wide.contains(last, (count - 1) % 10) and not wide.contains(last, 1)
    assert [lists.contains(66_000, unit) for unit in range(10)] == [unit == 66_000 % 10 for unit in range(10)]


def test_current_codes_come_before_terminated_ones_in_every_word_list(small_index: Path) -> None:
    """A search skips terminated codes unless asked for them: they must not lead the lists it reads."""
    ix = whoosh_index.open_dir(str(small_index))
    with ix.reader() as reader:
        built = cache_build.build(small_index, reader)
    ix.close()
    mixed = 0
    for lists in built.fields.values():
        for term in lists.terms:
            ended = [bool(built.flags[lists.doc(unit)] & search_cache.TERMINATED) for unit in lists.units(term)]
            assert ended == sorted(ended), term
            mixed += len(set(ended)) == 2
    assert mixed  # the sample holds words of both current and terminated codes
    # A terminated code with the shortest text still comes after every current one.
    units = cache_build._Units({"femur": [0, 1, 2]}, array("B", [3, 1, 2]), array("i"), array("H"), array("B"))
    flags = bytearray([0, search_cache.TERMINATED, 0])
    lists = cache_build._field_lists("title", units, flags, bytearray([3, 3, 3]), lambda: False)
    assert list(lists.units("femur")) == [2, 0, 1]


def test_completions_are_the_commonest_words_and_asking_again_gives_the_same(small_index: Path) -> None:
    ix = whoosh_index.open_dir(str(small_index))
    with ix.reader() as reader:
        title = cache_build.build(small_index, reader).fields["title"]
    ix.close()
    for prefix in sorted({term[:1] for term in title.terms}):
        words = [term for term in title.terms if term.startswith(prefix)]
        expected = sorted(words, key=lambda term: -title.frequency(term))[:3]
        first = title.completions(prefix, 3)
        assert [title.frequency(w) for w in first] == [title.frequency(w) for w in expected]
        assert set(first) <= set(words)
        first.append("changed by the caller")  # the kept answer is not the list handed out
        assert title.completions(prefix, 3) == first[:-1]


def test_opening_an_index_with_its_cache_does_not_load_the_cache_builder(small_index: Path, tmp_path: Path) -> None:
    """The builder (and what it imports) is start-up time only an index without a cache beside it needs."""
    import shutil
    import subprocess
    import sys

    folder = shutil.copytree(small_index, tmp_path / "index")
    cache_build.write_for_index(folder)
    probe = (
        "import sys; from pathlib import Path; from desktop.core.search.engine import SearchEngine\n"
        "engine = SearchEngine(Path(sys.argv[1]), warm_up=False)\n"
        "print(engine.search('E11.9').hits[0].code, 'desktop.core.search.cache_build' in sys.modules)"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert ran.stdout.split() == ["E11.9", "False"]
