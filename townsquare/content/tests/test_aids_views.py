"""Settings > Writing aids and Settings > Style, through the pages people use."""

import pytest
from django.contrib.auth import get_user_model

from townsquare.audit.models import AuditEvent
from townsquare.content.actions import PostInput, do_save_post
from townsquare.content.models import Contact, HashtagSet, PostTemplate, Snippet
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db


def _aids(workspace, kind):
    return f"/w/{workspace.slug}/settings/writing-aids/{kind}/"


def _aid(workspace, kind, aid):
    return f"/w/{workspace.slug}/settings/writing-aids/{kind}/{aid.pk}/"


def _member(workspace, role):
    user = get_user_model().objects.create_user(f"{role}@example.com", "pass-123-pass", name=role)
    Membership.objects.create(workspace=workspace, user=user, role=role)
    return user


@pytest.fixture
def bob_client(client, bob, workspace_a):
    client.force_login(bob)
    return client


def test_an_editor_adds_renames_and_deletes_a_snippet(bob_client, workspace_a):
    response = bob_client.post(_aids(workspace_a, "snippets"), {"name": "Gruß", "text": "Ihr Team"})
    assert response.status_code == 302 and response["Location"] == _aids(workspace_a, "snippets")
    snippet = Snippet.objects.get(workspace=workspace_a)
    assert (snippet.name, snippet.text) == ("Gruß", "Ihr Team")
    assert "Ihr Team" in bob_client.get(_aids(workspace_a, "snippets")).content.decode()

    bob_client.post(_aid(workspace_a, "snippets", snippet), {"name": "Abschied", "text": "Tschüss"})
    snippet.refresh_from_db()
    assert (snippet.name, snippet.text) == ("Abschied", "Tschüss")

    bob_client.post(_aid(workspace_a, "snippets", snippet) + "delete/")
    assert not Snippet.objects.exists()
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == ["snippet.create", "snippet.update", "snippet.delete"]


def test_a_template_keeps_its_hashtags_tidy_and_its_language(bob_client, workspace_a):
    bob_client.post(
        _aids(workspace_a, "templates"),
        {
            "name": "Neue Röstung",
            "text": "Neu: {Sorte}",
            "hashtags": "#Kaffee Leipzig, #kaffee",
            "language": "de",
        },
    )
    template = PostTemplate.objects.get()
    assert template.hashtags == ["#Kaffee", "#Leipzig"] and template.language == "de"
    page = bob_client.get(_aid(workspace_a, "templates", template)).content.decode()
    assert 'value="#Kaffee #Leipzig"' in page
    bob_client.post(
        _aid(workspace_a, "templates", template),
        {"name": "Neue Röstung", "text": "New: {kind}", "hashtags": "", "language": "en"},
    )
    template.refresh_from_db()
    assert template.hashtags == [] and template.language == "en"


def test_a_hashtag_set_applies_to_the_networks_ticked_or_to_every_network(bob_client, workspace_a):
    bob_client.post(
        _aids(workspace_a, "hashtag-sets"),
        {"name": "Rösterei", "hashtags": "#Kaffee #Leipzig", "networks": ["instagram", "x"]},
    )
    bob_client.post(_aids(workspace_a, "hashtag-sets"), {"name": "Überall", "hashtags": "#Kaffee"})
    assert HashtagSet.objects.get(name="Rösterei").networks == ["instagram", "x"]
    assert HashtagSet.objects.get(name="Überall").networks == []
    page = bob_client.get(_aids(workspace_a, "hashtag-sets")).content.decode()
    assert "Instagram, X" in page and "every network" in page

    hashtag_set = HashtagSet.objects.get(name="Rösterei")
    bob_client.post(
        _aid(workspace_a, "hashtag-sets", hashtag_set), {"name": "Rösterei", "hashtags": "#Röstung"}
    )
    hashtag_set.refresh_from_db()
    assert hashtag_set.hashtags == ["#Röstung"] and hashtag_set.networks == []


def test_a_contact_has_one_handle_per_network_and_an_empty_one_means_none(bob_client, workspace_a):
    page = bob_client.get(_aids(workspace_a, "contacts")).content.decode()
    assert 'name="handle_bluesky"' in page and 'name="handle_reddit"' in page
    bob_client.post(
        _aids(workspace_a, "contacts"),
        {
            "name": "Stadtwerke Leipzig",
            "handle_bluesky": " @stadtwerke.bsky.social ",
            "handle_x": "",
        },
    )
    contact = Contact.objects.get()
    assert contact.handles == {"bluesky": "@stadtwerke.bsky.social"}
    assert (
        "Bluesky: @stadtwerke.bsky.social"
        in bob_client.get(_aids(workspace_a, "contacts")).content.decode()
    )

    bob_client.post(
        _aid(workspace_a, "contacts", contact),
        {"name": "Stadtwerke Leipzig", "handle_x": "@swl", "handle_bluesky": ""},
    )
    contact.refresh_from_db()
    assert contact.handles == {"x": "@swl"}


def test_a_contact_made_here_is_mentioned_by_the_composer(bob, bob_client, workspace_a):
    account = SocialAccount.objects.create(workspace=workspace_a, network="bluesky", handle="@a")
    bob_client.post(
        _aids(workspace_a, "contacts"),
        {"name": "Stadtwerke Leipzig", "handle_bluesky": "@stadtwerke.bsky.social"},
    )
    membership = Membership.objects.get(user=bob, workspace=workspace_a)
    post = do_save_post(membership, PostInput(text="Danke an @[Stadtwerke Leipzig]!"), [account.pk])
    assert post.variants.get().text == "Danke an @stadtwerke.bsky.social!"


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("hashtag-sets", {"name": "Kaputt", "hashtags": "#gut #-!"}, "These cannot be hashtags"),
        ("hashtag-sets", {"name": "Leer", "hashtags": "   "}, "This field is required"),
        ("contacts", {"name": "Erika [Chefin]"}, "cannot contain square brackets"),
        ("contacts", {"name": "Erika", "handle_x": "@erika mustermann"}, "is not a handle"),
        ("snippets", {"name": "Leer", "text": "   "}, "This field is required"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(bob_client, workspace_a, kind, data, message):
    response = bob_client.post(_aids(workspace_a, kind), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    for model in (HashtagSet, Contact, Snippet):
        assert not model.objects.exists()


def test_two_aids_of_a_kind_cannot_share_a_name(bob_client, workspace_a):
    bob_client.post(_aids(workspace_a, "contacts"), {"name": "Erika Muster"})
    response = bob_client.post(_aids(workspace_a, "contacts"), {"name": "erika  muster"})
    assert "There is already one called" in response.content.decode()
    assert Contact.objects.count() == 1


def test_a_contributor_uses_the_aids_but_cannot_change_them(client, workspace_a):
    snippet = Snippet.objects.create(workspace=workspace_a, name="Gruß", text="Ihr Team")
    client.force_login(_member(workspace_a, "contributor"))
    page = client.get(_aids(workspace_a, "snippets"))
    assert page.status_code == 200 and "Ihr Team" in page.content.decode()
    assert 'name="text"' not in page.content.decode()
    created = client.post(_aids(workspace_a, "snippets"), {"name": "X", "text": "Y"})
    assert created.status_code == 403
    assert client.get(_aid(workspace_a, "snippets", snippet)).status_code == 403
    assert client.post(_aid(workspace_a, "snippets", snippet), {"name": "X"}).status_code == 403
    assert client.post(_aid(workspace_a, "snippets", snippet) + "delete/").status_code == 403
    assert list(Snippet.objects.values_list("name", flat=True)) == ["Gruß"]


def test_a_viewer_sees_the_aids_but_no_edit_forms(client, workspace_a):
    contact = Contact.objects.create(workspace=workspace_a, name="Erika", handles={"x": "@erika"})
    client.force_login(_member(workspace_a, "viewer"))
    page = client.get(_aids(workspace_a, "contacts")).content.decode()
    assert "X: @erika" in page
    assert 'name="handle_x"' not in page and "Delete" not in page
    assert client.get(_aid(workspace_a, "contacts", contact)).status_code == 403


def test_an_aid_is_found_only_in_its_own_workspace_and_under_its_own_kind(
    alice_client, workspace_a, workspace_b
):
    foreign = Snippet.objects.create(workspace=workspace_b, name="B", text="Nur für B")
    own = Snippet.objects.create(workspace=workspace_a, name="A", text="Für A")
    for url in (
        _aid(workspace_a, "snippets", foreign),
        _aid(workspace_a, "snippets", foreign) + "delete/",
        _aid(workspace_a, "contacts", own),
        _aid(workspace_a, "recipes", own),
        _aids(workspace_a, "recipes"),
    ):
        assert alice_client.get(url).status_code == 404, url
        assert alice_client.post(url).status_code == 404, url
    assert Snippet.objects.count() == 2


def test_deleting_needs_a_post(alice_client, workspace_a):
    own = Snippet.objects.create(workspace=workspace_a, name="A", text="Für A")
    assert alice_client.get(_aid(workspace_a, "snippets", own) + "delete/").status_code == 405
    assert Snippet.objects.exists()


# --- style ---------------------------------------------------------------------------------


def test_the_style_page_moved_into_the_plan(alice_client, workspace_a):
    response = alice_client.get(f"/w/{workspace_a.slug}/settings/style/")
    assert response.status_code == 301
    assert response["Location"] == f"/w/{workspace_a.slug}/plan/tone/"


# --- language --------------------------------------------------------------------------------


def test_the_settings_pages_speak_german_to_a_german_user(client, alice, workspace_a):
    alice.language = "de"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    aids = client.get(_aids(workspace_a, "hashtag-sets")).content.decode()
    for text in ["Schreibhilfen", "Vorlagen", "Textbausteine", "Hashtag-Sets", "Kontakte"]:
        assert text in aids, f"{text!r} missing from the German writing aids page"
