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


# Writing aids are addressed by kind and id together; the two factories give a consistent
# pair (a snippet of the foreign workspace), so a 404 can only come from the tenant check.
def _foreign_snippet(world):
    from townsquare.content.models import Snippet

    snippet, _created = Snippet.objects.get_or_create(
        workspace=world.foreign, name="Nur für B", defaults={"text": "Nur für B"}
    )
    return snippet


@probe_kwarg("kind")
def foreign_aid_kind(world):
    return "snippets"


@probe_kwarg("aid_id")
def foreign_aid(world):
    return _foreign_snippet(world).pk
