"""HcpcsRow -> CodeRecord: the administrative fields as labelled attributes in a coder's words."""

from __future__ import annotations

from desktop.core.records import CodeRecord, CodeSet, Kind, Note, NoteKind
from index_build.sources.hcpcs import meanings
from index_build.sources.hcpcs.proc_notes import note_refs
from index_build.sources.hcpcs.row import HcpcsRow, iso_date


def _described(table: dict[str, str], items: tuple[str, ...] | str) -> str:
    items = (items,) if isinstance(items, str) else items
    return "; ".join(meanings.describe(table, item) for item in items if item)


def attributes(row: HcpcsRow) -> tuple[tuple[str, str], ...]:
    """(label, value) pairs in display order; blank fields are left out."""
    units = row.anesthesia_units.strip()
    pairs = [
        ("Coverage", _described(meanings.COVERAGE, row.coverage)),
        ("Pricing indicator", _described(meanings.PRICING, row.pricing)),
        ("Multiple pricing", _described(meanings.MULTIPLE_PRICING, row.multiple_pricing)),
        ("BETOS", _described(meanings.BETOS, row.betos)),
        ("Type of service", _described(meanings.TYPE_OF_SERVICE, row.tos)),
        ("ASC payment group", _described(meanings.ASC_GROUP, row.asc_group)),
        ("ASC group effective", iso_date(row.asc_date)),
        ("OPPS APC", row.opps),
        ("OPPS payment indicator", _described(meanings.OPPS_PAYMENT_INDICATOR, row.opps_indicator)),
        ("OPPS effective", iso_date(row.opps_date)),
        # every code carries '0' units; only anesthesia codes have a meaningful value
        ("Anesthesia base units", units if units.strip("0") else ""),
        ("Processing note number", row.proc_note),
        ("CIM reference", ", ".join(row.cim)),
        ("MCM reference", ", ".join(row.mcm)),
        ("Statute", row.statute),
        ("Lab certification", _described(meanings.LAB_CERTIFICATION, row.lab_cert)),
        ("Cross-reference codes", ", ".join(row.xref)),
        ("Added", iso_date(row.add_date)),
        ("Action effective", iso_date(row.action_date)),
        ("Terminated", iso_date(row.term_date)),
        ("Action", _described(meanings.ACTION, row.action)),
    ]
    return tuple((label, value) for label, value in pairs if value)


def code_record(row: HcpcsRow, order: int, notes: dict[str, str]) -> CodeRecord:
    """One code (kind code, billable) or Level II modifier (kind modifier), terminated ones marked."""
    kind = Kind.MODIFIER if row.is_modifier else Kind.CODE
    note_text = notes.get(row.proc_note, "") if row.proc_note else ""
    record_notes: tuple[Note, ...] = ()
    if note_text:
        record_notes = (
            Note(
                kind=NoteKind.PROCESSING_NOTE,
                text=note_text,
                source_code=row.code,
                source_kind=kind,
                refs=note_refs(note_text),
            ),
        )
    return CodeRecord(
        code_set=CodeSet.HCPCS,
        code=row.code,
        title=row.long_description,
        kind=kind,
        billable=not row.is_modifier,
        short_title=row.short_description,
        notes=record_notes,
        attributes=attributes(row),
        terminated=row.terminated,
        order=order,
    )
