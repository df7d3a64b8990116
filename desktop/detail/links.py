"""Links inside the detail pages: codeatlas://<code set>/<code>, codeatlas://toggle/<key>,
codeatlas://pick/<position>-<value> (the PCS code builder) and codeatlas://tab/<tab name>."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from desktop.core.records import CodeSet

SCHEME = "codeatlas"
_TOGGLE = "toggle"
_PICK = "pick"
_TAB = "tab"
PICK_RESET = "reset"  # back to the shown code's own values
PICK_CLEAR = "clear"  # nothing picked: the whole table
# Qt lower-cases URL hosts, so code sets are matched case-insensitively.
_CODE_SETS = {str(code_set).lower(): code_set for code_set in CodeSet}


@dataclass(frozen=True, slots=True)
class Link:
    """A parsed in-app link: a code to open, a section to fold/unfold, a builder pick, a tab to show."""

    code_set: CodeSet | None = None
    code: str = ""
    toggle: str = ""
    pick: str = ""  # "5-0" (position 5, value 0), PICK_RESET or PICK_CLEAR
    tab: str = ""


def code_url(code_set: CodeSet | str, code: str) -> str:
    return f"{SCHEME}://{quote(str(code_set), safe='')}/{quote(code, safe='')}"


def toggle_url(key: str) -> str:
    return f"{SCHEME}://{_TOGGLE}/{quote(key, safe='')}"


def pick_url(position: int | str, value: str = "") -> str:
    """A builder link: pick_url(5, "0"), or pick_url(PICK_RESET) / pick_url(PICK_CLEAR)."""
    key = f"{position}-{value}" if value else str(position)
    return f"{SCHEME}://{_PICK}/{quote(key, safe='')}"


def tab_url(tab: str) -> str:
    return f"{SCHEME}://{_TAB}/{quote(tab.lower(), safe='')}"


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
    if host == _PICK:
        return Link(pick=value)
    if host == _TAB:
        return Link(tab=value.lower())
    code_set = _CODE_SETS.get(host)
    return None if code_set is None else Link(code_set=code_set, code=value)
