"""Read the ICD-10-PCS guideline text (JSON extraction or official PDF) into GuidelineSections."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from desktop.core.records import CodeSet, GuidelineSection
from index_build.sources.base import SourceError, SourceFile

from .applicability import GuidelineKeys

DOCUMENT = "ICD-10-PCS Official Guidelines for Coding and Reporting"
_BOLD_HEADING = re.compile(r"^\*\*(.+?)\*\*\s*\n?")
_NUMBER = re.compile(r"^[A-F](\d+(\.\d+)?([a-z]|\.[a-z])?)?$")


@dataclass(frozen=True)
class RawSection:
    """One numbered guideline before its applicability is worked out."""

    number: str
    title: str
    text: str
    group: str = ""


def read_json(source: SourceFile) -> tuple[str, list[RawSection]]:
    """(document title, sections) from a {code_set, document, sections: [{id, group, title, text}]} file."""
    try:
        data = json.loads(source.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SourceError(source.name, f"not UTF-8 text ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise SourceError(source.name, f"malformed JSON ({exc.msg}, column {exc.colno})", line=exc.lineno) from exc
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise SourceError(source.name, "expected an object with a 'sections' list", element="sections")
    sections = []
    for position, item in enumerate(data["sections"], start=1):
        if not isinstance(item, dict) or not all(isinstance(item.get(key), str) for key in ("id", "text")):
            raise SourceError(source.name, f"section #{position} needs string 'id' and 'text'", element="sections")
        number = item["id"].strip()
        if not _NUMBER.match(number):
            raise SourceError(source.name, f"section #{position} has an unexpected number '{number}'", element="id")
        sections.append(
            _tidy(RawSection(number, _words(item.get("title")), item["text"].strip(), _words(item.get("group"))))
        )
    return str(data.get("document") or DOCUMENT), sections


def _words(value: object) -> str:
    return " ".join(str(value or "").split())


def _tidy(section: RawSection) -> RawSection:
    """A section opening with its own bold heading takes that as its title (F: Selection of Principal
    Procedure, filed under the generic 'Convention' in the extraction)."""
    match = _BOLD_HEADING.match(section.text)
    if not match:
        return section
    heading = match.group(1).strip()
    generic = section.title in ("", section.group)
    return RawSection(
        section.number,
        heading if generic else section.title,
        section.text[match.end() :].strip(),
        heading if generic else section.group,
    )


def to_guidelines(sections: list[RawSection], document: str, keys: GuidelineKeys) -> list[GuidelineSection]:
    """GuidelineSections with their applicability keys, one per distinct number (first wins)."""
    seen: set[str] = set()
    result = []
    for section in sections:
        if section.number in seen:
            continue
        seen.add(section.number)
        result.append(
            GuidelineSection(
                code_set=CodeSet.ICD10PCS,
                number=section.number,
                title=section.title or section.group or section.number,
                text=section.text,
                group=section.group,
                applies_to=keys.keys(section.number, section.title, section.text),
                document=document,
            )
        )
    return result
