from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest

INVITATION_SESSION_KEY = "townsquare_invitation"


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open only when configured, or to someone holding an invitation."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return settings.SIGNUP_OPEN or bool(request.session.get(INVITATION_SESSION_KEY))
