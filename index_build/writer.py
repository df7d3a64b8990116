"""Writes parsed records as Whoosh documents, and the manifest, into the folder it is given."""

from __future__ import annotations

import dataclasses
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from desktop.core.codes import code_key
from desktop.core.manifest import Manifest
from desktop.core.records import CodeRecord, CodeSet, IndexTerm, Kind, NoteKind, doc_id
from desktop.core.schema import STORED_RECORD_FIELDS, build_schema, encode, index_codec
from desktop.core.schema import plain as schema_plain
from index_build.segment_writer import SegmentFeeder
from index_build.sources.base import Log, Parsed

_TERMS_PER_CODE = 400  # a few codes collect thousands of index paths; the first ones carry the meaning


def _term_key(term: IndexTerm) -> tuple[str, str]:
    return (str(term.code_set), code_key(term.code.rstrip("-").rstrip(".")))


class _Linker:
    """Resolves which record each index term leads to."""

    def __init__(self, parsed: Parsed) -> None:
        self.by_key: dict[tuple[str, str], CodeRecord] = {}
        for record in parsed.records:
            self.by_key.setdefault((str(record.code_set), code_key(record.code)), record)
        self.terms: dict[str, list[IndexTerm]] = defaultdict(list)
        self.xrefs: list[IndexTerm] = []
        self.unresolved: dict[str, list[str]] = defaultdict(list)
        for term in parsed.index_terms:
            if not term.code:
                self.xrefs.append(term)
                continue
            target = self._target(term)
            if target is None:
                self.unresolved[f"{term.code_set} {term.source}"].append(term.code)
            else:
                self.terms[doc_id(target.code_set, target.code)].append(term)

    def _target(self, term: IndexTerm) -> CodeRecord | None:
        """The record an index term leads to; a PCS stub of 5-6 characters falls back to its body part."""
        code_set, key = _term_key(term)
        found = self.by_key.get((code_set, key))
        while found is None and code_set == str(CodeSet.ICD10PCS) and len(key) > 4:
            key = key[:-1]
            found = self.by_key.get((code_set, key))
        return found


def _axes_rebuilt(record: CodeRecord) -> bool:
    """PCS codes and body parts drop their axes: the app rebuilds them from the table's rows (saves ~50 MB)."""
    rebuilt = (record.kind is Kind.CODE and len(record.code) == 7) or (
        record.kind is Kind.PCS_BODY_PART and len(record.code) == 4
    )
    return record.code_set is CodeSet.ICD10PCS and rebuilt


def _detail(record: CodeRecord, terms: list[IndexTerm]) -> str | None:
    """The record's JSON without what has its own stored field (STORED_RECORD_FIELDS), and its index terms.

    Most PCS and many ICD-10-CM codes then store no detail at all: everything they hold is in the fields.
    """
    plain = schema_plain(record)  # what encode() would write, without a JSON round trip
    for name in STORED_RECORD_FIELDS:
        plain.pop(name, None)
    if _axes_rebuilt(record):  # as if axes were () (their default, which plain leaves out), without a copy
        plain.pop("axes", None)
    detail: dict[str, Any] = {}
    if plain:
        detail["record"] = plain
    if terms:
        detail["terms"] = [[t.source, t.text, t.column, t.code] for t in terms]
    return json.dumps(detail, ensure_ascii=False, separators=(",", ":")) if detail else None


def _record_doc(record: CodeRecord, linker: _Linker) -> dict[str, Any]:
    rid = doc_id(record.code_set, record.code)
    terms = linker.terms.get(rid, [])[:_TERMS_PER_CODE]
    # Includes notes name conditions coded here too (I10: "high blood pressure"), like inclusion terms.
    inclusion = [n.text for n in record.notes if n.kind in (NoteKind.INCLUSION_TERM, NoteKind.INCLUDES)]
    document = {
        "id": rid,
        "code": record.code,
        "key": code_key(record.code),
        "code_set": str(record.code_set),
        "kind": str(record.kind),
        "title": record.title,
        "short_title": record.short_title,
        "inclusion": "\n".join(inclusion),
        "index_terms": "\n".join(dict.fromkeys(t.text for t in terms)),
        "extra": "\n".join(record.search_terms),
        "billable": record.billable,
        "terminated": record.terminated,
        "parent": record.parent,
        "order": record.order,
        "detail": _detail(record, terms),
    }
    # Empty and false values are left out: a stored "" or False costs bytes in every document, and the
    # readers take a missing field as empty.
    return {name: value for name, value in document.items() if value or name in ("id", "code", "title")}


def _documents(parsed: Parsed, linker: _Linker) -> Iterator[dict[str, Any]]:
    for record in parsed.records:
        yield _record_doc(record, linker)
    # Documents without a code of their own are found by `ref` (schema.find_document).
    for section in parsed.guidelines:
        ref = f"{section.code_set}:guideline:{section.number}"
        yield {
            "id": ref,
            "ref": ref,
            "code": section.number,
            "key": code_key(section.number),
            "code_set": str(section.code_set),
            "kind": str(Kind.GUIDELINE),
            "title": section.title,
            "extra": section.text,
            "applies": ",".join(section.applies_to),
            "detail": encode(section),
        }
    for definition in parsed.definitions:
        for title in definition.titles:
            ref = f"ICD-10-PCS:def:{definition.section}:{definition.position}:{title.lower()}"
            yield {
                "id": ref,
                "ref": ref,
                "code": title,
                "code_set": "ICD-10-PCS",
                "kind": str(Kind.DEFINITION),
                "title": title,
                "detail": encode(definition),
            }
    for number, term in enumerate(linker.xrefs):
        yield {
            "id": f"{term.code_set}:xref:{number}",
            "code": "",
            "code_set": str(term.code_set),
            "kind": str(Kind.XREF),
            "title": term.text,
            "index_terms": term.text,
            "detail": encode(term),
        }
    if parsed.aggregates:
        yield {
            "id": "ICD-10-PCS:device-aggregation",
            "ref": "ICD-10-PCS:device-aggregation",
            "code_set": "ICD-10-PCS",
            "kind": str(Kind.DEFINITION),
            "detail": encode(list(parsed.aggregates)),
        }


def write_index(
    folder: Path,
    parsed: Parsed,
    manifest: Manifest,
    log: Log,
    documents_ready: Callable[[list[dict[str, Any]]], None] | None = None,
) -> Manifest:
    """Write the documents and the manifest into folder (new or empty: build_index stages it).

    documents_ready gets every document, in the order Whoosh numbers them, before the write starts (the
    search cache is built from them beside the write). Returns a copy of the manifest with the document
    count and every index file's size and sha256.
    """
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder} is not empty; the index is written into a fresh folder")
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    linker = _Linker(parsed)
    ix = whoosh_index.create_in(str(folder), build_schema())
    # Whoosh sorts postings in memory up to limitmb and otherwise pickles every one of them to temporary
    # runs and merges them back: ~3.5 M postings (full build) are ~600 MB by its estimate, so they fit.
    # CodeAtlasCodec: stored fields compressed in blocks, one-document terms in the term dictionary.
    writer = ix.writer(limitmb=1024, codec=index_codec())
    documents = list(_documents(parsed, linker))
    if documents_ready is not None:
        documents_ready(documents)
    # The same calls and bytes as writer.add_document(**document) and writer.commit(), without Whoosh's
    # posting pool (segment_writer).
    feeder = SegmentFeeder(writer)
    for document in documents:
        feeder.add_document(document)
        if feeder.doc_count % 50000 == 0:
            log(f"  indexed {feeder.doc_count:,} documents")
    count = feeder.doc_count
    log(f"  committing {count:,} documents")
    feeder.commit()
    ix.close()
    manifest = dataclasses.replace(manifest, documents=count, extra=dict(manifest.extra))
    manifest.extra["unresolved_index_terms"] = {
        key: {"count": len(codes), "examples": sorted(set(codes))[:20]}
        for key, codes in sorted(linker.unresolved.items())
    }
    manifest.record_index_files(folder)
    manifest.extra["write_seconds"] = round(time.perf_counter() - started, 1)
    manifest.write(folder)
    return manifest
