"""How long the worst inputs take: pathological pastes against a real index, and the ICD-10-CM tabular parse.

    python bench/hostile_input_bench.py --index /work/ref/index [--runs 3]

Prints JSON: per input its shape and the median and worst milliseconds of engine.search(), then the
seconds to parse the packaged ICD-10-CM tabular. The timing limits the tests once asserted live here:
search answers any of these in well under 2 s, and the tabular parses in well under 30 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.core.search.engine import SearchEngine  # noqa: E402
from index_build.sources import icd10cm  # noqa: E402

# The inputs tests/reliability/test_search_fuzz.py and tests/core/test_search_fuzz.py answer for content.
INPUTS = {
    "100k letters": "a" * 100_000,
    "E11 x 20k": "E11 " * 20_000,
    "5k nested brackets": "(" * 5_000 + "diabetes" + ")" * 5_000,
    "10k quotes": '"' * 10_001,
    "NOT x 10k": "NOT " * 10_000 + "x",
    "50k stars": "*" * 50_000,
    "fuzzy x 2k": "diabetes~" * 2_000,
    "10k combining marks": "e" + "\u0301" * 10_000,
    "heart x 2k": "heart " * 2_000,
    "5k emoji": "😀" * 5_000,
    "E11.9 x 1k": "E11.9 " * 1_000,
    "long paste of words": "type 2 diabetes " + "x" * 10_000,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    engine = SearchEngine(args.index)
    engine.wait_ready(120)
    searches = {}
    try:
        for name, text in INPUTS.items():
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                engine.search(text)
                times.append((time.perf_counter() - started) * 1000)
            searches[name] = {
                "chars": len(text),
                "median_ms": round(statistics.median(times), 1),
                "max_ms": round(max(times), 1),
            }
    finally:
        engine.close()
    started = time.perf_counter()
    parsed = icd10cm.build([icd10cm.packaged_tabular()], lambda line: None)
    parse_seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "index": str(args.index),
                "runs": args.runs,
                "search": searches,
                "worst_search_ms": max(entry["max_ms"] for entry in searches.values()),
                "icd10cm_tabular_parse_s": round(parse_seconds, 1),
                "icd10cm_records": len(parsed.records),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
