"""ICD-10-CM unspecified codes: what to document for a more specific sibling, and which siblings those are."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.core.codes import code_key, icd10cm_display
from desktop.core.engine import CodeReader
from desktop.core.index import ChildRef, CodeDetail
from desktop.core.records import CodeRecord, CodeSet, Kind
from desktop.detail.html import code_link, esc, nowrap

MAX_SHOWN = 6
_WORD = re.compile(r"[a-z]+")
_UNSPECIFIED = re.compile(r"\bunspecified (\w+)", re.I)
_UNSPECIFIED_AFTER = re.compile(r"\b(\w+) unspecified\b", re.I)  # "stage unspecified"
_SIDES = {"right", "left", "bilateral"}
LATERALITY = "laterality (right / left)"
# Words that name what the documentation lacks, after "unspecified" in the code's title or among
# the words its siblings add ("stage" for N18.9); anything else is a "type".
_WHAT = {
    "organism": "organism",
    "site": "site",
    "part": "site",
    "region": "site",
    "side": LATERALITY,
    "trimester": "trimester",
    "stage": "stage",
    "degree": "degree",
    "severity": "severity",
}


@dataclass(frozen=True, slots=True)
class Specificity:
    """What an unspecified code leaves out, and the sibling codes that say it."""

    document: str  # "laterality (right / left)", "type", "organism"
    codes: tuple[str, ...]


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _unspecified_count(title: str) -> int:
    return title.lower().count("unspecified")


def _other_side(one: str, other: str) -> bool:
    """'... of left femur' against '... of right femur': the same code for the other side, no more specific."""
    a, b = _words(one), _words(other)
    return bool(a - b) and bool(b - a) and (a - b) <= _SIDES and (b - a) <= _SIDES


def _side_only(sibling: str, base: str) -> bool:
    """The sibling names a side where base says 'unspecified', and nothing else differs."""
    a, b = _words(sibling), _words(base)
    # "bilateral" also drops the body part word: H46.13 "..., bilateral" beside H46.10 "..., unspecified eye".
    spare = 1 if "bilateral" in a - b else 0
    return bool(a - b) and (a - b) <= _SIDES and len((b - a) - {"unspecified"}) <= spare


def unspecified_hint(base: CodeRecord, siblings: Sequence[ChildRef]) -> Specificity | None:
    """For a code titled 'unspecified' with a more specific sibling: what to document, and those siblings.

    A sibling counts when it is not a residual 'Other ...' code and leaves less unspecified than base;
    beside a residual code (last character 9, as J18.9 and S72.009) one that leaves as much unspecified
    counts too (J18.0 'Bronchopneumonia, unspecified organism' is more specific in type than J18.9).
    """
    title = base.title
    if "unspecified" not in title.lower():
        return None
    residual = code_key(base.code).endswith("9")
    found = [
        s
        for s in siblings
        if s.code != base.code
        and not s.title.lower().startswith("other ")
        and (
            _unspecified_count(s.title) < _unspecified_count(title)
            or (residual and _unspecified_count(s.title) == _unspecified_count(title))
        )
        and not _other_side(s.title, title)
    ]
    if not found:
        return None
    added = set().union(*(_words(s.title) - _words(title) for s in found))
    if added & _SIDES:
        # Only the codes that differ from this one by the side alone (S72.424E, S72.425E beside
        # S72.426E, not the displaced S72.421E).
        sided = [s for s in found if _side_only(s.title, title)]
        return Specificity(LATERALITY, tuple(s.code for s in sided or found))
    # An "unspecified X" every sibling shares (J18's "unspecified organism") is not what they add.
    own = [m.lower() for m in _UNSPECIFIED.findall(title)]
    lacking = [w for w in own if w in _WHAT and not all(f"unspecified {w}" in s.title.lower() for s in found)]
    named = sorted(w for w in added if w in _WHAT) + [
        m.lower() for m in _UNSPECIFIED_AFTER.findall(title) if m.lower() in _WHAT
    ]
    document = _WHAT[lacking[0]] if lacking else _WHAT[named[0]] if named else "type"
    return Specificity(document, tuple(s.code for s in found))


def hint_for(index: CodeReader, detail: CodeDetail) -> Specificity | None:
    """The hint for a billable ICD-10-CM code; a 7th-character code is judged by the code it extends
    (S72.009A by S72.009 against S72.001 and S72.002) and pointed at their codes with the same 7th character."""
    record = detail.record
    if record.code_set is not CodeSet.ICD10CM or not record.billable:
        return None
    key = code_key(record.code)
    base, seventh = record, ""
    if len(key) == 7 and detail.ancestors and detail.ancestors[-1].seventh_chars:
        base, seventh = detail.ancestors[-1], key[6]
        own = _seventh_hint(index, record, base, seventh)
        if own is not None:
            # H40.1190: the stage (7th character) and the eye (the code it extends) can both be missing.
            rest = _base_hint(index, base, seventh)
            if rest is not None and rest.document != own.document:
                return Specificity(f"{own.document} and {rest.document}", own.codes + rest.codes)
            return own
    return _base_hint(index, base, seventh)


def _base_hint(index: CodeReader, base: CodeRecord, seventh: str) -> Specificity | None:
    if not base.parent or "unspecified" not in base.title.lower():
        return None
    hint = unspecified_hint(base, index.children(CodeSet.ICD10CM, base.parent))
    if hint is None or not seventh:
        return hint
    built = [c for c in (_with_seventh(code, seventh) for code in hint.codes) if index.record(CodeSet.ICD10CM, c)]
    return Specificity(hint.document, tuple(built)) if built else None


def _seventh_hint(index: CodeReader, record: CodeRecord, base: CodeRecord, char: str) -> Specificity | None:
    """When the 7th character itself is the unspecified part (E11.3219 'unspecified eye'): the codes
    the other values of the same base build. 'Not applicable or unspecified' (a single fetus) is no gap."""
    meaning = next((v.meaning for v in base.seventh_chars if v.char == char), "")
    if "unspecified" not in meaning.lower() or "not applicable" in meaning.lower():
        return None
    others = [
        ChildRef(_with_seventh(base.code, v.char), v.meaning, Kind.CODE, True)
        for v in base.seventh_chars
        if v.char != char
    ]
    hint = unspecified_hint(CodeRecord(CodeSet.ICD10CM, record.code, meaning, Kind.CODE), others)
    if hint is None:
        return None
    built = tuple(code for code in hint.codes if index.record(CodeSet.ICD10CM, code))
    return Specificity(hint.document, built) if built else None


def _with_seventh(code: str, char: str) -> str:
    return icd10cm_display(code_key(code).ljust(6, "X") + char)


def hint_html(hint: Specificity) -> str:
    links = ", ".join(nowrap(code_link(CodeSet.ICD10CM, code)) for code in hint.codes[:MAX_SHOWN])
    more = f" and {len(hint.codes) - MAX_SHOWN} more" if len(hint.codes) > MAX_SHOWN else ""
    # A plain hint, not a warning: an unspecified code is valid when the record says no more.
    return f"<b>Unspecified:</b> document {esc(hint.document)} if known. More specific: {links}{esc(more)}"
