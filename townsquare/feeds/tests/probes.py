from townsquare.testing.tenancy import not_tenant_scoped, probe_kwarg

not_tenant_scoped("feeds_ics", "holding the secret feed token is what grants access")


@probe_kwarg("feed_id")
def foreign_feed(world):
    from townsquare.feeds.models import FeedToken

    feed, _created = FeedToken.objects.get_or_create(
        workspace=world.foreign,
        token_hash="0" * 64,
        defaults={"name": "Nur für B", "prefix": "tsf_probe", "created_by": world.foreign_owner},
    )
    return feed.pk
