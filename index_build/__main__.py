"""Command line: python -m index_build --out DIR [--sources DIR ...]."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from desktop.core import paths
from index_build.build import build_index
from index_build.sources.base import SourceError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m index_build",
        description="Build the CodeAtlas search index from official code-set files.",
    )
    parser.add_argument("--out", required=True, type=Path, help="index folder to create or replace")
    parser.add_argument(
        "--sources",
        type=Path,
        action="append",
        default=None,
        help=f"folder of official files, may be repeated (default: ${paths.ENV_SOURCES}); "
        "without it only the ICD-10-CM tabular from simple-icd-10-cm is built",
    )
    parser.add_argument("--quiet", action="store_true", help="print only errors and the final line")
    args = parser.parse_args(argv)

    def log(line: str) -> None:
        if not args.quiet or line.startswith("Done"):
            print(line, flush=True)

    default = paths.sources_dir()
    sources = args.sources or ([default] if default is not None else None)
    # The command line runs the build alone in its process: the cyclic collector's passes over the parse's
    # millions of long-lived records (full ones as the heap grows) were ~10 s of a full build, and the build
    # leaves little cyclic garbage; the collector's state is put back after. The app never does this (its
    # collector runs on the GUI thread, gc_guard).
    collecting = gc.isenabled()
    gc.disable()
    try:
        build_index(args.out, sources, log)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("The build stopped; any previous index is unchanged.", file=sys.stderr)
        return 2
    except FileExistsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted; any previous index is unchanged.", file=sys.stderr)
        return 130
    finally:
        if collecting:
            gc.enable()
    return 0


if __name__ == "__main__":
    sys.exit(main())
