"""Internal notes on a conversation: between colleagues, never sent to the user. Members
mentioned with @name are notified (the same mention syntax as comments on posts)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from townsquare.approvals.mentions import Person, mentioned
from townsquare.audit.record import record
from townsquare.inbox.models import Conversation, InternalNote
from townsquare.inbox.reply_actions import conversation_url
from townsquare.lib.errors import ActionError
from townsquare.notifications.notify import notify
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

MAX_NOTE_CHARS = 5000


def clean_note(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ActionError(_("Write the note first."), code="note_required", status=422)
    if len(text) > MAX_NOTE_CHARS:
        raise ActionError(
            _("A note takes up to %(max)s characters.") % {"max": MAX_NOTE_CHARS},
            code="note_too_long",
            status=422,
        )
    if "\x00" in text:
        raise ActionError(
            _("The note contains a NUL character."), code="control_characters", status=422
        )
    return text


@transaction.atomic
def do_add_note(membership: Membership, conversation: Conversation, text: str) -> InternalNote:
    require(membership, Perm.REPLY_INBOX)
    if conversation.workspace_id != membership.workspace_id:
        raise ActionError(
            _("This conversation is not in this workspace."), code="not_found", status=404
        )
    text = clean_note(text)
    note = InternalNote.objects.create(
        workspace=membership.workspace, conversation=conversation, author=membership.user, text=text
    )
    members = list(Membership.objects.filter(workspace=membership.workspace).select_related("user"))
    people = [Person(m.user_id, m.user.email, getattr(m.user, "name", "") or "") for m in members]
    keys = [k for k in mentioned(text, people) if k != membership.user_id]
    users = [m.user for m in members if m.user_id in keys]
    note.mentioned.set(users)
    record(
        actor=membership.user,
        action="inbox.note",
        target=conversation,
        workspace=membership.workspace,
        after={"note": text, "mentioned": sorted(u.email for u in users)},
    )
    if users:
        notify(
            membership.workspace,
            kind="inbox_mention",
            title=_("%(person)s mentioned you in a note on a conversation")
            % {"person": membership.user.display_name},
            body=text,
            url=conversation_url(conversation),
            to=users,
            payload={"conversation_id": conversation.pk},
        )
    return note
