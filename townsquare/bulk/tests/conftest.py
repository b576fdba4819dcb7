import pytest

from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Campaign, Pillar


@pytest.fixture
def accounts(workspace_a):
    return {
        network: SocialAccount.objects.create(workspace=workspace_a, network=network, handle=handle)
        for network, handle in (
            ("x", "@alphakaffee"),
            ("mastodon", "@alpha@social.example"),
            ("bluesky", "alpha.bsky.social"),
        )
    }


@pytest.fixture
def campaign(workspace_a):
    return Campaign.objects.create(
        workspace=workspace_a, name="Herbströstung", starts_on="2026-01-01", ends_on="2027-12-31"
    )


@pytest.fixture
def pillar(workspace_a):
    return Pillar.objects.create(workspace=workspace_a, name="Hinter der Theke", target_share=30)
