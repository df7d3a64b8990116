"""ICD-10-PCS code builder: which values of characters 4-7 a table still allows once some are picked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from desktop.core.records import CodeRecord, PcsRow

POSITIONS = (4, 5, 6, 7)
Picks = Mapping[int, str]  # position (4-7) -> chosen value


@dataclass(frozen=True, slots=True)
class Option:
    """One value of one position as the builder shows it."""

    value: str
    label: str
    allowed: bool  # combines with every pick at the other positions
    picked: bool
    implied: bool  # not picked, but the only value the picks leave
    conflicts: tuple[int, ...] = ()  # for a value that is not allowed: the positions whose picks rule it out


@dataclass(frozen=True, slots=True)
class Position:
    position: int
    name: str  # "Body Part", "Approach", "Device", "Qualifier" (as the table names them)
    options: tuple[Option, ...]


@dataclass(frozen=True, slots=True)
class BuilderState:
    """The whole table seen through the picks."""

    table: str  # "0DT"
    positions: tuple[Position, ...]
    picks: tuple[tuple[int, str], ...]
    code: str  # the complete code once every position is picked or implied, else ""
    remaining: int  # valid codes of the table that still fit the picks

    def fixed(self, position: int) -> Option | None:
        """The picked or implied option of a position, if there is one."""
        entry = next(p for p in self.positions if p.position == position)
        return next((o for o in entry.options if o.picked or o.implied), None)


def _values(row: PcsRow, position: int) -> set[str]:
    index = position - 4
    return {axis.value for axis in row.axes[index]} if index < len(row.axes) else set()


def _fits(row: PcsRow, picks: Picks, skip: int = 0) -> bool:
    return all(value in _values(row, position) for position, value in picks.items() if position != skip)


def picks_of_code(code: str) -> dict[int, str]:
    """The values a code or body part already fixes: '0DTJ' -> {4: 'J'}, '0DTJ4ZZ' -> all four."""
    return {position: code[position - 1] for position in POSITIONS if len(code) >= position}


def consistent(table: CodeRecord, picks: Picks) -> bool:
    """Whether some row of the table holds every pick."""
    return any(_fits(row, picks) for row in table.rows)


def build_state(table: CodeRecord, picks: Picks) -> BuilderState:
    """Every value of positions 4-7 in the table, marked allowed or not given the picks.

    A value is allowed when a row holds it together with the picks of the other positions: a row's
    values combine freely and rows never combine with each other.
    """
    picks = {p: v for p, v in picks.items() if p in POSITIONS}
    fitting = [row for row in table.rows if _fits(row, picks)]
    positions: list[Position] = []
    for position in POSITIONS:
        labels: dict[str, str] = {}
        name = ""
        for row in table.rows:
            for axis in row.axes[position - 4] if position - 4 < len(row.axes) else ():
                labels.setdefault(axis.value, axis.label)
                name = name or axis.name
        open_rows = [row for row in table.rows if _fits(row, picks, skip=position)]
        allowed = set().union(*(_values(row, position) for row in open_rows)) if open_rows else set()
        only = next(iter(allowed)) if len(allowed) == 1 and position not in picks else ""
        options = []
        for value in sorted(labels):
            conflicts: tuple[int, ...] = ()
            if value not in allowed:
                conflicts = _conflicts(table.rows, picks, position, value)
            options.append(
                Option(value, labels[value], value in allowed, picks.get(position) == value, value == only, conflicts)
            )
        positions.append(Position(position, name, tuple(options)))
    chars = [next((o.value for o in p.options if o.picked or o.implied), "") for p in positions]
    code = table.code + "".join(chars) if fitting and all(chars) else ""
    return BuilderState(table.code, tuple(positions), tuple(sorted(picks.items())), code, _count(fitting, picks))


def _conflicts(rows: tuple[PcsRow, ...], picks: Picks, position: int, value: str) -> tuple[int, ...]:
    """The picked positions that never share a row with value; all of them when only together they do."""
    holding = [row for row in rows if value in _values(row, position)]
    alone = tuple(
        other
        for other, chosen in sorted(picks.items())
        if other != position and not any(chosen in _values(row, other) for row in holding)
    )
    return alone or tuple(p for p in sorted(picks) if p != position)


def _count(rows: list[PcsRow], picks: Picks) -> int:
    total = 0
    for row in rows:
        product = 1
        for position in POSITIONS:
            product *= 1 if position in picks else len(_values(row, position))
        total += product
    return total


def pick(table: CodeRecord, picks: Picks, position: int, value: str) -> dict[int, str]:
    """The picks after choosing value at position: choosing the picked value again takes it back;
    picks at other positions that cannot combine with the new one are dropped, the others kept."""
    chosen = dict(picks)
    if chosen.get(position) == value:
        del chosen[position]
        return chosen
    chosen[position] = value
    kept = {position: value}
    # Keep the earlier picks in order (body part before approach...) while they still combine.
    for other in POSITIONS:
        if other != position and other in chosen and consistent(table, {**kept, other: chosen[other]}):
            kept[other] = chosen[other]
    return kept


def leads_to(state: BuilderState, position: int, value: str) -> str:
    """The complete code picking an allowed value makes at once, when every other position is fixed
    ('' otherwise; picks that narrow to one value still open their code when made).

    Implied values count only while the position is unpicked: they were worked out from rows that
    hold the current pick, and switching it can widen them again.
    """
    switching = any(p == position for p, _ in state.picks)
    chars = []
    for entry in state.positions:
        if entry.position == position:
            chars.append(value)
            continue
        fixed = next((o.value for o in entry.options if o.picked or (o.implied and not switching)), "")
        if not fixed:
            return ""
        chars.append(fixed)
    return state.table + "".join(chars)
