"""``providers/sumsub/media.py``: file types by their signatures and image sizes, checked on real files.

The files are written by Pillow (an independent encoder) or built from the published container
layouts (ISO base media ``ftyp`` boxes for MP4, QuickTime and HEIC; RIFF for WebP; the TIFF and
BMP headers), not from the module's own tables.
"""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from simulator.providers.sumsub.media import dimensions, png, sniff


def encoded(fmt: str, size: tuple[int, int] = (37, 23), **options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 90)).save(out, fmt, **options)
    return out.getvalue()


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    """An ISO/IEC 14496-12 file-type box: size, 'ftyp', major brand, minor version, compatible brands."""
    payload = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(payload)) + b"ftyp" + payload + b"\x00\x00\x00\x08free"


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (encoded("JPEG"), "image/jpeg"),
        (encoded("PNG"), "image/png"),
        (encoded("GIF"), "image/gif"),
        (encoded("WEBP"), "image/webp"),
        (encoded("PDF"), "application/pdf"),
        (ftyp(b"isom", b"isom", b"iso2", b"avc1", b"mp41"), "video/mp4"),
        (ftyp(b"mp42", b"mp42", b"isom"), "video/mp4"),
        (ftyp(b"qt  ", b"qt  "), "video/quicktime"),
        (ftyp(b"heic", b"mif1", b"heic"), "image/heic"),
        (b"\x1aE\xdf\xa3\x9fB\x86\x81\x01B\xf7\x81\x01webm", "video/webm"),  # EBML header of a WebM file
    ],
    ids=["jpeg", "png", "gif", "webp", "pdf", "mp4-isom", "mp4-mp42", "mov", "heic", "webm"],
)
def test_accepted_files_are_known_by_their_signature(data, mime):
    assert sniff(data) == mime


@pytest.mark.parametrize(
    "data",
    [encoded("TIFF"), encoded("TIFF")[:4].replace(b"II*\x00", b"MM\x00*") + b"\x00" * 16, encoded("BMP")],
    ids=["tiff-little-endian", "tiff-big-endian", "bmp"],
)
def test_tiff_and_bmp_are_unsupported_formats(data):
    assert sniff(data) == "unsupported"


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00", b"hello, this is text", b"RIFF\x00\x00\x00\x00WAVEfmt ", b"\x89PNX\r\n", b"\xff\xd8"],
    ids=["empty", "one-byte", "text", "riff-wave", "png-typo", "jpeg-start-only"],
)
def test_anything_else_is_corrupted(data):
    assert sniff(data) is None


@pytest.mark.parametrize("size", [(1, 1), (37, 23), (640, 480), (3000, 17)])
@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "JPEG-progressive", "JPEG-exif"])
def test_dimensions_of_pngs_and_jpegs_are_what_the_encoder_wrote(fmt, size):
    if fmt == "JPEG-progressive":
        data = encoded("JPEG", size, progressive=True)  # SOF2
    elif fmt == "JPEG-exif":
        exif = Image.Exif()
        exif[0x010F] = "kycsim"  # an APP1 segment before the frame header
        data = encoded("JPEG", size, exif=exif.tobytes())
    else:
        data = encoded(fmt, size)
    assert dimensions(data) == size


@pytest.mark.parametrize(
    "data",
    [b"", encoded("GIF"), encoded("JPEG")[:20], encoded("PNG")[:20], b"\xff\xd8" + b"\x00" * 40],
    ids=["empty", "gif", "truncated-jpeg", "truncated-png", "jpeg-without-segments"],
)
def test_dimensions_of_anything_else_are_zero(data):
    assert dimensions(data) == (0, 0)


@pytest.mark.parametrize("seed", [0, 1, 0xABCDEF])
def test_generated_pngs_decode_with_their_size_and_are_deterministic(seed):
    data = png(seed, 64, 40)
    picture = Image.open(io.BytesIO(data))
    picture.load()  # decodes every chunk: CRCs and the zlib stream must be right
    assert (picture.format, picture.size, picture.mode) == ("PNG", (64, 40), "RGB")
    assert png(seed, 64, 40) == data and (png(seed + 1, 64, 40) != data)
    assert sniff(data) == "image/png" and dimensions(data) == (64, 40)
    # The dark band a third of the way down, as the docstring promises.
    assert picture.getpixel((10, 40 // 3)) == (20, 20, 20)
    assert zlib.crc32(data[12:29]) == struct.unpack(">I", data[29:33])[0]  # IHDR's CRC
