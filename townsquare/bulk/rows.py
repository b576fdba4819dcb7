"""Checking every row of an import: the workspace's names resolved, then the composer's own
adaptation and validation per account.

`check_rows` reads the workspace once (accounts, campaigns, pillars, audiences, library
files) and returns, per row, either a plan of what to create or its problems. Nothing is
written here; bulk/actions.py imports the plans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from townsquare.approvals.access import settings_of
from townsquare.bulk.messages import both
from townsquare.bulk.parsing import FIELDS, REQUIRED
from townsquare.content.actions import PostInput, clean_text
from townsquare.content.service import compose, media_inputs
from townsquare.content.validate import Problem
from townsquare.lib.errors import ActionError
from townsquare.media.models import MediaAsset
from townsquare.networks.catalog import network_label
from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Audience, Campaign, Pillar
from townsquare.publishing.actions import PAST_GRACE
from townsquare.publishing.schedule import local_to_utc, utc_to_local
from townsquare.queues.models import Slot
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm

MAX_MEDIA_PER_ROW = 20
MAX_HASHTAGS = 100
MAX_LINK = 2000

LANGUAGES = {
    "de": "de",
    "deu": "de",
    "ger": "de",
    "german": "de",
    "deutsch": "de",
    "de-de": "de",
    "de_de": "de",
    "de-at": "de",
    "de-ch": "de",
    "en": "en",
    "eng": "en",
    "english": "en",
    "englisch": "en",
    "en-us": "en",
    "en_us": "en",
    "en-gb": "en",
    "en_gb": "en",
}

LOCAL_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
GERMAN_TIME = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}),? +(\d{1,2}):(\d{2})(?: Uhr)?$")
HASHTAG = re.compile(r"^#\w+$")


@dataclass(frozen=True)
class MediaRef:
    kind: str  # "id" or "url"
    value: str
    alt_text: str = ""


@dataclass
class PlannedRow:
    number: int
    accounts: list[SocialAccount]
    wall: datetime | None
    text: str
    language: str
    link: str
    hashtags: list[str]
    media: list[MediaRef]
    campaign: Campaign | None = None
    pillar: Pillar | None = None
    audience: Audience | None = None

    def post_input(self, media_ids: tuple[int, ...] = ()) -> PostInput:
        return PostInput(
            text=self.text,
            language=self.language,
            link_url=self.link,
            hashtags=tuple(self.hashtags),
            media_ids=media_ids,
            campaign_id=self.campaign.pk if self.campaign else None,
            pillar_id=self.pillar.pk if self.pillar else None,
            audience_id=self.audience.pk if self.audience else None,
        )


@dataclass
class Checked:
    plans: list[PlannedRow] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def error_rows(self) -> set[int]:
        return {p["row"] for p in self.problems if p.get("row")}


def problem(row: int | None, field_name: str, code: str, message: Any, **params: Any) -> dict:
    return {"row": row, "field": field_name, "code": code, **both(message, **params)}


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


class WorkspaceNames:
    """The workspace's accounts, campaigns, pillars, audiences and library, read once."""

    def __init__(self, membership: Membership) -> None:
        workspace = membership.workspace
        self.membership = membership
        self.workspace = workspace
        self.zone = workspace.time_zone
        self.accounts = list(SocialAccount.objects.filter(workspace=workspace))
        self.by_id = {a.pk: a for a in self.accounts}
        self.by_handle: dict[str, list[SocialAccount]] = {}
        for account in self.accounts:
            self.by_handle.setdefault(_handle_key(account.handle), []).append(account)
        self.networks = {a.network for a in self.accounts}
        self.campaigns = {_norm(c.name): c for c in Campaign.objects.filter(workspace=workspace)}
        self.pillars = {_norm(p.name): p for p in Pillar.objects.filter(workspace=workspace)}
        self.audiences = {_norm(a.name): a for a in Audience.objects.filter(workspace=workspace)}
        self.assets = {a.pk: a for a in MediaAsset.objects.filter(workspace=workspace)}
        self.may_schedule = has_perm(membership.role, Perm.SCHEDULE_POSTS)
        # With approvals on, every row goes to review (its time proposed), not to the queue.
        self.approvals = bool(settings_of(workspace).enabled)
        self.slots: dict[int, set[tuple[int, Any]]] = {a.pk: set() for a in self.accounts}
        for slot in Slot.objects.filter(account__workspace=workspace):
            self.slots.setdefault(slot.account_id, set()).add((slot.weekday, slot.time))


def _handle_key(handle: str) -> str:
    return handle.strip().casefold().lstrip("@")


def split_list(value: str) -> list[str]:
    return [item.strip() for item in re.split(r"[|,]", value) if item.strip()]


def check_rows(
    membership: Membership,
    rows: list[dict[str, Any]],
    mapping: dict[str, int | None],
    *,
    now: datetime | None = None,
) -> Checked:
    """Every row checked; a row is planned only when it has no problem at all."""
    checked = Checked()
    for name in REQUIRED:
        if mapping.get(name) is None:
            label = {"accounts": _("Accounts"), "text": _("Text")}[name]
            checked.problems.append(
                problem(
                    None,
                    name,
                    "column_missing",
                    _('Choose the column that holds "%(field)s": it is required.'),
                    field=label,
                )
            )
    if checked.problems:
        return checked
    names = WorkspaceNames(membership)
    now = now or timezone.now()
    for row in rows:
        values = {
            name: _cell(row["cells"], mapping.get(name))
            for name in FIELDS  # an unmapped field is blank
        }
        plan, problems = check_row(names, row["number"], values, now)
        if row.get("shape"):
            problems.insert(0, _shape_problem(row["number"], row["shape"]))
        if problems:
            checked.problems.extend(problems)
        elif plan is not None:
            checked.plans.append(plan)
    return checked


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index < 0 or index >= len(cells):
        return ""
    return str(cells[index])


def _shape_problem(number: int, shape: dict[str, Any]) -> dict:
    if shape.get("code") == "json_value":
        return problem(
            number,
            "row",
            "json_value",
            _('The value of "%(column)s" is an object; write it as text or a list of texts.'),
            column=shape.get("column", ""),
        )
    return problem(
        number,
        "row",
        "extra_cells",
        _(
            "The row has %(count)s cells but the header only %(width)s: a cell with a "
            "separator in it needs quotation marks."
        ),
        count=shape.get("count", 0),
        width=shape.get("width", 0),
    )


def check_row(
    names: WorkspaceNames, number: int, values: dict[str, str], now: datetime
) -> tuple[PlannedRow | None, list[dict]]:
    problems: list[dict] = []
    accounts = _accounts(names, number, values["accounts"], problems)
    wall = _time(names, number, values["time"].strip(), now, problems)
    text = _text(number, values["text"], problems)
    language = _language(names, number, values["language"].strip(), problems)
    link = _link(number, values["link"].strip(), problems)
    hashtags = _hashtags(number, values["hashtags"], problems)
    media = _media(names, number, values["media"], problems)
    campaign = _named(number, "campaign", names.campaigns, values["campaign"], problems)
    pillar = _named(number, "pillar", names.pillars, values["pillar"], problems)
    audience = _named(number, "audience", names.audiences, values["audience"], problems)
    if not problems and wall is None and names.may_schedule and not names.approvals:
        _queue_slots(names, number, accounts, problems)
    if problems:
        return None, problems
    plan = PlannedRow(
        number=number,
        accounts=accounts,
        wall=wall,
        text=text,
        language=language,
        link=link,
        hashtags=hashtags,
        media=media,
        campaign=campaign,
        pillar=pillar,
        audience=audience,
    )
    library = [names.assets[int(m.value)] for m in media if m.kind == "id"]
    problems.extend(composer_problems(names, plan, library))
    return (None if problems else plan), problems


def composer_problems(
    names: WorkspaceNames, plan: PlannedRow, assets: list[Any]
) -> list[dict[str, Any]]:
    """The composer's adaptation and validation of the row, per account: what the composer
    would show as errors, with the account named."""
    results = compose(
        names.workspace,
        plan.post_input().master(),
        plan.accounts,
        media=media_inputs(assets),
        campaign=plan.campaign,
    )
    return [
        variant_problem(plan.number, result.account, error)
        for result in results
        for error in result.errors
    ]


def variant_problem(number: int, account: SocialAccount, error: Problem) -> dict[str, Any]:
    texts = {}
    for language, message in (("en", error.message_en), ("de", error.message_de)):
        with override(language):
            texts[language] = f"{network_label(account.network)} {account.handle}: {message}"
    return {"row": number, "field": _field_of(error.code), "code": error.code, **texts}


def _field_of(code: str) -> str:
    if code.startswith(("media", "alt_text", "image", "video", "gif", "document")):
        return "media"
    if code.startswith("link"):
        return "link"
    if code.startswith(("hashtag", "cashtag")):
        return "hashtags"
    return "text"


def _queue_slots(
    names: WorkspaceNames, number: int, accounts: list[SocialAccount], problems: list[dict]
) -> None:
    """A row without a time goes to the queue: its accounts need a posting slot in common."""
    bare = [a for a in accounts if not names.slots.get(a.pk)]
    if bare:
        problems.append(
            problem(
                number,
                "time",
                "no_slots",
                _(
                    "No time given, and %(accounts)s has no posting slots for the queue. "
                    "Add slots under Settings > Queue, or give the row a time."
                ),
                accounts=", ".join(f"{a.network}:{a.handle}" for a in bare),
            )
        )
    elif not set.intersection(*(names.slots[a.pk] for a in accounts)):
        problems.append(
            problem(
                number,
                "time",
                "no_common_slot",
                _(
                    "No time given, and the accounts of this row have no posting slot in "
                    "common for the queue. Give them a common slot under Settings > Queue, "
                    "or give the row a time."
                ),
            )
        )


def _accounts(
    names: WorkspaceNames, number: int, value: str, problems: list[dict]
) -> list[SocialAccount]:
    found: list[SocialAccount] = []
    items = split_list(value)
    if not items:
        problems.append(
            problem(number, "accounts", "accounts_required", _("Name at least one account."))
        )
        return found
    for item in items:
        account = _account(names, number, item, problems)
        if account is not None and account not in found:
            found.append(account)
    return found


def _account(
    names: WorkspaceNames, number: int, item: str, problems: list[dict]
) -> SocialAccount | None:
    if item.isascii() and item.isdigit():
        account = names.by_id.get(int(item)) if len(item) < 19 else None
        if account is None:
            problems.append(
                problem(
                    number,
                    "accounts",
                    "unknown_account",
                    _("There is no account with the id %(id)s in this workspace."),
                    id=item,
                )
            )
        return account
    network, _sep, handle = item.partition(":")
    if network.strip().lower() in names.networks and handle.strip():
        candidates = [
            a
            for a in names.by_handle.get(_handle_key(handle), [])
            if a.network == network.strip().lower()
        ]
    else:
        candidates = names.by_handle.get(_handle_key(item), [])
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        problems.append(
            problem(
                number,
                "accounts",
                "unknown_account",
                _('"%(account)s" is not an account of this workspace.'),
                account=item[:100],
            )
        )
    else:
        problems.append(
            problem(
                number,
                "accounts",
                "ambiguous_account",
                _(
                    '"%(account)s" names accounts on several networks; write the network '
                    "before it, e.g. %(example)s."
                ),
                account=item[:100],
                example=min(f"{a.network}:{a.handle}" for a in candidates),
            )
        )
    return None


def parse_time(value: str, zone: str) -> datetime | None:
    """The wall time in `zone` that a cell names: "2026-12-10 09:00" (in the zone),
    "10.12.2026 09:00", or ISO 8601 with an offset. None when it names no time."""
    match = LOCAL_TIME.match(value)
    try:
        if match:
            year, month, day, hour, minute = (int(g) for g in match.groups()[:5])
            return datetime(year, month, day, hour, minute)
        match = GERMAN_TIME.match(value)
        if match:
            day, month, year, hour, minute = (int(g) for g in match.groups())
            return datetime(year, month, day, hour, minute)
        if len(value) > 40:
            return None
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None  # a bare date, or a time in no zone we can tell
    return utc_to_local(moment, zone).replace(second=0, microsecond=0)


def _time(
    names: WorkspaceNames, number: int, value: str, now: datetime, problems: list[dict]
) -> datetime | None:
    if not value:
        return None
    wall = parse_time(value, names.zone)
    if wall is None:
        problems.append(
            problem(
                number,
                "time",
                "time_format",
                _(
                    '"%(value)s" is not a time Townsquare can read. Write it as '
                    "YYYY-MM-DD HH:MM (in %(zone)s) or as ISO 8601 with an offset "
                    "(2026-12-10T09:00+01:00)."
                ),
                value=value[:40],
                zone=names.zone,
            )
        )
        return None
    if local_to_utc(wall, names.zone).utc < now - PAST_GRACE:
        problems.append(
            problem(
                number,
                "time",
                "time_in_past",
                _("%(time)s in %(zone)s has already passed."),
                time=wall.strftime("%Y-%m-%d %H:%M"),
                zone=names.zone,
            )
        )
        return None
    if not names.may_schedule and not names.approvals:
        problems.append(
            problem(
                number,
                "time",
                "may_not_schedule",
                _(
                    "Your role may not schedule posts. Leave the time blank to import the "
                    "post without a time."
                ),
            )
        )
        return None
    return wall


def _text(number: int, value: str, problems: list[dict]) -> str:
    try:
        text = clean_text(value)
    except ActionError as error:
        with override("en"):
            en = _message_of(error, value)
        with override("de"):
            de = _message_of(error, value)
        problems.append({"row": number, "field": "text", "code": error.code, "en": en, "de": de})
        return ""
    if not text.strip():
        problems.append(problem(number, "text", "text_required", _("The text is empty.")))
    return text


def _message_of(error: ActionError, value: str) -> str:
    try:
        clean_text(value)
    except ActionError as again:
        return again.message
    return error.message


def _language(names: WorkspaceNames, number: int, value: str, problems: list[dict]) -> str:
    if not value:
        return names.workspace.language if names.workspace.language in ("de", "en") else "de"
    language = LANGUAGES.get(value.casefold())
    if language is None:
        problems.append(
            problem(
                number,
                "language",
                "unknown_language",
                _('"%(value)s" is not a language Townsquare writes in; use de or en.'),
                value=value[:40],
            )
        )
        return ""
    return language


def _link(number: int, value: str, problems: list[dict]) -> str:
    if not value:
        return ""
    try:
        if len(value) > MAX_LINK:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        problems.append(
            problem(
                number,
                "link",
                "invalid_link",
                _('"%(value)s" is not a web address (http:// or https://).'),
                value=value[:80],
            )
        )
        return ""
    return value


def _hashtags(number: int, value: str, problems: list[dict]) -> list[str]:
    tags: list[str] = []
    for word in re.split(r"[\s,|]+", value):
        if not word:
            continue
        tag = word if word.startswith("#") else f"#{word}"
        if not HASHTAG.match(tag):
            problems.append(
                problem(
                    number,
                    "hashtags",
                    "invalid_hashtag",
                    _('"%(value)s" is not a hashtag: letters, digits and "_" only.'),
                    value=word[:60],
                )
            )
            return []
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_HASHTAGS:
        problems.append(
            problem(
                number,
                "hashtags",
                "too_many_hashtags",
                _("More than %(max)s hashtags."),
                max=MAX_HASHTAGS,
            )
        )
        return []
    return tags


def parse_media(value: str) -> list[MediaRef | str]:
    """ "12|https://example.org/a.jpg Alt text" -> refs; an item that is neither a library
    id nor an https address is returned as the text it was."""
    refs: list[MediaRef | str] = []
    for item in value.split("|"):
        item = item.strip()
        if not item:
            continue
        ref, _sep, alt = item.partition(" ")
        alt = alt.strip()
        if ref.isascii() and ref.isdigit() and len(ref) < 19:
            refs.append(MediaRef("id", str(int(ref)), alt))
            continue
        parts = urlsplit(ref) if len(ref) <= MAX_LINK else None
        if parts is not None and parts.scheme == "https" and parts.hostname:
            refs.append(MediaRef("url", ref, alt))
        else:
            refs.append(item)
    return refs


def _media(names: WorkspaceNames, number: int, value: str, problems: list[dict]) -> list[MediaRef]:
    refs: list[MediaRef] = []
    for ref in parse_media(value):
        if isinstance(ref, str):
            problems.append(
                problem(
                    number,
                    "media",
                    "invalid_media",
                    _(
                        '"%(value)s" is neither a media library id nor an https:// address '
                        "(alt text may follow after a space)."
                    ),
                    value=ref[:80],
                )
            )
        elif ref.kind == "id" and int(ref.value) not in names.assets:
            problems.append(
                problem(
                    number,
                    "media",
                    "unknown_media",
                    _("The media library of this workspace has no file with the id %(id)s."),
                    id=ref.value,
                )
            )
        elif ref not in refs:
            refs.append(ref)
    if len(refs) > MAX_MEDIA_PER_ROW:
        problems.append(
            problem(
                number,
                "media",
                "too_many_media",
                _("More than %(max)s media files in one post."),
                max=MAX_MEDIA_PER_ROW,
            )
        )
    return refs


def _named(number: int, kind: str, known: dict[str, Any], value: str, problems: list[dict]) -> Any:
    if not value.strip():
        return None
    found = known.get(_norm(value))
    if found is None:
        messages = {
            "campaign": _('This workspace has no campaign named "%(name)s".'),
            "pillar": _('This workspace has no content pillar named "%(name)s".'),
            "audience": _('This workspace has no audience named "%(name)s".'),
        }
        problems.append(problem(number, kind, f"unknown_{kind}", messages[kind], name=value[:80]))
    return found
