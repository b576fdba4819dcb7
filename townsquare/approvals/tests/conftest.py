from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from townsquare.approvals.settings_actions import do_update_settings
from townsquare.content.actions import PostInput, do_save_post
from townsquare.networks.models import SocialAccount
from townsquare.publishing.schedule import utc_to_local
from townsquare.workspaces.models import Membership


def _member(workspace, email, name, role):
    user = get_user_model().objects.create_user(email, "pass-123-pass", name=name)
    return Membership.objects.create(workspace=workspace, user=user, role=role)


@pytest.fixture
def mia(workspace_a):
    """A manager of A (alice owns it, bob edits it)."""
    return _member(workspace_a, "mia@example.com", "Mia Berger", "manager")


@pytest.fixture
def conrad(workspace_a):
    """A contributor of A."""
    return _member(workspace_a, "conrad@example.com", "Conrad", "contributor")


@pytest.fixture
def bob_m(workspace_a, bob):
    return Membership.objects.get(workspace=workspace_a, user=bob)


@pytest.fixture
def account(workspace_a):
    return SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@kaffee")


@pytest.fixture
def one_approver(membership, mia):
    return do_update_settings(membership, mode="one", client_approval=False, link_days=7)


@pytest.fixture
def two_approvers(membership, mia):
    return do_update_settings(membership, mode="two", client_approval=False, link_days=7)


@pytest.fixture
def with_client(membership, mia):
    return do_update_settings(membership, mode="one", client_approval=True, link_days=7)


@pytest.fixture
def write(account):
    def make(member, text="Frischer Kaffee aus Leipzig.", post=None):
        return do_save_post(member, PostInput(text=text), [account.pk], post=post)

    return make


def tomorrow_at_nine(workspace) -> datetime:
    local = utc_to_local(timezone.now(), workspace.time_zone)
    return (local + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture
def at(workspace_a):
    return tomorrow_at_nine(workspace_a)
