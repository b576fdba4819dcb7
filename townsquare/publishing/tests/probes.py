from townsquare.content.models import Post, Variant
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication
from townsquare.testing.tenancy import probe_kwarg


@probe_kwarg("publication_id")
def foreign_publication(world):
    account, _ = SocialAccount.objects.get_or_create(
        workspace=world.foreign, network="x", handle="@probe"
    )
    post, _ = Post.objects.get_or_create(
        workspace=world.foreign, master_text="Nur für B", defaults={"language": "de"}
    )
    variant, _ = Variant.objects.get_or_create(
        post=post, account=account, defaults={"text": "B", "parts": ["B"]}
    )
    pub, _ = Publication.objects.get_or_create(
        variant=variant,
        defaults={
            "workspace": world.foreign,
            "post": post,
            "account": account,
            "status": "unknown",
        },
    )
    return pub.pk
