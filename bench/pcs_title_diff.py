"""ICD-10-PCS titles generated from the tables against the order file's, classified by pattern (prints JSON).

    python bench/pcs_title_diff.py [--sources DIR] [--examples N]

Reads the newest tables XML and the order file of the same release in DIR (default $CODEATLAS_SOURCES,
else ../shared/sources), generates every title as the builder does without an order file, and counts the
differences by class;
--examples lists N codes of each class with both titles.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index_build.build import discover  # noqa: E402
from index_build.sources import code_set_modules  # noqa: E402
from index_build.sources.icd10pcs.detect import ORDER, TABLES  # noqa: E402
from index_build.sources.icd10pcs.records import build_records  # noqa: E402
from index_build.sources.icd10pcs.tables import parse_tables  # noqa: E402
from index_build.sources.order_file import parse_order_file  # noqa: E402

_CONNECTORS = {"of", "in", "using", "with", "from", "into", "to", "on", "at", "for", "and"}


def _words(title: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9()\-/]+", title)


def classify(generated: str, official: str) -> str:
    """The pattern of one difference, from how the two titles' words relate."""
    ours, theirs = _words(generated), _words(official)
    if sorted(ours) == sorted(theirs):
        return "same words, another order"
    plain_ours = [w for w in ours if w.lower() not in _CONNECTORS]
    plain_theirs = [w for w in theirs if w.lower() not in _CONNECTORS]
    if plain_ours == plain_theirs:
        return "connecting words (of / using / with / into ...)"
    if sorted(plain_ours) == sorted(plain_theirs):
        return "connecting words and order"
    if [w for w in ours if w != "Approach"] == [w for w in theirs if w != "Approach"]:
        return "'Approach' after the approach"
    extra, missing = set(ours) - set(theirs), set(theirs) - set(ours)
    if extra and not missing:
        return "generated has words the official title leaves out"
    if missing and not extra:
        return "official title has words the labels lack"
    return "wording differs"


def differences(sources: Path) -> list[tuple[str, str, str]]:
    found = discover([sources], code_set_modules())[0]
    tables_files = sorted((s for s in found if s.kind == TABLES), key=lambda s: s.effective)
    newest = tables_files[-1]
    order_source = next(s for s in found if s.kind == ORDER and s.effective == newest.effective)
    order = parse_order_file(order_source)
    records = {r.code: r for r in build_records(parse_tables(newest), {}).records}
    pairs = ((code, records[code].title, entry.long_title) for code, entry in order.items())
    return [(code, ours, theirs) for code, ours, theirs in pairs if ours != theirs]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("CODEATLAS_SOURCES") or str(ROOT.parent / "shared" / "sources")
    parser.add_argument("--sources", type=Path, default=Path(default))
    parser.add_argument("--examples", type=int, default=0)
    args = parser.parse_args()
    classes: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row in differences(args.sources):
        classes[classify(row[1], row[2])].append(row)
    by_section: dict[str, int] = defaultdict(int)
    for rows in classes.values():
        for code, _, _ in rows:
            by_section[code[0]] += 1
    report = {
        "differences": sum(len(rows) for rows in classes.values()),
        "classes": {name: len(rows) for name, rows in sorted(classes.items(), key=lambda item: -len(item[1]))},
        "by_section": dict(sorted(by_section.items())),
    }
    if args.examples:
        report["examples"] = {
            name: [{"code": c, "generated": g, "official": o} for c, g, o in rows[: args.examples]]
            for name, rows in classes.items()
        }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
