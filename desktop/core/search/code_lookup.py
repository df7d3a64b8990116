"""Code-shaped input: the code typed (even terminated), the codes under a prefix, and look-alike modifiers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from whoosh.reading import IndexReader

from desktop.core.paths import resources_dir
from desktop.core.records import CodeSet, Hit, SearchFilters
from desktop.core.search.cache import CODE_SETS, SearchCache
from desktop.core.search.documents import DocCache
from desktop.core.search.filter_mask import FilterMask
from desktop.core.search.query import ParsedQuery, looks_like_cm, looks_like_hcpcs

PREFIX_SCAN = 4000  # code keys read at most for one prefix listing (a filter may skip most of them)
# Keys under a prefix interleave code sets (E06.9 is key E069, after HCPCS E0600-E0699): read at least this
# many per page before stopping, so a page of 30 still reaches a small family's last codes (E06.9, G00.9).
SCAN_FLOOR = 60
COUNT_SCAN = 6000  # without the cache, keys counted at most under a prefix
LOOKALIKE_FILE = "modifier_lookalikes.tsv"
EXACT_SCORE, LOOKALIKE_SCORE, LISTED_SCORE = 1000.0, 950.0, 900.0
_ORDERS = {
    "cm": [CodeSet.ICD10CM, CodeSet.HCPCS, CodeSet.ICD10PCS, CodeSet.CPT, CodeSet.ICD9CM],
    "hcpcs": [CodeSet.HCPCS, CodeSet.ICD10CM, CodeSet.ICD10PCS, CodeSet.CPT, CodeSet.ICD9CM],
    "pcs": [CodeSet.ICD10PCS, CodeSet.ICD10CM, CodeSet.HCPCS, CodeSet.CPT, CodeSet.ICD9CM],
    "default": [CodeSet.ICD10CM, CodeSet.ICD10PCS, CodeSet.HCPCS, CodeSet.CPT, CodeSet.ICD9CM],
}


@dataclass(frozen=True, slots=True)
class LookAlike:
    """A CPT modifier and the HCPCS Level II modifiers that apply in its place (59 -> XE, XP, XS, XU)."""

    cpt: str
    level_two: tuple[str, ...]
    why: str


def parse_lookalikes(lines: Iterable[str], source: str = LOOKALIKE_FILE) -> dict[str, LookAlike]:
    """Read 'CPT modifier<TAB>Level II modifiers (comma-separated)<TAB>why' lines; '#' starts a comment."""
    found: dict[str, LookAlike] = {}
    for number, line in enumerate(lines, 1):
        text = line.rstrip("\n")
        if not text.strip() or text.startswith("#"):
            continue
        parts = text.split("\t")
        codes = tuple(c.strip().upper() for c in parts[1].split(",") if c.strip()) if len(parts) == 3 else ()
        if len(parts) != 3 or not parts[0].strip() or not codes or not parts[2].strip():
            raise ValueError(f"{source}, line {number}: expected 'CPT modifier<TAB>Level II modifiers<TAB>why'")
        found[parts[0].strip().upper()] = LookAlike(parts[0].strip().upper(), codes, parts[2].strip())
    return found


def load_lookalikes(path: Path | None = None) -> dict[str, LookAlike]:
    """The project's table from resources/; none when the file is missing."""
    path = path or resources_dir() / LOOKALIKE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    return parse_lookalikes(text.splitlines(), path.name)


def code_set_order(parsed: ParsedQuery) -> list[CodeSet]:
    """Which code set a code-shaped input most likely means, first."""
    key = parsed.code_key
    if looks_like_cm(parsed.text):
        return _ORDERS["cm"]
    if looks_like_hcpcs(key) or (len(key) == 2 and key.isalpha()):
        return _ORDERS["hcpcs"]
    if (key[0].isdigit() and not (key.isdigit() and len(key) <= 2)) or len(key) == 7:
        return _ORDERS["pcs"]
    return _ORDERS["default"]


class CodeLookup:
    """Answers code-shaped input from the sorted `key` terms (never a Whoosh Prefix query)."""

    def __init__(self, reader: IndexReader, docs: DocCache, lookalikes: dict[str, LookAlike] | None = None) -> None:
        self._reader = reader
        self._docs = docs
        self._lookalikes = load_lookalikes() if lookalikes is None else lookalikes
        self.cache: SearchCache | None = None  # set by the engine once the search cache is ready

    def _code_set(self, docnum: int, mask: FilterMask) -> CodeSet | None:
        """The code set of a document the mask lets through, else None (from the cache bytes when built)."""
        cache = self.cache
        if cache is not None:
            return CODE_SETS[cache.code_sets[docnum]] if mask(docnum) else None
        doc = self._docs.get(docnum)
        return doc.code_set if mask.passes(doc) else None

    def search(self, parsed: ParsedQuery, filters: SearchFilters, limit: int) -> tuple[list[Hit], int]:
        """The code typed (terminated ones too: a coder checking an old code must see it), then what is under it."""
        key = parsed.code_key
        order = code_set_order(parsed)
        cm_only = looks_like_cm(parsed.text)
        exact_mask = FilterMask(filters, self.cache, exact=True)
        exact = [self._docs.get(n) for n in self._docs.numbers_for_key(key) if self._code_set(n, exact_mask)]
        exact.sort(key=lambda d: (order.index(d.code_set), d.order))
        hits = [doc.hit(EXACT_SCORE, "code", "", ()) for doc in exact]
        hits += self._lookalike_hits(key, filters)
        listing = FilterMask(filters, self.cache, listing=True)
        under: dict[CodeSet, list[int]] = {}
        kept = 0
        complete = True
        for scanned, term in enumerate(self._reader.expand_prefix("key", key)):
            if kept >= 2 * max(limit, SCAN_FLOOR) or scanned >= PREFIX_SCAN:
                complete = False
                break
            if len(term) > len(key):
                for docnum in self._docs.numbers_for_key(term.decode("utf-8")):
                    code_set = self._code_set(docnum, listing)
                    if code_set is not None and not (cm_only and code_set is not CodeSet.ICD10CM):
                        under.setdefault(code_set, []).append(docnum)
                        kept += 1
        listed = [self._docs.get(docnum) for docnum in _balance(under, order, limit - len(hits))]
        listed.sort(key=lambda doc: (order.index(doc.code_set), doc.order))  # official order within a set
        hits += [doc.hit(LISTED_SCORE - n * 0.01, "code", "", ()) for n, doc in enumerate(listed)]
        # Exact when every key under the prefix was read; else the count of all of them (filters not applied).
        total = len(hits) - len(listed) + (kept if complete else max(kept, self._count_under(key)))
        return hits[:limit], total

    def _lookalike_hits(self, key: str, filters: SearchFilters) -> list[Hit]:
        """The Level II modifiers that apply where a CPT modifier was typed (59 -> XE, XP, XS, XU)."""
        found = self._lookalikes.get(key)
        if found is None:
            return []
        mask = FilterMask(filters, self.cache)
        hits = []
        for n, code in enumerate(found.level_two):
            for docnum in self._docs.numbers_for_key(code):
                doc = self._docs.get(docnum)
                if doc.code_set is CodeSet.HCPCS and mask.allows(doc):
                    hits.append(doc.hit(LOOKALIKE_SCORE - n * 0.01, "code", f"For CPT modifier {key}: {found.why}", ()))
        return hits

    def _count_under(self, key: str) -> int:
        """Code documents whose key extends key (one table lookup for one and two characters)."""
        cache = self.cache
        if cache is not None and key in cache.prefix_counts:
            return cache.prefix_counts[key]
        count = 0
        for term in self._reader.expand_prefix("key", key):
            count += len(term) > len(key)
            if count >= COUNT_SCAN:
                break
        return count


def _balance(groups: dict[CodeSet, list[int]], order: list[CodeSet], room: int) -> list[int]:
    """Code-set blocks in preference order, each in code (key) order, each getting a fair share of room."""
    present = [code_set for code_set in order if groups.get(code_set)]
    quota = dict.fromkeys(present, 0)
    left = max(0, room)
    while left > 0 and any(quota[c] < len(groups[c]) for c in present):
        for code_set in present:
            if left and quota[code_set] < len(groups[code_set]):
                quota[code_set] += 1
                left -= 1
    return [docnum for code_set in present for docnum in groups[code_set][: quota[code_set]]]
