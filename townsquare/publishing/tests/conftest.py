import pytest

from townsquare.content.actions import PostInput, do_save_post
from townsquare.networks.credentials import store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.networks.registry import forget_publishers
from townsquare.networks.testnet.server import TestNetwork


@pytest.fixture
def network():
    with TestNetwork() as net:
        yield net
    forget_publishers()


@pytest.fixture
def testnet_account(workspace_a, network):
    account = SocialAccount.objects.create(workspace=workspace_a, network="testnet", handle="alpha")
    store_credentials(
        account,
        {
            "access_token": "token-alpha",
            "instance_url": network.url,
            "extra": {"read_timeout_s": "1.5"},
        },
    )
    return account


@pytest.fixture
def make_post(membership, testnet_account):
    def make(text="Hallo Welt, ein Test.", language="de"):
        return do_save_post(
            membership, PostInput(text=text, language=language), [testnet_account.pk]
        )

    return make
