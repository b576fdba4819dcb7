"""Loaded by pytest before Django (`-p townsquare.testing.pytest_env` in pyproject.toml):
safe defaults so that a bare `pytest` works on a fresh checkout, as `make test` does."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret")
# Tests talk plain HTTP to the test client and to the live server of the browser tests.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
# A fixed key so stored credentials can be written and read back in tests.
if not os.environ.get("FIELD_ENCRYPTION_KEYS"):
    os.environ["FIELD_ENCRYPTION_KEYS"] = "dGVzdC1vbmx5LWtleS10ZXN0LW9ubHkta2V5LXRlc3Q="
