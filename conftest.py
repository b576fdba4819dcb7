"""Shared test fixtures: the personas of every test.

alice owns workspace A, bob edits it, carol owns workspace B (and is a stranger to A).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

# Django's default hasher spends most of a second on every password it sets or checks, on
# purpose. Tests create users by the hundred, so they hash with MD5 instead; Townsquare itself
# keeps the default (tests/test_test_setup.py checks both). A process that a test starts uses
# Townsquare's settings, so it cannot check the password of a user the test made.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing() -> Iterator[None]:
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts in the default language. A request through the test client activates
    the language it asked for in the test's thread and leaves it active afterwards, so
    without this a German page in one test turned the next test's texts German."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def alice(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("alice@example.com", "alice-pass-123", name="Alice")


@pytest.fixture
def bob(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("bob@example.com", "bob-pass-123", name="Bob")


@pytest.fixture
def carol(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("carol@example.com", "carol-pass-123", name="Carol")


@pytest.fixture
def workspace_a(alice, bob):
    from townsquare.workspaces.actions import do_create_workspace
    from townsquare.workspaces.models import Membership

    workspace = do_create_workspace(alice, name="Alpha Kaffee", language="de")
    Membership.objects.create(workspace=workspace, user=bob, role="editor")
    return workspace


@pytest.fixture
def workspace_b(carol):
    from townsquare.workspaces.actions import do_create_workspace

    return do_create_workspace(carol, name="Beta Outdoor", language="en", time_zone="Europe/London")


@pytest.fixture
def membership(alice, workspace_a):
    from townsquare.workspaces.models import Membership

    return Membership.objects.get(user=alice, workspace=workspace_a)


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client
