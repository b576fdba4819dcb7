"""Writing aids: audited writes.

Templates, snippets, hashtag sets and contacts are shared by everyone who writes in the
workspace, so changing them changes what every colleague's posts turn into: editors and
above manage them (the same people who may edit anyone's post); contributors use them in
the composer. The tone (form of address, emoji, hashtags, words to avoid) is part of the
social media plan (planning/actions.py).

Every value is checked here, not only in the forms, so the web UI, the API and the command
line refuse the same input with the same message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from townsquare.audit.record import record
from townsquare.content.access import WRITING_AIDS
from townsquare.content.actions import clean_text
from townsquare.content.adapting.model import contact_key
from townsquare.content.adapting.tokens import normalise_hashtag
from townsquare.lib.errors import ActionError
from townsquare.networks.catalog import NETWORK_NAMES, network_label
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

MANAGE_AIDS = Perm.EDIT_ANY_POST

AID_FIELDS: dict[str, tuple[str, ...]] = {
    "templates": ("name", "text", "hashtags", "language"),
    "snippets": ("name", "text"),
    "hashtag-sets": ("name", "hashtags", "networks"),
    "contacts": ("name", "handles"),
}
MAX_HASHTAGS_PER_AID = 60
MAX_HANDLE_LENGTH = 255
# A contact is written as @[Name] in a post; the mention syntax allows up to 100 characters
# and no brackets or line breaks.
MAX_CONTACT_NAME = 100


def _kind_of(aid: Model) -> str:
    for kind, model in WRITING_AIDS.items():
        if isinstance(aid, model):
            return kind
    raise ActionError(_("Unknown kind of writing aid."), code="unknown_kind")


def _name(kind: str, raw: object) -> str:
    name = " ".join(str(raw or "").split())
    if not name:
        raise ActionError(_("Give it a name."), code="name_required")
    limit = MAX_CONTACT_NAME if kind == "contacts" else 80
    if len(name) > limit:
        raise ActionError(
            _("The name is %(length)s characters long; at most %(max)s are allowed.")
            % {"length": len(name), "max": limit},
            code="name_too_long",
        )
    if kind == "contacts" and ("[" in name or "]" in name):
        raise ActionError(
            _("A contact's name cannot contain square brackets: posts mention it as @[Name]."),
            code="invalid_name",
        )
    return name


def _unique_name(membership: Membership, kind: str, name: str, current: Model | None) -> None:
    """Posts refer to hashtag sets and contacts by name, and the composer lists templates
    and snippets by name: two with the same name would be ambiguous."""
    others = WRITING_AIDS[kind]._default_manager.filter(workspace=membership.workspace)
    if current is not None:
        others = others.exclude(pk=current.pk)
    key = contact_key(name)
    if any(contact_key(other) == key for other in others.values_list("name", flat=True)):
        raise ActionError(
            _("There is already one called “%(name)s”.") % {"name": name},
            code="exists",
            status=409,
        )


def _text(raw: object) -> str:
    text = clean_text(str(raw or ""))
    if not text.strip():
        raise ActionError(_("Write the text."), code="text_required")
    return text


def clean_hashtags(raw: Iterable[str], *, required: bool) -> list[str]:
    """Hashtags as "#Tag", in the order given, without repeats (compared ignoring case)."""
    tags: list[str] = []
    seen: set[str] = set()
    invalid: list[str] = []
    for entry in raw:
        entry = str(entry).strip()
        if not entry:
            continue
        body = normalise_hashtag(entry)
        if body is None:
            invalid.append(entry)
        elif body.casefold() not in seen:
            seen.add(body.casefold())
            tags.append(f"#{body}")
    if invalid:
        raise ActionError(
            _("These cannot be hashtags: %(tags)s. A hashtag is one word of letters and digits.")
            % {"tags": ", ".join(invalid)},
            code="invalid_hashtags",
        )
    if required and not tags:
        raise ActionError(_("Enter at least one hashtag."), code="hashtags_required")
    if len(tags) > MAX_HASHTAGS_PER_AID:
        raise ActionError(
            _("At most %(max)s hashtags.") % {"max": MAX_HASHTAGS_PER_AID},
            code="too_many_hashtags",
        )
    return tags


def _networks(raw: Iterable[str]) -> list[str]:
    networks = list(dict.fromkeys(str(key) for key in raw))
    unknown = [key for key in networks if key not in NETWORK_NAMES]
    if unknown:
        raise ActionError(
            _("Unknown networks: %(networks)s.") % {"networks": ", ".join(unknown)},
            code="unknown_network",
        )
    return networks


def _handles(raw: Mapping[str, object]) -> dict[str, str]:
    """A handle per network; an empty entry means the contact has no account there."""
    handles: dict[str, str] = {}
    for key, value in raw.items():
        if key not in NETWORK_NAMES:
            raise ActionError(
                _("Unknown networks: %(networks)s.") % {"networks": key}, code="unknown_network"
            )
        handle = str(value or "").strip()
        if not handle:
            continue
        if len(handle) > MAX_HANDLE_LENGTH or any(char.isspace() for char in handle):
            raise ActionError(
                _(
                    "“%(handle)s” is not a handle for %(network)s: one word, at most %(max)s "
                    "characters."
                )
                % {"handle": handle[:40], "network": network_label(key), "max": MAX_HANDLE_LENGTH},
                code="invalid_handle",
            )
        handles[key] = handle
    return handles


def _language(raw: object) -> str:
    codes = [code for code, _label in settings.LANGUAGES]
    if raw not in codes:
        raise ActionError(_("Choose a language."), code="invalid_language")
    return str(raw)


def clean_aid_values(
    membership: Membership, kind: str, values: Mapping[str, Any], current: Model | None = None
) -> dict[str, Any]:
    """The stored form of a writing aid's fields, or ActionError for the first problem."""
    if kind not in AID_FIELDS:
        raise ActionError(_("Unknown kind of writing aid."), code="unknown_kind")
    cleaned: dict[str, Any] = {"name": _name(kind, values.get("name"))}
    _unique_name(membership, kind, cleaned["name"], current)
    if kind in ("templates", "snippets"):
        cleaned["text"] = _text(values.get("text"))
    if kind == "templates":
        cleaned["hashtags"] = clean_hashtags(values.get("hashtags") or (), required=False)
        cleaned["language"] = _language(values.get("language"))
    elif kind == "hashtag-sets":
        cleaned["hashtags"] = clean_hashtags(values.get("hashtags") or (), required=True)
        cleaned["networks"] = _networks(values.get("networks") or ())
    elif kind == "contacts":
        cleaned["handles"] = _handles(values.get("handles") or {})
    return cleaned


def _snapshot(kind: str, aid: Model) -> dict[str, Any]:
    return {name: getattr(aid, name) for name in AID_FIELDS[kind]}


def _audit_action(kind: str, verb: str) -> str:
    return f"{kind.rstrip('s').replace('-', '_')}.{verb}"


@transaction.atomic
def do_create_writing_aid(membership: Membership, kind: str, values: Mapping[str, Any]) -> Model:
    """Create a template, snippet, hashtag set or contact (`kind` as in WRITING_AIDS)."""
    require(membership, MANAGE_AIDS)
    cleaned = clean_aid_values(membership, kind, values)
    aid = WRITING_AIDS[kind](workspace=membership.workspace, **cleaned)
    aid.save()
    record(
        actor=membership.user,
        action=_audit_action(kind, "create"),
        target=aid,
        workspace=membership.workspace,
        after=_snapshot(kind, aid),
    )
    return aid


@transaction.atomic
def do_update_writing_aid(membership: Membership, aid: Model, values: Mapping[str, Any]) -> Model:
    require(membership, MANAGE_AIDS)
    kind = _kind_of(aid)
    cleaned = clean_aid_values(membership, kind, values, current=aid)
    aid = type(aid)._default_manager.select_for_update().get(pk=aid.pk)
    before = _snapshot(kind, aid)
    for name, value in cleaned.items():
        setattr(aid, name, value)
    aid.save()
    record(
        actor=membership.user,
        action=_audit_action(kind, "update"),
        target=aid,
        workspace=membership.workspace,
        before=before,
        after=_snapshot(kind, aid),
    )
    return aid


@transaction.atomic
def do_delete_writing_aid(membership: Membership, aid: Model) -> None:
    """Posts that used it keep their text: an aid is copied into a post, never linked."""
    require(membership, MANAGE_AIDS)
    kind = _kind_of(aid)
    record(
        actor=membership.user,
        action=_audit_action(kind, "delete"),
        target=aid,
        workspace=membership.workspace,
        before=_snapshot(kind, aid),
    )
    aid.delete()
