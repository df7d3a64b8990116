"""Check the codes and table stubs the index points at against the tables actually built."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from desktop.core.records import IndexTerm

_LISTED = 60  # stubs named in the warning list; the count covers them all


@dataclass
class StubReport:
    """Distinct index references by outcome, and how many index terms use them."""

    references: set[str] = field(default_factory=set)
    unresolved: dict[str, int] = field(default_factory=dict)  # stub -> index terms pointing at it
    partial: set[str] = field(default_factory=set)  # 5-6 characters: valid, but no record of their own

    def warnings(self, index_release: str, tables_release: str) -> list[str]:
        lines = []
        if index_release != tables_release:
            lines.append(
                f"the ICD-10-PCS index is {index_release} but the tables are {tables_release}: "
                "index entries point at the older tables"
            )
        if self.unresolved:
            terms = sum(self.unresolved.values())
            lines.append(
                f"{len(self.unresolved)} of {len(self.references):,} distinct index code references "
                f"({terms} index terms) are not in the {tables_release} tables"
            )
            shown = sorted(self.unresolved)[:_LISTED]
            more = len(self.unresolved) - len(shown)
            lines.append(
                "index references missing from the tables: " + ", ".join(shown) + (f" and {more} more" if more else "")
            )
        if self.partial:
            lines.append(
                f"{len(self.partial)} index references are 5-6 character stubs (e.g. "
                f"{', '.join(sorted(self.partial)[:3])}) that have no record of their own"
            )
        return lines


def check_stubs(terms: Iterable[IndexTerm], codes: set[str], body_parts: set[str]) -> StubReport:
    """Sort every code an index term leads to into found, unresolved and partial stubs.

    3 characters name a table, 4 a body part record, 7 a code; 5 and 6 characters are
    valid when some code starts with them.
    """
    tables = {code[:3] for code in codes}
    prefixes = {code[:5] for code in codes} | {code[:6] for code in codes}
    report = StubReport()
    for term in terms:
        stub = term.code
        if not stub:
            continue
        report.references.add(stub)
        if len(stub) == 3:
            found = stub in tables
        elif len(stub) == 4:
            found = stub in body_parts
        elif len(stub) == 7:
            found = stub in codes
        else:
            found = stub in prefixes
            if found:
                report.partial.add(stub)
        if not found:
            report.unresolved[stub] = report.unresolved.get(stub, 0) + 1
    return report
