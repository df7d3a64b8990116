"""The build's second process: the code set it parses and the search cache it builds from the documents are
what this process makes (the cache: what the engine builds from the finished index's reader); a malformed
file it parses is named as here; a crash or an error in it fails the build clearly and a cancel stops it,
leaving the index in place as it was."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from desktop.core.index import CodeIndex
from desktop.core.records import CodeSet
from desktop.core.search import cache as search_cache
from desktop.core.search import cache_build
from index_build import second_process as build_cache
from index_build.build import BuildCancelled, build_index
from index_build.sources.base import SourceError
from tests.reliability.helpers import BROKEN

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SOURCES = [FIXTURES / "icd10cm", FIXTURES / "icd10pcs", FIXTURES / "hcpcs"]


def _from_reader(folder: Path, out: Path) -> tuple[dict[str, object], bytes]:
    """The cache of a finished index as the engine builds it on first open (from a reader)."""
    ix = whoosh_index.open_dir(str(folder))
    with ix.reader() as reader:
        search_cache.save(cache_build.build(folder, reader), out)
    ix.close()
    return _content(out)


def _content(path: Path) -> tuple[dict[str, object], bytes]:
    """A cache file's header (as data: marshal's bytes for equal data depend on which strings the process
    interned and shares) and its arrays, byte for byte."""
    with open(path, "rb") as handle:
        found = search_cache.read_header(handle)
        assert found is not None
        header, _end, start = found
        handle.seek(start)
        return header, handle.read()


@pytest.fixture
def second_process(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every build uses a second process (the fixtures are far below the size that starts one); its pids."""
    monkeypatch.setattr(build_cache, "PROCESS_MIN_SOURCE_BYTES", 0)
    pids: list[int] = []
    enter = build_cache.SecondProcess.__enter__

    def entered(self: build_cache.SecondProcess) -> build_cache.SecondProcess:
        result = enter(self)
        if self._process is not None:
            pids.append(int(self._process.pid or 0))
        return result

    monkeypatch.setattr(build_cache.SecondProcess, "__enter__", entered)
    return pids


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_cache_from_the_documents_is_the_cache_from_the_reader(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    build_index(folder, SOURCES, lambda line: None)
    written = _content(folder / search_cache.FILE_NAME)
    assert written == _from_reader(folder, tmp_path / "reader.cache")
    assert len(written[1]) > 5_000 and written[0]["identity"]
    manifest = CodeIndex(folder).manifest
    loaded = search_cache.load(folder / search_cache.FILE_NAME, search_cache.identity_of(folder, manifest.documents))
    assert loaded is not None and "femur" in loaded.fields["title"].terms


def test_cache_from_the_second_process_is_the_cache_from_the_reader(tmp_path: Path, second_process: list[int]) -> None:
    folder = tmp_path / "index"
    lines: list[str] = []
    build_index(folder, SOURCES, lines.append)
    assert "  building the search cache in the second process, beside the write" in lines
    assert _content(folder / search_cache.FILE_NAME) == _from_reader(folder, tmp_path / "reader.cache")
    assert second_process and all(_gone(pid) for pid in second_process)


def _stored(folder: Path) -> list[dict[str, object]]:
    ix = whoosh_index.open_dir(str(folder))
    with ix.searcher() as searcher:
        stored = [searcher.stored_fields(doc) for doc in range(searcher.doc_count_all())]
    ix.close()
    return stored


def test_the_code_set_parsed_there_gives_the_index_parsed_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, second_process: list[int]
) -> None:
    lines: list[str] = []
    build_index(tmp_path / "there", SOURCES, lines.append)
    assert "Building HCPCS (in the second process)" in lines
    assert any(line.startswith("  HCPCS: releases present 1, codes 3,") for line in lines)
    monkeypatch.setattr(build_cache, "PROCESS_MIN_SOURCE_BYTES", 10**12)
    build_index(tmp_path / "here", SOURCES, lambda line: None)
    there, here = _stored(tmp_path / "there"), _stored(tmp_path / "here")
    assert there == here and any(doc.get("code_set") == "HCPCS" for doc in there)
    assert (
        _content(tmp_path / "there" / search_cache.FILE_NAME)[1]
        == _content(tmp_path / "here" / search_cache.FILE_NAME)[1]
    )


def test_a_malformed_file_parsed_there_is_named(tmp_path: Path, second_process: list[int]) -> None:
    name = "HCPC2030_JUL_ANWEB_06152030_no_action_code.xlsx"
    with pytest.raises(SourceError) as caught:
        build_index(tmp_path / "index", [*SOURCES, BROKEN / name], lambda line: None)
    assert str(caught.value).startswith(name) and "missing columns PROCNOTE, ACTION CD" in str(caught.value)
    assert list(tmp_path.iterdir()) == []
    assert second_process and all(_gone(pid) for pid in second_process)


def _previous_index(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    folder = tmp_path / "index"
    build_index(folder, [FIXTURES / "icd10cm"], lambda line: None)
    return folder, {path.name: path.read_bytes() for path in folder.iterdir()}


def _intact(tmp_path: Path, folder: Path, before: dict[str, bytes]) -> None:
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    assert [code_set["code_set"] for code_set in CodeIndex(folder).manifest.code_sets] == [str(CodeSet.ICD10CM)]
    assert [path.name for path in tmp_path.iterdir()] == ["index"]  # no staging folder left behind


def test_a_crashed_second_process_fails_the_build_and_keeps_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, second_process: list[int]
) -> None:
    folder, names = _previous_index(tmp_path)
    give = build_cache.SecondProcess.give

    def give_then_crash(self: build_cache.SecondProcess, documents: list[dict[str, object]]) -> None:
        give(self, documents)
        assert self._process is not None
        self._process.kill()  # as a crash would (out of memory, a segfault)

    monkeypatch.setattr(build_cache.SecondProcess, "give", give_then_crash)
    with pytest.raises(build_cache.SecondProcessFailed, match="second process stopped unexpectedly"):
        build_index(folder, SOURCES, lambda line: None)
    _intact(tmp_path, folder, names)


@pytest.mark.parametrize("exited_first", [False, True], ids=["still-running", "exited-before-save"])
def test_an_error_in_the_second_process_fails_the_build_with_its_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, second_process: list[int], exited_first: bool
) -> None:
    folder, names = _previous_index(tmp_path)
    fields = cache_build.cache_fields

    def damaged(document: dict[str, object]) -> dict[str, object]:
        return {**fields(document), "order": "not a number"}  # Doc() in the second process: int("not a number")

    monkeypatch.setattr(cache_build, "cache_fields", damaged)
    if exited_first:  # the second process fails and exits before the builder sends "save": the pipe is closed
        finish = build_cache.SecondProcess.finish

        def finish_after_exit(self: build_cache.SecondProcess, folder: Path) -> None:
            assert self._process is not None
            self._process.join(30)
            assert self._process.exitcode == 1
            finish(self, folder)

        monkeypatch.setattr(build_cache.SecondProcess, "finish", finish_after_exit)
    with pytest.raises(build_cache.SecondProcessFailed, match=r"(?s)could not be built.*ValueError"):
        build_index(folder, SOURCES, lambda line: None)
    _intact(tmp_path, folder, names)
    assert second_process and all(_gone(pid) for pid in second_process)


@pytest.mark.parametrize("at", ["committing", "saving the search cache"])
def test_a_cancel_stops_the_second_process_and_keeps_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, second_process: list[int], at: str
) -> None:
    folder, names = _previous_index(tmp_path)
    monkeypatch.setattr(build_cache, "_POLL_S", 0.01)
    cancel = threading.Event()

    def log(line: str) -> None:
        if at in line:
            cancel.set()

    with pytest.raises(BuildCancelled):
        build_index(folder, SOURCES, log, cancel=cancel)
    _intact(tmp_path, folder, names)
    assert second_process and all(_gone(pid) for pid in second_process)


def test_the_frozen_app_builds_the_cache_in_its_own_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_cache, "PROCESS_MIN_SOURCE_BYTES", 0)
    monkeypatch.setattr("sys.frozen", True, raising=False)
    assert build_cache.SecondProcess(10**6).in_process
    monkeypatch.delattr("sys.frozen")
    assert not build_cache.SecondProcess(10**6).in_process
    folder = tmp_path / "index"
    monkeypatch.setattr("sys.frozen", True, raising=False)
    lines: list[str] = []
    build_index(folder, SOURCES, lines.append)
    assert not any("second process" in line for line in lines)
    assert _content(folder / search_cache.FILE_NAME) == _from_reader(folder, tmp_path / "reader.cache")
    shutil.rmtree(folder)
