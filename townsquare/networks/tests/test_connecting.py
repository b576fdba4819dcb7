"""The connect flow every OAuth network shares (networks/connecting.py): starting a sign-in,
checking the callback, reading the network's refusals, finding an account again and saving
it, and the two pages' common shape. The networks' own tests (x/, linkedin/, threads/,
meta/) drive the same helpers through their actions against captured answers."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import timezone

from townsquare.audit.models import AuditEvent
from townsquare.lib.errors import ActionError
from townsquare.networks import connecting
from townsquare.networks.base import NetworkError, Reauth, Rejected
from townsquare.networks.connecting import ConnectedAccount, ConnectRefused
from townsquare.networks.credentials import credentials_for, store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.networks.oauth2 import state as sign_in
from townsquare.networks.oauth2.tokens import OAuthApp
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db

KEY = "example_oauth_pending"
APP = OAuthApp(
    authorize_url="https://auth.example.org/authorize",
    token_url="https://auth.example.org/token",
    client_id="client-1",
    redirect_uri="https://townsquare.example/connect/example/callback/",
    scopes=("read", "write"),
)
LAPSES = datetime(2027, 2, 5, 14, 0, tzinfo=UTC)


def start(membership, session, **kwargs) -> dict[str, list[str]]:
    url = connecting.start_sign_in(membership, session, KEY, lambda: APP, **kwargs)
    target = urlsplit(url)
    assert f"{target.scheme}://{target.netloc}{target.path}" == APP.authorize_url
    return parse_qs(target.query)


def connected(**changes) -> ConnectedAccount:
    values = {
        "network": "x",
        "handle": "@kaffeehaus",
        "display_name": "Kaffeehaus",
        "id_key": "user_id",
        "network_id": "2244994945",
        "access_token": "at-1",
        "refresh_token": "rt-1",
        "expires_at": LAPSES,
        "token_expires_at": LAPSES,
    }
    values.update(changes)
    return ConnectedAccount(**values)


def pending(membership, **extra) -> sign_in.PendingSignIn:
    return sign_in.PendingSignIn(
        state="s",
        workspace=membership.workspace.slug,
        user_id=membership.user_id,
        created=0.0,
        extra=extra,
    )


# --- Starting -------------------------------------------------------------------------------------


def test_starting_remembers_the_sign_in_with_its_language_and_a_pkce_challenge(alice, membership):
    session: dict = {}
    query = start(membership, session, language="de", extra={"network": "x"})
    assert query["client_id"] == ["client-1"] and query["scope"] == ["read write"]
    assert query["code_challenge_method"] == ["S256"]

    taken = sign_in.finish_sign_in(session, KEY, query["state"][0])
    assert taken.workspace == membership.workspace.slug and taken.user_id == alice.pk
    assert dict(taken.extra) == {"network": "x", "language": "de"}
    assert sign_in.pkce_challenge(taken.verifier) == query["code_challenge"][0]


def test_a_network_that_takes_the_secret_gets_no_challenge_and_its_own_scope_separator(
    membership,
):
    query = start(membership, {}, pkce=False, scope_separator=",")
    assert "code_challenge" not in query
    assert query["scope"] == ["read,write"]


def test_the_permission_is_checked_before_the_app_is_even_looked_at(bob, workspace_a):
    editor = Membership.objects.get(user=bob, workspace=workspace_a)
    looked: list[str] = []

    def app() -> OAuthApp:
        looked.append("app")
        return APP

    session: dict = {}
    with pytest.raises(PermissionDenied):
        connecting.start_sign_in(editor, session, KEY, app)
    assert looked == [] and session == {}


def test_an_app_that_refuses_leaves_nothing_in_the_session(membership):
    def no_app() -> OAuthApp:
        raise ActionError("no", code="no_app")

    session: dict = {}
    with pytest.raises(ActionError):
        connecting.start_sign_in(membership, session, KEY, no_app)
    assert session == {}


def test_an_installation_without_the_app_is_told_so_with_the_workspace():
    def missing() -> OAuthApp:
        raise Reauth("not configured")

    with pytest.raises(ConnectRefused) as refused:
        connecting.installation_app(missing, "Example", "alpha-kaffee")
    assert refused.value.code == "no_app" and refused.value.workspace == "alpha-kaffee"
    assert "no Example app configured" in refused.value.message
    assert connecting.installation_app(lambda: APP, "Example") is APP


# --- The callback ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error", ["access_denied", "user_cancelled_authorize", "user_cancelled_login"]
)
def test_declining_in_the_dialog_is_one_refusal_whatever_the_network_calls_it(error):
    with pytest.raises(ConnectRefused) as refused:
        connecting.authorization_code({"error": error, "state": "s"}, "LinkedIn", "alpha")
    assert refused.value.code == "access_denied" and refused.value.workspace == "alpha"
    assert "declined" in refused.value.message


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"error": "invalid_scope"}, "oauth_error"),
        ({}, "no_code"),
        ({"code": "x" * (connecting.MAX_CODE_CHARS + 1)}, "no_code"),
    ],
)
def test_another_error_or_a_missing_or_outsized_code_is_refused(params, code):
    with pytest.raises(ConnectRefused) as refused:
        connecting.authorization_code(params, "X", "alpha")
    assert refused.value.code == code


def test_a_callback_is_checked_in_order_state_person_code(alice, bob, membership):
    session: dict = {}
    state = start(membership, session)["state"][0]
    with pytest.raises(ConnectRefused) as someone_else:
        connecting.checked_callback(bob, session, KEY, {"state": state, "code": "c"}, "X")
    assert someone_else.value.code == "not_allowed"
    # The state was used up by that attempt: single use.
    with pytest.raises(ConnectRefused) as again:
        connecting.checked_callback(alice, session, KEY, {"state": state, "code": "c"}, "X")
    assert again.value.code == "state_unknown"

    state = start(membership, session)["state"][0]
    callback = connecting.checked_callback(
        alice, session, KEY, {"state": state, "code": "the-code"}, "X"
    )
    assert callback.code == "the-code" and callback.membership == membership
    assert callback.workspace == membership.workspace.slug


def test_asking_the_network_turns_its_refusals_and_outages_into_sentences():
    with pytest.raises(ConnectRefused) as refused, connecting.asking("Threads", "alpha"):
        raise Rejected("The code has expired.")
    assert refused.value.code == "token_refused" and refused.value.workspace == "alpha"
    assert refused.value.message == "Threads refused the sign-in: The code has expired."

    with pytest.raises(ConnectRefused) as unreachable, connecting.asking("Threads", "alpha"):
        raise NetworkError("timeout")
    assert unreachable.value.code == "unreachable"

    # Anything else is no answer of the network's: it is not dressed up as one.
    with pytest.raises(KeyError), connecting.asking("Threads", "alpha"):
        raise KeyError("id")


# --- Saving ---------------------------------------------------------------------------------------


def test_a_new_account_is_saved_connected_with_its_tokens_and_an_audit_record(alice, membership):
    account = connecting.save_connected(membership, pending(membership, language="de"), connected())
    account.refresh_from_db()
    assert (account.network, account.handle, account.display_name) == (
        "x",
        "@kaffeehaus",
        "Kaffeehaus",
    )
    assert account.language == "de" and not account.needs_reconnect
    assert account.connected_at and account.last_success_at
    assert account.token_expires_at == LAPSES
    creds = credentials_for(account)
    assert (creds.access_token, creds.refresh_token, creds.expires_at) == ("at-1", "rt-1", LAPSES)
    assert creds.extra == {"user_id": "2244994945"}
    event = AuditEvent.objects.get(action="account.connect")
    assert event.actor == alice and event.before is None
    assert event.after["handle"] == "@kaffeehaus"


def test_reconnecting_finds_the_account_by_its_network_id_and_keeps_its_refresh_token(
    membership,
):
    first = connecting.save_connected(membership, pending(membership), connected())
    again = connecting.save_connected(
        membership,
        pending(membership),
        connected(handle="@renamed", access_token="at-2", refresh_token="", extra={"a": "b"}),
    )
    assert again.pk == first.pk
    assert SocialAccount.objects.filter(workspace=membership.workspace).count() == 1
    creds = credentials_for(again)
    assert (creds.access_token, creds.refresh_token) == ("at-2", "rt-1")
    assert creds.extra == {"user_id": "2244994945", "a": "b"}
    event = AuditEvent.objects.filter(action="account.connect").order_by("pk").last()
    assert event.before["handle"] == "@kaffeehaus" and event.after["handle"] == "@renamed"


def test_an_account_added_by_hand_is_found_by_its_handle_and_keeps_its_language(
    workspace_a, membership
):
    by_hand = SocialAccount.objects.create(
        workspace=workspace_a, network="x", handle="@KaffeeHaus", language="en"
    )
    account = connecting.save_connected(membership, pending(membership), connected())
    assert account.pk == by_hand.pk
    account.refresh_from_db()
    assert account.language == "en" and account.connected_at is not None


def test_the_network_id_wins_over_another_account_with_the_handle(workspace_a, membership):
    renamed = SocialAccount.objects.create(workspace=workspace_a, network="x", handle="@old")
    store_credentials(renamed, {"access_token": "a", "extra": {"user_id": "2244994945"}})
    SocialAccount.objects.create(workspace=workspace_a, network="x", handle="@other")
    found = connecting.existing_account(workspace_a, "x", "user_id", "2244994945", "@other")
    assert found == renamed


def test_removed_accounts_other_networks_and_other_workspaces_are_never_reconnected(
    workspace_a, workspace_b
):
    removed = SocialAccount.objects.create(
        workspace=workspace_a, network="x", handle="@kaffeehaus", removed_at=timezone.now()
    )
    store_credentials(removed, {"access_token": "a", "extra": {"user_id": "1"}})
    SocialAccount.objects.create(workspace=workspace_a, network="threads", handle="@kaffeehaus")
    SocialAccount.objects.create(workspace=workspace_b, network="x", handle="@kaffeehaus")
    assert connecting.existing_account(workspace_a, "x", "user_id", "1", "@kaffeehaus") is None
    # No handle to fall back on (a network that names accounts only by id).
    assert connecting.existing_account(workspace_b, "x", "user_id", "1", "") is None


# --- The pages ------------------------------------------------------------------------------------


def request_for(user, method: str = "get"):
    request = getattr(RequestFactory(), method)("/connect/example/callback/")
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_the_callback_page_takes_only_get_and_connects_nothing_else(alice):
    called: list[str] = []
    response = connecting.callback_page(request_for(alice, "post"), lambda: called.append("x"))
    assert response.status_code == 405 and called == []


def test_the_callback_page_names_every_account_connected(alice, workspace_a):
    accounts = [
        SocialAccount.objects.create(workspace=workspace_a, network="x", handle=handle)
        for handle in ("@one", "@two")
    ]
    request = request_for(alice)
    response = connecting.callback_page(request, lambda: accounts)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/w/{workspace_a.slug}/settings/accounts/")
    assert [str(m) for m in get_messages(request)] == ["X @one, X @two are connected."]


def test_a_refused_callback_says_why_on_the_accounts_page_or_home(alice, workspace_a):
    def refused_in_workspace():
        raise ConnectRefused("Declined.", code="access_denied", workspace=workspace_a.slug)

    request = request_for(alice)
    response = connecting.callback_page(request, refused_in_workspace)
    assert response["Location"].endswith(f"/w/{workspace_a.slug}/settings/accounts/")
    assert [str(m) for m in get_messages(request)] == ["Declined."]

    def refused_nowhere():
        raise ConnectRefused("Unknown sign-in.", code="state_unknown")

    request = request_for(AnonymousUser())
    response = connecting.callback_page(request, refused_nowhere)
    assert response["Location"] == "/"
