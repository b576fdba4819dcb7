"""Signing in: email + password, optional TOTP, password reset by email, invitation-only sign-up."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.totp.internal.auth import generate_totp_secret as new_secret
from django.core import mail

pytestmark = pytest.mark.django_db


def current_code(secret):
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_a_person_signs_in_with_email_and_password_and_lands_in_their_workspace(
    client, alice, workspace_a
):
    response = client.post(
        "/accounts/login/", {"login": "ALICE@example.com", "password": "alice-pass-123"}
    )
    assert response.status_code == 302
    response = client.get("/", follow=True)
    assert response.request["PATH_INFO"] == f"/w/{workspace_a.slug}/"


def test_a_wrong_password_is_refused_with_a_message(client, alice):
    response = client.post("/accounts/login/", {"login": "alice@example.com", "password": "nope"})
    assert response.status_code == 200
    assert b"not correct" in response.content
    assert "_auth_user_id" not in client.session


def test_with_totp_enabled_sign_in_needs_the_current_code(client, alice):
    secret = new_secret()
    TOTP.activate(alice, secret)
    response = client.post(
        "/accounts/login/", {"login": "alice@example.com", "password": "alice-pass-123"}
    )
    assert response.status_code == 302 and "/2fa/" in response["Location"]
    assert "_auth_user_id" not in client.session
    wrong = client.post(response["Location"], {"code": "000000"})
    assert "_auth_user_id" not in client.session, wrong.content
    client.post(response["Location"], {"code": current_code(secret)})
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_password_reset_sends_a_working_link_by_email(client, alice):
    client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    response = client.post(
        form.request["PATH_INFO"],
        {"password1": "a-new-long-passphrase", "password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a-new-long-passphrase")


def test_sign_up_is_closed_to_strangers(client):
    response = client.get("/accounts/signup/")
    assert b"closed" in response.content.lower()


def test_an_invitation_opens_sign_up_and_the_new_account_joins_the_workspace(
    client, membership, django_capture_on_commit_callbacks
):
    from townsquare.workspaces.actions import do_invite

    _invitation, token = do_invite(membership, email="dana@example.com", role="editor")
    response = client.get(f"/invite/{token}/")
    assert response.status_code == 302
    response = client.post(
        "/accounts/signup/",
        {
            "email": "dana@example.com",
            "password1": "dana-long-pass-1",
            "password2": "dana-long-pass-1",
        },
    )
    assert response.status_code == 302, response.content[:500]
    from townsquare.workspaces.models import Membership

    joined = Membership.objects.get(user__email="dana@example.com")
    assert joined.workspace == membership.workspace and joined.role == "editor"


def test_an_unknown_invitation_link_says_so(client):
    response = client.get("/invite/not-a-token/")
    assert response.status_code == 404
    assert b"no longer valid" in response.content


def test_the_user_chooses_the_interface_language(client, alice, workspace_a):
    client.force_login(alice)
    client.post("/language/", {"language": "de", "next": "/"})
    alice.refresh_from_db()
    assert alice.language == "de"
    page = client.get(f"/w/{workspace_a.slug}/")
    assert page["Content-Language"] == "de"


def test_the_two_factor_page_renders_inside_the_shell(client, alice):
    client.force_login(alice)
    page = client.get("/accounts/2fa/")
    assert page.status_code == 200
    assert b"Authenticator" in page.content and b'class="topbar"' in page.content


def test_the_sign_in_page_does_not_offer_sign_up_when_it_is_closed(client):
    page = client.get("/accounts/login/")
    assert b"by invitation" in page.content
    assert b"/accounts/signup/" not in page.content
