"""Adds new official files to the user's sources and rebuilds the index from them: inspect, then apply."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from desktop.core import paths
from desktop.core.manifest import Manifest, sha256
from index_build.build import (
    BuildCancelled,
    build_index,
    candidate_files,
    discover,
    discover_file,
    explain_skipped,
    remove_leftovers,
)
from index_build.sources import code_set_modules, icd10cm
from index_build.sources.base import Log, SourceError, SourceFile
from index_build.sources.hcpcs.detect import CODE_KINDS as HCPCS_CODE_KINDS
from index_build.sources.icd10pcs.detect import TABLES as PCS_TABLES

__all__ = [
    "BuildCancelled",
    "PickedFile",
    "UpdatePlan",
    "all_source_dirs",
    "apply",
    "base_source_dirs",
    "inspect",
]

# The file whose release is the code set's release (the others are notes, indexes, guidelines).
MAIN_KINDS = frozenset({icd10cm.TABULAR, PCS_TABLES, *HCPCS_CODE_KINDS})
ADD, REPLACE, PRESENT = "add", "replace", "present"


def _recorded_folders(index_folder: Path) -> list[Path]:
    manifest = Manifest.read_if_any(index_folder)
    recorded = manifest.source_folders if manifest is not None else []
    return [Path(item) for item in recorded if isinstance(item, str)]


def base_source_dirs(index_folder: Path | None = None) -> list[Path]:
    """Folders besides the user's own that the current index was (or may have been) built from.

    The folders the index's manifest records, CODEATLAS_SOURCES, and a bundled resources/sources
    folder: a rebuild reads them again so that updating one code set never drops another.
    """
    candidates = _recorded_folders(index_folder or paths.index_dir())
    env = paths.sources_dir()
    if env is not None:
        candidates.append(env)
    candidates.append(paths.bundled_sources_dir())
    user = paths.user_sources_dir().resolve()
    found: list[Path] = []
    for folder in candidates:
        resolved = folder.resolve()
        if not folder.is_dir() or resolved == user or user in resolved.parents or resolved in found:
            continue
        found.append(resolved)
    return found


def all_source_dirs(index_folder: Path | None = None) -> list[Path]:
    """Every folder a full rebuild should read: the base folders and the user's own sources."""
    user = paths.user_sources_dir()
    return [*base_source_dirs(index_folder), *([user] if user.is_dir() else [])]


@dataclass(frozen=True, slots=True)
class PickedFile:
    """One file the user picked (or found in a picked folder), what it holds and what will happen to it."""

    path: Path
    name: str  # as shown: the file name, or its path inside a picked folder
    contents: tuple[SourceFile, ...] = ()  # what it holds (one entry per recognised zip member)
    other_members: tuple[str, ...] = ()  # members of a zip that are not code-set files
    target: Path | None = None  # where it is copied among the user's sources
    action: str = ""  # ADD, REPLACE (a different file of the same name and release) or PRESENT
    present_as: str = ""  # the file that already holds the same bytes
    rejected: str = ""  # why the file is not used

    @property
    def recognised(self) -> bool:
        return bool(self.contents) and not self.rejected


@dataclass
class UpdatePlan:
    """What inspect() found; nothing has been copied or built yet."""

    files: list[PickedFile]
    source_dirs: list[Path]  # the other folders the rebuild reads
    user_sources: Path
    out_dir: Path
    current: dict[str, str] = field(default_factory=dict)  # code set -> release in the index now
    after: dict[str, str] = field(default_factory=dict)  # code set -> release the rebuilt index will hold
    lost: list[str] = field(default_factory=list)  # code sets in the index now that the rebuild would drop
    warnings: list[str] = field(default_factory=list)

    @property
    def recognised(self) -> list[PickedFile]:
        return [picked for picked in self.files if picked.recognised]

    @property
    def rejected(self) -> list[PickedFile]:
        return [picked for picked in self.files if not picked.recognised]

    @property
    def to_copy(self) -> list[PickedFile]:
        return [picked for picked in self.recognised if picked.action in (ADD, REPLACE)]

    @property
    def buildable(self) -> bool:
        return bool(self.recognised)


class _Existing:
    """The files already available to a rebuild, found by size first so that few are hashed."""

    def __init__(self, roots: Iterable[Path]) -> None:
        self._by_size: dict[int, list[Path]] = defaultdict(list)
        self._hashes: dict[Path, str] = {}
        for root in roots:
            for path, _ in candidate_files(root):
                self.add(path)

    def add(self, path: Path, digest: str = "") -> None:
        self._by_size[path.stat().st_size].append(path)
        if digest:
            self._hashes[path] = digest

    def same_as(self, path: Path, digest: str) -> Path | None:
        """An available file with this name and these bytes (a release may be named only by its file name)."""
        for other in self._by_size.get(path.stat().st_size, []):
            if other.resolve() == path.resolve():
                return other
            if other.name != path.name:
                continue
            if other not in self._hashes:
                self._hashes[other] = sha256(other)
            if self._hashes[other] == digest:
                return other
        return None


def _slug(text: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", text).strip("_") or "unknown"


def _target(user_sources: Path, path: Path, contents: tuple[SourceFile, ...]) -> Path:
    """sources/<code set>/<effective date>/<file name>: a newer release sits beside the older one."""
    main = next((source for source in contents if source.kind in MAIN_KINDS), contents[0])
    known = main.effective and not main.effective.startswith("0000")
    release = main.effective if known else "unknown-release"
    return user_sources / _slug(str(main.code_set)) / _slug(release) / path.name


def _picked_files(paths_: Iterable[Path]) -> Iterable[tuple[Path, str | None]]:
    for picked in dict.fromkeys(Path(p) for p in paths_):
        if picked.is_dir():
            for path, label in candidate_files(picked):
                yield path, f"{picked.name}/{label}"
        elif picked.is_file():
            yield picked, picked.name
        else:
            yield picked, None


def _read_picked(path: Path, label: str, modules: Any) -> PickedFile:
    try:
        found, others = discover_file(path, modules, label)
    except SourceError as exc:
        return PickedFile(path, label, rejected=exc.reason)
    except OSError as exc:
        return PickedFile(path, label, rejected=f"cannot be read ({exc.strerror or exc})")
    if not found:
        if path.suffix.lower() == ".zip":
            return PickedFile(
                path,
                label,
                other_members=tuple(others),
                rejected="is a zip archive without any code-set file CodeAtlas reads",
            )
        return PickedFile(path, label, rejected=explain_skipped(path))
    members = tuple(name.split("!", 1)[-1] for name in others)
    return PickedFile(path, label, tuple(found), members)


def _releases(sources: Iterable[SourceFile]) -> dict[str, SourceFile]:
    newest: dict[str, SourceFile] = {}
    for source in sources:
        held = newest.get(str(source.code_set))
        if source.kind in MAIN_KINDS and (held is None or source.effective > held.effective):
            newest[str(source.code_set)] = source
    return newest


def _current_releases(index_folder: Path) -> dict[str, str]:
    manifest = Manifest.read_if_any(index_folder)
    try:
        entries = manifest.code_sets if manifest is not None else []
        return {str(entry["code_set"]): str(entry["release"]) for entry in entries}
    except KeyError:
        return {}


def inspect(
    paths_: list[Path],
    *,
    out_dir: Path | None = None,
    source_dirs: list[Path] | None = None,
) -> UpdatePlan:
    """List what the picked files and folders hold (code set, release, file) and what is not used."""
    modules = code_set_modules()
    user = paths.user_sources_dir()
    bases = base_source_dirs() if source_dirs is None else source_dirs
    existing = _Existing([*bases, *([user] if user.is_dir() else [])])
    files: list[PickedFile] = []
    targets: dict[Path, str] = {}
    for path, label in _picked_files(paths_):
        if label is None:
            files.append(PickedFile(path, path.name, rejected="does not exist"))
            continue
        picked = _read_picked(path, label, modules)
        if picked.recognised:
            picked = _place(picked, user, existing, targets)
        files.append(picked)
    plan = UpdatePlan(files, bases, user, out_dir or paths.user_index_dir())
    _preview(plan, modules)
    return plan


def _place(picked: PickedFile, user: Path, existing: _Existing, targets: dict[Path, str]) -> PickedFile:
    """Where the file goes, or that it is already there (same bytes anywhere a rebuild reads)."""
    digest = sha256(picked.path)
    same = existing.same_as(picked.path, digest)
    if same is not None:
        return replace(picked, action=PRESENT, present_as=str(same))
    target = _target(user, picked.path, picked.contents)
    if target in targets:
        return replace(
            picked, rejected=f"has the same name and release as {targets[target]}, picked too: pick only one of them"
        )
    targets[target] = picked.name
    existing.add(picked.path, digest)
    return replace(picked, target=target, action=REPLACE if target.exists() else ADD)


def _preview(plan: UpdatePlan, modules: Any) -> None:
    """Fill in the releases now and after the rebuild, and warn about anything the user would lose."""
    index_folder = paths.index_dir()
    plan.current = _current_releases(index_folder)
    try:
        present, _ = discover(_build_roots(plan, {}), modules)
        present.append(icd10cm.packaged_tabular())  # the builder always adds it
    except SourceError as exc:
        plan.warnings.append(f"A file the rebuild reads is damaged: {exc}")
        return
    present.extend(source for picked in plan.recognised for source in picked.contents)
    after = _releases(present)
    plan.after = {code_set: source.release for code_set, source in after.items()}
    for code_set, release in plan.current.items():
        if code_set not in plan.after and code_set != "CPT":  # CPT lives in its own index
            plan.lost.append(code_set)
            plan.warnings.append(
                f"The current index holds {code_set} {release}, but its official files are not available "
                f"here: the rebuilt index would not have {code_set}. Add its files too."
            )
    for picked in plan.to_copy:
        older = {
            (str(source.code_set), source.release): after[str(source.code_set)].release
            for source in picked.contents
            if source.kind in MAIN_KINDS
            and str(source.code_set) in after
            and source.effective < after[str(source.code_set)].effective
        }
        for (code_set, release), newest in older.items():
            plan.warnings.append(
                f"{picked.name} holds {code_set} {release}, older than {newest}: it is kept, and {newest} stays in use."
            )
    if os.environ.get(paths.ENV_INDEX):
        plan.warnings.append(
            f"{paths.ENV_INDEX} is set: CodeAtlas opens {os.environ[paths.ENV_INDEX]}, "
            f"not the updated index in {plan.out_dir}."
        )


def _build_roots(plan: UpdatePlan, staged: dict[Path, Path]) -> list[Path]:
    """The base folders, the user's files minus those being replaced, and the new files."""
    replaced = {picked.target for picked in plan.to_copy if picked.action == REPLACE}
    user = plan.user_sources
    user_files = [path for path, _ in candidate_files(user)] if user.is_dir() else []
    return [*plan.source_dirs, *(path for path in user_files if path not in replaced), *staged.values()]


class _SourceCommit:
    """Moves the staged files into the user's sources just before the swap; undone if the swap fails."""

    def __init__(
        self, plan: UpdatePlan, staged: dict[Path, Path], before_swap: Callable[[], None] | None, log: Log
    ) -> None:
        self._plan, self._staged, self._before_swap, self._log = plan, staged, before_swap, log
        self.moves: list[tuple[Path, Path]] = []
        self.created: list[Path] = []  # folders made here, removed again by undo()

    def __call__(self) -> None:
        if self._before_swap is not None:
            self._before_swap()
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        for target, staged in self._staged.items():
            if target.exists():
                backup = paths.replaced_sources_dir() / stamp / target.relative_to(self._plan.user_sources)
                self._move(target, backup)
                self._log(f"  kept the previous {target.name} in {backup.parent}")
            self._move(staged, target)

    def _move(self, source: Path, target: Path) -> None:
        missing = [folder for folder in (target.parent, *target.parent.parents) if not folder.exists()]
        target.parent.mkdir(parents=True, exist_ok=True)
        self.created.extend(reversed(missing))
        os.replace(source, target)
        self.moves.append((source, target))

    def undo(self) -> None:
        for source, target in reversed(self.moves):
            try:
                os.replace(target, source)
            except OSError:
                continue  # best effort: the index itself is what must stay intact, and it is
        for folder in reversed(self.created):
            try:
                folder.rmdir()
            except OSError:
                continue  # not empty after all: keep it
        self.moves, self.created = [], []


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise BuildCancelled()


def apply(
    plan: UpdatePlan,
    log: Log = print,
    cancel: threading.Event | None = None,
    *,
    before_swap: Callable[[], None] | None = None,
) -> Manifest:
    """Copy the recognised files into the user's sources and rebuild the index into plan.out_dir.

    The rebuild reads the base folders and every file the user added before, so updating one code
    set keeps the others. A cancel (checked between files and before the swap) or a failure leaves
    the previous index and the user's sources exactly as they were. Returns the new manifest.
    """
    if not plan.buildable:
        raise ValueError("Nothing to add: none of the chosen files is an official code-set file CodeAtlas reads.")
    staging = plan.user_sources.parent / f".sources-incoming-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    remove_leftovers(plan.user_sources.parent / "sources-incoming")  # copies of an update that was killed
    staged: dict[Path, Path] = {}
    commit = _SourceCommit(plan, staged, before_swap, log)
    try:
        for picked in plan.to_copy:
            _check(cancel)
            assert picked.target is not None
            copy = staging / picked.target.relative_to(plan.user_sources)
            copy.parent.mkdir(parents=True, exist_ok=True)
            where = picked.target.parent.relative_to(plan.user_sources)
            log(f"Copying {picked.name} to your sources ({where})")
            shutil.copyfile(picked.path, copy)
            staged[picked.target] = copy
        _check(cancel)
        roots = _build_roots(plan, staged)
        manifest = build_index(
            plan.out_dir,
            roots,
            log,
            cancel=cancel,
            before_swap=commit,
            source_folders=[*plan.source_dirs, plan.user_sources],
        )
    except BaseException:
        commit.undo()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest
