"""Accept an invitation that was opened before signing in, once the person has signed in."""

from typing import Any

from allauth.account.signals import user_logged_in, user_signed_up
from django.contrib import messages
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext as _

from townsquare.accounts.adapter import INVITATION_SESSION_KEY
from townsquare.lib.errors import ActionError


@receiver(user_logged_in)
@receiver(user_signed_up)
def accept_pending_invitation(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    token = request.session.pop(INVITATION_SESSION_KEY, None)
    if not token:
        return
    from townsquare.workspaces.actions import do_accept_invitation

    try:
        membership = do_accept_invitation(user, token)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("You joined %(workspace)s.") % {"workspace": membership.workspace.name}
        )
