from townsquare.testing.tenancy import not_tenant_scoped, probe_kwarg


@probe_kwarg("asset_id")
def foreign_asset(world):
    # A row is enough: every route must refuse before it would touch the file.
    from townsquare.media.models import MediaAsset

    asset = MediaAsset.objects.create(
        workspace=world.foreign,
        file=f"{world.foreign.pk}/probe/foreign.png",
        original_name="foreign.png",
        kind="image",
        mime_type="image/png",
        size_bytes=1,
        sha256="f" * 64,
        uploaded_by=world.foreign_owner,
    )
    return asset.pk


@probe_kwarg("folder_id")
def foreign_folder(world):
    from townsquare.media.models import MediaFolder

    return MediaFolder.objects.create(workspace=world.foreign, name="Foreign folder").pk


not_tenant_scoped(
    "media_public_file",
    "holding the signed, expiring token is what grants access: Instagram, Threads and "
    "Facebook download a post's files from it without a session",
)


@probe_kwarg("filename")
def public_file_name(world):
    # With any token the probes send (none is signed for a file), the answer is a 404.
    return "probe.png"
