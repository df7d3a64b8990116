"""ICD-10-PCS reasoning for the tabs: a code's axes, its table, its guideline keys (pure Python)."""

from __future__ import annotations

from desktop.core.index import CodeDetail
from desktop.core.records import CodeRecord, Kind, PcsAxis

# Positions 1-3 are named differently across sections ("Operation", "Root Operation"...),
# so they map by position; positions 4-7 by the axis name the guidelines use.
_KEY_BY_POSITION = {1: "section", 2: "body_system", 3: "operation"}
_KEY_BY_NAME = {"Body Part": "body_part", "Approach": "approach", "Device": "device"}


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
