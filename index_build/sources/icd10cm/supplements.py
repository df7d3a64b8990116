"""Join the supplementary ICD-10-CM files to the tabular's records: titles, history, addenda, GEMs."""

from __future__ import annotations

from dataclasses import replace

from desktop.core.records import CodeRecord, CodeSet, GuidelineSection, Kind, SourceRelease
from index_build.sources import gems
from index_build.sources.base import Log, Parsed, SourceFile
from index_build.sources.order_file import parse_order_addenda, parse_order_file

from . import detect_more as more
from .conversion import parse_conversion
from .history import HistoryInputs, apply_history


def _newest(sources: list[SourceFile], kind: str) -> SourceFile | None:
    found = [source for source in sources if source.kind == kind]
    return max(found, key=lambda source: (source.effective, source.name)) if found else None


def add_supplements(tabular: SourceFile, sources: list[SourceFile], parsed: Parsed, log: Log) -> None:
    """Short titles and history on parsed.records, deleted codes and ICD-9-CM records added to them."""
    inputs = HistoryInputs(tabular)
    order_source = _newest(sources, more.ORDER)
    if order_source is not None:
        inputs.order, inputs.order_source = parse_order_file(order_source), order_source
        parsed.files_used.append(order_source)
        log(f"{order_source.name}: {len(inputs.order)} codes and headers with official titles ({order_source.release})")
    addenda_source = _newest(sources, more.ORDER_ADDENDA)
    if addenda_source is not None:
        inputs.addenda, inputs.addenda_source = parse_order_addenda(addenda_source), addenda_source
        parsed.files_used.append(addenda_source)
        log(f"{addenda_source.name}: {len(inputs.addenda)} changes ({addenda_source.release})")
    conversion_source = _newest(sources, more.CONVERSION)
    if conversion_source is not None:
        inputs.conversions = parse_conversion(conversion_source)
        parsed.files_used.append(conversion_source)
        parsed.counts["conversion table rows"] = len(inputs.conversions)
        log(f"{conversion_source.name}: {len(inputs.conversions)} codes with the release that added them")
    forward, backward = _newest(sources, gems.FORWARD), _newest(sources, gems.BACKWARD)
    crosswalk = None
    if forward is not None:
        crosswalk = gems.build_crosswalk(gems.parse_gem(forward), gems.parse_gem(backward) if backward else [])
        inputs.crosswalk = crosswalk.to_icd10
        parsed.files_used.extend(source for source in (forward, backward) if source is not None)
        parsed.counts.update(crosswalk.counts)
        log(
            f"{forward.name}: {crosswalk.counts['GEM ICD-9 to ICD-10 lines']} mappings, "
            f"{len(crosswalk.icd9_records)} ICD-9-CM codes"
        )
    for source in sources:
        if source.kind == more.ADDENDA_PDF:
            # the same changes as the order addenda, as printed pages: bundled for the coder, not parsed
            parsed.files_used.append(source)
    if order_source or addenda_source or conversion_source or inputs.crosswalk:
        history = apply_history(inputs, parsed.records)
        parsed.records = history.records + history.deleted
        parsed.counts.update(history.counts)
        parsed.warnings.extend(history.warnings)
    if crosswalk is not None and forward is not None:
        parsed.records.extend(crosswalk.icd9_records)
        parsed.releases.append(
            SourceRelease(
                CodeSet.ICD9CM,
                f"{forward.release} (ICD-9-CM retired October 1, 2015)",
                forward.effective,
                tuple(s.name for s in (forward, backward) if s is not None),
            )
        )


def guideline_search_terms(records: list[CodeRecord], sections: list[GuidelineSection]) -> list[CodeRecord]:
    """Each chapter's guideline section titles as its search terms: 'sequencing of diabetes' then finds
    chapter 4, whose Guidelines tab holds I.C.4 (the sections are also hits of their own, below the codes:
    desktop/core/search/guideline_hits.py)."""
    titles: dict[str, list[str]] = {}
    for section in sections:
        chapter = section.group.removeprefix("Chapter ") if section.group.startswith("Chapter ") else ""
        if chapter and section.title:
            titles.setdefault(chapter, []).append(f"Guideline {section.number}: {section.title}")
    return [
        replace(record, search_terms=(*record.search_terms, *titles[record.code]))
        if record.kind is Kind.CHAPTER and record.code in titles
        else record
        for record in records
    ]
