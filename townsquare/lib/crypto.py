"""Secrets at rest: MultiFernet over FIELD_ENCRYPTION_KEYS (the first key encrypts, every key
decrypts, so keys can be rotated). Decrypting with the wrong keys raises; it never hands
back the ciphertext as if it were the secret."""

from __future__ import annotations

from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class SecretsUnavailable(RuntimeError):
    """No encryption key is configured, or none of them opens the stored value."""


class KeyRing:
    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise SecretsUnavailable(
                "FIELD_ENCRYPTION_KEYS is empty: stored credentials cannot be encrypted or read."
            )
        try:
            self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])
        except ValueError as error:
            message = f"A FIELD_ENCRYPTION_KEYS entry is not a key: {error}"
            raise SecretsUnavailable(message) from None

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeEncodeError):
            raise SecretsUnavailable(
                "A stored secret cannot be decrypted with the configured keys."
            ) from None

    def rotate(self, token: str) -> str:
        """Re-encrypt with the first key (after a new key was put in front)."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken:
            raise SecretsUnavailable(
                "A stored secret cannot be decrypted with the configured keys."
            ) from None
