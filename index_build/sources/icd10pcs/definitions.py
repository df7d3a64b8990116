"""Parse the ICD-10-PCS definitions XML: axis value definitions, the keys, and device aggregation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from desktop.core.records import PcsDefinition, PcsDeviceAggregate
from index_build.sources.base import SourceError, SourceFile
from index_build.sources.xml_util import element_text, parse_xml

BODY_PART_AXIS = "Body Part"


@dataclass
class DefinitionsFile:
    """Everything read from one definitions file."""

    version: str
    title: str
    definitions: list[PcsDefinition] = field(default_factory=list)
    aggregates: list[PcsDeviceAggregate] = field(default_factory=list)

    def body_part_terms(self) -> dict[str, tuple[str, ...]]:
        """Body Part Key: each Body Part label -> the anatomical terms it includes ('Appendix' ->
        'Vermiform appendix', ...). The key lives in Medical and Surgical; its labels recur elsewhere."""
        terms: dict[str, list[str]] = defaultdict(list)
        for entry in self.definitions:
            if entry.axis_name != BODY_PART_AXIS or not entry.includes:
                continue
            for title in entry.titles:
                terms[title].extend(term for term in entry.includes if term not in terms[title])
        return {title: tuple(values) for title, values in terms.items()}


def parse_definitions(source: SourceFile) -> DefinitionsFile:
    """Every <terms> entry of every section and axis, and every deviceAggregation entry."""
    root = parse_xml(source, "ICD10PCS.definitions")
    result = DefinitionsFile(element_text(root.find("version")), element_text(root.find("title")))
    for section in root.findall("section"):
        code = section.get("code", "")
        if len(code) != 1:
            raise SourceError(source.name, "<section> without a one-character code", element="section")
        for axis in section.findall("axis"):
            position = axis.get("pos", "")
            if not position.isdigit():
                raise SourceError(source.name, f"section {code}: <axis> without a numeric pos", element="axis")
            axis_name = element_text(axis.find("title"))
            for terms in axis.findall("terms"):
                titles = tuple(element_text(title) for title in terms.findall("title"))
                if not titles or not all(titles):
                    raise SourceError(
                        source.name, f"section {code}, axis {position}: <terms> without <title>", element="terms"
                    )
                result.definitions.append(
                    PcsDefinition(
                        section=code,
                        position=int(position),
                        axis_name=axis_name,
                        titles=titles,
                        definition=element_text(terms.find("definition")),
                        explanation=element_text(terms.find("explanation")),
                        includes=tuple(text for text in map(element_text, terms.findall("includes")) if text),
                    )
                )
    for aggregate in root.iter("aggregate"):
        parent = aggregate.find("parent")
        device = element_text(aggregate.find("device"))
        if parent is None or not device:
            raise SourceError(source.name, "<aggregate> needs a <device> and a <parent>", element="aggregate")
        result.aggregates.append(
            PcsDeviceAggregate(
                device=device,
                operation=element_text(aggregate.find("operation")),
                body_systems=tuple(element_text(system) for system in aggregate.findall("bodySys")),
                parent_value=parent.get("value", ""),
                parent_label=element_text(parent),
            )
        )
    if not result.definitions:
        raise SourceError(source.name, "no <section>/<axis>/<terms> entries found", element="ICD10PCS.definitions")
    return result
