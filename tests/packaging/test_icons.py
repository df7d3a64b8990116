"""The app icon files: .ico and .icns containers around PNGs, and the committed files are well formed."""

from __future__ import annotations

import struct
from pathlib import Path

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_MAGIC)
    return struct.unpack(">II", data[16:24])


def _ico_entries(data: bytes) -> list[tuple[int, bytes]]:
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    entries = []
    for i in range(count):
        width, _h, _c, _r, _planes, _bits, size, offset = struct.unpack("<BBBBHHII", data[6 + 16 * i : 22 + 16 * i])
        entries.append((width or 256, data[offset : offset + size]))
    return entries


def test_ico_bytes_points_at_each_png(load):
    make_icons = load("make_icons")
    pngs = {16: PNG_MAGIC + struct.pack(">II", 16, 16), 256: PNG_MAGIC + b"x" * 8 + struct.pack(">II", 256, 256)}
    entries = _ico_entries(make_icons.ico_bytes(pngs))
    assert [(size, blob) for size, blob in entries] == [(16, pngs[16]), (256, pngs[256])]


def test_icns_bytes_lengths_add_up(load):
    make_icons = load("make_icons")
    data = make_icons.icns_bytes({16: b"a" * 10, 256: b"b" * 20, 77: b"ignored"})
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    assert data[8:12] == b"icp4" and struct.unpack(">I", data[12:16])[0] == 18
    assert data[26:30] == b"ic08" and struct.unpack(">I", data[30:34])[0] == 28
    assert len(data) == 8 + 18 + 28


def test_committed_icons_are_complete():
    png = (ICONS / "codeatlas.png").read_bytes()
    assert _png_size(png) == (256, 256)
    entries = _ico_entries((ICONS / "codeatlas.ico").read_bytes())
    assert [size for size, _ in entries] == [16, 24, 32, 48, 64, 128, 256]
    assert all(_png_size(blob) == (size, size) for size, blob in entries)
    icns = (ICONS / "codeatlas.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert b"ic10" in icns  # 1024 px for Retina Finder views


def test_render_png_draws_the_svg(load):
    png = load("make_icons").render_png(ICONS / "codeatlas.svg", 32)
    assert _png_size(png) == (32, 32)
