"""Colours the palette has no role for (badges, markers, highlights), light and dark, without Qt."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.records import CodeSet


@dataclass(frozen=True, slots=True)
class Colours:
    """Colours used where the palette has no role for them (badges, markers, highlights)."""

    dark: bool
    badges: dict[str, str]  # code set -> badge background
    badge_text: str
    highlight_bg: str  # matched words
    highlight_fg: str
    billable: str
    header: str  # not billable: muted
    warning: str  # terminated codes
    muted: str
    rule: str  # table borders


LIGHT = Colours(
    dark=False,
    badges={CodeSet.ICD10CM: "#1f5fae", CodeSet.ICD10PCS: "#1b7a55", CodeSet.HCPCS: "#7a3fa0", CodeSet.CPT: "#a8432d"},
    badge_text="#ffffff",
    highlight_bg="#ffe58a",
    highlight_fg="#1a1a1a",
    billable="#1b7a35",
    header="#6b6b6b",
    warning="#b3261e",
    muted="#5f6368",
    rule="#c8c8c8",
)
DARK = Colours(
    dark=True,
    badges={CodeSet.ICD10CM: "#3d7fd1", CodeSet.ICD10PCS: "#2f9a6e", CodeSet.HCPCS: "#9a63c4", CodeSet.CPT: "#c9634b"},
    badge_text="#ffffff",
    highlight_bg="#7a6300",
    highlight_fg="#ffffff",
    billable="#6fcf7f",
    header="#a0a0a0",
    warning="#ff8a80",
    muted="#a8adb3",
    rule="#4a4d52",
)
