"""A smaller libicudata for the Linux bundle: ICU's data without the trees Qt never reads.

PySide6's Qt Core links ICU for collation (QCollator, the file dialog's sort), legacy text codecs
(QStringDecoder), time-zone names and locale case mapping: `nm -D libQt6Core.so.6 | grep _73` lists
ucol_*, ucnv_*, ucal_* and u_strTo{Upper,Lower} only. Those read the coll/, zone/ and region/ trees, the
converters (*.cnv), the locale and supplemental data at the top and the normalisation data, all kept.
Nothing reaches word and line breaking (brkitr/), units, currencies and language names (unit/, curr/,
lang/), transliteration (translit/), number spell-out (rbnf/), StringPrep (*.spp) or spoof checks
(*.cfu): 14 of ICU 73's 32 MB, dropped.

ICU finds its data through one symbol (icudt73_dat) in libicudata.so.73: the trimmed data is linked
into a library of that name with the same symbol, so nothing else in the bundle changes.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path, PurePosixPath

Entry = tuple[str, str, str]  # PyInstaller TOC entry: (name in bundle, source path, typecode)

DROPPED_TREES = ("brkitr", "unit", "curr", "lang", "translit", "rbnf")
DROPPED_SUFFIXES = (".spp", ".cfu")
_ALIGN = 16  # ICU's pkgdata aligns every item to 16 bytes; readers rely on it
_LIBRARY = re.compile(r"^libicudata\.so\.(\d+)$")


def _symbol_bytes(blob: bytes, symbol: str) -> bytes:
    """The bytes of one dynamic symbol of a 64-bit little-endian ELF library (libicudata's data)."""
    if blob[:4] != b"\x7fELF" or blob[4] != 2 or blob[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF library")
    shoff, shentsize, shnum = struct.unpack_from("<Q", blob, 0x28)[0], *struct.unpack_from("<HH", blob, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", blob, shoff + i * shentsize) for i in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strings = sections[link][4]
        for at in range(offset, offset + size, entsize):
            name_at, _info_b, _other, index, value, length = struct.unpack_from("<IBBHQQ", blob, at)
            end = blob.index(b"\0", strings + name_at)
            if blob[strings + name_at : end].decode("ascii") == symbol and index:
                section = sections[index]
                start = value - section[3] + section[4]  # address -> file offset within its section
                return blob[start : start + length]
    raise ValueError(f"no symbol {symbol} in this library")


def read_items(data: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """(the common data's header, [(item name, item bytes)] in table-of-contents order).

    The header is MappedData (uint16 size, magic 0xda 0x27) and UDataInfo (format "CmnD"); the table of
    contents after it is a count, then (name offset, data offset) pairs counted from the table's start.
    """
    header_size = struct.unpack_from("<H", data, 0)[0]
    if data[2:4] != b"\xda\x27" or data[12:16] != b"CmnD":
        raise ValueError("not ICU common data (CmnD)")
    count = struct.unpack_from("<I", data, header_size)[0]
    entries = [struct.unpack_from("<II", data, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for number, (name_offset, data_offset) in enumerate(entries):
        name_start = header_size + name_offset
        name = data[name_start : data.index(b"\0", name_start)].decode("ascii")
        stop = header_size + entries[number + 1][1] if number + 1 < count else len(data)
        items.append((name, data[header_size + data_offset : stop]))
    return data[:header_size], items


def write_common_data(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """ICU common data (format CmnD 1) holding items, sorted by name as ICU's binary search expects."""
    items = sorted(items, key=lambda item: item[0].encode("ascii"))
    count = len(items)
    names = b""
    name_offsets = []
    table_size = 4 + 8 * count
    for name, _ in items:
        name_offsets.append(table_size + len(names))
        names += name.encode("ascii") + b"\0"
    data_start = table_size + len(names)
    data_start += -(len(header) + data_start) % _ALIGN
    table = struct.pack("<I", count)
    body = b""
    for (_, data), name_offset in zip(items, name_offsets, strict=True):
        table += struct.pack("<II", name_offset, data_start + len(body))
        body += data + b"\0" * (-len(data) % _ALIGN)
    padding = b"\0" * (data_start - table_size - len(names))
    return header + table + names + padding + body


def kept(name: str) -> bool:
    """False for an item of a tree or kind that Qt's ICU calls never read."""
    parts = PurePosixPath(name).parts  # icudt73l/coll/root.res
    inner = parts[1:]
    if len(inner) > 1 and inner[0] in DROPPED_TREES:
        return False
    return not name.endswith(DROPPED_SUFFIXES)


def trimmed_library(library: Path, work: Path) -> Path | None:
    """A libicudata.so.N like library without the dropped items, built with the C compiler; None when
    there is no compiler (the original library is shipped then)."""
    match = _LIBRARY.match(library.name)
    compiler = shutil.which("cc") or shutil.which("gcc")
    if match is None or compiler is None:
        return None
    symbol = f"icudt{match.group(1)}_dat"
    header, items = read_items(_symbol_bytes(library.read_bytes(), symbol))
    data = write_common_data(header, [item for item in items if kept(item[0])])
    work.mkdir(parents=True, exist_ok=True)
    (work / "icudata.dat").write_bytes(data)
    assembly = work / "icudata.S"
    assembly.write_text(
        f"\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n{symbol}:\n"
        f'\t.incbin "{work / "icudata.dat"}"\n\t.size {symbol}, .-{symbol}\n'
        '\t.section .note.GNU-stack,"",@progbits\n',
        encoding="ascii",
    )
    target = work / library.name
    subprocess.run(
        [compiler, "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-o", str(target), str(assembly)],
        check=True,
    )
    return target


def with_trimmed_library(binaries: list[Entry], work: Path) -> list[Entry]:
    """binaries with libicudata.so.N coming from the trimmed library (unchanged without a compiler)."""
    replaced = []
    for dest, source, typecode in binaries:
        if typecode == "BINARY" and _LIBRARY.match(PurePosixPath(dest).name):
            trimmed = trimmed_library(Path(source), work)
            if trimmed is None:
                print(f"warning: no C compiler: {dest} is shipped whole (32 MB)")
            else:
                source = str(trimmed)
        replaced.append((dest, source, typecode))
    return replaced
