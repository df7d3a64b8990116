"""Importing CPT files writes a separate index CodeIndex opens; removal and failures are clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core import paths
from desktop.core.index import CodeIndex
from desktop.core.records import CodeSet, Kind
from index_build import cpt_import, writer
from index_build.sources.cpt import ColumnChoice

AMA_STYLE = ("LONGULT.txt", "MEDU.txt", "SHORTU.txt", "MODUL.txt")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path / "user"))
    return tmp_path / "user"


@pytest.fixture(scope="module")
def cpt_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "cpt"


def _lines(_: str) -> None:
    pass


def test_inspect_summarises_without_writing(cpt_dir: Path, data_dir: Path) -> None:
    plan = cpt_import.inspect([cpt_dir / name for name in (*AMA_STYLE, "empty.txt", "charges.csv")])
    assert plan.codes_by_form == {
        "Category I": 8,
        "Category II": 1,
        "Category III": 1,
        "Proprietary Laboratory Analyses (PLA)": 1,
        "Multianalyte Assays with Algorithmic Analyses (MAAA)": 1,
    }
    assert plan.codes == 12 and plan.modifiers == 5
    assert plan.descriptors == {"long": 17, "medium": 8, "short": 6}
    assert [str(p) for p in plan.problems] == ["empty.txt: the file was not used: it is empty"]
    assert [f.name for f in plan.pending] == ["charges.csv"]
    assert not plan.importable  # the CSV's columns are still to be picked
    assert not data_dir.exists() and not cpt_import.has_cpt()


def test_problem_list_is_capped_but_counted(tmp_path: Path) -> None:
    noisy = tmp_path / "noisy.txt"
    noisy.write_text(
        "".join(f"{n:05d}\tSynthetic row {n}\n" for n in range(10000, 10100))
        + "".join(f"{n:04d}\tSynthetic bad row\n" for n in range(1000, 1060)),
        encoding="utf-8",
    )
    plan = cpt_import.inspect([noisy])
    assert plan.problem_count == 60 and plan.codes == 100
    assert len(plan.problems) == min(60, cpt_import.PROBLEMS_LISTED)
    assert plan.problems[0].line == 101


def test_import_is_opened_by_code_index(cpt_dir: Path, data_dir: Path) -> None:
    plan = cpt_import.inspect([cpt_dir / name for name in AMA_STYLE])
    assert plan.importable
    lines: list[str] = []
    manifest = cpt_import.write(plan, lines.append)
    assert cpt_import.has_cpt() and (data_dir / "cpt" / "manifest.json").is_file()
    assert lines[-1] == "Done: 12 CPT codes and 5 modifiers imported"
    assert manifest.counts["CPT"]["Category I"] == 8
    assert [c["code_set"] for c in manifest.code_sets] == ["CPT"]
    assert {f["name"] for f in manifest.files} == set(AMA_STYLE)

    index = CodeIndex(paths.cpt_index_dir())
    try:
        detail = index.detail(CodeSet.CPT, "33999")
        assert detail is not None
        record = detail.record
        assert record.title == "Synthetic test procedure cardiovascular one, long form"
        assert record.short_title == "Synthetic short cardiova 1"
        assert record.kind is Kind.CODE and record.billable
        assert ("Medium descriptor", "Synthetic med CARDIOVASCULAR ONE") in record.attributes
        assert [(a.code, a.title, a.kind) for a in detail.ancestors] == [
            ("10004-69990", "Surgery", Kind.SECTION),
            ("33016-37799", "Cardiovascular System", Kind.SECTION),
        ]
        category_two = index.detail(CodeSet.CPT, "0599F")
        assert category_two is not None
        assert [a.title for a in category_two.ancestors] == ["Category II Codes"]
        assert category_two.record.short_title == "Synthetic med CATEGORY TWO ONE"  # medium, as no short
        category_three = index.detail(CodeSet.CPT, "0599T")
        assert category_three is not None and category_three.record.short_title == ""
        assert [a.code for a in category_three.ancestors] == ["0042T-0999T"]
        lonely = index.detail(CodeSet.CPT, "99999")
        assert lonely is not None and lonely.ancestors == ()
        modifiers = index.records_of_kind(CodeSet.CPT, Kind.MODIFIER)
        assert [m.code for m in modifiers] == ["1P", "25", "59", "99", "TC"]
        assert modifiers[1].title == "Synthetic modifier twenty-five"
        surgery = index.children(CodeSet.CPT, "10004-69990")
        assert [c.code for c in surgery] == ["10030-19499", "33016-37799"]
        assert index.record(CodeSet.CPT, "70010-79999") is not None
        assert index.record(CodeSet.CPT, "00100-01999") is not None
        assert index.record(CodeSet.CPT, "0001U-0999U") is not None
        assert index.record(CodeSet.CPT, "20100-29999") is None  # headers only where codes fall
    finally:
        index.close()


def test_csv_with_picked_columns_imports(cpt_dir: Path, data_dir: Path) -> None:
    csv_file = cpt_dir / "charges.csv"
    plan = cpt_import.inspect([csv_file], {csv_file: ColumnChoice(2, 3)})
    assert plan.importable and plan.codes == 3 and plan.modifiers == 1
    cpt_import.write(plan, _lines)
    index = CodeIndex(paths.cpt_index_dir())
    try:
        record = index.record(CodeSet.CPT, "0598T")
        assert record is not None and record.title == 'Synthetic charge item with "quotes"'
        assert index.record(CodeSet.CPT, "59") is not None
    finally:
        index.close()
    one_for_all = cpt_import.inspect([csv_file], ColumnChoice(2, 3))
    assert one_for_all.importable and one_for_all.codes == 3


def test_write_refuses_unfinished_plans(cpt_dir: Path, data_dir: Path) -> None:
    with pytest.raises(ValueError, match=r"columns of charges\.csv"):
        cpt_import.write(cpt_import.inspect([cpt_dir / "charges.csv"]), _lines)
    with pytest.raises(ValueError, match="Nothing to import"):
        cpt_import.write(cpt_import.inspect([cpt_dir / "empty.txt"]), _lines)
    assert not cpt_import.has_cpt()


def test_reimport_replaces_and_remove_deletes(cpt_dir: Path, data_dir: Path) -> None:
    cpt_import.write(cpt_import.inspect([cpt_dir / name for name in AMA_STYLE]), _lines)
    cpt_import.write(cpt_import.inspect([cpt_dir / "MODUL.txt"]), _lines)
    index = CodeIndex(paths.cpt_index_dir())
    try:
        assert index.record(CodeSet.CPT, "33999") is None  # the new import replaced the old one
        assert index.record(CodeSet.CPT, "TC") is not None
    finally:
        index.close()
    (data_dir / ".cpt.building-1").mkdir()  # what a killed import would leave
    (data_dir / "index").mkdir()  # someone else's folder, which must survive
    cpt_import.remove()
    assert not cpt_import.has_cpt()
    assert sorted(p.name for p in data_dir.iterdir()) == ["index"]
    cpt_import.remove()  # nothing left to remove is not an error


def test_failed_import_keeps_the_previous_one(cpt_dir: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cpt_import.write(cpt_import.inspect([cpt_dir / name for name in AMA_STYLE]), _lines)
    before = json.loads((paths.cpt_index_dir() / "manifest.json").read_text(encoding="utf-8"))

    def broken(parsed, linker):
        yield {"id": "CPT:x", "code": "x"}
        raise OSError("disk full")

    monkeypatch.setattr(writer, "_documents", broken)
    with pytest.raises(OSError, match="disk full"):
        cpt_import.write(cpt_import.inspect([cpt_dir / "MODUL.txt"]), _lines)
    after = json.loads((paths.cpt_index_dir() / "manifest.json").read_text(encoding="utf-8"))
    assert after == before
    index = CodeIndex(paths.cpt_index_dir())
    try:
        assert index.record(CodeSet.CPT, "33999") is not None
    finally:
        index.close()
    assert sorted(p.name for p in data_dir.iterdir()) == ["cpt"]


def test_release_year_from_folder_name(tmp_path: Path) -> None:
    folder = tmp_path / "CPT 2026 data files"
    folder.mkdir()
    (folder / "LONGULT.txt").write_text("99999\tSynthetic procedure\n", encoding="utf-8")
    plan = cpt_import.inspect([folder / "LONGULT.txt"])
    assert plan.release.release == "CPT 2026 (your licensed data files)"
    assert plan.release.effective == "2026-01-01"
