"""The rows of the results list: code-set group headers, folded 7th-character families, hits, 'show more'."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from desktop.core.codes import code_key
from desktop.core.records import CodeSet, Hit

FOLD_MIN = 2  # children of one parent folded into one row from this many on
SEVENTH = 7  # characters of an ICD-10-CM code that carries a 7th character

GROUP_LABELS = {
    CodeSet.ICD10CM: "ICD-10-CM diagnoses",
    CodeSet.ICD10PCS: "ICD-10-PCS procedures",
    CodeSet.HCPCS: "HCPCS Level II",
    CodeSet.CPT: "CPT",
    CodeSet.ICD9CM: "ICD-9-CM (retired)",  # only its mappings are indexed: a coder must not claim these codes
}


class RowKind(enum.StrEnum):
    GROUP = "group"  # a code set's header: "HCPCS Level II · 3"
    FAMILY = "family"  # a parent with its children folded: "S72.002 · 16 codes"
    HIT = "hit"  # one code (depth 1 when shown under an expanded family)
    MORE = "more"  # "Show more": asks the engine for the next page


FamilyKey = tuple[CodeSet, str]  # code set, parent code


@dataclass(frozen=True, slots=True)
class Row:
    """One row as the list shows it; `key` stays the same for the same thing across reloads."""

    kind: RowKind
    code_set: CodeSet | None = None
    code: str = ""  # the hit's code, or the family's parent code
    title: str = ""
    hit: Hit | None = None  # HIT rows; FAMILY rows when the parent itself was found
    depth: int = 0
    count: int = 0  # GROUP: hits of the code set; FAMILY: children found
    expanded: bool = False
    label: str = ""  # GROUP and MORE rows: the text shown

    @property
    def key(self) -> tuple[str, str, str]:
        return (str(self.kind), str(self.code_set or ""), self.code if self.kind != RowKind.MORE else "")

    @property
    def family(self) -> FamilyKey | None:
        return (self.code_set, self.code) if self.kind == RowKind.FAMILY and self.code_set is not None else None


def group_label(code_set: CodeSet, count: int) -> str:
    return f"{GROUP_LABELS.get(code_set, str(code_set))} \u00b7 {count:,}"


def family_title(parent: Hit | None, children: list[Hit]) -> str:
    """The parent's title; when only children were found, their shared start ('..., left femur')."""
    if parent is not None:
        return parent.title
    titles = [child.title for child in children]
    shared = titles[0]
    for title in titles[1:]:
        cut = 0
        while cut < min(len(shared), len(title)) and shared[cut] == title[cut]:
            cut += 1
        shared = shared[:cut]
    # Children read "<parent title>, <7th character meaning>": keep the part before the last comma.
    if ", " in shared:
        shared = shared[: shared.rindex(", ")]
    return shared.strip(" ,") or titles[0]


def by_code_set(hits: tuple[Hit, ...]) -> list[tuple[CodeSet, list[Hit]]]:
    """Hits grouped by code set, groups in the order they first appear (the engine's likeliest first)."""
    groups: dict[CodeSet, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.code_set, []).append(hit)
    return list(groups.items())


def is_seventh_character_child(hit: Hit) -> bool:
    """An ICD-10-CM code of seven characters: its parent's code plus a 7th character (S72.002A)."""
    return bool(hit.parent) and hit.code_set == CodeSet.ICD10CM and len(code_key(hit.code)) == SEVENTH


def families(hits: list[Hit]) -> dict[str, list[Hit]]:
    """Parent code -> its 7th-character children among hits (rank order), from FOLD_MIN children on.

    The engine names every hit's parent (E11.9 -> E11); only 7th-character families fold, since
    their children differ by encounter or healing alone and flood the list. A seven-character code
    has no children, so families never nest.
    """
    children: dict[str, list[Hit]] = {}
    for hit in hits:
        if is_seventh_character_child(hit):
            children.setdefault(hit.parent, []).append(hit)
    return {parent: found for parent, found in children.items() if len(found) >= FOLD_MIN}


def first_family(hits: tuple[Hit, ...]) -> FamilyKey | None:
    """The family of the top hit when that hit is a folded child: it starts expanded, never hidden."""
    if not hits or not is_seventh_character_child(hits[0]):
        return None
    top = hits[0]
    same_set = [hit for hit in hits if hit.code_set == top.code_set]
    found = families(same_set)
    return (top.code_set, top.parent) if top in found.get(top.parent, []) else None


def build_rows(hits: tuple[Hit, ...], expanded: set[FamilyKey], more: str = "") -> list[Row]:
    """The rows for hits: headers when more than one code set is present, families folded unless expanded."""
    rows: list[Row] = []
    groups = by_code_set(hits)
    for code_set, group in groups:
        if len(groups) > 1:
            rows.append(Row(RowKind.GROUP, code_set, count=len(group), label=group_label(code_set, len(group))))
        folded = families(group)
        in_family = {hit.code for found in folded.values() for hit in found}
        placed: set[str] = set()
        for hit in group:
            parent = hit.code if hit.code in folded else hit.parent if hit.code in in_family else ""
            if not parent:
                rows.append(Row(RowKind.HIT, code_set, hit.code, hit.title, hit))
                continue
            if parent in placed:
                continue
            placed.add(parent)
            head = next((h for h in group if h.code == parent), None)
            children = folded[parent]
            is_open = (code_set, parent) in expanded
            rows.append(
                Row(RowKind.FAMILY, code_set, parent, family_title(head, children), head, 0, len(children), is_open)
            )
            if is_open:
                rows.extend(Row(RowKind.HIT, code_set, child.code, child.title, child, depth=1) for child in children)
    if more and hits:
        rows.append(Row(RowKind.MORE, label=more))
    return rows
