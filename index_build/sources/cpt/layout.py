"""Splits a CPT data file into cells and works out which columns hold the code and the descriptor."""

from __future__ import annotations

import csv
import enum
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

CODE_RE = re.compile(r"\d{5}|\d{4}[FTUM]")  # Category I; Category II/III, PLA, MAAA
MODIFIER_RE = re.compile(r"[0-9A-Z]{2}")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SPACE_SPLIT = re.compile(r"\s*(\S+)\s+(.*)")
_SAMPLE_ROWS = 200
_CONFIDENT = 0.6  # share of rows that must agree before a layout is trusted without asking


class Delimiter(enum.StrEnum):
    """How the cells of a line are separated."""

    TAB = "tab"
    COMMA = "comma"
    SPACE = "space"  # fixed-width style: the code, blanks, then the descriptor


@dataclass(frozen=True, slots=True)
class ColumnChoice:
    """The user's pick for a file without a known layout: 0-based column numbers."""

    code: int
    descriptor: int


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the code and the descriptor are in a file."""

    delimiter: Delimiter
    code: int
    descriptor: int
    confident: bool  # False: the columns are a guess the user must confirm


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank line (or CSV record) and the line number it starts on."""

    number: int
    cells: tuple[str, ...]


def normalise_code(cell: str) -> str:
    return cell.strip().upper()


def is_code(cell: str) -> bool:
    return CODE_RE.fullmatch(normalise_code(cell)) is not None


def is_modifier(cell: str) -> bool:
    return MODIFIER_RE.fullmatch(normalise_code(cell)) is not None


def _code_shaped(cell: str) -> bool:
    """Strictly as the AMA writes them (upper case), so words like 'to' in prose are not modifiers."""
    cell = cell.strip()
    return CODE_RE.fullmatch(cell) is not None or MODIFIER_RE.fullmatch(cell) is not None


def guess_delimiter(text: str, suffix: str) -> Delimiter:
    if suffix.lower() == ".csv":
        return Delimiter.COMMA
    lines = [line for line in _LINE_BREAK.split(text[:65536]) if line.strip()][:50]
    if not lines:
        return Delimiter.TAB
    if sum("\t" in line for line in lines) * 2 >= len(lines):
        return Delimiter.TAB
    if sum("," in line for line in lines) * 2 >= len(lines):
        return Delimiter.COMMA
    return Delimiter.SPACE


def _unquote(cell: str) -> str:
    """Excel's tab-delimited export quotes cells holding quotes; plain AMA text is taken as is."""
    cell = cell.strip()
    if len(cell) >= 2 and cell[0] == '"' and cell[-1] == '"':
        return cell[1:-1].replace('""', '"')
    return cell


def split_lines(text: str, delimiter: Delimiter) -> list[Line]:
    """Every non-blank line as cells, with its 1-based line number in the file."""
    if delimiter is Delimiter.COMMA:
        out: list[Line] = []
        reader = csv.reader(io.StringIO(text, newline=""))
        start = 1
        try:
            for record in reader:
                if any(cell.strip() for cell in record):
                    out.append(Line(start, tuple(cell.strip() for cell in record)))
                start = reader.line_num + 1
        except csv.Error:
            # An unbalanced quote; what was read so far stays, the rest is reported as unreadable.
            out.append(Line(start, ()))
        return out
    lines: list[Line] = []
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        if not raw.strip():
            continue
        if delimiter is Delimiter.TAB:
            lines.append(Line(number, tuple(_unquote(cell) for cell in raw.split("\t"))))
        else:
            match = _SPACE_SPLIT.match(raw)
            lines.append(Line(number, (match.group(1), match.group(2).strip()) if match else (raw.strip(),)))
    return lines


def is_header(cells: tuple[str, ...], code: int, descriptor: int) -> bool:
    """A first line naming its columns rather than holding a code."""
    code_cell = cells[code] if code < len(cells) else ""
    label = cells[descriptor].lower() if descriptor < len(cells) else ""
    if not (is_code(code_cell) or is_modifier(code_cell)):
        return True
    return "descr" in label and len(label.split()) <= 3  # "ID<tab>Descriptor": a label, not a descriptor


def _share(rows: list[tuple[str, ...]], column: int, test: Callable[[str], bool]) -> float:
    return sum(1 for row in rows if column < len(row) and test(row[column])) / max(len(rows), 1)


def _has_words(cell: str) -> bool:
    return sum(ch.isalpha() for ch in cell) >= 2 and not _code_shaped(cell)


def detect_layout(lines: list[Line], delimiter: Delimiter) -> Layout | None:
    """The likely code and descriptor columns; None when no column holds code-shaped values."""
    sample = [line.cells for line in lines[:_SAMPLE_ROWS]]
    if not sample:
        return None
    header_like = len(sample) > 1 and not any(_code_shaped(cell) for cell in sample[0])
    body = sample[1:] if header_like else sample
    width = max(len(row) for row in sample)
    code_scores = [_share(body, column, _code_shaped) for column in range(width)]
    best = max(code_scores)
    if best == 0:
        return None
    candidates = [column for column in range(width) if code_scores[column] == best]
    header = [cell.lower() for cell in sample[0]]
    named = [c for c in candidates if c < len(header) and "code" in header[c] and "concept" not in header[c]]
    code = (named or candidates)[0]
    ambiguous = len(candidates) > 1 and len(named) != 1
    others = [column for column in range(width) if column != code]
    if not others:
        return Layout(delimiter, code, code + 1, confident=False)

    def text_score(column: int) -> tuple[float, float]:
        cells = [row[column] for row in body if column < len(row)]
        average = sum(len(cell) for cell in cells) / max(len(cells), 1)
        return (_share(body, column, _has_words), average)

    descriptor = max(others, key=text_score)
    trusted = delimiter is not Delimiter.COMMA and best >= _CONFIDENT and not ambiguous
    return Layout(delimiter, code, descriptor, trusted and text_score(descriptor)[0] >= _CONFIDENT)
