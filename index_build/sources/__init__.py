"""The registry of code-set source packages: each exposes detect() and build()."""

from __future__ import annotations

from types import ModuleType

from desktop.core.records import CodeSet


def code_set_modules() -> dict[CodeSet, ModuleType]:
    """The parser package of every code set the builder knows, imported on demand."""
    from index_build.sources import hcpcs, icd10cm, icd10pcs

    return {CodeSet.ICD10CM: icd10cm, CodeSet.ICD10PCS: icd10pcs, CodeSet.HCPCS: hcpcs}
