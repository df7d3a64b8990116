"""Favourites and settings survive the app being killed mid-write (power cut, task manager, crash)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.core.userdata import FAVOURITES_FILE, SETTINGS_FILE, UserData

ROOT = Path(__file__).resolve().parents[2]
KILLS = 25
# Writes in a loop and reports each completed save; a big setting makes every write take a while.
WRITER = """
import sys
from pathlib import Path
from desktop.core.userdata import SavedCode, UserData

data = UserData(Path(sys.argv[1]))
start = int(data.setting("counter", 0))
blob = "x" * 200_000
for number in range(start + 1, start + 100_000):
    data.set_favourite(SavedCode("ICD-10-CM", f"Z{number:05d}", f"saved number {number}"), True)
    data.set_settings(counter=number, blob=blob)
    print(number, flush=True)
"""

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")


def _run_and_kill(folder: Path, rng: random.Random) -> int:
    """Start the writer, let it save a little, kill it at a random moment; the last save it reported."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder)], stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env
    )
    assert process.stdout is not None
    reported = 0
    first = process.stdout.readline()
    if first:
        reported = int(first)
    time.sleep(rng.uniform(0.0, 0.08))
    process.send_signal(signal.SIGKILL)
    rest, _ = process.communicate(timeout=30)
    lines = [int(line) for line in rest.split()]
    assert process.returncode == -signal.SIGKILL
    return max([reported, *lines])


def test_saved_data_survives_repeated_kills(tmp_path: Path) -> None:
    folder = tmp_path / "userdata"
    rng = random.Random(7)
    saved = 0
    for _ in range(KILLS):
        saved = max(saved, _run_and_kill(folder, rng))
        data = UserData(folder)
        assert data.problems == [], data.problems  # nothing had to be set aside as damaged
        codes = {favourite.code for favourite in data.favourites}
        missing = [number for number in range(1, saved + 1) if f"Z{number:05d}" not in codes]
        assert missing == [], f"favourites saved before the kill are gone: {missing[:10]}"
        # The settings write after the last reported favourite may or may not have landed: never older.
        assert data.setting("counter", 0) >= saved
        assert len(data.setting("blob", "")) == 200_000
    assert saved > KILLS  # the writer really wrote between kills
    names = sorted(path.name for path in folder.iterdir())
    assert FAVOURITES_FILE in names and SETTINGS_FILE in names
    leftovers = [name for name in names if name not in (FAVOURITES_FILE, SETTINGS_FILE)]
    assert all(name.startswith(".") and name.endswith(".tmp") for name in leftovers), leftovers
