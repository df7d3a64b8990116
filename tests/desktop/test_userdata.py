"""Favourites, recent codes and settings: atomic writes, and damaged files set aside, never a crash."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from desktop.core import userdata as userdata_module
from desktop.core.userdata import (
    FAVOURITES_FILE,
    RECENT_FILE,
    RECENT_LIMIT,
    SETTINGS_FILE,
    SavedCode,
    UserData,
    read_json_tolerant,
    write_json_atomic,
)

E119 = SavedCode("ICD-10-CM", "E11.9", "Type 2 diabetes mellitus without complications")
J9035 = SavedCode("HCPCS", "J9035", "Injection, bevacizumab, 10 mg")
S72 = SavedCode("ICD-10-CM", "S72.001A", "Fracture of unspecified part of neck of right femur, initial encounter")


def test_changes_are_written_and_read_back(tmp_path: Path) -> None:
    data = UserData(tmp_path)
    data.set_favourite(J9035, True)
    data.set_favourite(E119, True)
    data.add_recent(E119)
    data.set_settings(theme="dark", filters={"billable_only": True})

    again = UserData(tmp_path)
    assert again.favourites == [E119, J9035]  # newest first
    assert again.is_favourite("HCPCS", "J9035")
    assert again.recent == [E119]
    assert again.setting("theme") == "dark"
    assert again.setting("filters") == {"billable_only": True}
    assert again.problems == []

    again.set_favourite(J9035, False)
    assert [f.code for f in UserData(tmp_path).favourites] == ["E11.9"]


def test_settings_that_change_nothing_are_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = UserData(tmp_path)
    written: list[object] = []
    write = userdata_module.write_json_atomic
    monkeypatch.setattr(
        userdata_module, "write_json_atomic", lambda path, value: written.append(value) or write(path, value)
    )
    data.set_settings(theme="dark", filters={"billable_only": False})
    data.set_settings(filters={"billable_only": False})  # as every start restores the saved filters
    data.set_settings(theme="dark")
    assert len(written) == 1
    data.set_settings(theme="light")
    assert len(written) == 2
    assert UserData(tmp_path).settings == {"theme": "light", "filters": {"billable_only": False}}


def test_favourites_keep_the_order_the_user_gave(tmp_path: Path) -> None:
    """Newest first; a reorder (dragged in the side list) is written and read back; starring again keeps the place."""
    data = UserData(tmp_path)
    for saved in (J9035, E119, S72):
        data.set_favourite(saved, True)
    assert [f.code for f in data.favourites] == ["S72.001A", "E11.9", "J9035"]
    data.order_favourites([J9035, S72, E119])
    assert [f.code for f in UserData(tmp_path).favourites] == ["J9035", "S72.001A", "E11.9"]
    data.set_favourite(SavedCode("ICD-10-CM", "E11.9", "New title"), True)  # starred again: same place
    assert [(f.code, f.title) for f in UserData(tmp_path).favourites][2] == ("E11.9", "New title")
    data.order_favourites([E119, SavedCode("HCPCS", "A0000")])  # a code no longer starred is not added
    assert [f.code for f in UserData(tmp_path).favourites] == ["E11.9", "J9035", "S72.001A"]


def test_recent_codes_are_newest_first_without_duplicates_and_capped(tmp_path: Path) -> None:
    data = UserData(tmp_path)
    for number in range(RECENT_LIMIT + 5):
        data.add_recent(SavedCode("HCPCS", f"A{number:04d}"))
    data.add_recent(SavedCode("HCPCS", "A0010"))
    codes = [r.code for r in UserData(tmp_path).recent]
    assert len(codes) == RECENT_LIMIT
    assert codes[0] == "A0010" and codes.count("A0010") == 1
    assert codes[1] == f"A{RECENT_LIMIT + 4:04d}"


def test_atomic_write_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "settings.json"
    write_json_atomic(target, {"a": 1})
    write_json_atomic(target, {"a": 2})
    assert json.loads(target.read_text(encoding="utf-8")) == {"a": 2}
    assert [p.name for p in target.parent.iterdir()] == ["settings.json"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "favourites.json"
    write_json_atomic(target, [E119.to_json()])

    def explode(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(userdata_module.json, "dump", explode)
    with pytest.raises(OSError):
        write_json_atomic(target, [])
    monkeypatch.undo()
    assert json.loads(target.read_text(encoding="utf-8")) == [E119.to_json()]
    assert [p.name for p in tmp_path.iterdir()] == ["favourites.json"]


def test_save_failure_is_reported_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = UserData(tmp_path)

    def refuse(*_args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(userdata_module, "write_json_atomic", refuse)
    data.add_recent(E119)
    assert data.recent == [E119]
    assert "Could not save recent codes" in data.problems[0]


@pytest.mark.parametrize("content", ["{not json", '{"a": 1}', "\udcff"])
def test_damaged_favourites_are_set_aside(tmp_path: Path, content: str) -> None:
    path = tmp_path / FAVOURITES_FILE
    if content == "\udcff":
        path.write_bytes(b"\xff\xfe\x00garbage")  # not UTF-8 at all
    else:
        path.write_text(content, encoding="utf-8")  # '{"a": 1}' is JSON, but not a list
    data = UserData(tmp_path)
    assert data.favourites == []
    assert len(data.problems) == 1
    assert "favourites file was damaged" in data.problems[0]
    kept = list(tmp_path.glob(f"{FAVOURITES_FILE}.corrupt-*"))
    assert len(kept) == 1 and not path.exists()
    data.set_favourite(E119, True)  # a fresh file is started
    assert UserData(tmp_path).favourites == [E119]


def test_set_aside_name_carries_the_time(tmp_path: Path) -> None:
    path = tmp_path / SETTINGS_FILE
    path.write_text("[1, 2", encoding="utf-8")
    data, message = read_json_tolerant(path, dict, now=lambda: dt.datetime(2026, 7, 1, 9, 30, 5))
    assert data is None
    assert (tmp_path / "settings.json.corrupt-20260701-093005").read_text(encoding="utf-8") == "[1, 2"
    assert "settings.json.corrupt-20260701-093005" in message


def test_unreadable_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / RECENT_FILE).mkdir()  # a folder where the file should be: reading fails with OSError
    data = UserData(tmp_path)
    assert data.recent == []
    assert any("recent codes could not be read" in p for p in data.problems)
    assert (tmp_path / RECENT_FILE).is_dir()


def test_bad_entries_are_skipped(tmp_path: Path) -> None:
    (tmp_path / RECENT_FILE).write_text(
        json.dumps(
            [
                E119.to_json(),
                {"code": 5},
                "J9035",
                {"code_set": "HCPCS", "code": "J9035", "title": None},
            ]
        ),
        encoding="utf-8",
    )
    data = UserData(tmp_path)
    assert data.recent == [E119, SavedCode("HCPCS", "J9035", "")]
    assert data.problems == []


def test_missing_folder_is_fine(tmp_path: Path) -> None:
    data = UserData(tmp_path / "new")
    assert (data.favourites, data.recent, data.settings, data.problems) == ([], [], {}, [])
    data.set_settings(theme="light")
    assert (tmp_path / "new" / SETTINGS_FILE).is_file()
