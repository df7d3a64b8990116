"""The dialogs' one job thread: results, failures and cancels arrive on the GUI thread; no close mid-job."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.dialogs.job_dialog import JobDialog
from index_build.build import BuildCancelled


class _Recorder(JobDialog):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, Any, bool, str]] = []

    def _note(self, kind: str, value: Any) -> None:
        self.events.append((kind, value, self.running, threading.current_thread().name))

    def _on_job_progressed(self, line: str) -> None:
        self._note("line", line)

    def _on_job_succeeded(self, result: Any) -> None:
        self._note("ok", result)

    def _on_job_failed(self, message: str) -> None:
        self._note("failed", message)

    def _on_job_cancelled(self) -> None:
        self._note("cancelled", None)


def _run(qtbot: QtBot, job: Callable[[Callable[[str], None]], Any]) -> _Recorder:
    dialog = _Recorder()
    qtbot.addWidget(dialog)
    dialog.start_job(job)
    qtbot.waitUntil(lambda: not dialog.running and bool(dialog.events) and dialog.events[-1][0] != "line")
    return dialog


def _job_returning(log: Callable[[str], None]) -> str:
    log("reading a.txt")
    log("writing")
    return "the manifest"


def test_lines_then_the_result_on_the_gui_thread(qtbot: QtBot) -> None:
    dialog = _run(qtbot, _job_returning)
    main = threading.main_thread().name
    assert dialog.events == [
        ("line", "reading a.txt", True, main),
        ("line", "writing", True, main),
        ("ok", "the manifest", False, main),  # the thread is released before the handler runs
    ]


def _failing(log: Callable[[str], None]) -> None:
    raise OSError("disk full")


def _cancelled(log: Callable[[str], None]) -> None:
    raise BuildCancelled()


def _silent_failure(log: Callable[[str], None]) -> None:
    raise ValueError()


@pytest.mark.parametrize(
    ("job", "expected"),
    [
        (_failing, ("failed", "disk full")),
        (_cancelled, ("cancelled", None)),
        (_silent_failure, ("failed", "ValueError")),
    ],
)
def test_failures_and_cancels_are_reported(qtbot: QtBot, job: Any, expected: tuple[str, Any]) -> None:
    dialog = _run(qtbot, job)
    assert [event[:2] for event in dialog.events] == [expected]


def test_cannot_close_or_start_another_while_a_job_runs(qtbot: QtBot) -> None:
    gate = threading.Event()
    dialog = _Recorder()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start_job(lambda log: gate.wait(10))
    with pytest.raises(RuntimeError, match="already running"):
        dialog.start_job(_job_returning)
    dialog.reject()
    assert not dialog.close()
    assert dialog.isVisible() and dialog.running
    gate.set()
    qtbot.waitUntil(lambda: not dialog.running)
    assert dialog.events[-1][:2] == ("ok", True)
    assert dialog.close()
