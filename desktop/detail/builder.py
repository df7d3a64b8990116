"""The ICD-10-PCS code builder page: the whole table, a value per character 4-7, the valid choices narrowing."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from desktop.colours import Colours
from desktop.core.engine import CodeReader
from desktop.core.index import CodeDetail
from desktop.core.pcs_builder import BuilderState, Option, Position, build_state, leads_to, picks_of_code
from desktop.core.records import CodeRecord, CodeSet, Kind
from desktop.detail import pcs
from desktop.detail.html import code_link, esc, link, nowrap, span, table, toggle_link
from desktop.detail.links import PICK_CLEAR, PICK_RESET, code_url, pick_url

TAB_TITLE = "Code builder"
FOLD_AFTER = 5  # a picked position with more values than this shows only its pick until unfolded


def start_picks(detail: CodeDetail) -> dict[int, str]:
    """What the shown record fixes already: nothing for a table, the body part, or all four for a code."""
    record = detail.record
    if record.kind in (Kind.PCS_BODY_PART, Kind.CODE) and len(record.code) >= 4:
        return picks_of_code(record.code)
    return {}


def _reason(option: Option, state: BuilderState, names: Mapping[int, str]) -> str:
    picked = dict(state.picks)
    labels = []
    for position in option.conflicts:
        value = picked.get(position, "")
        found = next(
            (o for p in state.positions if p.position == position for o in p.options if o.value == value), None
        )
        labels.append(f"{names[position]} {value} {found.label if found else ''}".strip())
    return "not with " + " + ".join(labels) if labels else "not in any row with the picks"


def _option_html(option: Option, position: Position, state: BuilderState, colours: Colours, leads: str) -> str:
    """One value on its own line: picked or implied (bold), a link to pick, or greyed with the reason."""
    names = {p.position: p.name for p in state.positions}
    text = f"{esc(option.value)}&nbsp;&nbsp;{esc(option.label)}"
    # The whole "value label" is the link: a one-letter target is too small to hit.
    anchor = f'<a href="{esc(pick_url(position.position, option.value))}" style="text-decoration:none">{text}</a>'
    if option.picked:
        return f"<b>\u25cf {anchor}</b> {span('(picked: click to take it back)', colours.muted)}"
    if option.implied:
        return f"<b>\u25cf {text}</b> {span('(the only value left)', colours.muted)}"
    if option.allowed:
        return f"\u25cb {anchor}" + ("&nbsp;&nbsp;" + span("\u2192 " + leads, colours.muted) if leads else "")
    reason = esc(f"{option.label}: {_reason(option, state, names)}")
    return f'<span style="color:{colours.header}">\u2013 {esc(option.value)}&nbsp;&nbsp;{reason}</span>'


def _leads(state: BuilderState, position: Position, option: Option) -> str:
    if not option.allowed or option.picked:
        return ""
    return leads_to(state, position.position, option.value)


def _code_so_far(state: BuilderState) -> str:
    chars = []
    for position in state.positions:
        fixed = next((o for o in position.options if o.picked or o.implied), None)
        chars.append(fixed.value if fixed else "_")
    return state.table + "".join(chars)


def _result_html(index: CodeReader, record: CodeRecord, state: BuilderState, colours: Colours) -> str:
    if not state.code:
        return (
            f"<p><b><tt>{esc(_code_so_far(state))}</tt></b>&nbsp;&nbsp;"
            f"{span(f'{state.remaining:,} valid codes fit these picks; pick a value for each blank.', colours.muted)}"
            "</p>"
        )
    built = index.record(CodeSet.ICD10PCS, state.code)
    title = esc(built.title) if built is not None else span("(not in this index)", colours.muted)
    if state.code == record.code:
        return f"<p>Complete code: <b>{nowrap(esc(state.code))}</b> (this code)&nbsp;&nbsp;{title}</p>"
    return (
        f"<p>Complete code: <b>{nowrap(code_link(CodeSet.ICD10PCS, state.code))}</b>&nbsp;&nbsp;{title}"
        f"&nbsp;&nbsp;{link(code_url(CodeSet.ICD10PCS, state.code), 'Open it')}</p>"
    )


def builder_html(
    index: CodeReader,
    detail: CodeDetail,
    colours: Colours,
    picks: Mapping[int, str] | None = None,
    expanded: Collection[str] = (),
) -> str:
    """The builder for the table the record sits in; picks None starts from the record's own values,
    expanded holds the 'builder:<position>' keys of picked positions the user unfolded."""
    record = detail.record
    table_rec = pcs.table_record(detail)
    if table_rec is None:
        return (
            f"<h3>{TAB_TITLE}</h3><p>Open a table (three characters, e.g. 0DT) under {esc(record.code)} "
            "to build a code from it.</p>"
        )
    if not table_rec.rows:
        return f"<p>No rows are recorded for table {esc(table_rec.code)}.</p>"
    start = start_picks(detail)
    state = build_state(table_rec, start if picks is None else picks)
    heading = " \u00b7 ".join(esc(a.label) for a in table_rec.axes[:3])
    if record.kind is Kind.CODE:
        origin = f"starting from the values of {esc(record.code)}"
    elif record.kind is Kind.PCS_BODY_PART:
        part = next((a.label for a in pcs.known_axes(detail) if a.position == 4), record.title)
        origin = f"starting from body part {esc(record.code[3:4])} {esc(part)}"
    else:
        origin = "from the whole table"
    parts = [
        f"<h3>{TAB_TITLE}: table {code_link(CodeSet.ICD10PCS, table_rec.code)}&nbsp;&nbsp;{heading}</h3>",
        f"<p>Build a code {origin}: pick one value for each of characters 4-7. Values that cannot be combined "
        "with your picks are greyed, with the reason; a complete code opens by itself.</p>",
        _result_html(index, record, state, colours),
    ]
    actions = []
    if start and dict(state.picks) != start:
        actions.append(link(pick_url(PICK_RESET), f"Start again from {record.code}"))
    if state.picks:
        actions.append(link(pick_url(PICK_CLEAR), "Clear all picks"))
    if actions:
        parts.append("<p>" + "&nbsp;&nbsp;\u00b7&nbsp;&nbsp;".join(actions) + "</p>")
    rows = []
    for position in state.positions:
        key = f"builder:{position.position}"
        picked = [o for o in position.options if o.picked]
        # A picked position with a long list (the body parts of a code) folds to its pick, so the
        # approach, device and qualifier stay in view; one click shows the other values.
        folded = bool(picked) and len(position.options) > FOLD_AFTER and key not in expanded
        shown = picked if folded else list(position.options)
        lines = [_option_html(o, position, state, colours, _leads(state, position, o)) for o in shown]
        if picked and len(position.options) > FOLD_AFTER:
            others = len(position.options) - 1
            lines.append(
                toggle_link(key, f"the {others} other values" if folded else "fold the other values", not folded)
            )
        rows.append((str(position.position), nowrap(esc(position.name)), "<br>".join(lines)))
    parts.append(table(rows, ("Pos.", "Character", "Values"), colours))
    return "".join(parts)
