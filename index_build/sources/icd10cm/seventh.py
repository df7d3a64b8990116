"""ICD-10-CM 7th characters: read sevenChrDef, expand codes (placeholder X), honour stated exceptions."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from desktop.core.codes import icd10cm_display
from desktop.core.records import SeventhCharacter
from index_build.sources.xml_util import clean, element_text

# The one exception the tabular states in prose (category S06): "7th characters D and S do not
# apply to codes in category S06 with 6th character 7 - death ..., or 8 - death ...".
_EXCEPTION = re.compile(
    r"7th characters? (?P<chars>.+?) do(?:es)? not apply to codes in (?:sub)?category \S+"
    r" with 6th characters? (?P<sixth>.+)",
    re.I,
)
_CHAR_LIST = re.compile(r"\b([0-9A-Z])\b")
_SIXTH_LIST = re.compile(r"(?:^|,|\bor\b|\band\b)\s*([0-9A-Z])\s*-")


@dataclass(frozen=True)
class SeventhRule:
    """7th characters that must not be added to codes whose 6th character is one of `sixth`."""

    sixth: frozenset[str]
    chars: frozenset[str]


def read_definition(element: ET.Element) -> tuple[tuple[SeventhCharacter, ...], tuple[str, ...]]:
    """The values of a sevenChrDef, and its loose <note> lines prefixed with the value they follow.

    In the tabular a <note> inside sevenChrDef continues the value above it (under B "initial
    encounter for open fracture type I or II" sits "initial encounter for open fracture NOS").
    """
    values: list[SeventhCharacter] = []
    notes: list[str] = []
    for child in element:
        text = element_text(child)
        if child.tag == "extension":
            char = clean(child.get("char"))
            if len(char) != 1:
                raise ValueError(f"<extension> with char {char!r}")
            values.append(SeventhCharacter(char=char, meaning=text))
        elif child.tag == "note" and text:
            notes.append(f"{values[-1].char}: {text}" if values else text)
    return tuple(values), tuple(notes)


def read_rules(note_texts: list[str]) -> tuple[SeventhRule, ...]:
    """Exceptions stated in a level's notes ('7th characters D and S do not apply ...')."""
    rules: list[SeventhRule] = []
    for text in note_texts:
        match = _EXCEPTION.search(text)
        if not match:
            continue
        chars = frozenset(_CHAR_LIST.findall(match.group("chars")))
        sixth = frozenset(_SIXTH_LIST.findall(match.group("sixth")))
        if chars and sixth:
            rules.append(SeventhRule(sixth=sixth, chars=chars))
    return tuple(rules)


def expand(
    key: str, values: tuple[SeventhCharacter, ...], rules: tuple[SeventhRule, ...]
) -> list[tuple[str, SeventhCharacter]]:
    """The 7-character display codes made from base `key` (no dot), X filling short codes."""
    padded = key.ljust(6, "X")
    excluded: set[str] = set()
    for rule in rules:
        if padded[5] in rule.sixth:
            excluded |= rule.chars
    return [(icd10cm_display(padded + value.char), value) for value in values if value.char not in excluded]
