"""Reads one CPT data file into validated rows, naming every bad row by file and line number."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from index_build.sources.base import SourceError
from index_build.sources.cpt.layout import (
    ColumnChoice,
    Delimiter,
    Layout,
    Line,
    detect_layout,
    guess_delimiter,
    is_code,
    is_header,
    is_modifier,
    normalise_code,
    split_lines,
)
from index_build.sources.cpt.text import read_text

ROLES = ("long", "medium", "short")
_PREVIEW_ROWS = 5
_PREVIEW_CHARS = 60


@dataclass(frozen=True, slots=True)
class Problem:
    """A bad row (or a rejected file when line is None), said so a coder can find it."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, line {self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Row:
    code: str  # upper case: 99999, 0500T, 25, TC
    descriptor: str  # whitespace collapsed
    line: int


@dataclass
class CptFile:
    """One parsed file: its layout, its good rows and its bad ones."""

    path: Path
    role: str  # which descriptor the file gives: long, medium or short
    encoding: str
    layout: Layout
    width: int  # the most cells on any line
    preview: tuple[tuple[str, ...], ...]  # first lines, for picking columns
    header: bool
    chosen: bool  # the columns came from the user
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def needs_columns(self) -> bool:
        """The columns are only a guess: the user must pick (or confirm) them before importing."""
        return not self.layout.confident and not self.chosen


def descriptor_role(name: str) -> str:
    """AMA names say which descriptor a file holds: LONGULT, MEDU, SHORTU; anything else is long."""
    stem = Path(name).stem.upper()
    if "SHORT" in stem:
        return "short"
    if "MEDIUM" in stem or stem.startswith("MED"):
        return "medium"
    return "long"


def read_cpt_file(path: Path, choice: ColumnChoice | None = None) -> CptFile:
    """Parse one file; SourceError when it is unreadable, binary, empty or has no valid row."""
    name = path.name
    text, encoding = read_text(path)
    delimiter = guess_delimiter(text, path.suffix)
    lines = split_lines(text, delimiter)
    width = max((len(line.cells) for line in lines), default=0)
    if choice is not None:
        columns = (choice.code, choice.descriptor)
        if max(columns) >= width or min(columns) < 0 or choice.code == choice.descriptor:
            raise SourceError(
                name, f"has {width} column(s); choose two different columns for the code and the descriptor"
            )
        layout = Layout(delimiter, choice.code, choice.descriptor, confident=True)
    else:
        found = detect_layout(lines, delimiter)
        if found is None:
            raise SourceError(
                name,
                "holds no CPT codes: no column has five-character codes (12345, "
                "1234F/T/U/M) or two-character modifiers",
            )
        layout = found
    header = bool(lines) and is_header(lines[0].cells, layout.code, layout.descriptor)
    preview = tuple(tuple(cell[:_PREVIEW_CHARS] for cell in line.cells) for line in lines[:_PREVIEW_ROWS])
    parsed = CptFile(path, descriptor_role(name), encoding, layout, width, preview, header, chosen=choice is not None)
    _validate(parsed, lines[1:] if header else lines)
    if not parsed.rows and not parsed.needs_columns:
        first = parsed.problems[0] if parsed.problems else None
        detail = f" (line {first.line}: {first.message})" if first else ""
        raise SourceError(name, f"has no valid rows{detail}")
    return parsed


def _show(cell: str) -> str:
    cell = cell.strip()
    return f'"{cell[:20]}…"' if len(cell) > 20 else f'"{cell}"'


def _validate(parsed: CptFile, lines: list[Line]) -> None:
    layout = parsed.layout
    seen: dict[str, int] = {}

    def problem(line: Line, message: str) -> None:
        parsed.problems.append(Problem(parsed.name, line.number, message))

    for line in lines:
        cells = line.cells
        if not cells:
            problem(line, "an unbalanced quote mark; the rest of the file could not be read")
            continue
        code_cell = cells[layout.code] if layout.code < len(cells) else ""
        code = normalise_code(code_cell)
        descriptor = " ".join(cells[layout.descriptor].split()) if layout.descriptor < len(cells) else ""
        if not code:
            problem(line, f"no code in column {layout.code + 1}")
        elif not (is_code(code) or is_modifier(code)):
            problem(
                line,
                f"{_show(code_cell)} is not a CPT code (five characters: 12345, 1234F, 1234T, "
                "1234U or 1234M) or a two-character modifier",
            )
        elif not descriptor:
            problem(line, f"{code} has no descriptor in column {layout.descriptor + 1}")
        elif code in seen:
            previous = parsed.rows[-1] if parsed.rows else None
            if layout.delimiter is Delimiter.SPACE and previous is not None and previous.code == code:
                # Fixed-width releases continue a long descriptor on lines repeating the code.
                parsed.rows[-1] = Row(code, f"{previous.descriptor} {descriptor}", previous.line)
            else:
                problem(line, f"{code} is listed again (first on line {seen[code]}); this row was skipped")
        else:
            seen[code] = line.number
            parsed.rows.append(Row(code, descriptor, line.number))
