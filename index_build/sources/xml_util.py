"""Reading the ICD-10 XML files (CM and PCS): parse errors become SourceErrors naming the file and line."""

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
    except LookupError as exc:  # the XML declaration names an encoding Python does not know
        raise SourceError(source.name, f"unsupported text encoding ({exc})", line=1) from exc
    if root.tag != root_tag:
        raise SourceError(source.name, f"expected root <{root_tag}>", element=root.tag)
    return root


def clean(text: str | None) -> str:
    """Collapse runs of whitespace (the files wrap and indent long texts) and trim."""
    return _SPACE.sub(" ", text or "").strip()


def element_text(element: ET.Element | None) -> str:
    """All text inside an element, children included, whitespace collapsed."""
    return "" if element is None else clean("".join(element.itertext()))


def require_text(source: SourceFile, parent: ET.Element, tag: str, where: str) -> str:
    """The text of a required child; its absence is a structural error naming the element."""
    text = element_text(parent.find(tag))
    if not text:
        raise SourceError(source.name, f"<{parent.tag}> {where} has no <{tag}>", element=parent.tag)
    return text
