"""Words that say the same thing in code titles (femoral / femur, renal / kidney; laparoscopic / percutaneous
endoscopic), and the procedure words that mean a query is about ICD-10-PCS."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from desktop.core.paths import resources_dir
from desktop.core.search.query import stem, tokens

ANATOMY_FILE = "anatomy.tsv"
PROCEDURE_FILE = "procedure_words.tsv"
PROCEDURE_KINDS = ("operation", "word", "approach", "suffix", "root")
ROOT_LENGTH = 3  # a word split at its suffix keeps at least this much of a root ('col' of colotomy)


def parse_pairs(lines: Iterable[str], source: str = ANATOMY_FILE) -> list[tuple[str, str]]:
    """Read 'word<TAB>word' lines ('#' starts a comment); raises ValueError naming the line of a bad one."""
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(lines, 1):
        text = line.rstrip("\n")
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        parts = text.split("\t")
        if len(parts) != 2 or any(len(tokens(part)) != 1 or part != part.strip().lower() for part in parts):
            raise ValueError(f"{source}, line {number}: expected 'adjective<TAB>noun', one lower-case word each")
        pairs.append((parts[0], parts[1]))
    return pairs


@dataclass(frozen=True, slots=True)
class ProcedureWord:
    """One line of procedure_words.tsv."""

    kind: str  # operation, word, approach, suffix
    typed: str
    title_words: tuple[str, ...]


def parse_procedure_words(lines: Iterable[str], source: str = PROCEDURE_FILE) -> list[ProcedureWord]:
    """Read 'kind<TAB>typed word<TAB>title words (comma-separated, - for none)' lines; '#' starts a comment."""
    found: list[ProcedureWord] = []
    for number, line in enumerate(lines, 1):
        text = line.rstrip("\n")
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        parts = text.split("\t")
        words = (
            tuple(w.strip() for w in parts[2].split(",") if w.strip() and w.strip() != "-") if len(parts) == 3 else ()
        )
        if len(parts) != 3 or parts[0] not in PROCEDURE_KINDS or not parts[1].strip() or not parts[2].strip():
            raise ValueError(
                f"{source}, line {number}: expected 'kind<TAB>typed word<TAB>title words', kind one of "
                + ", ".join(PROCEDURE_KINDS)
            )
        found.append(ProcedureWord(parts[0], parts[1].strip().lower(), words))
    return found


class Equivalents:
    """Index forms that count as one another when matching a query word."""

    def __init__(self, pairs: Iterable[tuple[str, str]], procedures: Iterable[ProcedureWord] = ()) -> None:
        found: dict[str, set[str]] = {}
        for first, second in pairs:
            a, b = stem(first), stem(second)
            if a != b:
                found.setdefault(a, set()).add(b)
                found.setdefault(b, set()).add(a)
        self._signals: set[str] = set()
        suffixes: list[str] = []
        self._roots: dict[str, str] = {}  # combining form -> the title word it stands for (pyelo -> pelvis)
        for entry in procedures:
            if entry.kind == "suffix":
                suffixes.append(entry.typed)
                # The suffix as a word of its own counts as its root operations ('ectomy' -> excision, resection).
                found.setdefault(stem(entry.typed), set()).update(stem(w) for w in entry.title_words)
                continue
            if entry.kind == "root":
                self._roots[entry.typed] = entry.title_words[0] if entry.title_words else entry.typed
                continue
            typed = "".join(t.stem for t in tokens(entry.typed)) or entry.typed
            self._signals.add(typed)
            for word in entry.title_words:  # one way: the typed word finds the title word, not back
                if stem(word) != typed:
                    found.setdefault(typed, set()).add(stem(word))
        self._suffixes = tuple(suffixes)
        self._by_length = tuple(sorted(suffixes, key=len, reverse=True))  # 'myotomy' before 'otomy'
        self._forms = {word: tuple(sorted(others)) for word, others in found.items()}

    @classmethod
    def load(cls, folder: Path | None = None) -> Equivalents:
        """The project's anatomy and procedure tables from resources/; empty tables for missing files."""
        folder = folder or resources_dir()
        texts = []
        for name in (ANATOMY_FILE, PROCEDURE_FILE):
            try:
                texts.append((folder / name).read_text(encoding="utf-8").splitlines())
            except OSError:
                texts.append([])
        return cls(parse_pairs(texts[0], ANATOMY_FILE), parse_procedure_words(texts[1], PROCEDURE_FILE))

    def means_procedure(self, words: Iterable[str], stems: Iterable[str]) -> bool:
        """The query names a procedure: a root operation, procedure word, approach or -ectomy-like word."""
        return any(s in self._signals for s in stems) or any(w.endswith(self._suffixes) for w in words)

    def split(self, word: str) -> tuple[str, tuple[str, ...]] | None:
        """A suffix-formed procedure word as (suffix, roots to try): 'pyloromyotomy' -> ('myotomy',
        ('pyloro', 'pylor')), 'pyelolithotomy' -> ('lithotomy', ('pelvis', ...)); None when it is not one."""
        for suffix in self._by_length:
            root = word[: -len(suffix)]
            if word.endswith(suffix) and len(root) >= ROOT_LENGTH and root.isalpha():
                roots = [root, root[:-1]] if root.endswith(("o", "i")) and len(root) > ROOT_LENGTH else [root]
                mapped = [self._roots[r] for r in roots if r in self._roots]
                return suffix, tuple(dict.fromkeys(mapped + roots))
        return None

    def __len__(self) -> int:
        return len(self._forms)

    def of(self, stemmed: str) -> tuple[str, ...]:
        """The other forms of one index form ('femor' -> ('femur',))."""
        return self._forms.get(stemmed, ())

    def for_stems(self, stems: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Wanted.alternatives for the query's words."""
        return tuple((s, self._forms[s]) for s in dict.fromkeys(stems) if s in self._forms)
