"""Small Office files built byte by byte for the upload tests (no sample files in the repository)."""

import io
import struct
import zipfile

FREE, END, FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def _entry(name: str, kind: int, *, child=FREE, right=FREE, start=END, size=0) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB3I", len(encoded), kind, 1, FREE, right, child)
        + b"\0" * 16  # CLSID
        + b"\0" * 4  # state
        + b"\0" * 16  # times
        + struct.pack("<IQ", start, size)
    )


def doc_bytes(*, macros: bool = False) -> bytes:
    """An OLE2 compound file holding a WordDocument stream (and a Macros storage if asked)."""
    data_sectors = 8  # 4096 bytes: at the mini-stream cutoff, so it lives in ordinary sectors
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, data_sectors + 1, 0, 4096, END, 0, END, 0)
        + struct.pack("<109I", data_sectors, *[FREE] * 108)
    )
    # Sectors: the WordDocument stream first (where Word puts it), then the FAT, then the directory.
    fat = [*range(1, data_sectors), END, FAT, END]
    fat_sector = struct.pack(f"<{len(fat)}I", *fat) + struct.pack(f"<{128 - len(fat)}I", *[FREE] * (128 - len(fat)))
    directory = (
        _entry("Root Entry", 5, child=1)
        + _entry("WordDocument", 2, right=2 if macros else FREE, start=0, size=4096)
        + (_entry("Macros", 1) if macros else _entry("", 0))
        + _entry("", 0)
    )
    word_document = b"\xec\xa5\xc1\x00".ljust(4096, b"\0")  # the FIB's magic number
    return header + word_document + fat_sector + directory


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()
