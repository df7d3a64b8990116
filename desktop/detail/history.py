"""Descriptor-tab sections for code history across releases and the ICD-9-CM <-> ICD-10-CM GEMs."""

from __future__ import annotations

from collections.abc import Sequence

from desktop.colours import Colours
from desktop.core.engine import CodeReader
from desktop.core.records import CodeRecord, CodeSet, HistoryEvent
from desktop.core.search.icd9 import flags_text
from desktop.detail.html import code_link, esc, span, table

MAX_CROSSWALK = 60
RETIRED_LABEL = "ICD-9-CM (retired)"


def code_set_label(code_set: CodeSet) -> str:
    """The code set as the Descriptor names it: ICD-9-CM is always called retired."""
    return RETIRED_LABEL if code_set is CodeSet.ICD9CM else str(code_set)


def _codes(code_set: CodeSet, codes: Sequence[str]) -> str:
    # HCPCS cross-references may name a CPT code number (never its descriptor): link it as CPT
    def target(code: str) -> CodeSet:
        return CodeSet.CPT if code_set is CodeSet.HCPCS and code.isdigit() else code_set

    return ", ".join(code_link(target(code), code) for code in codes)


def _when(event: HistoryEvent) -> str:
    if event.release and event.date:
        return f"{esc(event.release)} (effective {esc(event.date)})"
    return esc(event.release or event.date)


def event_html(event: HistoryEvent, code_set: CodeSet) -> str:
    """'New in FY2018 (effective 2017-10-01), replaced A04.7' and the like, code numbers as links."""
    when = _when(event)
    if event.action == "added":
        text = f"New in {when}" if event.release else f"Added {when}"
        if event.codes:
            text += f", replaced {_codes(code_set, event.codes)}"
        return text
    if event.action == "revised":
        text = f"Title revised in {when}"
        return text + (f"; before: <i>{esc(event.old_title)}</i>" if event.old_title else "")
    if event.action == "deleted":
        target = CodeSet.ICD10CM if code_set is CodeSet.ICD9CM else code_set
        word = "Retired" if code_set is CodeSet.ICD9CM else "Deleted"
        text = f"{word} in {when}" if event.release else f"Terminated {when}"
        return text + (f"; replaced by {_codes(target, event.codes)}" if event.codes else "")
    return esc(event.action)


def banner_html(record: CodeRecord, colours: Colours) -> str:
    """The deleted code's replacement, under the terminated banner the descriptor already shows."""
    deleted = [event for event in record.history if event.action == "deleted" and event.codes]
    if not record.terminated or not deleted:
        return ""
    return f"<p>{span('Use instead:', colours.warning, bold=True)} {event_html(deleted[-1], record.code_set)}</p>"


def history_html(record: CodeRecord, colours: Colours) -> str:
    """The 'Code history' section: every change the releases given to the builder show, oldest first."""
    if not record.history:
        return ""
    items = "".join(f"<li>{event_html(event, record.code_set)}</li>" for event in record.history)
    note = span("from the official releases and conversion tables in this index", colours.muted)
    return f"<h3>Code history</h3><ul>{items}</ul><p>{note}</p>"


def own_effective(record: CodeRecord) -> str:
    """The code's own effective date (added / action effective) where the files give one, else ''."""
    for label in ("Action effective", "Added"):
        value = next((v for name, v in record.attributes if name == label), "")
        if value:
            return value
    added = [event for event in record.history if event.action in ("added", "revised") and event.date]
    return added[-1].date if added else ""


def _title(index: CodeReader, code_set: CodeSet, code: str) -> str:
    found = index.record(code_set, code)
    return found.title if found is not None else ""


def crosswalk_html(index: CodeReader, record: CodeRecord, colours: Colours) -> str:
    """ICD-9-CM: the ICD-10-CM codes it maps to; ICD-10-CM: the ICD-9-CM codes that map to it."""
    entries = record.crosswalk[:MAX_CROSSWALK]
    if not entries:
        return ""
    other = CodeSet.ICD10CM if record.code_set is CodeSet.ICD9CM else CodeSet.ICD9CM
    rows = []
    for entry in entries:
        if not entry.code:
            rows.append(("\u2014", esc(flags_text(entry)), ""))
            continue
        title = _title(index, other, entry.code) if other is CodeSet.ICD10CM else ""
        if other is CodeSet.ICD9CM:
            shown = span(RETIRED_LABEL, colours.muted)
        else:
            shown = esc(title) if title else span("not in this index's release", colours.muted)
        rows.append((code_link(other, entry.code), shown, esc(flags_text(entry))))
    if record.code_set is CodeSet.ICD9CM:
        heading = f"Maps to ICD-10-CM (General Equivalence Mappings, ICD-9-CM {record.code} \u2192 ICD-10-CM)"
    else:
        heading = f"ICD-9-CM codes that map to {record.code} (General Equivalence Mappings, both directions)"
    more = len(record.crosswalk) - len(entries)
    tail = f"<p>{more:,} more mappings are not listed.</p>" if more > 0 else ""
    return f"<h3>{esc(heading)}</h3>" + table(rows, ("Code", "Title", "GEM flags"), colours) + tail
