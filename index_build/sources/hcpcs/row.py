"""One HCPCS code or modifier as read from either shipped form (fixed-width txt or xlsx)."""

from __future__ import annotations

import re
from dataclasses import dataclass

PROCEDURE_RICS = ("3", "4")  # first line, continuation
MODIFIER_RICS = ("7", "8")
_DATE = re.compile(r"\d{8}")


@dataclass(frozen=True)
class HcpcsRow:
    """The fields of one record, as stripped text in the record layout's terms (see anweb_txt.py for positions)."""

    code: str
    is_modifier: bool
    long_description: str
    short_description: str
    pricing: tuple[str, ...] = ()
    multiple_pricing: str = ""
    cim: tuple[str, ...] = ()
    mcm: tuple[str, ...] = ()
    statute: str = ""
    lab_cert: tuple[str, ...] = ()
    xref: tuple[str, ...] = ()
    coverage: str = ""
    asc_group: str = ""
    asc_date: str = ""
    opps: str = ""
    opps_indicator: str = ""
    opps_date: str = ""
    proc_note: str = ""
    betos: str = ""
    tos: tuple[str, ...] = ()
    anesthesia_units: str = ""
    add_date: str = ""
    action_date: str = ""
    term_date: str = ""
    action: str = ""

    @property
    def terminated(self) -> bool:
        return bool(self.term_date)


def clean_text(text: str) -> str:
    """Collapse the runs of blanks the files carry (wrapped lines, double spaces) into one space."""
    return " ".join(text.split())


def values(*fields: str) -> tuple[str, ...]:
    """The non-blank values of a repeating group (PRICE1..4, TOS1..5, ...), in order."""
    return tuple(value for value in (field.strip() for field in fields) if value)


def check_date(value: str) -> str | None:
    """An error message when a date field is neither blank nor YYYYMMDD."""
    if value and not _DATE.fullmatch(value):
        return f"date {value!r} is not YYYYMMDD"
    return None


def iso_date(value: str) -> str:
    """'20250101' -> '2025-01-01'."""
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}" if len(value) == 8 else value
