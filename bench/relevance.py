"""Relevance on labelled query sets (hit@1, hit@5, hit@10, MRR) next to a SQLite FTS5 baseline; prints JSON.

python bench/relevance.py [--index DIR] [--misses]

The sets live in bench/relevance/*.tsv (query, the acceptable codes, and optionally the acceptable
ICD-10-PCS tables). Every expected code is checked to exist in the index first; a missing one stops
the run. Sets with tables (pcs_wording) also report table-hit@10: a hit of a listed table in the top 10.
Ours is scored on the first 10 rows of the page the app asks for per keystroke (PAGE rows: the ranking
reads candidates in proportion to the page, so the first 10 of a page can differ from a search for 10).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fts_baseline import Baseline, build  # noqa: E402

from desktop.core import paths  # noqa: E402
from desktop.core.search.engine import PAGE, SearchEngine  # noqa: E402

SETS = ("code_lookups", "lay_terms", "pcs_procedures", "hcpcs_drugs", "pcs_wording")


def _lines(name: str) -> list[list[str]]:
    text = (ROOT / "bench" / "relevance" / f"{name}.tsv").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _codes(field: str) -> set[str]:
    return {c.strip() for c in field.split(",") if c.strip()}


def load(name: str) -> list[tuple[str, set[str]]]:
    """(query, acceptable codes) rows of one set."""
    return [(parts[0], _codes(parts[1])) for parts in _lines(name)]


def load_tables(name: str) -> list[tuple[str, set[str]]]:
    """(query, acceptable ICD-10-PCS tables) rows of a set that labels tables (third column), else []."""
    rows = [(parts[0], _codes(parts[2])) for parts in _lines(name) if len(parts) > 2]
    return [row for row in rows if row[1]]


def pcs_table_labels(name: str) -> set[str]:
    """Every table a set names (each must be a table of the index)."""
    return {table for _query, tables in load_tables(name) for table in tables}


def missing_codes(engine: SearchEngine, rows: list[tuple[str, set[str]]]) -> list[str]:
    """Expected codes that are not in the index (a label must point at a real code)."""
    missing = []
    for _query, codes in rows:
        for code in codes:
            found = [engine.index.record(cs, code) for cs in ("ICD-10-CM", "ICD-10-PCS", "HCPCS")]
            if not any(found):
                missing.append(code)
    return sorted(set(missing))


def score(
    search: Callable[[str], Sequence[str]], rows: list[tuple[str, set[str]]]
) -> tuple[dict[str, float], list[dict[str, object]]]:
    ranks = []
    misses = []
    for query, expected in rows:
        found = list(search(query))[:10]
        rank = next((n for n, code in enumerate(found, 1) if code in expected), 0)
        ranks.append(rank)
        if rank != 1:
            misses.append({"query": query, "expected": sorted(expected), "rank": rank, "top": found[:3]})
    count = max(1, len(ranks))
    figures: dict[str, float] = {
        "n": count,
        "hit@1": round(sum(r == 1 for r in ranks) / count, 3),
        "hit@5": round(sum(1 <= r <= 5 for r in ranks) / count, 3),
        "hit@10": round(sum(1 <= r <= 10 for r in ranks) / count, 3),
        "mrr": round(sum(1 / r for r in ranks if r) / count, 3),
    }
    return figures, misses


def table_hits(search: Callable[[str], Sequence[str]], rows: list[tuple[str, set[str]]]) -> float:
    """Share of queries with a code of an expected ICD-10-PCS table (its first three characters) in the top 10."""
    found = sum(any(code[:3] in tables for code in list(search(query))[:10]) for query, tables in rows)
    return round(found / max(1, len(rows)), 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=None)
    parser.add_argument("--misses", action="store_true", help="also list the queries not answered at rank 1")
    args = parser.parse_args()
    folder = args.index or paths.index_dir()
    engine = SearchEngine(folder)
    engine.wait_ready(600)
    sets = {name: load(name) for name in SETS}
    missing = {name: missing_codes(engine, rows) for name, rows in sets.items()}
    for name in sets:
        missing[name] += sorted(t for t in pcs_table_labels(name) if not engine.index.record("ICD-10-PCS", t))
    if any(missing.values()):
        print(json.dumps({"error": "expected codes missing from the index", "missing": missing}, indent=2))
        return 1

    def ours(text: str) -> list[str]:
        return [hit.code for hit in engine.search(text, limit=PAGE).hits[:10]]

    report: dict[str, object] = {"index": str(folder), "rows_per_query": PAGE, "sets": {}}
    with tempfile.TemporaryDirectory() as scratch:
        db, _seconds = build(folder, Path(scratch) / "baseline.sqlite")
        baseline = Baseline(db)

        def theirs(text: str) -> list[str]:
            return [hit.code for hit in baseline.search(text, limit=10)]

        for name, rows in sets.items():
            mine, my_misses = score(ours, rows)
            base, _ = score(theirs, rows)
            tables = load_tables(name)
            if tables:
                mine["table-hit@10"] = table_hits(ours, tables)
                base["table-hit@10"] = table_hits(theirs, tables)
            entry: dict[str, object] = {"codeatlas": mine, "fts5": base}
            if args.misses:
                entry["codeatlas_misses"] = my_misses
            report["sets"][name] = entry  # type: ignore[index]
        db.close()
    engine.close()
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
