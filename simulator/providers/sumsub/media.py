"""Image bytes: small real PNGs made deterministically, and what an uploaded file is.

Images the applicant "uploads" on the hosted page (auto mode) are generated here from a seed, so
downloads return a real, decodable picture; uploaded files are sniffed by their magic bytes the
way Sumsub classifies them (accepted / unsupported / corrupted).
"""

from __future__ import annotations

import struct
import zlib

ACCEPTED = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"%PDF": "application/pdf",
    b"GIF8": "image/gif",
    b"\x1aE\xdf\xa3": "video/webm",
}
UNSUPPORTED = (b"II*\x00", b"MM\x00*", b"BM")  # TIFF (both byte orders), BMP


def sniff(data: bytes) -> str | None:
    """The mime type of an accepted file, ``"unsupported"``, or None (corrupted / unknown)."""
    for magic, mime in ACCEPTED.items():
        if data.startswith(magic):
            return mime
    if data[4:8] == b"ftyp":
        return "video/quicktime" if data[8:10] == b"qt" else ("image/heic" if data[8:12] == b"heic" else "video/mp4")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(UNSUPPORTED):
        return "unsupported"
    return None


def dimensions(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG or JPEG; (0, 0) for anything else."""
    if data.startswith(b"\x89PNG") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            length = struct.unpack(">H", data[i + 2 : i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return width, height
            i += 2 + length
    return 0, 0


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png(seed: int, width: int = 64, height: int = 40) -> bytes:
    """A small RGB PNG whose colours come from ``seed``: a card-like gradient with a band."""
    r0, g0, b0 = (seed >> 16) & 0xFF, (seed >> 8) & 0xFF, seed & 0xFF
    rows = []
    for y in range(height):
        band = height // 3 <= y < height // 3 + 4
        row = bytearray([0])
        for x in range(width):
            if band:
                row += bytes((20, 20, 20))
            else:
                row += bytes(((r0 + x * 2) & 0xFF, (g0 + y * 3) & 0xFF, (b0 + x + y) & 0xFF))
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )
