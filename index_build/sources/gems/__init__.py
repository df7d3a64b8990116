"""The diagnosis General Equivalence Mappings (Dxgem_YYYY.zip: YYYY_I9gem.txt, YYYY_I10gem.txt).

The GEMs are read by the ICD-10-CM build: they give the retired ICD-9-CM codes their own records
(code set ICD-9-CM, terminated) and each ICD-10-CM code the ICD-9-CM codes that map to it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.records import CodeRecord, CodeSet, CrosswalkEntry, HistoryEvent, Kind
from index_build.sources.base import SourceError, SourceFile

FORWARD, BACKWARD = "gem-icd9-to-icd10", "gem-icd10-to-icd9"
NO_DIAGNOSIS = "NoDx"
ICD9_RETIRED = ("FY2016", "2015-10-01")  # ICD-10-CM replaced ICD-9-CM for services from October 1, 2015
_NAME = re.compile(r"(\d{4})_I(9|10)gem\.txt$", re.I)
# case-insensitive: the 2018 I10gem has at least one lower-case code ('T8853XD v5889 10000')
_LINE = re.compile(r"^([0-9A-Z]{3,7}) +([0-9A-Z]{3,7}) +([01]{3})(\d)(\d)\s*$", re.I)
_MAX_TITLE_CODES = 6


def detect(path: Path, member: str, head: bytes) -> SourceFile | None:
    """A GEM text file by name (2018_I9gem.txt) and layout; None if not one."""
    name = Path(member or path.name).name
    match = _NAME.search(name)
    lines = head.decode("latin-1").splitlines()[:5]
    if not lines or not all(_LINE.match(line) for line in lines[:-1] or lines):
        return None
    if match is None:
        return None  # a GEM-shaped file under another name: direction unknown, better not guess
    year = match.group(1)
    kind = FORWARD if match.group(2) == "9" else BACKWARD
    return SourceFile(path, kind, CodeSet.ICD10CM, f"{year} GEMs", f"{int(year) - 1}-10-01", member)


@dataclass(frozen=True, slots=True)
class GemLine:
    source: str  # without dots, as in the file
    target: str  # without dots, or '' for no map
    approximate: bool
    no_map: bool
    combination: bool
    scenario: int
    choice: int


def parse_gem(source: SourceFile) -> list[GemLine]:
    """Every mapping line; a line out of the layout raises SourceError with its number."""
    found: list[GemLine] = []
    cache: dict[str, tuple[bool, bool, bool, int, int]] = {}  # a few dozen distinct flag strings
    for number, line in enumerate(source.read_bytes().decode("latin-1").splitlines(), start=1):
        fields = line.split()
        if not fields:
            continue
        # split() and a flag cache instead of a pattern per line: the two files hold 100,000 lines
        flags = cache.get(fields[-1]) if len(fields) == 3 else None
        if flags is None:
            match = _LINE.match(line)
            if match is None:
                raise SourceError(source.name, f"not a GEM line (source, target, 5 flags): {line[:40]!r}", line=number)
            bits = match.group(3)
            flags = (bits[0] == "1", bits[1] == "1", bits[2] == "1", int(match.group(4)), int(match.group(5)))
            cache[fields[2]] = flags
        target = fields[1].upper()
        found.append(GemLine(fields[0].upper(), "" if target == NO_DIAGNOSIS.upper() else target, *flags))
    return found


def icd9_display(code: str) -> str:
    """25000 -> 250.00, V010 -> V01.0, E8490 -> E849.0, 042 -> 042."""
    head = 4 if code.startswith("E") else 3
    return code if len(code) <= head else f"{code[:head]}.{code[head:]}"


def icd10_display(code: str) -> str:
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def _entry(line: GemLine, code: str) -> CrosswalkEntry:
    return CrosswalkEntry(code, line.approximate, line.no_map, line.combination, line.scenario, line.choice)


def _title(entries: list[CrosswalkEntry]) -> str:
    """'Retired ICD-9-CM code; maps to E11.9': code numbers only, so word searches do not find ICD-9 codes."""
    codes = list(dict.fromkeys(entry.code for entry in entries if entry.code))
    if not codes:
        return "Retired ICD-9-CM code; no ICD-10-CM equivalent in the GEMs"
    shown = ", ".join(codes[:_MAX_TITLE_CODES])
    more = f" and {len(codes) - _MAX_TITLE_CODES} more" if len(codes) > _MAX_TITLE_CODES else ""
    how = " (combination)" if any(entry.combination for entry in entries) else ""
    return f"Retired ICD-9-CM code; maps to {shown}{more}{how}"


@dataclass
class Crosswalk:
    """What the GEMs add to the index."""

    icd9_records: list[CodeRecord] = field(default_factory=list)
    to_icd10: dict[str, tuple[CrosswalkEntry, ...]] = field(default_factory=dict)  # ICD-10 display -> ICD-9s
    counts: dict[str, int] = field(default_factory=dict)


def build_crosswalk(forward: list[GemLine], backward: list[GemLine]) -> Crosswalk:
    """ICD-9-CM records from the forward map, and per ICD-10-CM code the ICD-9-CM codes that map to it."""
    by_icd9: dict[str, list[CrosswalkEntry]] = defaultdict(list)
    by_icd10: dict[str, list[CrosswalkEntry]] = defaultdict(list)
    for line in forward:
        target = icd10_display(line.target) if line.target else ""
        by_icd9[icd9_display(line.source)].append(_entry(line, target))
        if target:
            by_icd10[target].append(_entry(line, icd9_display(line.source)))
    # An ICD-9 code only in the backward map (ICD-10 -> ICD-9) still gets its record: typing it must answer.
    for line in backward:
        if line.target and icd9_display(line.target) not in by_icd9:
            by_icd9[icd9_display(line.target)].append(_entry(line, icd10_display(line.source)))
    # The backward map names ICD-9 equivalents the forward one does not (E11.22 <- 250.40, which itself
    # maps forward to E11.29): a coder reading an old record needs both.
    forward_sources = {code: {entry.code for entry in entries} for code, entries in by_icd10.items()}
    for line in backward:
        if line.target:
            code, icd9 = icd10_display(line.source), icd9_display(line.target)
            if icd9 not in forward_sources.get(code, ()):
                by_icd10[code].append(_entry(line, icd9))
    result = Crosswalk()
    for order, (code, entries) in enumerate(sorted(by_icd9.items()), start=1):
        replacement = tuple(dict.fromkeys(entry.code for entry in entries if entry.code))
        result.icd9_records.append(
            CodeRecord(
                CodeSet.ICD9CM,
                code,
                _title(entries),
                Kind.CODE,
                terminated=True,
                crosswalk=tuple(entries),
                history=(HistoryEvent("deleted", ICD9_RETIRED[0], ICD9_RETIRED[1], replacement),),
                order=order,
            )
        )
    result.to_icd10 = {code: tuple(entries) for code, entries in by_icd10.items()}
    result.counts = {
        "GEM ICD-9 to ICD-10 lines": len(forward),
        "GEM ICD-10 to ICD-9 lines": len(backward),
        "ICD-9-CM codes": len(result.icd9_records),
        "ICD-10-CM codes with ICD-9-CM sources": len(by_icd10),
    }
    return result
