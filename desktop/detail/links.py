"""Links inside the detail pages: codeatlas://<code set>/<code> and codeatlas://toggle/<key>."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from desktop.core.records import CodeSet

SCHEME = "codeatlas"
_TOGGLE = "toggle"
# Qt lower-cases URL hosts, so code sets are matched case-insensitively.
_CODE_SETS = {str(code_set).lower(): code_set for code_set in CodeSet}


@dataclass(frozen=True, slots=True)
class Link:
    """A parsed in-app link: a code to open, or a section to fold/unfold."""

    code_set: CodeSet | None = None
    code: str = ""
    toggle: str = ""


def code_url(code_set: CodeSet | str, code: str) -> str:
    return f"{SCHEME}://{quote(str(code_set), safe='')}/{quote(code, safe='')}"


def toggle_url(key: str) -> str:
    return f"{SCHEME}://{_TOGGLE}/{quote(key, safe='')}"


def parse_link(url: str) -> Link | None:
    """The in-app meaning of a clicked URL; None for anything else (never opened)."""
    parts = urlsplit(url)
    if parts.scheme.lower() != SCHEME:
        return None
    host = unquote(parts.netloc).lower()
    value = unquote(parts.path.lstrip("/"))
    if not value:
        return None
    if host == _TOGGLE:
        return Link(toggle=value)
    code_set = _CODE_SETS.get(host)
    return None if code_set is None else Link(code_set=code_set, code=value)
