"""Frozen-build figures: cold start to first result (frozen --smoke-test) and memory after 100 searches.

    python bench/frozen_bench.py [--exe dist/CodeAtlas/codeatlas] [--runs 5] [--floor] [--out bench/out/frozen.json]

Start-up: the frozen program runs its --smoke-test offscreen under a pseudo-terminal (so its lines are not
held back in a pipe buffer); "first result" is the moment its first `ok` line arrives, i.e. the window is
up, the first known code was searched, found, opened and its tabs drawn. The first run follows a page-cache
drop when the OS allows it (root on Linux), so it is a true cold start; otherwise it is reported as warm.
Milestones of the first run: when the smoke test's first line arrives (Python, Qt and CodeAtlas's modules
loaded, the QApplication made), when it says what the index holds (the index open and the window shown),
when E11.9 is listed first in the results, and the first result (E11.9 opened with its three tabs
drawn). --floor also freezes bench/startup_floor.py (Qt and one shown window, nothing of CodeAtlas) with
PyInstaller and times it the same way: the start-up no PySide6 program gets below here.
Memory: a child Python process opens the index bundled in the frozen build in the real main window
(offscreen, run from source: the frozen program has no hook for it), types 100 searches into the search
bar, waits for each answer and reports its resident set size.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TERMS = [
    "diabetes",
    "fracture of femur",
    "E11.9",
    "heart attack",
    "pneumonia",
    "0DTJ4ZZ",
    "J9035",
    "appendectomy",
    "hypertension",
    "wheelchair",
    "insulin",
    "asthma",
    "0DT",
    "chemotherapy",
    "S72",
    "glucose monitor",
    "laparoscopic",
    "oxygen",
    "sepsis",
    "modifier LT",
]


def default_exe() -> Path:
    if sys.platform == "darwin":
        return ROOT / "dist" / "CodeAtlas.app" / "Contents" / "MacOS" / "CodeAtlas"
    return ROOT / "dist" / "CodeAtlas" / ("CodeAtlas.exe" if sys.platform == "win32" else "codeatlas")


def bundled_index(exe: Path) -> Path:
    """The resources/index inside the frozen build next to exe (onedir _internal or the .app's Resources)."""
    for candidate in (
        exe.parent / "_internal" / "resources" / "index",
        exe.parent.parent / "Resources" / "resources" / "index",
        exe.parent.parent / "Frameworks" / "resources" / "index",
    ):
        if (candidate / "manifest.json").is_file():
            return candidate
    raise SystemExit(f"no bundled index found next to {exe}")


def drop_page_cache() -> bool:
    """Ask Linux to forget cached file pages so the next start reads from disk; False if not allowed."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


@dataclass
class SmokeRun:
    exit_code: int
    first_result_s: float | None  # seconds from launch to the first `ok` line
    total_s: float  # seconds from launch to exit
    timed: list[tuple[float, str]]  # (seconds from launch, line) as the lines arrived

    @property
    def output(self) -> list[str]:
        return [line for _, line in self.timed]


def timed_smoke(exe: Path) -> SmokeRun:
    """Run exe --smoke-test once; seconds to the first `ok` line and to exit, plus its output."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("CODEATLAS_INDEX", None)
    with tempfile.TemporaryDirectory(prefix="codeatlas-bench-") as data_dir:
        env["CODEATLAS_DATA_DIR"] = data_dir
        lines: list[tuple[float, str]] = []
        started = time.perf_counter()
        if os.name == "posix":
            import pty

            leader, follower = pty.openpty()
            process = subprocess.Popen([str(exe), "--smoke-test"], env=env, stdout=follower, stderr=follower)
            os.close(follower)
            buffer = b""
            while True:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # EIO: the program closed the terminal
                    break
                if not chunk:
                    break
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    lines.append((time.perf_counter() - started, line.decode(errors="replace").rstrip()))
            os.close(leader)
            code = process.wait()
        else:  # no pseudo-terminal: the output arrives at exit, so first result = exit time
            result = subprocess.run([str(exe), "--smoke-test"], env=env, capture_output=True, text=True)
            code = result.returncode
            lines = [(time.perf_counter() - started, line) for line in result.stdout.splitlines()]
        total = time.perf_counter() - started
    first_ok = next((round(t, 3) for t, line in lines if line.startswith("ok")), None)
    return SmokeRun(code, first_ok, round(total, 3), lines)


MILESTONES = {  # the smoke test's lines that mark a step of start-up
    "modules_and_qt_loaded_s": "CodeAtlas smoke test on",
    "index_open_and_window_shown_s": "This index holds",
    "first_hit_listed_s": "listed ",  # E11.9 searched and at the top of the results list
}


def milestones(run: SmokeRun) -> dict[str, float | None]:
    """Seconds from launch to each step of start-up, from the times the smoke test's lines arrived."""
    found: dict[str, float | None] = {
        name: next((round(t, 3) for t, line in run.timed if line.startswith(start)), None)
        for name, start in MILESTONES.items()
    }
    found["first_result_s"] = run.first_result_s
    return found


def write_figures(path: Path, figures: dict[str, object]) -> None:
    """The figures as JSON into path (its folder made if need be) and on standard output."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))


def median_milestones(runs: list[SmokeRun]) -> dict[str, float | None]:
    """Each milestone's median over runs (None when a run lacks it or there are no runs)."""
    found = [milestones(run) for run in runs]
    medians: dict[str, float | None] = {}
    for name in found[0] if found else {}:
        values = [m[name] for m in found]
        numbers = [value for value in values if value is not None]
        medians[name] = round(statistics.median(numbers), 3) if len(numbers) == len(values) else None
    return medians


def freeze_floor(work: Path) -> Path:
    """bench/startup_floor.py frozen with PyInstaller (onedir, as CodeAtlas) into work; its executable."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "ERROR",
            "--onedir",
            "--name",
            "startup-floor",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            "--specpath",
            str(work),
            str(ROOT / "bench" / "startup_floor.py"),
        ],
        check=True,
    )
    return work / "dist" / "startup-floor" / ("startup-floor.exe" if sys.platform == "win32" else "startup-floor")


def time_starts(exe: Path, runs: int) -> tuple[bool, list[SmokeRun]]:
    """runs starts of exe, the first after a page-cache drop (cold when the OS allows it)."""
    cold = drop_page_cache()
    return cold, [timed_smoke(exe) for _ in range(runs)]


def start_figures(cold: bool, runs: list[SmokeRun]) -> dict[str, object]:
    warm_first = [run.first_result_s for run in runs[1:] if run.first_result_s is not None]
    return {
        "first_run_cold": cold,
        "first_run_first_result_s": runs[0].first_result_s,
        "first_run_total_s": runs[0].total_s,
        "warm_first_result_median_s": round(statistics.median(warm_first), 3) if warm_first else None,
        "warm_total_median_s": round(statistics.median(r.total_s for r in runs[1:]), 3) if runs[1:] else None,
    }


def memory_child(index: Path, count: int) -> None:
    """Runs in the child process: the real main window on index, count searches, then print RSS as JSON."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QEventLoop, QTimer

    from desktop.app import make_application
    from desktop.core.engine import open_engine
    from desktop.core.userdata import UserData
    from desktop.main_window import MainWindow
    from desktop.theme import ThemeManager

    app = make_application(["codeatlas"])
    rss = {"qt_started_mb": rss_mb()}
    engine = open_engine(index)
    rss["index_open_mb"] = rss_mb()
    scratch = tempfile.TemporaryDirectory(prefix="codeatlas-bench-")
    window = MainWindow(engine, UserData(Path(scratch.name)), ThemeManager(app, "light"))
    window.show()
    rss["window_shown_mb"] = rss_mb()
    answered = 0
    started = time.perf_counter()
    for text in search_texts(count):
        loop = QEventLoop()
        got: list[object] = []

        def done(result: object, loop: QEventLoop = loop, got: list[object] = got) -> None:
            got.append(result)
            loop.quit()

        window.controller.results_ready.connect(done)
        QTimer.singleShot(10000, loop.quit)
        window.search_panel.edit.setText(text)
        loop.exec()
        window.controller.results_ready.disconnect(done)
        answered += bool(got)
    elapsed = time.perf_counter() - started
    rss["after_searches_mb"] = rss_mb()
    print(
        json.dumps(
            {
                "searches": count,
                "answered": answered,
                "seconds": round(elapsed, 2),
                "rss": rss,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )
    window.close()
    engine.close()


def search_texts(count: int) -> list[str]:
    """count texts as a coder types them (3 letters, 5 letters, the whole term), never the same twice in a
    row: the search bar only searches when its text changes."""
    texts: list[str] = []
    while len(texts) < count:
        for term in TERMS:
            for text in (term[:3], term[:5], term):
                if not texts or texts[-1] != text:
                    texts.append(text)
    return texts[:count]


def rss_mb() -> float | None:
    """Current resident set size (Linux /proc; None elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--exe", type=Path, default=default_exe())
    parser.add_argument("--runs", type=int, default=5, help="start-up runs (the first one cold if possible)")
    parser.add_argument("--searches", type=int, default=100)
    parser.add_argument("--floor", action="store_true", help="also time bench/startup_floor.py, frozen")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "frozen.json")
    parser.add_argument("--memory-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.searches)
        return 0
    if not args.exe.is_file():
        raise SystemExit(f"{args.exe} does not exist: run packaging/build.py first")

    cold, runs = time_starts(args.exe, args.runs)
    failed = [run for run in runs if run.exit_code != 0]
    if failed:
        print("\n".join(failed[0].output))
        raise SystemExit("the frozen smoke test failed")
    floor: dict[str, object] | None = None
    if args.floor:
        with tempfile.TemporaryDirectory(prefix="codeatlas-floor-") as work:
            floor_cold, floor_runs = time_starts(freeze_floor(Path(work)), args.runs)
            floor = {"program": "bench/startup_floor.py", **start_figures(floor_cold, floor_runs)}
    index = bundled_index(args.exe)
    child = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(index), "--searches", str(args.searches)],
        capture_output=True,
        text=True,
        check=True,
    )
    memory = json.loads(child.stdout.strip().splitlines()[-1])
    figures = {
        "exe": str(args.exe),
        **start_figures(cold, runs),
        "first_run_milestones": milestones(runs[0]),
        "warm_milestones_median": median_milestones(runs[1:]),
        "smoke_output_first_run": runs[0].output,
        "memory": memory,
    }
    if floor is not None:
        figures["floor"] = floor
    write_figures(args.out, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
