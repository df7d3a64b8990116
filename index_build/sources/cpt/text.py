"""Reads a user's CPT data file as text: UTF-8 (or UTF-16 with a BOM), else Windows-1252."""

from __future__ import annotations

import codecs
from pathlib import Path

from index_build.sources.base import SourceError

# The AMA's largest descriptor file is a few MB; anything far bigger was picked by mistake.
MAX_BYTES = 200 * 1024 * 1024


def read_text(path: Path) -> tuple[str, str]:
    """The file's text and the encoding it was read with; SourceError for binary or unreadable files."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SourceError(name, f"is {size / 1e6:,.0f} MB, far larger than any CPT data file")
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(name, f"cannot be read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise SourceError(name, "is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text" export; it is full of NUL bytes, so it must be caught before that check.
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise SourceError(name, f"is damaged UTF-16 text ({exc.reason})") from exc
    if data.startswith(b"PK\x03\x04"):
        raise SourceError(
            name,
            "is a zip archive or an Excel workbook, not a text file: extract the files "
            "from the zip, or save the sheet as CSV or tab-delimited text",
        )
    if b"\x00" in data:
        raise SourceError(name, "is not a text file (it holds binary data)")
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        # Older AMA releases and Excel CSV exports on Windows use the ANSI code page.
        return data.decode("cp1252", errors="replace"), "Windows-1252"
