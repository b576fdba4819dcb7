import pytest
from cryptography.fernet import Fernet

from townsquare.lib.crypto import KeyRing, SecretsUnavailable


def test_a_secret_round_trips_and_is_not_stored_in_clear():
    ring = KeyRing([Fernet.generate_key().decode()])
    token = ring.encrypt("app-password-1234")
    assert "app-password" not in token
    assert ring.decrypt(token) == "app-password-1234"


def test_the_wrong_key_raises_instead_of_returning_ciphertext():
    token = KeyRing([Fernet.generate_key().decode()]).encrypt("secret")
    with pytest.raises(SecretsUnavailable):
        KeyRing([Fernet.generate_key().decode()]).decrypt(token)


def test_rotation_re_encrypts_with_the_new_first_key_and_old_values_still_open():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    token = KeyRing([old]).encrypt("secret")
    both = KeyRing([new, old])
    assert both.decrypt(token) == "secret"
    rotated = both.rotate(token)
    assert KeyRing([new]).decrypt(rotated) == "secret"


def test_no_keys_or_a_malformed_key_is_a_clear_error():
    with pytest.raises(SecretsUnavailable, match="empty"):
        KeyRing([])
    with pytest.raises(SecretsUnavailable, match="not a key"):
        KeyRing(["short"])
