"""Imports a licensed user's own CPT data files into a separate index: inspect first, then write."""

from __future__ import annotations

import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core import paths
from desktop.core.manifest import MANIFEST_NAME, Manifest
from desktop.core.records import CodeSet, SourceRelease
from desktop.core.search.cache_build import write_for_index as write_search_cache
from index_build.manifest import make_manifest
from index_build.sources.base import Log, SourceError
from index_build.sources.cpt import (
    ColumnChoice,
    CptFile,
    Descriptors,
    Merged,
    Problem,
    is_code,
    merge,
    read_cpt_file,
    release_for,
    to_parsed,
)
from index_build.staging import staged
from index_build.writer import write_index

PROBLEMS_LISTED = 100  # a broken file can have thousands of bad rows; the first ones say what is wrong


@dataclass(frozen=True, slots=True)
class FileSummary:
    """What one picked file gives, or why it was rejected."""

    path: Path
    role: str = ""  # long, medium or short descriptors
    encoding: str = ""
    delimiter: str = ""  # tab, comma, space
    code_column: int = -1  # 0-based
    descriptor_column: int = -1
    width: int = 0  # columns
    preview: tuple[tuple[str, ...], ...] = ()  # the first lines, split into cells
    header: bool = False
    codes: int = 0
    modifiers: int = 0
    bad_rows: int = 0
    needs_columns: bool = False  # a CSV/TSV whose columns the user must pick
    rejected: str = ""  # why the file gives nothing, e.g. "is empty"

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class ImportPlan:
    """The summary shown before importing; nothing has been written yet."""

    files: list[FileSummary]
    codes_by_form: dict[str, int]  # "Category I": 9000, "Category III": 400, ...
    modifiers: int
    descriptors: dict[str, int]  # long/medium/short: how many codes and modifiers have one
    problems: list[Problem]  # the first PROBLEMS_LISTED
    problem_count: int  # all of them
    release: SourceRelease
    warnings: list[str] = field(default_factory=list)
    _parsed: list[CptFile] = field(default_factory=list, repr=False)
    _merged: Merged = field(default_factory=Merged, repr=False)

    @property
    def codes(self) -> int:
        return sum(self.codes_by_form.values())

    @property
    def pending(self) -> list[FileSummary]:
        """Files still waiting for the user to pick their columns."""
        return [summary for summary in self.files if summary.needs_columns]

    @property
    def importable(self) -> bool:
        return bool(self.codes or self.modifiers) and not self.pending

    def entries(self) -> dict[str, Descriptors]:
        """Every code and modifier to import with its descriptors, by code."""
        return {**self._merged.codes, **self._merged.modifiers}


def _choice_for(
    path: Path,
    column_choice: Mapping[Path, ColumnChoice] | ColumnChoice | None,
) -> ColumnChoice | None:
    if column_choice is None or isinstance(column_choice, ColumnChoice):
        return None
    return column_choice.get(path) or column_choice.get(path.resolve())


def _read(path: Path, column_choice: Mapping[Path, ColumnChoice] | ColumnChoice | None) -> CptFile:
    parsed = read_cpt_file(path, _choice_for(path, column_choice))
    if parsed.needs_columns and isinstance(column_choice, ColumnChoice):
        parsed = read_cpt_file(path, column_choice)  # one choice for every file without a known layout
    return parsed


def _summary(parsed: CptFile) -> FileSummary:
    codes = sum(1 for row in parsed.rows if is_code(row.code))
    return FileSummary(
        parsed.path,
        parsed.role,
        parsed.encoding,
        str(parsed.layout.delimiter),
        parsed.layout.code,
        parsed.layout.descriptor,
        parsed.width,
        parsed.preview,
        parsed.header,
        codes,
        len(parsed.rows) - codes,
        len(parsed.problems),
        parsed.needs_columns,
    )


def inspect(
    paths_: list[Path],
    column_choice: Mapping[Path, ColumnChoice] | ColumnChoice | None = None,
) -> ImportPlan:
    """Read and check every file; column_choice maps a file (or all unknown layouts) to its columns."""
    summaries: list[FileSummary] = []
    problems: list[Problem] = []
    usable: list[CptFile] = []
    for path in dict.fromkeys(paths_):
        try:
            parsed = _read(path, column_choice)
        except SourceError as exc:
            summaries.append(FileSummary(path, rejected=exc.reason))
            problems.append(Problem(path.name, None, f"the file was not used: it {exc.reason}"))
            continue
        summaries.append(_summary(parsed))
        if not parsed.needs_columns:  # a guess's bad rows would mislead; they show once columns are picked
            usable.append(parsed)
            problems.extend(parsed.problems)
    merged = merge(usable)
    release = release_for([parsed.path for parsed in usable])
    warnings = [
        f"{name}: {count:,} rows repeat a descriptor an earlier file gave; the first was kept"
        for name, count in merged.repeated.items()
    ]
    return ImportPlan(
        summaries,
        merged.forms(),
        len(merged.modifiers),
        merged.roles(),
        problems[:PROBLEMS_LISTED],
        len(problems),
        release,
        warnings,
        usable,
        merged,
    )


def write(plan: ImportPlan, log: Log = print, out_dir: Path | None = None) -> Manifest:
    """Write the plan's codes into the CPT index (paths.cpt_index_dir()), replacing any previous import.

    The index is built aside and swapped in, so a failure leaves the previous import as it was.
    Returns the manifest written beside the index.
    """
    if plan.pending:
        names = ", ".join(summary.name for summary in plan.pending)
        raise ValueError(f"Choose the code and descriptor columns of {names} first.")
    if not plan.importable:
        raise ValueError("Nothing to import: no file has a valid CPT code or modifier row.")
    started = time.perf_counter()
    folder = out_dir if out_dir is not None else paths.cpt_index_dir()
    parsed = to_parsed(plan._merged, plan._parsed, plan.release)
    log(f"Preparing {plan.codes:,} CPT codes and {plan.modifiers:,} modifiers from {len(plan._parsed)} file(s)")
    manifest = make_manifest({str(CodeSet.CPT): parsed}, [], time.perf_counter() - started)
    manifest.extra["cpt_import"] = {"problems": plan.problem_count, "descriptors": plan.descriptors}
    log(f"Writing the CPT index to {folder}")
    with staged(folder) as fresh:
        manifest = write_index(fresh, parsed, manifest, log)
        # As the builder does: the search cache is tied to the manifest, so it is built last. Without it the
        # app builds one on first open, so a failure here only costs that time.
        try:
            write_search_cache(fresh)
        except Exception as exc:  # the import itself is complete and usable
            log(f"  the search cache was not written ({exc}); CodeAtlas builds it when it opens the CPT data")
    log(f"Done: {plan.codes:,} CPT codes and {plan.modifiers:,} modifiers imported")
    return manifest


def has_cpt(out_dir: Path | None = None) -> bool:
    """Whether the user has imported CPT data (a complete index with its manifest)."""
    folder = out_dir if out_dir is not None else paths.cpt_index_dir()
    return (folder / MANIFEST_NAME).is_file()


def remove(out_dir: Path | None = None) -> None:
    """Delete the imported CPT data completely, with any folder an interrupted import left behind.

    The app must close its CPT index first: Windows cannot delete open files.
    """
    folder = out_dir if out_dir is not None else paths.cpt_index_dir()
    if folder.exists():
        shutil.rmtree(folder)
    if folder.parent.is_dir():
        # The writer's staging and retired folders (".cpt.building-<pid>", ".cpt.old-<pid>").
        for leftover in folder.parent.glob(f".{folder.name}.*-*"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
