"""The HCPCS parsers on the official files (CODEATLAS_SOURCES): counts, J9035, LT, notes, drug table."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from desktop.core.records import CodeRecord, Kind, NoteKind
from index_build.sources.base import Parsed, SourceFile
from index_build.sources.hcpcs import build, detect
from index_build.sources.hcpcs.anweb_txt import parse_anweb_txt
from index_build.sources.hcpcs.anweb_xlsx import parse_anweb_xlsx

HEAD = 65536
JAN_ZIP = "january-2026-alpha-numeric-hcpcs-file.zip"


@pytest.fixture(scope="module")
def sources(real_sources: Path) -> list[SourceFile]:
    found: list[SourceFile | None] = []
    for path in sorted(p for p in real_sources.rglob("*") if p.is_file()):
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                heads = {name: archive.open(name).read(HEAD) for name in archive.namelist()}
            found += [detect(path, name, head) for name, head in heads.items()]
        else:
            with open(path, "rb") as handle:
                found.append(detect(path, "", handle.read(HEAD)))
    return [source for source in found if source is not None]


@pytest.fixture(scope="module")
def july(sources: list[SourceFile]) -> Parsed:
    return build(sources, lambda _: None)


@pytest.fixture(scope="module")
def january(sources: list[SourceFile]) -> Parsed:
    return build([s for s in sources if s.release != "July 2026"], lambda _: None)


def _records(parsed: Parsed) -> dict[str, CodeRecord]:
    return {record.code: record for record in parsed.records}


def test_detected_files(sources: list[SourceFile]) -> None:
    found = sorted((s.name, s.kind, s.release, s.effective) for s in sources)
    assert found == [
        ("2019-HCPCS-Index.pdf", "hcpcs-index-pdf", "2019", "2019-01-01"),
        ("2019-Table-of-Drugs.pdf", "hcpcs-drug-table-pdf", "2019", "2019-01-01"),
        ("hcpcs-2026.xlsx", "hcpcs-xlsx", "July 2026", "2026-07-01"),
        (f"{JAN_ZIP}!HCPC2026_JAN_ANWEB_01122026.txt", "hcpcs-anweb-txt", "January 2026", "2026-01-01"),
        (f"{JAN_ZIP}!HCPC2026_JAN_ANWEB_01122026.xlsx", "hcpcs-xlsx", "January 2026", "2026-01-01"),
        (f"{JAN_ZIP}!proc_notes_JAN2026.txt", "hcpcs-proc-notes", "January 2026", "2026-01-01"),
    ]


def test_july_2026_counts(july: Parsed) -> None:
    assert [(r.release, r.effective) for r in july.releases] == [("July 2026", "2026-07-01")]
    counts = july.counts
    assert (counts["codes"], counts["codes not terminated"], counts["modifiers"]) == (8725, 7418, 384)
    assert counts["proc notes joined"] > 800
    assert counts["drug-table rows"] > 700
    assert counts["drug names attached"] > 600
    assert counts["index terms"] > 4000
    assert any("January 2026 (txt, xlsx), July 2026 (xlsx); built July 2026" in w for w in july.warnings)


def test_january_2026_from_the_fixed_width_file(january: Parsed) -> None:
    assert january.releases[0].release == "January 2026"
    assert january.files_used[0].member == "HCPC2026_JAN_ANWEB_01122026.txt"
    assert (january.counts["codes"], january.counts["modifiers"]) == (8623, 383)


def test_j9035(july: Parsed) -> None:
    record = _records(july)["J9035"]
    assert (record.title, record.short_title) == ("Injection, bevacizumab, 10 mg", "Bevacizumab injection")
    assert (record.kind, record.billable, record.terminated) == (Kind.CODE, True, False)
    attributes = dict(record.attributes)
    assert attributes["Added"] == "2005-01-01"
    assert attributes["Action effective"] == "2005-01-01"
    assert attributes["Pricing indicator"] == "51 - Drugs"
    assert attributes["BETOS"] == "O1E - Other drugs"
    assert attributes["Coverage"] == "C - Carrier judgment"
    assert attributes["Action"] == "N - No maintenance for this code"
    assert "Terminated" not in attributes


def test_modifier_lt(july: Parsed) -> None:
    record = _records(july)["LT"]
    assert record.kind is Kind.MODIFIER and not record.billable
    assert record.title == "Left side (used to identify procedures performed on the left side of the body)"
    assert record.short_title == "Left side"
    assert ("Added", "1984-01-01") in record.attributes


def test_processing_note_joined(july: Parsed) -> None:
    record = _records(july)["E0194"]
    assert ("Processing note number", "0013") in record.attributes
    (note,) = record.notes
    assert note.kind is NoteKind.PROCESSING_NOTE
    assert note.text.startswith("THIS DEVICE (E0194) SHOULD NOT BE CONFUSED WITH E0193")
    assert [ref.start for ref in note.refs] == ["E0194", "E0193"]


def test_drug_table_leads_bevacizumab_to_its_code(july: Parsed) -> None:
    assert "Bevacizumab" in _records(july)["J9035"].search_terms
    drug_terms = [t for t in july.index_terms if t.source == "hcpcs-drug" and t.code == "J9035"]
    assert [(t.path, t.column) for t in drug_terms] == [(("Bevacizumab",), "10 mg IV")]
    assert "Herceptin" in _records(july)["J9355"].search_terms  # 'Herceptin, see Trastuzumab'
    index_terms = {t.path for t in july.index_terms if t.source == "hcpcs-index" and t.code == "E0194"}
    assert ("Air fluidized bed",) in index_terms


def test_terminated_codes_are_kept_and_marked(july: Parsed) -> None:
    records = _records(july)
    terminated = [r for r in records.values() if r.terminated]
    assert len(terminated) == 8725 - 7418 + sum(r.terminated for r in records.values() if r.kind is Kind.MODIFIER)
    assert all(dict(r.attributes).get("Terminated", "").startswith(("19", "20")) for r in terminated)


def test_no_cpt_descriptors(july: Parsed) -> None:
    codes = [r.code for r in july.records]
    assert all(re.fullmatch(r"[A-V]\d{4}|[A-Z0-9]{2}", code) for code in codes)
    assert not [code for code in codes if code.isdigit()]


def test_january_txt_and_xlsx_agree(sources: list[SourceFile]) -> None:
    by_name = {s.member: s for s in sources if s.member}
    txt = parse_anweb_txt(by_name["HCPC2026_JAN_ANWEB_01122026.txt"].read_bytes(), "txt")
    _, xlsx = parse_anweb_xlsx(by_name["HCPC2026_JAN_ANWEB_01122026.xlsx"].read_bytes(), "xlsx")
    assert [(r.code, r.long_description, r.short_description) for r in txt] == [
        (r.code, r.long_description, r.short_description) for r in xlsx
    ]
