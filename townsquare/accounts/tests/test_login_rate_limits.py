"""Guessing passwords or codes is stopped at every way in: after the limit the answer is
HTTP 429 with a page that says what happened, in the person's language."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.totp.internal.auth import generate_totp_secret as new_secret

from townsquare.accounts.tests.test_login import current_code

pytestmark = pytest.mark.django_db

# ACCOUNT_RATE_LIMITS["login_failed"]: five wrong attempts per address in five minutes.
ALLOWED_FAILURES = 5


def wrong_password(client, path="/accounts/login/", **headers):
    return client.post(path, {"login": "alice@example.com", "password": "wrong"}, **headers)


def test_wrong_passwords_at_the_sign_in_page_are_refused_with_429_after_the_limit(client, alice):
    for _ in range(ALLOWED_FAILURES):
        assert wrong_password(client).status_code == 200
    locked = wrong_password(client)
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    # The right password does not get through the lockout either.
    right = client.post(
        "/accounts/login/", {"login": "alice@example.com", "password": "alice-pass-123"}
    )
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_speaks_german_to_a_german_browser(client, alice):
    for _ in range(ALLOWED_FAILURES):
        wrong_password(client)
    locked = wrong_password(client, headers={"Accept-Language": "de"})
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Zu viele Versuche" in page
    assert 'class="topbar"' in page  # inside the shell, with a way back


def test_wrong_passwords_at_the_admin_login_are_never_checked(client, alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    for _ in range(20):
        response = client.post(
            "/admin/login/", {"username": "alice@example.com", "password": "wrong"}
        )
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    # Not even the right password signs anyone in there.
    client.post("/admin/login/", {"username": "alice@example.com", "password": "alice-pass-123"})
    assert "_auth_user_id" not in client.session


def test_wrong_two_factor_codes_are_refused_with_429_after_the_limit(client, alice):
    secret = new_secret()
    TOTP.activate(alice, secret)
    response = client.post(
        "/accounts/login/", {"login": "alice@example.com", "password": "alice-pass-123"}
    )
    stage = response["Location"]
    for _ in range(ALLOWED_FAILURES):
        assert client.post(stage, {"code": "000000"}).status_code == 200
    assert client.post(stage, {"code": "000000"}).status_code == 429
    assert client.post(stage, {"code": current_code(secret)}).status_code == 429
    assert "_auth_user_id" not in client.session


def test_confirming_the_password_again_is_rate_limited_too(client, alice):
    client.force_login(alice)
    statuses = [
        client.post("/accounts/reauthenticate/", {"password": "wrong"}).status_code
        for _ in range(ALLOWED_FAILURES + 1)
    ]
    assert statuses[:ALLOWED_FAILURES] == [200] * ALLOWED_FAILURES
    assert statuses[-1] == 429
