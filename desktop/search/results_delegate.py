"""Paints one result row: code, title with matched words highlighted, code-set badge, marker, match."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.search.results_model import Role, matched_label, status_label
from desktop.theme import Colours

_Index = QModelIndex | QPersistentModelIndex
CODE_SAMPLES = ("S72.001AW", "0DTJ4ZZW", "J9035W")  # the code column fits the widest code shape


def runs(text: str, spans: Sequence[Sequence[int]]) -> list[tuple[str, bool]]:
    """Split text into (piece, highlighted) runs; overlapping or out-of-range spans are tolerated."""
    marks = [False] * len(text)
    for span in spans:
        if len(span) != 2:
            continue
        start, end = max(0, int(span[0])), min(len(text), int(span[1]))
        for i in range(start, end):
            marks[i] = True
    out: list[tuple[str, bool]] = []
    for char, mark in zip(text, marks, strict=True):
        if out and out[-1][1] == mark:
            out[-1] = (out[-1][0] + char, mark)
        else:
            out.append((char, mark))
    return out


def elide_middle(
    text: str,
    spans: Sequence[Sequence[int]],
    metrics: QFontMetrics,
    width: int,
) -> tuple[str, list[tuple[int, int]]]:
    """Cut the middle of a long title (sibling codes differ at the end: '..., initial encounter for
    open fracture') and move the highlight spans with the text that stays."""
    shown = metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, width)
    pairs = [(int(s[0]), int(s[1])) for s in spans if len(s) == 2]
    if shown == text or "\u2026" not in shown:
        return shown, pairs
    cut = shown.index("\u2026")
    head, tail = cut, len(shown) - cut - 1  # characters kept from the start and from the end
    start_of_tail = len(text) - tail
    moved: list[tuple[int, int]] = []
    for start, end in pairs:
        if start < head:
            moved.append((start, min(end, head)))
        if end > start_of_tail:
            moved.append((max(start, start_of_tail) - start_of_tail + head + 1, end - start_of_tail + head + 1))
    return shown, moved


class ResultDelegate(QStyledItemDelegate):
    """Two lines per hit; every size comes from the font metrics so it scales with the system."""

    def __init__(self, colours: Callable[[], Colours], parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._colours = colours

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        base = QFont(option.font)
        bold = QFont(base)
        bold.setBold(True)
        small = QFont(base)
        if base.pointSizeF() > 0:
            small.setPointSizeF(max(base.pointSizeF() * 0.88, 6.0))
        else:  # a pixel-sized font (rare): scale that instead
            small.setPixelSize(max(int(base.pixelSize() * 0.88), 8))
        return base, bold, small

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        base, _bold, small = self._fonts(option)
        fm, fm_small = QFontMetrics(base), QFontMetrics(small)
        pad = max(2, fm.height() // 4)
        height = pad * 3 + fm.height() + fm_small.height() + 2
        return QSize(fm.averageCharWidth() * 40, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

        colours = self._colours()
        base, bold, small = self._fonts(opt)
        fm, fm_bold, fm_small = QFontMetrics(base), QFontMetrics(bold), QFontMetrics(small)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (
            QPalette.ColorGroup.Active if opt.state & QStyle.StateFlag.State_Active else QPalette.ColorGroup.Inactive
        )
        text_colour = opt.palette.color(
            group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )

        pad = max(2, fm.height() // 4)
        rect: QRect = opt.rect.adjusted(fm.averageCharWidth(), pad, -fm.averageCharWidth(), -pad)
        code_width = max(fm_bold.horizontalAdvance(s) for s in CODE_SAMPLES)
        text_left = rect.left() + code_width
        text_width = max(10, rect.right() - text_left)

        painter.save()
        code = str(index.data(Role.CODE) or "")
        title = str(index.data(Role.TITLE) or "")
        field = str(index.data(Role.MATCHED_FIELD) or "title")
        spans = index.data(Role.HIGHLIGHTS) or []
        hit = index.data(Role.HIT)

        line1 = rect.top() + fm.ascent()
        painter.setFont(bold)
        painter.setPen(text_colour)
        painter.drawText(rect.left(), line1, fm_bold.elidedText(code, Qt.TextElideMode.ElideRight, code_width))
        title, title_spans = elide_middle(title, spans if field == "title" else [], fm, text_width)
        self._draw_runs(
            painter, text_left, line1, text_width, runs(title, title_spans), base, bold, text_colour, colours
        )

        line2_top = rect.top() + fm.height() + pad
        x = text_left
        code_set = str(index.data(Role.CODE_SET) or "")
        x = self._draw_badge(painter, x, line2_top, code_set, small, colours)
        marker = status_label(hit) if hit is not None else ""
        marker_colour = QColor(
            colours.warning
            if hit is not None and hit.terminated
            else colours.billable
            if hit is not None and hit.billable
            else colours.header
        )
        painter.setFont(small)
        painter.setPen(text_colour if selected else marker_colour)
        line2 = line2_top + fm_small.ascent()
        painter.drawText(x, line2, marker)
        x += fm_small.horizontalAdvance(marker)
        label = matched_label(hit) if hit is not None else ""
        if label:
            prefix = label[: label.index("'") + 1]
            matched = str(index.data(Role.MATCHED_TEXT) or "")
            pieces = [(" · " + prefix, False), *runs(matched, spans if field != "title" else []), ("'", False)]
            muted = text_colour if selected else QColor(colours.muted)
            self._draw_runs(painter, x, line2, rect.right() - x, pieces, small, small, muted, colours)
        painter.restore()

    @staticmethod
    def _draw_badge(painter: QPainter, x: int, top: int, code_set: str, font: QFont, colours: Colours) -> int:
        fm = QFontMetrics(font)
        if not code_set:
            return x
        hpad = fm.averageCharWidth() // 2 + 1
        width = fm.horizontalAdvance(code_set) + 2 * hpad
        box = QRectF(x, top, width, fm.height())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colours.badges.get(code_set, colours.muted)))
        radius = fm.height() / 4
        painter.drawRoundedRect(box, radius, radius)
        painter.setFont(font)
        painter.setPen(QColor(colours.badge_text))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, code_set)
        return int(x + width + fm.averageCharWidth())

    @staticmethod
    def _draw_runs(
        painter: QPainter,
        x: int,
        baseline: int,
        width: int,
        pieces: list[tuple[str, bool]],
        font: QFont,
        bold: QFont,
        colour: QColor,
        colours: Colours,
    ) -> None:
        """Draw text runs left to right, highlighted runs bold on a soft background; elide at width."""
        right = x + width
        for text, highlighted in pieces:
            run_font = bold if highlighted else font
            fm = QFontMetrics(run_font)
            room = right - x
            if room <= fm.averageCharWidth():
                return
            shown = (
                text if fm.horizontalAdvance(text) <= room else fm.elidedText(text, Qt.TextElideMode.ElideRight, room)
            )
            advance = fm.horizontalAdvance(shown)
            painter.setFont(run_font)
            if highlighted:
                painter.fillRect(QRect(x, baseline - fm.ascent(), advance, fm.height()), QColor(colours.highlight_bg))
                painter.setPen(QColor(colours.highlight_fg))
            else:
                painter.setPen(colour)
            painter.drawText(x, baseline, shown)
            x += advance
            if shown != text:
                return
