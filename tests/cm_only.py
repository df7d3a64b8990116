"""A small real index that holds ICD-10-CM only, as a first run without sources builds (for coverage tests)."""

from __future__ import annotations

from pathlib import Path

from desktop.core.records import CodeSet
from index_build.manifest import make_manifest
from index_build.sources.base import Parsed
from index_build.writer import write_index
from tests.sample_data import sample_parsed


def write_cm_only_index(folder: Path) -> Path:
    """The sample ICD-10-CM records alone, written by the real writer into folder."""
    everything = sample_parsed()
    parsed = Parsed(
        records=[r for r in everything.records if r.code_set is CodeSet.ICD10CM],
        index_terms=[t for t in everything.index_terms if t.code_set is CodeSet.ICD10CM],
        guidelines=[g for g in everything.guidelines if g.code_set is CodeSet.ICD10CM],
        releases=[r for r in everything.releases if r.code_set is CodeSet.ICD10CM],
    )
    write_index(folder, parsed, make_manifest({"ICD-10-CM": parsed}, [], 0.0), lambda line: None)
    return folder
