"""The Guidelines tab: every note that governs the code (inherited), official guideline sections."""

from __future__ import annotations

from collections.abc import Collection

from desktop.colours import Colours
from desktop.core.engine import CodeReader
from desktop.core.index import CodeDetail
from desktop.core.records import CodeRecord, CodeSet, GuidelineSection, Kind, Note, NoteKind
from desktop.detail import guideline_refs, pcs
from desktop.detail.html import LEVEL_WORDS, code_link, esc, link, link_refs, page, para, span, toggle_link
from desktop.detail.links import tab_url

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


def levels_nearest_first(detail: CodeDetail) -> list[CodeRecord]:
    """The code, then each level above it up to the chapter: the order a coder reads notes in."""
    return [detail.record, *reversed(detail.ancestors)]


def is_list_heading(text: str) -> bool:
    """'code to identify control using:' introduces the notes after it rather than standing alone."""
    return text.rstrip().endswith(":")


def note_items_html(notes: list[Note], code_set: CodeSet) -> str:
    """One <li> per note; a heading note holds the notes that follow it (up to the next heading) as
    its own sub-list, as the tabular prints them, instead of ending as a bullet with nothing under it.

    A 7th-character heading ("One of the following 7th characters is to be assigned ...:") has its
    list in the sevenChrDef, so it points at the tab that shows it.
    """
    groups: list[tuple[Note, list[Note]]] = []
    loose: list[Note] = []
    for note in notes:
        if is_list_heading(note.text):
            groups.append((note, []))
        elif groups:
            groups[-1][1].append(note)
        else:
            loose.append(note)
    parts = [f"<li>{_note_html(note, code_set)}</li>" for note in loose]
    for heading, items in groups:
        if items:
            inner = "".join(f"<li>{_note_html(item, code_set)}</li>" for item in items)
            parts.append(f"<li>{_note_html(heading, code_set)}<ul>{inner}</ul></li>")
        elif heading.kind is NoteKind.SEVENTH_CHAR_NOTE:
            parts.append(
                f"<li>{_note_html(heading, code_set)} {link(tab_url('Modifiers'), 'see the 7th characters')}</li>"
            )
        else:
            parts.append(f"<li>{_note_html(heading, code_set)}</li>")
    return "".join(parts)


def _note_html(note: Note, code_set: CodeSet) -> str:
    return link_refs(note.text, note.refs, code_set).replace("\n", "<br>")


def level_heading_html(record: CodeRecord, detail: CodeDetail) -> str:
    if record is detail.record:
        return f"Declared at {esc(record.code)} (this code)"
    level = LEVEL_WORDS.get(record.kind, str(record.kind))
    return f"From {esc(level)} {code_link(record.code_set, record.code)}&nbsp;&nbsp;{esc(record.title)}"


def notes_html(detail: CodeDetail, colours: Colours) -> str:
    """Notes grouped by the level that declares them, nearest first; within a level by kind.

    A kind's meaning is spelled out the first time it appears only, so long inherited lists stay short.
    """
    parts = []
    explained: set[NoteKind] = set()
    for record in levels_nearest_first(detail):
        if not record.notes:
            continue
        level_parts = []
        for kind, heading, meaning in NOTE_ORDER:
            items = [n for n in record.notes if n.kind is kind]
            if not items:
                continue
            hint = f" {span('(' + meaning + ')', colours.muted)}" if meaning and kind not in explained else ""
            explained.add(kind)
            level_parts.append(
                f"<p><b>{esc(heading)}</b>{hint}</p><ul>{note_items_html(items, detail.record.code_set)}</ul>"
            )
        if level_parts:
            parts.append(f"<h3>{level_heading_html(record, detail)}</h3>" + "".join(level_parts))
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
        return ([f"chapter:{chapter}"] if chapter else []) + guideline_refs.cm_code_keys(detail)
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


def official_html(index: CodeReader, detail: CodeDetail, expanded: Collection[str], colours: Colours) -> str:
    record = detail.record
    if record.code_set not in (CodeSet.ICD10CM, CodeSet.ICD10PCS):
        return ""
    keys = guideline_keys(detail)
    found = index.guidelines(record.code_set, keys) if keys else []
    specific, broad = split_by_reach(found, keys)
    general = broad + [s for s in index.guidelines(record.code_set, ["all"]) if s not in found]
    where = "chapter" if record.code_set is CodeSet.ICD10CM else "root operation, body part, approach or device"
    parts = ["<h3>Official guidelines</h3>"]
    if not specific and not general:  # (sections reached through cited categories count as specific)
        parts.append(
            f"<p>{span(f'No official guideline sections for this {where} are in this index.', colours.muted)}</p>"
        )
        return "".join(parts)
    specific, cited = guideline_refs.split_cited(specific, keys)
    if specific:
        parts.append(f"<p>{span(f'Sections for this {where}:', colours.muted)}</p>")
        parts.append(sections_html(specific, expanded, True, colours))
    if cited:
        parts.append(f"<p>{span(guideline_refs.CITED_HEADING, colours.muted)}</p>")
        parts.append(sections_html(cited, expanded, True, colours))
    else:
        parts.append(f"<p>No guideline section is specific to this {esc(where)}.</p>")
    if general:
        parts.append(f"<p>{span('General sections that also apply (click to open):', colours.muted)}</p>")
        parts.append(sections_html(general, expanded, False, colours))
    documents = sorted({s.document for s in (*specific, *cited, *general) if s.document})
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


def cpt_html(index: CodeReader, detail: CodeDetail, expanded: Collection[str], colours: Colours) -> str:
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


def guidelines_html(index: CodeReader, detail: CodeDetail, colours: Colours, expanded: Collection[str] = ()) -> str:
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
