"""Release labels and effective dates from file names and <version>."""

from __future__ import annotations

import pytest

from index_build.sources.fiscal import release_from_text, release_of


@pytest.mark.parametrize(
    ("name", "version", "expected"),
    [
        ("icd10cm-drug-April-1-2026-XML.xml", "2026", ("FY2026 (April 1, 2026 update)", "2026-04-01")),
        ("icd10c-tabular-April-1-2026.xml", "", ("FY2026 (April 1, 2026 update)", "2026-04-01")),
        ("icd10cm-index-April-1-2026-XML.xml", "", ("FY2026 (April 1, 2026 update)", "2026-04-01")),
        ("icd10cm_index_2026.xml", "2026", ("FY2026", "2025-10-01")),
        ("icd10cm_tabular_2025.xml", "", ("FY2025", "2024-10-01")),
        ("tabular.xml", "2027", ("FY2027", "2026-10-01")),
        ("fy-2026-icd-10-cm-coding-guidelines.pdf", "", ("FY2026", "2025-10-01")),
    ],
)
def test_release_of(name: str, version: str, expected: tuple[str, str]) -> None:
    assert release_of(name, version) == expected


def test_unknown_release_sorts_first() -> None:
    assert release_of("tabular.xml") == ("unknown release", "0000-00-00")


def test_october_update_is_the_plain_fiscal_year() -> None:
    assert release_from_text("FY 2026 (October 1, 2025 - September 30, 2026)") == ("FY2026", "2025-10-01")
