"""Release labels and effective dates of ICD-10-PCS files, from <version>, titles or file names."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
# CMS has shipped mid-year PCS updates ("April 1, 2024"): those take effect on their own date.
_UPDATE = re.compile(rf"\b({'|'.join(_MONTHS)})\s*(\d{{1,2}})(?:st|nd|rd|th)?,?\s*(20\d\d)", re.I)
_FISCAL = re.compile(r"FY[\s_\-]*(20\d\d)", re.I)
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
UNKNOWN = ("unknown release", "0000-00-00")


def fiscal_release(fiscal_year: int) -> tuple[str, str]:
    """A plain fiscal-year release: FY2026 takes effect on October 1, 2025."""
    return f"FY{fiscal_year}", date(fiscal_year - 1, 10, 1).isoformat()


def release_from_text(*texts: str) -> tuple[str, str] | None:
    """(label, ISO effective date) from the first text naming a release, else None."""
    for text in texts:
        match = _UPDATE.search(text)
        if match:
            month = _MONTHS.index(match.group(1).lower()) + 1
            day, year = int(match.group(2)), int(match.group(3))
            try:
                effective = date(year, month, day)
            except ValueError:
                continue
            fiscal = year + 1 if month >= 10 else year
            if (month, day) == (10, 1):
                return fiscal_release(fiscal)
            return f"FY{fiscal} ({effective:%B} {day}, {year} update)", effective.isoformat()
        match = _FISCAL.search(text) or _YEAR.search(text)
        if match:
            return fiscal_release(int(match.group(1)))
    return None


def release_of(*texts: str) -> tuple[str, str]:
    """The release named by the first telling text, or ('unknown release', '0000-00-00')."""
    return release_from_text(*texts) or UNKNOWN
