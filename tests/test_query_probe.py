"""Every UI page survives whatever its query parameters hold: a NUL character (which
PostgreSQL cannot store, nor compare), numbers beyond 64 bits (which no id column holds),
digits that are not ASCII. Each answers as usual, with a 400 or a 404: never a 500.

The pages are found by walking the URL resolver (as the tenancy probe does) and opened by
the owner of the workspace whose objects their addresses name. Each page is opened once
plainly, and the query parameters it reads are recorded; each of those is then sent with
every bad value, one at a time, so a value refused early cannot hide another's fault.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.handlers.wsgi import WSGIRequest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

import townsquare
from townsquare.testing.tenancy import ProbeWorld, discover_probes, ui_routes, value_for
from townsquare.workspaces.actions import do_invite
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db

BAD_VALUES = {
    "a NUL character": "\x00",
    "a NUL character after a digit": "1\x00",
    "2^63, one beyond a 64-bit id": str(2**63),
    "2^64": str(2**64),
    "below -2^63": str(-(2**63) - 1),
    "a digit that is not ASCII": "²",
}
# Pages under these prefixes are not Townsquare's own, except the ones listed here.
EXTRA_PAGES = ("admin:login", "account_login")


class RecordingQueryDict(QueryDict):
    """A query that remembers which names were asked for (in `reads`, once given one)."""

    def _note(self, key):
        reads = self.__dict__.get("reads")
        if reads is not None:
            reads.add(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)


@pytest.fixture
def recorded_reads(monkeypatch):
    reads: set[str] = set()

    def get(request):
        if "_probe_get" not in request.__dict__:
            query = RecordingQueryDict(request.environ.get("QUERY_STRING", ""))
            query.reads = reads
            request.__dict__["_probe_get"] = query
        return request.__dict__["_probe_get"]

    def set_(request, value):
        request.__dict__["_probe_get"] = value

    monkeypatch.setattr(WSGIRequest, "GET", property(get, set_))
    return reads


@pytest.fixture
def owner(alice, carol, workspace_a, workspace_b):
    """The probe factories make objects of `foreign`: here, alice's own workspace A."""
    discover_probes()
    world = ProbeWorld(stranger=carol, home=workspace_b, foreign=workspace_a, foreign_owner=alice)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    return world, client


def own_pages(world):
    owner = Membership.objects.get(workspace=world.foreign, user=world.foreign_owner)
    _invitation, token = do_invite(owner, email="neu@probe.example", role="viewer")
    extra = {"token": token}
    for route in ui_routes():
        kwargs = {name: extra.get(name) or value_for(name, world) for name in route.kwargs}
        yield route.name, reverse(route.name, kwargs=kwargs)
    for name in EXTRA_PAGES:
        yield name, reverse(name)


def names_read_in_source():
    """Every query parameter name the code reads by name (`request.GET.get("...")`)."""
    found = set()
    for path in Path(townsquare.__file__).parent.rglob("*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text("utf-8")
        found.update(re.findall(r"request\.GET(?:\.get|\.getlist)?[\[(]\s*[\"'](\w+)[\"']", text))
        if re.search(r"request\.GET\.get\(\s*REDIRECT_FIELD_NAME", text):
            found.add(REDIRECT_FIELD_NAME)
    return found


def test_no_page_fails_on_a_nul_character_or_a_number_beyond_64_bits(owner, recorded_reads):
    world, client = owner
    faults, probed, every_name = [], 0, set()
    for name, url in own_pages(world):
        recorded_reads.clear()
        plain = client.get(url)
        assert plain.status_code < 500, f"{name} {url} -> {plain.status_code} without a query"
        names = sorted(recorded_reads)
        every_name.update(names)
        for parameter in names:
            for what, value in BAD_VALUES.items():
                response = client.get(url, {parameter: value})
                probed += 1
                if response.status_code >= 500:
                    faults.append(f"{url}?{parameter}= {what} -> {response.status_code}")
    assert not faults, "pages that fail on a bad query:\n" + "\n".join(faults)
    assert probed >= 50, "the probe found suspiciously few query parameters"
    missing = names_read_in_source() - every_name
    assert not missing, f"query parameters read in the code but on no page probed: {missing}"
