"""The Whoosh schema and the JSON encoding of the detail stored with each document."""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import BOOLEAN, ID, KEYWORD, STORED, TEXT, Schema

from desktop.core import records
from desktop.core.codec import CodeAtlasCodec
from desktop.core.codes import code_key

SCHEMA_VERSION = 2

# Short function words only: "with", "without", "due", "other" carry meaning in code titles.
STOP_WORDS = frozenset({"a", "an", "and", "the", "of", "or", "to", "in", "on", "by", "for", "as", "at"})

T = TypeVar("T")

# CodeRecord fields that have their own stored field: the detail JSON leaves them out and
# record_from_stored() puts them back (for a PCS code that is everything it holds).
STORED_RECORD_FIELDS = ("code_set", "code", "title", "kind", "parent", "billable", "short_title", "terminated", "order")


def text_analyzer() -> Any:
    """Lower-cased, stemmed words; single characters kept ('type 2', 'C')."""
    return StemmingAnalyzer(stoplist=STOP_WORDS, minsize=1)


def build_schema() -> Schema:
    """One schema for every document: codes, guideline sections, definitions, cross-references.

    Word fields keep no positions (phrase=False): no query asks for word order (phrases are all-word
    matches ranked by the search cache), and positions were four fifths of the postings (title: 16 MB, 3 MB without).
    """
    analyzer = text_analyzer()
    return Schema(
        # Codes are found by key (find_document): indexed, 205k unique ids cost 30 MB of terms and postings.
        id=STORED(),
        ref=ID(),  # the id of documents without a code key: guideline sections, definitions, device aggregation
        code=STORED(),  # display form; look codes up by `key` or `id`
        key=ID(stored=True),  # code_key(code): E119, 0DTJ4ZZ, J9035, LT
        code_set=ID(stored=True),
        kind=ID(stored=True),
        title=TEXT(analyzer=analyzer, phrase=False, stored=True),
        short_title=TEXT(analyzer=analyzer, phrase=False, stored=True),
        inclusion=TEXT(analyzer=analyzer, phrase=False),  # inclusion terms
        index_terms=TEXT(analyzer=analyzer, phrase=False),  # alphabetic / table / PCS index paths
        extra=TEXT(analyzer=analyzer, phrase=False),  # drug names, body part key terms
        billable=BOOLEAN(stored=True),
        terminated=BOOLEAN(stored=True),
        parent=ID(stored=True),
        applies=KEYWORD(commas=True, lowercase=True),  # guideline applicability keys
        order=STORED(),  # official order, sorted in Python (indexed as a number it cost 105k terms, 13 MB)
        detail=STORED(),  # JSON, see encode()/decode(); Whoosh compresses stored fields itself
    )


def index_codec() -> CodeAtlasCodec:
    """The codec the builder writes with. Whoosh unpickles it from the TOC when an index opens, so every
    program that opens an index imports desktop.core.codec through this module (also a frozen one)."""
    return CodeAtlasCodec()


_FIELDS: dict[type, tuple[tuple[str, Any], ...]] = {}


def _fields_of(cls: type) -> tuple[tuple[str, Any], ...]:
    # dataclasses.fields() and is_dataclass() on each of ~3 M values were a fifth of the index write.
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = tuple((f.name, f.default) for f in dataclasses.fields(cls))
    return found


# Values _plain returns as they are: most of a record's ~15 fields, not worth a call each (a full build
# makes ~3 M of them).
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """Plain data (dicts, lists, str, numbers) of a record; fields left at their default are omitted."""
    if type(value) in _SCALARS:
        return value
    if hasattr(type(value), "__dataclass_fields__"):  # a dataclass instance (a dataclass itself is a type)
        out: dict[str, Any] = {}
        missing = dataclasses.MISSING
        scalars = _SCALARS
        for name, default in _fields_of(type(value)):
            item = getattr(value, name)
            if default is not missing and item == default:
                continue
            out[name] = item if type(item) in scalars else _plain(item)
        return out
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def plain(value: Any) -> Any:
    """What encode() writes, before it is written: dicts, lists and scalars."""
    return _plain(value)


def encode(value: Any) -> str:
    """Compact JSON of a record (defaults omitted) or of plain data holding records."""
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"))


_Builder = Callable[[Any], Any] | None  # turns plain data into the annotated type; None: kept as it is
_BUILDERS: dict[Any, _Builder] = {}
_PLANS: dict[type, dict[str, _Builder]] = {}


def _builder(tp: Any) -> _Builder:
    """How plain data becomes tp, worked out once per annotation (asking typing for every value was
    most of the time of decoding a code's detail)."""
    if tp in _BUILDERS:
        return _BUILDERS[tp]
    built: _Builder = None
    origin = typing.get_origin(tp)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _builder(args[0])
            built = tuple if item is None else (lambda data: tuple(map(item, data)))  # type: ignore[arg-type]
        else:
            parts = [_builder(arg) for arg in args]
            built = lambda data: tuple(  # noqa: E731
                value if part is None else part(value) for part, value in zip(parts, data, strict=True)
            )
    elif origin in (typing.Union, types.UnionType):
        built = None
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        built = tp
    elif isinstance(tp, type) and dataclasses.is_dataclass(tp):
        cls = tp
        built = lambda data: from_plain(cls, data)  # noqa: E731
    _BUILDERS[tp] = built
    return built


def _plan(cls: type) -> dict[str, _Builder]:
    """Each field's builder, once per class: get_type_hints evaluates every annotation string on each
    call (uncached it was half the time of opening a HCPCS code, 384 modifiers decoded)."""
    plan = _PLANS.get(cls)
    if plan is None:
        hints = typing.get_type_hints(cls, vars(records))
        plan = _PLANS[cls] = {name: _builder(tp) for name, tp in hints.items()}
    return plan


def from_plain(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a records dataclass from its plain (JSON) form."""
    plan = _plan(cls)
    kwargs = {}
    for name, value in data.items():
        if name in plan:
            build = plan[name]
            kwargs[name] = value if build is None else build(value)
    return cls(**kwargs)


def decode(cls: type[T], text: str) -> T:
    return from_plain(cls, json.loads(text))


def record_from_stored(stored: dict[str, Any]) -> records.CodeRecord:
    """A code's record from its stored fields and detail (indexes of format 2 hold it all in the detail)."""
    detail = stored.get("detail")
    data = json.loads(detail) if detail else {}
    plain = dict(data.get("record") or {})
    for name in STORED_RECORD_FIELDS:
        if name not in plain and stored.get(name) not in (None, ""):
            plain[name] = stored[name]
    return from_plain(records.CodeRecord, plain)


def stored_terms(stored: dict[str, Any]) -> list[list[str]]:
    """The index terms stored with a code: [source, text, column, code] each."""
    detail = stored.get("detail")
    terms: list[list[str]] = json.loads(detail).get("terms", []) if detail else []
    return terms


def find_document(reader: Any, doc_key: str) -> int | None:
    """The number of the document whose id is doc_key ("ICD-10-CM:E11.9", "ICD-10-PCS:def:0:3:resection").

    A code is found through its key (a key can be in two code sets: the stored id decides); the other
    documents through `ref`. Indexes of format 2 index the id itself.
    """
    schema = reader.schema
    if "ref" not in schema:
        return _first(reader, "id", doc_key)
    code = doc_key.partition(":")[2]
    if code and ":" not in code:
        for number in _numbers(reader, "key", code_key(code)):
            if reader.stored_fields(number).get("id") == doc_key:
                return int(number)
    return _first(reader, "ref", doc_key)


def _numbers(reader: Any, field: str, text: str) -> list[int]:
    if not text:
        return []
    try:
        return list(reader.postings(field, text).all_ids())
    except Exception:  # whoosh raises TermNotFound (and friends) for an unknown term
        return []


def _first(reader: Any, field: str, text: str) -> int | None:
    found = _numbers(reader, field, text)
    return int(found[0]) if found else None
