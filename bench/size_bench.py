"""Index, search cache, build time and installer sizes, attributed to fields and phases, as JSON.

    python bench/size_bench.py [--index resources/index] [--dist dist] [--out bench/out/size.json]

Index: every file the manifest lists (Whoosh keeps a segment's parts inside one compound .seg file,
so its parts are listed too), and per field what it costs: terms in the term dictionary (key and
term-info bytes), postings bytes in the postings file (terms with one document are inlined in the
dictionary instead), and stored bytes (the pickled value before Whoosh's per-document compression;
the compressed total is the `_stored` column). Build time by phase comes from the manifest
(parse, write, whole build). Bundle and installers: sizes of what packaging/build.py left in dist/.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
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
                    if name not in files and not name.endswith(("WRITELOCK", ".json")):
                        suffix = name.split(".", 1)[1] if "." in name else name
                        parts[suffix] = parts.get(suffix, 0) + storage.file_length(name)
    finally:
        ix.close()
    listed = sum(files.values())
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
        "total_bytes": listed + sum(cache.values()),
        "total_mb": round((listed + sum(cache.values())) / MB, 1),
    }


def by_field(folder: Path) -> dict[str, Any]:
    """Per field: terms, term-dictionary bytes, postings bytes, stored bytes before compression."""
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
                table = segment_reader._terms._tindex  # the ordered hash file behind the term dictionary
                for fieldname, _text in segment_reader._terms.terms():
                    terms[fieldname] += 1
                for keybytes, valbytes in table.items():
                    fieldname, _text = segment_reader._terms._keydecoder(keybytes)
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
    """Seconds per build phase as the builder recorded them."""
    parse = manifest.get("parse_seconds")
    write = manifest.get("write_seconds")
    whole = manifest.get("build_seconds")
    phases: dict[str, Any] = {"parse_s": parse, "write_s": write, "parse_and_write_s": whole}
    for key in ("search_cache_seconds", "total_seconds"):
        if key in manifest:
            phases[key.replace("_seconds", "_s")] = manifest[key]
    return phases


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
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    folder = args.index.resolve()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    report: dict[str, Any] = {
        "index": str(folder),
        "documents": manifest.get("documents"),
        "sizes": index_files(folder, manifest),
        "build": build_phases(manifest),
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
