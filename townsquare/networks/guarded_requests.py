"""One request to a network with its failures classified the same way for every connector:
an address the outbound client refuses or a broken connection (lib/http.py and
http_errors.py), then the network's own answer read by the connector's `error_for` (its
payloads module: status, headers and body to Rejected, RetryLater, Reauth or OutcomeUnknown).
What differs per network -- the address, the headers, the body, how an error answer reads --
stays in the connector; this is the part that was the same in each of them.

`account`: the credentials the request is sent for. A demo connection's request goes to the
demo network instead of `http` (demo_transport.py); every other request goes to `http`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import httpx

from townsquare.lib.http import UnsafeTarget
from townsquare.networks.base import Credentials, NetworkError, RetryLater
from townsquare.networks.demo_transport import http_for
from townsquare.networks.http_errors import error_for_exception


class ErrorReader(Protocol):
    def __call__(
        self,
        status: int,
        headers: Mapping[str, str] | None,
        body: bytes,
        /,
        *,
        idempotent: bool,
        now: float | None = None,
    ) -> NetworkError | None: ...


def classified_request(
    http: httpx.Client,
    network: str,
    method: str,
    url: str,
    *,
    idempotent: bool,
    error_for: ErrorReader,
    now: float,
    account: Credentials | None = None,
    **request: Any,
) -> httpx.Response:
    """The network's answer when it is a success; otherwise the classified error raised.
    `idempotent`: whether sending again is harmless (a failed write whose outcome is not
    known is OutcomeUnknown, never a retry). `now`: for reading reset headers."""
    client = http_for(account, http)
    try:
        response = client.request(method, url, **request)
    except UnsafeTarget as exc:  # the networks' addresses never are; a broken resolver might
        raise RetryLater(f"{network} could not be reached.", detail=str(exc)) from None
    except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
        raise error_for_exception(exc, idempotent=idempotent) from exc
    finally:
        if client is not http:
            client.close()  # a demo network's client, made for this one request
    error = error_for(
        response.status_code,
        response.headers,
        response.content,
        idempotent=idempotent,
        now=now,
    )
    if error is not None:
        raise error
    return response
