"""HCPCS Level II: ANWEB fixed-width txt or xlsx, processing notes, 2019 Table of Drugs and Index PDFs.

Kinds detected: hcpcs-anweb-txt, hcpcs-xlsx, hcpcs-proc-notes, hcpcs-drug-table-pdf, hcpcs-index-pdf.
The newest release present is built; of one release's two forms the fixed-width txt (CMS's master,
documented by the record layout) wins over the xlsx, which carries the same data.
"""

from __future__ import annotations

from index_build.sources.hcpcs.build import build
from index_build.sources.hcpcs.detect import detect

__all__ = ["build", "detect"]
