"""The builder's printed total and the manifest's timing are named so they cannot be mistaken for each other."""

from __future__ import annotations

import re
from pathlib import Path

from index_build.build import build_index

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_done_line_total_and_the_manifest_seconds_say_what_they_cover(tmp_path: Path) -> None:
    lines: list[str] = []
    manifest = build_index(tmp_path / "index", [FIXTURES / "icd10cm", FIXTURES / "hcpcs"], lines.append)
    done = lines[-1]
    found = re.fullmatch(
        r"Done: [\d,]+ documents, [\d.]+ MB, ([\d.]+) s in all "
        r"\(parse_seconds ([\d.]+) \+ write_seconds ([\d.]+) as in the manifest, then the search cache ([\d.]+) s\)",
        done,
    )
    assert found, done
    total, parse, write, cache = (float(value) for value in found.groups())
    recorded = manifest.to_dict()
    assert "build_seconds" not in recorded  # once read as the whole build, which it never was
    assert (parse, write) == (recorded["parse_seconds"], recorded["write_seconds"])
    assert abs(total - (parse + write + cache)) <= 0.16
