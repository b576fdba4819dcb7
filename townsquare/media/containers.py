"""Image files read by their structure, never decoded. Pure: no Django.

read_header() learns what decoding a file would cost (its size in pixels, its frames, for a
JPEG whether the decoder must hold every coefficient at once) from the chunks, blocks and
markers alone, so the limits are applied before any decoder allocates a pixel. Its cost
grows with the file's bytes, not with its pixels, and every count is bounded.

strip_animation() keeps an animation's frames exactly as uploaded and leaves out the blocks
that say where, when or by whom it was made (comments, XMP, EXIF, text chunks, colour
profiles, private chunks) and anything after the end of the image. Re-encoding an animation
would mean holding all its frames at once (Pillow's GIF writer does), which is what made
small GIFs cost gigabytes.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass

# Pillow keeps 1, L and P images in one byte per pixel, I;16 in two, everything else
# (RGB included: it is padded to four) in four.
BYTES_PER_PIXEL_COLOUR = 4

MAX_BLOCKS = 200_000  # chunks, extensions or markers in one file: far beyond any real image
# A progressive JPEG has about ten scans; each further one makes the decoder walk the whole
# image again, so thousands of tiny scans are a way to burn CPU with a small file.
MAX_JPEG_SCANS = 100


class ContainerError(Exception):
    """The structure is damaged, or it is not the format its first bytes claim."""


@dataclass(frozen=True)
class ImageHeader:
    width: int  # of the canvas as a decoder will allocate it
    height: int
    frames: int = 1
    decoded_bytes_per_pixel: int = BYTES_PER_PIXEL_COLOUR  # Pillow's, for the first frame
    # JPEG: the decoder holds the whole image's coefficients (progressive or several scans)
    # and cannot read it at a reduced size row by row.
    buffered: bool = False
    # JPEG: samples the coefficients hold per pixel (3 for 4:4:4 colour, 1.5 for 4:2:0).
    samples_per_pixel: float = 0.0

    @property
    def pixels(self) -> int:
        return self.width * self.height


def read_header(data: bytes, mime_type: str) -> ImageHeader:
    readers = {
        "image/jpeg": _jpeg_header,
        "image/png": _png_header,
        "image/gif": _gif_header,
        "image/webp": _webp_header,
    }
    try:
        return readers[mime_type](data)
    except (struct.error, IndexError, ValueError) as error:
        raise ContainerError(str(error)) from error


def strip_animation(data: bytes, mime_type: str) -> bytes:
    """The animation without its metadata; its frames byte for byte as uploaded."""
    strippers = {"image/png": _png_strip, "image/gif": _gif_strip, "image/webp": _webp_strip}
    try:
        return strippers[mime_type](data)
    except (struct.error, IndexError, ValueError) as error:
        raise ContainerError(str(error)) from error


# --- JPEG ---------------------------------------------------------------------------------

# Start-of-frame markers: sequential (0, 1) and progressive (2) Huffman coding. Lossless (3)
# and arithmetic coding (9-15) are not shown by browsers; hierarchical ones (5-7) neither.
SOF_SEQUENTIAL = {0xC0, 0xC1}
SOF_PROGRESSIVE = {0xC2}
SOF_OTHER = {0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
# After a scan's header the entropy-coded data runs to the next marker: an 0xFF that is
# neither a stuffed 0x00 nor a restart marker (0xD0-0xD7).
NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7]")


class UnusualJpeg(ContainerError):
    """A JPEG coded in a way browsers do not show (lossless, arithmetic, hierarchical)."""


def _jpeg_header(data: bytes) -> ImageHeader:
    if data[:2] != b"\xff\xd8":
        raise ContainerError("no JPEG start marker")
    pos, blocks, scans = 2, 0, 0
    frame: tuple[int, int, int, list[tuple[int, int]], bool] | None = None
    all_components_in_one_scan = False
    while True:
        blocks += 1
        if blocks > MAX_BLOCKS:
            raise ContainerError("too many markers")
        if data[pos] != 0xFF:
            # Stray bytes between segments: libjpeg skips them with a warning, so do we.
            found = NEXT_MARKER.search(data, pos)
            if found is None:
                raise ContainerError("no end of image")
            pos = found.start()
        while data[pos] == 0xFF:  # fill bytes may precede a marker
            pos += 1
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # end of image
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue  # markers without a length
        (length,) = struct.unpack_from(">H", data, pos)
        if length < 2 or pos + length > len(data):
            raise ContainerError("segment runs past the end")
        segment = data[pos + 2 : pos + length]
        pos += length
        if marker in SOF_OTHER:
            raise UnusualJpeg(f"SOF{marker - 0xC0}")
        if marker in SOF_SEQUENTIAL | SOF_PROGRESSIVE:
            if frame is not None:
                raise ContainerError("two frames")
            _precision, height, width, count = struct.unpack_from(">BHHB", segment)
            sampling = [(segment[7 + 3 * i] >> 4, segment[7 + 3 * i] & 15) for i in range(count)]
            if not (width and height and count) or min(min(s) for s in sampling) < 1:
                raise ContainerError("frame without size or components")
            frame = (width, height, count, sampling, marker in SOF_PROGRESSIVE)
        elif marker == 0xDA:  # start of scan
            if frame is None:
                raise ContainerError("scan before frame")
            scans += 1
            if scans > MAX_JPEG_SCANS:
                raise ContainerError("too many scans")
            if segment[0] == frame[2]:
                all_components_in_one_scan = True
            found = NEXT_MARKER.search(data, pos)
            if found is None:
                raise ContainerError("no end of image")
            pos = found.start()
    if frame is None or not scans:
        raise ContainerError("no image in the file")
    width, height, count, sampling, progressive = frame
    h_max, v_max = max(h for h, _v in sampling), max(v for _h, v in sampling)
    samples = sum(h * v for h, v in sampling) / (h_max * v_max)
    return ImageHeader(
        width,
        height,
        decoded_bytes_per_pixel=1 if count == 1 else BYTES_PER_PIXEL_COLOUR,
        buffered=progressive or scans > 1 or not all_components_in_one_scan,
        samples_per_pixel=samples,
    )


# --- PNG ----------------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# What an animation keeps: the pixels, and the chunks that say how they look.
PNG_KEEP = {
    b"IHDR",
    b"PLTE",
    b"tRNS",
    b"IDAT",
    b"IEND",
    b"acTL",
    b"fcTL",
    b"fdAT",
    b"gAMA",
    b"cHRM",
    b"sRGB",
    b"sBIT",
    b"bKGD",
}


def _png_chunks(data: bytes) -> list[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of every chunk up to IEND, checksums checked."""
    if not data.startswith(PNG_SIGNATURE):
        raise ContainerError("no PNG signature")
    pos, chunks = len(PNG_SIGNATURE), list[tuple[bytes, int, int]]()
    while True:
        if len(chunks) >= MAX_BLOCKS:
            raise ContainerError("too many chunks")
        length, kind = struct.unpack_from(">I4s", data, pos)
        start, end = pos + 8, pos + 8 + length
        if end + 4 > len(data):
            raise ContainerError(f"chunk {kind!r} runs past the end")
        (crc,) = struct.unpack_from(">I", data, end)
        if zlib.crc32(data[pos + 4 : end]) != crc:
            raise ContainerError(f"chunk {kind!r} has a wrong checksum")
        chunks.append((kind, start, end))
        pos = end + 4
        if kind == b"IEND":
            return chunks


def _png_header(data: bytes) -> ImageHeader:
    chunks = _png_chunks(data)
    kind, start, _end = chunks[0]
    if kind != b"IHDR":
        raise ContainerError("IHDR must come first")
    width, height, depth, colour = struct.unpack_from(">IIBB", data, start)
    if not (width and height):
        raise ContainerError("image without size")
    frames, declared = 0, 0
    for kind, start, _end in chunks:
        if kind == b"acTL":
            (declared,) = struct.unpack_from(">I", data, start)
        elif kind == b"fcTL":
            frames += 1
            w, h, x, y = struct.unpack_from(">IIII", data, start + 4)
            if not (w and h) or x + w > width or y + h > height:
                raise ContainerError("an animation frame lies outside the image")
    bytes_per_pixel = {0: 2 if depth == 16 else 1, 3: 1}.get(colour, BYTES_PER_PIXEL_COLOUR)
    # Without acTL it is a still image, whatever else it carries; with it, a decoder trusts
    # the count it declares, so the larger of the two is what decoding may cost.
    frames = max(frames, declared, 1) if declared else 1
    return ImageHeader(width, height, frames=frames, decoded_bytes_per_pixel=bytes_per_pixel)


def _png_strip(data: bytes) -> bytes:
    kept = [data[start - 8 : end + 4] for kind, start, end in _png_chunks(data) if kind in PNG_KEEP]
    return PNG_SIGNATURE + b"".join(kept)


# --- GIF ----------------------------------------------------------------------------------

# Application extensions an animation needs: how often it loops.
GIF_LOOP_EXTENSIONS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")


def _gif_sub_blocks_end(data: bytes, pos: int) -> int:
    """The position after the sub-blocks starting at pos (and their zero terminator)."""
    while (size := data[pos]) != 0:  # past the end: IndexError, a damaged file
        pos += size + 1
    return pos + 1


def _gif_blocks(data: bytes) -> tuple[list[tuple[int, int, bool]], int, int, int]:
    """([(start, end, keep) per block after the screen descriptor], width, height, frames).

    width and height are those a decoder allocates: the screen, grown to hold every frame.
    """
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise ContainerError("no GIF signature")
    width, height, flags = struct.unpack_from("<HHB", data, 6)
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    blocks: list[tuple[int, int, bool]] = []
    frames = 0
    while True:
        if len(blocks) >= MAX_BLOCKS:
            raise ContainerError("too many blocks")
        if pos >= len(data):  # many GIFs lack the trailer; decoders stop here too
            return blocks, width, height, frames
        start, introducer = pos, data[pos]
        if introducer == 0x3B:  # trailer: what follows is not part of the image
            return blocks, width, height, frames
        if introducer == 0x21:
            label = data[pos + 1]
            end = _gif_sub_blocks_end(data, pos + 2)
            keep = label == 0xF9 or (
                label == 0xFF and data[pos + 3 : pos + 14] in GIF_LOOP_EXTENSIONS
            )
            blocks.append((start, end, keep))
        elif introducer == 0x2C:
            x, y, w, h, frame_flags = struct.unpack_from("<HHHHB", data, pos + 1)
            width, height = max(width, x + w), max(height, y + h)
            pos += 10 + (3 << ((frame_flags & 7) + 1) if frame_flags & 0x80 else 0)
            if not 2 <= data[pos] <= 11:
                raise ContainerError("invalid LZW code size")
            end = _gif_sub_blocks_end(data, pos + 1)
            frames += 1
            blocks.append((start, end, True))
        else:
            raise ContainerError(f"unknown GIF block {introducer:#x}")
        if end > len(data):
            raise ContainerError("block runs past the end")
        pos = end


def _gif_header(data: bytes) -> ImageHeader:
    _blocks, width, height, frames = _gif_blocks(data)
    if not (width and height and frames):
        raise ContainerError("GIF without an image")
    # The first frame is a palette image; later ones become RGB(A) in Pillow.
    colour = 1 if frames == 1 else BYTES_PER_PIXEL_COLOUR
    return ImageHeader(width, height, frames=frames, decoded_bytes_per_pixel=colour)


def _gif_strip(data: bytes) -> bytes:
    blocks, _w, _h, _frames = _gif_blocks(data)
    first = blocks[0][0] if blocks else len(data)
    kept = b"".join(data[start:end] for start, end, keep in blocks if keep)
    return data[:first] + kept + b"\x3b"


# --- WebP ---------------------------------------------------------------------------------

WEBP_KEEP = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF"}
VP8X_METADATA_FLAGS = 0x20 | 0x08 | 0x04  # ICC profile, EXIF, XMP


def _webp_chunks(data: bytes) -> list[tuple[bytes, int, int]]:
    """(fourcc, payload start, payload end) of the chunks inside the RIFF container."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ContainerError("no WebP signature")
    (riff_size,) = struct.unpack_from("<I", data, 4)
    end_of_riff = min(len(data), 8 + riff_size)
    pos, chunks = 12, list[tuple[bytes, int, int]]()
    while pos + 8 <= end_of_riff:
        if len(chunks) >= MAX_BLOCKS:
            raise ContainerError("too many chunks")
        fourcc, size = struct.unpack_from("<4sI", data, pos)
        start, end = pos + 8, pos + 8 + size
        if end > end_of_riff:
            raise ContainerError(f"chunk {fourcc!r} runs past the end")
        chunks.append((fourcc, start, end))
        pos = end + (size & 1)
    if not chunks:
        raise ContainerError("WebP without chunks")
    return chunks


def _vp8_size(data: bytes, start: int, fourcc: bytes) -> tuple[int, int]:
    if fourcc == b"VP8L":
        if data[start] != 0x2F:
            raise ContainerError("no VP8L signature")
        (bits,) = struct.unpack_from("<I", data, start + 1)
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if data[start + 3 : start + 6] != b"\x9d\x01\x2a":
        raise ContainerError("no VP8 start code")
    width, height = struct.unpack_from("<HH", data, start + 6)
    return width & 0x3FFF, height & 0x3FFF


def _webp_header(data: bytes) -> ImageHeader:
    chunks = _webp_chunks(data)
    fourcc, start, _end = chunks[0]
    if fourcc != b"VP8X":
        width, height = _vp8_size(data, start, fourcc)
        if not (width and height):
            raise ContainerError("image without size")
        return ImageHeader(width, height)
    width = int.from_bytes(data[start + 4 : start + 7], "little") + 1
    height = int.from_bytes(data[start + 7 : start + 10], "little") + 1
    frames = 0
    for fourcc, start, _end in chunks:
        if fourcc == b"ANMF":
            frames += 1
            x = int.from_bytes(data[start : start + 3], "little") * 2
            y = int.from_bytes(data[start + 3 : start + 6], "little") * 2
            w = int.from_bytes(data[start + 6 : start + 9], "little") + 1
            h = int.from_bytes(data[start + 9 : start + 12], "little") + 1
            if x + w > width or y + h > height:
                raise ContainerError("an animation frame lies outside the image")
    return ImageHeader(width, height, frames=max(frames, 1))


def _webp_strip(data: bytes) -> bytes:
    parts = []
    for fourcc, start, end in _webp_chunks(data):
        if fourcc not in WEBP_KEEP:
            continue
        payload = data[start:end]
        if fourcc == b"VP8X":
            payload = bytes([payload[0] & ~VP8X_METADATA_FLAGS & 0xFF]) + payload[1:]
        parts.append(fourcc + struct.pack("<I", len(payload)) + payload)
        if len(payload) & 1:
            parts.append(b"\x00")
    body = b"WEBP" + b"".join(parts)
    return b"RIFF" + struct.pack("<I", len(body)) + body
