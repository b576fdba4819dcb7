"""Media files built in the tests: real images from Pillow, MP4/MOV and WebM containers
written box by box, and a PNG decompression bomb, so that no binary fixture is needed."""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import Image

# --- images -------------------------------------------------------------------------------

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(size=(300, 200), orientation=6) -> bytes:
    """A JPEG whose EXIF carries a GPS position, a camera model and 'rotate 90° to view'."""
    image = Image.new("RGB", size, (150, 90, 40))
    image.paste((20, 120, 60), (0, 0, size[0] // 2, size[1]))  # left half green
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x0110] = "Phone 15 Pro"  # camera model
    exif[GPS_IFD] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 18.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png(size=(64, 48), mode="RGB", colour=(200, 30, 30), text: dict | None = None) -> bytes:
    from PIL import PngImagePlugin

    image = Image.new(mode, size, colour)
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def transparent_png(size=(400, 300)) -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste((10, 90, 200, 255), (50, 50, size[0] - 50, size[1] - 50))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def noisy_jpeg(size=(800, 600), seed=1, quality=95) -> bytes:
    """Random pixels: large after compression, so byte limits bite."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def animated_gif(frames=3, size=(40, 30)) -> bytes:
    colours = [(200, 40, 40), (40, 200, 40), (40, 40, 200), (200, 200, 40)]
    images = [Image.new("RGB", size, colours[i % len(colours)]) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(
        out, "GIF", save_all=True, append_images=images[1:], duration=120, loop=0, comment=b"hi"
    )
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width=20000, height=20000) -> bytes:
    """A valid 1-bit PNG of a few dozen KB that would decode to width x height pixels."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


# --- MP4 / MOV ----------------------------------------------------------------------------

IDENTITY = (0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
ROTATE_90 = (0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000)


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def full_box(kind: bytes, payload: bytes, version: int = 0) -> bytes:
    return box(kind, bytes([version, 0, 0, 0]) + payload)


def _matrix(values) -> bytes:
    return struct.pack(">9i", *values)


def _track(handler, width, height, duration, timescale, codec, matrix, track_id) -> bytes:
    tkhd = full_box(
        b"tkhd",
        struct.pack(">IIIII", 0, 0, track_id, 0, duration)
        + b"\0" * 8
        + struct.pack(">hhhH", 0, 0, 0, 0)
        + _matrix(matrix)
        + struct.pack(">II", width << 16, height << 16),
    )
    mdhd = full_box(b"mdhd", struct.pack(">IIIIHH", 0, 0, timescale, duration, 0x55C4, 0))
    hdlr = full_box(b"hdlr", b"\0" * 4 + handler + b"\0" * 12 + b"Handler\0")
    if handler == b"vide":
        entry = box(
            codec,
            b"\0" * 6
            + struct.pack(">H", 1)
            + b"\0" * 16
            + struct.pack(">HHIIIH", width, height, 0x480000, 0x480000, 0, 1)
            + b"\0" * 32
            + struct.pack(">Hh", 24, -1),
        )
    else:
        entry = box(codec, b"\0" * 6 + struct.pack(">H", 1) + b"\0" * 20)
    stsd = full_box(b"stsd", struct.pack(">I", 1) + entry)
    minf = box(b"minf", box(b"stbl", stsd))
    return box(b"trak", tkhd + box(b"mdia", mdhd + hdlr + minf))


def mp4(
    *,
    width=1080,
    height=1920,
    seconds=12.5,
    codec=b"avc1",
    brand=b"isom",
    rotated=False,
    audio=True,
    location: str | None = None,
    mdat_bytes=2048,
) -> bytes:
    """A structurally valid MP4 (or MOV with brand b'qt  '): ftyp, moov, mdat.

    rotated=True stores a landscape frame with a 90 degree matrix, as phones do for portrait
    video; `location` adds a ©xyz box (ISO 6709) in moov/udta, as phones do.
    """
    timescale = 1000
    duration = round(seconds * timescale)
    mvhd = full_box(
        b"mvhd",
        struct.pack(">IIII", 0, 0, timescale, duration)
        + struct.pack(">IH", 0x10000, 0x100)
        + b"\0" * 10
        + _matrix(IDENTITY)
        + b"\0" * 24
        + struct.pack(">I", 3),
    )
    coded = (height, width) if rotated else (width, height)
    tracks = _track(b"vide", *coded, duration, 30000, codec, ROTATE_90 if rotated else IDENTITY, 1)
    if audio:
        tracks += _track(b"soun", 0, 0, duration, 48000, b"mp4a", IDENTITY, 2)
    udta = b""
    if location is not None:
        text = location.encode()
        udta = box(b"udta", box(b"\xa9xyz", struct.pack(">HH", len(text), 0x15C7) + text))
    ftyp = box(b"ftyp", brand + struct.pack(">I", 0x200) + brand + b"mp41")
    return ftyp + box(b"moov", mvhd + tracks + udta) + box(b"mdat", b"\x00" * mdat_bytes)


# --- WebM ---------------------------------------------------------------------------------


def element(ident: bytes, payload: bytes) -> bytes:
    return ident + b"\x01" + len(payload).to_bytes(7, "big") + payload


def webm(
    *,
    width=640,
    height=360,
    seconds=7.5,
    codec=b"V_VP9",
    unknown_size=False,
    doc_type=b"webm",
    video_track=True,
) -> bytes:
    header = element(b"\x1a\x45\xdf\xa3", element(b"\x42\x82", doc_type))
    info = element(
        b"\x15\x49\xa9\x66",
        element(b"\x2a\xd7\xb1", (1_000_000).to_bytes(3, "big"))
        + element(b"\x44\x89", struct.pack(">d", seconds * 1000)),
    )
    video = element(
        b"\xe0",
        element(b"\xb0", width.to_bytes(2, "big")) + element(b"\xba", height.to_bytes(2, "big")),
    )
    track = element(b"\xae", element(b"\x83", b"\x01") + element(b"\x86", codec) + video)
    audio = element(b"\xae", element(b"\x83", b"\x02") + element(b"\x86", b"A_OPUS"))
    tracks = element(b"\x16\x54\xae\x6b", (track if video_track else b"") + audio)
    cluster = element(b"\x1f\x43\xb6\x75", b"\x00" * 64)
    body = info + tracks + cluster
    if unknown_size:  # as browsers' MediaRecorder writes it
        return header + b"\x18\x53\x80\x67" + b"\x01\xff\xff\xff\xff\xff\xff\xff" + body
    return header + element(b"\x18\x53\x80\x67", body)
