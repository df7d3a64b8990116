"""Find ICD-10-CM code references inside note text ('E11.-', 'I10', 'N18.1-N18.6') for linking."""

from __future__ import annotations

import re
from collections.abc import Callable

from desktop.core.codes import code_key
from desktop.core.records import CodeRef

# A code: letter, digit, digit-or-letter, then optionally a dot and up to four characters.
_CODE = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?"
_REF = re.compile(
    rf"(?<![A-Za-z0-9.])(?P<start>{_CODE})"
    rf"(?:(?P<range>(?:-| - )(?P<end>{_CODE})(?:\.?-)?)|(?P<open>\.?-))?"
    r"(?![A-Za-z0-9])"
)


def find_code_refs(text: str, known: Callable[[str], bool] | None = None) -> tuple[CodeRef, ...]:
    """Every code or code range cited in `text`, in order.

    `CodeRef.text` is the reference as written ('E11.-', 'N18.1-N18.6'); `start`/`end` are the
    codes without the trailing '-' or '.-' that marks an incomplete code. When `known` is given
    (called with a code key such as 'E11'), references whose first code does not exist are
    dropped: this filters look-alikes such as 'vitamin B12'. The end of a range is not checked,
    as the official text closes some ranges on codes ICD-10-CM lacks ('K00-K93', 'A00-Y89').
    """
    refs: list[CodeRef] = []
    for match in _REF.finditer(text):
        start, end = match.group("start"), match.group("end") or ""
        if known is not None and not known(code_key(start)):
            continue
        refs.append(CodeRef(text=match.group(0), start=start, end=end))
    return tuple(refs)
