"""A separate Townsquare process that tries to sign in when told to (used by the tests that
check that every process counts failed sign-ins in the same place).

Reads one email address per line from stdin, posts a wrong password for it to the sign-in
page, and answers one line: "checked" (the password was compared and refused) or "refused"
(the attempt was stopped by the rate limit before any comparison).
"""

from __future__ import annotations

import sys

import django


def main() -> None:
    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client's host in
    client = Client()
    print("ready", flush=True)
    for line in sys.stdin:
        email = line.strip()
        if not email:
            break
        response = client.post("/accounts/login/", {"login": email, "password": "wrong"})
        body = response.content.decode()
        if response.status_code == 200 and "not correct" in body:
            print("checked", flush=True)
        elif response.status_code == 429 or "Too many" in body:
            print("refused", flush=True)
        else:
            print(f"unexpected {response.status_code}", flush=True)


if __name__ == "__main__":
    main()
