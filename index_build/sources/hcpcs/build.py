"""Build the HCPCS part of the index: newest release's codes and modifiers, notes, drug table, index."""

from __future__ import annotations

from dataclasses import replace

from desktop.core.records import CodeRecord, CodeSet, Kind, SourceRelease
from index_build.sources.base import Log, Parsed, SourceError, SourceFile
from index_build.sources.hcpcs.alpha_index import parse_alpha_index
from index_build.sources.hcpcs.anweb_txt import parse_anweb_txt
from index_build.sources.hcpcs.anweb_xlsx import parse_anweb_xlsx
from index_build.sources.hcpcs.code_records import code_record
from index_build.sources.hcpcs.detect import (
    CODE_KINDS,
    KIND_DRUG_PDF,
    KIND_INDEX_PDF,
    KIND_PROC_NOTES,
    KIND_TXT,
    KIND_XLSX,
)
from index_build.sources.hcpcs.drug_table import parse_drug_table
from index_build.sources.hcpcs.history import apply_history
from index_build.sources.hcpcs.linking import CodeLookup, Links, link_alpha_index, link_drug_table
from index_build.sources.hcpcs.pdf_text import page_lines
from index_build.sources.hcpcs.proc_notes import parse_proc_notes
from index_build.sources.hcpcs.row import HcpcsRow

_FORM = {KIND_TXT: "txt", KIND_XLSX: "xlsx"}
_SHOWN_MISSING = 12  # codes listed by name in a warning; the count says the rest


def _newest(files: list[SourceFile]) -> SourceFile | None:
    """The newest release's file; the fixed-width txt (CMS's master form) before the xlsx of the same release."""
    ranked = sorted(files, key=lambda f: (f.effective, f.kind == KIND_TXT, f.name))
    return ranked[-1] if ranked else None


def _older_releases(files: list[SourceFile], chosen: SourceFile) -> list[tuple[SourceFile, list[HcpcsRow]]]:
    """One file per older release (txt before xlsx, it is CMS's master form and 10x faster to read), oldest first."""
    older: dict[str, SourceFile] = {}
    for file in files:
        if file.effective < chosen.effective:
            held = older.get(file.effective)
            if held is None or (file.kind == KIND_TXT and held.kind != KIND_TXT):
                older[file.effective] = file
    return [(file, _read_rows(file)) for _, file in sorted(older.items())]


def _releases_present(files: list[SourceFile]) -> str:
    forms: dict[tuple[str, str], list[str]] = {}
    for file in files:
        forms.setdefault((file.effective, file.release or "release unknown"), []).append(_FORM[file.kind])
    return ", ".join(f"{label} ({', '.join(sorted(set(kinds)))})" for (_, label), kinds in sorted(forms.items()))


def _read_rows(file: SourceFile) -> list[HcpcsRow]:
    if file.kind == KIND_TXT:
        return parse_anweb_txt(file.read_bytes(), file.name)
    return parse_anweb_xlsx(file.read_bytes(), file.name)[1]


def _code_records(file: SourceFile, rows: list[HcpcsRow], notes: dict[str, str]) -> list[CodeRecord]:
    seen: set[str] = set()
    for row in rows:
        if row.code in seen:
            raise SourceError(file.name, f"code {row.code} appears twice")
        seen.add(row.code)
    return [code_record(row, order, notes) for order, row in enumerate(rows, start=1)]


def _missing_warning(what: str, links: Links, release: str) -> list[str]:
    if not links.missing:
        return []
    shown = ", ".join(sorted(links.missing)[:_SHOWN_MISSING])
    more = f" and {len(links.missing) - _SHOWN_MISSING} more" if len(links.missing) > _SHOWN_MISSING else ""
    return [f"HCPCS {what}: {len(links.missing)} codes no longer in {release}: {shown}{more}"]


def _supplements(sources: list[SourceFile], lookup: CodeLookup, release: str, parsed: Parsed, log: Log) -> Links:
    """Drug table and alphabetic index (newest of each), linked to the release's codes."""
    combined = Links()
    for kind, what in ((KIND_DRUG_PDF, "Table of Drugs"), (KIND_INDEX_PDF, "Alpha-Numeric Index")):
        file = _newest([s for s in sources if s.kind == kind])
        if file is None:
            continue
        pages = page_lines(file.read_bytes(), file.name)
        if kind == KIND_DRUG_PDF:
            links = link_drug_table(parse_drug_table(pages), lookup)
            log(
                f"{file.name}: {links.counts['drug-table rows']} rows, "
                f"{links.counts['drug names attached']} drug names on codes, {len(links.missing)} codes gone"
            )
        else:
            links = link_alpha_index(parse_alpha_index(pages), lookup)
            log(
                f"{file.name}: {links.counts['index entries']} entries, {links.counts['index terms']} terms "
                f"on codes, {len(links.missing)} codes gone"
            )
        parsed.files_used.append(file)
        parsed.warnings += _missing_warning(f"{what} {file.release}", links, release)
        combined.terms += links.terms
        combined.counts.update(links.counts)
        for code, words in links.search_terms.items():
            combined.search_terms.setdefault(code, []).extend(words)
    return combined


def build(sources: list[SourceFile], log: Log) -> Parsed:
    """The newest HCPCS release present, with processing notes, drug names and index terms attached."""
    parsed = Parsed()
    code_files = [s for s in sources if s.kind in CODE_KINDS]
    chosen = _newest(code_files)
    if chosen is None:
        parsed.warnings.append("HCPCS: no ANWEB code file (txt or xlsx) found; HCPCS left out")
        return parsed
    present = _releases_present(code_files)
    parsed.warnings.append(f"HCPCS releases present: {present}; built {chosen.release} from {chosen.name}")
    parsed.counts["releases present"] = len({f.effective for f in code_files})
    rows = _read_rows(chosen)
    parsed.files_used.append(chosen)

    notes: dict[str, str] = {}
    notes_file = _newest([s for s in sources if s.kind == KIND_PROC_NOTES])
    if notes_file is not None:
        notes = parse_proc_notes(notes_file.read_bytes(), notes_file.name)
        parsed.files_used.append(notes_file)
        log(f"{notes_file.name}: {len(notes)} processing notes")
        if notes_file.release != chosen.release:
            parsed.warnings.append(
                f"HCPCS processing notes from {notes_file.release or 'an unknown release'} "
                f"({notes_file.name}) used for {chosen.release}"
            )
    wanted = {row.proc_note for row in rows if row.proc_note}
    if wanted - notes.keys():
        parsed.warnings.append("HCPCS processing notes not found: " + ", ".join(sorted(wanted - notes.keys())))

    records = _code_records(chosen, rows, notes)
    codes = [r for r in records if r.kind is not Kind.MODIFIER]
    parsed.counts["codes"] = len(codes)
    parsed.counts["codes not terminated"] = sum(not r.terminated for r in codes)
    parsed.counts["modifiers"] = len(records) - len(codes)
    parsed.counts["proc notes joined"] = sum(bool(r.notes) for r in records)
    log(
        f"{chosen.name}: {chosen.release}: {len(codes)} codes ({parsed.counts['codes not terminated']} not "
        f"terminated), {parsed.counts['modifiers']} modifiers, {parsed.counts['proc notes joined']} notes joined"
    )

    links = _supplements(sources, CodeLookup([r.code for r in codes]), chosen.release, parsed, log)
    parsed.index_terms = links.terms
    parsed.counts.update(links.counts)
    parsed.records = [
        replace(r, search_terms=tuple(links.search_terms[r.code])) if r.code in links.search_terms else r
        for r in records
    ]
    older = _older_releases(code_files, chosen)
    parsed.files_used.extend(file for file, _ in older)
    history = apply_history(parsed.records, rows, chosen, older)
    parsed.records = history.records + history.deleted
    parsed.counts.update(history.counts)
    parsed.releases.append(
        SourceRelease(
            code_set=CodeSet.HCPCS,
            release=chosen.release,
            effective=chosen.effective,
            files=tuple(f.name for f in parsed.files_used),
        )
    )
    return parsed
