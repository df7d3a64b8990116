"""ICD-10-PCS reasoning for the tabs: a code's axes, its table row, its guideline keys (pure Python)."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.index import CodeDetail
from desktop.core.records import CodeRecord, Kind, PcsAxis, PcsRow

# Positions 1-3 are named differently across sections ("Operation", "Root Operation"...),
# so they map by position; positions 4-7 by the axis name the guidelines use.
_KEY_BY_POSITION = {1: "section", 2: "body_system", 3: "operation"}
_KEY_BY_NAME = {"Body Part": "body_part", "Approach": "approach", "Device": "device"}


@dataclass(frozen=True, slots=True)
class Choice:
    """One valid value of a position within the code's table row."""

    value: str
    label: str
    code: str  # the code it builds ('' when the record is not a full code)
    current: bool


@dataclass(frozen=True, slots=True)
class PositionChoices:
    position: int
    name: str
    choices: tuple[Choice, ...]


def known_axes(detail: CodeDetail) -> tuple[PcsAxis, ...]:
    """The record's axes, or those its ancestors fix (a body part knows positions 1-4)."""
    by_position: dict[int, PcsAxis] = {}
    for record in (*detail.ancestors, detail.record):
        for axis in record.axes:
            by_position[axis.position] = axis
    return tuple(by_position[p] for p in sorted(by_position))


def guideline_keys(axes: tuple[PcsAxis, ...]) -> list[str]:
    """Applicability keys of the guideline sections for these axes, most specific kinds included."""
    keys: list[str] = []
    for axis in axes:
        kind = _KEY_BY_POSITION.get(axis.position) or _KEY_BY_NAME.get(axis.name)
        if kind:
            keys.append(f"{kind}:{axis.label}")
    return keys


def table_record(detail: CodeDetail) -> CodeRecord | None:
    for record in (detail.record, *reversed(detail.ancestors)):
        if record.kind is Kind.PCS_TABLE:
            return record
    return None


def matching_rows(table: CodeRecord, axes: tuple[PcsAxis, ...]) -> list[PcsRow]:
    """The table rows that hold every known value of positions 4-7."""
    wanted = {a.position: a.value for a in axes if a.position >= 4}
    rows = []
    for row in table.rows:
        values = {pos: {a.value for a in options} for pos, options in zip(range(4, 8), row.axes, strict=False)}
        if all(value in values.get(pos, ()) for pos, value in wanted.items()):
            rows.append(row)
    return rows


def row_choices(row: PcsRow, record: CodeRecord, axes: tuple[PcsAxis, ...]) -> list[PositionChoices]:
    """Every value of positions 4-7 in row; for a full code, the code each one builds by
    replacing that one position (the row's values combine freely, so each is valid)."""
    current = {a.position: a.value for a in axes}
    full = record.kind is Kind.CODE and len(record.code) == 7
    out: list[PositionChoices] = []
    for position, options in zip(range(4, 8), row.axes, strict=False):
        if not options:
            continue
        choices = []
        for option in options:
            code = ""
            if full:
                code = record.code[: position - 1] + option.value + record.code[position:]
            choices.append(Choice(option.value, option.label, code, current.get(position) == option.value))
        out.append(PositionChoices(position, options[0].name, tuple(choices)))
    return out
