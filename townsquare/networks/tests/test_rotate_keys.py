"""`townsquare rotate-keys`: every stored secret moves to the first key, all or nothing."""

from __future__ import annotations

import sys

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import CommandError, call_command

from townsquare.lib.crypto import KeyRing, SecretsUnavailable
from townsquare.networks.credentials import read_credentials, store_credentials
from townsquare.networks.keys import ENCRYPTED_FIELDS
from townsquare.networks.models import SocialAccount

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()
STRANGER = Fernet.generate_key().decode()


def _account(workspace, handle: str, token: str) -> SocialAccount:
    account = SocialAccount.objects.create(workspace=workspace, network="bluesky", handle=handle)
    store_credentials(account, {"access_token": token, "refresh_token": "r-" + token})
    return account


@pytest.fixture
def two_accounts(settings, workspace_a, workspace_b):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    return _account(workspace_a, "a.test", "tok-a"), _account(workspace_b, "b.test", "tok-b")


def test_every_registered_field_exists():
    for model_label, field_name in ENCRYPTED_FIELDS:
        model = apps.get_model(model_label)
        assert model._meta.get_field(field_name).get_internal_type() == "TextField"


def test_rotation_moves_every_secret_to_the_new_key(settings, two_accounts, capsys):
    from townsquare.networks.models import MastodonApp

    app = MastodonApp.objects.create(
        instance_url="https://social.example",
        redirect_uri="https://townsquare.example/connect/mastodon/callback/",
        client_id="client",
        client_secret_encrypted=KeyRing([OLD]).encrypt("app-secret"),
        scopes="read write",
    )
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    call_command("rotate_keys", "--check")
    assert "3 secret(s) still need the first key" in capsys.readouterr().out

    call_command("rotate_keys")
    assert "Re-encrypted 3 secret(s)" in capsys.readouterr().out
    app.refresh_from_db()
    assert KeyRing([NEW]).decrypt(app.client_secret_encrypted) == "app-secret"

    settings.FIELD_ENCRYPTION_KEYS = [NEW]  # the old key is gone
    for account, token in zip(two_accounts, ("tok-a", "tok-b"), strict=True):
        account.refresh_from_db()
        values = read_credentials(account)
        assert values == {"access_token": token, "refresh_token": "r-" + token}

    call_command("rotate_keys", "--check")
    assert "0 secret(s) still need the first key; 3 already use it" in capsys.readouterr().out


def test_an_unreadable_secret_stops_the_rotation_and_changes_nothing(settings, two_accounts):
    first, second = two_accounts
    first.credentials_encrypted = KeyRing([STRANGER]).encrypt('{"access_token": "x"}')
    first.save(update_fields=["credentials_encrypted"])
    stored = {a.pk: SocialAccount.objects.get(pk=a.pk).credentials_encrypted for a in two_accounts}

    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    with pytest.raises(CommandError) as raised:
        call_command("rotate_keys")
    assert f"networks.SocialAccount #{first.pk}" in str(raised.value)
    assert f"#{second.pk}" not in str(raised.value)
    for account in two_accounts:
        assert SocialAccount.objects.get(pk=account.pk).credentials_encrypted == stored[account.pk]


def test_a_wrong_key_raises_instead_of_returning_ciphertext(settings, two_accounts):
    settings.FIELD_ENCRYPTION_KEYS = [STRANGER]
    with pytest.raises(SecretsUnavailable):
        read_credentials(two_accounts[0])


def test_no_keys_is_a_clear_error(settings, two_accounts):
    settings.FIELD_ENCRYPTION_KEYS = []
    with pytest.raises(CommandError, match="FIELD_ENCRYPTION_KEYS is empty"):
        call_command("rotate_keys")


def test_the_command_line_spells_it_with_a_hyphen(settings, two_accounts, monkeypatch, capsys):
    from townsquare import cli

    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    monkeypatch.setattr(sys, "argv", ["townsquare", "rotate-keys", "--check"])
    cli.main()
    assert "2 secret(s) still need the first key" in capsys.readouterr().out


def test_connecting_again_replaces_credentials_written_with_a_lost_key(settings, two_accounts):
    first = two_accounts[0]
    settings.FIELD_ENCRYPTION_KEYS = [NEW]  # the key the secret was written with is gone
    store_credentials(first, {"access_token": "fresh"})
    assert read_credentials(first) == {"access_token": "fresh"}
