"""LinkedIn's versioned REST API (`/rest/`): the bodies Townsquare sends and what LinkedIn's
answers mean. Pure: no I/O, no Django.

Shapes are those of LinkedIn's Marketing/Community Management documentation on
learn.microsoft.com (Posts, Images, Documents, Videos, Comments, Organization Share
Statistics, Organization Access Control); docs/networks/linkedin_page.md says which fact was
read where and which only a first live run can confirm.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from townsquare.networks.base import (
    NetworkError,
    OutcomeUnknown,
    Reauth,
    Rejected,
    RetryLater,
    UnreadableAnswer,
)
from townsquare.networks.http_errors import error_for_status, retry_after_seconds, server_message
from townsquare.networks.oauth2.refresh import TokenRejected
from townsquare.networks.oauth2.tokens import TokenSet

API_BASE = "https://api.linkedin.com"
AUTHORIZE_URL = "https://www.linkedin.com/oauth/v2/authorization"
TOKEN_URL = "https://www.linkedin.com/oauth/v2/accessToken"  # noqa: S105 (an address)
# The pinned API version (LinkedIn-Version: YYYYMM). LinkedIn supports each monthly version
# for at least a year, then answers 426; the setting LINKEDIN_API_VERSION moves it forward
# without a release.
API_VERSION = "202607"
RESTLI_PROTOCOL = "2.0.0"
# An organisation page: post, comment and read as the page (Community Management API), and
# read its statistics and the pages the member administers.
PAGE_SCOPES = ("r_organization_social", "w_organization_social", "rw_organization_admin")
# A member's own profile: post as the member; OpenID Connect says who signed in.
PROFILE_SCOPES = ("openid", "profile", "w_member_social")

# LinkedIn's "little text format": these characters mean markup and must be escaped with a
# backslash in `commentary`, or LinkedIn cuts the post at the first unescaped one.
_RESERVED = frozenset("\\|{}@[]()<>#*_~")
_URN = re.compile(r"^urn:li:[A-Za-z]+:[A-Za-z0-9_\-:(),.]{1,200}$")
_ORG_URN = re.compile(r"^urn:li:organization:([0-9]{1,20})$")
_POST_URN = re.compile(r"^urn:li:(share|ugcPost):[0-9]{1,25}$")
# LinkedIn's daily limits reset at midnight UTC; an infrastructure 429 clears sooner, so a
# refusal without a reset header is tried again within the hour, not at midnight only.
_MAX_UNTOLD_WAIT_S = 3600.0
# Error codes of a version LinkedIn does not (or no longer) serve, whatever the status.
_VERSION_CODES = frozenset({"NONEXISTENT_VERSION", "VERSION_MISSING"})


class ApiVersionRetired(Reauth):
    """LinkedIn no longer serves the API version Townsquare pins (426, NONEXISTENT_VERSION):
    a connection problem of every LinkedIn account at once, which an administrator repairs
    by moving LINKEDIN_API_VERSION forward; connecting again does not help."""


# --- text -------------------------------------------------------------------------------------


def escape_little_text(text: str) -> str:
    """`text` as plain words in LinkedIn's little text format: every reserved character
    backslash-escaped, so a "#", "(" or "@" shows as typed instead of ending the post."""
    return "".join("\\" + char if char in _RESERVED else char for char in text)


def unescape_little_text(text: str) -> str:
    """The plain text of a commentary LinkedIn returns (escapes removed), for comparing."""
    return re.sub(r"\\(.)", r"\1", text)


# --- identifiers ------------------------------------------------------------------------------


def is_urn(value: str) -> bool:
    return bool(_URN.match(value))


def is_post_urn(value: str) -> bool:
    return bool(_POST_URN.match(value))


def organization_urn(organization_id: str) -> str:
    if not organization_id.isdigit():
        raise Rejected("This is not the id of a LinkedIn page.", code="bad_id")
    return f"urn:li:organization:{organization_id}"


def organization_id(urn: str) -> str:
    found = _ORG_URN.match(urn)
    return found.group(1) if found else ""


def encoded(urn: str) -> str:
    """A URN as one path segment or query value (Rest.li 2.0 wants ":" "(" ")" "," encoded)."""
    if not is_urn(urn):
        raise Rejected("LinkedIn named something Townsquare cannot address.", code="bad_id")
    return quote(urn, safe="")


def post_url(post_urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{post_urn}/"


def headers(access_token: str, version: str = API_VERSION) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {access_token}",
        "LinkedIn-Version": version,
        "X-Restli-Protocol-Version": RESTLI_PROTOCOL,
    }


# --- requests ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UploadedMedia:
    """A picture, document or video LinkedIn holds for a post: its URN and the words that
    go with it (alt text of a picture, title of a document or video)."""

    urn: str
    kind: str
    alt_text: str = ""
    title: str = ""


def post_body(author: str, text: str, media: Sequence[UploadedMedia] = ()) -> dict[str, Any]:
    """The body of `POST /rest/posts`: a published, public post in the main feed."""
    body: dict[str, Any] = {
        "author": author,
        "commentary": escape_little_text(text),
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }
    if len(media) > 1:
        # Only pictures come several to a post (the MultiImage content type).
        body["content"] = {
            "multiImage": {"images": [{"id": m.urn, "altText": m.alt_text[:4086]} for m in media]}
        }
    elif media:
        one = media[0]
        described: dict[str, Any] = {"id": one.urn}
        if one.kind == "image":
            if one.alt_text:
                described["altText"] = one.alt_text[:4086]
        else:
            described["title"] = one.title or ("Video" if one.kind == "video" else "Document")
        body["content"] = {"media": described}
    return body


def initialize_upload_body(owner: str, *, size_bytes: int | None = None) -> dict[str, Any]:
    """`?action=initializeUpload` of Images and Documents (owner only) and of Videos (with
    the file's size, no captions and no thumbnail)."""
    request: dict[str, Any] = {"owner": owner}
    if size_bytes is not None:
        request.update(fileSizeBytes=size_bytes, uploadCaptions=False, uploadThumbnail=False)
    return {"initializeUploadRequest": request}


def finalize_video_body(video: str, upload_token: str, part_ids: Sequence[str]) -> dict[str, Any]:
    return {
        "finalizeUploadRequest": {
            "video": video,
            "uploadToken": upload_token,
            "uploadedPartIds": list(part_ids),
        }
    }


def comment_body(actor: str, post_urn: str, text: str, parent_comment: str = "") -> dict[str, Any]:
    """A comment as `actor` on a post; with `parent_comment` an answer in that thread."""
    body: dict[str, Any] = {"actor": actor, "object": post_urn, "message": {"text": text}}
    if parent_comment:
        body["parentComment"] = parent_comment
    return body


# --- answers: errors --------------------------------------------------------------------------


def error_for(
    status: int,
    answer_headers: Mapping[str, str] | None,
    body: bytes,
    *,
    idempotent: bool,
    now: float | None = None,
) -> NetworkError | None:
    """What an answer of LinkedIn means; None for a success.

    401 is `TokenRejected` (one forced refresh where a refresh token exists, then Reauth);
    426 or NONEXISTENT_VERSION is `ApiVersionRetired`; a 403 ACCESS_DENIED names the missing
    permission (a scope not granted, a product the app was not approved for, or a page role
    the member lacks), another 403 refuses that one action; 422 DUPLICATE_POST is a
    duplicate; 429 waits for LinkedIn's reset.
    """
    if 200 <= status < 300:
        return None
    fields = _error_fields(body)
    code = str(fields.get("code") or "")
    message = server_message(body)
    detail = f"HTTP {status}: {body[:1000].decode('utf-8', errors='replace')}"
    if status == 426 or code in _VERSION_CODES:
        return ApiVersionRetired(
            "LinkedIn no longer serves the API version this installation uses; an "
            "administrator has to update LINKEDIN_API_VERSION.",
            detail=detail,
        )
    if status == 401:
        return TokenRejected(
            message or "LinkedIn no longer accepts this account's sign-in.", detail=detail
        )
    if status == 403 and (code == "ACCESS_DENIED" or "permission" in message.lower()):
        return Reauth(
            "LinkedIn refused: the account lacks a permission (a scope not granted, the "
            "Community Management API not approved for the app, or no administrator role "
            f"on the page). LinkedIn said: {message or 'access denied'}",
            detail=detail,
        )
    if status == 403:
        # Refused for this action only (a post whose comments are closed, say): the
        # account itself is fine, so no reconnect.
        return Rejected(message or "LinkedIn refused this.", code="forbidden", detail=detail)
    if _is_duplicate(fields, message):
        return Rejected(
            "LinkedIn refuses a post with the same text as one the page published recently.",
            code="duplicate",
            detail=detail,
        )
    if status == 429:
        after = retry_after_seconds(answer_headers, now=now)
        if after is None:
            after = min(_until_midnight_utc(now), _MAX_UNTOLD_WAIT_S)
        return RetryLater(
            message or "LinkedIn's daily limit was reached.", after=after, detail=detail
        )
    return error_for_status(status, answer_headers, body, idempotent=idempotent, now=now)


def _error_fields(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _is_duplicate(fields: Mapping[str, Any], message: str) -> bool:
    if "duplicate" in message.lower():
        return True
    details = fields.get("errorDetails")
    inputs = details.get("inputErrors") if isinstance(details, Mapping) else None
    return isinstance(inputs, list) and any(
        isinstance(item, Mapping) and item.get("code") == "DUPLICATE_POST" for item in inputs
    )


def _until_midnight_utc(now: float | None) -> float:
    moment = datetime.now(UTC) if now is None else datetime.fromtimestamp(now, UTC)
    midnight = datetime.combine(moment.date() + timedelta(days=1), datetime.min.time(), UTC)
    return (midnight - moment).total_seconds()


def json_body(body: bytes, *, status: int, idempotent: bool) -> dict[str, Any]:
    """A success's JSON object. After a write, an unreadable body means the action may have
    happened without Townsquare knowing what it made: an unknown outcome, never a retry."""
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if isinstance(data, dict):
        return data
    detail = f"HTTP {status}: {body[:500].decode('utf-8', errors='replace')}"
    if idempotent:
        raise UnreadableAnswer("LinkedIn's answer could not be read.", detail=detail)
    raise OutcomeUnknown(
        "LinkedIn accepted the request but its answer could not be read; it may have been "
        "carried out.",
        detail=detail,
    )


# --- answers: what was made -------------------------------------------------------------------


def created_post_urn(answer_headers: Mapping[str, str]) -> str:
    """The post `POST /rest/posts` made, from the `x-restli-id` header (the body is empty).
    A 201 without it is an unknown outcome: the post probably exists."""
    urn = str({k.lower(): v for k, v in answer_headers.items()}.get("x-restli-id") or "")
    if is_post_urn(urn):
        return urn
    raise OutcomeUnknown(
        "LinkedIn's answer names no post; the post may have been published.",
        detail=f"x-restli-id: {urn[:200]!r}",
    )


def upload_target(data: Mapping[str, Any], kind: str) -> tuple[str, str]:
    """(upload URL, media URN) of an Images or Documents `initializeUpload` answer."""
    value = data.get("value")
    if isinstance(value, Mapping):
        url, urn = value.get("uploadUrl"), value.get(kind)
        usable = isinstance(url, str) and url.startswith("https://")
        if usable and isinstance(urn, str) and is_urn(urn):
            return str(url), urn
    raise UnreadableAnswer(
        f"LinkedIn did not say where to upload the {kind}.", detail=str(data)[:500]
    )


@dataclass(frozen=True, slots=True)
class VideoUpload:
    """Where each part of a video goes (byte ranges, inclusive) and the token to finish."""

    video: str
    upload_token: str
    parts: tuple[tuple[str, int, int], ...]


def video_upload(data: Mapping[str, Any], size: int) -> VideoUpload:
    """The parts of a Videos `initializeUpload` answer; they must cover the file exactly."""
    value = data.get("value")
    problem = UnreadableAnswer(
        "LinkedIn did not say how to upload the video.", detail=str(data)[:500]
    )
    if not isinstance(value, Mapping) or not is_urn(str(value.get("video") or "")):
        raise problem
    parts: list[tuple[str, int, int]] = []
    expected_first = 0
    for item in value.get("uploadInstructions") or []:
        if not isinstance(item, Mapping):
            raise problem
        url, first, last = item.get("uploadUrl"), item.get("firstByte"), item.get("lastByte")
        if not (isinstance(url, str) and url.startswith("https://")):
            raise problem
        if not (isinstance(first, int) and isinstance(last, int) and first == expected_first):
            raise problem
        if last < first:
            raise problem
        parts.append((url, first, last))
        expected_first = last + 1
    if not parts or expected_first != size:
        raise problem
    return VideoUpload(str(value["video"]), str(value.get("uploadToken") or ""), tuple(parts))


def video_status(data: Mapping[str, Any]) -> str:
    """AVAILABLE, PROCESSING, WAITING_UPLOAD or PROCESSING_FAILED ("" when not said)."""
    status = data.get("status")
    return status if isinstance(status, str) else ""


def created_comment_urn(data: Mapping[str, Any], answer_headers: Mapping[str, str]) -> str:
    """The comment a reply made: `commentUrn` of the body, else the `x-restli-id` header."""
    urn = data.get("commentUrn")
    if isinstance(urn, str) and urn.startswith("urn:li:comment:"):
        return urn
    header = str({k.lower(): v for k, v in answer_headers.items()}.get("x-restli-id") or "")
    if header.startswith("urn:li:comment:"):
        return header
    raise OutcomeUnknown(
        "LinkedIn's answer names no comment; the reply may have been posted.",
        detail=json.dumps(data)[:500],
    )


# --- answers: lists ---------------------------------------------------------------------------


def elements(data: Mapping[str, Any], what: str) -> list[dict[str, Any]]:
    """The `elements` of a Rest.li collection, or UnreadableAnswer."""
    found = data.get("elements")
    if not isinstance(found, list):
        raise UnreadableAnswer(
            f"LinkedIn's list of {what} has an unexpected shape.", detail=str(data)[:500]
        )
    return [item for item in found if isinstance(item, dict)]


def administered_organizations(data: Mapping[str, Any]) -> list[str]:
    """The organisation URNs of an `organizationAcls` answer the member administers."""
    found: list[str] = []
    for acl in elements(data, "pages"):
        organization = acl.get("organization") or acl.get("organizationTarget")
        approved = acl.get("state", "APPROVED") == "APPROVED"
        known = isinstance(organization, str) and bool(organization_id(organization))
        if known and approved and organization not in found:
            found.append(str(organization))
    return found


def millis_to_datetime(value: object) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    try:
        return datetime.fromtimestamp(value / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def post_time(post: Mapping[str, Any]) -> datetime | None:
    return millis_to_datetime(post.get("publishedAt")) or millis_to_datetime(post.get("createdAt"))


def comment_time(comment: Mapping[str, Any]) -> datetime | None:
    created = comment.get("created")
    return millis_to_datetime(created.get("time")) if isinstance(created, Mapping) else None


def comment_text(comment: Mapping[str, Any]) -> str:
    message = comment.get("message")
    text = message.get("text") if isinstance(message, Mapping) else None
    return text if isinstance(text, str) else ""


# Statistics of one post (`totalShareStatistics`), in LinkedIn's own names; the metric map
# (analytics/metric_maps.py) translates them.
SHARE_COUNTERS = (
    "impressionCount",
    "uniqueImpressionsCount",
    "clickCount",
    "likeCount",
    "commentCount",
    "shareCount",
)


def share_statistics(data: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """Counters per post URN of an `organizationalEntityShareStatistics` answer. A counter
    LinkedIn leaves out (or sends as something other than a count) is absent: unknown."""
    found: dict[str, dict[str, int]] = {}
    for item in elements(data, "statistics"):
        urn = item.get("share") or item.get("ugcPost")
        totals = item.get("totalShareStatistics")
        if not isinstance(urn, str) or not is_post_urn(urn) or not isinstance(totals, Mapping):
            continue
        found[urn] = {
            name: value
            for name in SHARE_COUNTERS
            if isinstance(value := totals.get(name), int)
            and not isinstance(value, bool)
            and value >= 0
        }
    return found


def follower_count(data: Mapping[str, Any]) -> int | None:
    """`firstDegreeSize` of a `networkSizes` answer: the page's followers."""
    value = data.get("firstDegreeSize")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


# --- tokens and versions ----------------------------------------------------------------------


def with_linkedin_scopes(tokens: TokenSet, requested: Sequence[str]) -> TokenSet:
    """LinkedIn lists granted scopes with commas ("a,b"), not spaces as RFC 6749 does."""
    scopes: set[str] = set()
    for scope in tokens.scopes:
        scopes.update(part.strip() for part in scope.split(",") if part.strip())
    return replace(tokens, scopes=frozenset(scopes) if scopes else frozenset(requested))


def refresh_token_expiry(body: bytes, now: datetime) -> datetime | None:
    """When the refresh token lapses (`refresh_token_expires_in`, 365 days at first, then
    counting down): after that a person has to connect the account again."""
    fields = _error_fields(body)
    value = fields.get("refresh_token_expires_in")
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 3 * 365 * 86400:
        return now + timedelta(seconds=value)
    return None


def version_sunset_after(version: str) -> date | None:
    """The earliest day LinkedIn may retire `version` (YYYYMM): a year after its month."""
    if not re.fullmatch(r"20[0-9]{2}(0[1-9]|1[0-2])", version):
        return None
    return date(int(version[:4]) + 1, int(version[4:]), 1)
