"""Time the parsers of the files added on 2026-12-02 on the real sources; prints JSON.

python bench/sources_bench.py --sources ../shared/sources
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index_build.build import discover
from index_build.sources import code_set_modules, gems
from index_build.sources.base import SourceFile
from index_build.sources.icd10cm.conversion import parse_conversion
from index_build.sources.icd10cm.guidelines import read_guidelines
from index_build.sources.icd10pcs.history import code_labels
from index_build.sources.icd10pcs.tables import parse_tables
from index_build.sources.order_file import parse_order_addenda, parse_order_file


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return round(time.perf_counter() - started, 3), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sources", type=Path, required=True)
    args = parser.parse_args()
    discover_s, (found, _) = _timed(lambda: discover([args.sources], code_set_modules()))
    kinds: dict[str, SourceFile] = {source.kind: source for source in found}
    figures: dict[str, Any] = {"discover_all_files_s": discover_s}
    steps: dict[str, Callable[[], Any]] = {
        "icd10cm-guidelines-pdf": lambda: len(read_guidelines(kinds["icd10cm-guidelines-pdf"]).sections),
        "icd10cm-order": lambda: len(parse_order_file(kinds["icd10cm-order"])),
        "icd10cm-order-addenda": lambda: len(parse_order_addenda(kinds["icd10cm-order-addenda"])),
        "icd10cm-conversion-table": lambda: len(parse_conversion(kinds["icd10cm-conversion-table"])),
        "icd10pcs-order": lambda: len(parse_order_file(kinds["icd10pcs-order"])),
        "gems (both files, crosswalk)": lambda: len(
            gems.build_crosswalk(gems.parse_gem(kinds[gems.FORWARD]), gems.parse_gem(kinds[gems.BACKWARD])).icd9_records
        ),
        "icd10pcs FY2025 tables for history": lambda: len(
            code_labels(
                parse_tables(next(s for s in found if s.kind == "icd10pcs-tables" and s.effective.startswith("2024")))
            )
        ),
    }
    for name, step in steps.items():
        seconds, count = _timed(step)
        figures[name] = {"seconds": seconds, "items": count}
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
