import pytest


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client


@pytest.fixture
def bob_membership(bob, workspace_a):
    from townsquare.workspaces.models import Membership

    return Membership.objects.get(user=bob, workspace=workspace_a)


@pytest.fixture
def carol_membership(carol, workspace_b):
    from townsquare.workspaces.models import Membership

    return Membership.objects.get(user=carol, workspace=workspace_b)


NETWORK = {
    "network": "linkedin_page",
    "rationale": "Geschäftskunden",
    "address": "sie",
    "posts_per_week": 2,
    "preferred_days": [1, 2, 3],
    "preferred_times": ["09:00"],
}
