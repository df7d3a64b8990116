"""CMS order files (icd10cm_order_YYYY.txt, icd10pcs_order_YYYY.txt) and their order addenda."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index_build.sources.base import SourceError, SourceFile

# Fixed width, 1-based: order 1-5, code 7-13, header (0) / valid (1) flag 15, short title 17-76, long title 78-.
_LINE = re.compile(r"^(\d{5}) ([0-9A-Z]{3,7}) *([01]) (.{1,60}?) *(?: (\S.*))?$")
# Addenda: 'Revise from: ' (13 columns, every action padded to it), then in ICD-10-CM a 0/1 flag and a
# space, then the code in 7 columns, a space, the short title in 60 columns, a space, the long title.
_ADDENDA = re.compile(r"^(Add|Delete|Revise from|Revise to):\s+(?:([01]) )?([0-9A-Z]{3,7})\b")
_ADDENDA_PREFIX = 13


@dataclass(frozen=True, slots=True)
class OrderEntry:
    """One code or header line of an order file."""

    order: int
    code: str  # as in the file, without a dot: E119, 0DTJ4ZZ
    valid: bool  # 1 = valid for submission (billable), 0 = header
    short_title: str
    long_title: str


@dataclass(frozen=True, slots=True)
class AddendaEntry:
    """One line of an order addenda file: what changed in this release."""

    action: str  # "add", "delete", "revise from", "revise to"
    code: str
    valid: bool
    short_title: str
    long_title: str


def _split(line: str, start: int) -> tuple[str, str]:
    """(short, long) from the fixed columns: short title in 60 characters, then the long title."""
    short = line[start : start + 60].strip()
    long = line[start + 61 :].strip() or short
    return short, long


def looks_like_order_file(text: str) -> bool:
    """Whether the head of a text file is an order file: several lines in the fixed order layout."""
    lines = [line for line in text.splitlines()[:5] if line.strip()]
    return len(lines) >= 2 and all(_LINE.match(line) for line in lines[:-1])


def looks_like_order_addenda(text: str) -> bool:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    return len(lines) >= 2 and sum(bool(_ADDENDA.match(line)) for line in lines) * 2 >= len(lines)


def parse_order_file(source: SourceFile) -> dict[str, OrderEntry]:
    """Every line of an order file by code; a line out of the layout raises SourceError with its number."""
    entries: dict[str, OrderEntry] = {}
    text = source.read_bytes().decode("latin-1")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        line = line.rstrip()
        # the cheap positional check on every line; the full pattern only decides detection
        if len(line) < 18 or line[5] != " " or line[14] not in "01" or not line[:5].isdigit():
            raise SourceError(source.name, f"not an order-file line: {line[:60]!r}", line=number)
        short, long = _split(line, 16)
        code = line[6:13].strip()
        entries[code] = OrderEntry(int(line[:5]), code, line[14] == "1", short, long)
    if not entries:
        raise SourceError(source.name, "the order file holds no codes")
    return entries


def parse_order_addenda(source: SourceFile) -> list[AddendaEntry]:
    """The Add / Delete / Revise lines of an order addenda file; headers and totals are skipped."""
    found: list[AddendaEntry] = []
    text = source.read_bytes().decode("latin-1")
    for line in text.splitlines():
        line = line.rstrip()
        match = _ADDENDA.match(line)
        if not match:
            continue  # the closing 'Codes ... Headers ...' totals
        start = _ADDENDA_PREFIX + (2 if match.group(2) else 0)
        short, long = _split(line, start + 8)
        valid = match.group(2) == "1" if match.group(2) else len(match.group(3)) == 7
        found.append(AddendaEntry(match.group(1).lower(), match.group(3), valid, short, long))
    return found
