"""The processing notes file (proc_notes_*.txt): 'NNNN--TEXT' blocks keyed by the PROCNOTE number."""

from __future__ import annotations

import re

from desktop.core.records import CodeRef
from index_build.sources.base import SourceError

_START = re.compile(r"^\s*(\d{4})--\s*(.*)$")
_MARGIN = re.compile(r"\s*\*?\s*$")  # the right-hand '*' column and trailing blanks/tabs
# HCPCS Level II codes quoted in notes (E0193, A4650-A4663); CPT numbers and CDT (Dxxxx) codes,
# which are not in the HCPCS file, are not linked.
_CODE_REF = re.compile(r"\b([A-CE-V]\d{4})(?:\s*-\s*([A-CE-V]\d{4}))?\b")


def looks_like_proc_notes(text: str) -> bool:
    return "PROCESSING NOTES" in text.upper() and any(_START.match(line) for line in text.splitlines()[:60])


def parse_proc_notes(data: bytes, file_name: str) -> dict[str, str]:
    """Note number ('0088') -> note text, wrapped lines joined with a space."""
    text = data.decode("cp1252", errors="replace")
    notes: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = _MARGIN.sub("", raw.expandtabs(8))
        if not line.strip():
            continue
        start = _START.match(line)
        if start:
            key = start.group(1)
            if key in notes:
                raise SourceError(file_name, f"processing note {key} appears twice", line=number)
            current = notes[key] = [start.group(2)]
        elif current is not None:
            current.append(line.strip())
        elif "PROCESSING NOTES" not in line.upper() and not set(line.strip()) <= set("_-= "):
            raise SourceError(file_name, f"text before the first 'NNNN--' note: {line.strip()[:60]!r}", line=number)
    if not notes:
        raise SourceError(file_name, "no 'NNNN--' processing notes found")
    return {key: " ".join(" ".join(parts).split()) for key, parts in notes.items()}


def note_refs(text: str) -> tuple[CodeRef, ...]:
    """The HCPCS codes and code ranges a note quotes, for links in the app."""
    return tuple(
        CodeRef(text=match.group(0), start=match.group(1), end=match.group(2) or "")
        for match in _CODE_REF.finditer(text)
    )
