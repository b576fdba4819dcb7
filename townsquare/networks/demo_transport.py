"""Demo connections: accounts of the demo workspaces that are connected without a login.

A demo machine has no internet, and a demo account holds no token any network issued, yet the
demo should publish, poll its inbox, collect counters and check its connection like a real
account. So an account whose stored credentials say `"demo": true` (in `extra`, written only
by `townsquare demo`) never sends anything to a network: every request its connector makes
goes to `DemoNetwork`, an httpx mock transport answering the way X, LinkedIn, Meta's Graph API
and Threads answer (a new id for each post, empty inboxes, follower counts).

The switch is `http_for(credentials, client)`, used by `guarded_requests.classified_request`
(the one place the X, LinkedIn, Meta and Threads connectors send their requests) and by
LinkedIn's upload of file parts. A credentials object without the flag always gets the
connector's own client back: a real account can never reach the demo transport, and a real
sign-in replaces `extra` as a whole, so connecting a demo account for real ends the demo.
Addresses of demo posts live under `DEMO_ADDRESS`, a reserved name no network answers.
"""

from __future__ import annotations

import json
import secrets
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx

from townsquare.networks.base import Credentials

if TYPE_CHECKING:
    from townsquare.networks.models import SocialAccount

DEMO_FLAG = "demo"
# `.invalid` is reserved (RFC 2606): the outbound client refuses it without asking DNS.
DEMO_HOST = "demo.townsquare.invalid"
DEMO_ADDRESS = f"https://{DEMO_HOST}/"


def is_demo(creds: Credentials | None) -> bool:
    """The account is a demo connection (`extra` holds strings: True was stored as "True")."""
    if creds is None:
        return False
    return str(creds.extra.get(DEMO_FLAG, "")).strip().lower() in {"true", "1"}


def is_demo_address(url: str) -> bool:
    return url.startswith(DEMO_ADDRESS)


def demo_post_address(network: str, post_id: str) -> str:
    return f"{DEMO_ADDRESS}{network}/{post_id}"


def published_address(creds: Credentials, network_post_id: str, url: str) -> str:
    """The address to keep for a post just published: a demo one for a demo connection
    (where a connector builds the network's address itself, that page does not exist)."""
    if is_demo(creds):
        return demo_post_address(creds.network, network_post_id)
    return url


def http_for(creds: Credentials | None, http: httpx.Client) -> httpx.Client:
    """The client a request for `creds` goes through: the demo network for a demo
    connection, else `http` unchanged."""
    if creds is None or not is_demo(creds):
        return http
    return httpx.Client(transport=httpx.MockTransport(DemoNetwork(creds)), trust_env=False)


def _new_id() -> str:
    # Nineteen digits like a snowflake: valid as an X, Meta, Threads or LinkedIn number.
    return str(10**18 + secrets.randbelow(9 * 10**18))


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=data, headers=headers)


class DemoNetwork:
    """Answers a demo account's requests as its network would, by host."""

    def __init__(self, creds: Credentials) -> None:
        self.creds = creds
        # Stable per account, so the counters of a demo account do not jump about.
        self.followers = 800 + zlib.crc32(creds.handle.encode()) % 2400

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        host = request.url.host
        if host == DEMO_HOST:
            # A file part sent to an upload address this transport gave out.
            return httpx.Response(201, headers={"etag": f'"{_new_id()}"'})
        if host == "api.x.com":
            return self._x(request)
        if host == "api.linkedin.com":
            return self._linkedin(request)
        if host in ("graph.facebook.com", "graph.threads.net"):
            return self._graph(request)
        return _json({"error": {"message": f"The demo network does not serve {host}."}}, 404)

    def _now(self) -> str:
        return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")

    # --- X (docs.x.com/x-api: posts, users/me, media upload) -------------------------------

    def _x(self, request: httpx.Request) -> httpx.Response:
        path, method = request.url.path, request.method
        user_id = self.creds.extra.get("user_id", "") or "1000000000000000001"
        if method == "DELETE":
            return _json({"data": {"deleted": True}})
        if method == "POST":
            if path.endswith("/append"):
                return httpx.Response(204)
            if path.startswith("/2/media/upload/") and path.endswith("/finalize"):
                return _json({"data": {"id": path.split("/")[4]}})
            if path == "/2/tweets":
                text = json.loads(request.content or b"{}").get("text", "")
                return _json({"data": {"id": _new_id(), "text": text}}, 201)
            return _json({"data": {"id": _new_id()}})
        if path == "/2/users/me":
            username = self.creds.handle.lstrip("@") or "demo"
            metrics = {
                "followers_count": self.followers,
                "following_count": 120,
                "listed_count": 4,
                "tweet_count": 310,
            }
            return _json(
                {
                    "data": {
                        "id": user_id,
                        "username": username,
                        "name": username,
                        "public_metrics": metrics,
                        "subscription_type": "None",
                    }
                }
            )
        if path == "/2/media/upload":
            media_id = request.url.params.get("media_id", _new_id())
            return _json({"data": {"id": media_id, "processing_info": {"state": "succeeded"}}})
        return _json({"meta": {"result_count": 0}})  # mentions, timelines, posts by id

    # --- LinkedIn (learn.microsoft.com/linkedin/marketing: posts, images, videos) ----------

    def _linkedin(self, request: httpx.Request) -> httpx.Response:
        path, method = request.url.path, request.method
        author = self.creds.extra.get("author_urn", "")
        if method == "DELETE":
            return httpx.Response(204)
        if method == "POST":
            return self._linkedin_write(request, path)
        if path == "/rest/organizationAcls":
            acl = {"organization": author, "role": "ADMINISTRATOR", "state": "APPROVED"}
            return _json({"elements": [acl] if author else []})
        if path.startswith("/rest/organizations/"):
            name = self.creds.handle
            return _json({"localizedName": name, "vanityName": name.lower().replace(" ", "-")})
        if path == "/v2/userinfo":
            return _json({"sub": "demo", "name": self.creds.handle})
        if path.startswith("/rest/networkSizes/"):
            return _json({"firstDegreeSize": self.followers})
        if path.startswith("/rest/videos/"):
            return _json({"status": "AVAILABLE"})
        return _json({"elements": [], "paging": {"start": 0, "count": 0}})

    def _linkedin_write(self, request: httpx.Request, path: str) -> httpx.Response:
        action = request.url.params.get("action", "")
        upload = f"{DEMO_ADDRESS}upload/{_new_id()}"
        if path in ("/rest/images", "/rest/documents") and action == "initializeUpload":
            kind = "image" if path == "/rest/images" else "document"
            urn = f"urn:li:{kind}:D{_new_id()}"
            return _json({"value": {"uploadUrl": upload, kind: urn}})
        if path == "/rest/videos" and action == "initializeUpload":
            body = json.loads(request.content or b"{}").get("initializeUploadRequest", {})
            size = int(body.get("fileSizeBytes") or 1)
            part = {"uploadUrl": upload, "firstByte": 0, "lastByte": size - 1}
            video = {
                "video": f"urn:li:video:D{_new_id()}",
                "uploadToken": "",
                "uploadInstructions": [part],
            }
            return _json({"value": video})
        if path == "/rest/posts":
            return httpx.Response(201, headers={"x-restli-id": f"urn:li:share:{_new_id()}"})
        if path.endswith("/comments"):
            return _json(
                {"commentUrn": f"urn:li:comment:(urn:li:activity:{_new_id()},{_new_id()})"}, 201
            )
        return httpx.Response(200)

    # --- Meta's Graph API and Threads (developers.facebook.com/docs/graph-api, /threads) ---

    def _graph(self, request: httpx.Request) -> httpx.Response:
        method = request.method
        # /{version}/{object}[/{edge}]
        parts = request.url.path.strip("/").split("/")[1:]
        edge = parts[1] if len(parts) > 1 else ""
        if method == "DELETE":
            return _json({"success": True})
        if method == "POST":
            new = _new_id()
            if edge == "photos":
                return _json({"id": new, "post_id": f"{parts[0]}_{new}"})
            return _json({"id": new})
        if edge == "threads_insights":
            names = request.url.params.get("metric", "followers_count").split(",")
            values = {"followers_count": self.followers, "views": self.followers * 7}
            return _json(
                {"data": [{"name": n, "total_value": {"value": values.get(n, 0)}} for n in names]}
            )
        if edge == "threads_publishing_limit":
            return _json({"data": [{"quota_usage": 0, "config": {"quota_total": 250}}]})
        if edge:
            return _json({"data": [], "paging": {}})  # posts, comments, replies, insights
        return _json(self._graph_object(parts[0] if parts else "me", request))

    def _graph_object(self, object_id: str, request: httpx.Request) -> dict[str, Any]:
        """The fields asked of one object (a Page, an Instagram user, a post, a container)."""
        if object_id == "me" or not object_id.replace("_", "").isdigit():
            object_id = self.creds.extra.get("user_id", "") or _new_id()
        network = self.creds.network
        values: dict[str, Any] = {
            "name": self.creds.handle,
            "username": self.creds.handle.lstrip("@"),
            "followers_count": self.followers,
            "follows_count": 150,
            "media_count": 42,
            "status_code": "FINISHED",
            "status": "FINISHED",
            "permalink": demo_post_address(network, object_id),
            "permalink_url": demo_post_address(network, object_id),
            "timestamp": self._now(),
            "created_time": self._now(),
        }
        fields = request.url.params.get("fields", "id").split(",")
        found = {"id": object_id}
        found.update({f: values[f] for f in fields if f in values})
        return found


def demo_account_ids(accounts: Iterable[SocialAccount]) -> set[int]:
    """The ids of the accounts among `accounts` that are demo connections (the accounts page
    says so beside each)."""
    from townsquare.lib.crypto import SecretsUnavailable
    from townsquare.networks.credentials import credentials_for

    found = set()
    for account in accounts:
        if not account.credentials_encrypted:
            continue
        try:
            if is_demo(credentials_for(account)):
                found.add(account.pk)
        except SecretsUnavailable:
            continue
    return found
