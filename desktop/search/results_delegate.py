"""Paints the result rows: hits (code, wrapped title, badge, marker, match), families, group headers, "more"."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.colours import Colours
from desktop.search.result_rows import Row, RowKind
from desktop.search.results_model import Role, matched_label, status_label

_Index = QModelIndex | QPersistentModelIndex
CODE_SAMPLES = ("S72.001AW", "0DTJ4ZZW", "J9035W")  # the code column fits the widest code shape
LINES_CACHE = 5000  # titles whose line breaks are remembered (cleared when full)
TITLE_LINES = 2  # a title wraps onto this many lines, then is cut at its end (the tooltip has it whole)
OPEN, CLOSED = "\u25be", "\u25b8"  # a family's disclosure triangle
_WORD = re.compile(r"[^ ]+")


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


def line_breaks(
    text: str,
    spans: Sequence[Sequence[int]],
    metrics: QFontMetrics,
    bold: QFontMetrics,
    width: int,
    max_lines: int = TITLE_LINES,
) -> list[tuple[int, int]]:
    """Where a title wraps: (start, end) per line at word boundaries; the last line runs to the end
    (drawn cut at its end). Highlighted words are measured bold, as they are drawn."""
    marks = [False] * len(text)
    for span in spans:
        if len(span) == 2:
            for i in range(max(0, int(span[0])), min(len(text), int(span[1]))):
                marks[i] = True

    def advance(start: int, end: int) -> int:
        total, piece = 0, start
        for i in range(start + 1, end + 1):
            if i == end or marks[i] != marks[piece]:
                total += (bold if marks[piece] else metrics).horizontalAdvance(text[piece:i])
                piece = i
        return total

    # Words are measured once each and lines filled greedily; each finished line is measured whole
    # once more (kerning) and gives back its last word if that made it too wide.
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    space = metrics.horizontalAdvance(" ")
    lines: list[tuple[int, int]] = []
    start, first = 0, 0  # where the current line starts, and its first word
    while len(lines) < max_lines - 1 and first < len(words) and advance(start, len(text)) > width:
        used, last = advance(*words[first]), first
        while last + 1 < len(words) and used + space + advance(*words[last + 1]) <= width:
            last += 1
            used += space + advance(*words[last])
        if last > first and advance(start, words[last][1]) > width:
            last -= 1
        cut = words[last][1]
        if last == first and advance(start, cut) > width:  # one word wider than the line: break inside it
            cut = start + 1
            while cut < words[first][1] and advance(start, cut + 1) <= width:
                cut += 1
        lines.append((start, cut))
        start = cut
        while start < len(text) and text[start] == " ":
            start += 1
        first = next((n for n, (a, b) in enumerate(words) if b > start), len(words))
        if first < len(words) and words[first][0] < start:  # a word broken inside: its rest starts the line
            words[first] = (start, words[first][1])
    lines.append((start, len(text)))
    return lines


def title_spans(row: Row) -> list[tuple[int, int]]:
    """The highlight spans that fall in the title (others belong to the matched term)."""
    hit = row.hit
    if hit is None or hit.matched_field != "title" or (row.kind == RowKind.FAMILY and hit.title != row.title):
        return []
    return [(int(a), int(b)) for a, b in hit.highlights]


def shifted(spans: Sequence[Sequence[int]], start: int, end: int) -> list[tuple[int, int]]:
    """Spans clipped to text[start:end] and moved to count from start."""
    out = []
    for span in spans:
        if len(span) == 2 and int(span[1]) > start and int(span[0]) < end:
            out.append((max(int(span[0]), start) - start, min(int(span[1]), end) - start))
    return out


class ResultDelegate(QStyledItemDelegate):
    """Every size comes from the font metrics, so rows scale with the system font and DPI."""

    def __init__(self, colours: Callable[[], Colours], parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._colours = colours
        self._lines: dict[tuple[object, ...], list[tuple[int, int]]] = {}
        self._fonts: dict[str, tuple[QFont, QFont, QFont]] = {}
        self._code_widths: dict[str, int] = {}

    def fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        """The row font, its bold and its small variant (remembered per font: asked for every row)."""
        key = option.font.key()
        found = self._fonts.get(key)
        if found is None:
            base = QFont(option.font)
            bold = QFont(base)
            bold.setBold(True)
            small = QFont(base)
            if base.pointSizeF() > 0:
                small.setPointSizeF(max(base.pointSizeF() * 0.88, 6.0))
            else:  # a pixel-sized font (rare): scale that instead
                small.setPixelSize(max(int(base.pixelSize() * 0.88), 8))
            found = self._fonts[key] = (base, bold, small)
        return QFont(found[0]), QFont(found[1]), QFont(found[2])

    def _code_width(self, bold: QFont) -> int:
        key = bold.key()
        if key not in self._code_widths:
            metrics = QFontMetrics(bold)
            self._code_widths[key] = max(metrics.horizontalAdvance(sample) for sample in CODE_SAMPLES)
        return self._code_widths[key]

    @staticmethod
    def gutter(metrics: QFontMetrics) -> int:
        """The left column that holds a family's triangle (and indents its children)."""
        return metrics.averageCharWidth() * 2

    def _geometry(self, option: QStyleOptionViewItem, depth: int, rect: QRect) -> tuple[int, int, int]:
        """The code's x, the title's x and the title's width in a row's rect."""
        base, bold, _small = self.fonts(option)
        code_x = rect.left() + self.gutter(QFontMetrics(base)) * (1 + depth)
        text_x = code_x + self._code_width(bold)
        return code_x, text_x, max(10, rect.right() - text_x)

    def _title_lines(self, option: QStyleOptionViewItem, row: Row, width: int) -> list[tuple[int, int]]:
        """Where the row's title wraps; remembered, as a long list asks for every row's height often."""
        base, bold, _small = self.fonts(option)
        spans = title_spans(row)
        key = (row.title, tuple(spans), width, base.key())
        lines = self._lines.get(key)
        if lines is None:
            if len(self._lines) > LINES_CACHE:
                self._lines.clear()
            lines = line_breaks(row.title, spans, QFontMetrics(base), QFontMetrics(bold), width)
            self._lines[key] = lines
        return lines

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        base, _bold, small = self.fonts(option)
        fm, fm_small = QFontMetrics(base), QFontMetrics(small)
        pad = max(2, fm.height() // 4)
        width = fm.averageCharWidth() * 40
        view = option.widget
        if isinstance(view, QAbstractItemView):  # wrap to the width the list really has
            width = max(width, view.viewport().width())
        row = index.data(Role.ROW)
        if not isinstance(row, Row) or row.kind == RowKind.GROUP:
            return QSize(width, fm_small.height() + pad * 2)
        if row.kind == RowKind.MORE:
            return QSize(width, fm.height() + pad * 3)
        rect = QRect(0, 0, width, 1).adjusted(fm.averageCharWidth(), 0, -fm.averageCharWidth(), 0)
        lines = len(self._title_lines(option, row, self._geometry(option, row.depth, rect)[2]))
        return QSize(width, pad * 3 + fm.height() * lines + fm_small.height() + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        row = index.data(Role.ROW)
        if not isinstance(row, Row):
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        if row.kind != RowKind.GROUP:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        if row.kind == RowKind.GROUP:
            self._paint_group(painter, opt, row)
        elif row.kind == RowKind.MORE:
            self._paint_more(painter, opt, row)
        else:
            self._paint_code(painter, opt, row)
        painter.restore()

    def _text_colour(self, opt: QStyleOptionViewItem) -> QColor:
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (
            QPalette.ColorGroup.Active if opt.state & QStyle.StateFlag.State_Active else QPalette.ColorGroup.Inactive
        )
        return opt.palette.color(group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)

    def _paint_group(self, painter: QPainter, opt: QStyleOptionViewItem, row: Row) -> None:
        _base, _bold, small = self.fonts(opt)
        small.setBold(True)
        fm = QFontMetrics(small)
        colours = self._colours()
        pad = max(2, QFontMetrics(opt.font).height() // 4)
        rect = opt.rect.adjusted(fm.averageCharWidth(), pad, -fm.averageCharWidth(), -pad)
        painter.setFont(small)
        painter.setPen(QColor(colours.muted))
        painter.drawText(rect.left(), rect.top() + fm.ascent(), row.label)
        x = rect.left() + fm.horizontalAdvance(row.label) + fm.averageCharWidth()
        middle = rect.top() + fm.height() // 2
        if x < rect.right():
            painter.setPen(QColor(colours.rule))
            painter.drawLine(x, middle, rect.right(), middle)

    def _paint_more(self, painter: QPainter, opt: QStyleOptionViewItem, row: Row) -> None:
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.setFont(opt.font)
        painter.setPen(self._text_colour(opt) if selected else opt.palette.color(QPalette.ColorRole.Link))
        painter.drawText(opt.rect, Qt.AlignmentFlag.AlignCenter, row.label)

    def _paint_code(self, painter: QPainter, opt: QStyleOptionViewItem, row: Row) -> None:
        colours = self._colours()
        base, bold, small = self.fonts(opt)
        fm, fm_bold, fm_small = QFontMetrics(base), QFontMetrics(bold), QFontMetrics(small)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_colour = self._text_colour(opt)
        muted = text_colour if selected else QColor(colours.muted)
        pad = max(2, fm.height() // 4)
        rect: QRect = opt.rect.adjusted(fm.averageCharWidth(), pad, -fm.averageCharWidth(), -pad)
        code_x, text_x, text_width = self._geometry(opt, row.depth, rect)
        family = row.kind == RowKind.FAMILY
        title, spans = row.title, title_spans(row)

        line1 = rect.top() + fm.ascent()
        painter.setFont(bold)
        if family:
            painter.setPen(muted)
            painter.drawText(code_x - self.gutter(fm), line1, OPEN if row.expanded else CLOSED)
        painter.setPen(text_colour)
        painter.drawText(code_x, line1, fm_bold.elidedText(row.code, Qt.TextElideMode.ElideRight, text_x - code_x))
        lines = self._title_lines(opt, row, text_width)
        for number, (start, end) in enumerate(lines):
            pieces = runs(title[start:end], shifted(spans, start, end))
            baseline = line1 + number * fm.height()
            self._draw_runs(painter, text_x, baseline, text_width, pieces, base, bold, text_colour, colours)

        line2_top = rect.top() + fm.height() * len(lines) + pad
        line2 = line2_top + fm_small.ascent()
        x = self._draw_badge(painter, text_x, line2_top, str(row.code_set or ""), small, colours)
        painter.setFont(small)
        if family:  # how to open it is in the tooltip and the README: the row itself stays short
            count = f"{row.count} codes"
            self._draw_runs(painter, x, line2, rect.right() - x, [(count, False)], small, small, text_colour, colours)
            return
        hit = row.hit
        if hit is None:
            return
        marker = status_label(hit)
        marker_colour = QColor(
            colours.warning if hit.terminated else colours.billable if hit.billable else colours.header
        )
        painter.setPen(text_colour if selected else marker_colour)
        painter.drawText(x, line2, marker)
        x += fm_small.horizontalAdvance(marker)
        label = matched_label(hit)
        if label:
            prefix = label[: label.index("'") + 1]
            matched_spans = [list(span) for span in hit.highlights] if hit.matched_field != "title" else []
            pieces = [(" \u00b7 " + prefix, False), *runs(hit.matched_text, matched_spans), ("'", False)]
            self._draw_runs(painter, x, line2, rect.right() - x, pieces, small, small, muted, colours)

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
        """Draw text runs left to right, highlighted runs bold on a soft background; cut at the end."""
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
