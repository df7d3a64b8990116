"""What a search did, said above the results: spelling corrected, words that matched nothing, no results."""

from __future__ import annotations

import html

from desktop.core.records import SearchResult

_EDGE_PUNCTUATION = "\"'`.,;:!?()[]{}<>%&*#@$^~|\\/+=_-"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def searched_words(result: SearchResult) -> str:
    """The words the engine really searched: the correction, or the typed words less the ignored ones."""
    if result.corrected_query:
        return result.corrected_query
    ignored = {word.strip(_EDGE_PUNCTUATION).casefold() for word in result.ignored_words}
    ignored |= {word.casefold() for word in result.ignored_words}
    kept = [
        word.strip(_EDGE_PUNCTUATION)
        for word in result.query.split()
        if word.casefold() not in ignored and word.strip(_EDGE_PUNCTUATION).casefold() not in ignored
    ]
    return " ".join(word for word in kept if word)


def empty_result_text(result: SearchResult) -> str:
    """Rich text shown above an empty list."""
    return f"No results for \u201c{esc(result.query.strip())}\u201d."


def search_notice(result: SearchResult, say_empty: bool = True) -> str:
    """Rich text (code-set and typed text escaped) for the line above the results; '' when nothing to say."""
    parts: list[str] = []
    corrected = result.corrected_query.strip()
    if corrected and corrected.casefold() != result.query.strip().casefold():
        parts.append(f"Showing results for <b>{esc(corrected)}</b>")
    if result.ignored_words:
        words = ", ".join(esc(word) for word in result.ignored_words)
        searched = searched_words(result)
        if searched and not corrected:
            parts.append(f"No match for {words}: searched <b>{esc(searched)}</b>")
        else:
            parts.append(f"No match for {words}")
    if not parts and result.note:
        parts.append(esc(result.note))
    if not result.hits and say_empty:
        parts.append(empty_result_text(result))
    return " \u00b7 ".join(parts)
