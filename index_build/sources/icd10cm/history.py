"""ICD-10-CM code history and official short titles: order file, order addenda, conversion table, GEMs."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace

from desktop.core.codes import code_key, icd10cm_display
from desktop.core.records import CodeRecord, CodeSet, CrosswalkEntry, HistoryEvent, Kind
from index_build.sources.base import SourceFile
from index_build.sources.order_file import AddendaEntry, OrderEntry

from .conversion import Conversion

CM = CodeSet.ICD10CM


def same_title(plain: str, tabular: str) -> bool:
    """The order files are plain ASCII ('Sezary disease'), the tabular XML keeps accents ('Sézary'):
    a difference in accents only is the same title, not a revision."""
    if plain == tabular:
        return True
    folded = unicodedata.normalize("NFKD", tabular).encode("ascii", "ignore").decode("ascii")
    return plain == folded


@dataclass
class CmHistory:
    """What the supplementary files add to the tabular's records."""

    records: list[CodeRecord] = field(default_factory=list)  # the tabular's, with history and short titles
    deleted: list[CodeRecord] = field(default_factory=list)  # codes deleted since the previous release
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class HistoryInputs:
    """The parsed supplementary files, each optional."""

    tabular: SourceFile
    order: dict[str, OrderEntry] | None = None
    order_source: SourceFile | None = None
    addenda: list[AddendaEntry] = field(default_factory=list)
    addenda_source: SourceFile | None = None
    conversions: list[Conversion] = field(default_factory=list)
    crosswalk: dict[str, tuple[CrosswalkEntry, ...]] = field(default_factory=dict)


def _events(inputs: HistoryInputs, keys: set[str]) -> tuple[dict[str, list[HistoryEvent]], dict[str, AddendaEntry]]:
    """Events per code key, oldest first, and the addenda's deleted codes."""
    events: dict[str, list[HistoryEvent]] = defaultdict(list)
    for row in inputs.conversions:
        events[code_key(row.code)].append(HistoryEvent("added", row.release, row.effective, row.previous))
    deleted: dict[str, AddendaEntry] = {}
    source = inputs.addenda_source
    revised_from: dict[str, AddendaEntry] = {}
    # 'Delete: 1 B880' with 'Add: 0 B880': the code became a header over new codes, neither added nor gone
    both = {e.code for e in inputs.addenda if e.action == "add"} & {
        e.code for e in inputs.addenda if e.action == "delete"
    }
    for entry in inputs.addenda:
        if entry.code in both:
            continue
        key = entry.code
        release, effective = (source.release, source.effective) if source else ("", "")
        if entry.action == "add" and not any(e.action == "added" for e in events[key]):
            events[key].append(HistoryEvent("added", release, effective))
        elif entry.action == "delete" and key not in keys:
            deleted[key] = entry  # a header 'deleted' and re-added as one with children keeps its record
        elif entry.action == "revise from":
            revised_from[key] = entry
        elif entry.action == "revise to" and key in revised_from:
            old = revised_from.pop(key).long_title
            if old != entry.long_title:
                events[key].append(HistoryEvent("revised", release, effective, old_title=old))
    return events, deleted


def _tabular_changes(inputs: HistoryInputs, records: list[CodeRecord], events: dict[str, list[HistoryEvent]]) -> int:
    """A tabular newer than the order file (April update): its new codes and changed titles."""
    order, tabular = inputs.order, inputs.tabular
    if order is None or inputs.order_source is None or tabular.effective <= inputs.order_source.effective:
        return 0
    changed = 0
    for record in records:
        if record.kind in (Kind.CHAPTER, Kind.SECTION):
            continue
        key = code_key(record.code)
        entry = order.get(key)
        if entry is None:
            events[key].append(HistoryEvent("added", tabular.release, tabular.effective))
            changed += 1
        elif not same_title(entry.long_title, record.title):
            events[key].append(HistoryEvent("revised", tabular.release, tabular.effective, old_title=entry.long_title))
            changed += 1
    return changed


def apply_history(inputs: HistoryInputs, records: list[CodeRecord]) -> CmHistory:
    """The tabular's records with short titles, history and ICD-9-CM sources; deleted codes as records."""
    result = CmHistory()
    keys = {code_key(record.code) for record in records}
    events, deleted = _events(inputs, keys)
    result.counts["codes revised or added since the order file"] = _tabular_changes(inputs, records, events)
    replaced_by: dict[str, list[str]] = defaultdict(list)
    for row in inputs.conversions:
        for previous in row.previous:
            replaced_by[code_key(previous)].append(row.code)
    order = inputs.order or {}
    short_titles = 0
    for record in records:
        key = code_key(record.code)
        entry = order.get(key)
        history = tuple(events.get(key, ()))
        crosswalk = inputs.crosswalk.get(record.code, ())
        short = entry.short_title if entry is not None and entry.short_title != record.title else record.short_title
        if history or crosswalk or short != record.short_title:
            record = replace(record, short_title=short, history=history, crosswalk=crosswalk)
        short_titles += bool(record.short_title)
        result.records.append(record)
    source = inputs.addenda_source
    for key, gone in sorted(deleted.items()):
        release, effective = (source.release, source.effective) if source else ("", "")
        replacement = tuple(dict.fromkeys(c for c in replaced_by.get(key, ()) if code_key(c) in keys))
        result.deleted.append(
            CodeRecord(
                CM,
                icd10cm_display(key),
                gone.long_title,
                Kind.CODE,
                short_title=gone.short_title if gone.short_title != gone.long_title else "",
                terminated=True,
                history=(*events.get(key, ()), HistoryEvent("deleted", release, effective, replacement)),
                crosswalk=inputs.crosswalk.get(icd10cm_display(key), ()),
            )
        )
    result.counts.update(
        {
            "short titles": short_titles,
            "codes with history": sum(bool(r.history) for r in result.records),
            "codes deleted": len(result.deleted),
            "codes with ICD-9-CM sources": sum(bool(r.crosswalk) for r in result.records),
        }
    )
    if order:
        mismatched = [
            r.code
            for r in records
            if r.billable and (e := order.get(code_key(r.code))) and not same_title(e.long_title, r.title)
        ]
        if mismatched:
            result.warnings.append(
                f"{len(mismatched)} ICD-10-CM titles differ between the tabular and the order file "
                f"({inputs.tabular.release} vs {inputs.order_source.release if inputs.order_source else '?'}), "
                "e.g. " + ", ".join(mismatched[:5])
            )
    return result
