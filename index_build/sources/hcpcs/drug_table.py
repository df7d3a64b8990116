"""The HCPCS Table of Drugs PDF: rows 'drug name  unit  route  J-code(s)' and 'Brand, see Generic' lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index_build.sources.hcpcs.pdf_text import CODE, clean

ROUTES = ("IA", "IV", "IM", "IT", "SC", "INH", "VAR", "OTH", "ORAL")
_ROUTE = r"(?:IA|IV|IM|IT|SC|INH|VAR|OTH|ORAL|Oral)"
# Text-layer rows end in the code column; one wrapped row may carry a page-number digit after it.
_ROW = re.compile(
    rf"^(?P<rest>.*?)\s*(?P<route>\b{_ROUTE}(?:\s*,\s*{_ROUTE})*)?\s*"
    rf"(?P<codes>\b{CODE}(?:\s*-\s*{CODE})?(?:\s*,\s*{CODE}(?:\s*-\s*{CODE})?)*)\s*,?(?:\s+\d{{1,2}})?\s*$"
)
_CODES_ONLY = re.compile(rf"^\s*{CODE}(?:\s*,\s*{CODE})*\s*,?\s*$")
_CODE_OR_RANGE = re.compile(rf"({CODE})(?:\s*-\s*({CODE}))?")
_SEE = re.compile(r"^(?P<name>.+?)\s*,?\s*@?\s+(?:also\s+)?see\s+(?P<target>.+?)\s*$", re.IGNORECASE)
_UNIT_WORDS = (
    r"(?:mg|mcg|gm|g|grams?|units?|iu|ml|cc|meq|micrograms?|million|billion|millicuries?"
    r"|millcurie|mci|kiu|sq\.?\s*cm|doses?|vials?|mmol|usp)"
)
_UNIT_START = re.compile(
    rf"\bup\s+to\b|\bper\b|\beach\b|<=|>=|<|>|(?<![\d.,])\.?\d[\d,.]*\s*{_UNIT_WORDS}\b|^\s*{_UNIT_WORDS}\b",
    re.IGNORECASE,
)
# 'Diclofenac sodium 37.5', 'Epoetin alfa 100': unit word lost; short numbers belong to names ('Hylan G-F 20')
_TRAILING_NUMBER = re.compile(r"\s(\d*\.\d+|\d{3,}[\d,]*)$")
_HEADING = re.compile(r"^\s*(?:[A-Z]|\d{1,3}|\d{4} Table of Drugs)\s*$")


@dataclass(frozen=True)
class DrugRow:
    """One row of the table: a drug (as printed), its unit and route, and the codes it leads to."""

    name: str
    unit: str
    route: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class DrugSee:
    """'Avastin, see Bevacizumab': a brand or other name pointing at a drug's row."""

    name: str
    target: str


@dataclass
class DrugTable:
    rows: list[DrugRow] = field(default_factory=list)
    sees: list[DrugSee] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # lines the row parser could not place


def expand_codes(text: str) -> tuple[str, ...]:
    """'J7195, J7200-J7202' -> ('J7195', 'J7200-J7202'): one item per code or range, as printed."""
    return tuple(m.group(1) + (f"-{m.group(2)}" if m.group(2) else "") for m in _CODE_OR_RANGE.finditer(text))


def split_name_unit(rest: str) -> tuple[str, str]:
    """'Acetazolamide sodium  up to 500 mg' -> ('Acetazolamide sodium', 'up to 500 mg')."""
    match = _UNIT_START.search(rest)
    if match is None:
        number = _TRAILING_NUMBER.search(rest.strip())
        if number:
            return clean(rest.strip()[: number.start()]).rstrip(" (,"), number.group(1)
        return clean(rest).rstrip(" (,"), ""
    return clean(rest[: match.start()]).rstrip(" (,"), clean(rest[match.start() :])


def parse_row(line: str) -> DrugRow | DrugSee | None:
    """One text line as a table row or a see-reference; None when it is neither (headings, fragments)."""
    row = _ROW.match(line)
    if row and row.group("rest").strip():
        rest = row.group("rest")
        see = _SEE.match(rest)
        if see:  # a see-line run into the next row's codes: keep the reference, the row's name is lost
            return DrugSee(name=clean(see.group("name")), target=clean(see.group("target")))
        name, unit = split_name_unit(rest)
        route = ", ".join(part.strip().upper() for part in (row.group("route") or "").split(",") if part.strip())
        return DrugRow(name=name, unit=unit, route=route, codes=expand_codes(row.group("codes")))
    see = _SEE.match(line)
    if see and not row:
        return DrugSee(name=clean(see.group("name")), target=clean(see.group("target")))
    return None


def _continues_name(name: str) -> bool:
    return not name or not (name[0].isupper() or name[0].isdigit())


def _joined(base: str, fragment: str) -> str:
    if fragment.startswith("("):
        return f"{base.split(' (')[0]} {fragment}"
    if fragment.startswith("&"):
        return f"{base} {fragment}"
    return f"{base}, {fragment}"


def parse_drug_table(pages: list[list[str]]) -> DrugTable:
    """Rows and see-references of the whole table; wrapped rows and continuation rows are re-joined."""
    table = DrugTable()
    main = ""  # the last drug name printed in full: unit-only rows ('50 mg  IV  J9260') belong to it
    for lines in pages:
        pending = ""  # an uppercase line without codes: a heading, or the first half of a wrapped name
        last: DrugRow | DrugSee | None = None
        for line in lines:
            text = line.strip()
            if not text or _HEADING.match(text):
                continue
            if _CODES_ONLY.match(text) and isinstance(last, DrugRow):
                last = DrugRow(last.name, last.unit, last.route, last.codes + expand_codes(text))
                table.rows[-1] = last
                continue
            item = parse_row(line)
            if isinstance(item, DrugRow):
                name = item.name
                if not _continues_name(name):
                    main = name
                elif pending and name:  # 'Betamethasone acetate' + '& betamethasone sodium phosphate ...'
                    main, name = pending, f"{pending} {name}"
                elif name:  # '(for esrd use)  1 mg  IV  J0884' under 'Argatroban (for non-esrd use)'
                    name = _joined(main, name) if main else name
                else:  # '50 mg  IV  J9260': another unit of the drug above
                    name = main
                if not name:
                    table.skipped.append(text)
                    continue
                last = DrugRow(name, item.unit, item.route, item.codes)
                table.rows.append(last)
                pending = ""
            elif isinstance(item, DrugSee):
                table.sees.append(item)
                last, pending = item, ""
            elif text[0].islower() or text[0] in "&(":
                if isinstance(last, DrugSee):  # 'Bicillin C-R 900/300, see Penicillin G procaine and ...'
                    last = DrugSee(last.name, f"{last.target} {clean(text)}")
                    table.sees[-1] = last
                elif isinstance(last, DrugRow) and last.name.count("(") > last.name.count(")"):
                    last = DrugRow(f"{last.name} {clean(text)}", last.unit, last.route, last.codes)
                    table.rows[-1] = last
                elif pending:
                    pending = f"{pending} {clean(text)}"
                else:
                    table.skipped.append(text)
            elif re.search(CODE, text):  # codes with trailing debris ('... J9999 Not'): cannot be split safely
                table.skipped.append(text)
                last, pending = None, ""
            else:
                if pending:
                    table.skipped.append(pending)
                pending = clean(text)
        if pending:
            table.skipped.append(pending)
    return table
