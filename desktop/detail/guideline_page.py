"""A guideline section opened from the results list: its text, where it sits and what it applies to."""

from __future__ import annotations

from desktop.colours import Colours
from desktop.core.index import CodeDetail
from desktop.core.records import CodeSet, Kind, NoteKind
from desktop.detail.html import code_link, esc, facts, page, para, span, table

NO_MODIFIERS = "A guideline section has no modifiers or 7th characters: open a code it applies to."


def is_section(detail: CodeDetail) -> bool:
    return detail.record.kind is Kind.GUIDELINE


def _applies_html(code_set: CodeSet, keys: str) -> str:
    """'chapter:4, code:E08' -> 'Chapter 4, E08' with the codes as links; 'all' -> every code."""
    shown = []
    for key in (part.strip() for part in keys.split(",")):
        kind, _, value = key.partition(":")
        if key == "all":
            shown.append("every code")
        elif kind == "chapter":
            shown.append(f"Chapter {esc(value)}")
        elif kind == "code":
            shown.append(code_link(code_set, value))
        elif value:
            shown.append(f"{esc(kind)} {esc(value)}")
    return ", ".join(shown)


def _texts_html(detail: CodeDetail, colours: Colours) -> str:
    """The section's own text, then each subsection's under its number and title."""
    record = detail.record
    titles = dict(record.attributes)
    parts = []
    for note in record.notes:
        if note.kind is not NoteKind.NOTES:
            continue
        if note.source_code != record.code:
            depth = note.source_code.count(".") - record.code.count(".")
            heading = f"{note.source_code} {titles.get('section ' + note.source_code, '')}".strip()
            parts.append(f"<h{min(4 + depth // 2, 6)}>{esc(heading)}</h{min(4 + depth // 2, 6)}>")
        if note.text.strip():
            parts.append(para(note.text))
        elif note.source_code == record.code and len(record.notes) == 1:
            parts.append(f"<p>{span('The section has no text of its own.', colours.muted)}</p>")
    return "".join(parts)


def section_html(detail: CodeDetail, colours: Colours) -> str:
    """The Descriptor and Guidelines tabs of a guideline section: the section itself, in full."""
    record = detail.record
    attributes = dict(record.attributes)
    rows = [("Section", f"<b>{esc(record.code)}</b>"), ("Title", esc(record.title))]
    if attributes.get("Part"):
        rows.append(("Part", esc(attributes["Part"])))
    if attributes.get("Applies to"):
        rows.append(("Applies to", _applies_html(record.code_set, attributes["Applies to"])))
    if attributes.get("Document"):
        rows.append(("Document", esc(attributes["Document"])))
    parts = [facts(rows, colours), f"<h3>{esc(record.code)} {esc(record.title)}</h3>"]
    parts.append(_texts_html(detail, colours))
    if detail.children:
        parts.append(f"<h3>Subsections ({len(detail.children)})</h3>")
        parts.append(
            table(((code_link(record.code_set, c.code), esc(c.title)) for c in detail.children), colours=colours)
        )
    if detail.ancestors:
        lines = [
            f"{'&nbsp;' * 4 * depth}{code_link(a.code_set, a.code)}&nbsp;&nbsp;{esc(a.title)}"
            for depth, a in enumerate(detail.ancestors)
        ]
        parts.append("<h3>Part of</h3><p>" + "<br>".join(lines) + "</p>")
    return page("".join(parts))


def tab_html(tab: str, detail: CodeDetail, colours: Colours) -> str:
    """Each tab of a guideline section: the section on Descriptor and Guidelines, a sentence elsewhere."""
    if tab == "Modifiers":
        return page(f"<p>{esc(NO_MODIFIERS)}</p>")
    return section_html(detail, colours)
