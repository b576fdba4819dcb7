"""Settings > Accounts > Connect Matrix, in two steps: the login (homeserver and an access
token, or a user id and a password), then the choice of rooms.

Between the steps the checked login waits in the session, encrypted with the key ring and for
a few minutes only; it never goes into a form field or a URL. The password is used once to log
in and then forgotten.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townsquare.lib.crypto import SecretsUnavailable
from townsquare.lib.errors import ActionError
from townsquare.networks.credentials import key_ring
from townsquare.networks.matrix.actions import (
    MatrixLogin,
    Room,
    check_matrix_login,
    do_connect_matrix_rooms,
    joined_rooms,
)
from townsquare.networks.pages import connector_template
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm
from townsquare.workspaces.views import workspace_view

PENDING_MAX_AGE_S = 15 * 60


class ConnectMatrixForm(forms.Form):
    homeserver = forms.URLField(
        label=gettext_lazy("Homeserver"),
        max_length=300,
        assume_scheme="https",
        help_text=gettext_lazy("For example https://matrix.example.org"),
    )
    access_token = forms.CharField(
        label=gettext_lazy("Access token"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=gettext_lazy(
            "Of a user made for Townsquare; or leave it empty and log in below."
        ),
    )
    user_id = forms.CharField(
        label=gettext_lazy("User id"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("For example @townsquare:example.org"),
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        required=False,
        max_length=500,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("Used once to log in; Townsquare does not keep it."),
    )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        if not data.get("access_token") and not (data.get("user_id") and data.get("password")):
            raise forms.ValidationError(_("Enter an access token, or a user id and a password."))
        return data


class ChooseRoomsForm(forms.Form):
    rooms = forms.MultipleChoiceField(
        label=gettext_lazy("Rooms"), widget=forms.CheckboxSelectMultiple
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Audience language"),
        choices=[("", "–"), *settings.LANGUAGES],
        required=False,
    )

    def __init__(self, rooms: list[Room], *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["rooms"].choices = [
            (room.room_id, f"{room.label} ({room.handle})" if room.name else room.handle)
            for room in rooms
        ]


@workspace_view(perm=Perm.CONNECT_ACCOUNTS)
def connect_matrix(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = ConnectMatrixForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            login = check_matrix_login(membership, **form.cleaned_data)
            rooms = joined_rooms(login)
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            _keep_pending(request, membership, login, rooms)
            return redirect("workspace_connect_matrix_rooms", workspace=membership.workspace.slug)
    return _render("connect.html", request, membership, form)


@workspace_view(perm=Perm.CONNECT_ACCOUNTS)
def choose_matrix_rooms(request: HttpRequest, membership: Membership) -> HttpResponse:
    pending = _pending(request, membership)
    if pending is None:
        messages.info(request, _("Log in to the Matrix homeserver first."))
        return redirect("workspace_connect_matrix", workspace=membership.workspace.slug)
    login, rooms = pending
    form = ChooseRoomsForm(rooms, request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = [room for room in rooms if room.room_id in set(form.cleaned_data["rooms"])]
        try:
            accounts = do_connect_matrix_rooms(
                membership, login, chosen, language=form.cleaned_data["language"]
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            request.session.pop(_session_key(membership), None)
            messages.success(
                request,
                _("%(rooms)s connected.") % {"rooms": ", ".join(a.label for a in accounts)},
            )
            return redirect("workspace_accounts", workspace=membership.workspace.slug)
    return _render(
        "rooms.html", request, membership, form, user_id=login.user_id, no_rooms=not rooms
    )


def _session_key(membership: Membership) -> str:
    return f"matrix_connect:{membership.workspace.pk}"


def _keep_pending(
    request: HttpRequest, membership: Membership, login: MatrixLogin, rooms: list[Room]
) -> None:
    value = {
        "homeserver": login.homeserver,
        "access_token": login.access_token,
        "user_id": login.user_id,
        "device_id": login.device_id,
        "rooms": [[r.room_id, r.name, r.alias] for r in rooms],
        "at": time.time(),
    }
    request.session[_session_key(membership)] = key_ring().encrypt(json.dumps(value))


def _pending(request: HttpRequest, membership: Membership) -> tuple[MatrixLogin, list[Room]] | None:
    stored = request.session.get(_session_key(membership))
    if not isinstance(stored, str):
        return None
    try:
        value = json.loads(key_ring().decrypt(stored))
        if time.time() - float(value["at"]) > PENDING_MAX_AGE_S:
            raise ValueError("expired")
        login = MatrixLogin(
            homeserver=str(value["homeserver"]),
            access_token=str(value["access_token"]),
            user_id=str(value["user_id"]),
            device_id=str(value["device_id"]),
        )
        rooms = [Room(str(a), str(b), str(c)) for a, b, c in value["rooms"]]
    except (SecretsUnavailable, ValueError, KeyError, TypeError):
        request.session.pop(_session_key(membership), None)
        return None
    return login, rooms


def _render(
    name: str, request: HttpRequest, membership: Membership, form: forms.Form, **extra: object
) -> HttpResponse:
    context = {
        "membership": membership,
        "workspace": membership.workspace,
        "form": form,
        "settings_tab": "accounts",
        **extra,
    }
    status = 400 if form.is_bound and form.errors else 200
    return HttpResponse(
        connector_template(Path(__file__).parent, name).render(context, request), status=status
    )
