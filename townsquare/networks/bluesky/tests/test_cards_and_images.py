"""Link cards fetched through the SSRF guard, and pictures fitted into Bluesky's blob limits."""

from __future__ import annotations

import io
import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from townsquare.networks.bluesky.cards import CardUnavailable, fetch_card
from townsquare.networks.bluesky.images import fit_image


def noisy_png(size: int) -> bytes:
    # Noise does not compress: a large file from a modest picture.
    rng = random.Random(7)
    image = Image.frombytes("RGB", (size, size), rng.randbytes(size * size * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_a_small_picture_is_left_as_it_is():
    data = noisy_png(50)
    assert fit_image(data, "image/png", 2_000_000) == (data, "image/png", 50, 50)


def test_a_large_picture_is_shrunk_below_the_limit_as_jpeg():
    data = noisy_png(1400)
    assert len(data) > 2_000_000
    shrunk, mime, width, height = fit_image(data, "image/png", 1_000_000)
    assert len(shrunk) <= 1_000_000 and mime == "image/jpeg"
    assert width == height and width <= 1400


class _Site(BaseHTTPRequestHandler):
    def do_GET(self):
        routes = {
            "/page": ("text/html", b'<title>T</title><meta property="og:image" content="/p.png">'),
            "/p.png": ("image/png", noisy_png(20)),
            "/pdf": ("application/pdf", b"%PDF"),
            # A page whose picture address is malformed: the card goes without a picture.
            "/broken-image": (
                "text/html",
                b'<title>B</title><meta property="og:image" content="http://[::1">',
            ),
        }
        if self.path == "/bad-hop":  # a redirect to a malformed address
            self.send_response(302)
            self.send_header("Location", "http://[::1/x")
            self.end_headers()
            return
        if self.path == "/hop":
            self.send_response(302)
            self.send_header("Location", "/page")
            self.end_headers()
            return
        content_type, body = routes.get(self.path, ("text/plain", b""))
        self.send_response(200 if self.path in routes else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_card_follows_redirects_and_fetches_its_picture(site, settings):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = True
    card = fetch_card(f"{site}/hop")
    assert card.facts.title == "T"
    assert card.thumb and card.thumb_mime == "image/png"


def test_a_card_from_inside_the_network_is_refused_by_the_guard(site, settings):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = False
    with pytest.raises(CardUnavailable):
        fetch_card(f"{site}/page")


def test_only_web_pages_make_cards(site, settings):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = True
    for path in ("/pdf", "/missing"):
        with pytest.raises(CardUnavailable):
            fetch_card(f"{site}{path}")


def test_malformed_addresses_from_a_page_never_break_publishing(site, settings):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = True
    card = fetch_card(f"{site}/broken-image")
    assert card.facts.title == "B" and card.facts.image_url == "" and card.thumb is None
    with pytest.raises(CardUnavailable):
        fetch_card(f"{site}/bad-hop")
    with pytest.raises(CardUnavailable):
        fetch_card("http://[::1")
