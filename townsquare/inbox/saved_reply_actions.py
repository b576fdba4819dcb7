"""Saved replies: reusable answers per language with the variables {name}, {handle} and
{account}, filled in for the conversation they are used on."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from townsquare.audit.record import record
from townsquare.inbox.models import Conversation, SavedReply
from townsquare.lib.errors import ActionError
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

MAX_TITLE_CHARS = 120
MAX_TEXT_CHARS = 5000
VARIABLES = ("{name}", "{handle}", "{account}")


def fill(text: str, conversation: Conversation) -> str:
    """The saved text for this conversation. Plain replacement, not str.format: a brace in
    the text stays as written."""
    contact = conversation.contact
    handle = contact.handle if contact else ""
    name = (contact.display_name if contact else "") or handle
    values = {"{name}": name, "{handle}": handle, "{account}": conversation.account.handle}
    for variable, value in values.items():
        text = text.replace(variable, value)
    return text


def _clean(title: str, language: str, text: str) -> tuple[str, str, str]:
    title = " ".join((title or "").split())
    text = (text or "").replace("\r\n", "\n").strip()
    language = (language or "").strip().lower()
    if not title or not text:
        raise ActionError(
            _("A saved reply needs a title and a text."), code="saved_reply_incomplete", status=422
        )
    if len(title) > MAX_TITLE_CHARS or len(text) > MAX_TEXT_CHARS:
        raise ActionError(
            _("A title takes up to %(title)s characters, a text up to %(text)s.")
            % {"title": MAX_TITLE_CHARS, "text": MAX_TEXT_CHARS},
            code="saved_reply_too_long",
            status=422,
        )
    if not (2 <= len(language) <= 8) or not language.replace("-", "").isalpha():
        raise ActionError(
            _("Choose the language of the saved reply."), code="language_required", status=422
        )
    if "\x00" in title + text:
        raise ActionError(
            _("The text contains a NUL character."), code="control_characters", status=422
        )
    return title, language, text


def _audit(membership: Membership, action: str, saved: SavedReply, **after: Any) -> None:
    record(
        actor=membership.user,
        action=action,
        target=saved,
        workspace=membership.workspace,
        after=after or None,
    )


@transaction.atomic
def do_save_saved_reply(
    membership: Membership,
    *,
    title: str,
    language: str,
    text: str,
    saved: SavedReply | None = None,
) -> SavedReply:
    """Create (saved None) or change a saved reply."""
    require(membership, Perm.REPLY_INBOX)
    title, language, text = _clean(title, language, text)
    if saved is None:
        saved = SavedReply.objects.create(
            workspace=membership.workspace, title=title, language=language, text=text
        )
        _audit(membership, "inbox.saved_reply_create", saved, title=title, language=language)
        return saved
    if saved.workspace_id != membership.workspace_id:
        raise ActionError(_("There is no such saved reply."), code="not_found", status=404)
    saved.title, saved.language, saved.text = title, language, text
    saved.save(update_fields=["title", "language", "text"])
    _audit(membership, "inbox.saved_reply_edit", saved, title=title, language=language)
    return saved


@transaction.atomic
def do_delete_saved_reply(membership: Membership, saved: SavedReply) -> None:
    require(membership, Perm.REPLY_INBOX)
    if saved.workspace_id != membership.workspace_id:
        raise ActionError(_("There is no such saved reply."), code="not_found", status=404)
    _audit(membership, "inbox.saved_reply_delete", saved, title=saved.title)
    saved.delete()
