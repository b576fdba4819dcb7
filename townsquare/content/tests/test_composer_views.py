import pytest

from townsquare.content.models import Post, Snippet
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.django_db

TEXT = (
    "Unsere Herbströstung ist da: kräftig, schokoladig, perfekt fürs Sonntagsfrühstück. "
    "Wir haben sie drei Monate mit unseren Baristas getestet und Ihre Rückmeldungen "
    "eingearbeitet. Probieren Sie sie diese Woche zum Einführungspreis in allen Filialen! "
    "https://morgenrot.example/herbst #Kaffee"
)


@pytest.fixture
def accounts(workspace_a):
    return [
        SocialAccount.objects.create(workspace=workspace_a, network=n, handle=f"@{n}")
        for n in ("bluesky", "x", "instagram")
    ]


def _form(accounts, **extra):
    return {"text": TEXT, "language": "de", "accounts": [str(a.pk) for a in accounts], **extra}


def test_the_live_preview_shows_one_card_per_network_with_counts(
    alice_client, workspace_a, accounts
):
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/preview/", _form(accounts), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<article class="preview') == 3
    assert "/ 300" in html and "/ 280" in html and "/ 2200" in html
    assert "1/2" in html, "Bluesky's card shows the numbered thread"
    assert not Post.objects.exists(), "a preview never saves"


def test_saving_creates_a_draft_and_its_page_shows_every_variant(
    alice_client, workspace_a, accounts
):
    response = alice_client.post(f"/w/{workspace_a.slug}/compose/", _form(accounts, action="save"))
    post = Post.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/w/{workspace_a.slug}/posts/{post.pk}/"
    )
    page = alice_client.get(response["Location"]).content.decode()
    assert page.count('<article class="preview') == 3
    assert "Edit this variant by hand" in page
    listing = alice_client.get(f"/w/{workspace_a.slug}/posts/").content.decode()
    assert "Unsere Herbströstung" in listing


def test_a_variant_is_edited_by_hand_and_reset_from_its_card(alice_client, workspace_a, accounts):
    alice_client.post(f"/w/{workspace_a.slug}/compose/", _form(accounts, action="save"))
    variant = Post.objects.get().variants.get(account__network="x")
    alice_client.post(f"/w/{workspace_a.slug}/variants/{variant.pk}/", {"text": "Eigene Worte"})
    variant.refresh_from_db()
    assert variant.text == "Eigene Worte" and variant.edited_by_hand
    alice_client.post(
        f"/w/{workspace_a.slug}/variants/{variant.pk}/", {"action": "reset", "text": "x"}
    )
    variant.refresh_from_db()
    assert not variant.edited_by_hand and "Herbströstung" in variant.text


def test_the_form_explains_bad_input_and_saves_nothing(alice_client, workspace_a, accounts):
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/",
        {
            "text": "Hallo",
            "language": "de",
            "accounts": ["999999"],
            "action": "save",
            "link_url": "nope nope",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "999999" in html or "Select a valid choice" in html
    assert "Enter a valid URL" in html
    assert not Post.objects.exists()


def test_the_composer_speaks_german_to_a_german_user(client, alice, workspace_a, accounts):
    alice.language = "de"
    alice.save()
    client.force_login(alice)
    html = client.get(f"/w/{workspace_a.slug}/compose/").content.decode()
    assert "Entwurf speichern" in html
    preview = client.post(
        f"/w/{workspace_a.slug}/compose/preview/", _form(accounts)
    ).content.decode()
    assert "Instagram braucht mindestens ein Bild oder Video" in preview


def test_snippets_are_offered_for_insertion(alice_client, workspace_a, accounts):
    Snippet.objects.create(workspace=workspace_a, name="Signatur", text="Ihr Morgenrot-Team")
    html = alice_client.get(f"/w/{workspace_a.slug}/compose/").content.decode()
    assert "Signatur" in html and "data-insert-snippet" in html


def test_a_viewer_cannot_open_the_composer(client, carol, workspace_a, accounts):
    from townsquare.workspaces.models import Membership

    Membership.objects.create(workspace=workspace_a, user=carol, role="viewer")
    client.force_login(carol)
    assert client.get(f"/w/{workspace_a.slug}/compose/").status_code == 403
