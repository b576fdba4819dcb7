"""The largest files each upload path accepts, and files just beyond them, built cheaply.

Uniform pixels compress to almost nothing, so a file of a few hundred kilobytes can claim
hundreds of megapixels: the shape of the files that cost gigabytes before the budget. The
files are written block by block from one encoded frame or row, so making them never holds
the image they describe. Used by test_budget.py and by `python -m bench.uploads`.
"""

from __future__ import annotations

import io
import math
import random
import struct
import zlib

from PIL import Image

from townsquare.media import budget

# --- the limits, as sizes -----------------------------------------------------------------


def square_within(pixels: int) -> tuple[int, int]:
    """The largest width x height with at most `pixels`, as square as can be."""
    side = math.isqrt(pixels)
    return side, pixels // side


def animation_at_limit() -> tuple[int, int, int]:
    """(width, height, frames) of the largest animation accepted: every limit reached."""
    width, height = square_within(budget.MAX_ANIMATION_FRAME_PIXELS)
    return width, height, budget.MAX_ANIMATION_PIXELS // (width * height)


# --- PNG ----------------------------------------------------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _exif(orientation: int) -> bytes:
    """A little-endian TIFF header with one IFD entry: Orientation."""
    return b"II*\x00" + struct.pack("<IHHHIHHI", 8, 1, 0x0112, 3, 1, orientation, 0, 0)


def _zero_rows(width: int, height: int, channels: int, noise_bytes: int = 0) -> bytes:
    """Rows of black (transparent) pixels, the first ones noise up to about noise_bytes."""
    row = b"\x00" * (1 + width * channels)  # filter byte, then the pixels
    noisy = min(height, noise_bytes // len(row))
    noise = random.Random(noisy)
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(b"\x00" + noise.randbytes(len(row) - 1)) for _ in range(noisy)]
    parts += [compressor.compress(row) for _ in range(height - noisy)]
    return b"".join(parts) + compressor.flush()


def png(width: int, height: int, *, orientation: int | None = None, noise_bytes: int = 0) -> bytes:
    """An RGBA PNG; `orientation` adds an eXIf chunk (6: turn it, which costs a copy), and
    `noise_bytes` fills the first rows with noise, which no encoder can make smaller."""
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    exif = _chunk(b"eXIf", _exif(orientation)) if orientation else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + exif
        + _chunk(b"IDAT", _zero_rows(width, height, 4, noise_bytes))
        + _chunk(b"IEND", b"")
    )


def apng(width: int, height: int, frames: int) -> bytes:
    """An animated PNG whose frames all cover the whole canvas."""
    data = _zero_rows(width, height, 4)
    parts = [
        b"\x89PNG\r\n\x1a\n",
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)),
        _chunk(b"acTL", struct.pack(">II", frames, 0)),
    ]
    sequence = 0
    for index in range(frames):
        control = struct.pack(">IIIIIHHBB", sequence, width, height, 0, 0, 1, 10, 1, 0)
        parts.append(_chunk(b"fcTL", control))
        sequence += 1
        if index == 0:
            parts.append(_chunk(b"IDAT", data))
        else:
            parts.append(_chunk(b"fdAT", struct.pack(">I", sequence) + data))
            sequence += 1
    parts.append(_chunk(b"IEND", b""))
    return b"".join(parts)


# --- GIF ----------------------------------------------------------------------------------


def _gif_frame_data(width: int, height: int) -> bytes:
    """LZW code size, sub-blocks and terminator of one uniform frame, encoded by Pillow."""
    out = io.BytesIO()
    Image.new("P", (width, height), 0).save(out, "GIF")
    data = out.getvalue()
    pos = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
    while data[pos] == 0x21:  # extensions Pillow may write before the image
        pos += 2
        while data[pos]:
            pos += data[pos] + 1
        pos += 1
    start = pos = pos + 10  # after the image descriptor (Pillow writes no local palette)
    pos += 1
    while data[pos]:
        pos += data[pos] + 1
    return data[start : pos + 1]


def gif(width: int, height: int, frames: int) -> bytes:
    """Every frame covers the canvas with a palette of its own, and every other one is
    disposed to the background: Pillow then keeps each frame in RGBA, with a copy of the
    canvas and the area to restore, which is the most a GIF frame costs it."""
    frame = _gif_frame_data(width, height)
    parts = [
        b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF7, 0, 0),
        bytes(range(256)) * 3,
        b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00",
    ]
    for index in range(frames):
        disposal = 2 if index % 2 else 1
        parts.append(b"\x21\xf9\x04" + bytes([disposal << 2, 10, 0, 0]) + b"\x00")
        parts.append(b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0x87))
        parts.append(bytes((i * 3 + index * 7) % 256 for i in range(768)))
        parts.append(frame)
    parts.append(b"\x3b")
    return b"".join(parts)


# --- JPEG ---------------------------------------------------------------------------------


def jpeg(width: int, height: int, *, orientation: int | None = None, cmyk: bool = False) -> bytes:
    """A sequential (baseline) JPEG of mid grey, of any size: 4:2:0 colour, or CMYK.

    Pillow's own one-block JPEG gives the tables; with them every block of mid grey is the
    same few bytes of scan data (the DC differences are zero, then end of block), so the
    scan is those bytes repeated. A CMYK one is converted to RGB on upload: a second copy
    of the pixels, as large as the first.
    """
    mode, grey, block, sampling = ("CMYK", (127,) * 4, 8, 0) if cmyk else ("RGB", (128,) * 3, 16, 2)
    out = io.BytesIO()
    Image.new(mode, (block, block), grey).save(out, "JPEG", quality=90, subsampling=sampling)
    template = out.getvalue()
    parts, pos = [b"\xff\xd8"], 2
    if orientation:
        exif = b"Exif\x00\x00" + _exif(orientation)
        parts.append(b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif)
    while True:
        marker = template[pos + 1]
        (length,) = struct.unpack_from(">H", template, pos + 2)
        segment = bytearray(template[pos : pos + 2 + length])
        if marker == 0xC0:
            struct.pack_into(">HH", segment, 5, height, width)
        parts.append(bytes(segment))
        pos += 2 + length
        if marker == 0xDA:
            break
    scan = template[pos : template.index(b"\xff\xd9", pos)]
    expected = b"\x28\xa2\x8a" if cmyk else b"\x28\xa2\x8a\x00"
    assert scan == expected, "Pillow's tables changed; build the scan anew"
    parts.append(scan * (math.ceil(width / block) * math.ceil(height / block)))
    parts.append(b"\xff\xd9")
    return b"".join(parts)


# --- WebP ---------------------------------------------------------------------------------


def _riff(chunks: list[tuple[bytes, bytes]]) -> bytes:
    body = b"WEBP"
    for fourcc, payload in chunks:
        body += fourcc + struct.pack("<I", len(payload)) + payload + b"\x00" * (len(payload) & 1)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def webp(width: int, height: int) -> bytes:
    """A lossless WebP still: uniform, so it encodes quickly and stays small."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(out, "WEBP", lossless=True)
    return out.getvalue()


def animated_webp(width: int, height: int, frames: int) -> bytes:
    data = webp(width, height)
    (size,) = struct.unpack_from("<I", data, 16)
    assert data[12:16] == b"VP8L"
    bitstream = data[20 : 20 + size]
    canvas = (0x02).to_bytes(1, "little") + b"\x00" * 3
    canvas += (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    frame = b"\x00" * 6 + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    frame += (100).to_bytes(3, "little") + b"\x02"  # 100 ms, no blending
    frame += b"VP8L" + struct.pack("<I", len(bitstream)) + bitstream + b"\x00" * (size & 1)
    chunks = [(b"VP8X", canvas), (b"ANIM", b"\x00" * 4 + b"\x00\x00")]
    chunks += [(b"ANMF", frame)] * frames
    return _riff(chunks)
