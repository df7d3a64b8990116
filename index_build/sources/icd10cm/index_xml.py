"""Parse the ICD-10-CM index-family XML: Alphabetic Index, External Cause index, Drug and Neoplasm tables."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field

from desktop.core.records import CodeSet, IndexTerm
from index_build.sources.base import SourceError, SourceFile
from index_build.sources.xml_util import clean, element_text, parse_xml

ALPHABETIC, EXTERNAL, DRUG, NEOPLASM = "alphabetic", "external", "drug", "neoplasm"
_NO_CODE = {"", "-", "--", "—"}
_CODE_LIKE = re.compile(r"^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4})?-?$")
# Elements of a term the parser reads; anything else is reported once as a warning.
_READ = {"title", "term", "code", "codes", "manif", "cell", "see", "seeAlso", "seecat", "subcat"}


@dataclass
class IndexFile:
    """The index terms of one index-family file and what the build summary reports."""

    source: str  # alphabetic, external, drug, neoplasm
    terms: list[IndexTerm] = field(default_factory=list)
    version: str = ""
    title: str = ""
    warnings: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


def classify(title: str, first_heading: str, file_name: str) -> str:
    """Which index a file is, from its <title>, its first column heading or its file name."""
    heading = first_heading.lower()
    if heading.startswith("substance") or heading.startswith("drug"):
        return DRUG
    if heading.startswith("neoplasm"):
        return NEOPLASM
    upper = title.upper()
    if "EXTERNAL CAUSE" in upper:
        return EXTERNAL
    if "DRUG" in upper:
        return DRUG
    if "NEOPLASM" in upper:
        return NEOPLASM
    if "DISEASES" in upper or "ALPHABETIC" in upper:
        return ALPHABETIC
    name = file_name.lower()
    for marker, source in (("drug", DRUG), ("neoplasm", NEOPLASM), ("eindex", EXTERNAL), ("external", EXTERNAL)):
        if marker in name:
            return source
    return ALPHABETIC


def title_text(element: ET.Element | None) -> str:
    """A term title with its nonessential modifiers kept in parentheses: 'Abasia (-astasia) (hysterical)'."""
    if element is None:
        return ""
    parts = [element.text or ""]
    for child in element:
        inner = element_text(child)
        if child.tag == "nemod" and inner and not inner.startswith("("):
            inner = f"({inner})"
        parts.extend((" ", inner, " ", child.tail or ""))
    text = clean("".join(parts))
    return text.replace("( ", "(").replace(" )", ")")


class _IndexParser:
    def __init__(self, source: SourceFile, root: ET.Element) -> None:
        self.source = source
        self.root = root
        heads = {clean(head.get("col")): element_text(head) for head in root.iterfind("indexHeading/head")}
        self.columns = heads
        kind = classify(element_text(root.find("title")), heads.get("1", ""), source.path.name)
        self.result = IndexFile(
            kind, version=element_text(root.find("version")), title=element_text(root.find("title"))
        )
        self.unknown: set[str] = set()

    def parse(self) -> IndexFile:
        letters = self.root.findall("letter")
        if not letters:
            raise SourceError(self.source.name, "no <letter> in the index", element=self.root.tag)
        for letter in letters:
            for main_term in letter.findall("mainTerm"):
                self._term(main_term, ())
        return self.result

    def _emit(self, path: tuple[str, ...], code: str = "", column: str = "", see: str = "", see_also: str = "") -> None:
        self.result.terms.append(
            IndexTerm(CodeSet.ICD10CM, self.result.source, path, code=code, column=column, see=see, see_also=see_also)
        )
        self.result.counts["with code" if code else "cross-references"] += 1

    def _term(self, term: ET.Element, parents: tuple[str, ...]) -> None:
        title = title_text(term.find("title"))
        if not title:
            where = " > ".join(parents) or "a main term"
            raise SourceError(self.source.name, f"a term under {where} has no <title>", element=term.tag)
        see = element_text(term.find("see"))
        see_also = element_text(term.find("seeAlso"))
        codes: list[tuple[str, str, str]] = []  # (code, column, see text)
        for child in term:
            tag = child.tag
            text = element_text(child)
            if tag == "code" and text:
                codes.append((text, "", ""))
            elif tag == "codes":
                codes.extend(
                    (element_text(c), "manifestation" if c.tag == "manif" else "", "") for c in child if element_text(c)
                )
            elif tag == "manif" and text:
                if _CODE_LIKE.match(text):  # a manifestation code, printed in brackets after the code
                    codes.append((text, "manifestation", ""))
                else:  # the Neoplasm table once uses <manif> for a modifier: keep it in the title
                    title = f"{title} ({text})"
            elif tag in ("seecat", "subcat") and text:
                # "see category Z77" / "see subcategory T75.0": the term leads to that code
                codes.append((text, "", f"{'category' if tag == 'seecat' else 'subcategory'} {text}"))
            elif tag == "cell":
                if text not in _NO_CODE:
                    column = self.columns.get(clean(child.get("col")), "")
                    if not column:
                        raise SourceError(
                            self.source.name,
                            f"{title}: <cell col={child.get('col')!r}> has no column heading",
                            element="cell",
                        )
                    codes.append((text, column, ""))
            elif tag not in _READ and tag not in self.unknown:
                self.unknown.add(tag)
                self.result.warnings.append(f"{self.source.name}: <{tag}> in <{term.tag}> not read")
        path = (*parents, title)
        for code, column, pointer in codes:
            self._emit(path, code, column, pointer or see, see_also)
        if not codes and (see or see_also):
            self._emit(path, see=see, see_also=see_also)
        for child in term.findall("term"):
            self._term(child, path)


def parse_index(source: SourceFile) -> IndexFile:
    """Parse one index-family XML file (root ICD10CM.index) into IndexTerms."""
    return _IndexParser(source, parse_xml(source, "ICD10CM.index")).parse()
