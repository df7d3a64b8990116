"""Code normalisation shared by the builder and the search: one way to spell a code."""

from __future__ import annotations

import re

from desktop.core.records import CodeSet

_STRIP = re.compile(r"[\s.\-_/]+")


def code_key(text: str) -> str:
    """Normalise a code for lookup: upper case, no dots, spaces or dashes ('e11.9' -> 'E119')."""
    return _STRIP.sub("", text).upper()


def icd10cm_display(key: str) -> str:
    """Put the dot back into an ICD-10-CM code key ('E119' -> 'E11.9', 'E11' -> 'E11')."""
    key = code_key(key)
    return key if len(key) <= 3 else f"{key[:3]}.{key[3:]}"


def display_code(code_set: CodeSet, key: str) -> str:
    """The display form of a normalised code in its code set."""
    if code_set is CodeSet.ICD10CM:
        return icd10cm_display(key)
    return code_key(key)
