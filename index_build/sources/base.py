"""What every source parser shares: the detected file, the parse result, the error it raises."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from desktop.core.manifest import sha256
from desktop.core.records import (
    CodeRecord,
    CodeSet,
    GuidelineSection,
    IndexTerm,
    PcsDefinition,
    PcsDeviceAggregate,
    SourceRelease,
)

Log = Callable[[str], None]


class SourceError(Exception):
    """A source file is malformed; the message names the file and, where known, the line or element."""

    def __init__(self, file: str, message: str, *, line: int | None = None, element: str = "") -> None:
        self.file = file
        self.line = line
        self.element = element
        self.reason = message
        where = file
        if line is not None:
            where += f", line {line}"
        if element:
            where += f", element <{element}>"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class SourceFile:
    """One recognised official file: a file on disk, or a member of a zip on disk."""

    path: Path
    kind: str  # e.g. "icd10cm-tabular", "hcpcs-anweb-txt"; see each parser's detect()
    code_set: CodeSet
    release: str  # human label: "FY2026 April 1, 2026 update", "July 2026"
    effective: str  # ISO date the release takes effect, used to pick the newest
    member: str = ""  # name inside the zip at `path`, if any

    @property
    def name(self) -> str:
        """The name shown in messages: 'file.zip!member.txt' or the file name."""
        return f"{self.path.name}!{self.member}" if self.member else self.path.name

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        """Open the file (or zip member) for binary reading."""
        if not self.member:
            with open(self.path, "rb") as handle:
                yield handle
            return
        try:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as handle:
                yield io.BufferedReader(handle)  # type: ignore[arg-type,type-var]
        except zipfile.BadZipFile as exc:
            raise SourceError(self.path.name, f"damaged zip archive ({exc})") from exc

    def read_bytes(self) -> bytes:
        with self.open() as handle:
            return handle.read()

    def sha256(self) -> str:
        with self.open() as handle:
            return sha256(handle)


@dataclass
class Parsed:
    """Everything one code set contributes to the index."""

    records: list[CodeRecord] = field(default_factory=list)
    index_terms: list[IndexTerm] = field(default_factory=list)
    guidelines: list[GuidelineSection] = field(default_factory=list)
    definitions: list[PcsDefinition] = field(default_factory=list)
    aggregates: list[PcsDeviceAggregate] = field(default_factory=list)
    releases: list[SourceRelease] = field(default_factory=list)
    files_used: list[SourceFile] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # "billable codes": 74719, ...
    warnings: list[str] = field(default_factory=list)  # build-summary lines (unknown stubs, ...)

    def extend(self, other: Parsed) -> None:
        self.records.extend(other.records)
        self.index_terms.extend(other.index_terms)
        self.guidelines.extend(other.guidelines)
        self.definitions.extend(other.definitions)
        self.aggregates.extend(other.aggregates)
        self.releases.extend(other.releases)
        self.files_used.extend(other.files_used)
        for key, value in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + value
        self.warnings.extend(other.warnings)
