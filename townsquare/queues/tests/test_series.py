"""Series: one post per occurrence, scheduled at wall times; edit or skip one or following."""

from datetime import timedelta

import pytest

from townsquare.lib.errors import ActionError
from townsquare.publishing.models import Publication
from townsquare.queues.access import series_post_ids
from townsquare.queues.models import SeriesOccurrence
from townsquare.queues.series_actions import do_create_series, do_edit_occurrence
from townsquare.queues.tests.conftest import tomorrow_at

pytestmark = pytest.mark.django_db


def _series(membership, make_post, workspace_a, count=4):
    post = make_post("Montagsfrage: Was ist euer Lieblingskaffee?")
    first = tomorrow_at(workspace_a, 9)
    series = do_create_series(membership, post, f"FREQ=WEEKLY;COUNT={count}", first)
    return post, series, first


def test_a_series_makes_one_scheduled_post_per_occurrence(membership, make_post, workspace_a):
    post, series, first = _series(membership, make_post, workspace_a)
    occurrences = list(series.occurrences.select_related("post"))
    assert [o.index for o in occurrences] == [0, 1, 2, 3]
    assert occurrences[0].post == post
    assert len({o.post_id for o in occurrences}) == 4
    pubs = Publication.objects.filter(post__series_occurrence__series=series)
    assert pubs.count() == 4 and {p.status for p in pubs} == {"scheduled"}
    assert sorted(p.local_due for p in pubs) == [
        (first + timedelta(weeks=n)).isoformat(timespec="minutes") for n in range(4)
    ]
    copy = occurrences[1].post
    assert copy.master_text == post.master_text
    assert copy.variants.get().account_id == post.variants.get().account_id
    assert series_post_ids(workspace_a, [p.pk for p in [post, copy]]) == {post.pk, copy.pk}


def test_a_rule_without_an_end_saves_nothing(membership, make_post, workspace_a):
    post = make_post()
    with pytest.raises(ActionError) as refused:
        do_create_series(membership, post, "FREQ=WEEKLY", tomorrow_at(workspace_a))
    assert refused.value.code == "invalid_rrule" and refused.value.status == 422
    assert "COUNT" in refused.value.message
    assert not SeriesOccurrence.objects.exists() and not Publication.objects.exists()


def test_a_first_time_in_the_past_saves_nothing(membership, make_post, workspace_a):
    post = make_post()
    with pytest.raises(ActionError) as refused:
        do_create_series(membership, post, "FREQ=DAILY;COUNT=3", tomorrow_at(workspace_a, days=-3))
    assert refused.value.code == "time_in_past"
    assert not SeriesOccurrence.objects.exists() and not Publication.objects.exists()


def test_edit_the_text_of_one_occurrence(membership, make_post, workspace_a):
    _post, series, _first = _series(membership, make_post, workspace_a)
    second = series.occurrences.get(index=1)
    do_edit_occurrence(membership, second, text="Diese Woche: Filter oder Espresso?")
    texts = [o.post.master_text for o in series.occurrences.select_related("post")]
    assert texts[1] == "Diese Woche: Filter oder Espresso?"
    assert texts[0] == texts[2] == texts[3] == "Montagsfrage: Was ist euer Lieblingskaffee?"
    assert second.post.publications.get().status == "scheduled"


def test_move_this_and_all_following_keeps_their_wall_times_apart(
    membership, make_post, workspace_a
):
    _post, series, first = _series(membership, make_post, workspace_a)
    second = series.occurrences.get(index=1)
    new_time = first + timedelta(weeks=1, hours=2)
    changed = do_edit_occurrence(membership, second, wall_time=new_time, following=True)
    assert [o.index for o in changed] == [1, 2, 3]
    dues = [o.post.publications.get().local_due for o in series.occurrences.select_related("post")]
    assert dues[0] == first.isoformat(timespec="minutes")
    assert dues[1:] == [
        (first + timedelta(weeks=n, hours=2)).isoformat(timespec="minutes") for n in (1, 2, 3)
    ]


def test_skip_one_cancels_its_publications_and_can_be_taken_back(
    membership, make_post, workspace_a
):
    _post, series, _first = _series(membership, make_post, workspace_a)
    third = series.occurrences.get(index=2)
    do_edit_occurrence(membership, third, skip=True)
    third.refresh_from_db()
    assert third.skipped and third.post.publications.get().status == "cancelled"
    assert series.occurrences.get(index=3).post.publications.get().status == "scheduled"
    do_edit_occurrence(membership, third, skip=False)
    assert third.post.publications.get().status == "scheduled"


def test_skip_following(membership, make_post, workspace_a):
    _post, series, _first = _series(membership, make_post, workspace_a)
    do_edit_occurrence(membership, series.occurrences.get(index=1), skip=True, following=True)
    statuses = [o.post.publications.get().status for o in series.occurrences.select_related("post")]
    assert statuses == ["scheduled", "cancelled", "cancelled", "cancelled"]


def test_a_sent_occurrence_cannot_be_changed(membership, make_post, workspace_a):
    post, series, _first = _series(membership, make_post, workspace_a)
    Publication.objects.filter(post=post).update(status="published")
    with pytest.raises(ActionError) as refused:
        do_edit_occurrence(membership, series.occurrences.get(index=0), skip=True)
    assert refused.value.code == "not_editable"


def test_a_post_repeats_only_once(membership, make_post, workspace_a):
    post, _s, _first = _series(membership, make_post, workspace_a, count=2)
    with pytest.raises(ActionError) as refused:
        do_create_series(membership, post, "FREQ=DAILY;COUNT=2", tomorrow_at(workspace_a, days=3))
    assert refused.value.code == "already_repeating"


def test_occurrences_copy_media_and_the_plan_fields(membership, make_post, workspace_a, alice):
    from townsquare.content.models import PostMedia
    from townsquare.media.models import MediaAsset
    from townsquare.planning.models import Audience, Campaign, Pillar

    post = make_post(TEXT_WITH_PICTURE)
    asset = MediaAsset.objects.create(
        workspace=workspace_a,
        file=f"{workspace_a.pk}/q/cup.png",
        original_name="cup.png",
        kind="image",
        mime_type="image/png",
        size_bytes=1,
        sha256="a" * 64,
        uploaded_by=alice,
    )
    PostMedia.objects.create(post=post, asset=asset, position=0)
    post.pillar = Pillar.objects.create(workspace=workspace_a, name="Röstkunst")
    post.audience = Audience.objects.create(workspace=workspace_a, name="Stammkundschaft")
    day = tomorrow_at(workspace_a).date()
    post.campaign = Campaign.objects.create(
        workspace=workspace_a, name="Frühling", starts_on=day, ends_on=day
    )
    post.save()
    series = do_create_series(membership, post, "FREQ=DAILY;COUNT=2", tomorrow_at(workspace_a))
    copy = series.occurrences.get(index=1).post
    assert list(copy.attachments.values_list("asset_id", flat=True)) == [asset.pk]
    assert (copy.pillar_id, copy.audience_id, copy.campaign_id) == (
        post.pillar_id,
        post.audience_id,
        post.campaign_id,
    )


TEXT_WITH_PICTURE = "Unsere neue Tasse ist da: handgetöpfert in Höhr-Grenzhausen."
