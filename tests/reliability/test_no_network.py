"""CodeAtlas never touches the network: starting it, searching and opening every tab opens no socket.

The app runs in a fresh process (desktop.app.run, offscreen) so that sys.modules shows what the app
itself imports. Python-level network calls are blocked and recorded (socket methods and an audit hook);
sockets Qt might open from C++ are looked for in /proc at the end, where available.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = r"""
import json, os, socket, sys
from pathlib import Path

attempts = []
NETWORK_EVENTS = {"socket.connect", "socket.bind", "socket.getaddrinfo", "socket.gethostbyname",
                  "socket.gethostbyaddr", "socket.sendto", "socket.sendmsg", "urllib.Request",
                  "http.client.connect", "ftplib.connect", "smtplib.connect"}

def audit(event, args):
    if event in NETWORK_EVENTS:
        attempts.append(f"{event} {args!r}"[:200])

def refuse(*args, **kwargs):
    attempts.append(f"call {args!r}"[:200])
    raise OSError("CodeAtlas must not use the network")

sys.addaudithook(audit)
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.core.records import CodeSet

report = {}

def inet_sockets():
    # Sockets this process holds that are TCP/UDP (not local unix sockets), from /proc.
    if not os.path.isdir("/proc/self/fd"):
        return None
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # the descriptor listdir itself used, closed by now
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    report["unix_or_other_sockets"] = len(inodes)
    found = []
    for table in ("tcp", "tcp6", "udp", "udp6", "raw", "raw6"):
        try:
            lines = Path(f"/proc/self/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        found += [f"{table} {line.split()[1]}" for line in lines if line.split()[9] in inodes]
    return found

def drive():
    from desktop.main_window import MainWindow
    from desktop.smoke import _wait_for_results, check_code

    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    report["windows"] = len(windows)
    window = windows[0]
    report["checks"] = [check_code(window, CodeSet(code_set), code)
                        for code_set, code in (("ICD-10-CM", "E11.9"), ("ICD-10-PCS", "0DTJ4ZZ"),
                                               ("HCPCS", "J9035"), ("HCPCS", "LT"))]
    words = _wait_for_results(window, "diabetes")
    report["words"] = [hit.code for hit in words.hits] if words else None
    QApplication.instance().quit()

app = QApplication(["codeatlas", "-platform", "offscreen"])
QTimer.singleShot(0, drive)
from desktop.app import run
report["exit"] = run(["codeatlas"])
report["attempts"] = attempts
report["qt_network"] = sorted(name for name in sys.modules if "QtNetwork" in name or "QtWebEngine" in name)
report["net_modules"] = sorted(name for name in ("urllib.request", "http.client", "requests", "ssl")
                               if name in sys.modules)
report["inet_sockets"] = inet_sockets()
print("REPORT " + json.dumps(report))
"""


@pytest.fixture(scope="module")
def report(small_index: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    data = tmp_path_factory.mktemp("no-network-user")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "CODEATLAS_INDEX": str(small_index),
        "CODEATLAS_DATA_DIR": str(data),
    }
    done = subprocess.run([sys.executable, "-c", APP], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    lines = [line for line in done.stdout.splitlines() if line.startswith("REPORT ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    result: dict = json.loads(lines[-1][len("REPORT ") :])
    return result


def test_the_app_really_ran(report: dict) -> None:
    """Guards the test itself: the window opened, found each code and rendered every tab."""
    assert report["exit"] == 0 and report["windows"] == 1
    assert [ok for ok, _ in report["checks"]] == [True] * 4, report["checks"]
    assert report["words"] and "E11.9" in report["words"]


def test_no_network_call_was_attempted(report: dict) -> None:
    assert report["attempts"] == []


def test_no_network_module_is_imported(report: dict) -> None:
    assert report["qt_network"] == []
    assert report["net_modules"] == []


@pytest.mark.skipif(not Path("/proc/self/net/tcp").exists(), reason="needs Linux /proc to list sockets")
def test_no_tcp_or_udp_socket_is_open(report: dict) -> None:
    assert report["inet_sockets"] == []
