"""The admin, behind the same sign-in as the rest of Townsquare.

Django's admin has a password form of its own, which knows nothing of the second factor or
of the sign-in rate limits. Here that form is never shown: a visitor is sent to the sign-in
page (allauth: password, then the code when TOTP is on, rate limited), and comes back to
the admin afterwards. A staff member whose session lacks the second factor they have set
up (a session older than their TOTP, for instance) confirms the code before the admin opens.
"""

from __future__ import annotations

from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


class AdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and second_factor_done(request)

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        wanted = _next_url(request) or reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(wanted, resolve_url(settings.LOGIN_URL), REDIRECT_FIELD_NAME)
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if not second_factor_done(request):
            return redirect_to_login(wanted, reverse("mfa_reauthenticate"), REDIRECT_FIELD_NAME)
        return HttpResponseRedirect(wanted)


def second_factor_done(request: HttpRequest) -> bool:
    """True unless the user has a second factor that this session has not seen."""
    user = request.user
    if not is_mfa_enabled(user):
        return True
    records = get_authentication_records(request, user)
    return any(record.get("method") == "mfa" for record in records)


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    allowed = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if allowed else ""
