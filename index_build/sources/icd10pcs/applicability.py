"""Which codes a PCS guideline governs: applicability keys derived from its number and wording.

Keys (desktop.core.keys): "all", "section:<label>", "operation:<label>", "body_system:<label>",
"body_part:<label>", "approach:<label>", "device:<label>", with labels exactly as in the tables so
the app can compute a code's keys from its axes. The rules, by guideline family:

- A (conventions) and F (selection of principal procedure): "all".
- B2 (body system): "section:Medical and Surgical" plus the body systems named.
- B3 (root operation): the root operations named (any case: "excision or resection"), and
  other sections' operations named with a capital ("Immobilization").
- B4 (body part): the body parts named ("coronary arteries" -> every Coronary Artery value).
- B5 (approach): the approaches named. B6 (device): the devices named, plus the operations named
  with a capital ("Change, Irrigation, Removal and Revision").
- Every B guideline also gets the body systems it names ("Gastrointestinal body system"); one that
  names nothing specific falls back to "section:Medical and Surgical".
- C: "section:Obstetrics", D: "section:Radiation Therapy", E: "section:New Technology".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .phrases import EMPTY_LABELS, body_phrase
from .tables import TablesFile

_LATERAL = (", Right", ", Left", ", Bilateral")
# Section labels of the letters used by the guideline families, when no tables are at hand.
_GENERIC_OPERATION_SECTIONS = frozenset("789")  # Treatment, Other Procedures, Manipulation
_FAMILY_SECTIONS = {
    "B": ("0", "Medical and Surgical"),
    "C": ("1", "Obstetrics"),
    "D": ("D", "Radiation Therapy"),
    "E": ("X", "New Technology"),
}


@dataclass
class Vocabulary:
    """The labels guideline text is matched against, taken from the tables."""

    sections: dict[str, str] = field(default_factory=dict)  # section code -> label
    operations: set[str] = field(default_factory=set)  # Medical and Surgical root operations
    other_operations: set[str] = field(default_factory=set)  # other sections' "Operation" labels
    body_systems: set[str] = field(default_factory=set)  # Medical and Surgical pos 2 labels
    body_parts: set[str] = field(default_factory=set)  # Medical and Surgical pos 4 labels
    approaches: set[str] = field(default_factory=set)
    devices: set[str] = field(default_factory=set)


def vocabulary(tables: TablesFile | None) -> Vocabulary:
    """Collect the labels of the tables (an empty vocabulary without tables)."""
    words = Vocabulary()
    for table in tables.tables.values() if tables else ():
        words.sections[table.section] = table.label(1)
        if table.section != "0":
            # Osteopathic "Treatment" and the like are ordinary words: left out.
            if table.head[2].name == "Operation" and table.section not in _GENERIC_OPERATION_SECTIONS:
                words.other_operations.add(table.label(3))
            continue
        words.operations.add(table.label(3))
        words.body_systems.add(table.label(2))
        for row in table.rows:
            words.body_parts.update(label for _, label in row[0].values)
            words.approaches.update(label for _, label in row[1].values)
            words.devices.update(label for _, label in row[2].values if label not in EMPTY_LABELS)
    return words


class _Matcher:
    """Finds labels in text through their spellings; longer spellings win over the words inside them."""

    def __init__(self, spellings: dict[str, set[str]], ignore_case: bool) -> None:
        self.targets = {(key.lower() if ignore_case else key): labels for key, labels in spellings.items()}
        ordered = sorted(spellings, key=len, reverse=True)
        pattern = "|".join(re.escape(spelling) for spelling in ordered)
        flags = re.IGNORECASE if ignore_case else 0
        self.regex = re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", flags) if ordered else None
        self.ignore_case = ignore_case

    def find(self, text: str) -> list[str]:
        if self.regex is None:
            return []
        found: dict[str, None] = {}
        for match in self.regex.finditer(text):
            key = match.group(0).lower() if self.ignore_case else match.group(0)
            found.update(dict.fromkeys(sorted(self.targets[key])))
        return list(found)


def _plurals(spelling: str) -> Iterable[str]:
    yield spelling
    if spelling.endswith("y"):
        yield spelling[:-1] + "ies"
    elif not spelling.endswith("s"):
        yield spelling + "s"


def _spellings(labels: Iterable[str], *, heads: bool = False) -> dict[str, set[str]]:
    spellings: dict[str, set[str]] = defaultdict(set)
    for label in labels:
        variants = {label, body_phrase(label)}
        if heads and ", " in label and (label.endswith(_LATERAL) or label.startswith("Coronary Artery")):
            variants.add(label.split(", ")[0])  # "kidney" names both Kidney, Right and Kidney, Left
        for variant in variants:
            for spelling in _plurals(variant):
                spellings[spelling].add(label)
    return spellings


class GuidelineKeys:
    """The applicability mapping, built once per vocabulary."""

    def __init__(self, words: Vocabulary) -> None:
        self.words = words
        self.operations_any_case = _Matcher(_spellings(words.operations), ignore_case=True)
        named = words.operations | words.other_operations
        self.operations_named = _Matcher({label: {label} for label in named}, ignore_case=False)
        systems = {label: {label} for label in words.body_systems}
        for label in words.body_systems:  # "Gastrointestinal body system"
            systems.setdefault(label.removesuffix(" System") + " body system", set()).add(label)
        self.body_systems = _Matcher(systems, ignore_case=False)
        self.body_parts = _Matcher(_spellings(words.body_parts, heads=True), ignore_case=True)
        self.approaches = _Matcher({label: {label} for label in words.approaches}, ignore_case=True)
        self.devices = _Matcher(_spellings(words.devices), ignore_case=True)

    def section(self, family: str) -> str:
        code, fallback = _FAMILY_SECTIONS[family]
        return "section:" + self.words.sections.get(code, fallback)

    def keys(self, number: str, title: str, text: str) -> tuple[str, ...]:
        """The applicability keys of guideline `number` (A1, B3.4a, C2, F ...)."""
        family = number[:1].upper()
        if family in ("A", "F"):
            return ("all",)
        if family in ("C", "D", "E"):
            return (self.section(family),)
        if family != "B":
            return ()
        words = f"{title}\n{text}"
        group = number[1:].split(".")[0]
        keys: list[str] = []
        if group == "3":
            keys += ["operation:" + label for label in self.operations_any_case.find(words)]
            keys += ["operation:" + label for label in self.operations_named.find(words)]
        elif group == "4":
            keys += ["body_part:" + label for label in self.body_parts.find(words)]
        elif group == "5":
            keys += ["approach:" + label for label in self.approaches.find(words)]
        elif group == "6":
            keys += ["device:" + label for label in self.devices.find(words)]
            keys += ["operation:" + label for label in self.operations_named.find(words)]
        systems = ["body_system:" + label for label in self.body_systems.find(words)]
        if group == "2" or not (keys or systems):
            keys.insert(0, self.section("B"))
        return tuple(dict.fromkeys(keys + systems))
