"""CPT data files a licensed user imports themselves; never registered with the builder, never shipped.

CPT descriptors and modifiers belong to the American Medical Association. CodeAtlas contains none:
this package reads the files of the user's own AMA data file release (tab-delimited LONGULT/MEDU/
SHORTU-style code files and the modifier file) or any CSV/TSV whose columns the user picks.
index_build.cpt_import turns them into a separate index under the user's data folder.
"""

from __future__ import annotations

from index_build.sources.cpt.build import Descriptors, Merged, merge, release_for, to_parsed
from index_build.sources.cpt.layout import ColumnChoice, Delimiter, Layout, is_code, is_modifier
from index_build.sources.cpt.parse import ROLES, CptFile, Problem, Row, descriptor_role, read_cpt_file
from index_build.sources.cpt.sections import SECTIONS, Section, code_form, code_order, section_for

__all__ = [
    "ROLES",
    "SECTIONS",
    "ColumnChoice",
    "CptFile",
    "Delimiter",
    "Descriptors",
    "Layout",
    "Merged",
    "Problem",
    "Row",
    "Section",
    "code_form",
    "code_order",
    "descriptor_role",
    "is_code",
    "is_modifier",
    "merge",
    "read_cpt_file",
    "release_for",
    "section_for",
    "to_parsed",
]
