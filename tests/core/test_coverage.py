"""Which code sets an index holds and lacks, the official files and pages named, and the CLI's note."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core.coverage import (
    CMS_HCPCS,
    CMS_ICD10,
    code_shapes,
    coverage_of,
    placeholder,
    read_coverage,
)
from desktop.core.records import CodeSet
from tests.cm_only import write_cm_only_index

ROOT = Path(__file__).resolve().parents[2]
CM_ONLY = {"code_sets": [{"code_set": "ICD-10-CM", "release": "FY2026 (April 1, 2026 update)"}]}
HCPCS_ZIP = "july-2026-alpha-numeric-hcpcs-file.zip"
PCS_ZIP = "2026-icd-10-pcs-code-tables-and-index.zip"


@pytest.fixture(scope="module")
def cm_only_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_cm_only_index(tmp_path_factory.mktemp("cm-only") / "index")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop.core", *args],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        timeout=60,
    )


def test_a_cm_only_manifest_lacks_pcs_and_hcpcs_and_names_their_files_and_pages() -> None:
    coverage = coverage_of(CM_ONLY)
    assert coverage.held == ((CodeSet.ICD10CM, "FY2026 (April 1, 2026 update)"),)
    assert coverage.missing == (CodeSet.ICD10PCS, CodeSet.HCPCS)
    lines = coverage.summary()
    assert lines[0] == "This index holds ICD-10-CM FY2026 (April 1, 2026 update)."
    assert lines[1].startswith("Missing: ICD-10-PCS, HCPCS")
    assert lines[2] == f"  ICD-10-PCS: {PCS_ZIP} from the CMS ICD-10 page ({CMS_ICD10.url})"
    assert lines[3] == f"  HCPCS: {HCPCS_ZIP} from the CMS HCPCS quarterly update page ({CMS_HCPCS.url})"


def test_a_full_manifest_misses_nothing_and_unknown_code_sets_are_ignored() -> None:
    manifest = {
        "code_sets": [
            {"code_set": name, "release": "R"} for name in ("HCPCS", "ICD-10-PCS", "ICD-10-CM", "ICD-11", "CPT")
        ]
    }
    coverage = coverage_of(manifest)
    assert coverage.missing == ()
    assert coverage.held_sets == (CodeSet.ICD10CM, CodeSet.ICD10PCS, CodeSet.HCPCS, CodeSet.CPT)
    assert coverage.summary() == ["This index holds ICD-10-CM R, ICD-10-PCS R, HCPCS R, CPT R."]
    assert coverage.empty_result_text("j9035") == ""


def test_a_damaged_code_set_list_counts_as_holding_nothing() -> None:
    assert coverage_of({"code_sets": "nonsense"}).missing == (CodeSet.ICD10CM, CodeSet.ICD10PCS, CodeSet.HCPCS)
    assert coverage_of({"code_sets": [None, 3]}).held_text() == "no code set"


def test_code_shapes() -> None:
    assert CodeSet.HCPCS in (code_shapes("j9035") or set())
    assert code_shapes("0dtj4zz") == {CodeSet.ICD10PCS}
    assert CodeSet.HCPCS in (code_shapes("LT") or set())
    assert code_shapes("E11.9") == {CodeSet.ICD10CM}
    assert code_shapes("heart attack") is None and code_shapes("appendectomy") is None


def test_empty_result_text_names_the_missing_code_set_the_query_is_aimed_at() -> None:
    coverage = coverage_of(CM_ONLY)
    hcpcs = coverage.empty_result_text("j9035")
    assert hcpcs.startswith("No results: 'j9035' looks like a HCPCS code, and this index has no HCPCS")
    assert HCPCS_ZIP in hcpcs and CMS_HCPCS.url in hcpcs and PCS_ZIP not in hcpcs
    pcs = coverage.empty_result_text("0DTJ4ZZ")
    assert "looks like an ICD-10-PCS code" in pcs and PCS_ZIP in pcs and HCPCS_ZIP not in pcs
    words = coverage.empty_result_text("appendectomy")
    assert words.startswith("No results: this index has no ICD-10-PCS or HCPCS") and PCS_ZIP in words
    assert coverage.empty_result_text("E11.99") == ""  # an ICD-10-CM code: the index could have answered
    chosen = coverage.empty_result_text("E11.9", [CodeSet.HCPCS])
    assert chosen.startswith("No results: this index has no HCPCS")


def test_the_placeholder_suggests_only_what_the_index_can_answer() -> None:
    assert placeholder([CodeSet.ICD10CM]) == "Search a code or words: E11.9, heart attack"
    everything = placeholder([CodeSet.HCPCS, CodeSet.ICD10CM, CodeSet.ICD10PCS, CodeSet.CPT])
    assert everything == "Search a code or words: E11.9, heart attack, appendectomy, J9035"
    assert placeholder([CodeSet.CPT]) == "Search a code or words"


def test_read_coverage_of_a_real_index(cm_only_index: Path, small_index: Path) -> None:
    assert read_coverage(cm_only_index).missing == (CodeSet.ICD10PCS, CodeSet.HCPCS)
    assert read_coverage(small_index).missing == ()


def test_cli_on_a_cm_only_index_says_what_is_missing_and_exits_1(cm_only_index: Path) -> None:
    done = cli("j9035", "--json", "--index", str(cm_only_index))
    assert done.returncode == 1
    assert json.loads(done.stdout) == []  # stdout stays a clean JSON list
    assert "'j9035' looks like a HCPCS code, and this index has no HCPCS" in done.stderr
    assert HCPCS_ZIP in done.stderr and CMS_HCPCS.url in done.stderr
    assert "python tasks.py build-index --sources FOLDER" in done.stderr


def test_cli_answers_what_the_index_holds_without_a_note(cm_only_index: Path) -> None:
    done = cli("E11.9", "--json", "--index", str(cm_only_index))
    assert done.returncode == 0 and done.stderr == ""
    assert json.loads(done.stdout)[0]["code"] == "E11.9"


def test_cli_notes_a_filter_on_a_missing_code_set_even_with_hits(cm_only_index: Path) -> None:
    done = cli("E11.9", "--code-set", "HCPCS", "--code-set", "ICD-10-CM", "--index", str(cm_only_index))
    assert done.returncode == 0
    assert "note: This index holds ICD-10-CM" in done.stderr and HCPCS_ZIP in done.stderr


def test_cli_on_a_full_index_finds_j9035_and_says_nothing(small_index: Path) -> None:
    done = cli("j9035", "--json", "--index", str(small_index))
    assert done.returncode == 0 and done.stderr == ""
    assert json.loads(done.stdout)[0]["code"] == "J9035"


def test_a_cpt_shaped_query_points_at_the_cpt_import_until_cpt_is_imported() -> None:
    assert code_shapes("99213") == {CodeSet.CPT} and code_shapes("0042T") == {CodeSet.CPT}
    full = coverage_of({"code_sets": [{"code_set": name} for name in ("ICD-10-CM", "ICD-10-PCS", "HCPCS")]})
    text = full.empty_result_text("99213")
    assert text.startswith("No results: '99213' looks like a CPT code.") and "File > Import CPT…" in text
    assert full.empty_result_text("E11.9", [CodeSet.CPT]).startswith("No results: this index has no CPT. CPT codes")
    with_cpt = coverage_of({"code_sets": [{"code_set": "CPT"}, {"code_set": "ICD-10-CM"}]})
    assert with_cpt.empty_result_text("99213") == ""


def test_cli_on_a_cpt_code_without_cpt_imported_says_how_to_import(small_index: Path) -> None:
    done = cli("99213", "--json", "--index", str(small_index))
    assert done.returncode == 1 and json.loads(done.stdout) == []
    assert "'99213' looks like a CPT code" in done.stderr and "File > Import CPT…" in done.stderr
