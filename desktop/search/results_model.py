"""The search results as a list model over an immutable tuple of Hit, with named roles."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractListModel, QByteArray, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.core.records import Hit

MATCHED_FIELD_WORDS = {
    "index": "index term",
    "inclusion": "inclusion term",
    "synonym": "synonym",
    "term": "also known as",
    "code": "code",
    "title": "title",
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
    return "Billable" if hit.billable else "Header, not billable"


class ResultsModel(QAbstractListModel):
    """Read-only rows; set_hits() swaps the whole tuple in one reset."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: tuple[Hit, ...] = ()

    def set_hits(self, hits: tuple[Hit, ...]) -> None:
        self.beginResetModel()
        self._hits = tuple(hits)
        self.endResetModel()

    def hits(self) -> tuple[Hit, ...]:
        return self._hits

    def hit(self, row: int) -> Hit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._hits)

    def roleNames(self) -> dict[int, QByteArray]:
        names = {role.value: QByteArray(role.name.lower().encode()) for role in Role}
        names[Qt.ItemDataRole.DisplayRole] = QByteArray(b"display")
        return names

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        hit = self.hit(index.row())
        if hit is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{hit.code} {hit.title}"
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{hit.code} ({hit.code_set}) {status_label(hit)}", hit.title]
            if matched_label(hit):
                lines.append(matched_label(hit))
            return "\n".join(lines)
        return self._role_data(hit, role)

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
