from townsquare.testing.tenancy import probe_kwarg


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
