from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest

INVITATION_SESSION_KEY = "townsquare_invitation"
LOCKED_OUT = "too_many_login_attempts"


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open only when configured, or to someone holding an invitation."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return settings.SIGNUP_OPEN or bool(request.session.get(INVITATION_SESSION_KEY))

    def validation_error(self, code: str, *args: Any) -> ValidationError:
        """A lockout is an answer of its own, not a form error: HTTP 429 with the
        rate-limit page (templates/429.html), wherever a password or a code was guessed
        too often (sign-in, second factor, confirming the password again)."""
        if code == LOCKED_OUT and context.request is not None:
            raise ImmediateHttpResponse(respond_429(context.request))
        return super().validation_error(code, *args)
