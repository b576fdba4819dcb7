"""A running demo never calls the internet: its accounts hold no login for a real server,
and whatever the scheduler's jobs would send for them is refused before a socket opens."""

from __future__ import annotations

import contextlib
import io
import ipaddress
import socket
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from townsquare.demo.people import DEMO_EMAIL
from townsquare.networks.base import VariantToPublish
from townsquare.networks.credentials import credentials_for
from townsquare.networks.models import SocialAccount
from townsquare.networks.registry import UnknownNetwork, forget_publishers, get_publisher
from townsquare.publishing.models import Publication
from townsquare.workspaces.models import Workspace

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def seeded_demo(settings, tmp_path):
    """What `townsquare demo` makes, by running it."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = False
    call_command("demo", stdout=io.StringIO())
    forget_publishers()
    yield list(Workspace.objects.filter(memberships__user__email=DEMO_EMAIL))
    forget_publishers()


@pytest.fixture
def sockets(monkeypatch):
    """Records every name looked up in DNS and every address a socket connects to; refuses
    both for anything outside this machine, so the test itself stays offline."""
    seen = {"looked_up": [], "dialled": []}
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else str(host)
        flags = kwargs.get("flags", args[3] if len(args) > 3 else 0)
        if flags & socket.AI_NUMERICHOST:
            return real_getaddrinfo(host, port, *args, **kwargs)  # no DNS: a literal
        seen["looked_up"].append(name)
        raise socket.gaierror(socket.EAI_NONAME, "no DNS in this test")

    def connect(sock, address):
        seen["dialled"].append(address[0])
        if not ipaddress.ip_address(address[0]).is_loopback:
            raise ConnectionRefusedError("no internet in this test")
        return real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen


def _every_call(publisher, creds, account):
    variant = VariantToPublish(
        variant_id=0,
        account_id=account.pk,
        network=account.network,
        parts=("Frisch geröstet: unsere neue Bohne.",),
        link_url="https://morgenrot-kaffee.de/bohnen",
    )
    yield lambda: publisher.publish(creds, variant, "demo-key")
    yield lambda: publisher.find_published(creds, "demo-key")
    for name, args in (
        ("check_connection", ()),
        ("fetch_inbox", (None,)),
        ("fetch_metrics", (date.today() - timedelta(days=7),)),
    ):
        if hasattr(publisher, name):
            yield lambda name=name, args=args: getattr(publisher, name)(creds, *args)


def test_the_scheduler_publishing_the_demo_posts_never_reaches_the_internet(
    seeded_demo, sockets, settings
):
    from townsquare.runtime.scheduler import autodiscover, registered_jobs

    settings.TASKS = IMMEDIATE  # the publish and check tasks run as the jobs enqueue them
    past = timezone.now() - timedelta(minutes=1)
    Publication.objects.filter(status="scheduled").update(due_at=past, run_at=past)
    autodiscover()
    for job in registered_jobs():  # one pass of the loop, in this test's transaction
        job()
    assert Publication.objects.exclude(status="scheduled").exists(), "the jobs did their work"
    assert sockets["looked_up"] == [], "names were looked up in DNS"
    assert all(ipaddress.ip_address(a).is_loopback for a in sockets["dialled"])


def test_every_call_a_job_could_make_for_a_demo_account_is_refused_before_a_socket_opens(
    seeded_demo, sockets
):
    tried = 0
    for account in SocialAccount.objects.filter(workspace__in=seeded_demo):
        try:
            publisher = get_publisher(account.network)
        except UnknownNetwork:
            continue  # published by reminder: nothing is sent
        creds = credentials_for(account)
        for call in _every_call(publisher, creds, account):
            tried += 1
            with contextlib.suppress(Exception):  # refused, as it must be
                call()
    assert tried > 0
    assert sockets["looked_up"] == [], "names were looked up in DNS"
    assert all(ipaddress.ip_address(a).is_loopback for a in sockets["dialled"])
