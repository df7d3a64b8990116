"""HCPCS code history: each code's own add and termination dates, and what changed between the releases given."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from desktop.core.records import CodeRecord, HistoryEvent
from index_build.sources.base import SourceFile
from index_build.sources.hcpcs.code_records import code_record
from index_build.sources.hcpcs.row import HcpcsRow, iso_date


@dataclass
class HcpcsHistory:
    records: list[CodeRecord] = field(default_factory=list)
    deleted: list[CodeRecord] = field(default_factory=list)  # in an older release, gone from the newest
    counts: dict[str, int] = field(default_factory=dict)


def _own_events(row: HcpcsRow, first_release: str) -> list[HistoryEvent]:
    """Added on its own ADD DT (named with the release it first appears in when that is not the oldest)."""
    events = []
    if row.add_date:
        events.append(HistoryEvent("added", first_release, iso_date(row.add_date)))
    return events


def apply_history(
    records: list[CodeRecord],
    rows: list[HcpcsRow],
    newest: SourceFile,
    older: list[tuple[SourceFile, list[HcpcsRow]]],
) -> HcpcsHistory:
    """History on every code: added (its ADD DT), title revised between releases, terminated (TERM DT,
    with the cross-reference codes CMS gives as replacement)."""
    result = HcpcsHistory()
    releases = [*older, (newest, rows)]
    first_seen: dict[str, str] = {}
    revisions: dict[str, list[HistoryEvent]] = {}
    previous: dict[str, HcpcsRow] | None = None
    for index, (source, release_rows) in enumerate(releases):
        current = {row.code: row for row in release_rows}
        for code, row in current.items():
            # a code absent from the oldest release given was added in this one
            first_seen.setdefault(code, source.release if index else "")
            old = previous.get(code) if previous is not None else None
            if old is not None and old.long_description != row.long_description:
                when = iso_date(row.action_date) or source.effective
                event = HistoryEvent("revised", source.release, when, old_title=old.long_description)
                revisions.setdefault(code, []).append(event)
        previous = current
    by_row = {row.code: row for row in rows}
    for record in records:
        found = by_row.get(record.code)
        if found is None:
            result.records.append(record)
            continue
        row = found
        events = [*_own_events(row, first_seen.get(record.code, "")), *revisions.get(record.code, [])]
        if row.term_date:
            events.append(HistoryEvent("deleted", "", iso_date(row.term_date), tuple(row.xref)))
        result.records.append(replace(record, history=tuple(events)) if events else record)
    newest_codes = set(by_row)
    for _, release_rows in older:
        for row in release_rows:
            if row.code in newest_codes or any(r.code == row.code for r in result.deleted):
                continue
            gone = code_record(row, 0, {})
            events = [*_own_events(row, ""), HistoryEvent("deleted", newest.release, newest.effective, tuple(row.xref))]
            result.deleted.append(replace(gone, terminated=True, billable=False, history=tuple(events)))
    result.counts = {
        "codes added since the oldest release given": sum(1 for code, first in first_seen.items() if first),
        "titles revised between releases": sum(len(events) for events in revisions.values()),
        "codes gone since an older release": len(result.deleted),
    }
    return result
