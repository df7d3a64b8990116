"""ICD-10-CM sources: the tabular XML, the index-family XML files and the Official Guidelines PDF."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from desktop.core.codes import code_key
from desktop.core.records import CodeSet, SourceRelease
from index_build.sources.base import Log, Parsed, SourceError, SourceFile
from index_build.sources.fiscal import release_from_text, release_of

from . import detect_more as _more
from .guidelines import is_guidelines_text, read_guidelines, read_pages
from .index_xml import IndexFile, parse_index
from .supplements import add_supplements, guideline_search_terms
from .tabular import parse_tabular

__all__ = ["build", "detect", "packaged_tabular"]

TABULAR, INDEX, GUIDELINES = "icd10cm-tabular", "icd10cm-index", "icd10cm-guidelines-pdf"
_ROOT = re.compile(rb"<([A-Za-z][\w.\-]*)")
_SKIP = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.S)
_VERSION = re.compile(rb"<version>\s*([^<]{1,40}?)\s*</version>")


def _root_tag(head: bytes) -> bytes:
    match = _ROOT.search(_SKIP.sub(b"", head[:4096]))
    return match.group(1) if match else b""


def detect(path: Path, member: str, head: bytes) -> SourceFile | None:
    """Recognise an ICD-10-CM tabular, index-family XML or guidelines PDF; None if not ours."""
    name = member or path.name
    more = _more.detect_more(path, member, head)
    if more is not None:
        return more
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        kind = {b"ICD10CM.tabular": TABULAR, b"ICD10CM.index": INDEX}.get(_root_tag(head))
        if kind is None:
            return None
        version = _VERSION.search(head[:4096])
        release, effective = release_of(Path(name).name, version.group(1).decode("ascii", "replace") if version else "")
        return SourceFile(path, kind, CodeSet.ICD10CM, release, effective, member)
    if head.startswith(b"%PDF"):
        candidate = SourceFile(path, GUIDELINES, CodeSet.ICD10CM, "", "", member)
        try:
            text = " ".join(read_pages(candidate, first=3))
        except SourceError:
            return None
        if not is_guidelines_text(text):
            return None
        # The cover ("FY 2026 -- UPDATED October 1, 2025") names the release; the file name only a month
        release, effective = release_from_text(text, Path(name).name) or release_of(name)
        return SourceFile(path, GUIDELINES, CodeSet.ICD10CM, release, effective, member)
    return None


def _package_data_dir() -> Path:
    """simple-icd-10-cm's data folder, found without importing the package (its import loads the codes)."""
    spec = importlib.util.find_spec("simple_icd_10_cm")
    if spec is None or not spec.submodule_search_locations:
        raise SourceError("simple-icd-10-cm", "the package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def packaged_tabular() -> SourceFile:
    """The tabular XML shipped in the simple-icd-10-cm package (its XML only; we never use its API)."""
    data = _package_data_dir()
    found = []
    for path in sorted(data.glob("icd10c*-tabular*.xml")):
        with open(path, "rb") as handle:
            detected = detect(path, "", handle.read(65536))
        if detected is not None and detected.kind == TABULAR:
            found.append(detected)
    if not found:
        raise SourceError("simple-icd-10-cm", f"no icd10c*-tabular*.xml in {data}")
    return max(found, key=lambda source: source.effective)


def _preference(source: SourceFile) -> tuple[str, bool]:
    """Newest first; on a tie a file the user supplied beats the packaged copy."""
    return source.effective, "site-packages" not in source.path.parts


def build(sources: list[SourceFile], log: Log) -> Parsed:
    """Parse the newest tabular, every index-family file (newest per index) and the newest guidelines."""
    tabulars = [s for s in sources if s.kind == TABULAR]
    if not tabulars:
        raise SourceError("ICD-10-CM", "no tabular XML (ICD10CM.tabular) among the sources")
    chosen = max(tabulars, key=_preference)
    parsed = Parsed(files_used=[chosen])
    tabular = parse_tabular(chosen)
    parsed.records = tabular.records
    parsed.warnings.extend(tabular.warnings)
    counts = tabular.counts
    for kind, label in (
        ("chapter", "chapters"),
        ("section", "sections"),
        ("category", "categories"),
        ("subcategory", "subcategories"),
    ):
        parsed.counts[label] = counts[kind]
    parsed.counts["billable codes"] = counts["billable codes"]
    parsed.counts.update({key: value for key, value in counts.items() if key.startswith("notes: ")})
    log(f"{chosen.name}: {len(tabular.records)} records, {counts['billable codes']} billable codes ({chosen.release})")

    newest: dict[str, tuple[SourceFile, IndexFile]] = {}
    for source in (s for s in sources if s.kind == INDEX):
        index = parse_index(source)
        held = newest.get(index.source)
        if held is None or _preference(source) > _preference(held[0]):
            newest[index.source] = (source, index)
    keys = {code_key(record.code) for record in tabular.records}
    for name, (source, index) in sorted(newest.items()):
        parsed.files_used.append(source)
        parsed.index_terms.extend(index.terms)
        parsed.warnings.extend(index.warnings)
        parsed.counts[f"index terms: {name}"] = len(index.terms)
        missing = sorted({t.code for t in index.terms if t.code and code_key(t.code) not in keys})
        if missing:
            parsed.warnings.append(
                f"{source.name}: {len(missing)} codes not in the tabular, e.g. " + ", ".join(missing[:5])
            )
        if source.effective != chosen.effective:
            parsed.warnings.append(f"{source.name} is {source.release}, the tabular {chosen.release}")
        log(f"{source.name}: {len(index.terms)} {name} index terms ({source.release})")

    guideline_files = [s for s in sources if s.kind == GUIDELINES]
    if guideline_files:
        source = max(guideline_files, key=_preference)
        guidelines = read_guidelines(source)
        parsed.guidelines = guidelines.sections
        parsed.records = guideline_search_terms(parsed.records, guidelines.sections)
        parsed.files_used.append(source)
        parsed.counts["guideline sections"] = len(parsed.guidelines)
        parsed.counts["guideline sections in the contents"] = len(guidelines.contents)
        if guidelines.missing:
            parsed.warnings.append(
                f"{source.name}: {len(guidelines.missing)} sections of the contents not found in the text: "
                + ", ".join(guidelines.missing)
            )
        log(f"{source.name}: {len(parsed.guidelines)} guideline sections ({source.release})")

    add_supplements(chosen, sources, parsed, log)
    parsed.releases.append(
        SourceRelease(
            CodeSet.ICD10CM, chosen.release, chosen.effective, tuple(source.name for source in parsed.files_used)
        )
    )
    return parsed
