"""The triage learns a workspace's own judgement from its corrections: a new model version,
used for every new message, and going back to an earlier one or to the shipped model."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from townsquare.inbox import learning_actions, triage_actions
from townsquare.inbox.ingest_store import prepare
from townsquare.inbox.learning import model_for
from townsquare.inbox.models import Message, TriageModelVersion
from townsquare.inbox.tests import inbox_world
from townsquare.inbox.tests.inbox_world import make_conversation
from townsquare.inbox.triage import triage_texts
from townsquare.lib.errors import ActionError
from townsquare.networks.base import InboxMessage

pytestmark = pytest.mark.django_db

account = inbox_world.account
viewer = inbox_world.viewer

# A shop whose customers ask "where is my parcel" in a way the shipped model reads as a
# question; this workspace wants such messages treated as complaints.
PARCEL_TEXTS = [
    "Wo ist mein Paket 4711?",
    "Wo bleibt meine Lieferung 5522?",
    "Wann kommt endlich mein Paket?",
    "Wo ist meine Bestellung 8812?",
]


def _correct_all(membership, account, texts, value="complaint"):
    for text in texts:
        conversation = make_conversation(account, text, category="question", sentiment="neutral")
        message = Message.objects.get(conversation=conversation)
        triage_actions.do_correct_label(membership, message, "category", value)


def test_nothing_to_learn_from_says_so(membership):
    with pytest.raises(ActionError) as refused:
        learning_actions.do_train_from_corrections(membership)
    assert refused.value.code == "no_corrections"
    assert not TriageModelVersion.objects.exists()


def test_a_model_trained_on_corrections_is_used_for_new_messages(membership, account):
    _correct_all(membership, account, PARCEL_TEXTS)
    saved = learning_actions.do_train_from_corrections(membership)

    assert saved.active and saved.examples == len(PARCEL_TEXTS)
    assert saved.metrics["category"]["corrections"] == len(PARCEL_TEXTS)
    model = model_for(account.workspace_id)
    assert model is not None and model.version == saved.version
    (labelled,) = triage_texts(["Wo ist mein Paket 4711?"], model=model)
    assert labelled.category.value == "complaint"

    # Ingest triages with the workspace's model.
    incoming = InboxMessage(
        network_message_id="m-new-1",
        conversation_id="t-new-1",
        kind="mention",
        author_handle="@neu@example.social",
        author_name="Neu",
        text="Wo bleibt meine Lieferung 9001?",
        created_at=datetime(2026, 12, 1, 9, tzinfo=UTC),
    )
    prepared = prepare(account, [incoming])
    assert prepared.triage[0].model_version == saved.version
    assert prepared.triage[0].category.value == "complaint"


def test_going_back_to_the_shipped_model_and_to_an_earlier_version(membership, account):
    _correct_all(membership, account, PARCEL_TEXTS[:2])
    first = learning_actions.do_train_from_corrections(membership)
    _correct_all(membership, account, PARCEL_TEXTS[2:])
    second = learning_actions.do_train_from_corrections(membership)
    assert first.version != second.version
    assert list(TriageModelVersion.objects.filter(active=True)) == [second]

    learning_actions.do_activate_model(membership, None)
    assert model_for(account.workspace_id) is None
    learning_actions.do_activate_model(membership, first)
    assert model_for(account.workspace_id).version == first.version


def test_a_viewer_may_not_train(membership, account, viewer):
    _correct_all(membership, account, PARCEL_TEXTS[:1])
    with pytest.raises(PermissionDenied):
        learning_actions.do_train_from_corrections(viewer)


def test_the_page_in_german_trains_and_goes_back(alice_client, membership, account):
    _correct_all(membership, account, PARCEL_TEXTS[:2])
    url = reverse("inbox_settings_triage", kwargs={"workspace": account.workspace.slug})
    alice_client.cookies["django_language"] = "de"
    page = alice_client.get(url, HTTP_ACCEPT_LANGUAGE="de")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Ihre Korrekturen" in text and "Mit Townsquare ausgeliefert" in text
    alice_client.post(url, {"action": "train"})
    assert TriageModelVersion.objects.filter(active=True).count() == 1
    alice_client.post(url, {"action": "shipped"})
    assert not TriageModelVersion.objects.filter(active=True).exists()


def test_another_workspace_s_model_cannot_be_made_active(
    alice_client, membership, account, workspace_b, carol
):
    other = TriageModelVersion.objects.create(
        workspace=workspace_b, version="triage-other", blob=b"x", active=False
    )
    url = reverse("inbox_settings_triage", kwargs={"workspace": account.workspace.slug})
    alice_client.post(url, {"action": "activate", "version": other.pk})
    other.refresh_from_db()
    assert not other.active
    with pytest.raises(ActionError):
        learning_actions.do_activate_model(membership, other)
