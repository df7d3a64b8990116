"""ICD-9-CM input (250.00, 428.0, E849.0, 25000): the retired code and the ICD-10-CM codes the GEMs map it to."""

from __future__ import annotations

import re
from typing import Protocol

from desktop.core.codes import code_key
from desktop.core.records import CodeRecord, CodeSet, CrosswalkEntry, Hit, SearchFilters

# Only the ICD-9-CM forms: numeric 001-999 (dot after 3), V01-V91 (dot after 3), E800-E999 (dot after 4).
_DOTTED = re.compile(r"^(?:\d{3}\.\d{1,2}|V\d{2}\.\d{1,2}|E\d{3}\.\d)$", re.I)
_PLAIN = re.compile(r"^(?:\d{3,5}|V\d{2,4}|E\d{3,4})$", re.I)
# A dotted number or E-code with three digits before its dot can only be ICD-9-CM: it goes first.
_ONLY_ICD9 = re.compile(r"^(?:\d{3}\.\d{1,2}|E\d{3}\.\d)$", re.I)
MAPPED_SCORE = 999.0


class _Docs(Protocol):
    def numbers_for_key(self, key: str) -> list[int]: ...
    def get(self, docnum: int) -> object: ...


class _Records(Protocol):
    def record(self, code_set: CodeSet | str, code: str) -> CodeRecord | None: ...


def looks_like_icd9(text: str) -> bool:
    """Whether typed text has the shape of an ICD-9-CM diagnosis code (dotted or not)."""
    text = text.strip()
    return bool(_DOTTED.match(text) or _PLAIN.match(text))


def flags_text(entry: CrosswalkEntry) -> str:
    """The GEM flags in a coder's words."""
    if entry.no_map:
        words = ["no map: no ICD-10-CM equivalent"]
    else:
        words = ["approximate" if entry.approximate else "identical"]
    if entry.combination:
        words.append(f"combination: scenario {entry.scenario}, choice list {entry.choice}")
    return "; ".join(words)


def _wanted(filters: SearchFilters, code_set: CodeSet) -> bool:
    return not filters.code_sets or code_set in filters.code_sets


def crosswalk_hits(text: str, hits: list[Hit], docs: _Docs, index: _Records, filters: SearchFilters) -> list[Hit]:
    """hits with the retired ICD-9-CM code (shown even with 'Include terminated' off: it was typed
    exactly) and the ICD-10-CM codes it maps to, first when the input can only be ICD-9-CM."""
    if not looks_like_icd9(text):
        return hits
    key = code_key(text)
    added: list[Hit] = []
    for docnum in docs.numbers_for_key(key):
        doc = docs.get(docnum)
        if getattr(doc, "code_set", None) is not CodeSet.ICD9CM:
            continue
        code = str(getattr(doc, "code", ""))
        if _wanted(filters, CodeSet.ICD9CM):
            added.append(doc.hit(1000.0, "code", "", ()))  # type: ignore[attr-defined]
        record = index.record(CodeSet.ICD9CM, code)
        if record is None or not _wanted(filters, CodeSet.ICD10CM):
            continue
        for number, entry in enumerate(record.crosswalk):
            for target in docs.numbers_for_key(code_key(entry.code)) if entry.code else ():
                mapped = docs.get(target)
                if getattr(mapped, "code_set", None) is CodeSet.ICD10CM:
                    note = f"ICD-9-CM {code} maps here ({flags_text(entry)})"
                    added.append(mapped.hit(MAPPED_SCORE - number * 0.01, "crosswalk", note, ()))  # type: ignore[attr-defined]
    if not added:
        return hits
    ids = {hit.doc_id for hit in added}
    rest = [hit for hit in hits if hit.doc_id not in ids]
    if _ONLY_ICD9.match(text.strip()):
        return added + rest
    exact = [hit for hit in rest if hit.matched_field == "code" and hit.score >= 1000.0]
    return exact + added + rest[len(exact) :]
