"""Parse the ICD-10-PCS tables XML into tables (merged by id) and their rows of valid values."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from index_build.sources.base import SourceError, SourceFile
from index_build.sources.xml_util import element_text, parse_xml

# Every pcsRow carries exactly these positions; pcsTable carries 1-3.
_ROW_POSITIONS = (4, 5, 6, 7)
_TABLE_POSITIONS = (1, 2, 3)


@dataclass(frozen=True)
class AxisValues:
    """One axis of a table or row: its position, name (the file's <title>) and (value, label) pairs."""

    position: int
    name: str
    values: tuple[tuple[str, str], ...]


@dataclass
class Table:
    """A 3-character table: its first three axes (one value each) and all its rows, blocks merged."""

    code: str
    head: tuple[AxisValues, AxisValues, AxisValues]
    definition: str
    rows: list[tuple[AxisValues, ...]] = field(default_factory=list)
    declared_codes: int = 0  # sum of pcsRow/@codes

    @property
    def section(self) -> str:
        return self.code[0]

    def label(self, position: int) -> str:
        return self.head[position - 1].values[0][1]


@dataclass
class TablesFile:
    """Everything read from one tables file."""

    version: str
    title: str
    tables: dict[str, Table]
    blocks: int  # pcsTable elements; more than len(tables) when a table is split
    warnings: list[str] = field(default_factory=list)


def _axis(source: SourceFile, element: ET.Element, where: str) -> AxisValues:
    try:
        position = int(element.get("pos", ""))
    except ValueError:
        raise SourceError(source.name, f"{where}: <axis> without a numeric pos", element="axis") from None
    values = tuple((label.get("code", ""), element_text(label)) for label in element.findall("label"))
    if not values or any(len(value) != 1 or not text for value, text in values):
        raise SourceError(source.name, f"{where}: axis {position} has a missing or malformed <label>", element="axis")
    return AxisValues(position, element_text(element.find("title")), values)


def _axes(source: SourceFile, parent: ET.Element, expected: tuple[int, ...], where: str) -> tuple[AxisValues, ...]:
    axes = tuple(_axis(source, axis, where) for axis in parent.findall("axis"))
    if tuple(axis.position for axis in axes) != expected:
        found = ", ".join(str(axis.position) for axis in axes) or "none"
        raise SourceError(source.name, f"{where}: expected axes {expected}, found {found}", element=parent.tag)
    return axes


def parse_tables(source: SourceFile) -> TablesFile:
    """Read every pcsTable; blocks sharing a 3-character id are merged into one Table."""
    root = parse_xml(source, "ICD10PCS.tabular")
    result = TablesFile(element_text(root.find("version")), element_text(root.find("title")), {}, 0)
    for number, element in enumerate(root.findall("pcsTable"), start=1):
        result.blocks += 1
        head = _axes(source, element, _TABLE_POSITIONS, f"pcsTable #{number}")
        if any(len(axis.values) != 1 for axis in head):
            raise SourceError(source.name, f"pcsTable #{number}: axes 1-3 must hold one label each", element="pcsTable")
        code = "".join(axis.values[0][0] for axis in head)
        operation = element.find("axis[@pos='3']")
        table = result.tables.get(code)
        if table is None:
            definition = element_text(operation.find("definition")) if operation is not None else ""
            table = result.tables[code] = Table(code, (head[0], head[1], head[2]), definition)
        elif tuple(axis.values for axis in head) != tuple(axis.values for axis in table.head):
            result.warnings.append(f"table {code}: blocks disagree on the labels of axes 1-3; kept the first")
        rows = element.findall("pcsRow")
        if not rows:
            raise SourceError(source.name, f"pcsTable {code} has no <pcsRow>", element="pcsTable")
        for row_number, row in enumerate(rows, start=1):
            where = f"table {code}, pcsRow #{row_number}"
            axes = _axes(source, row, _ROW_POSITIONS, where)
            table.rows.append(axes)
            declared = row.get("codes", "")
            product = 1
            for axis in axes:
                product *= len(axis.values)
            if declared.isdigit():
                table.declared_codes += int(declared)
                if int(declared) != product:
                    result.warnings.append(f"{where}: codes={declared} but its labels make {product} codes")
            else:
                table.declared_codes += product
    if not result.tables:
        raise SourceError(source.name, "no <pcsTable> found", element="ICD10PCS.tabular")
    return result
