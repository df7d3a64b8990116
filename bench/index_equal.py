"""Compare two built index folders: stored fields of every document, terms per field, search-cache arrays,
and the bytes of each file inside the segment.

Usage: python bench/index_equal.py OLD_INDEX NEW_INDEX   (prints JSON; exit status 1 when they differ)
A build-speed change must leave all four equal; the cache identity differs between builds (it hashes the
manifest, whose build time differs), so it is left out, and so is the compound .seg file as a whole (it
records its files' modification times and the segment's random name): its member files are compared.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.core.search import cache as cache_module  # noqa: E402  (after the path insert)


def stored_differences(old: Path, new: Path, most: int = 5) -> dict[str, Any]:
    """Documents whose stored fields differ, compared in document order."""
    with index.open_dir(str(old)).searcher() as a, index.open_dir(str(new)).searcher() as b:
        count_a, count_b = a.doc_count_all(), b.doc_count_all()
        differing: list[int] = []
        for doc in range(min(count_a, count_b)):
            if a.stored_fields(doc) != b.stored_fields(doc):
                differing.append(doc)
        return {"documents": [count_a, count_b], "differing": len(differing), "first": differing[:most]}


def term_differences(old: Path, new: Path) -> dict[str, Any]:
    """Per field: how many terms, and how many differ (the term, its document frequency or its postings)."""
    with index.open_dir(str(old)).reader() as a, index.open_dir(str(new)).reader() as b:
        fields = sorted(set(a.indexed_field_names()) | set(b.indexed_field_names()))
        report: dict[str, Any] = {}
        for field in fields:
            terms_a = list(a.lexicon(field)) if field in a.schema else []
            terms_b = list(b.lexicon(field)) if field in b.schema else []
            differing = sum(1 for x, y in zip(terms_a, terms_b, strict=False) if x != y)
            differing += abs(len(terms_a) - len(terms_b))
            postings = 0
            if not differing:
                for term in terms_a:
                    if list(a.postings(field, term).all_ids()) != list(b.postings(field, term).all_ids()):
                        postings += 1
            report[field] = {"terms": [len(terms_a), len(terms_b)], "differing": differing, "postings": postings}
        return report


def _cache_parts(path: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    with open(path, "rb") as handle:
        found = cache_module.read_header(handle)
        if found is None:
            raise SystemExit(f"{path} is not a search cache")
        header, _end, start = found
        handle.seek(0)
        data = handle.read()
    arrays = {name: data[start + at : start + at + length] for name, (at, length) in header["places"].items()}
    return header, arrays


def cache_differences(old: Path, new: Path) -> dict[str, Any]:
    """Search-cache arrays compared byte for byte, and the header's terms and prefix counts."""
    header_a, arrays_a = _cache_parts(old / cache_module.FILE_NAME)
    header_b, arrays_b = _cache_parts(new / cache_module.FILE_NAME)
    names = sorted(set(arrays_a) | set(arrays_b))
    return {
        "format": [header_a.get("format"), header_b.get("format")],
        "arrays": len(names),
        "differing_arrays": [name for name in names if arrays_a.get(name) != arrays_b.get(name)],
        "terms_equal": header_a["terms"] == header_b["terms"],
        "prefix_counts_equal": header_a["prefix_counts"] == header_b["prefix_counts"],
        "types_equal": header_a["types"] == header_b["types"],
    }


def _segment_files(folder: Path) -> dict[str, bytes]:
    """The files inside each compound segment, named without the segment's random name."""
    files: dict[str, bytes] = {}
    for number, segment in enumerate(sorted(folder.glob("*.seg"))):
        storage = CompoundStorage(FileStorage(str(folder)).open_file(segment.name), use_mmap=False)
        for name in storage.list():
            files[f"{number}{name[len(segment.stem) :]}"] = storage.open_file(name).read()
        storage.close()
    return files


def file_differences(old: Path, new: Path) -> dict[str, Any]:
    """Per file inside the segment (.trm, .pst, columns): its sizes and whether its bytes are equal."""
    files_a, files_b = _segment_files(old), _segment_files(new)
    names = sorted(set(files_a) | set(files_b))
    return {
        name: {
            "bytes": [len(files_a.get(name, b"")), len(files_b.get(name, b""))],
            "equal": files_a.get(name) == files_b.get(name),
        }
        for name in names
    }


def compare(old: Path, new: Path) -> dict[str, Any]:
    stored = stored_differences(old, new)
    terms = term_differences(old, new)
    cached = cache_differences(old, new)
    files = file_differences(old, new)
    equal = (
        stored["documents"][0] == stored["documents"][1]
        and not stored["differing"]
        and all(not f["differing"] and not f["postings"] and f["terms"][0] == f["terms"][1] for f in terms.values())
        and not cached["differing_arrays"]
        and cached["terms_equal"]
        and cached["prefix_counts_equal"]
        and cached["types_equal"]
        and bool(files)
        and all(f["equal"] for f in files.values())
    )
    return {"equal": equal, "stored": stored, "terms": terms, "cache": cached, "segment_files": files}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    report = compare(Path(argv[0]), Path(argv[1]))
    print(json.dumps(report, indent=1))
    return 0 if report["equal"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
