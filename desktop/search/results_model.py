"""The search results as a list model with named roles: code-set groups, folded families, hits, "show more"."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractListModel, QByteArray, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from desktop.core.records import Hit
from desktop.search.result_rows import FamilyKey, Row, RowKind, build_rows, first_family

MATCHED_FIELD_WORDS = {
    "index": "index term",
    "inclusion": "inclusion term",
    "synonym": "synonym",
    "term": "also known as",
    "code": "code",
    "title": "title",
    "guideline": "guideline text",
}

_Index = QModelIndex | QPersistentModelIndex


class Role(IntEnum):
    CODE = Qt.ItemDataRole.UserRole + 1
    CODE_SET = Qt.ItemDataRole.UserRole + 2
    TITLE = Qt.ItemDataRole.UserRole + 3
    KIND = Qt.ItemDataRole.UserRole + 4
    BILLABLE = Qt.ItemDataRole.UserRole + 5
    MATCHED_FIELD = Qt.ItemDataRole.UserRole + 6
    MATCHED_TEXT = Qt.ItemDataRole.UserRole + 7
    HIGHLIGHTS = Qt.ItemDataRole.UserRole + 8
    TERMINATED = Qt.ItemDataRole.UserRole + 9
    HIT = Qt.ItemDataRole.UserRole + 10
    ROW_KIND = Qt.ItemDataRole.UserRole + 11  # RowKind value: group, family, hit, more
    DEPTH = Qt.ItemDataRole.UserRole + 12  # 1 for a child under an expanded family
    COUNT = Qt.ItemDataRole.UserRole + 13  # a group's hits, a family's children
    EXPANDED = Qt.ItemDataRole.UserRole + 14
    ROW = Qt.ItemDataRole.UserRole + 15  # the Row itself: the delegate reads it in one call


def matched_label(hit: Hit) -> str:
    """ "matched: index term 'Attack, heart'" when the hit was found by something other than its title."""
    if hit.matched_field in ("title", "code") or not hit.matched_text:
        return ""
    what = MATCHED_FIELD_WORDS.get(hit.matched_field, hit.matched_field)
    return f"matched: {what} '{hit.matched_text}'"


def status_label(hit: Hit) -> str:
    """Billable / header marker as a coder reads it."""
    if hit.terminated:
        return "Terminated"
    if hit.kind == "modifier":
        return "Modifier"
    if hit.kind == "guideline":
        return "Official guideline section"
    return "Billable" if hit.billable else "Header, not billable"


def family_label(row: Row) -> str:
    return f"{row.code} \u00b7 {row.count} codes"


class ResultsModel(QAbstractListModel):
    """Read-only rows built from a tuple of Hit; reloads and folding insert or remove only what changed.

    A new search resets the model; more rows of the same search (set_hits(keep=True)) and opening or
    closing a family keep every unchanged row, so the selection and the scroll position stay.
    """

    family_toggled = Signal(int, bool)  # row, expanded

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: tuple[Hit, ...] = ()
        self._rows: list[Row] = []
        self._expanded: set[FamilyKey] = set()
        self._more = ""
        # True while rows are inserted or removed: a current row that Qt moves meanwhile is no user's choice.
        self.changing = False

    def set_hits(self, hits: tuple[Hit, ...], more: str = "", keep: bool = False) -> None:
        """Show hits; `more` labels a last "show more" row; keep=True for more rows of the same search."""
        self._hits = tuple(hits)
        self._more = more
        if keep:
            self._update()
            return
        top = first_family(self._hits)
        self.beginResetModel()
        self._expanded = {top} if top is not None else set()
        self._rows = build_rows(self._hits, self._expanded, more)
        self.endResetModel()

    def set_more(self, more: str) -> None:
        """Change or drop (empty) the "show more" row."""
        if more != self._more:
            self._more = more
            self._update()

    def hits(self) -> tuple[Hit, ...]:
        return self._hits

    def rows(self) -> tuple[Row, ...]:
        return tuple(self._rows)

    def row(self, row: int) -> Row | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def hit(self, row: int) -> Hit | None:
        """The hit of a code row, or the parent of a family row when the search found it too."""
        found = self.row(row)
        return found.hit if found is not None else None

    def place(self, row: int) -> tuple[str, str] | None:
        """(code set, code) a row stands for: a hit, or a family's parent; None for headers and "more"."""
        found = self.row(row)
        if found is None or found.code_set is None or found.kind not in (RowKind.HIT, RowKind.FAMILY):
            return None
        return str(found.code_set), found.code

    def find(self, code_set: str, code: str, reveal: bool = False) -> int:
        """The row showing a code (-1 when none); reveal=True opens the family a folded child sits in."""
        for number, found in enumerate(self._rows):
            if found.kind in (RowKind.HIT, RowKind.FAMILY) and (str(found.code_set), found.code) == (code_set, code):
                return number
        if reveal:
            hit = next((h for h in self._hits if (str(h.code_set), h.code) == (code_set, code) and h.parent), None)
            if hit is not None:
                family = self.find(code_set, hit.parent)
                if family >= 0 and self.set_expanded(family, True):
                    return self.find(code_set, code)
        return -1

    def set_expanded(self, row: int, expanded: bool) -> bool:
        """Open or close the family on a row; False when the row is no family or already so."""
        found = self.row(row)
        if found is None or found.family is None or found.expanded == expanded:
            return False
        if expanded:
            self._expanded.add(found.family)
        else:
            self._expanded.discard(found.family)
        self._update()
        self.family_toggled.emit(row, expanded)
        return True

    def toggle(self, row: int) -> bool:
        found = self.row(row)
        return found is not None and self.set_expanded(row, not found.expanded)

    def family_row(self, row: int) -> int:
        """The row of the family a child row sits under (-1 when the row is not a child)."""
        found = self.row(row)
        if found is None or found.depth == 0:
            return -1
        return next(n for n in range(row - 1, -1, -1) if self._rows[n].kind == RowKind.FAMILY)

    def _update(self) -> None:
        """Replace only the rows between the unchanged start and end, then repaint changed kept rows."""
        self.changing = True
        try:
            self._replace(build_rows(self._hits, self._expanded, self._more))
        finally:
            self.changing = False

    def _replace(self, new: list[Row]) -> None:
        old = self._rows
        same = min(len(old), len(new))
        start = 0
        while start < same and old[start].key == new[start].key:
            start += 1
        end = 0
        while end < same - start and old[-1 - end].key == new[-1 - end].key:
            end += 1
        if len(old) - end > start:
            self.beginRemoveRows(QModelIndex(), start, len(old) - end - 1)
            self._rows = old[:start] + old[len(old) - end :]
            self.endRemoveRows()
        if len(new) - end > start:
            self.beginInsertRows(QModelIndex(), start, len(new) - end - 1)
            # Kept rows keep their old content until the insert is done; their changes follow as dataChanged.
            self._rows = old[:start] + new[start : len(new) - end] + old[len(old) - end :]
            self.endInsertRows()
        self._rows = new
        kept = list(range(start)) + list(range(len(new) - end, len(new)))
        old_kept = list(range(start)) + list(range(len(old) - end, len(old)))
        changed = [n for n, o in zip(kept, old_kept, strict=True) if new[n] != old[o]]
        if changed:
            self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), 0))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def roleNames(self) -> dict[int, QByteArray]:
        names = {role.value: QByteArray(role.name.lower().encode()) for role in Role}
        names[Qt.ItemDataRole.DisplayRole] = QByteArray(b"display")
        return names

    def flags(self, index: _Index) -> Qt.ItemFlag:
        found = self.row(index.row()) if index.isValid() else None
        if found is None:
            return Qt.ItemFlag.NoItemFlags
        if found.kind == RowKind.GROUP:  # a label: the keyboard and the mouse pass over it
            return Qt.ItemFlag.ItemNeverHasChildren
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        found = self.row(index.row())
        if found is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(found)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(found)
        if role == Role.ROW:
            return found
        if role == Role.ROW_KIND:
            return str(found.kind)
        if role == Role.DEPTH:
            return found.depth
        if role == Role.COUNT:
            return found.count
        if role == Role.EXPANDED:
            return found.expanded
        if found.kind == RowKind.FAMILY and role in (Role.CODE, Role.TITLE, Role.CODE_SET):
            return {Role.CODE: found.code, Role.TITLE: found.title, Role.CODE_SET: str(found.code_set)}[Role(role)]
        return self._role_data(found.hit, role) if found.hit is not None else None

    @staticmethod
    def _display(row: Row) -> str:
        if row.kind in (RowKind.GROUP, RowKind.MORE):
            return row.label
        if row.kind == RowKind.FAMILY:
            state = "expanded" if row.expanded else "collapsed"
            return f"{row.code} {row.title}, {row.count} codes, {state}"
        return f"{row.code} {row.title}"

    @staticmethod
    def _tooltip(row: Row) -> str:
        if row.kind in (RowKind.GROUP, RowKind.MORE):
            return row.label
        if row.kind == RowKind.FAMILY:
            action = "Left or Enter folds them" if row.expanded else "Right or Enter shows them"
            return f"{row.code} ({row.code_set})\n{row.title}\n{row.count} codes found under it: {action}"
        hit = row.hit
        assert hit is not None
        lines = [f"{hit.code} ({hit.code_set}) {status_label(hit)}", hit.title]
        if matched_label(hit):
            lines.append(matched_label(hit))
        return "\n".join(lines)

    @staticmethod
    def _role_data(hit: Hit, role: int) -> Any:
        values: dict[int, Any] = {
            Role.CODE: hit.code,
            Role.CODE_SET: str(hit.code_set),
            Role.TITLE: hit.title,
            Role.KIND: str(hit.kind),
            Role.BILLABLE: hit.billable,
            Role.MATCHED_FIELD: hit.matched_field,
            Role.MATCHED_TEXT: hit.matched_text,
            Role.HIGHLIGHTS: [list(span) for span in hit.highlights],
            Role.TERMINATED: hit.terminated,
            Role.HIT: hit,
        }
        return values.get(role)
