"""The admin signs people in the way the rest of Townsquare does: through the sign-in page,
with the second factor and the login rate limits. Its own password form is never used."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.totp.internal.auth import generate_totp_secret as new_secret

from townsquare.accounts.tests.test_login import current_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_with_totp(alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    secret = new_secret()
    TOTP.activate(alice, secret)
    return alice, secret


def reaches_the_admin(client) -> bool:
    return client.get("/admin/").status_code == 200


def test_the_admin_login_page_sends_people_to_the_townsquare_sign_in(client):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    assert parse_qs(location.query)["next"] == ["/admin/accounts/user/"]


def test_the_admin_itself_sends_a_stranger_to_the_townsquare_sign_in(client):
    response = client.get("/admin/", follow=True)
    assert response.request["PATH_INFO"] == "/accounts/login/"


def test_a_staff_user_with_totp_cannot_reach_the_admin_with_the_password_at_the_admin_login(
    client, staff_with_totp
):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "alice@example.com", "password": "alice-pass-123", "next": "/admin/"},
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not reaches_the_admin(client)


def test_a_staff_user_with_totp_cannot_reach_the_admin_with_the_password_at_the_sign_in_page(
    client, staff_with_totp
):
    response = client.post(
        "/accounts/login/",
        {"login": "alice@example.com", "password": "alice-pass-123", "next": "/admin/"},
    )
    assert "/2fa/" in response["Location"]
    assert not reaches_the_admin(client)


def test_a_staff_user_who_gives_the_current_code_reaches_the_admin(client, staff_with_totp):
    _alice, secret = staff_with_totp
    response = client.post(
        "/accounts/login/",
        {"login": "alice@example.com", "password": "alice-pass-123", "next": "/admin/"},
    )
    done = client.post(response["Location"], {"code": current_code(secret)})
    assert done["Location"] == "/admin/"
    assert reaches_the_admin(client)


def test_a_session_without_the_second_factor_is_asked_for_it_before_the_admin(
    client, staff_with_totp
):
    # However a session came to be signed in without the code (an older session, TOTP
    # turned on afterwards), the admin asks for the code first.
    alice, secret = staff_with_totp
    client.force_login(alice)
    response = client.get("/admin/")
    assert response.status_code == 302
    confirm = client.get(response["Location"], follow=True)
    assert confirm.request["PATH_INFO"] == "/accounts/2fa/reauthenticate/"
    client.post(confirm.request["PATH_INFO"], {"code": current_code(secret), "next": "/admin/"})
    assert reaches_the_admin(client)


def test_a_signed_in_person_cannot_sign_in_as_someone_else_through_the_admin_form(
    client, bob, staff_with_totp
):
    bob.is_staff = True
    bob.save()
    client.force_login(bob)
    client.post(
        "/admin/login/",
        {"username": "alice@example.com", "password": "alice-pass-123", "next": "/admin/"},
    )
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_someone_who_is_not_staff_is_refused_the_admin(client, bob):
    client.force_login(bob)
    assert client.get("/admin/login/").status_code == 403
    assert not reaches_the_admin(client)


def test_staff_without_a_second_factor_reach_the_admin_after_signing_in(client, bob):
    bob.is_staff = True
    bob.save()
    response = client.post(
        "/accounts/login/",
        {"login": "bob@example.com", "password": "bob-pass-123", "next": "/admin/"},
    )
    assert response["Location"] == "/admin/"
    assert reaches_the_admin(client)
