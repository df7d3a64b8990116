"""Release labels and effective dates of ICD-10-CM and ICD-10-PCS files (fiscal years, mid-year updates)."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
_MONTH_NAMES = "|".join(_MONTHS) + "|" + "|".join(name[:3] for name in _MONTHS)
# CDC mid-year updates: icd10cm-drug-April-1-2026-XML.xml, "April 1, 2026 update"
_UPDATE = re.compile(rf"(?<![a-z])({_MONTH_NAMES})[\s_\-]*(\d{{1,2}})(?:st|nd|rd|th)?[\s_\-,]*(20\d\d)", re.I)
_FISCAL = re.compile(r"FY[\s_\-]*(20\d\d)", re.I)
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def _month_number(name: str) -> int:
    name = name.lower()
    return _MONTHS.get(name) or next(n for full, n in _MONTHS.items() if full.startswith(name))


def fiscal_release(fiscal_year: int) -> tuple[str, str]:
    """A plain fiscal-year release: FY2026 takes effect on October 1, 2025."""
    return f"FY{fiscal_year}", date(fiscal_year - 1, 10, 1).isoformat()


def release_from_text(*texts: str) -> tuple[str, str] | None:
    """(label, ISO effective date) from the first text naming a release, else None.

    An update date (April 1, 2026) wins over a bare year; the fiscal year of an update is the
    year ending on September 30 after it.
    """
    for text in texts:
        match = _UPDATE.search(text)
        if match:
            month, day, year = _month_number(match.group(1)), int(match.group(2)), int(match.group(3))
            try:
                effective = date(year, month, day)
            except ValueError:
                continue
            fiscal = year + 1 if month >= 10 else year
            if (month, day) == (10, 1):
                return fiscal_release(fiscal)
            label = f"FY{fiscal} ({effective:%B} {day}, {year} update)"
            return label, effective.isoformat()
        match = _FISCAL.search(text) or _YEAR.search(text)
        if match:
            return fiscal_release(int(match.group(1)))
    return None


UNKNOWN = ("unknown release", "0000-00-00")


def release_of(*texts: str) -> tuple[str, str]:
    """The release named by the first telling text (file name, <version>, title), else UNKNOWN."""
    return release_from_text(*texts) or UNKNOWN
