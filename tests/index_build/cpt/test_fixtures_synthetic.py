"""CPT descriptors belong to the AMA: the CPT fixtures may hold only text written for the tests."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from index_build import cpt_import
from index_build.sources.cpt import ColumnChoice


def _cells(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".csv":
        return [row for row in csv.reader(io.StringIO(text)) if row]
    return [line.split("\t") for line in text.splitlines() if line.strip()]


def test_every_fixture_line_is_synthetic(fixtures_dir: Path) -> None:
    files = sorted((fixtures_dir / "cpt").iterdir())
    assert len(files) >= 8
    checked = 0
    for path in files:
        rows = _cells(path)
        if rows and any("code" in cell.lower() for cell in rows[0]):
            rows = rows[1:]  # the header line names columns
        for number, row in enumerate(rows, start=1):
            for cell in row:
                text = cell.strip()
                if " " in text:  # any wording, as opposed to codes, ids, amounts and one-word labels
                    checked += 1
                    assert text.startswith("Synthetic"), f"{path.name} row {number}: {text!r}"
    assert checked >= 40  # the check really looked at the descriptors


def test_every_imported_fixture_descriptor_is_synthetic(fixtures_dir: Path) -> None:
    folder = fixtures_dir / "cpt"
    plan = cpt_import.inspect(sorted(folder.iterdir()), {folder / "charges.csv": ColumnChoice(2, 3)})
    entries = list(plan.entries().values())
    assert len(entries) >= 25
    texts = [getattr(e, role) for e in entries for role in ("long", "medium", "short") if getattr(e, role)]
    assert texts and all(text.startswith("Synthetic") for text in texts), texts
