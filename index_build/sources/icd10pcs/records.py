"""Turn parsed ICD-10-PCS tables into CodeRecords: section > body system > table > body part > code."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from desktop.core.records import CodeRecord, CodeSet, Kind, Note, NoteKind, PcsAxis, PcsRow

from . import titles
from .tables import AxisValues, Table, TablesFile

PCS = CodeSet.ICD10PCS


@dataclass
class TableRecords:
    """The records of one tables file, in code order, and what the build summary reports."""

    records: list[CodeRecord] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)  # every valid 7-character code
    body_parts: set[str] = field(default_factory=set)  # every 4-character body part record
    warnings: list[str] = field(default_factory=list)


class _AxisCache:
    """One PcsAxis per distinct (position, name, value, label): 79,000 codes share a few thousand."""

    def __init__(self) -> None:
        self._axes: dict[tuple[int, str, str, str], PcsAxis] = {}

    def get(self, position: int, name: str, value: str, label: str) -> PcsAxis:
        key = (position, name, value, label)
        axis = self._axes.get(key)
        if axis is None:
            axis = self._axes[key] = PcsAxis(position, name, value, label)
        return axis

    def of(self, axis: AxisValues) -> tuple[PcsAxis, ...]:
        return tuple(self.get(axis.position, axis.name, value, label) for value, label in axis.values)


def body_system_title(table: Table) -> str:
    """'Gastrointestinal System' in Medical and Surgical; other sections name their section first."""
    section, system = table.label(1), table.label(2)
    if table.section == "0":
        return system
    return section if system == "None" else f"{section}, {system}"


def build_records(tables: TablesFile, body_part_terms: Mapping[str, tuple[str, ...]]) -> TableRecords:
    """Every header and valid code of the tables, in code order, linked by parent.

    body_part_terms maps a Body Part label (e.g. 'Appendix') to the Body Part Key's synonyms, which
    become the search terms of the matching 4-character records.
    """
    result = TableRecords()
    cache = _AxisCache()
    by_code: dict[str, CodeRecord] = {}
    for code, table in tables.tables.items():
        head = tuple(cache.of(axis)[0] for axis in table.head)
        section, operation = table.label(1), table.label(3)
        by_code.setdefault(code[0], CodeRecord(PCS, code[0], section, Kind.PCS_SECTION, axes=head[:1]))
        system_title = body_system_title(table)
        by_code.setdefault(
            code[:2], CodeRecord(PCS, code[:2], system_title, Kind.PCS_BODY_SYSTEM, parent=code[0], axes=head[:2])
        )
        notes: tuple[Note, ...] = ()
        if table.definition:
            notes = (Note(NoteKind.NOTES, f"{operation}: {table.definition}", code, Kind.PCS_TABLE),)
        rows = tuple(PcsRow(tuple(cache.of(axis) for axis in row)) for row in table.rows)
        by_code[code] = CodeRecord(
            PCS,
            code,
            f"{system_title}, {operation}",
            Kind.PCS_TABLE,
            parent=code[:2],
            notes=notes,
            axes=head,
            rows=rows,
        )
        _add_rows(table, head, cache, body_part_terms, by_code, result)
    # Codes sort in their official order (digits before letters) and a prefix before its extensions,
    # so one sort yields section, body system, table, body part, then its codes.
    result.records = [replace(by_code[code], order=order) for order, code in enumerate(sorted(by_code))]
    return result


def _add_rows(
    table: Table,
    head: tuple[PcsAxis, ...],
    cache: _AxisCache,
    body_part_terms: Mapping[str, tuple[str, ...]],
    by_code: dict[str, CodeRecord],
    result: TableRecords,
) -> None:
    """The body part records and valid codes of one table's rows."""
    section, section_label, operation = table.section, table.label(1), table.label(3)
    duplicates = 0
    for row in table.rows:
        body_axis = row[0]
        for value, label in body_axis.values:
            part_code = table.code + value
            if part_code in by_code:
                continue
            terms = body_part_terms.get(label, ()) if body_axis.name == "Body Part" else ()
            by_code[part_code] = CodeRecord(
                PCS,
                part_code,
                titles.body_part_title(section, section_label, operation, label),
                Kind.PCS_BODY_PART,
                parent=table.code,
                search_terms=terms,
                axes=(*head, cache.get(4, body_axis.name, value, label)),
            )
            result.body_parts.add(part_code)
        for combination in itertools.product(*(cache.of(axis) for axis in row)):
            code = table.code + "".join(axis.value for axis in combination)
            if code in result.codes:
                duplicates += 1
                continue
            result.codes.add(code)
            axes = (*head, *combination)
            labels = [axis.label for axis in axes]
            by_code[code] = CodeRecord(
                PCS,
                code,
                titles.code_title(section, section_label, labels),
                Kind.CODE,
                parent=code[:4],
                billable=True,
                short_title=titles.short_title(labels),
                axes=axes,
            )
    if duplicates:
        result.warnings.append(f"table {table.code}: {duplicates} codes listed by more than one row, kept once")
