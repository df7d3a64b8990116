"""The comparison baseline: a plain SQLite FTS5 search over the same records, built from the Whoosh index."""

from __future__ import annotations

import json
import re
import sqlite3
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage

from desktop.core.records import Kind, NoteKind
from desktop.core.search.query import clean, code_candidate

CODE_KINDS = tuple(str(k) for k in Kind if k not in (Kind.XREF, Kind.GUIDELINE, Kind.DEFINITION))


@dataclass(frozen=True)
class BaselineHit:
    code: str
    code_set: str
    title: str


def _detail(stored: dict[str, Any]) -> dict[str, Any]:
    raw = stored.get("detail") or ""
    if isinstance(raw, bytes):
        raw = zlib.decompress(raw).decode("utf-8")
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


@dataclass(frozen=True)
class CodeRow:
    """One code document's fields and searchable texts, as both baselines index them."""

    docnum: int
    code: str
    key: str
    code_set: str
    kind: str
    title: str
    short_title: str
    index_terms: str
    inclusion: str
    extra: str
    billable: bool
    terminated: bool
    order: int


def code_rows(index_folder: Path) -> Iterator[CodeRow]:
    """Every code document of the Whoosh index (guidelines, definitions and cross-references left out)."""
    ix = FileStorage(str(index_folder), supports_mmap=False).open_index()
    try:
        with ix.reader() as reader:
            for docnum, stored in reader.iter_docs():
                if stored.get("kind") not in CODE_KINDS:
                    continue
                data = _detail(stored)
                record = data.get("record", {})
                notes = record.get("notes", [])
                yield CodeRow(
                    docnum,
                    stored.get("code", ""),
                    stored.get("key", ""),
                    stored.get("code_set", ""),
                    stored.get("kind", ""),
                    stored.get("title", ""),
                    stored.get("short_title", "") or "",
                    "\n".join(str(t[1]) for t in data.get("terms", []) if len(t) > 1),
                    "\n".join(n.get("text", "") for n in notes if n.get("kind") == NoteKind.INCLUSION_TERM.value),
                    "\n".join(record.get("search_terms", [])),
                    bool(stored.get("billable")),
                    bool(stored.get("terminated")),
                    int(stored.get("order") or 0),
                )
    finally:
        ix.close()


def build(index_folder: Path, database: Path) -> tuple[sqlite3.Connection, float]:
    """Copy every code document into an FTS5 table (porter stemming, like the Whoosh analyzer)."""
    started = time.perf_counter()
    if database.exists():
        database.unlink()
    db = sqlite3.connect(str(database), check_same_thread=False)
    db.execute(
        "CREATE TABLE docs (rowid INTEGER PRIMARY KEY, code TEXT, key TEXT, code_set TEXT, kind TEXT, "
        "title TEXT, billable INTEGER, terminated INTEGER, ord INTEGER)"
    )
    db.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(title, short_title, index_terms, inclusion, extra, "
        "content='', tokenize='porter unicode61')"
    )
    rows = list(code_rows(index_folder))
    db.executemany(
        "INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?)",
        [
            (r.docnum, r.code, r.key, r.code_set, r.kind, r.title, int(r.billable), int(r.terminated), r.order)
            for r in rows
        ],
    )
    db.executemany(
        "INSERT INTO fts (rowid, title, short_title, index_terms, inclusion, extra) VALUES (?,?,?,?,?,?)",
        [(r.docnum, r.title, r.short_title, r.index_terms, r.inclusion, r.extra) for r in rows],
    )
    db.execute("CREATE INDEX docs_key ON docs (key)")
    db.commit()
    return db, time.perf_counter() - started


_WORD = re.compile(r"\w+", re.UNICODE)


class Baseline:
    """What a straightforward FTS5 search would do: key lookups for codes, bm25 over words."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def search(self, text: str, limit: int = 50) -> list[BaselineHit]:
        cleaned = clean(text)
        hits: list[BaselineHit] = []
        key = code_candidate(cleaned)
        if key:
            rows = self.db.execute(
                "SELECT code, code_set, title FROM docs WHERE terminated = 0 AND (key = ? OR (key > ? AND key < ? "
                "AND kind NOT IN ('chapter', 'section'))) ORDER BY key != ?, key, ord LIMIT ?",
                (key, key, key + "~", key, limit),
            ).fetchall()
            hits += [BaselineHit(*row) for row in rows]
            if hits and any(c.isdigit() for c in cleaned):
                return hits[:limit]
        words = [w.lower() for w in _WORD.findall(cleaned)][:10]
        if not words:
            return hits
        match = " ".join(f'"{w}"' for w in words[:-1])
        last = words[-1]
        match = f'{match} "{last}"*' if not text[-1:].isspace() else f'{match} "{last}"'
        try:
            rows = self.db.execute(
                "SELECT d.code, d.code_set, d.title FROM fts JOIN docs d ON d.rowid = fts.rowid "
                "WHERE fts MATCH ? AND d.terminated = 0 ORDER BY bm25(fts, 1.0, 0.5, 1.2, 1.1, 0.8) LIMIT ?",
                (match.strip(), limit),
            ).fetchall()
        except sqlite3.OperationalError:
            rows = []
        seen = {(h.code, h.code_set) for h in hits}
        hits += [BaselineHit(*row) for row in rows if (row[0], row[1]) not in seen]
        return hits[:limit]
