"""A second comparison baseline: tantivy (Rust, BM25) over the same rows as the FTS5 baseline (bench-only extra).

pip install ".[bench]" installs the pinned tantivy; without it the benchmarks leave this baseline out.
"""

from __future__ import annotations

import time
from pathlib import Path

import tantivy
from fts_baseline import BaselineHit, code_rows

from desktop.core.search.query import clean, code_candidate, tokens

TEXT_FIELDS = ("title", "short_title", "index_terms", "inclusion", "extra")
BOOSTS = {"title": 1.0, "short_title": 0.5, "index_terms": 1.2, "inclusion": 1.1, "extra": 0.8}  # as FTS5's bm25


def build(index_folder: Path, folder: Path) -> tuple[TantivyBaseline, float]:
    """Index every code document's texts (English stemming) and its code key, like the FTS5 table."""
    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    schema = tantivy.SchemaBuilder()
    for name in TEXT_FIELDS:
        schema.add_text_field(name, stored=False, tokenizer_name="en_stem")
    schema.add_text_field("key", stored=False, tokenizer_name="raw")
    schema.add_text_field("code", stored=True, tokenizer_name="raw")
    schema.add_text_field("code_set", stored=True, tokenizer_name="raw")
    schema.add_text_field("title_stored", stored=True, tokenizer_name="raw", index_option="basic")
    schema.add_integer_field("terminated", stored=False, indexed=True)
    schema.add_integer_field("grouping", stored=False, indexed=True)
    schema.add_integer_field("ord", stored=False, fast=True)
    index = tantivy.Index(schema.build(), path=str(folder))
    writer = index.writer(heap_size=200_000_000, num_threads=1)
    for row in code_rows(index_folder):
        writer.add_document(
            tantivy.Document(
                title=row.title,
                short_title=row.short_title,
                index_terms=row.index_terms,
                inclusion=row.inclusion,
                extra=row.extra,
                key=row.key,
                code=row.code,
                code_set=row.code_set,
                title_stored=row.title,
                terminated=int(row.terminated),
                grouping=int(row.kind in ("chapter", "section")),
                ord=row.order,
            )
        )
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return TantivyBaseline(index), time.perf_counter() - started


class TantivyBaseline:
    """What a straightforward tantivy search does: key terms for codes, BM25 over the words, last one as a prefix."""

    def __init__(self, index: tantivy.Index) -> None:
        self.index = index
        self.searcher = index.searcher()
        self.schema = index.schema
        # Leave terminated codes out by a MustNot on the few of them (a Must on the many current ones is slow).
        self._current = (tantivy.Occur.MustNot, tantivy.Query.term_query(self.schema, "terminated", 1))

    def _hits(self, query: tantivy.Query, limit: int) -> list[BaselineHit]:
        found = self.searcher.search(query, limit)
        hits = []
        for _score, address in found.hits:
            doc = self.searcher.doc(address)
            hits.append(BaselineHit(doc["code"][0], doc["code_set"][0], doc["title_stored"][0]))
        return hits

    def search(self, text: str, limit: int = 50) -> list[BaselineHit]:
        cleaned = clean(text)
        hits: list[BaselineHit] = []
        key = code_candidate(cleaned)
        must = tantivy.Occur.Must
        if key:
            exact = tantivy.Query.term_query(self.schema, "key", key)
            under = tantivy.Query.phrase_prefix_query(self.schema, "key", [key])  # at most 50 expansions
            listed = tantivy.Query.boolean_query(
                [(must, under), (tantivy.Occur.MustNot, tantivy.Query.term_query(self.schema, "grouping", 1))]
            )
            either = tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, tantivy.Query.boost_query(exact, 10.0)), (tantivy.Occur.Should, listed)]
            )
            hits += self._hits(tantivy.Query.boolean_query([(must, either), self._current]), limit)
            if hits and any(c.isdigit() for c in cleaned):
                return hits[:limit]
        words = [t.word for t in tokens(cleaned)][:10]
        if not words:
            return hits
        partial = not text[-1:].isspace()
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = [self._current]
        for n, word in enumerate(words):
            forms = [
                (tantivy.Occur.Should, self.index.parse_query(f'"{word}"', list(TEXT_FIELDS), field_boosts=BOOSTS))
            ]
            if partial and n == len(words) - 1:  # tantivy's as-you-type query: at most 50 expansions
                forms += [
                    (tantivy.Occur.Should, tantivy.Query.phrase_prefix_query(self.schema, name, [word]))
                    for name in TEXT_FIELDS
                ]
            clauses.append((must, tantivy.Query.boolean_query(forms)))
        seen = {(h.code, h.code_set) for h in hits}
        found = self._hits(tantivy.Query.boolean_query(clauses), limit)
        hits += [hit for hit in found if (hit.code, hit.code_set) not in seen]
        return hits[:limit]
