"""The Descriptor tab: descriptors, status, release, hierarchy, children, inclusion and index terms."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from desktop.colours import Colours
from desktop.core.engine import CodeReader
from desktop.core.index import CodeDetail, TermRef
from desktop.core.records import CodeRecord, CodeSet, Kind, NoteKind
from desktop.detail import history, pcs, specificity
from desktop.detail.html import LEVEL_WORDS, code_link, esc, facts, link, nowrap, page, span, table
from desktop.detail.links import tab_url

MAX_CHILDREN = 400
MAX_TERMS = 150
TERM_SOURCES = {
    "alphabetic": "Alphabetic Index",
    "external": "External Cause of Injuries Index",
    "drug": "Table of Drugs and Chemicals",
    "neoplasm": "Table of Neoplasms",
    "pcs": "ICD-10-PCS Index",
    "hcpcs-drug": "HCPCS Table of Drugs",
    "hcpcs-index": "HCPCS Alphabetic Index",
}


def release_text(releases: list[dict[str, Any]], code_set: str) -> str:
    """'FY2026 (April 1, 2026 update), effective 2026-04-01' for a code set, from the manifest."""
    found = [r for r in releases if r.get("code_set") == code_set]
    parts = []
    for item in found:
        text = str(item.get("release", ""))
        if item.get("effective"):
            text += f", effective {item['effective']}"
        parts.append(text)
    return "; ".join(parts) or "release not recorded in the index"


def status_html(record: CodeRecord, colours: Colours) -> str:
    if record.terminated:
        return span("Terminated: no longer valid for reporting", colours.warning, bold=True)
    if record.kind is Kind.MODIFIER:
        word = "CPT modifier" if record.code_set is CodeSet.CPT else "Level II modifier"
        return span(word, colours.billable, bold=True)
    if record.billable:
        word = "Valid code" if record.code_set is CodeSet.ICD10PCS else "Billable"
        return span(f"{word}: can be reported on a claim", colours.billable, bold=True)
    return span("Header: not valid on a claim; choose a more specific code below", colours.header, bold=True)


def _crumb_label(record: CodeRecord) -> str:
    if record.kind is Kind.CHAPTER:
        return f"Chapter {record.code}"
    return record.code


def hierarchy_html(detail: CodeDetail) -> str:
    """Root-first, one line per level, each level a link; the code itself last, in bold."""
    lines = []
    for depth, record in enumerate(detail.ancestors):
        indent = "&nbsp;" * 4 * depth
        lines.append(
            f"{indent}{code_link(record.code_set, record.code, _crumb_label(record))}&nbsp;&nbsp;{esc(record.title)}"
        )
    record = detail.record
    indent = "&nbsp;" * 4 * len(detail.ancestors)
    lines.append(f"{indent}<b>{esc(_crumb_label(record))}&nbsp;&nbsp;{esc(record.title)}</b>")
    return "<p>" + "<br>".join(lines) + "</p>"


def children_html(detail: CodeDetail, colours: Colours) -> str:
    rows = []
    for child in detail.children[:MAX_CHILDREN]:
        marker = (
            span("billable", colours.billable)
            if child.billable
            else span(LEVEL_WORDS.get(child.kind, str(child.kind)), colours.header)
        )
        rows.append((nowrap(code_link(detail.record.code_set, child.code)), esc(child.title), nowrap(marker)))
    more = len(detail.children) - MAX_CHILDREN
    tail = f"<p>{more:,} more codes are not listed.</p>" if more > 0 else ""
    # No column widths: a fixed share breaks "S72.001A" and "billable" at 150% and 200%.
    return table(rows, colours=colours) + tail


def terms_html(terms: tuple[TermRef, ...], own_code: str, colours: Colours) -> str:
    by_source: dict[str, list[TermRef]] = defaultdict(list)
    for term in terms[:MAX_TERMS]:
        by_source[term.source].append(term)
    parts = []
    for source, items in by_source.items():
        parts.append(f"<h4>{esc(TERM_SOURCES.get(source, source))}</h4><ul>")
        for term in items:
            extra = []
            if term.column:
                extra.append(f"column: {term.column}")
            if term.code and term.code != own_code:
                extra.append(f"printed as {term.code}")
            note = f" {span('(' + '; '.join(extra) + ')', colours.muted)}" if extra else ""
            parts.append(f"<li>{esc(term.text)}{note}</li>")
        parts.append("</ul>")
    more = len(terms) - MAX_TERMS
    if more > 0:
        parts.append(f"<p>{more:,} more index entries lead here.</p>")
    return "".join(parts)


def pcs_characters_html(index: CodeReader, detail: CodeDetail, colours: Colours) -> str:
    """The seven characters with each value's label and its official definition."""
    axes = pcs.known_axes(detail)
    if not axes:
        return ""
    section = axes[0].value
    rows = []
    for axis in axes:
        definition = index.definition(section, axis.position, axis.label)
        text = ""
        if definition is not None:
            if definition.definition:
                text += f"<p>{esc(definition.definition)}</p>"
            if definition.explanation:
                text += f"<p>{span(definition.explanation, colours.muted)}</p>"
            if definition.includes:
                text += f"<p><i>Includes:</i> {esc('; '.join(definition.includes))}</p>"
        rows.append(
            (
                str(axis.position),
                esc(axis.name).replace(" ", "&nbsp;"),
                f"<b>{esc(axis.value)}</b>",
                esc(axis.label),
                text,
            )
        )
    return "<h3>Characters</h3>" + table(rows, ("Pos.", "Character", "Value", "Meaning", "Definition"), colours)


def hcpcs_fields_html(record: CodeRecord, colours: Colours) -> str:
    if not record.attributes:
        return ""
    rows = []
    for label, value in record.attributes:
        shown = esc(value)
        if "termin" in label.lower():
            shown = span(value, colours.warning, bold=True)
        rows.append((label, shown))
    return "<h3>Administrative fields</h3>" + facts(rows, colours)


def cpt_import_text(index: CodeReader) -> str:
    """'imported 2026-11-27' from the CPT manifest the combined index carries ('' when unknown)."""
    manifest = getattr(index, "cpt_manifest", None)
    built = manifest.built_at[:10] if manifest is not None else ""
    return f"imported {built}" if built else ""


def cpt_fields_html(record: CodeRecord, colours: Colours) -> str:
    if not record.attributes:
        return ""
    return "<h3>From your imported CPT data</h3>" + facts(
        [(label, esc(value)) for label, value in record.attributes], colours
    )


def descriptor_html(index: CodeReader, detail: CodeDetail, colours: Colours) -> str:
    record = detail.record
    parts = []
    if record.terminated:
        ended = next((v for label, v in record.attributes if "termin" in label.lower()), "")
        when = f" (terminated {ended})" if ended else ""
        warning = f"Terminated code{when}: do not report it for later dates of service."
        parts.append(f"<p>{span(warning, colours.warning, bold=True)}</p>")
        parts.append(history.banner_html(record, colours))
    rows = [("Code", f"<b>{esc(record.code)}</b>"), ("Long descriptor", esc(record.title))]
    if record.short_title:
        rows.append(("Short descriptor", esc(record.short_title)))
    if record.code_range:
        rows.append(("Codes", esc(record.code_range)))
    rows.append(("Status", status_html(record, colours)))
    hint = specificity.hint_for(index, detail)
    if hint is not None:
        rows.append(("Specificity", specificity.hint_html(hint)))
    release = release_text(index.releases(), record.code_set)
    if record.code_set is CodeSet.CPT and cpt_import_text(index) and "imported" not in release:
        release += f" ({cpt_import_text(index)})"
    if history.own_effective(record):
        rows.append(("Effective", esc(history.own_effective(record))))
    rows.append(("Code set", f"{esc(history.code_set_label(record.code_set))}, {esc(release)}"))
    parts.append(facts(rows, colours))
    parts.append(history.history_html(record, colours) + history.crosswalk_html(index, record, colours))
    if record.code_set is CodeSet.ICD10PCS:
        parts.append(pcs_characters_html(index, detail, colours))
        table_rec = pcs.table_record(detail)
        if table_rec is not None:
            what = "another code" if record.kind is Kind.CODE else "a code"
            parts.append(
                f"<p>{link(tab_url('Modifiers'), f'Build {what} from table {table_rec.code}')} "
                f"{span('(the Code builder tab: every row of the table, a value per character)', colours.muted)}</p>"
            )
    if record.code_set is CodeSet.HCPCS:
        parts.append(hcpcs_fields_html(record, colours))
    if record.code_set is CodeSet.CPT:
        parts.append(cpt_fields_html(record, colours))
    where = "<h3>Where it sits</h3>" + hierarchy_html(detail) if detail.ancestors else ""
    children = (
        (f"<h3>Codes under {esc(record.code)} ({len(detail.children):,})</h3>" + children_html(detail, colours))
        if detail.children
        else ""
    )
    # A header is opened to pick a code under it: its children come before its place in the tree.
    parts.extend([where, children] if record.billable else [children, where])
    inclusion = [n for n in record.notes if n.kind is NoteKind.INCLUSION_TERM]
    if inclusion:
        parts.append("<h3>Inclusion terms</h3><ul>" + "".join(f"<li>{esc(n.text)}</li>" for n in inclusion) + "</ul>")
    if detail.terms:
        parts.append("<h3>Index entries that lead here</h3>" + terms_html(detail.terms, record.code, colours))
    return page("".join(parts))
