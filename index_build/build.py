"""Finds the official files in folders, parses each code set, and writes the index."""

from __future__ import annotations

import re
import shutil
import threading
import time
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType, TracebackType

from desktop.core.manifest import Manifest
from desktop.core.records import CodeSet
from desktop.core.search.cache import Cancelled as CacheCancelled
from index_build.manifest import make_manifest
from index_build.second_process import SecondProcess
from index_build.sources import code_set_modules
from index_build.sources.base import Log, Parsed, SourceError, SourceFile
from index_build.sources.hcpcs.anweb_xlsx import KEY_COLUMNS, open_workbook
from index_build.staging import check_replaceable, staged
from index_build.writer import write_index

HEAD_BYTES = 64 * 1024
_IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
# A damaged zip surfaces as any of these, depending on where the damage sits.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)
_LEFTOVER_AGE_S = 6 * 3600  # an older staging folder belongs to a build that was killed, not a running one

Sources = Path | Sequence[Path] | None


class BuildCancelled(Exception):
    """The user cancelled the build; the index in place was not touched."""

    def __init__(self) -> None:
        super().__init__("The build was cancelled; the index in place is unchanged.")


def _detect(modules: dict[CodeSet, ModuleType], path: Path, member: str, head: bytes) -> SourceFile | None:
    name = f"{path.name}!{member}" if member else path.name
    for module in modules.values():
        try:
            found: SourceFile | None = module.detect(path, member, head)
        except SourceError:
            raise
        except Exception as exc:  # detect() should never crash; if it does the user still needs the name
            raise SourceError(name, f"could not be read ({type(exc).__name__}: {exc})") from exc
        if found is not None:
            return found
    return None


def source_roots(sources: Sources) -> list[Path]:
    """The folders (or single files) to read, in order, without repeats."""
    if sources is None:
        return []
    items = [sources] if isinstance(sources, Path) else list(sources)
    return list(dict.fromkeys(Path(item) for item in items))


def candidate_files(root: Path) -> Iterator[tuple[Path, str]]:
    """(file, name for messages) of every file to look at under root, or root itself if it is a file."""
    if root.is_file():
        yield root, root.name
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.name in _IGNORED_NAMES or path.name.startswith("."):
            continue
        yield path, str(path.relative_to(root))


def discover_file(
    path: Path,
    modules: dict[CodeSet, ModuleType],
    label: str = "",
) -> tuple[list[SourceFile], list[str]]:
    """The recognised content of one file (each zip member on its own) and the names of the rest."""
    label = label or path.name
    if path.suffix.lower() == ".zip":
        return _discover_zip(path, modules)
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    source = _detect(modules, path, "", head)
    return ([source], []) if source is not None else ([], [label])


def discover(
    folder: Path | Sequence[Path], modules: dict[CodeSet, ModuleType], cancel: threading.Event | None = None
) -> tuple[list[SourceFile], list[str]]:
    """Every recognised file under the folders (zip members included) and the names of the rest.

    A folder entry may also be a single file. Raises SourceError for a damaged zip archive.
    """
    found: list[SourceFile] = []
    skipped: list[str] = []
    for root in source_roots(folder):
        for path, label in candidate_files(root):
            _check(cancel)
            found_here, skipped_here = discover_file(path, modules, label)
            found.extend(found_here)
            skipped.extend(skipped_here)
    return found, skipped


def _discover_zip(path: Path, modules: dict[CodeSet, ModuleType]) -> tuple[list[SourceFile], list[str]]:
    found: list[SourceFile] = []
    skipped: list[str] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                with archive.open(info) as handle:
                    head = handle.read(HEAD_BYTES)
                source = _detect(modules, path, info.filename, head)
                if source is None:
                    skipped.append(f"{path.name}!{info.filename}")
                else:
                    found.append(source)
    except _ZIP_ERRORS as exc:
        raise SourceError(path.name, f"damaged or truncated zip archive ({exc})") from exc
    return found, skipped


def explain_skipped(path: Path, member: str = "") -> str:
    """Why a file was not used, in words for a coder: empty, re-encoded, or simply not a code-set file."""
    try:
        if member:
            with zipfile.ZipFile(path) as archive, archive.open(member) as handle:
                head = handle.read(HEAD_BYTES)
        else:
            with open(path, "rb") as handle:
                head = handle.read(HEAD_BYTES)
    except (*_ZIP_ERRORS, SourceError) as exc:
        return f"cannot be read ({exc})"
    name = (member or path.name).lower()
    if not head.strip():
        return "is empty" if not head else "holds only blank space"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return (
            'is saved as UTF-16 ("Unicode") text; the official files are UTF-8 or plain text: '
            "use the file as downloaded, not a copy re-saved by an editor"
        )
    if head.startswith(b"%PDF"):
        return "is a PDF CodeAtlas does not read (only the official guidelines and HCPCS drug table/index)"
    if head.startswith(b"PK") and name.endswith((".xlsx", ".xlsm")):
        return _explain_workbook(path, member)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "is an XML file but not an ICD-10-CM or ICD-10-PCS tabular, index, tables or definitions file"
    return "is not a recognised code-set file"


def _header_key(value: object) -> str:
    return "".join(str(value or "").replace("_", " ").split()).upper()


def _explain_workbook(path: Path, member: str) -> str:
    """Which HCPCS header columns a workbook lacks: the usual reason an edited ANWEB copy is not read."""
    wanted = {_header_key(name): name for name in KEY_COLUMNS}
    best: set[str] = set()
    try:
        data = SourceFile(path, "", CodeSet.HCPCS, "", "", member).read_bytes()
        workbook = open_workbook(data)
        try:
            for sheet in workbook.worksheets:
                for row in sheet.iter_rows(max_row=10, values_only=True):
                    present = {_header_key(value) for value in row} & wanted.keys()
                    best = present if len(present) > len(best) else best
        finally:
            workbook.close()
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        return f"is a damaged or unreadable spreadsheet ({type(exc).__name__}: {exc})"
    if not best:
        return "is a spreadsheet without the HCPCS header row (" + ", ".join(KEY_COLUMNS) + ")"
    missing = [name for key, name in wanted.items() if key not in best]
    return "is a spreadsheet whose HCPCS header row lacks the column(s) " + ", ".join(missing)


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise BuildCancelled()


def _checked_log(log: Log, cancel: threading.Event | None) -> Log:
    """The parsers log once per source file: the natural place to notice a cancel between files."""
    if cancel is None:
        return log

    def checked(line: str) -> None:
        log(line)
        _check(cancel)

    return checked


def _culprit(tb: TracebackType | None, files: list[SourceFile]) -> str:
    """The file a parser was working on when it crashed: the innermost frame holding a SourceFile."""
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    for frame in reversed(frames):
        for value in frame.f_locals.values():
            if isinstance(value, SourceFile):
                return value.name
    names = sorted({source.name for source in files})
    return names[0] if len(names) == 1 else "one of " + ", ".join(names)


def parse_code_set(module: ModuleType, files: list[SourceFile], log: Log) -> Parsed:
    """module.build(), with any crash turned into a SourceError that names the file."""
    try:
        parsed: Parsed = module.build(files, log)
    except (SourceError, BuildCancelled):
        raise
    except Exception as exc:  # a parser bug or an unforeseen damage: the user must learn which file
        raise SourceError(
            _culprit(exc.__traceback__, files), f"could not be read ({type(exc).__name__}: {exc})"
        ) from exc
    return parsed


def _parse_all(
    modules: dict[CodeSet, ModuleType],
    by_set: dict[CodeSet, list[SourceFile]],
    log: Log,
    checked_log: Log,
    cancel: threading.Event | None,
    helper: SecondProcess,
) -> tuple[Parsed, dict[str, Parsed]]:
    """Every code set's Parsed, combined in the registry's order (document numbers follow it)."""
    elsewhere = {code_set for code_set in modules if by_set.get(code_set) and helper.parse(code_set, by_set[code_set])}
    combined = Parsed()
    parsed_by_set: dict[str, Parsed] = {}
    for code_set, module in modules.items():
        if not by_set.get(code_set):
            continue
        _check(cancel)
        log(f"Building {code_set}" + (" (in the second process)" if code_set in elsewhere else ""))
        if code_set in elsewhere:
            parsed = helper.parsed(code_set, checked_log)
        else:
            parsed = parse_code_set(module, by_set[code_set], checked_log)
        parsed_by_set[str(code_set)] = parsed
        combined.extend(parsed)
        summary = ", ".join(f"{key} {value:,}" for key, value in parsed.counts.items())
        log(f"  {code_set}: {summary}")
        for line in parsed.warnings:
            log(f"  note: {line}")
    return combined, parsed_by_set


def _source_bytes(found: list[SourceFile]) -> int:
    """The size of the files to parse (a zip once, however many members it holds)."""
    total = 0
    for path in {source.path for source in found}:
        try:
            total += path.stat().st_size
        except OSError:
            continue
    return total


def remove_leftovers(out_dir: Path, max_age_s: float = _LEFTOVER_AGE_S) -> list[Path]:
    """Delete staging/retired folders of builds that were killed (they can be hundreds of MB each)."""
    removed: list[Path] = []
    if not out_dir.parent.is_dir():
        return removed
    now = time.time()
    # .index.building-12, .index.old-12, .index.new-12, ..index.new-12.building-12, .sources-incoming-12
    pattern = re.compile(rf"\.{{1,2}}{re.escape(out_dir.name)}([.-][a-z]+(-\d+)?)*-\d+")
    for leftover in (path for path in out_dir.parent.iterdir() if pattern.fullmatch(path.name)):
        try:
            old = now - leftover.stat().st_mtime > max_age_s
        except OSError:
            continue
        if leftover.is_dir() and old:
            shutil.rmtree(leftover, ignore_errors=True)
            removed.append(leftover)
    return removed


def build_index(
    out_dir: Path,
    sources: Sources,
    log: Log = print,
    *,
    cancel: threading.Event | None = None,
    before_swap: Callable[[], None] | None = None,
    source_folders: Sequence[Path] | None = None,
) -> Manifest:
    """Parse every recognised file (plus the packaged ICD-10-CM tabular) and write the index.

    sources: a folder, several folders (or single files), or None for the packaged tabular only.
    cancel is checked between source files and once more before the new index replaces the old;
    before_swap runs just before that replacement (the app closes its open index there on Windows).
    source_folders: what the manifest records as the folders the index came from (default: sources).
    Raises SourceError for a malformed file, BuildCancelled on cancel; the previous index at out_dir
    is then untouched.
    """
    started = time.perf_counter()
    out_dir = Path(out_dir).resolve()
    check_replaceable(out_dir)
    remove_leftovers(out_dir)
    modules = code_set_modules()
    roots = source_roots(sources)
    for root in roots:
        if not root.exists():
            raise SourceError(str(root), "the sources folder does not exist")
    if roots:
        log("Looking for official files in " + ", ".join(str(root) for root in roots))
    found, skipped = discover(roots, modules, cancel)
    by_set: dict[CodeSet, list[SourceFile]] = defaultdict(list)
    for source in found:
        by_set[source.code_set].append(source)
        log(f"  found {source.name}: {source.code_set} {source.release} ({source.kind})")
    for name in skipped:
        log(f"  skipped {name}: not a recognised code-set file")
    by_set[CodeSet.ICD10CM].append(modules[CodeSet.ICD10CM].packaged_tabular())

    def last_check() -> None:
        _check(cancel)
        if before_swap is not None:
            before_swap()

    checked_log = _checked_log(log, cancel)
    cancelled = (lambda: cancel.is_set()) if cancel is not None else (lambda: False)
    # Written complete into a private sibling first, so a cancel still counts until the last moment. A second
    # process (when worth one) parses a code set beside this one, then builds the search cache from the
    # documents beside the write; the cache is saved once the manifest it is tied to is written, and the
    # second process is stopped before staging cleans up.
    with staged(out_dir, last_check) as fresh, SecondProcess(_source_bytes(found), cancelled) as helper:
        try:
            combined, parsed_by_set = _parse_all(modules, by_set, log, checked_log, cancel, helper)
            _check(cancel)
            parse_seconds = time.perf_counter() - started
            manifest = make_manifest(parsed_by_set, skipped, parse_seconds)
            recorded = roots if source_folders is None else source_folders
            manifest.source_folders = [str(Path(folder).resolve()) for folder in recorded]
            log(f"Writing index to {out_dir}")
            if not helper.in_process:
                log("  building the search cache in the second process, beside the write")
            manifest = write_index(fresh, combined, manifest, checked_log, helper.give)
            _check(cancel)
            log("  building the search cache" if helper.in_process else "  saving the search cache")
            helper.finish(fresh)
        except CacheCancelled:
            raise BuildCancelled() from None
        if not helper.in_process:
            log(f"  the search cache took {helper.seconds:.1f} s in the second process, beside the write")
    total = time.perf_counter() - started
    # The manifest's timings stop before the search cache is saved (it is tied to the manifest), so the total
    # is named apart from them and the line says what makes it up: the rest is the wait for the cache.
    parse, write = float(manifest.extra.get("parse_seconds", 0)), float(manifest.extra.get("write_seconds", 0))
    log(
        f"Done: {manifest.documents:,} documents, {manifest.index_bytes / 1e6:.1f} MB, {total:.1f} s in all "
        f"(parse_seconds {parse:.1f} + write_seconds {write:.1f} as in the manifest, "
        f"then the search cache {max(0.0, total - parse - write):.1f} s)"
    )
    return manifest
