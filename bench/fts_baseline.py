"""The comparison baseline: a plain SQLite FTS5 search over the same records, built from the Whoosh index."""

from __future__ import annotations

import json
import re
import sqlite3
import time
import zlib
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
    ix = FileStorage(str(index_folder), supports_mmap=False).open_index()
    with ix.reader() as reader:
        rows, texts = [], []
        for docnum, stored in reader.iter_docs():
            if stored.get("kind") not in CODE_KINDS:
                continue
            data = _detail(stored)
            record = data.get("record", {})
            terms = "\n".join(str(t[1]) for t in data.get("terms", []) if len(t) > 1)
            inclusion = "\n".join(
                n.get("text", "") for n in record.get("notes", []) if n.get("kind") == NoteKind.INCLUSION_TERM.value
            )
            extra = "\n".join(record.get("search_terms", []))
            rows.append(
                (
                    docnum,
                    stored.get("code", ""),
                    stored.get("key", ""),
                    stored.get("code_set", ""),
                    stored.get("kind", ""),
                    stored.get("title", ""),
                    int(bool(stored.get("billable"))),
                    int(bool(stored.get("terminated"))),
                    int(stored.get("order") or 0),
                )
            )
            texts.append((docnum, stored.get("title", ""), stored.get("short_title", ""), terms, inclusion, extra))
    ix.close()
    db.executemany("INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?)", rows)
    db.executemany(
        "INSERT INTO fts (rowid, title, short_title, index_terms, inclusion, extra) VALUES (?,?,?,?,?,?)", texts
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
