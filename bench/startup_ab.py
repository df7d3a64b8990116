"""Start-up of several frozen builds side by side: interleaved cold (or warm) starts, JSON out.

    python bench/startup_ab.py [--runs 15] [--warm] NAME=EXE [NAME=EXE ...] [--out bench/out/startup_ab.json]

This VM's speed drifts by tens of percent within minutes, so two builds timed one after the other can
differ by more than a change does. Here each round starts every build once (cold: the page cache dropped
before each start, as bench/frozen_bench.py does), alternating the order between rounds, and each build's
figures are the min, quartile and median of its rounds: compare builds within one run only. EXE is a
frozen CodeAtlas (or bench/startup_floor.py frozen, which reports its first result when its window is
shown); the milestones are frozen_bench's (modules loaded, window shown, E11.9 listed, E11.9 opened).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import frozen_bench


def spread(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "min": ordered[0],
        "p25": ordered[len(ordered) // 4],
        "median": round(statistics.median(ordered), 3),
        "max": ordered[-1],
    }


def compare(builds: dict[str, Path], runs: int, cold: bool) -> dict[str, object]:
    starts: dict[str, list[frozen_bench.SmokeRun]] = {name: [] for name in builds}
    dropped = True
    for round_number in range(runs):
        order = list(builds.items())
        for name, exe in order if round_number % 2 == 0 else order[::-1]:
            if cold:
                dropped = frozen_bench.drop_page_cache() and dropped
            run = frozen_bench.timed_smoke(exe)
            if run.exit_code != 0 or run.first_result_s is None:
                print("\n".join(run.output))
                raise SystemExit(f"{name}: the smoke test failed")
            starts[name].append(run)
    return {
        "cold": cold and dropped,
        "runs": runs,
        "builds": {
            name: {
                "exe": str(builds[name]),
                "first_result_s": spread([run.first_result_s or 0.0 for run in done]),
                "milestones_median": frozen_bench.median_milestones(done),
            }
            for name, done in starts.items()
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("builds", nargs="+", help="NAME=EXE: a frozen build to start")
    parser.add_argument("--runs", type=int, default=15, help="rounds (each starts every build once)")
    parser.add_argument("--warm", action="store_true", help="keep the page cache between starts")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out" / "startup_ab.json")
    args = parser.parse_args()
    builds: dict[str, Path] = {}
    for given in args.builds:
        name, _, exe = given.partition("=")
        if not exe or not Path(exe).is_file():
            raise SystemExit(f"{given!r}: expected NAME=EXE with EXE a frozen program")
        builds[name] = Path(exe)
    frozen_bench.write_figures(args.out, compare(builds, args.runs, cold=not args.warm))
    return 0


if __name__ == "__main__":
    sys.exit(main())
