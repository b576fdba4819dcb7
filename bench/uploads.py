"""Benchmark: the worst upload Townsquare accepts, of each kind, against the budget.

    python -m bench.uploads [--only NAME] [--no-together]

Every case is the largest file its path takes (budget.py): huge dimensions in a small file,
or the most pixels together with 30 MB of noise, turned by EXIF where turning costs a copy.
Each is processed by upload processing in a fresh process (townsquare.media.tests.peak),
alone and then three at once in one process, one thread each, as three requests of one web
process. Prints the peak memory above the process's own size and the CPU time, and their
ratios to the budget of one upload (three for three at once). Exits with 1 when a case
breaks its memory budget or a file is refused that should have been taken.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from townsquare.media import budget
from townsquare.media.tests import worst_cases

MB = 1024 * 1024
FULL = 30 * MB - 64 * 1024  # "30 MB of noise": just under the byte limit, headers included


def _still_size(mime_type: str, **cost: object) -> tuple[int, int]:
    return worst_cases.square_within(budget.still_cost(mime_type, **cost).max_pixels)  # type: ignore[arg-type]


def noisy_jpeg() -> bytes:
    """A colour JPEG at its limit, as much noise in it as 30 MB can hold."""
    width, height = _still_size("image/jpeg")
    rng = random.Random(7)
    band = height
    while True:
        image = Image.new("RGB", (width, height), (120, 140, 160))
        image.paste(Image.frombytes("RGB", (width, band), rng.randbytes(width * band * 3)))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=95, subsampling=0)
        if len(out.getvalue()) <= FULL:
            return out.getvalue()
        band = min(band - 1, int(band * FULL / len(out.getvalue()) * 0.98))


def progressive_cmyk_jpeg() -> bytes:
    """The dearest JPEG to decode: progressive CMYK without subsampling, at its limit."""
    width, height = _still_size("image/jpeg", buffered=True, samples=4.0)
    ramp = Image.linear_gradient("L").resize((width, height))
    channels = (ramp, ramp.rotate(90), ramp.transpose(Image.Transpose.FLIP_LEFT_RIGHT), ramp)
    out = io.BytesIO()
    Image.merge("CMYK", channels).save(out, "JPEG", quality=95, progressive=True, subsampling=0)
    return out.getvalue()


def noisy_webp() -> bytes:
    """A WebP still at its limit with as much lossless noise as 30 MB can hold."""
    width, height = _still_size("image/webp")
    rng = random.Random(11)
    band = height
    while True:
        image = Image.new("RGB", (width, height), (40, 90, 160))
        image.paste(Image.frombytes("RGB", (width, band), rng.randbytes(width * band * 3)))
        out = io.BytesIO()
        image.save(out, "WEBP", lossless=True, method=0)
        if len(out.getvalue()) <= FULL:
            return out.getvalue()
        band = min(band - 1, int(band * FULL / len(out.getvalue()) * 0.98))


def mp4_with_largest_index() -> bytes:
    """An MP4 of 200 MB whose index (moov) is as large as the probe reads: 64 MB."""
    from townsquare.media.tests import samples
    from townsquare.media.video import MAX_INDEX_BYTES

    small = samples.mp4(mdat_bytes=0)
    ftyp_size = struct.unpack(">I", small[:4])[0]
    moov_size = struct.unpack(">I", small[ftyp_size : ftyp_size + 4])[0]
    moov = small[ftyp_size : ftyp_size + moov_size]
    padding = MAX_INDEX_BYTES - len(moov) - 8
    moov = struct.pack(">I", MAX_INDEX_BYTES) + moov[4:] + samples.box(b"free", b"\0" * padding)
    mdat = budget.MAX_VIDEO_BYTES - ftyp_size - len(moov)
    return small[:ftyp_size] + moov + struct.pack(">I", mdat) + b"mdat" + b"\0" * (mdat - 8)


def cases() -> dict[str, tuple[str, Callable[[], bytes]]]:
    """name -> (file extension, maker)."""
    w = worst_cases
    png_w, png_h = _still_size("image/png")
    frame_w, frame_h, frames = w.animation_at_limit()
    small = worst_cases.square_within(budget.MAX_ANIMATION_PIXELS // budget.MAX_ANIMATION_FRAMES)
    return {
        "png-limit-turned": ("png", lambda: w.png(png_w, png_h, orientation=6)),
        "png-limit-30mb-noise": ("png", lambda: w.png(png_w, png_h, noise_bytes=FULL)),
        "jpeg-limit-turned": ("jpg", lambda: w.jpeg(png_w, png_h, orientation=6)),
        "jpeg-cmyk-limit-turned": ("jpg", lambda: w.jpeg(png_w, png_h, orientation=6, cmyk=True)),
        "jpeg-read-at-a-quarter": ("jpg", lambda: w.jpeg(4 * png_w, 4 * png_h, orientation=6)),
        "jpeg-limit-30mb-noise": ("jpg", noisy_jpeg),
        "jpeg-progressive-cmyk": ("jpg", progressive_cmyk_jpeg),
        "webp-limit": ("webp", lambda: w.webp(*_still_size("image/webp"))),
        "webp-limit-30mb-noise": ("webp", noisy_webp),
        "gif-every-limit": ("gif", lambda: w.gif(frame_w, frame_h, frames)),
        "gif-most-frames": ("gif", lambda: w.gif(*small, budget.MAX_ANIMATION_FRAMES)),
        "apng-every-limit": ("png", lambda: w.apng(frame_w, frame_h, frames)),
        "webp-animated-every-limit": ("webp", lambda: w.animated_webp(frame_w, frame_h, frames)),
        "mp4-largest-index": ("mp4", mp4_with_largest_index),
    }


def measure(paths: list[Path]) -> dict[str, object]:
    answer = subprocess.run(
        [sys.executable, "-m", "townsquare.media.tests.peak", *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(answer.stdout)
    return result


def report(name: str, size: int, result: dict[str, object], copies: int) -> bool:
    peak = float(result["peak_bytes"])  # type: ignore[arg-type]
    cpu = float(result["cpu_seconds"])  # type: ignore[arg-type]
    wall = float(result["wall_seconds"])  # type: ignore[arg-type]
    memory_ratio = peak / (budget.MEMORY_BUDGET * copies)
    time_ratio = cpu / (budget.TIME_BUDGET_SECONDS * copies)
    outcomes = result["outcomes"]
    accepted = all(str(o).startswith("accepted") for o in outcomes)  # type: ignore[attr-defined]
    label = name if copies == 1 else f"{name} x{copies}"
    print(
        f"  {label:<30} {size / MB:7.2f} MB  peak {peak / MB:6.0f} MB ({memory_ratio:4.2f})  "
        f"cpu {cpu:5.2f} s ({time_ratio:4.2f})  wall {wall:5.2f} s  "
        f"{outcomes[0] if copies == 1 else ''}"  # type: ignore[index]
    )
    return accepted and memory_ratio <= 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="one case, by name")
    parser.add_argument("--no-together", action="store_true", help="skip three at once")
    args = parser.parse_args()
    print(
        f"budget per upload: {budget.MEMORY_BUDGET // MB} MB, {budget.TIME_BUDGET_SECONDS:g} s "
        f"of CPU; {budget.UPLOADS_AT_ONCE} at once on the reference machine = "
        f"{budget.UPLOADS_AT_ONCE * budget.MEMORY_BUDGET / budget.MACHINE_MEMORY:.0%} "
        f"of its {budget.MACHINE_MEMORY // 1024 // MB} GB"
    )
    print(
        f"limits: stills {budget.MAX_DECODED_PIXELS / 1e6:.1f} MP "
        f"(WebP {budget.still_cost('image/webp').max_pixels / 1e6:.1f}, progressive CMYK "
        f"JPEG {budget.still_cost('image/jpeg', buffered=True, samples=4.0).max_pixels / 1e6:.1f},"
        f" JPEG files up to {budget.MAX_SOURCE_PIXELS / 1e6:.0f} read smaller); animations "
        f"{budget.MAX_ANIMATION_FRAME_PIXELS / 1e6:.1f} MP a frame, "
        f"{budget.MAX_ANIMATION_PIXELS / 1e6:.0f} MP and {budget.MAX_ANIMATION_FRAMES:,} "
        f"frames in all"
    )
    print("  case                           file size  peak above start (/budget)  cpu (/budget)")
    ok = True
    with tempfile.TemporaryDirectory(prefix="townsquare-bench-uploads-") as folder:
        for name, (extension, make) in cases().items():
            if args.only and name != args.only:
                continue
            path = Path(folder) / f"{name}.{extension}"
            path.write_bytes(make())
            size = path.stat().st_size
            ok = report(name, size, measure([path]), 1) and ok
            if not args.no_together:
                ok = report(name, size, measure([path] * 3), 3) and ok
            os.unlink(path)
    if not ok:
        print("a case broke its memory budget or was refused")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
