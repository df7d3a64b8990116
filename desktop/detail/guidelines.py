"""The Guidelines tab: every note that governs the code (inherited), official guideline sections."""

from __future__ import annotations

from collections.abc import Collection

from desktop.core.index import CodeDetail, CodeIndex
from desktop.core.records import CodeSet, GuidelineSection, Kind, Note, NoteKind
from desktop.detail import pcs
from desktop.detail.html import LEVEL_WORDS, code_link, esc, link_refs, page, para, span, toggle_link
from desktop.theme import Colours

NOTE_ORDER: tuple[tuple[NoteKind, str, str], ...] = (
    (NoteKind.INCLUDES, "Includes", "conditions this code or its range covers"),
    (NoteKind.INCLUSION_TERM, "Inclusion terms", "other conditions coded here"),
    (NoteKind.EXCLUDES1, "Excludes1", "NOT CODED HERE: never reported together with this code"),
    (NoteKind.EXCLUDES2, "Excludes2", "not included here; both codes may be reported when both apply"),
    (NoteKind.CODE_FIRST, "Code first", "sequence the underlying condition first"),
    (NoteKind.USE_ADDITIONAL_CODE, "Use additional code", "add a code for the further detail"),
    (NoteKind.CODE_ALSO, "Code also", "a second code may be needed; sequence by circumstances"),
    (NoteKind.NOTES, "Notes", ""),
    (NoteKind.SEVENTH_CHAR_NOTE, "7th-character notes", ""),
    (NoteKind.PROCESSING_NOTE, "Processing note", "CMS HCPCS processing instructions"),
)
MANUAL_LABELS = ("CIM reference", "MCM reference", "Statute")


def inherited_notes(detail: CodeDetail) -> list[Note]:
    """The code's own notes and every ancestor's, root first (a chapter's notes govern its codes)."""
    notes: list[Note] = []
    for record in (*detail.ancestors, detail.record):
        notes.extend(record.notes)
    return notes


def origin_html(note: Note, detail: CodeDetail) -> str:
    """'this code' or 'from category E11' (a link to that level)."""
    if note.source_code == detail.record.code or not note.source_code:
        return "this code"
    level = LEVEL_WORDS.get(note.source_kind, str(note.source_kind))
    return f"from {esc(level)} {code_link(detail.record.code_set, note.source_code)}"


def notes_html(detail: CodeDetail, colours: Colours) -> str:
    notes = inherited_notes(detail)
    parts = []
    for kind, heading, meaning in NOTE_ORDER:
        items = [n for n in notes if n.kind is kind]
        if not items:
            continue
        hint = f" {span('(' + meaning + ')', colours.muted)}" if meaning else ""
        parts.append(f"<h3>{esc(heading)}{hint}</h3><ul>")
        for note in items:
            text = link_refs(note.text, note.refs, detail.record.code_set).replace("\n", "<br>")
            origin = f'<span style="color:{colours.muted}">&nbsp;&nbsp;\u2014 {origin_html(note, detail)}</span>'
            parts.append(f"<li>{text}{origin}</li>")
        parts.append("</ul>")
    return "".join(parts)


def _chapter(detail: CodeDetail) -> str:
    for record in (*detail.ancestors, detail.record):
        if record.kind is Kind.CHAPTER:
            return record.code
    return ""


def guideline_keys(detail: CodeDetail) -> list[str]:
    """The applicability keys of the code's official guideline sections, without 'all'."""
    record = detail.record
    if record.code_set is CodeSet.ICD10CM:
        chapter = _chapter(detail)
        return [f"chapter:{chapter}"] if chapter else []
    if record.code_set is CodeSet.ICD10PCS:
        return pcs.guideline_keys(pcs.known_axes(detail))
    return []


def sections_html(
    sections: list[GuidelineSection], expanded: Collection[str], default_open: bool, colours: Colours
) -> str:
    parts = []
    for section in sections:
        key = f"guideline:{section.number}"
        is_open = (key in expanded) != default_open  # the set holds the sections the user flipped
        heading = f"{section.number} {section.title}".strip()
        group = f" {span('(' + section.group + ')', colours.muted)}" if section.group else ""
        parts.append(f"<h4>{toggle_link(key, heading, is_open)}{group}</h4>")
        if is_open:
            parts.append(para(section.text))
    return "".join(parts)


def split_by_reach(
    sections: list[GuidelineSection], keys: list[str]
) -> tuple[list[GuidelineSection], list[GuidelineSection]]:
    """(sections that name something specific to the code, sections that reach it only through its
    whole section, e.g. every Medical and Surgical code)."""
    narrow = {key.lower() for key in keys if not key.startswith("section:")}
    specific: list[GuidelineSection] = []
    broad: list[GuidelineSection] = []
    for section in sections:
        reach = {key.lower() for key in section.applies_to}
        (specific if reach & narrow else broad).append(section)
    return specific, broad


def official_html(index: CodeIndex, detail: CodeDetail, expanded: Collection[str], colours: Colours) -> str:
    record = detail.record
    if record.code_set not in (CodeSet.ICD10CM, CodeSet.ICD10PCS):
        return ""
    keys = guideline_keys(detail)
    found = index.guidelines(record.code_set, keys) if keys else []
    specific, broad = split_by_reach(found, keys)
    general = broad + [s for s in index.guidelines(record.code_set, ["all"]) if s not in found]
    where = "chapter" if record.code_set is CodeSet.ICD10CM else "root operation, body part, approach or device"
    parts = ["<h3>Official guidelines</h3>"]
    if not specific and not general:
        parts.append(
            f"<p>{span(f'No official guideline sections for this {where} are in this index.', colours.muted)}</p>"
        )
        return "".join(parts)
    if specific:
        parts.append(f"<p>{span(f'Sections for this {where}:', colours.muted)}</p>")
        parts.append(sections_html(specific, expanded, True, colours))
    else:
        parts.append(f"<p>No guideline section is specific to this {esc(where)}.</p>")
    if general:
        parts.append(f"<p>{span('General sections that also apply (click to open):', colours.muted)}</p>")
        parts.append(sections_html(general, expanded, False, colours))
    documents = sorted({s.document for s in (*specific, *general) if s.document})
    if documents:
        parts.append(f"<p>{span('Source: ' + '; '.join(documents), colours.muted)}</p>")
    return "".join(parts)


def manuals_html(detail: CodeDetail, colours: Colours) -> str:
    """HCPCS coverage manual references (CIM/MCM) and the statute, when the code has them."""
    rows = [(label, value) for label, value in detail.record.attributes if label in MANUAL_LABELS and value]
    if not rows:
        return ""
    items = "".join(f"<li>{esc(label)}: <b>{esc(value)}</b></li>" for label, value in rows)
    return (
        "<h3>Medicare manual references</h3>"
        f"<p>{span('Coverage Issues Manual (CIM) and Medicare Carriers Manual (MCM) sections', colours.muted)}"
        f"</p><ul>{items}</ul>"
    )


def cpt_html(index: CodeIndex, detail: CodeDetail, expanded: Collection[str], colours: Colours) -> str:
    """A CPT code: the section ranges of the user's import it falls in, and any guidelines the import holds.

    The AMA descriptor files carry no guidelines, so usually this says so plainly.
    """
    record = detail.record
    if record.code_set is not CodeSet.CPT:
        return ""
    parts = []
    ranges = [r for r in detail.ancestors if r.kind is Kind.SECTION]
    if ranges:
        items = "".join(f"<li>{code_link(CodeSet.CPT, r.code)}&nbsp;&nbsp;{esc(r.title)}</li>" for r in ranges)
        parts.append(f"<h3>Where {esc(record.code)} falls in your imported CPT data</h3><ul>{items}</ul>")
    sections = index.guidelines(CodeSet.CPT, ["all"])
    parts.append("<h3>CPT guidelines</h3>")
    if sections:
        parts.append(sections_html(sections, expanded, False, colours))
    else:
        where = f" for section {esc(ranges[-1].code)} {esc(ranges[-1].title)}" if ranges else ""
        parts.append(
            "<p>Your imported CPT data holds no CPT guidelines: the AMA data files give codes and "
            f"descriptors only. See your CPT manual for the guidelines{where}.</p>"
        )
    return "".join(parts)


def guidelines_html(index: CodeIndex, detail: CodeDetail, colours: Colours, expanded: Collection[str] = ()) -> str:
    body = (
        notes_html(detail, colours)
        + manuals_html(detail, colours)
        + official_html(index, detail, expanded, colours)
        + cpt_html(index, detail, expanded, colours)
    )
    if not body:
        body = (
            f"<p>No instructional notes, processing notes or guideline sections apply to "
            f"<b>{esc(detail.record.code)}</b> in this index.</p>"
        )
    return page(body)
