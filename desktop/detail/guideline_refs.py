"""Which ICD-10-CM guideline sections a code reaches beyond its chapter: those naming its category or
the categories its own notes send the coder to (E11.22 -> N18: the CKD and hypertensive CKD sections)."""

from __future__ import annotations

from desktop.core.codes import code_key
from desktop.core.index import CodeDetail
from desktop.core.records import GuidelineSection, Kind, NoteKind

# Notes that send the coder to another code: the guideline sections of that code apply as well.
_POINTING = (NoteKind.USE_ADDITIONAL_CODE, NoteKind.CODE_FIRST, NoteKind.CODE_ALSO)
# Notes of the code and its subcategories only: a category's lists (E11: 'control using Z79.4 ...') would
# pull in every section naming those categories, most of them about something else.
_NEAR = (Kind.SUBCATEGORY, Kind.CODE)
CITED_HEADING = "Other sections that name this code's category or the codes its notes point to:"


def cm_code_keys(detail: CodeDetail) -> list[str]:
    """'code:E11' for the code's category and 'code:N18' for each category its near notes point to."""
    category = code_key(detail.record.code)[:3]
    keys = [f"code:{category}"] if len(category) == 3 else []
    for record in (*detail.ancestors, detail.record):
        if record.kind not in _NEAR:
            continue
        for note in record.notes:
            if note.kind in _POINTING:
                keys.extend(f"code:{code_key(ref.start)[:3]}" for ref in note.refs if len(code_key(ref.start)) >= 3)
    return list(dict.fromkeys(keys))


def split_cited(
    sections: list[GuidelineSection], keys: list[str]
) -> tuple[list[GuidelineSection], list[GuidelineSection]]:
    """(the sections of the code's own chapter or general ones, those reached only through a cited category)."""
    chapters = {key for key in keys if key.startswith("chapter:")}
    if not chapters:
        return sections, []
    own = [s for s in sections if chapters & set(s.applies_to)]
    return own, [s for s in sections if s not in own]
