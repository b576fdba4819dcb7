"""The audit log as people read it: what happened in words, and each change as
"field: old → new" with the field's name and its values shown as the rest of Townsquare shows
them (network and language names, roles, times in the workspace's zone).

Audit events keep machine values (codes, ids, ISO times) so that they stay exact; this module
only renders them, in the reader's language.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat, truncatechars
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from townsquare.approvals.models import MODE_CHOICES as APPROVAL_MODE_CHOICES
from townsquare.approvals.models import STATE_CHOICES as REVIEW_STATE_CHOICES
from townsquare.audit.models import AuditEvent
from townsquare.content.models import ADDRESS_CHOICES, EMOJI_CHOICES, HASHTAG_POLICY_CHOICES
from townsquare.lib.local_time import in_zone
from townsquare.media.models import KIND_CHOICES, MediaAsset, MediaFolder
from townsquare.networks.catalog import network_label
from townsquare.networks.models import SocialAccount
from townsquare.networks.rules_views import RULE_LABELS, format_value
from townsquare.publishing.models import STATUS_CHOICES
from townsquare.workspaces.models import ROLE_CHOICES, Workspace

ACTIONS: Mapping[str, Promise] = {
    "workspace.create": _("Workspace created"),
    "workspace.update": _("Workspace settings changed"),
    "member.invite": _("Member invited"),
    "member.invite_resend": _("Invitation sent again"),
    "member.invite_revoke": _("Invitation withdrawn"),
    "member.join": _("Member joined"),
    "member.role": _("Role changed"),
    "member.remove": _("Member removed"),
    "user.profile": _("Profile changed"),
    "api_token.create": _("API token created"),
    "api_token.revoke": _("API token revoked"),
    "account.add": _("Account added"),
    "account.connect": _("Account connected"),
    "account.remove": _("Account removed"),
    "rule_override.set": _("Network rule set for this workspace"),
    "rule_override.clear": _("Network rule back to its default"),
    "bulk.upload": _("Import file uploaded and checked"),
    "bulk.import": _("Posts imported from a file"),
    "analytics.import": _("Analytics history imported from a network's export"),
    "analytics.report_schedule_create": _("Report by e-mail scheduled"),
    "analytics.report_schedule_delete": _("Scheduled report deleted"),
    "analytics.report_send_now": _("Report sent by e-mail at once"),
    "analytics.collection_retry": _("Reading an account's figures tried again"),
    "post.create": _("Post created"),
    "post.update": _("Post changed"),
    "post.delete": _("Post deleted"),
    "post.schedule": _("Post scheduled"),
    "post.cancel": _("Schedule cancelled"),
    "variant.edit": _("Network version edited by hand"),
    "variant.reset": _("Network version reset"),
    "publication.settle": _("Unclear outcome settled"),
    "publication.mark_posted": _("Marked as posted by hand"),
    "publication.not_posted": _("Marked as not posted"),
    "publishing_settings.update": _("Publishing settings changed"),
    "media.upload": _("Media uploaded"),
    "media.update": _("Media changed"),
    "media.delete": _("Media deleted"),
    "media.folder_create": _("Media folder created"),
    "media.usage": _("Media use counted"),
    "style.update": _("Style changed"),
    "plan.update": _("Plan changed"),
    "plan.tone": _("Tone of the plan changed"),
    "plan.replace": _("Plan replaced"),
    "plan.import": _("Plan imported"),
    "plan.network.save": _("Network of the plan saved"),
    "plan.network.remove": _("Network removed from the plan"),
    "plan.goal.save": _("Goal saved"),
    "plan.goal.delete": _("Goal deleted"),
    "plan.pillar.save": _("Content pillar saved"),
    "plan.pillar.delete": _("Content pillar deleted"),
    "plan.audience.save": _("Audience saved"),
    "plan.audience.delete": _("Audience deleted"),
    "plan.campaign.save": _("Campaign saved"),
    "plan.campaign.delete": _("Campaign deleted"),
    "template.create": _("Template created"),
    "template.update": _("Template changed"),
    "template.delete": _("Template deleted"),
    "snippet.create": _("Snippet created"),
    "snippet.update": _("Snippet changed"),
    "snippet.delete": _("Snippet deleted"),
    "hashtag_set.create": _("Hashtag set created"),
    "hashtag_set.update": _("Hashtag set changed"),
    "hashtag_set.delete": _("Hashtag set deleted"),
    "contact.create": _("Contact created"),
    "contact.update": _("Contact changed"),
    "contact.delete": _("Contact deleted"),
    "approvals.settings": _("Approval settings changed"),
    "post.submit_review": _("Submitted for review"),
    "post.approve": _("Post approved"),
    "post.request_changes": _("Changes requested"),
    "post.hold": _("Post put on hold"),
    "post.release": _("Post released"),
    "post.back_to_review": _("Changed after approval: back to review"),
    "post.comment": _("Comment added"),
    "post.client_link": _("Link for the client made"),
    "post.client_link_revoke": _("Link for the client withdrawn"),
    "post.client_approve": _("Approved by the client"),
    "post.client_request_changes": _("Changes requested by the client"),
    "post.approval_inherited": _("Approval taken over from the original post"),
    "calendar.note.add": _("Calendar note added"),
    "calendar.note.edit": _("Calendar note changed"),
    "calendar.note.delete": _("Calendar note deleted"),
    "calendar.settings": _("Calendar settings changed"),
    "queue.add": _("Post added to the queue"),
    "queue.slot_add": _("Posting slot added"),
    "queue.slot_remove": _("Posting slot removed"),
    "queue.slots_from_plan": _("Posting slots filled from the plan"),
    "series.create": _("Repeating post created"),
    "series.edit": _("Repetition of a post changed"),
    "evergreen.set": _("Evergreen settings changed"),
    "evergreen.repost": _("Evergreen post queued again"),
    "evergreen.stop": _("Evergreen reposts stopped"),
    "feed.create": _("Calendar feed made"),
    "feed.revoke": _("Calendar feed withdrawn"),
    "inbox.settings_update": _("Inbox settings changed"),
    "inbox.team_create": _("Inbox team made"),
    "inbox.team_update": _("Inbox team changed"),
    "inbox.team_delete": _("Inbox team deleted"),
    "inbox.department_create": _("Department made"),
    "inbox.department_update": _("Department changed"),
    "inbox.department_delete": _("Department deleted"),
    "inbox.rule_create": _("Inbox rule made"),
    "inbox.rule_update": _("Inbox rule changed"),
    "inbox.rule_delete": _("Inbox rule deleted"),
    "inbox.rules_reorder": _("Inbox rules put in a new order"),
    "inbox.forward": _("Conversation forwarded"),
    "inbox.route_again": _("Conversation routed again after its routing failed"),
    "inbox.correct_label": _("Triage label corrected"),
    "inbox.assign": _("Conversation assigned"),
    "inbox.status": _("Conversation status changed"),
    "inbox.mark_spam": _("Conversation marked as spam"),
    "inbox.labels": _("Conversation labels changed"),
    "inbox.priority": _("Conversation priority changed"),
    "inbox.note": _("Internal note added"),
    "inbox.reply": _("Answer written"),
    "inbox.reply_send": _("Drafted answer sent off"),
    "inbox.reply_approve": _("Answer approved"),
    "inbox.reply_reject": _("Answer rejected"),
    "inbox.reply_retry": _("Answer sent again"),
    "inbox.reply_sent": _("Answer sent"),
    "inbox.saved_reply_create": _("Saved reply made"),
    "inbox.saved_reply_edit": _("Saved reply changed"),
    "inbox.saved_reply_delete": _("Saved reply deleted"),
    "inbox.polling_retry": _("Reading an account's inbox tried again"),
    "inbox.retention": _("Old inbox messages anonymised"),
    "inbox.contact_export": _("Everything about a contact exported"),
    "inbox.contact_delete": _("A contact's data deleted on request"),
    "inbox.topic_send_drafts": _("Drafted answers of a topic sent"),
    "inbox.triage_train": _("Triage model trained from corrections"),
    "inbox.triage_activate": _("Triage model changed"),
}
FIELDS: Mapping[str, Promise] = {
    "name": _("Name"),
    "slug": _("Address"),
    "time_zone": _("Time zone"),
    "language": _("Language"),
    "description": _("Description"),
    "email": _("E-mail"),
    "role": _("Role"),
    "network": _("Network"),
    "handle": _("Handle"),
    "display_name": _("Display name"),
    "connected_at": _("Connected"),
    "removed_at": _("Removed"),
    "posts_cancelled": _("Posts cancelled"),
    "collection_stopped": _("Reading the figures stopped"),
    "failed_attempts": _("Failed attempts in a row"),
    "rule": _("Rule"),
    "value": _("Value"),
    "prefix": _("Token begins with"),
    "original_name": _("File"),
    "kind": _("Kind"),
    "mime_type": _("Format"),
    "size_bytes": _("Size"),
    "alt_text": _("Alt text"),
    "folder": _("Folder"),
    "parent": _("Parent folder"),
    "tags": _("Tags"),
    "converted_from": _("Converted from"),
    "steps": _("Conversion"),
    "usage_count": _("Used in posts"),
    "reason": _("Reason"),
    "text": _("Text"),
    "master_text": _("Text"),
    "hashtags": _("Hashtags"),
    "networks": _("Networks"),
    "handles": _("Handles"),
    "address": _("Form of address"),
    "emoji_policy": _("Emoji"),
    "max_emoji": _("At most this many emoji"),
    "hashtag_policy": _("Hashtags"),
    "max_hashtags": _("Hashtags per network"),
    "banned_words": _("Words to avoid"),
    "link_url": _("Link"),
    "content_warning": _("Content warning"),
    "accounts": _("Accounts"),
    "edited_by_hand": _("Edited by hand"),
    "due_at": _("Due"),
    "published": _("Published"),
    "url": _("Address on the network"),
    "status": _("Status"),
    "hold_when_late": _("Hold late posts"),
    "late_after_minutes": _("Late after (minutes)"),
    "notify_by_email": _("Notify by e-mail"),
    "webhook_url": _("Webhook"),
    "state": _("Approval"),
    "round": _("Review round"),
    "proposed": _("Proposed time"),
    "mode": _("Approvers"),
    "client_approval": _("Client approves too"),
    "link_days": _("Client links valid (days)"),
    "expires_at": _("Valid until"),
    "revoked": _("Links withdrawn"),
    "unscheduled": _("Publications suspended"),
    "comment": _("Comment"),
    "mentioned": _("Mentioned"),
    "scheduled": _("Scheduled"),
    "approved_now": _("Approved now"),
    "from_post": _("From post"),
}
TARGETS: Mapping[str, Promise] = {
    "workspaces.workspace": _("Workspace"),
    "workspaces.membership": _("Member"),
    "workspaces.invitation": _("Invitation"),
    "accounts.user": _("Person"),
    "api.apitoken": _("API token"),
    "networks.socialaccount": _("Account"),
    "networks.ruleoverride": _("Network rule"),
    "content.post": _("Post"),
    "content.variant": _("Network version"),
    "content.stylesettings": _("Style"),
    "planning.plan": _("Plan"),
    "planning.networkplan": _("Network of the plan"),
    "planning.goal": _("Goal"),
    "planning.pillar": _("Content pillar"),
    "planning.audience": _("Audience"),
    "planning.campaign": _("Campaign"),
    "content.posttemplate": _("Template"),
    "content.snippet": _("Snippet"),
    "content.hashtagset": _("Hashtag set"),
    "content.contact": _("Contact"),
    "publishing.publication": _("Publication"),
    "publishing.publishingsettings": _("Publishing settings"),
    "media.mediaasset": _("Media"),
    "media.mediafolder": _("Folder"),
    "approvals.approvalsettings": _("Approval settings"),
    "inbox.inboxsettings": _("Inbox settings"),
    "inbox.team": _("Team"),
    "inbox.department": _("Department"),
    "inbox.rule": _("Rule"),
    "inbox.forward": _("Forward"),
    "inbox.conversation": _("Conversation"),
    "inbox.message": _("Message"),
    "inbox.reply": _("Answer"),
    "inbox.savedreply": _("Saved reply"),
    "inbox.triagemodelversion": _("Model"),
}
CHOICES: Mapping[str, Mapping[str, Any]] = {
    "role": dict(ROLE_CHOICES),
    "status": dict(STATUS_CHOICES),
    "kind": dict(KIND_CHOICES),
    "address": dict(ADDRESS_CHOICES),
    "emoji_policy": dict(EMOJI_CHOICES),
    "hashtag_policy": dict(HASHTAG_POLICY_CHOICES),
    "language": dict(settings.LANGUAGES),
    "state": dict(REVIEW_STATE_CHOICES),
    "mode": dict(APPROVAL_MODE_CHOICES),
}
# Values that are times, stored as ISO text; shown in the workspace's zone.
TIMES = frozenset({"connected_at", "removed_at", "due_at", "expires_at"})
# Kept with a scheduled time (the wall time chosen); the due time says the same, in words.
HIDDEN = frozenset({"local", "by"})
TEXT_LIMIT = 160
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass
class Change:
    label: str
    old: str | None
    new: str | None


@dataclass
class Entry:
    event: AuditEvent
    when: str
    who: str
    what: str
    target: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class _Names:
    """Names of the objects that events refer to by id, looked up once per page."""

    accounts: dict[int, str] = field(default_factory=dict)
    folders: dict[int, str] = field(default_factory=dict)
    media: dict[int, str] = field(default_factory=dict)


def action_label(action: str) -> str:
    label = ACTIONS.get(action)
    return str(label) if label is not None else gettext("Other change")


def field_label(name: str) -> str:
    label = FIELDS.get(name)
    return str(label) if label is not None else name.replace("_", " ").capitalize()


def _ids(events: Iterable[AuditEvent], names: tuple[str, ...]) -> set[int]:
    found: set[int] = set()
    for event in events:
        for values in (event.before, event.after):
            if not isinstance(values, dict):
                continue
            for name in names:
                value = values.get(name)
                items = value if isinstance(value, list) else [value]
                found.update(v for v in items if isinstance(v, int) and not isinstance(v, bool))
    return found


def _names(workspace: Workspace, events: list[AuditEvent]) -> _Names:
    names = _Names()
    account_ids = _ids(events, ("accounts",))
    if account_ids:
        for account in SocialAccount.all_objects.filter(workspace=workspace, pk__in=account_ids):
            names.accounts[account.pk] = f"{network_label(account.network)} · {account.label}"
    folder_ids = _ids(events, ("folder", "parent"))
    if folder_ids:
        rows = MediaFolder.objects.filter(workspace=workspace, pk__in=folder_ids)
        names.folders = dict(rows.values_list("pk", "name"))
    media_ids = _ids(events, ("converted_from",))
    if media_ids:
        rows = MediaAsset.objects.filter(workspace=workspace, pk__in=media_ids)
        names.media = dict(rows.values_list("pk", "original_name"))
    return names


def _literal(value: Any) -> Any:
    """Snapshots keep a value that is not plain JSON as its text, so a list of hashtags
    reads "['#Kaffee']": read such text back."""
    if isinstance(value, str) and value[:1] in "[{(" and value[-1:] in "]})":
        try:
            parsed = ast.literal_eval(value)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return value
        if isinstance(parsed, list | tuple | dict):
            return list(parsed) if isinstance(parsed, tuple) else parsed
    return value


def _plain(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    return truncatechars(str(value), TEXT_LIMIT)


def _time(value: Any, zone: object) -> str:
    if isinstance(value, str) and _ISO.match(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return in_zone(moment, zone)
    return _plain(value)


def format_field(
    name: str, value: Any, *, workspace: Workspace, zone: object = None, names: _Names | None = None
) -> str:
    """One value of an audit event as people read it."""
    names = names or _Names()
    value = _literal(value)
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if name in TIMES:
        return _time(value, zone or workspace)
    if name in CHOICES and isinstance(value, str):
        return str(CHOICES[name].get(value, value))
    if name == "network" and isinstance(value, str):
        return network_label(value)
    if name == "networks" and isinstance(value, list):
        return ", ".join(network_label(str(v)) for v in value)
    if name in ("handles", "max_hashtags") and isinstance(value, dict):
        return ", ".join(f"{network_label(str(k))}: {_plain(v)}" for k, v in value.items())
    if name == "accounts" and isinstance(value, list):
        return ", ".join(names.accounts.get(v, f"#{v}") for v in value)
    if name in ("folder", "parent") and isinstance(value, int):
        return names.folders.get(value, f"#{value}")
    if name == "converted_from" and isinstance(value, int):
        return names.media.get(value, f"#{value}")
    if name == "size_bytes" and isinstance(value, int):
        return str(filesizeformat(value))
    if name == "hashtags" and isinstance(value, list):
        return " ".join(str(v) if str(v).startswith("#") else f"#{v}" for v in value)
    if name == "rule" and isinstance(value, str):
        return str(RULE_LABELS.get(value, value))
    return _plain(value)


def _changes(event: AuditEvent, names: _Names, workspace: Workspace) -> list[Change]:
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    zone = after.get("time_zone") or before.get("time_zone") or workspace
    rule = after.get("rule") or before.get("rule")
    changes = []
    for name in dict.fromkeys([*after, *before]):
        if name in HIDDEN or (name in before and name in after and before[name] == after[name]):
            continue

        def shown(values: dict[str, Any], name: str = name) -> str | None:
            if name not in values:
                return None
            if name == "value" and isinstance(rule, str) and rule in RULE_LABELS:
                try:
                    return format_value(rule, values[name])
                except (KeyError, TypeError, ValueError):
                    return _plain(values[name])
            return format_field(name, values[name], workspace=workspace, zone=zone, names=names)

        changes.append(Change(field_label(name), shown(before), shown(after)))
    return changes


def audit_entries(events: Iterable[AuditEvent], workspace: Workspace) -> list[Entry]:
    rows = list(events)
    names = _names(workspace, rows)
    entries = []
    for event in rows:
        kind = TARGETS.get(event.target_type)
        target = f"{kind}: {event.target_label}" if kind else event.target_label
        entries.append(
            Entry(
                event=event,
                when=in_zone(event.created_at, workspace),
                who=event.actor_label if event.actor_label != "system" else "Townsquare",
                what=action_label(event.action),
                target=target,
                changes=_changes(event, names, workspace),
            )
        )
    return entries
