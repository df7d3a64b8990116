"""Parse the ICD-10-PCS alphabetic index XML into IndexTerms: term paths and the codes they lead to."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field

from desktop.core.records import CodeSet, IndexTerm
from index_build.sources.base import SourceError, SourceFile
from index_build.sources.xml_util import clean, element_text, parse_xml

PCS = CodeSet.ICD10PCS
SOURCE = "pcs"
_CODE_TAGS = frozenset({"code", "codes", "tab"})  # full code, partial stub (4-6 characters), table (3)
_KNOWN_TAGS = _CODE_TAGS | {"title", "term", "see", "use"}


@dataclass
class IndexFile:
    """Everything read from one index file."""

    version: str
    title: str
    terms: list[IndexTerm] = field(default_factory=list)
    unknown_tags: Counter[str] = field(default_factory=Counter)


def _stub(source: SourceFile, element: ET.Element, path: tuple[str, ...]) -> str:
    text = clean(element.text).upper()
    if not text.isalnum() or not 3 <= len(text) <= 7:
        raise SourceError(
            source.name, f"index term '{', '.join(path)}' has a malformed <{element.tag}> '{text}'", element=element.tag
        )
    return text


def _reference(element: ET.Element) -> str:
    """The words of a see/use reference without its table or code stubs: 'Excision, Appendix'."""
    parts = [element.text or ""] + [child.tail or "" for child in element]
    return clean(" ".join(parts))


class _IndexParser:
    def __init__(self, source: SourceFile, result: IndexFile) -> None:
        self.source = source
        self.result = result

    def walk(self, node: ET.Element, path: tuple[str, ...]) -> None:
        title = element_text(node.find("title"))
        if title:
            path = (*path, title)
        elif not path:
            raise SourceError(self.source.name, f"<{node.tag}> without a <title>", element=node.tag)
        for child in node:
            tag = child.tag
            if tag in _CODE_TAGS:
                self._add(path, code=_stub(self.source, child, path))
            elif tag == "see":
                self._see(child, path)
            elif tag == "use":
                # A synonym for a table value (body part, device, substance), not a code.
                self._add(path, see=f"Use: {element_text_spaced(child)}")
            elif tag == "term":
                self.walk(child, path)
            elif tag not in _KNOWN_TAGS:
                self.result.unknown_tags[tag] += 1

    def _see(self, element: ET.Element, path: tuple[str, ...]) -> None:
        reference = _reference(element)
        stubs = [_stub(self.source, child, path) for child in element if child.tag in _CODE_TAGS]
        if not stubs:
            self._add(path, see=reference or element_text(element))
        for stub in stubs:  # "Appendectomy: see Resection, Appendix 0DTJ" leads to 0DTJ
            self._add(path, code=stub, see=reference)

    def _add(self, path: tuple[str, ...], code: str = "", see: str = "") -> None:
        self.result.terms.append(IndexTerm(PCS, SOURCE, path, code=code, see=see))


def element_text_spaced(element: ET.Element) -> str:
    """An element's text with a space before each child: 'Stimulator Generator ... in 0JH'."""
    parts = [element.text or ""]
    for child in element:
        parts.extend((" ", "".join(child.itertext()), child.tail or ""))
    return clean("".join(parts))


def parse_index(source: SourceFile) -> IndexFile:
    """Every term path of the index with the code, table stub, see or use reference it carries."""
    root = parse_xml(source, "ICD10PCS.index")
    result = IndexFile(element_text(root.find("version")), element_text(root.find("title")))
    parser = _IndexParser(source, result)
    letters = root.findall("letter")
    if not letters:
        raise SourceError(source.name, "no <letter> found", element="ICD10PCS.index")
    for letter in letters:
        for main_term in letter.findall("mainTerm"):
            parser.walk(main_term, ())
    return result
