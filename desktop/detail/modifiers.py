"""The Modifiers tab: HCPCS and imported CPT modifiers, ICD-10-CM 7th characters, the ICD-10-PCS code builder."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from desktop.colours import Colours
from desktop.core.codes import code_key, icd10cm_display
from desktop.core.engine import CodeReader
from desktop.core.index import CodeDetail
from desktop.core.modifier_groups import (
    AMBULANCE_LOCATIONS,
    ModifierGroup,
    group_modifiers,
    group_of,
    ordered_groups,
)
from desktop.core.records import CodeRecord, CodeSet, Kind, NoteKind
from desktop.detail import builder
from desktop.detail.html import code_link, esc, level_name, nowrap, page, span, table, toggle_link


def declaring_level(detail: CodeDetail) -> CodeRecord | None:
    """The level whose sevenChrDef the code's 7th characters come from.

    A leaf that takes a 7th character carries a copy of the values it inherits; the declaring level
    is the highest level holding those same values (S72 for S72.001A, not the leaf S72.001).
    """
    chain = [detail.record, *reversed(detail.ancestors)]
    values = next((r.seventh_chars for r in chain if r.seventh_chars), ())
    if not values:
        return None
    found = None
    for record in chain:
        if record.seventh_chars == values:
            found = record
        elif record.seventh_chars:
            break  # a level above declares other values: the run ends at the one below
    return found


def seventh_character_codes(detail: CodeDetail) -> tuple[CodeRecord | None, str, bool]:
    """(the record declaring the 7th characters, the base the character is added to, whether
    the base is complete enough to build codes: a 7-character code or the level just above)."""
    declaring = declaring_level(detail)
    key = code_key(detail.record.code)
    if len(key) == 7:
        return declaring, key[:6], True
    children = [code_key(c.code) for c in detail.children]
    return declaring, key, all(len(child) == 7 for child in children)


# The builder keeps a <note> under a sevenChrDef value as "B: initial encounter for open fracture NOS".
_VALUE_NOTE = re.compile(r"^([0-9A-Z]): (.+)$", re.S)


def value_notes(declaring: CodeRecord) -> dict[str, list[str]]:
    """The definition text the tabular prints under a 7th-character value, by value."""
    chars = {value.char for value in declaring.seventh_chars}
    found: dict[str, list[str]] = {}
    for note in declaring.notes:
        match = _VALUE_NOTE.match(note.text) if note.kind is NoteKind.SEVENTH_CHAR_NOTE else None
        if match and match.group(1) in chars:
            found.setdefault(match.group(1), []).append(match.group(2).strip())
    return found


def build_seventh(base: str, char: str) -> str:
    """The full code a 7th character builds: placeholder X pads the base to six characters."""
    return icd10cm_display(base.ljust(6, "X") + char)


def seventh_html(index: CodeReader, detail: CodeDetail, colours: Colours) -> str:
    record = detail.record
    declaring, base, complete = seventh_character_codes(detail)
    if declaring is None:
        return f"<p>{esc(record.code)} takes no 7th character.</p>"
    where = "this code" if declaring is record else level_name(declaring)
    parts = [f"<h3>7th characters</h3><p>{span(f'Declared at {where}.', colours.muted)} "]
    if complete:
        parts.append("Each builds a complete code; a placeholder X fills any empty position.</p>")
    else:
        parts.append(f"Choose a code under {esc(record.code)} first; the 7th character completes it.</p>")
    rows = []
    current_char = code_key(record.code)[6:7]
    extra = value_notes(declaring)
    for choice in declaring.seventh_chars:
        built = ""
        if complete:
            code = build_seventh(base, choice.char)
            exists = index.record(CodeSet.ICD10CM, code) is not None
            built = (
                nowrap(code_link(CodeSet.ICD10CM, code))
                if exists
                else nowrap(esc(code)) + span(" (not in this index)", colours.muted)
            )
            if choice.char == current_char and len(code_key(record.code)) == 7:
                built = f"{nowrap(f'<b>{esc(code)}</b>')} (this code)"
        meaning = esc(choice.meaning)
        for text in extra.get(choice.char, []):
            meaning += f"<br>{span('also: ' + text, colours.muted)}"
        rows.append((f"<b>{esc(choice.char)}</b>", meaning, built))
    header = ("Character", "Meaning", "Code") if complete else ("Character", "Meaning")
    return "".join(parts) + table(rows if complete else [r[:2] for r in rows], header, colours)


def _group_html(group: ModifierGroup, is_open: bool, colours: Colours) -> str:
    """A group's heading (a fold link), the one line saying when it applies, and its modifiers when open."""
    key, modifiers = group.key, group.modifiers
    count = f" ({len(modifiers)})" if modifiers else ""
    heading = f"<h4>{toggle_link('group:' + key, group.title + count, is_open)}</h4>"
    if group.when:
        heading += f"<p>{span(group.when, colours.muted)}</p>"
    if not is_open:
        return heading
    body = ""
    if modifiers:
        rows = [(nowrap(code_link(CodeSet.HCPCS, m.code)), esc(m.title)) for m in modifiers]
        body = table(rows, colours=colours)
    if key == "ambulance":
        letters = [(f"<b>{esc(letter)}</b>", esc(meaning)) for letter, meaning in AMBULANCE_LOCATIONS.items()]
        body += (
            "<p>Origin and destination: two letters, origin first (e.g. <b>RH</b> = residence to "
            "hospital).</p>" + table(letters, ("Letter", "Place"), colours)
        )
    return heading + body


def hcpcs_html(detail: CodeDetail, modifiers: Sequence[CodeRecord], colours: Colours, expanded: Collection[str]) -> str:
    record = detail.record
    groups = group_modifiers(modifiers)
    if record.kind is Kind.MODIFIER:
        own = group_of(record)
        first = [g for g in groups if g.key == own]
        rest = [g for g in groups if g.key != own]
        intro = f"{esc(record.code)} is a Level II modifier; these are the modifiers by purpose."
    else:
        first, rest = ordered_groups(groups, record.code)
        intro = (
            f"Level II modifiers that usually go with {esc(record.code)} come first; "
            "the other groups open with a click."
            if first
            else "Level II modifiers by purpose; each group opens with a click."
        )
    if not modifiers:
        return "<p>This index holds no HCPCS modifiers.</p>"
    parts = [f"<p>{intro}</p>"]
    for group in first:
        is_open = "group:" + group.key not in expanded  # open unless the user folded it
        parts.append(_group_html(group, is_open, colours))
    if first and rest:
        parts.append(f"<p>{span('Other modifiers', colours.muted, bold=True)}</p>")
    for group in rest:
        is_open = "group:" + group.key in expanded
        parts.append(_group_html(group, is_open, colours))
    return "".join(parts)


CPT_GROUP = "cpt"
CPT_GROUP_TITLE = "CPT modifiers (your licensed copy)"


def cpt_group_html(cpt_modifiers: Sequence[CodeRecord], is_open: bool, colours: Colours) -> str:
    """The imported CPT modifiers as one group (their descriptors come only from the user's AMA files)."""
    heading = f"<h4>{toggle_link('group:' + CPT_GROUP, f'{CPT_GROUP_TITLE} ({len(cpt_modifiers)})', is_open)}</h4>"
    if not is_open:
        return heading
    rows = [(nowrap(code_link(CodeSet.CPT, m.code)), esc(m.title)) for m in cpt_modifiers]
    return heading + table(rows, colours=colours)


def cpt_html(
    detail: CodeDetail,
    cpt_modifiers: Sequence[CodeRecord],
    modifiers: Sequence[CodeRecord],
    colours: Colours,
    expanded: Collection[str],
) -> str:
    """A CPT code or modifier: the imported CPT modifiers (open), then the Level II groups (closed)."""
    record = detail.record
    if not cpt_modifiers and not modifiers:
        return "<p>Neither your imported CPT data nor this index holds any modifiers.</p>"
    if record.kind is Kind.MODIFIER:
        intro = f"{esc(record.code)} is a CPT modifier from your imported CPT data."
    else:
        intro = (
            f"Modifiers that may be appended to {esc(record.code)}: the CPT modifiers of your imported data, "
            "then the HCPCS Level II modifiers by purpose (each group opens with a click)."
        )
    parts = [f"<p>{intro}</p>"]
    if cpt_modifiers:
        parts.append(cpt_group_html(cpt_modifiers, "group:" + CPT_GROUP not in expanded, colours))
    else:
        parts.append(f"<p>{span('Your imported CPT data holds no modifiers.', colours.muted)}</p>")
    for group in group_modifiers(modifiers):
        parts.append(_group_html(group, "group:" + group.key in expanded, colours))
    return "".join(parts)


def modifiers_html(
    index: CodeReader,
    detail: CodeDetail,
    colours: Colours,
    modifiers: Sequence[CodeRecord],
    expanded: Collection[str] = (),
    picks: Mapping[int, str] | None = None,
) -> str:
    """The third tab; for ICD-10-PCS the code builder, picks None starting from the code's own values."""
    code_set = detail.record.code_set
    # Empty unless the user imported CPT data (the main index holds none).
    cpt_modifiers = (
        index.records_of_kind(CodeSet.CPT, Kind.MODIFIER) if code_set in (CodeSet.HCPCS, CodeSet.CPT) else []
    )
    if code_set is CodeSet.ICD10CM:
        body = seventh_html(index, detail, colours)
    elif code_set is CodeSet.ICD10PCS:
        body = builder.builder_html(index, detail, colours, picks, expanded)
    elif code_set is CodeSet.HCPCS:
        body = hcpcs_html(detail, modifiers, colours, expanded)
        if cpt_modifiers:
            body += f"<p>{span('Also from your imported CPT data', colours.muted, bold=True)}</p>" + cpt_group_html(
                cpt_modifiers, "group:" + CPT_GROUP in expanded, colours
            )
    elif code_set is CodeSet.CPT:
        body = cpt_html(detail, cpt_modifiers, modifiers, colours, expanded)
    else:
        body = "<p>No modifiers are recorded for this code set.</p>"
    return page(body)
