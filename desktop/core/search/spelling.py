"""Typo correction over the index vocabulary: the nearest indexed word by edit distance, commoner first."""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable

MIN_LENGTH = 4  # shorter words are abbreviations or codes more often than typos
CANDIDATES = 40


def _grams(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance (a swap of neighbours costs 1), cut off above limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        best = i
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class Vocabulary:
    """Indexed words (stems) with how many documents hold them, and a trigram index to find near misses."""

    def __init__(self, frequencies: Iterable[tuple[str, int]]) -> None:
        self.frequency: dict[str, int] = {}
        for word, count in frequencies:
            if word.isalpha():
                self.frequency[word] = max(count, self.frequency.get(word, 0))
        self._words = list(self.frequency)
        self._sorted = sorted(self._words)
        grams: dict[str, list[int]] = {}
        for number, word in enumerate(self._words):
            if len(word) >= MIN_LENGTH - 1:
                for gram in _grams(word):
                    grams.setdefault(gram, []).append(number)
        # Arrays rather than lists of numbers: nothing here for the garbage collector to walk.
        self._grams = {gram: array("i", numbers) for gram, numbers in grams.items()}

    def __contains__(self, word: str) -> bool:
        return word in self.frequency

    def correct(self, word: str) -> str:
        """The likeliest intended indexed word for word, or '' when nothing is close enough."""
        if len(word) < MIN_LENGTH or not word.isalpha():
            return ""
        shared: Counter[int] = Counter()
        for gram in _grams(word):
            shared.update(self._grams.get(gram, ()))
        limit = 1 if len(word) < 7 else 2
        best: tuple[int, int, str] | None = None
        # The words sharing most trigrams, the commoner first among equals: dozens can tie ('femer'
        # shares two with 'femur' and 'fever' and 50 more), and most_common broke ties in an order
        # that changed from one run of the program to the next.
        frequency, words = self.frequency, self._words
        nearest = heapq.nsmallest(
            CANDIDATES, shared.items(), key=lambda item: (-item[1], -frequency[words[item[0]]], item[0])
        )
        for number, _count in nearest:
            candidate = self._words[number]
            found = distance(word, candidate, limit)
            if found > limit:
                continue
            rank = (found, -self.frequency[candidate], candidate)
            if best is None or rank < best:
                best = rank
        return best[2] if best else ""

    def completions(self, prefix: str, limit: int) -> list[str]:
        """The commonest indexed words starting with prefix, commonest first."""
        if not prefix:
            return []
        low = bisect_left(self._sorted, prefix)
        high = bisect_left(self._sorted, prefix + "\uffff", low)
        return heapq.nlargest(limit, self._sorted[low:high], key=self.frequency.__getitem__)
