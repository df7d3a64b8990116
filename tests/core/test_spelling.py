"""Typo correction: the nearest indexed word, the commoner among equally near ones, the same on every run."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

from desktop.core.search.spelling import CANDIDATES, Vocabulary, distance

ROOT = Path(__file__).resolve().parents[2]


def _crowded() -> list[tuple[str, int]]:
    """'femur' (common) and 'fever' (rare) one edit from 'femer', behind more words than the candidates
    kept that share as many trigrams with it ('fe...er' words, two edits or more away)."""
    decoys = [f"fe{a}{b}{c}er" for a, b, c in itertools.product("abcdgh", "ijkl", "nopq")][: 3 * CANDIDATES]
    return [(word, 5) for word in decoys] + [("fever", 81), ("femur", 3743)]


def test_the_commoner_of_two_equally_near_words_wins_however_many_words_tie() -> None:
    vocabulary = Vocabulary(_crowded())
    assert distance("femer", "femur") == distance("femer", "fever") == 1
    assert all(distance("femer", word) > 1 for word, _count in _crowded()[:-2])
    assert vocabulary.correct("femer") == "femur"
    assert vocabulary.correct("fevr") == "fever"
    assert vocabulary.correct("zzzz") == ""


def test_the_correction_is_the_same_whatever_the_hash_seed() -> None:
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); from tests.core.test_spelling import _crowded; "
        "from desktop.core.search.spelling import Vocabulary; print(Vocabulary(_crowded()).correct('femer'))"
    )
    answers = {
        subprocess.run(
            [sys.executable, "-c", script, str(ROOT)],
            env=dict(os.environ, PYTHONHASHSEED=str(seed)),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in range(6)
    }
    assert answers == {"femur"}
