"""ICD-10-PCS code builder page times on a real index: the biggest tables, viewed whole and from a code.

    python bench/builder_bench.py --index /work/ref/index [--runs 5]

Prints JSON: per table its row count and the median milliseconds to render the builder page for the
table itself (nothing picked) and for its first code (all four values picked, each value's code shown).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.colours import LIGHT  # noqa: E402
from desktop.core.index import CodeIndex  # noqa: E402
from desktop.core.records import CodeSet, Kind  # noqa: E402
from desktop.detail.modifiers import modifiers_html  # noqa: E402


def median_ms(render: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        render()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tables", type=int, default=3, help="how many of the biggest tables")
    args = parser.parse_args()
    index = CodeIndex(args.index)
    tables = index.records_of_kind(CodeSet.ICD10PCS, Kind.PCS_TABLE)
    biggest = sorted(tables, key=lambda t: -len(t.rows))[: args.tables]
    out = []
    for table in biggest:
        shown = index.detail(CodeSet.ICD10PCS, table.code)
        part = next(iter(index.children(CodeSet.ICD10PCS, table.code)), None)
        code = next(iter(index.children(CodeSet.ICD10PCS, part.code)), None) if part else None
        code_detail = index.detail(CodeSet.ICD10PCS, code.code) if code else None
        assert shown is not None
        entry: dict[str, object] = {
            "table": table.code,
            "rows": len(table.rows),
            "table_view_ms": median_ms(partial(modifiers_html, index, shown, LIGHT, []), args.runs),
        }
        if code_detail is not None:
            entry["code"] = code_detail.record.code
            entry["code_view_ms"] = median_ms(partial(modifiers_html, index, code_detail, LIGHT, []), args.runs)
        out.append(entry)
    index.close()
    print(json.dumps({"index": str(args.index), "runs": args.runs, "tables": out}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
