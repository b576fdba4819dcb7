"""The API fuzzed from its own OpenAPI description (schemathesis), in process.

Every operation gets valid and invalid parameters and bodies, signed in with a real token of
a seeded workspace. Whatever is sent: no 5xx, every error in the one JSON error shape, and
every answer as documented (status code, content type, body schema), and invalid input is
never accepted. The examples are derived from a fixed seed, so a run in CI finds what a run
on a laptop finds. (Health's 503 has a body of its own; the seeded scheduler heartbeat keeps
it at 200 here.)
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from townsquare.networks.catalog import NETWORK_NAMES

EXAMPLES_PER_OPERATION = 20
SEED = 20261206


def error_shape(ctx, response, case):
    """Every 4xx and 5xx is {"error": {"code", "message", "details"?}} and nothing else."""
    if response.status_code < 400:
        return None
    body = json.loads(response.content)
    assert set(body) == {"error"}, body
    error = body["error"]
    assert {"code", "message"} <= set(error) <= {"code", "message", "details"}, error
    assert isinstance(error["code"], str) and error["code"], error
    assert isinstance(error["message"], str) and error["message"], error
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    error_shape,
]


WORKSPACE_NAME = "Fuzz Kaffee"
WORKSPACE_SLUG = "fuzz-kaffee"
# Every object of the seeded workspace has this id, so that the path parameters point at
# real objects and the bodies reach the code behind the lookups. (Far above what the
# database's own counters reach in a test run, so nothing else ever gets it.)
SEEDED_ID = 900_001
ID_PARAMETERS = (
    "account_id",
    "asset_id",
    "invitation_id",
    "member_id",
    "post_id",
    "publication_id",
    "token_id",
    "variant_id",
)

DICTIONARIES = {
    "seeded": [SEEDED_ID],
    "networks": sorted(NETWORK_NAMES),
    "zones": ["Europe/Berlin", "America/New_York", "Asia/Kathmandu", "UTC"],
    # Daylight-saving edges: a time that does not exist and one that happens twice.
    "times": ["2027-03-28T02:30", "2027-10-31T02:30", "2030-01-01T09:00", "2027-06-01 12:00Z"],
}
LIKELY = [
    ("body.accounts[*]", "seeded"),
    ("body.media[*]", "seeded"),
    ("body.network", "networks"),
    ("body.time_zone", "zones"),
    ("body.at", "times"),
]


def load_schema():
    from townsquare.api.urls import api

    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"max-examples": EXAMPLES_PER_OPERATION, "deterministic": True},
            "parameters": {
                "workspace": WORKSPACE_SLUG,
                **{f"path.{name}": SEEDED_ID for name in ID_PARAMETERS},
                # Often enough a value that gets past the lookups to the code behind them.
                **{path: {"dictionary": name, "probability": 0.6} for path, name in LIKELY},
            },
            "dictionaries": {name: {"values": values} for name, values in DICTIONARIES.items()},
            "phases": {"stateful": {"enabled": False}},
            # Invalid input may be refused for its size too: a generated body of megabytes
            # is answered 413 before anything reads it, which is as much a refusal as 422.
            "checks": {
                "negative_data_rejection": {
                    "expected-statuses": [
                        400,
                        401,
                        403,
                        404,
                        405,
                        406,
                        409,
                        413,
                        415,
                        422,
                        428,
                        429,
                        "5xx",
                    ]
                }
            },
        }
    )
    loaded = schemathesis.openapi.from_dict(
        json.loads(json.dumps(api.get_openapi_schema())), config=config
    )
    # Requests go straight into Django's WSGI handler, in this process and on the test's
    # own database connection: no server, no port.
    loaded.app = WSGIHandler()
    return loaded


schema = load_schema()


def with_seeded_id(queryset, pk):
    queryset.filter(pk=pk).update(id=SEEDED_ID)


def seed_workspace() -> str:
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from townsquare.api.actions import do_create_api_token
    from townsquare.content.actions import PostInput, do_save_post
    from townsquare.content.models import Post, Variant
    from townsquare.media.actions import do_upload_media
    from townsquare.media.models import MediaAsset
    from townsquare.media.tests.samples import png
    from townsquare.networks.models import SocialAccount
    from townsquare.publishing.actions import do_schedule_post
    from townsquare.publishing.models import Publication
    from townsquare.runtime.heartbeat import SCHEDULER
    from townsquare.runtime.models import Heartbeat
    from townsquare.workspaces.actions import do_create_workspace
    from townsquare.workspaces.models import Invitation, Membership

    users = get_user_model().objects
    owner = users.create_user("fuzz@example.com", None, name="Fuzz")
    workspace = do_create_workspace(owner, name=WORKSPACE_NAME, language="de")
    assert workspace.slug == WORKSPACE_SLUG
    membership = Membership.objects.get(workspace=workspace, user=owner)
    colleague = users.create_user("kollegin@example.com", None, name="Kollegin")
    Membership.objects.create(pk=SEEDED_ID, workspace=workspace, user=colleague, role="editor")
    Invitation.objects.create(
        pk=SEEDED_ID,
        workspace=workspace,
        email="neu@example.com",
        role="viewer",
        token_hash="0" * 64,
        invited_by=owner,
        expires_at=timezone.now() + timedelta(days=7),
    )
    account = SocialAccount.objects.create(
        pk=SEEDED_ID, workspace=workspace, network="mastodon", handle="@kaffee@social.example"
    )
    picture, _created = do_upload_media(membership, ContentFile(png(), name="bohnen.png"))
    with_seeded_id(MediaAsset.objects, picture.pk)
    post = Post.objects.create(
        pk=SEEDED_ID, workspace=workspace, master_text="Frisch geröstet", language="de"
    )
    do_save_post(membership, PostInput(text="Frisch geröstet aus Huila"), [account.pk], post=post)
    with_seeded_id(Variant.objects, Variant.objects.get(post=post).pk)
    wall = (timezone.now() + timedelta(days=30)).replace(tzinfo=None, second=0, microsecond=0)
    (publication,) = do_schedule_post(membership, post, wall, "Europe/Berlin")
    with_seeded_id(Publication.objects, publication.pk)
    Heartbeat.objects.create(name=SCHEDULER, beat_at=timezone.now())  # health answers 200
    _token, raw = do_create_api_token(owner, name="fuzz", workspace_slugs=[workspace.slug])
    return raw


@pytest.fixture
def token(db, settings, tmp_path):
    """A real token of a seeded workspace: an account, a scheduled post, a picture, a
    colleague and an invitation, each with the id SEEDED_ID."""
    settings.MEDIA_ROOT = tmp_path / "media"
    raw = seed_workspace()
    # The handler closes "old" connections at the start and end of every request: that
    # would close the test's own connection in the middle of its transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield raw
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_api_operation_holds_under_arbitrary_input(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
