"""Tie the 2019-era Table of Drugs and Alpha-Numeric Index to the codes of the release being built."""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field

from desktop.core.records import CodeSet, IndexTerm
from index_build.sources.hcpcs.alpha_index import AlphaIndex
from index_build.sources.hcpcs.drug_table import DrugRow, DrugTable

DRUG_SOURCE = "hcpcs-drug"
INDEX_SOURCE = "hcpcs-index"
# An index range wider than this ('Ambulance, A0021-A0999') says little about each code in it.
RANGE_LIMIT = 50


@dataclass
class Links:
    """What one supplementary file adds: index terms, search words per code, and what did not fit."""

    terms: list[IndexTerm] = field(default_factory=list)
    search_terms: dict[str, list[str]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    missing: set[str] = field(default_factory=set)  # codes (or ranges) printed but not in the release
    _seen: set[IndexTerm] = field(default_factory=set)

    def add(self, term: IndexTerm, search_term: str = "") -> None:
        if term in self._seen:  # the PDFs repeat rows ('Supartz' twice)
            return
        self._seen.add(term)
        self.terms.append(term)
        if search_term:
            words = self.search_terms.setdefault(term.code, [])
            if search_term not in words:
                words.append(search_term)


class CodeLookup:
    """The codes of the built release, for single codes and for ranges ('L5000-L5999')."""

    def __init__(self, codes: list[str]) -> None:
        self._codes = set(codes)
        self._sorted = sorted(code for code in codes if len(code) == 5)

    def __contains__(self, code: str) -> bool:
        return code in self._codes

    def in_range(self, first: str, last: str) -> list[str]:
        start = bisect.bisect_left(self._sorted, first)
        end = bisect.bisect_right(self._sorted, last)
        return self._sorted[start:end]


def _norm(text: str) -> str:
    return " ".join(text.lower().split()).strip(" ,.")


def _row_codes(row: DrugRow, lookup: CodeLookup, links: Links) -> list[str]:
    codes: list[str] = []
    for item in row.codes:
        first, _, last = item.partition("-")
        found = lookup.in_range(first, last) if last else ([first] if first in lookup else [])
        if not found:
            links.missing.add(item)
        codes += found
    return codes


def link_drug_table(table: DrugTable, lookup: CodeLookup) -> Links:
    """Each row's drug name on its codes; each 'Brand, see Generic' on the generic's codes."""
    links = Links()
    by_name: dict[str, list[tuple[DrugRow, list[str]]]] = {}
    names_attached: set[str] = set()
    for row in table.rows:
        codes = _row_codes(row, lookup, links)
        by_name.setdefault(_norm(row.name), []).append((row, codes))
        column = " ".join(part for part in (row.unit, row.route) if part)
        for code in codes:
            links.add(IndexTerm(CodeSet.HCPCS, DRUG_SOURCE, (row.name,), code=code, column=column), row.name)
            names_attached.add(row.name)
    for see in table.sees:
        target = _norm(see.target)
        matches = by_name.get(target) or [
            entry
            for name, entries in by_name.items()
            if name.startswith((target + " ", target + ",", target + " ("))
            for entry in entries
        ]
        attached = False
        for row, codes in matches:
            column = " ".join(part for part in (row.unit, row.route) if part)
            for code in codes:
                links.add(
                    IndexTerm(CodeSet.HCPCS, DRUG_SOURCE, (see.name,), code=code, column=column, see=see.target),
                    see.name,
                )
                attached = True
        links.counts["drug see-references attached" if attached else "drug see-references unresolved"] += 1
    links.counts["drug-table rows"] = len(table.rows)
    links.counts["drug names attached"] = len(names_attached)
    links.counts["drug codes no longer existing"] = len(links.missing)
    return links


def link_alpha_index(index: AlphaIndex, lookup: CodeLookup) -> Links:
    """Each term path on the codes it lists; ranges expanded to the release's codes up to RANGE_LIMIT."""
    links = Links()
    codes_of_term: dict[str, list[str]] = {}
    for entry in index.entries:
        codes: list[str] = []
        for first, last in entry.codes:
            if not last:
                if first in lookup:
                    codes.append(first)
                else:
                    links.missing.add(first)
                continue
            found = lookup.in_range(first, last)
            if not found:
                links.missing.add(f"{first}-{last}")
            elif len(found) > RANGE_LIMIT:
                links.counts["index ranges too wide to attach"] += 1
            else:
                codes += found
        if len(entry.path) == 1:
            codes_of_term[_norm(entry.path[0])] = codes
        for code in codes:
            links.add(IndexTerm(CodeSet.HCPCS, INDEX_SOURCE, entry.path, code=code, see_also=entry.see_also))
    for entry in index.entries:
        if not entry.see:
            continue
        targets = codes_of_term.get(_norm(entry.see), [])
        for code in targets:
            links.add(IndexTerm(CodeSet.HCPCS, INDEX_SOURCE, entry.path, code=code, see=entry.see))
        links.counts["index see-references attached" if targets else "index see-references unresolved"] += 1
    links.counts["index entries"] = len(index.entries)
    links.counts["index terms"] = len(links.terms)
    links.counts["index codes no longer existing"] = len(links.missing)
    return links
