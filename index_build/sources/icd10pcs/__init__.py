"""ICD-10-PCS sources: tables, definitions and index XML, and the official guideline text."""

from __future__ import annotations

from collections import defaultdict

from desktop.core.records import CodeSet, SourceRelease
from index_build.sources.base import Log, Parsed, SourceFile
from index_build.sources.order_file import parse_order_addenda, parse_order_file

from . import detect as _detect
from .alpha_index import parse_index
from .applicability import GuidelineKeys, vocabulary
from .definitions import DefinitionsFile, parse_definitions
from .guideline_pdf import read_pdf
from .guidelines import read_json, to_guidelines
from .history import apply_history
from .records import build_records
from .stubs import check_stubs
from .tables import TablesFile, parse_tables

detect = _detect.detect

__all__ = ["build", "detect"]


def _newest(sources: list[SourceFile]) -> SourceFile | None:
    # Newest release wins; on a tie the official PDF beats the partial JSON extraction.
    ranked = sorted(sources, key=lambda s: (s.effective, s.kind == _detect.GUIDELINES_PDF, s.name))
    return ranked[-1] if ranked else None


def build(sources: list[SourceFile], log: Log) -> Parsed:
    """Parse the newest tables, definitions, index and guideline text, and link them."""
    by_kind: dict[str, list[SourceFile]] = defaultdict(list)
    for source in sources:
        by_kind[source.kind].append(source)
    parsed = Parsed()
    tables_source = _newest(by_kind[_detect.TABLES])
    tables: TablesFile | None = None
    definitions: DefinitionsFile | None = None

    definitions_source = _newest(by_kind[_detect.DEFINITIONS])
    if definitions_source is not None:
        definitions = parse_definitions(definitions_source)
        parsed.definitions, parsed.aggregates = definitions.definitions, definitions.aggregates
        parsed.files_used.append(definitions_source)
        parsed.counts["definitions"] = len(definitions.definitions)
        parsed.counts["device aggregates"] = len(definitions.aggregates)
        log(
            f"  {definitions_source.name}: {len(definitions.definitions):,} definitions, "
            f"{len(definitions.aggregates):,} device aggregates"
        )

    codes: set[str] = set()
    body_parts: set[str] = set()
    if tables_source is None:
        parsed.warnings.append("no ICD-10-PCS tables file found: no PCS codes in this index")
    else:
        tables = parse_tables(tables_source)
        built = build_records(tables, definitions.body_part_terms() if definitions else {})
        parsed.records, codes, body_parts = built.records, built.codes, built.body_parts
        parsed.files_used.append(tables_source)
        parsed.warnings += tables.warnings + built.warnings
        split = tables.blocks - len(tables.tables)
        parsed.counts.update(
            {
                "codes": len(codes),
                "tables": len(tables.tables),
                "rows": sum(len(table.rows) for table in tables.tables.values()),
                "body parts": len(body_parts),
                "body parts with key terms": sum(1 for record in parsed.records if record.search_terms),
            }
        )
        log(
            f"  {tables_source.name}: {len(codes):,} codes in {len(tables.tables):,} tables"
            + (f" ({split} split across blocks, merged)" if split else "")
        )
        declared = sum(table.declared_codes for table in tables.tables.values())
        if declared != len(codes):
            parsed.warnings.append(f"tables declare {declared:,} codes (pcsRow/@codes) but list {len(codes):,}")
        _add_history(tables_source, tables, by_kind, parsed, log)

    index_source = _newest(by_kind[_detect.INDEX])
    if index_source is not None:
        index = parse_index(index_source)
        parsed.index_terms = index.terms
        parsed.files_used.append(index_source)
        parsed.counts["index terms"] = len(index.terms)
        if index.unknown_tags:
            ignored = ", ".join(f"<{tag}> x{n}" for tag, n in sorted(index.unknown_tags.items()))
            parsed.warnings.append(f"index: unexpected elements ignored: {ignored}")
        log(f"  {index_source.name}: {len(index.terms):,} index terms")
        if tables_source is not None:
            report = check_stubs(index.terms, codes, body_parts)
            parsed.counts["unresolved index stubs"] = len(report.unresolved)
            parsed.counts["index stubs of 5-6 characters"] = len(report.partial)
            parsed.warnings += report.warnings(index_source.release, tables_source.release)

    guideline_source = _newest(by_kind[_detect.GUIDELINES_JSON] + by_kind[_detect.GUIDELINES_PDF])
    if guideline_source is not None:
        if guideline_source.kind == _detect.GUIDELINES_PDF:
            document, raw = read_pdf(guideline_source, guideline_source.release)
        else:
            document, raw = read_json(guideline_source)
        parsed.guidelines = to_guidelines(raw, document, GuidelineKeys(vocabulary(tables)))
        parsed.files_used.append(guideline_source)
        parsed.counts["guideline sections"] = len(parsed.guidelines)
        log(f"  {guideline_source.name}: {len(parsed.guidelines)} guideline sections")

    if tables_source is not None:
        release = tables_source.release
        if index_source is not None and index_source.release != tables_source.release:
            release += f" (index {index_source.release})"
        parsed.releases.append(
            SourceRelease(
                CodeSet.ICD10PCS, release, tables_source.effective, tuple(source.name for source in parsed.files_used)
            )
        )
    return parsed


def _add_history(
    tables_source: SourceFile, tables: TablesFile, by_kind: dict[str, list[SourceFile]], parsed: Parsed, log: Log
) -> None:
    """Official titles from the order file of the same release; history from every older tables file."""
    older = sorted(
        (s for s in by_kind[_detect.TABLES] if s.effective < tables_source.effective), key=lambda s: s.effective
    )
    releases = [(source, parse_tables(source)) for source in older] + [(tables_source, tables)]
    order_source = _newest([s for s in by_kind[_detect.ORDER] if s.effective == tables_source.effective])
    order = parse_order_file(order_source) if order_source is not None else None
    addenda_source = _newest([s for s in by_kind[_detect.ORDER_ADDENDA] if s.effective == tables_source.effective])
    addenda = parse_order_addenda(addenda_source) if addenda_source is not None else []
    if order is None and len(releases) == 1:
        return
    history = apply_history(parsed.records, releases, order, addenda)
    parsed.records = history.records + history.deleted
    parsed.counts.update(history.counts)
    for source, _ in releases[:-1]:
        parsed.files_used.append(source)
    for extra in (order_source, addenda_source):
        if extra is not None:
            parsed.files_used.append(extra)
            log(f"  {extra.name}: official titles and changes of {extra.release}")
    log(f"  history over {len(releases)} releases: {history.counts['codes deleted']} codes deleted since the last")
