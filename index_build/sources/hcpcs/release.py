"""HCPCS release labels ('July 2026', effective 2026-07-01) from file names, sheet names or data dates."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

_MONTHS = {name.upper(): number for number, name in enumerate(calendar.month_abbr) if name}
_FULL_MONTHS = {name.upper(): number for number, name in enumerate(calendar.month_name) if name}
# HCPC2026_JUL_ANWEB_06172026.txt, HCPC2026_JUL_contr (sheet), HCPC2026JAN...
_HCPC_NAME = re.compile(r"HCPC(?P<year>\d{4})[_ -]?(?P<month>[A-Z]{3})", re.IGNORECASE)
# proc_notes_JAN2026.txt, NOC codes_JAN2026.xlsx
_MONTH_YEAR = re.compile(r"(?<![A-Z])(?P<month>[A-Z]{3})[_ -]?(?P<year>20\d{2}|19\d{2})(?!\d)", re.IGNORECASE)
# january-2026-alpha-numeric-hcpcs-file.zip
_LONG_MONTH_YEAR = re.compile(r"(?P<month>[A-Z]{4,9})[_ -]?(?P<year>20\d{2}|19\d{2})(?!\d)", re.IGNORECASE)


@dataclass(frozen=True)
class Release:
    label: str  # 'July 2026'
    effective: str  # '2026-07-01'


def release_of(year: int, month: int) -> Release:
    return Release(f"{calendar.month_name[month]} {year}", f"{year:04d}-{month:02d}-01")


def release_from_name(name: str) -> Release | None:
    """The release a CMS file or sheet name states, if any (quarterly: January, April, July, October)."""
    for pattern, months in ((_HCPC_NAME, _MONTHS), (_MONTH_YEAR, _MONTHS), (_LONG_MONTH_YEAR, _FULL_MONTHS)):
        for match in pattern.finditer(name):
            month = months.get(match.group("month").upper())
            if month:
                return release_of(int(match.group("year")), month)
    return None


def release_from_dates(dates: list[str]) -> Release | None:
    """The quarter of the latest YYYYMMDD action date: a quarterly file's newest actions take effect then."""
    valid = [value for value in dates if len(value) == 8 and value.isdigit()]
    if not valid:
        return None
    latest = max(valid)
    month = (int(latest[4:6]) - 1) // 3 * 3 + 1
    return release_of(int(latest[:4]), month)
