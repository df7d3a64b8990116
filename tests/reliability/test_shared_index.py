"""Two running copies share one index read-only, and one of them updates it while the other searches.

On Linux and macOS the update's atomic swap renames the index folder aside while the other copy
still has its files open: open files survive a rename (and the later delete), so the other copy goes
on searching its old index until it reopens. On Windows a folder cannot be renamed while another
process has a file in it open: the swap then fails with PermissionError, the writer renames nothing
(or renames the old folder back), and update.apply() takes the copied source files back out, so both
copies keep working on the old index (simulated in test_update.test_swap_refused_leaves_both_working).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from index_build import update
from tests.reliability.helpers import Installed, release_file

ROOT = Path(__file__).resolve().parents[2]
OLD_TITLE = "Left side (synthetic fixture modifier)"
NEW_TITLE = "Left side, July wording"
ROUNDS_AFTER = 30
SEARCHER = """
import json, sys, time, traceback
from pathlib import Path
from desktop.core.search.engine import SearchEngine

folder, flags, rounds_after = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
engine = SearchEngine(folder, vocabulary_delay=0.0)
engine.strict = True  # an internal error raises instead of answering with nothing
engine.wait_ready(60)
errors, titles, rounds = [], [], {"before": 0, "after": 0}
print("ready", flush=True)
deadline = time.monotonic() + 60
while time.monotonic() < deadline and rounds["after"] < rounds_after:
    phase = "after" if (flags / "updated").exists() else "before"
    try:
        result = engine.search("E11.9")
        assert result.hits and result.hits[0].code == "E11.9", result
        assert engine.search("fracture femur").hits
        assert engine.search("0DTJ").hits
        titles.append(engine.index.detail("HCPCS", "LT").record.title)
        assert engine.index.detail("ICD-10-PCS", "0DTJ4ZZ") is not None
    except Exception:
        errors.append(traceback.format_exc())
    rounds[phase] += 1
engine.close()
fresh = SearchEngine(folder, warm_up=False)
reopened = fresh.index.detail("HCPCS", "LT").record.title
fresh.close()
print(json.dumps({"errors": errors, "titles": sorted(set(titles)), "rounds": rounds, "reopened": reopened}))
"""


def _start(folder: Path, flags: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", SEARCHER, str(folder), str(flags), str(ROUNDS_AFTER)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)


def _ready(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.strip() == "ready", process.stderr.read() if process.stderr else line


def _outcome(process: subprocess.Popen[str]) -> dict:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    outcome: dict = json.loads(out.strip().splitlines()[-1])
    return outcome


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="Windows refuses the swap while another copy has the index open; see the module docstring",
)
def test_update_while_two_other_copies_search(installed: Installed, tmp_path: Path) -> None:
    flags = tmp_path / "flags"
    flags.mkdir()
    july = release_file(tmp_path / "download", "JUL", "06152030", NEW_TITLE)
    plan = update.inspect([july])
    copies = [_start(installed.index, flags) for _ in range(2)]
    try:
        for process in copies:
            _ready(process)
        manifest = update.apply(plan, lambda line: None, threading.Event())
        (flags / "updated").touch()
        outcomes = [_outcome(process) for process in copies]
    finally:
        for process in copies:
            if process.poll() is None:
                process.kill()
    assert {entry["code_set"]: entry["release"] for entry in manifest.code_sets}["HCPCS"] == "July 2030"
    for outcome in outcomes:
        assert outcome["errors"] == []
        assert outcome["rounds"]["before"] > 0 and outcome["rounds"]["after"] == ROUNDS_AFTER
        assert outcome["titles"] == [OLD_TITLE]  # the open index stays the one it opened
        assert outcome["reopened"] == NEW_TITLE  # reopening shows the update
