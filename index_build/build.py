"""Finds the official files in a folder, parses each code set, and writes the index."""

from __future__ import annotations

import json
import time
import zipfile
from collections import defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

from desktop.core.records import CodeSet
from desktop.core.schema import MANIFEST_NAME
from index_build.manifest import make_manifest
from index_build.sources import code_set_modules
from index_build.sources.base import Log, Parsed, SourceError, SourceFile
from index_build.writer import write_index

HEAD_BYTES = 64 * 1024
_IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def _detect(modules: dict[CodeSet, ModuleType], path: Path, member: str, head: bytes) -> SourceFile | None:
    for module in modules.values():
        found: SourceFile | None = module.detect(path, member, head)
        if found is not None:
            return found
    return None


def discover(folder: Path, modules: dict[CodeSet, ModuleType]) -> tuple[list[SourceFile], list[str]]:
    """Every recognised file under folder (zip members included) and the names of the rest."""
    found: list[SourceFile] = []
    skipped: list[str] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.name in _IGNORED_NAMES or path.name.startswith("."):
            continue
        if path.suffix.lower() == ".zip":
            found_in_zip, skipped_in_zip = _discover_zip(path, modules)
            found.extend(found_in_zip)
            skipped.extend(skipped_in_zip)
            continue
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
        source = _detect(modules, path, "", head)
        if source is None:
            skipped.append(str(path.relative_to(folder)))
        else:
            found.append(source)
    return found, skipped


def _discover_zip(path: Path, modules: dict[CodeSet, ModuleType]) -> tuple[list[SourceFile], list[str]]:
    found: list[SourceFile] = []
    skipped: list[str] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                with archive.open(info) as handle:
                    head = handle.read(HEAD_BYTES)
                source = _detect(modules, path, info.filename, head)
                if source is None:
                    skipped.append(f"{path.name}!{info.filename}")
                else:
                    found.append(source)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise SourceError(path.name, f"damaged or truncated zip archive ({exc})") from exc
    return found, skipped


def build_index(out_dir: Path, sources: Path | None, log: Log = print) -> dict[str, Any]:
    """Parse every recognised file (plus the packaged ICD-10-CM tabular) and write the index.

    Raises SourceError for a malformed file; the previous index at out_dir is then untouched.
    """
    started = time.perf_counter()
    modules = code_set_modules()
    found: list[SourceFile] = []
    skipped: list[str] = []
    if sources is not None:
        if not sources.is_dir():
            raise SourceError(str(sources), "the sources folder does not exist")
        log(f"Looking for official files in {sources}")
        found, skipped = discover(sources, modules)
    by_set: dict[CodeSet, list[SourceFile]] = defaultdict(list)
    for source in found:
        by_set[source.code_set].append(source)
        log(f"  found {source.name}: {source.code_set} {source.release} ({source.kind})")
    for name in skipped:
        log(f"  skipped {name}: not a recognised code-set file")
    by_set[CodeSet.ICD10CM].append(modules[CodeSet.ICD10CM].packaged_tabular())

    combined = Parsed()
    parsed_by_set: dict[str, Parsed] = {}
    for code_set, module in modules.items():
        if not by_set.get(code_set):
            continue
        log(f"Building {code_set}")
        parsed: Parsed = module.build(by_set[code_set], log)
        parsed_by_set[str(code_set)] = parsed
        combined.extend(parsed)
        summary = ", ".join(f"{key} {value:,}" for key, value in parsed.counts.items())
        log(f"  {code_set}: {summary}")
        for line in parsed.warnings:
            log(f"  note: {line}")
    parse_seconds = time.perf_counter() - started
    manifest = make_manifest(parsed_by_set, skipped, parse_seconds)
    log(f"Writing index to {out_dir}")
    manifest = write_index(out_dir, combined, manifest, log)
    manifest["build_seconds"] = round(time.perf_counter() - started, 1)
    # Rewrite with the total time; the folder is already in place, so a failure here loses nothing.
    (out_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    log(f"Done: {manifest['documents']:,} documents, {manifest['index_bytes'] / 1e6:.1f} MB, "
        f"{manifest['build_seconds']} s")
    return manifest
