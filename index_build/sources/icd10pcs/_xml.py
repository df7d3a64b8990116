"""Reading the ICD-10-PCS XML files: parse errors become SourceErrors naming the file and line."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from index_build.sources.base import SourceError, SourceFile

_SPACE = re.compile(r"\s+")


def parse_xml(source: SourceFile, root_tag: str) -> ET.Element:
    """Parse one XML file; a malformed file or an unexpected root raises SourceError."""
    try:
        with source.open() as handle:
            root = ET.parse(handle).getroot()
    except ET.ParseError as exc:
        line, column = exc.position
        raise SourceError(source.name, f"malformed XML ({exc.msg}, column {column})", line=line) from exc
    if root.tag != root_tag:
        raise SourceError(source.name, f"expected root <{root_tag}>", element=root.tag)
    return root


def clean(text: str | None) -> str:
    """Collapse runs of whitespace (the files wrap and indent long texts) and trim."""
    return _SPACE.sub(" ", text or "").strip()


def element_text(element: ET.Element | None) -> str:
    """All text inside an element, children included, whitespace collapsed."""
    return "" if element is None else clean("".join(element.itertext()))
