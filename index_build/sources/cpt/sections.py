"""The CPT code ranges by number: the headers the Descriptor tab shows above an imported code."""

from __future__ import annotations

from dataclasses import dataclass

from index_build.sources.cpt.layout import is_code

# Generic category names with their number ranges, as printed on any CPT section divider.
# Only numbers decide where a code falls; a code outside every range simply has no header.
_SURGERY = "10004-69990"
_MEDICINE = "90281-99607"
_TABLE: tuple[tuple[str, str, str], ...] = (
    ("00100-01999", "Anesthesia", ""),
    (_SURGERY, "Surgery", ""),
    ("10004-10021", "General", _SURGERY),
    ("10030-19499", "Integumentary System", _SURGERY),
    ("20100-29999", "Musculoskeletal System", _SURGERY),
    ("30000-32999", "Respiratory System", _SURGERY),
    ("33016-37799", "Cardiovascular System", _SURGERY),
    ("38100-38999", "Hemic and Lymphatic Systems", _SURGERY),
    ("39000-39599", "Mediastinum and Diaphragm", _SURGERY),
    ("40490-49999", "Digestive System", _SURGERY),
    ("50010-53899", "Urinary System", _SURGERY),
    ("54000-55899", "Male Genital System", _SURGERY),
    ("55920-55980", "Reproductive System and Intersex", _SURGERY),
    ("56405-58999", "Female Genital System", _SURGERY),
    ("59000-59899", "Maternity Care and Delivery", _SURGERY),
    ("60000-60699", "Endocrine System", _SURGERY),
    ("61000-64999", "Nervous System", _SURGERY),
    ("65091-68899", "Eye and Ocular Adnexa", _SURGERY),
    ("69000-69979", "Auditory System", _SURGERY),
    ("69990-69990", "Operating Microscope", _SURGERY),
    ("70010-79999", "Radiology", ""),
    ("80047-89398", "Pathology and Laboratory", ""),
    (_MEDICINE, "Medicine", ""),
    ("99202-99499", "Evaluation and Management", ""),  # inside Medicine's numbers, but its own section
    ("0001F-9007F", "Category II Codes", ""),
    ("0042T-0999T", "Category III Codes", ""),
    ("0001U-0999U", "Proprietary Laboratory Analyses", ""),
    ("0001M-0999M", "Multianalyte Assays with Algorithmic Analyses", ""),
)
_FORM_RANK = {"": 0, "F": 1, "T": 2, "U": 3, "M": 4}
_FORM_NAMES = {
    "": "Category I",
    "F": "Category II",
    "T": "Category III",
    "U": "Proprietary Laboratory Analyses (PLA)",
    "M": "Multianalyte Assays with Algorithmic Analyses (MAAA)",
}


@dataclass(frozen=True, slots=True)
class Section:
    code: str  # the range as a code: "10004-69990"
    name: str
    parent: str  # the enclosing section's code, or ""

    @property
    def bounds(self) -> tuple[tuple[int, int], tuple[int, int]]:
        start, end = self.code.split("-")
        return code_order(start), code_order(end)


def _form(code: str) -> str:
    return code[4] if code[4].isalpha() else ""


def code_order(code: str) -> tuple[int, int]:
    """Sort key of a five-character code: Category I by number, then II, III, PLA, MAAA."""
    form = _form(code)
    return _FORM_RANK[form], int(code[:4] if form else code)


def code_form(code: str) -> str:
    """'Category I', 'Category II', ... for a code; 'Modifier' for a two-character modifier."""
    return _FORM_NAMES[_form(code)] if is_code(code) else "Modifier"


SECTIONS: dict[str, Section] = {code: Section(code, name, parent) for code, name, parent in _TABLE}


def section_for(code: str) -> Section | None:
    """The narrowest range holding the code."""
    key = code_order(code)
    best: Section | None = None
    best_width = 0
    for section in SECTIONS.values():
        (low_rank, low), (high_rank, high) = section.bounds
        if low_rank == key[0] == high_rank and low <= key[1] <= high:
            width = high - low
            if best is None or width < best_width:
                best, best_width = section, width
    return best


def with_ancestors(section: Section) -> list[Section]:
    """The section and every section enclosing it, innermost first."""
    chain = [section]
    while chain[-1].parent:
        chain.append(SECTIONS[chain[-1].parent])
    return chain
