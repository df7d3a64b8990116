"""Favourites, recent codes and settings, kept as JSON files in the user data folder."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FAVOURITES_FILE = "favourites.json"
RECENT_FILE = "recent.json"
SETTINGS_FILE = "settings.json"
RECENT_LIMIT = 40

_WHAT = {FAVOURITES_FILE: "favourites", RECENT_FILE: "recent codes", SETTINGS_FILE: "settings"}


@dataclass(frozen=True, slots=True)
class SavedCode:
    """A code the user starred or opened, with its title as it was then."""

    code_set: str
    code: str
    title: str = ""

    def to_json(self) -> dict[str, str]:
        return {"code_set": self.code_set, "code": self.code, "title": self.title}

    @classmethod
    def from_json(cls, data: Any) -> SavedCode | None:
        """None for an entry that is not a code (files edited by hand keep loading)."""
        if not isinstance(data, dict):
            return None
        code_set, code, title = data.get("code_set"), data.get("code"), data.get("title", "")
        if not isinstance(code_set, str) or not isinstance(code, str) or not code:
            return None
        return cls(code_set, code, title if isinstance(title, str) else "")


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON so that a crash mid-write leaves the old file intact (temp file + os.replace)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
        _sync_folder(path.parent)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles to sync."""
    if os.name == "nt":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def remove_stale_temp_files(folder: Path) -> None:
    """Temp files of writes that a crash or a kill interrupted; the real files are intact."""
    for stale in folder.glob(".*.tmp"):
        stale.unlink(missing_ok=True)


def read_json_tolerant(
    path: Path,
    expected: type,
    now: Callable[[], dt.datetime] = dt.datetime.now,
) -> tuple[Any, str]:
    """The file's data (or None) and a message for the user when the file had to be set aside.

    A file that is not valid JSON, or not of the expected top-level type, is renamed to
    '<name>.corrupt-<time>' so the user's data is kept for inspection and the app starts fresh.
    """
    what = _WHAT.get(path.name, path.name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, ""
    except UnicodeDecodeError:
        return _set_aside(path, what, now)
    except OSError as exc:
        return None, f"Your {what} could not be read ({exc.strerror or exc}); starting without them."
    try:
        data = json.loads(text)
    except ValueError:
        return _set_aside(path, what, now)
    if not isinstance(data, expected):
        return _set_aside(path, what, now)
    return data, ""


def _set_aside(path: Path, what: str, now: Callable[[], dt.datetime]) -> tuple[None, str]:
    stamp = now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    try:
        os.replace(path, target)
    except OSError as exc:
        return None, f"Your {what} file {path} is damaged and could not be set aside ({exc}); it was ignored."
    return None, f"Your {what} file was damaged; it was kept as {target.name} and a fresh one was started."


class UserData:
    """The user's favourites, recent codes and settings; every change is written at once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[str] = []  # messages for the user about files that were set aside
        if folder.is_dir():
            remove_stale_temp_files(folder)
        self.favourites: list[SavedCode] = self._load_codes(FAVOURITES_FILE)
        self.recent: list[SavedCode] = self._load_codes(RECENT_FILE)
        settings, problem = read_json_tolerant(folder / SETTINGS_FILE, dict)
        self._note(problem)
        self.settings: dict[str, Any] = settings or {}

    def _note(self, problem: str) -> None:
        if problem:
            self.problems.append(problem)

    def _load_codes(self, name: str) -> list[SavedCode]:
        data, problem = read_json_tolerant(self.folder / name, list)
        self._note(problem)
        codes = [SavedCode.from_json(item) for item in data or []]
        return [code for code in codes if code is not None]

    def _write(self, name: str, data: Any) -> None:
        try:
            write_json_atomic(self.folder / name, data)
        except OSError as exc:
            # A read-only or full disk must not stop a coder from working; say so once.
            self._note(f"Could not save {_WHAT.get(name, name)} to {self.folder} ({exc.strerror or exc}).")

    # Favourites

    def is_favourite(self, code_set: str, code: str) -> bool:
        return any(f.code_set == code_set and f.code == code for f in self.favourites)

    def set_favourite(self, saved: SavedCode, starred: bool) -> None:
        """Star (newest first; one already starred keeps its place) or unstar a code."""
        key = (saved.code_set, saved.code)
        if starred and self.is_favourite(*key):
            self.favourites = [saved if (f.code_set, f.code) == key else f for f in self.favourites]
        elif starred:
            self.favourites = [saved, *self.favourites]
        else:
            self.favourites = [f for f in self.favourites if (f.code_set, f.code) != key]
        self._write(FAVOURITES_FILE, [f.to_json() for f in self.favourites])

    def order_favourites(self, ordered: list[SavedCode]) -> None:
        """Keep the order the user gave (dragged in the side list); codes not named keep their place after."""
        named = {(f.code_set, f.code) for f in ordered}
        current = {(f.code_set, f.code) for f in self.favourites}
        kept = [f for f in ordered if (f.code_set, f.code) in current]
        self.favourites = kept + [f for f in self.favourites if (f.code_set, f.code) not in named]
        self._write(FAVOURITES_FILE, [f.to_json() for f in self.favourites])

    # Recent codes

    def add_recent(self, saved: SavedCode) -> None:
        rest = [r for r in self.recent if (r.code_set, r.code) != (saved.code_set, saved.code)]
        self.recent = [saved, *rest][:RECENT_LIMIT]
        self._write(RECENT_FILE, [r.to_json() for r in self.recent])

    def clear_recent(self) -> None:
        self.recent = []
        self._write(RECENT_FILE, [])

    # Settings

    def setting(self, key: str, default: Any = None) -> Any:
        return self.settings.get(key, default)

    def set_settings(self, **values: Any) -> None:
        """Keep values; a call that changes nothing writes nothing (every start restores the saved filters,
        which set them again: two fsyncs on the way to the first result)."""
        if all(key in self.settings and self.settings[key] == value for key, value in values.items()):
            return
        self.settings.update(values)
        self._write(SETTINGS_FILE, self.settings)
