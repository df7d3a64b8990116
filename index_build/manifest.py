"""The builder's side of the manifest: what went in, from which files, and how much (desktop.core.manifest)."""

from __future__ import annotations

import datetime as dt
import platform
from typing import Any

from desktop.core.manifest import Manifest
from index_build.sources.base import Parsed, SourceFile


def file_entry(source: SourceFile) -> dict[str, Any]:
    return {
        "name": source.name,
        "kind": source.kind,
        "code_set": str(source.code_set),
        "release": source.release,
        "effective": source.effective,
        "sha256": source.sha256(),
    }


def make_manifest(parsed_by_set: dict[str, Parsed], skipped: list[str], seconds: float) -> Manifest:
    """Everything but the document count and the index files, which the writer adds."""
    code_sets = []
    files: list[dict[str, Any]] = []
    counts: dict[str, dict[str, int]] = {}
    warnings: list[str] = []
    for name, parsed in parsed_by_set.items():
        for release in parsed.releases:
            code_sets.append(
                {
                    "code_set": str(release.code_set),
                    "release": release.release,
                    "effective": release.effective,
                    "files": list(release.files),
                }
            )
        files.extend(file_entry(source) for source in parsed.files_used)
        counts[name] = dict(parsed.counts)
        warnings.extend(f"{name}: {line}" for line in parsed.warnings)
    return Manifest(
        built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        code_sets=code_sets,
        files=files,
        counts=counts,
        skipped=list(skipped),
        warnings=warnings,
        extra={"parse_seconds": round(seconds, 1), "builder": {"python": platform.python_version()}},
    )
