"""Time the index write of a full build by phase, Whoosh's add_document path beside SegmentFeeder's, interleaved.

    python bench/write_bench.py --sources /work/shared/sources --parsed /work/tmp/x/parsed.pickle [--runs 2]

Parses the sources once (or loads the pickle --parsed names, written on the first run) and then writes the
index `--runs` times per path, alternating (whoosh, feeder, whoosh, ...), into temporary folders. Prints
JSON: per run the path, the seconds to make the documents, to add them, to commit (wall, and `cpu_s`: this
process's CPU time, less sensitive to the other work on a shared machine), the seconds the cyclic
garbage collector ran (gc.callbacks) and its collections per generation, and the load average before it.
The two paths must write the same segment files: each run's are compared with those of --reference (an index
built by main from the same sources) or else of the first run.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from whoosh import index as whoosh_index  # noqa: E402

from desktop.core.records import CodeSet  # noqa: E402
from desktop.core.schema import build_schema, index_codec  # noqa: E402
from index_build import writer as index_writer  # noqa: E402
from index_build.build import discover, parse_code_set  # noqa: E402
from index_build.segment_writer import SegmentFeeder  # noqa: E402
from index_build.sources import code_set_modules  # noqa: E402
from index_build.sources.base import Parsed, SourceFile  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from index_equal import file_differences  # noqa: E402


def parse(sources: Path) -> Parsed:
    """Every code set parsed in the registry's order, as build_index combines them."""
    modules = code_set_modules()
    found, _skipped = discover([sources], modules)
    by_set: dict[CodeSet, list[SourceFile]] = defaultdict(list)
    for source in found:
        by_set[source.code_set].append(source)
    by_set[CodeSet.ICD10CM].append(modules[CodeSet.ICD10CM].packaged_tabular())
    combined = Parsed()
    for code_set, module in modules.items():
        if by_set.get(code_set):
            combined.extend(parse_code_set(module, by_set[code_set], lambda _line: None))
    return combined


class _GcTimer:
    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = [0, 0, 0]
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.collections[info["generation"]] += 1


def write(parsed: Parsed, folder: Path, path: str) -> dict[str, Any]:
    timer = _GcTimer()
    figures: dict[str, Any] = {"path": path, "loadavg": os.getloadavg()[0]}
    gc.collect()
    gc.callbacks.append(timer)
    try:
        cpu = time.process_time()
        started = time.perf_counter()
        documents = list(index_writer._documents(parsed, index_writer._Linker(parsed)))
        figures["documents_s"] = round(time.perf_counter() - started, 2)
        figures["documents_cpu_s"] = round(time.process_time() - cpu, 2)
        ix = whoosh_index.create_in(str(folder), build_schema())
        writer = ix.writer(limitmb=1024, codec=index_codec())
        cpu = time.process_time()
        started = time.perf_counter()
        if path == "whoosh":
            for document in documents:
                writer.add_document(**document)
            figures["add_s"] = round(time.perf_counter() - started, 2)
            figures["add_cpu_s"] = round(time.process_time() - cpu, 2)
            cpu = time.process_time()
            started = time.perf_counter()
            writer.commit()
        else:
            feeder = SegmentFeeder(writer)
            for document in documents:
                feeder.add_document(document)
            figures["add_s"] = round(time.perf_counter() - started, 2)
            figures["add_cpu_s"] = round(time.process_time() - cpu, 2)
            cpu = time.process_time()
            started = time.perf_counter()
            feeder.commit()
        figures["commit_s"] = round(time.perf_counter() - started, 2)
        figures["commit_cpu_s"] = round(time.process_time() - cpu, 2)
        ix.close()
    finally:
        gc.callbacks.remove(timer)
    figures["gc_s"] = round(timer.seconds, 2)
    figures["gc_collections"] = timer.collections
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--parsed", type=Path, required=True, help="pickle of the parse, written when missing")
    parser.add_argument("--runs", type=int, default=2, help="runs per path")
    parser.add_argument("--paths", default="whoosh,feeder", help="comma-separated, in the order to alternate")
    parser.add_argument("--reference", type=Path, help="an index folder whose segment files every run must match")
    args = parser.parse_args()
    if args.parsed.exists():
        parsed = pickle.loads(args.parsed.read_bytes())
    else:
        parsed = parse(args.sources)
        args.parsed.write_bytes(pickle.dumps(parsed, pickle.HIGHEST_PROTOCOL))
    runs: list[dict[str, Any]] = []
    reference: Path | None = args.reference
    with tempfile.TemporaryDirectory() as scratch:
        for number in range(args.runs):
            for path in args.paths.split(","):
                folder = Path(scratch) / f"{path}-{number}"
                folder.mkdir()
                figures = write(parsed, folder, path)
                if reference is None:
                    reference = folder
                else:
                    files = file_differences(reference, folder)
                    figures["same_files_as_first"] = all(entry["equal"] for entry in files.values())
                runs.append(figures)
                print(json.dumps(figures), file=sys.stderr, flush=True)
    print(json.dumps({"runs": runs}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
