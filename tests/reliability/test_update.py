"""Updates from inside the app: inspect lists what was recognised, apply keeps every other code set."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from desktop.core.index import CodeIndex
from desktop.core.manifest import Manifest
from desktop.core.records import CodeSet
from index_build import build as build_module
from index_build import update
from index_build.build import BuildCancelled, build_index
from index_build.update import ADD, PRESENT, REPLACE
from tests.reliability.helpers import APRIL, MINI_TABULAR, Installed, release_file, snapshot


def _releases(manifest: Manifest | dict) -> dict[str, str]:
    entries = manifest.code_sets if isinstance(manifest, Manifest) else manifest["code_sets"]
    return {entry["code_set"]: entry["release"] for entry in entries}


def _quiet(line: str) -> None:
    pass


def test_inspect_lists_recognised_and_unused_files(installed: Installed, tmp_path: Path) -> None:
    picked = tmp_path / "download"
    july = release_file(picked, "JUL", "06152030", "Left side, July wording")
    (picked / "readme.txt").write_text("Read me first\n", encoding="utf-8")
    (picked / "empty.xml").write_bytes(b"")
    plan = update.inspect([picked, tmp_path / "missing.zip"])

    assert [(p.name, p.action) for p in plan.recognised] == [("download/" + july.name, ADD)]
    source = plan.recognised[0].contents[0]
    assert (source.code_set, source.release, source.kind) == (CodeSet.HCPCS, "July 2030", "hcpcs-anweb-txt")
    assert plan.recognised[0].target == installed.user_sources / "HCPCS" / "2030-07-01" / july.name
    unused = {p.name: p.rejected for p in plan.rejected}
    assert unused == {
        "download/empty.xml": "is empty",
        "missing.zip": "does not exist",
        "download/readme.txt": "is not a recognised code-set file",
    }
    assert plan.current["HCPCS"] == "April 2030"
    assert plan.after == {"ICD-10-CM": "FY2026 (April 1, 2026 update)", "ICD-10-PCS": "FY2026", "HCPCS": "July 2030"}
    assert plan.warnings == []
    assert not installed.user_sources.exists()  # inspecting copies nothing


def test_hcpcs_update_keeps_pcs_and_cm(installed: Installed, tmp_path: Path) -> None:
    july = release_file(tmp_path / "download", "JUL", "06152030", "Left side, July wording")
    manifest = update.apply(update.inspect([july]), _quiet, threading.Event())

    assert _releases(manifest) == {
        "ICD-10-CM": "FY2026 (April 1, 2026 update)",
        "ICD-10-PCS": "FY2026 (index FY2025)",
        "HCPCS": "July 2030",
    }
    assert (installed.user_sources / "HCPCS" / "2030-07-01" / july.name).read_bytes() == july.read_bytes()
    recorded = [str(installed.sources.resolve()), str(installed.user_sources.resolve())]
    assert manifest.source_folders == recorded
    index = CodeIndex(installed.index)
    try:
        on_disk = json.loads((installed.index / "manifest.json").read_text())
        assert on_disk["code_sets"] == manifest.code_sets
        record = index.record(CodeSet.HCPCS, "LT")
        assert record is not None and record.title == "Left side, July wording"
        assert index.record(CodeSet.ICD10PCS, "0DTJ4ZZ") is not None
        assert index.record(CodeSet.ICD10CM, "E11.9") is not None
    finally:
        index.close()
    assert not list(installed.data.glob(".sources-incoming-*"))
    assert not list(installed.data.glob(".index.*"))


def test_newer_release_sits_beside_the_older_and_wins(installed: Installed, tmp_path: Path) -> None:
    july = release_file(tmp_path / "jul", "JUL", "06152030", "Left side, July wording")
    update.apply(update.inspect([july]), _quiet)
    october = release_file(tmp_path / "oct", "OCT", "09152030", "Left side, October wording")
    plan = update.inspect([october])
    assert plan.after["HCPCS"] == "October 2030" and plan.current["HCPCS"] == "July 2030"
    manifest = update.apply(plan, _quiet)

    assert _releases(manifest)["HCPCS"] == "October 2030"
    kept = sorted(str(p.relative_to(installed.user_sources)) for p in installed.user_sources.rglob("*.txt"))
    assert kept == [f"HCPCS/2030-07-01/{july.name}", f"HCPCS/2030-10-01/{october.name}"]

    # An older release added afterwards is kept too, with a warning that it is not the one in use.
    plan = update.inspect([release_file(tmp_path / "jan", "JAN", "12152029")])
    assert plan.after["HCPCS"] == "October 2030"
    assert any("older than October 2030" in line for line in plan.warnings)


def test_same_file_again_is_already_present(installed: Installed, tmp_path: Path) -> None:
    july = release_file(tmp_path / "download", "JUL", "06152030", "Left side, July wording")
    update.apply(update.inspect([july]), _quiet)
    plan = update.inspect([july, installed.sources / "hcpcs" / APRIL.name])
    assert [p.action for p in plan.recognised] == [PRESENT, PRESENT]
    assert plan.to_copy == []


def test_different_file_of_same_name_and_release_replaces_and_keeps_the_old(
    installed: Installed, tmp_path: Path
) -> None:
    first = release_file(tmp_path / "a", "JUL", "06152030", "Left side, first issue")
    update.apply(update.inspect([first]), _quiet)
    corrected = release_file(tmp_path / "b", "JUL", "06152030", "Left side, corrected issue")
    plan = update.inspect([corrected])
    assert [p.action for p in plan.recognised] == [REPLACE]
    update.apply(plan, _quiet)

    index = CodeIndex(installed.index)
    try:
        record = index.record(CodeSet.HCPCS, "LT")
        assert record is not None and record.title == "Left side, corrected issue"
    finally:
        index.close()
    backups = list((installed.data / "sources-replaced").rglob(first.name))
    assert len(backups) == 1 and backups[0].read_bytes() == first.read_bytes()


def test_unrelated_files_only_cannot_be_applied(installed: Installed, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a code set\n", encoding="utf-8")
    before = snapshot(installed.index)
    plan = update.inspect([notes])
    assert not plan.buildable
    with pytest.raises(ValueError, match="Nothing to add"):
        update.apply(plan, _quiet)
    assert snapshot(installed.index) == before


@pytest.mark.parametrize(
    ("trigger", "never"),
    [
        ("Copying", "Looking for official files"),  # while copying the picked files
        ("Building ICD-10-PCS", "Building HCPCS"),  # between code sets
        ("5 definitions", "codes in 5 tables"),  # between the source files of one code set
        ("committing", "Done"),  # while the new index is written
        ("swap", "Done"),  # after everything is written, just before the swap
    ],
)
def test_cancel_leaves_index_and_sources_unchanged(
    installed: Installed, tmp_path: Path, trigger: str, never: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    july = release_file(tmp_path / "download", "JUL", "06152030", "Left side, July wording")
    plan = update.inspect([july])
    index_before, sources_before = snapshot(installed.index), snapshot(installed.data / "sources")
    cancel = threading.Event()
    seen: list[str] = []

    def log(line: str) -> None:
        seen.append(line)
        if trigger in line:
            cancel.set()

    swapped: list[bool] = []
    if trigger == "swap":
        written = build_module.write_index

        def write_then_cancel(*args: Any, **kwargs: Any) -> dict:
            manifest = written(*args, **kwargs)
            seen.append("swap")
            cancel.set()  # the user clicks Cancel while the last files are being checksummed
            return manifest

        monkeypatch.setattr(build_module, "write_index", write_then_cancel)
    with pytest.raises(BuildCancelled):
        update.apply(plan, log, cancel, before_swap=lambda: swapped.append(True))
    assert any(trigger in line for line in seen) and swapped == []
    assert not any(never in line for line in seen)
    assert snapshot(installed.index) == index_before
    assert snapshot(installed.data / "sources") == sources_before
    assert sorted(p.name for p in installed.data.iterdir()) == ["index"]  # no staging left behind


def test_swap_refused_leaves_both_working(
    installed: Installed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to rename a folder whose files another copy of the app has open."""
    july = release_file(tmp_path / "download", "JUL", "06152030", "Left side, July wording")
    plan = update.inspect([july])
    index_before = snapshot(installed.index)
    real_replace = os.replace

    def locked(source: object, target: object) -> None:
        if Path(str(source)) == installed.index.resolve():
            raise PermissionError(13, "The file is being used by another process", str(source))
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr("index_build.staging.os.replace", locked)
    with pytest.raises(PermissionError):
        update.apply(plan, _quiet)
    monkeypatch.undo()
    assert snapshot(installed.index) == index_before
    assert not installed.user_sources.exists()  # the copied file was taken back out
    assert sorted(p.name for p in installed.data.iterdir()) == ["index"]
    index = CodeIndex(installed.index)
    index.close()
    # The same plan works once the other copy has let go.
    assert _releases(update.apply(plan, _quiet))["HCPCS"] == "July 2030"


def test_update_repairs_an_index_that_lost_its_manifest(installed: Installed, tmp_path: Path) -> None:
    (installed.index / "manifest.json").unlink()
    july = release_file(tmp_path / "download", "JUL", "06152030")
    manifest = update.apply(update.inspect([july]), _quiet)
    assert _releases(manifest)["HCPCS"] == "July 2030"
    CodeIndex(installed.index).close()


def test_leftovers_of_a_killed_build_are_removed(installed: Installed) -> None:
    leftover = installed.data / ".index.building-99999"
    leftover.mkdir()
    (leftover / "MAIN_x.seg").write_bytes(b"x" * 100)
    os.utime(leftover, (1, 1))
    fresh = installed.data / ".index.building-99998"
    fresh.mkdir()  # could be another copy's running build: recent, kept
    assert build_module.remove_leftovers(installed.index) == [leftover]
    assert not leftover.exists() and fresh.exists()


def test_build_from_several_folders_and_single_files(tmp_path: Path, fixture_sources: Path) -> None:
    july = release_file(tmp_path / "extra", "JUL", "06152030", "Left side, July wording")
    manifest = build_index(tmp_path / "ix", [fixture_sources / "icd10pcs", MINI_TABULAR, july.parent], _quiet)
    assert _releases(manifest) == {
        "ICD-10-CM": "FY2026 (April 1, 2026 update)",
        "ICD-10-PCS": "FY2026 (index FY2025)",
        "HCPCS": "July 2030",
    }


def test_command_line_accepts_repeated_sources(
    tmp_path: Path, fixture_sources: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from index_build.__main__ import main

    july = release_file(tmp_path / "extra", "JUL", "06152030")
    code = main(
        ["--out", str(tmp_path / "ix"), "--sources", str(fixture_sources), "--sources", str(july.parent), "--quiet"]
    )
    assert code == 0, capsys.readouterr().err
    manifest = json.loads((tmp_path / "ix" / "manifest.json").read_text())
    assert _releases(manifest)["HCPCS"] == "July 2030"
    assert _releases(manifest)["ICD-10-PCS"].startswith("FY2026")


def test_a_code_set_without_its_files_is_reported_as_lost(
    installed: Installed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An installed app whose index came from files no longer on the computer: PCS would be dropped."""
    monkeypatch.delenv("CODEATLAS_SOURCES")
    manifest = json.loads((installed.index / "manifest.json").read_text())
    manifest["source_folders"] = [str(tmp_path / "gone")]
    (installed.index / "manifest.json").write_text(json.dumps(manifest))
    plan = update.inspect([release_file(tmp_path / "download", "JUL", "06152030"), MINI_TABULAR])
    assert plan.source_dirs == []
    assert plan.lost == ["ICD-10-PCS"]
    assert any("the rebuilt index would not have ICD-10-PCS" in line for line in plan.warnings)
    assert plan.after == {"ICD-10-CM": "FY2026 (April 1, 2026 update)", "HCPCS": "July 2030"}


def test_copies_left_by_a_killed_update_are_removed(installed: Installed, tmp_path: Path) -> None:
    leftover = installed.data / ".sources-incoming-99999"
    (leftover / "HCPCS").mkdir(parents=True)
    os.utime(leftover, (1, 1))
    update.apply(update.inspect([release_file(tmp_path / "download", "JUL", "06152030")]), _quiet)
    assert not leftover.exists()
