"""Invitations hold: only the invited person joins, once; the address is one plain address;
the e-mail leaves after the invitation is saved and its failure is visible; and nobody can
send them by the thousand."""

from __future__ import annotations

import threading
from smtplib import SMTPException

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.urls import reverse

from townsquare.audit.models import AuditEvent
from townsquare.lib.errors import ActionError
from townsquare.workspaces import actions
from townsquare.workspaces.invitations import INVITATIONS_PER_HOUR
from townsquare.workspaces.models import Invitation, Membership

pytestmark = pytest.mark.django_db

REFUSED_ADDRESSES = [
    "victim@example.org,root",
    "victim@example.org, root@example.org",
    "victim@example.org;root@example.org",
    "victim@example.org\nBcc: everyone@example.org",
    "victim@example.org\r",
    "vict\x00im@example.org",
    "jörg@example.org",
    "jorg@exämple.org",
    '"victim@example.org,root"@example.org',
    "Victim <victim@example.org>",
    "root@localhost",
    "root@[127.0.0.1]",
    "not an address",
]


def make_user(email: str):
    return get_user_model().objects.create_user(email, "pass-123-456", name=email.split("@")[0])


def members_url(workspace) -> str:
    return reverse("workspace_members", args=[workspace.slug])


def api_url(workspace) -> str:
    return f"/api/v1/workspaces/{workspace.slug}/invitations"


@pytest.fixture
def failing_mail(monkeypatch):
    def refuse(self, messages):
        raise SMTPException("451 Temporary local problem")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)


# --- who may accept ---------------------------------------------------------------------------


def test_only_the_person_it_was_sent_to_can_accept_an_invitation(membership, carol):
    _invitation, token = actions.do_invite(membership, email="dave@example.org", role="editor")
    with pytest.raises(ActionError) as refused:
        actions.do_accept_invitation(carol, token)
    assert refused.value.code == "wrong_account" and refused.value.status == 403
    assert not Membership.objects.filter(user=carol).exists()
    dave = make_user("Dave@Example.org")  # the same address, written otherwise
    joined = actions.do_accept_invitation(dave, token)
    assert joined.user == dave and joined.role == "editor"


def test_the_invitation_page_tells_someone_else_that_it_is_not_theirs(client, membership, carol):
    _invitation, token = actions.do_invite(membership, email="dave@example.org", role="editor")
    client.force_login(carol)
    page = client.get(reverse("invitation_accept", args=[token]))
    assert "another e-mail address" in page.content.decode()
    client.post(reverse("invitation_accept", args=[token]))
    assert not Membership.objects.filter(user=carol).exists()


@pytest.mark.django_db(transaction=True)  # the second accept runs on its own connection
def test_two_accepts_at_the_same_moment_make_one_membership(alice, bob, monkeypatch):
    workspace = actions.do_create_workspace(alice, name="Gleichzeitig")
    owner = Membership.objects.get(workspace=workspace, user=alice)
    _invitation, token = actions.do_invite(owner, email="bob@example.com", role="viewer")

    first_inside, release_first = threading.Event(), threading.Event()
    second_started, second_read = threading.Event(), threading.Event()
    create = Membership.objects.get_or_create

    def get_or_create(*args, **kwargs):
        if threading.current_thread() is first_thread:
            first_inside.set()  # the first accept has read the invitation and holds it
            assert release_first.wait(30)
        else:
            second_read.set()  # the second got past its read while the first was inside
        return create(*args, **kwargs)

    monkeypatch.setattr(Membership.objects, "get_or_create", get_or_create)
    outcomes: dict[str, object] = {}

    def accept(name: str) -> None:
        if name == "second":
            second_started.set()
        try:
            outcomes[name] = actions.do_accept_invitation(bob, token)
        except ActionError as error:
            outcomes[name] = error.code
        finally:
            connection.close()

    first_thread = threading.Thread(target=accept, args=("first",))
    second_thread = threading.Thread(target=accept, args=("second",))
    first_thread.start()
    assert first_inside.wait(30)
    second_thread.start()
    # The second accept either waits for the first one's lock (PostgreSQL: visible as a lock
    # wait; SQLite: its write transaction cannot begin) or, without a lock, reads the
    # invitation as still open: then let the first go on only after that read.
    assert second_started.wait(30)
    _wait_until_blocked_or(second_read)
    release_first.set()
    first_thread.join(30)
    second_thread.join(30)
    assert sorted(str(type(v).__name__) for v in outcomes.values()) == ["Membership", "str"]
    assert "invalid_invitation" in outcomes.values()
    assert Membership.objects.filter(workspace=workspace, user=bob).count() == 1
    assert AuditEvent.objects.filter(action="member.join", workspace=workspace).count() == 1


def _wait_until_blocked_or(event: threading.Event) -> None:
    """PostgreSQL: until the second accept waits for a lock, or has read past it."""
    if connection.vendor != "postgresql":
        # SQLite: the second's IMMEDIATE transaction cannot begin before the first commits,
        # so it cannot read in between; nothing to wait for.
        return
    while not event.wait(0.01):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return


# --- the address ------------------------------------------------------------------------------


@pytest.mark.parametrize("address", REFUSED_ADDRESSES)
def test_an_address_that_is_not_one_plain_address_is_refused_by_the_action(membership, address):
    with pytest.raises(ActionError) as refused:
        actions.do_invite(membership, email=address, role="viewer")
    assert refused.value.status == 422 and refused.value.code == "invalid_email"
    assert (
        not Invitation.objects.exists()
        and not AuditEvent.objects.filter(action="member.invite").exists()
    )


@pytest.mark.parametrize("address", REFUSED_ADDRESSES)
def test_the_api_answers_422_for_such_an_address_and_saves_nothing(
    alice_client, workspace_a, address
):
    response = alice_client.post(
        api_url(workspace_a), {"email": address, "role": "viewer"}, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "validation_error"
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("address", REFUSED_ADDRESSES)
def test_the_members_form_shows_an_error_for_such_an_address_and_saves_nothing(
    alice_client, workspace_a, address
):
    response = alice_client.post(members_url(workspace_a), {"email": address, "role": "viewer"})
    assert response.status_code == 200
    assert 'id="id_email-error"' in response.content.decode()
    assert not Invitation.objects.exists()


# --- the e-mail -------------------------------------------------------------------------------


def test_a_mail_failure_does_not_fail_the_page_and_the_members_page_offers_to_send_again(
    alice_client, workspace_a, failing_mail, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            members_url(workspace_a), {"email": "dave@example.org", "role": "editor"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email_status == "failed"
    page = alice_client.get(members_url(workspace_a)).content.decode()
    resend = reverse("workspace_invitation_resend", args=[workspace_a.slug, invitation.pk])
    assert "could not be sent" in page and resend in page

    monkeypatch.undo()  # the mail server is back
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(resend)
    invitation.refresh_from_db()
    assert invitation.email_status == "sent" and len(mail.outbox) == 1
    token = mail.outbox[0].body.split("/invite/")[1].split("/")[0]
    dave = make_user("dave@example.org")
    assert actions.do_accept_invitation(dave, token).role == "editor"


def test_the_api_creates_the_invitation_and_reports_that_the_mail_failed(
    alice_client, workspace_a, failing_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            api_url(workspace_a),
            {"email": "dave@example.org", "role": "viewer"},
            content_type="application/json",
        )
    # Here the e-mail goes out when the test's transaction lets it, after the answer; a real
    # request commits first, and the answer says "failed" already.
    assert response.status_code == 201, response.content
    assert response.json()["email_status"] in ("pending", "failed")
    invitation = Invitation.objects.get()
    assert invitation.email == "dave@example.org" and invitation.email_status == "failed"


def test_the_invitation_e_mail_names_the_role_in_the_readers_words(
    membership, django_capture_on_commit_callbacks
):
    from django.utils import translation

    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        actions.do_invite(membership, email="dave@example.org", role="viewer")
    assert "als Betrachter" in mail.outbox[0].body
    assert " viewer." not in mail.outbox[0].body


# --- how many ---------------------------------------------------------------------------------


def _fill_the_hour(membership) -> None:
    for n in range(INVITATIONS_PER_HOUR):
        actions.do_invite(membership, email=f"person{n}@example.org", role="viewer")


def test_a_workspace_may_send_only_so_many_invitations_an_hour(
    membership, workspace_a, alice, alice_client
):
    _fill_the_hour(membership)
    with pytest.raises(ActionError) as refused:
        actions.do_invite(membership, email="one-more@example.org", role="viewer")
    assert refused.value.status == 429 and refused.value.code == "too_many_invitations"
    # Another manager of the same workspace is held back too.
    dave = make_user("dave@example.org")
    manager = Membership.objects.create(workspace=workspace_a, user=dave, role="manager")
    with pytest.raises(ActionError):
        actions.do_invite(manager, email="two-more@example.org", role="viewer")
    api = alice_client.post(
        api_url(workspace_a),
        {"email": "three-more@example.org", "role": "viewer"},
        content_type="application/json",
    )
    assert api.status_code == 429 and api.json()["error"]["code"] == "too_many_invitations"
    form = alice_client.post(
        members_url(workspace_a), {"email": "four-more@example.org", "role": "viewer"}
    )
    assert form.status_code == 200 and "Too many invitations" in form.content.decode()
    assert Invitation.objects.count() == INVITATIONS_PER_HOUR


def test_one_person_may_send_only_so_many_invitations_an_hour_across_workspaces(membership, alice):
    _fill_the_hour(membership)
    other = actions.do_create_workspace(alice, name="Zweite Rösterei")
    owner_there = Membership.objects.get(workspace=other, user=alice)
    with pytest.raises(ActionError) as refused:
        actions.do_invite(owner_there, email="elsewhere@example.org", role="viewer")
    assert refused.value.status == 429


def test_sending_again_counts_towards_the_limit(membership, django_capture_on_commit_callbacks):
    invitation, _token = actions.do_invite(membership, email="dave@example.org", role="viewer")
    for _ in range(INVITATIONS_PER_HOUR - 1):
        actions.do_resend_invitation(membership, invitation)
    with pytest.raises(ActionError) as refused:
        actions.do_resend_invitation(membership, invitation)
    assert refused.value.status == 429


def test_the_api_description_documents_the_429(alice_client):
    schema = alice_client.get("/api/v1/openapi.json").json()
    answers = schema["paths"]["/api/v1/workspaces/{workspace}/invitations"]["post"]["responses"]
    assert "429" in answers
    assert "email_status" in schema["components"]["schemas"]["InvitationOut"]["properties"]
