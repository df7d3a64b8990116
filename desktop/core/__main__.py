"""Command line search: python -m desktop.core "heart attack" [--json] [--limit N] [--index DIR].

Exit status: 0 the search ran; 1 it found nothing and is aimed at a code set the index lacks (stderr
names the official file to add, or for CPT the import); 2 the index cannot be opened.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from desktop.core import paths
from desktop.core.coverage import coverage_of
from desktop.core.index import IndexProblem
from desktop.core.records import CodeSet, SearchFilters, SearchResult
from desktop.core.search.engine import SearchEngine

# Said on stderr where a checkout's user would add files; the app's own menu is named too.
HOW_TO_ADD = (
    "put them in one folder and run python tasks.py build-index --sources FOLDER, "
    "or use File > Add or update code sets… in CodeAtlas"
)
MISSING_CODE_SET = 1


def _table(result: SearchResult) -> str:
    lines = [f"{result.total} match(es) for {result.query!r} in {result.elapsed_ms:.1f} ms"]
    if result.note:
        lines.append(result.note)
    for hit in result.hits:
        flags = ("B" if hit.billable else "-") + ("T" if hit.terminated else " ")
        matched = f"  [{hit.matched_field}: {hit.matched_text}]" if hit.matched_text else ""
        lines.append(f"{hit.code:<10} {hit.code_set.value:<10} {flags} {hit.title}{matched}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m desktop.core",
        description="Search the CodeAtlas index.",
        epilog="Exit status: 0 the search ran; 1 it found nothing and is aimed at a code set the index lacks "
        "(stderr says which official file to add); 2 the index cannot be opened.",
    )
    parser.add_argument("text", help="a code, code prefix or words")
    parser.add_argument("--json", action="store_true", help="print a JSON list of hits")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument(
        "--index",
        type=Path,
        default=None,
        help=f"index folder (default: ${paths.ENV_INDEX} or the user's or bundled index)",
    )
    parser.add_argument(
        "--code-set",
        action="append",
        choices=[str(c) for c in CodeSet],
        default=[],
        help="limit to a code set (repeatable)",
    )
    parser.add_argument("--billable", action="store_true", help="billable codes only")
    parser.add_argument("--terminated", action="store_true", help="include terminated HCPCS codes")
    args = parser.parse_args(argv)
    filters = SearchFilters(frozenset(CodeSet(c) for c in args.code_set), args.billable, args.terminated)
    try:
        # No warm-up thread: one query does not need the vocabulary built ahead (typos build it then).
        engine = SearchEngine(args.index or paths.index_dir(), warm_up=False)
    except IndexProblem as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        result = engine.search(args.text, filters, max(1, args.limit))
        coverage = coverage_of(engine.index.manifest)
    finally:
        engine.close()
    aimed = coverage.aimed_at_missing(args.text, filters.code_sets)
    empty = "" if result.hits else coverage.empty_result_text(args.text, filters.code_sets, HOW_TO_ADD)
    # stderr, so --json output stays a clean list for scripts.
    if empty:
        print(empty, file=sys.stderr)
    elif aimed and filters.code_sets:
        print("note: " + "\nnote: ".join(coverage.summary(HOW_TO_ADD)), file=sys.stderr)
    text = (
        json.dumps([hit.to_json() for hit in result.hits], ensure_ascii=False, indent=1)
        if args.json
        else _table(result)
    )
    try:
        print(text, flush=True)
    except BrokenPipeError:  # piped into head or less and closed early: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return MISSING_CODE_SET if empty else 0


if __name__ == "__main__":
    sys.exit(main())
