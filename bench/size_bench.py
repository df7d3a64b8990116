"""Index, search cache, build time and installer sizes, attributed to fields and phases, as JSON.

    python bench/size_bench.py [--index resources/index] [--dist dist] [--out bench/out/size.json]
    python bench/size_bench.py --build SOURCES --index /tmp/ix   # build it first, timing each phase

Index: every file the manifest lists (Whoosh keeps a segment's parts inside one compound .seg file,
so its parts are listed too), and per field what it costs: terms in the term dictionary (key and
term-info bytes), postings bytes in the postings file, and stored bytes (the pickled value before
the codec's compression; the compressed total is the `_stored_blocks` column, `_stored` in indexes
written by W3Codec), the codec that wrote the index and the bytes of each search-cache array. Build: the
manifest's parse and write seconds; with --build the index is built first and the wall time of each
phase (parse, write, search cache), the CPU time, peak memory and the machine's load are recorded.
Bundle and installers: sizes of what packaging/build.py left in dist/.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MB = 1_000_000
MIB = 1024 * 1024
INSTALLER_SUFFIXES = (".deb", ".tar.gz", ".exe", ".dmg")


def _folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def index_files(folder: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Each listed file's size, the parts of compound segment files, and the search cache files beside."""
    from whoosh.filedb.filestore import FileStorage

    files = {name: int(entry["size"]) for name, entry in manifest.get("index_files", {}).items()}
    parts: dict[str, int] = {}
    ix = FileStorage(str(folder), supports_mmap=False).open_index()
    try:
        with ix.reader() as reader:
            for segment_reader in reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]:
                storage = segment_reader[0]._storage
                for name in storage.list():
                    if name not in files and not name.endswith(("WRITELOCK", ".json", ".cache")):
                        suffix = name.split(".", 1)[1] if "." in name else name
                        parts[suffix] = parts.get(suffix, 0) + storage.file_length(name)
    finally:
        ix.close()
    listed = sum(files.values())
    codec = _codec_of(folder)
    cache = {
        path.name: path.stat().st_size
        for path in folder.iterdir()
        if path.is_file() and path.name.endswith(".cache") and path.name not in files
    }
    return {
        "files": files,
        "segment_parts": dict(sorted(parts.items(), key=lambda item: -item[1])),
        "index_bytes": listed,
        "search_cache_bytes": sum(cache.values()),
        "search_cache_files": cache,
        "search_cache_parts": _cache_parts(folder / "search.cache"),
        "codec": codec,
        "total_bytes": listed + sum(cache.values()),
        "total_mb": round((listed + sum(cache.values())) / MB, 1),
    }


def _codec_of(folder: Path) -> dict[str, Any]:
    """The codec that wrote the index (Whoosh keeps it in the TOC) and its stored-field block size."""
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(folder))
    try:
        with ix.reader() as reader:
            codec = reader.codec()
            found: dict[str, Any] = {"name": f"{type(codec).__module__}.{type(codec).__name__}"}
            found["terms_format"] = getattr(codec, "_terms_format", None)
            dictionary = getattr(getattr(reader, "_terms", None), "_dictionary", None)
            if dictionary is not None:
                found["term_blocks"] = len(dictionary)
            column = getattr(reader, "_perdoc", None)
            blocks = column._cached_reader("_stored_blocks", column._column) if hasattr(column, "_column") else None
            if blocks is not None:
                found["stored_block_docs"] = blocks._block_docs
                found["stored_blocks"] = len(blocks._offsets) - 1
    finally:
        ix.close()
    return found


def _cache_parts(path: Path) -> dict[str, int]:
    """Bytes of each array in the search cache (its header lists where each one sits), largest first."""
    from desktop.core.search.cache import read_header

    if not path.is_file():
        return {}
    with open(path, "rb") as handle:
        found = read_header(handle)
    if found is None:
        return {}
    header, header_bytes, _start = found
    parts = {name: length for name, (_offset, length) in header.get("places", {}).items()}
    parts["header"] = header_bytes
    return dict(sorted(parts.items(), key=lambda item: -item[1]))


def by_field(folder: Path) -> dict[str, Any]:
    """Per field: terms, term-dictionary bytes (key and entry, before prefix compression), postings bytes in
    the .pst (0 for lists inlined in the term dictionary), stored bytes before compression."""
    from whoosh.filedb.filestore import FileStorage

    terms: dict[str, int] = defaultdict(int)
    term_bytes: dict[str, int] = defaultdict(int)
    inlined: dict[str, int] = defaultdict(int)
    postings: dict[str, int] = defaultdict(int)
    stored: dict[str, int] = defaultdict(int)
    ix = FileStorage(str(folder), supports_mmap=False).open_index()
    try:
        with ix.reader() as reader:
            for segment_reader, _base in reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]:
                reader_terms = segment_reader._terms
                for fieldname, _text in reader_terms.terms():
                    terms[fieldname] += 1
                # the compact dictionary (codec_terms) lists its entries; older indexes' ordered hash file its items
                raw = reader_terms.raw_items() if hasattr(reader_terms, "raw_items") else reader_terms._tindex.items()
                for keybytes, valbytes in raw:
                    fieldname, _text = reader_terms._keydecoder(keybytes)
                    term_bytes[fieldname] += len(keybytes) + len(valbytes)
                for (fieldname, _text), info in segment_reader._terms.items():
                    if info.is_inlined():
                        inlined[fieldname] += 1
                    else:
                        length = info.extent()[1]  # whoosh decodes it as a 1-tuple
                        postings[fieldname] += length[0] if isinstance(length, tuple) else length
                for docnum in range(segment_reader.doc_count_all()):
                    for name, value in segment_reader.stored_fields(docnum).items():
                        stored[name] += len(pickle.dumps(value, 2))
    finally:
        ix.close()
    names = sorted(
        set(terms) | set(stored), key=lambda n: -(term_bytes.get(n, 0) + postings.get(n, 0) + stored.get(n, 0))
    )
    return {
        name: {
            "terms": terms.get(name, 0),
            "terms_inlined": inlined.get(name, 0),
            "term_dictionary_bytes": term_bytes.get(name, 0),
            "postings_bytes": postings.get(name, 0),
            "stored_bytes_raw": stored.get(name, 0),
        }
        for name in names
    }


def build_phases(manifest: dict[str, Any]) -> dict[str, Any]:
    """Seconds per build phase as the builder recorded them in the manifest."""
    return {"parse_s": manifest.get("parse_seconds"), "write_s": manifest.get("write_seconds")}


_DONE = re.compile(
    r"Done: .* ([\d.]+) s in all \(parse_seconds ([\d.]+) \+ write_seconds ([\d.]+).*search cache ([\d.]+) s\)"
)


def timed_build(sources: Path, out: Path) -> dict[str, Any]:
    """Build the index from sources into out in a child process: wall time by phase, CPU time, peak RSS, load."""
    load_before = os.getloadavg()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "index_build", "--out", str(out), "--sources", str(sources)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = _DONE.search(done.stdout)
    figures: dict[str, Any] = {
        "wall_s": round(wall, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),  # what the build costs on an idle core
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 0),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cores": os.cpu_count(),
    }
    if found:
        total, parse, write, cache = (float(x) for x in found.groups())
        figures.update(total_s=total, parse_s=parse, write_s=write, search_cache_s=cache)
    return figures


def packaging(dist: Path) -> dict[str, Any]:
    """Frozen bundle and installer sizes, when packaging/build.py has left them in dist/."""
    found: dict[str, Any] = {}
    for bundle in (dist / "CodeAtlas", dist / "CodeAtlas.app"):
        if bundle.is_dir():
            found["bundle_mib"] = round(_folder_bytes(bundle) / MIB, 1)
            biggest: dict[str, int] = {}
            for path in bundle.rglob("*"):
                if path.is_file() and not path.is_symlink():
                    top = str(path.relative_to(bundle)).split("/")
                    key = "/".join(top[:3]) if top[0] == "_internal" else top[0]
                    biggest[key] = biggest.get(key, 0) + path.stat().st_size
            found["bundle_largest_mib"] = {
                name: round(size / MIB, 1) for name, size in sorted(biggest.items(), key=lambda kv: -kv[1])[:25]
            }
    if dist.is_dir():
        for path in sorted(dist.iterdir()):
            if path.is_file() and path.name.endswith(INSTALLER_SUFFIXES):
                found[path.name] = {"mib": round(path.stat().st_size / MIB, 1)}
        figures = dist / "build-figures.json"
        if figures.is_file():
            found["build_figures"] = json.loads(figures.read_text(encoding="utf-8"))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--index", type=Path, default=ROOT / "resources" / "index")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument(
        "--no-fields", action="store_true", help="skip the per-field attribution (reads every document)"
    )
    parser.add_argument("--build", type=Path, metavar="SOURCES", help="first build --index from these sources")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    folder = args.index.resolve()
    built = timed_build(args.build.resolve(), folder) if args.build else None
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    report: dict[str, Any] = {
        "index": str(folder),
        "documents": manifest.get("documents"),
        "sizes": index_files(folder, manifest),
        "build": built or build_phases(manifest),
        "packaging": packaging(args.dist.resolve()),
    }
    if not args.no_fields:
        report["fields"] = by_field(folder)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
