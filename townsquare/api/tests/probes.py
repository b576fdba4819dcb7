from townsquare.testing.tenancy import probe_kwarg


@probe_kwarg("token_id")
def foreign_token(world):
    from townsquare.api.actions import do_create_api_token

    token, _raw = do_create_api_token(
        world.foreign_owner, name="probe", workspace_slugs=[world.foreign.slug]
    )
    return token.pk
