"""ICD-10-PCS official titles (order file) and code history (tables of every release, order addenda)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field, replace

from desktop.core.records import CodeRecord, CodeSet, HistoryEvent, Kind
from index_build.sources.base import SourceFile
from index_build.sources.order_file import AddendaEntry, OrderEntry

from . import titles
from .tables import TablesFile

PCS = CodeSet.ICD10PCS


def code_labels(tables: TablesFile) -> dict[str, tuple[str, ...]]:
    """Every valid code of a tables file with the labels of its seven characters."""
    found: dict[str, tuple[str, ...]] = {}
    for code, table in tables.tables.items():
        head = tuple(axis.values[0][1] for axis in table.head)
        for row in table.rows:
            for combination in itertools.product(*(axis.values for axis in row)):
                key = code + "".join(value for value, _ in combination)
                found.setdefault(key, head + tuple(label for _, label in combination))
    return found


def _title(tables: TablesFile, code: str, labels: tuple[str, ...]) -> str:
    return titles.code_title(code[0], tables.tables[code[:3]].label(1), list(labels))


@dataclass
class PcsHistory:
    records: list[CodeRecord] = field(default_factory=list)
    deleted: list[CodeRecord] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def compare_releases(
    releases: list[tuple[SourceFile, TablesFile]], newest_labels: dict[str, tuple[str, ...]]
) -> tuple[dict[str, list[HistoryEvent]], dict[str, tuple[SourceFile, str]]]:
    """Events per code across consecutive releases (oldest first) and the codes gone from the newest,
    each with the release that dropped it and its last title."""
    events: dict[str, list[HistoryEvent]] = defaultdict(list)
    gone: dict[str, tuple[SourceFile, str]] = {}
    previous: tuple[SourceFile, TablesFile, dict[str, tuple[str, ...]]] | None = None
    for index, (source, tables) in enumerate(releases):
        labels = newest_labels if index == len(releases) - 1 else code_labels(tables)
        if previous is not None:
            _, old_tables, old = previous
            for code in labels.keys() - old.keys():
                events[code].append(HistoryEvent("added", source.release, source.effective))
                gone.pop(code, None)
            for code in old.keys() - labels.keys():
                gone[code] = (source, _title(old_tables, code, old[code]))
            for code in labels.keys() & old.keys():
                if labels[code] != old[code]:
                    old_title = _title(old_tables, code, old[code])
                    events[code].append(HistoryEvent("revised", source.release, source.effective, old_title=old_title))
        previous = (source, tables, labels)
    return events, gone


def apply_history(
    records: list[CodeRecord],
    releases: list[tuple[SourceFile, TablesFile]],
    order: dict[str, OrderEntry] | None,
    addenda: list[AddendaEntry],
) -> PcsHistory:
    """Official titles where the order file has them, history on every code, deleted codes as records."""
    result = PcsHistory()
    newest = {r.code: tuple(axis.label for axis in r.axes) for r in records if r.kind is Kind.CODE}
    events, gone = compare_releases(releases, newest) if len(releases) > 1 else ({}, {})
    official = {entry.code: entry for entry in addenda if entry.action == "delete"}
    order = order or {}
    differ = 0
    for record in records:
        entry = order.get(record.code)
        history = tuple(events.get(record.code, ()))
        if entry is not None and record.kind is not Kind.PCS_SECTION:
            differ += entry.long_title != record.title
            short = entry.short_title if entry.short_title != entry.long_title else ""
            record = replace(record, title=entry.long_title, short_title=short, history=history)
        elif history:
            record = replace(record, history=history)
        result.records.append(record)
    for code, (source, title) in sorted(gone.items()):
        dropped = official.get(code)
        result.deleted.append(
            CodeRecord(
                PCS,
                code,
                dropped.long_title if dropped else title,
                Kind.CODE,
                short_title=dropped.short_title if dropped else "",
                terminated=True,
                history=(*events.get(code, ()), HistoryEvent("deleted", source.release, source.effective)),
            )
        )
    result.counts = {
        "codes with history": sum(bool(r.history) for r in result.records),
        "codes deleted": len(result.deleted),
    }
    if order:
        result.counts["titles from the order file"] = sum(1 for r in records if r.code in order)
        result.counts["generated titles differing from the order file"] = differ
    return result
