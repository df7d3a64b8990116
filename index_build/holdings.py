"""What folders of official files hold, by the builder's own detection, next to what a built index holds.

python -m index_build.holdings --index DIR SOURCES... prints JSON; tasks.py uses it to notice that an
existing index lacks code sets (or newer releases) the sources now hold.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop.core.coverage import coverage_of
from desktop.core.manifest import IndexProblem, Manifest
from index_build.build import discover
from index_build.sources import code_set_modules
from index_build.sources.base import SourceError
from index_build.update import MAIN_KINDS


def source_releases(roots: Sequence[Path]) -> dict[str, tuple[str, str]]:
    """Per code set, the newest (release, effective date) of the files that bring its codes."""
    found, _skipped = discover(list(roots), code_set_modules())
    newest: dict[str, tuple[str, str]] = {}
    for source in found:
        if source.kind not in MAIN_KINDS:
            continue  # a drug table or guideline alone does not make a code set
        held = newest.get(str(source.code_set))
        if held is None or source.effective > held[1]:
            newest[str(source.code_set)] = (source.release, source.effective)
    return newest


def compare(manifest: dict[str, Any], sources: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """What the sources hold that the index lacks, and where they hold a newer release."""
    held = {str(code_set) for code_set in coverage_of(manifest).held_sets}
    effective = {
        str(entry.get("code_set")): str(entry.get("effective") or "")
        for entry in manifest.get("code_sets", [])
        if isinstance(entry, dict)
    }
    lacking = {name: release for name, (release, _date) in sources.items() if name not in held}
    newer = {
        name: release
        for name, (release, date) in sources.items()
        if name in held and date and effective.get(name) and date > effective[name]
    }
    return {
        "index": sorted(held),
        "sources": {name: release for name, (release, _date) in sources.items()},
        "lacking": lacking,
        "newer": newer,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index_build.holdings", description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="the built index to compare with")
    parser.add_argument("sources", type=Path, nargs="+", help="folders (or files) of official files")
    args = parser.parse_args(argv)
    try:
        manifest = Manifest.read(args.index).to_dict()
        report = compare(manifest, source_releases(args.sources))
    except (IndexProblem, SourceError, OSError) as exc:
        print(json.dumps({"error": str(exc)}))
        return 2
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
