from townsquare.content.models import Post, Variant
from townsquare.networks.models import SocialAccount
from townsquare.testing.tenancy import probe_kwarg


def _foreign_variant(world):
    account, _created = SocialAccount.objects.get_or_create(
        workspace=world.foreign, network="x", handle="@probe"
    )
    post, _created = Post.objects.get_or_create(
        workspace=world.foreign, master_text="Nur für B", defaults={"language": "de"}
    )
    variant, _created = Variant.objects.get_or_create(
        post=post, account=account, defaults={"text": "Nur für B", "parts": ["Nur für B"]}
    )
    return variant


@probe_kwarg("post_id")
def foreign_post(world):
    return _foreign_variant(world).post_id


@probe_kwarg("variant_id")
def foreign_variant(world):
    return _foreign_variant(world).pk
