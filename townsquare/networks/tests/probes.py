from townsquare.networks.models import SocialAccount
from townsquare.testing.tenancy import probe_kwarg


@probe_kwarg("account_id")
def foreign_account(world):
    account, _created = SocialAccount.objects.get_or_create(
        workspace=world.foreign, network="bluesky", handle="@probe.bsky.social"
    )
    return account.pk
