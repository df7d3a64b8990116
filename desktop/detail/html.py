"""Small helpers that build the detail pages' rich text; every piece of source text is escaped here."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from desktop.colours import Colours
from desktop.core.records import CodeRecord, CodeRef, CodeSet, Kind
from desktop.detail.links import code_url, toggle_url

LEVEL_WORDS = {
    Kind.CHAPTER: "chapter",
    Kind.SECTION: "section",
    Kind.CATEGORY: "category",
    Kind.SUBCATEGORY: "subcategory",
    Kind.CODE: "code",
    Kind.PCS_SECTION: "section",
    Kind.PCS_BODY_SYSTEM: "body system",
    Kind.PCS_TABLE: "table",
    Kind.PCS_BODY_PART: "body part",
    Kind.MODIFIER: "modifier",
}


def esc(text: str) -> str:
    return html.escape(text, quote=True)


# A line of extracted guideline text that starts something new: "a. ", "2) ", "Example:", "- ".
_STARTS_LINE = re.compile(r"^(?:(?:[a-z]|\d{1,2}|[ivx]{1,4})[.)]\s|(?:Examples?|Note|Coding guidance)\b|[-\u2022*]\s)")


def reflow(block: str) -> list[str]:
    """Join the hard-wrapped lines of a PDF extraction; keep list items and examples on their own line."""
    lines: list[str] = []
    for raw in block.splitlines():
        line = raw.strip()
        if not line:
            continue
        if lines and not _STARTS_LINE.match(line):
            lines[-1] += " " + line
        else:
            lines.append(line)
    return lines


def para(text: str) -> str:
    """Source text, escaped and reflowed; blank lines start a new paragraph."""
    blocks = text.replace("\r\n", "\n").split("\n\n")
    return "".join(f"<p>{'<br>'.join(esc(line) for line in reflow(b))}</p>" for b in blocks if b.strip())


def link(url: str, text: str) -> str:
    return f'<a href="{esc(url)}">{esc(text)}</a>'


def code_link(code_set: CodeSet | str, code: str, text: str | None = None) -> str:
    return link(code_url(code_set, code), code if text is None else text)


def toggle_link(key: str, text: str, expanded: bool) -> str:
    arrow = "\u25be" if expanded else "\u25b8"  # a small down / right triangle
    return f'<a href="{esc(toggle_url(key))}" style="text-decoration:none">{arrow} {esc(text)}</a>'


def level_name(record: CodeRecord) -> str:
    """'chapter 4', 'category E11', 'table 0DT' - where an inherited note or value comes from."""
    return f"{LEVEL_WORDS.get(record.kind, str(record.kind))} {record.code}"


def nowrap(html_text: str) -> str:
    """Keep a code on one line at any scale: a narrow column must not break 'S72.001A' in two."""
    return f'<span style="white-space:nowrap">{html_text}</span>'


def span(text: str, colour: str, bold: bool = False) -> str:
    weight = "font-weight:600;" if bold else ""
    return f'<span style="color:{colour};{weight}">{esc(text)}</span>'


def badge(code_set: str, colours: Colours) -> str:
    background = colours.badges.get(code_set, colours.muted)
    return (
        f'<span style="background-color:{background};color:{colours.badge_text};font-weight:600">'
        f"&nbsp;{esc(code_set)}&nbsp;</span>"
    )


def link_refs(text: str, refs: Sequence[CodeRef], code_set: CodeSet | str) -> str:
    """Escape a note's text and turn each code reference it contains into an in-app link."""
    out: list[str] = []
    position = 0
    for ref in refs:
        if not ref.text:
            continue
        found = text.find(ref.text, position)
        if found < 0:
            continue
        target = f"{ref.start}-{ref.end}" if ref.end else ref.start
        out.append(esc(text[position:found]))
        out.append(code_link(code_set, target, ref.text))
        position = found + len(ref.text)
    out.append(esc(text[position:]))
    return "".join(out)


def table(
    rows: Iterable[Sequence[str]],
    header: Sequence[str] = (),
    colours: Colours | None = None,
) -> str:
    """A ruled table; cells are HTML already (callers escape).

    No column or table widths: Qt treats a percentage as a hard limit and breaks a code inside it at
    150% ("S72.00/1A"), so tables are sized by their content (a long text still wraps at the page edge).
    """
    rule = colours.rule if colours is not None else "#c8c8c8"
    parts = [
        f'<table cellspacing="0" cellpadding="4" border="1" '
        f'style="border-collapse:collapse;border-style:solid;border-color:{rule}">'
    ]
    if header:
        parts.append("<tr>" + "".join(f'<th align="left" nowrap>{cell}</th>' for cell in header) + "</tr>")
    for row in rows:
        parts.append("<tr>" + "".join(f'<td valign="top">{cell}</td>' for cell in row) + "</tr>")
    parts.append("</table>")
    return "".join(parts)


def facts(rows: Iterable[tuple[str, str]], colours: Colours) -> str:
    """Label / value pairs; the label is plain text (escaped here), the value HTML."""
    body = "".join(
        f'<tr><td valign="top" style="color:{colours.muted};padding-right:12px">{esc(label)}</td>'
        f'<td valign="top">{value}</td></tr>'
        for label, value in rows
    )
    return f'<table cellspacing="0" cellpadding="3">{body}</table>'


def page(body: str) -> str:
    return (
        "<html><head><style>"
        "h3 { margin-top: 14px; margin-bottom: 4px; }"
        "h4 { margin-top: 10px; margin-bottom: 2px; }"
        "p { margin-top: 2px; margin-bottom: 6px; }"
        "ul { margin-top: 2px; margin-bottom: 6px; }"
        "</style></head><body>" + body + "</body></html>"
    )
