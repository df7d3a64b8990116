"""The trimmed ICU data of the Linux bundle: same layout ICU reads, and Qt's ICU calls answer as before."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

# What Qt Core asks ICU (collation, codecs, time-zone names, locale casing), printed as JSON.
QT_ICU_CALLS = """
import json
from PySide6.QtCore import QCollator, QLocale, QStringConverter, QStringDecoder, QTimeZone
words = ["zebra", "\\u00c4pfel", "apple", "file10", "file9", "\\u00d6lbaum", "\\u00e9clair", "ch", "cz"]
out = {}
for name in ("en_US", "de_DE", "sv_SE", "cs_CZ"):
    collator = QCollator(QLocale(name))
    collator.setNumericMode(True)
    out[name] = sorted(words, key=collator.sortKey)
out["codecs"] = len(QStringConverter.availableCodecs())
out["decoders"] = [QStringDecoder(name).isValid() for name in ("windows-1252", "Shift_JIS", "KOI8-R")]
zone = QTimeZone(b"Europe/Berlin")
out["zone"] = [zone.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, QLocale(name))
               for name in ("en_US", "de_DE")]
out["upper"] = QLocale("tr_TR").toUpper("istanbul")
with open("/proc/self/maps") as maps:
    out["loaded"] = sorted({line.split()[-1] for line in maps if "libicudata" in line})
print(json.dumps(out, ensure_ascii=False))
"""


def _header(count_note: bytes = b"CmnD") -> bytes:
    # MappedData (size 32, magic da 27) + UDataInfo (20 bytes: size, reserved, endianness..., format) + padding
    info = struct.pack("<HHBBBB", 20, 0, 0, 0, 2, 0) + count_note + bytes([1, 0, 0, 0]) + bytes([73, 1, 0, 0])
    return struct.pack("<HBB", 32, 0xDA, 0x27) + info + b"\0" * (32 - 4 - len(info))


def test_common_data_round_trips_sorted_and_aligned(load):
    icu = load("icu_data")
    items = [
        ("icudt73l/zone/de.res", b"z" * 5),
        ("icudt73l/brkitr/word.brk", b"b" * 20),
        ("icudt73l/cnvalias.icu", b"c"),
    ]
    data = icu.write_common_data(_header(), items)
    header, read = icu.read_items(data)
    assert header == _header()
    assert [name for name, _ in read] == ["icudt73l/brkitr/word.brk", "icudt73l/cnvalias.icu", "icudt73l/zone/de.res"]
    assert [body.rstrip(b"\0") for _, body in read] == [b"b" * 20, b"c", b"z" * 5]
    count = struct.unpack_from("<I", data, 32)[0]
    offsets = [struct.unpack_from("<II", data, 32 + 4 + 8 * i)[1] for i in range(count)]
    assert all((32 + offset) % 16 == 0 for offset in offsets)  # ICU reads every item 16-byte aligned
    with pytest.raises(ValueError, match="CmnD"):
        icu.read_items(b"\0" * 64)


def test_only_trees_qt_never_reads_are_dropped(load):
    icu = load("icu_data")
    assert not icu.kept("icudt73l/brkitr/word.brk")
    assert not icu.kept("icudt73l/translit/root.res")
    assert not icu.kept("icudt73l/rfc3491.spp")
    for name in (
        "icudt73l/coll/root.res",
        "icudt73l/zone/de.res",
        "icudt73l/ibm-943_P15A-2003.cnv",
        "icudt73l/cnvalias.icu",
        "icudt73l/de.res",
        "icudt73l/nfkc.nrm",
        "icudt73l/region/de.res",
    ):
        assert icu.kept(name), name


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PySide6 ships ICU on Linux only")
@pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None, reason="needs a C compiler")
def test_trimmed_library_answers_qt_like_the_whole_one(load, tmp_path):
    import PySide6

    icu = load("icu_data")
    library = next((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    trimmed = icu.trimmed_library(library, tmp_path)
    assert trimmed is not None and trimmed.name == library.name
    assert trimmed.stat().st_size < library.stat().st_size * 0.6
    entries = icu.with_trimmed_library([(f"PySide6/Qt/lib/{library.name}", str(library), "BINARY")], tmp_path)
    assert entries == [(f"PySide6/Qt/lib/{library.name}", str(trimmed), "BINARY")]

    def answers(preload: Path | None) -> dict[str, object]:
        env = dict(os.environ)
        if preload is not None:
            env["LD_PRELOAD"] = str(preload)  # replaces the library of that soname for Qt's ICU
        done = subprocess.run([sys.executable, "-c", QT_ICU_CALLS], env=env, capture_output=True, text=True, check=True)
        return json.loads(done.stdout)

    whole = answers(None)
    assert whole.pop("loaded") == [str(library.resolve())]
    assert whole["sv_SE"][-2:] == ["\u00c4pfel", "\u00d6lbaum"] and whole["upper"] == "\u0130STANBUL"
    smaller = answers(trimmed)
    assert smaller.pop("loaded") == [str(trimmed)]
    assert smaller == whole
