"""What one upload may cost the machine, and the limits that follow from it. Pure: no Django.

The machine Townsquare is sized for: 2 cores and 24 GB. `townsquare up` serves the web with
2 gunicorn processes of 16 threads each, so 32 uploads can be processed at once, and in the
embedded mode its 4 task workers run one task each beside them (pictures are converted for
a network in the web request, but a task may open one too). With all 36 busy on the worst
file each, uploads may take 36 x 256 MB = 9 GB, leaving more than half of the memory to the
database, the page cache and the processes themselves. Time: 5 s of one core for the worst
accepted file when the machine is otherwise idle; with every thread busy both cores are
shared, and the last of 36 worst-case uploads is done after about 36 x 5 s / 2 = 90 s.

So every accepted file is decoded, cleaned and encoded within MEMORY_BUDGET above the
process's own size and within about TIME_BUDGET_SECONDS of CPU. The limits below are that
budget divided by what a pixel costs on each path; the costs were measured with
`python -m bench.uploads`, which prints each worst case's peak against the budget, and
media/tests/test_budget.py holds the largest accepted GIF and PNG to it in a subprocess.

Processing stays in the request. Within these limits the worst file is done in seconds, and
the person (and the composer, which checks each network's limits against the facts at once)
gets the verdict and a usable library item in the same answer. Moving it to the task
workers would bound how many run at once, but the budget already holds with all 36 busy,
and every library item would spend a while half-known.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024

# --- the machine and what runs on it --------------------------------------------------------

MACHINE_MEMORY = 24 * 1024 * MB
MACHINE_CORES = 2
WEB_PROCESSES = 2  # `townsquare up --web-workers`
WEB_THREADS = 16  # per web process (runtime/management/commands/up.py)
TASK_WORKERS = 4  # `townsquare up --task-workers`, the embedded mode's database workers
UPLOADS_AT_ONCE = WEB_PROCESSES * WEB_THREADS + TASK_WORKERS

# --- the budget of one upload ---------------------------------------------------------------

MEMORY_BUDGET = 256 * MB
TIME_BUDGET_SECONDS = 5.0

MAX_IMAGE_BYTES = 30 * MB
MAX_VIDEO_BYTES = 200 * MB
# Besides the pixels, the file is in memory more than once: the upload as read, and the
# clean copy as written; Pillow's WebP reader and an animation's stripped copy add a third.
FILE_COPIES = 2
FILE_COPIES_WEBP_OR_ANIMATION = 3

# --- what a pixel costs -----------------------------------------------------------------------
# Peak bytes per pixel of the decoded frame, from opening the file to the last encoded byte.
# Pillow keeps colour pixels in 4 bytes (RGB too); 1, L and P in 1; 16-bit grey in 2.

# A still, in the order the work happens: the decoded pixels, a turned or colour-converted
# copy beside them (the original is let go before encoding), then the encoder's own buffer
# (a progressive JPEG is written from all its coefficients: 2 bytes x 1.5 samples).
# Measured at the limit: PNG or CMYK JPEG, turned, 8.2 bytes a pixel, plus the file.
STILL_WORK_BYTES_PER_PIXEL = 4 + 4 + 1
# WebP is decoded by libwebp's animation decoder whatever the file: two canvases of its own,
# the frame it hands to Pillow and Pillow's image, 4 bytes each. Measured: 16.5.
WEBP_DECODE_BYTES_PER_PIXEL = 17
# A JPEG that is progressive or has several scans is decoded from all its coefficients at
# once, 2 bytes per sample, beside the decoded image (4) and the decoder's rows and padding
# (1). Measured for progressive CMYK, 4 samples a pixel: 12.2.
JPEG_COEFFICIENT_BYTES_PER_SAMPLE = 2
JPEG_BUFFERED_DECODE_BYTES_PER_PIXEL = 5
# An animation's frames are decoded one after another: GIF and APNG frames become RGBA after
# the first, and Pillow keeps the canvas, the previous canvas, what to restore on disposal
# and the new frame's pixels; libwebp two canvases, the frame handed over and Pillow's copy.
# Measured: GIF 17.7, APNG 16.8, WebP 17.5.
ANIMATION_FRAME_BYTES_PER_PIXEL = 18

# --- the limits -------------------------------------------------------------------------------

# Animations: memory bounds each frame; time bounds all frames together (GIF, the slowest,
# decodes about 50 megapixels a second on one core: 200 of them in 3.9 s), and frames of a
# few pixels still cost a step each (3,000 in 1.8 s).
MAX_ANIMATION_FRAME_PIXELS = (
    MEMORY_BUDGET - FILE_COPIES_WEBP_OR_ANIMATION * MAX_IMAGE_BYTES
) // ANIMATION_FRAME_BYTES_PER_PIXEL
MAX_ANIMATION_PIXELS = 200_000_000
MAX_ANIMATION_FRAMES = 3_000

# A sequential JPEG larger than its limit is read at half or a quarter of its width and
# height (libjpeg scales while decoding, so the full size is never in memory); beyond that
# it is refused.
JPEG_MAX_REDUCTION = 4


@dataclass(frozen=True)
class Cost:
    """What decoding one still costs per pixel, and so how many pixels it may have."""

    bytes_per_pixel: float
    file_copies: int = FILE_COPIES

    @property
    def max_pixels(self) -> int:
        pixel_budget = MEMORY_BUDGET - self.file_copies * MAX_IMAGE_BYTES
        return int(pixel_budget // self.bytes_per_pixel)


def still_cost(mime_type: str, *, buffered: bool = False, samples: float = 0.0) -> Cost:
    """The cost of a still image: decoding or the work after it, whichever weighs more."""
    if mime_type == "image/webp":
        return Cost(WEBP_DECODE_BYTES_PER_PIXEL, FILE_COPIES_WEBP_OR_ANIMATION)
    decode = 0.0
    if mime_type == "image/jpeg" and buffered:
        decode = JPEG_BUFFERED_DECODE_BYTES_PER_PIXEL + JPEG_COEFFICIENT_BYTES_PER_SAMPLE * samples
    return Cost(max(decode, STILL_WORK_BYTES_PER_PIXEL))


# The largest frame any path decodes. Pillow's own decompression-bomb check
# (Image.MAX_IMAGE_PIXELS) is set to it, so every use of Pillow in the process refuses what
# no upload may be.
MAX_DECODED_PIXELS = Cost(STILL_WORK_BYTES_PER_PIXEL).max_pixels
# The largest file any path accepts: a sequential JPEG read at a quarter of its size.
MAX_SOURCE_PIXELS = MAX_DECODED_PIXELS * JPEG_MAX_REDUCTION**2
