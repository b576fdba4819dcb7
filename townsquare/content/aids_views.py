"""Settings > Writing aids (templates, snippets, hashtag sets, contacts).

One set of views serves the four kinds of writing aid; `kind` in the URL names the kind the
way WRITING_AIDS does. Everyone in the workspace may read the aids (the composer offers them
to every writer); editors and above see the forms to add, change and delete them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townsquare.content.access import access_writing_aid, access_writing_aids
from townsquare.content.aids_actions import (
    MANAGE_AIDS,
    do_create_writing_aid,
    do_delete_writing_aid,
    do_update_writing_aid,
)
from townsquare.content.aids_forms import AID_FORMS, AidForm
from townsquare.lib.errors import ActionError
from townsquare.networks.catalog import NETWORK_NAMES, network_label
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import has_perm
from townsquare.workspaces.views import workspace_view

KIND_LABELS: dict[str, Any] = {
    "templates": gettext_lazy("Templates"),
    "snippets": gettext_lazy("Snippets"),
    "hashtag-sets": gettext_lazy("Hashtag sets"),
    "contacts": gettext_lazy("Contacts"),
}
KIND_INTROS: dict[str, Any] = {
    "templates": gettext_lazy(
        "Starting points for posts you write again and again. Choose one in the composer."
    ),
    "snippets": gettext_lazy(
        "Pieces of text to insert into a message: a greeting, opening hours, a disclaimer."
    ),
    "hashtag-sets": gettext_lazy(
        "Hashtags that belong together. Tick a set in the composer and Townsquare adds its "
        "hashtags to every network it is meant for, within each network's limit."
    ),
    "contacts": gettext_lazy(
        "People and organisations with their handle on each network. Write @[Name] in a "
        "message and every network's version mentions the right handle."
    ),
}
ADD_LABELS: dict[str, Any] = {
    "templates": gettext_lazy("Add a template"),
    "snippets": gettext_lazy("Add a snippet"),
    "hashtag-sets": gettext_lazy("Add a hashtag set"),
    "contacts": gettext_lazy("Add a contact"),
}


def _known(kind: str) -> str:
    if kind not in AID_FORMS:
        raise Http404
    return kind


def _list_url(membership: Membership, kind: str) -> HttpResponse:
    return redirect("workspace_writing_aids", workspace=membership.workspace.slug, kind=kind)


def _rows(kind: str, aids: list[Model]) -> list[dict[str, Any]]:
    """What the list shows of each aid, so the template needs no per-kind lookups."""
    rows = []
    for aid in aids:
        row: dict[str, Any] = {"aid": aid}
        if kind == "hashtag-sets":
            networks = getattr(aid, "networks", [])
            row["networks"] = [network_label(key) for key in networks]
        if kind == "contacts":
            handles = getattr(aid, "handles", {})
            row["handles"] = [
                (network_label(key), handles[key]) for key in NETWORK_NAMES if handles.get(key)
            ]
        rows.append(row)
    return rows


def _context(membership: Membership, kind: str, **extra: Any) -> dict[str, Any]:
    return {
        "membership": membership,
        "workspace": membership.workspace,
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "kinds": list(KIND_LABELS.items()),
        "settings_tab": "writing_aids",
        "can_manage": has_perm(membership.role, MANAGE_AIDS),
        **extra,
    }


def _new_form(membership: Membership, kind: str, data: Any = None) -> AidForm:
    initial = {"language": membership.workspace.language} if kind == "templates" else {}
    return AID_FORMS[kind](data, initial=initial)


@workspace_view()
def aid_list(request: HttpRequest, membership: Membership, kind: str) -> HttpResponse:
    """The aids of one kind, and the form to add one (for those who may)."""
    kind = _known(kind)
    can_manage = has_perm(membership.role, MANAGE_AIDS)
    form = None
    if request.method == "POST":
        require(membership, MANAGE_AIDS)
        form = _new_form(membership, kind, request.POST)
        if form.is_valid():
            try:
                aid = do_create_writing_aid(membership, kind, form.values())
            except ActionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("“%(name)s” added.") % {"name": aid})
                return _list_url(membership, kind)
    elif can_manage:
        form = _new_form(membership, kind)
    aids = list(access_writing_aids(membership, kind))
    return render(
        request,
        "aids/list.html",
        _context(
            membership,
            kind,
            rows=_rows(kind, aids),
            form=form,
            intro=KIND_INTROS[kind],
            add_label=ADD_LABELS[kind],
        ),
    )


# The aid is looked up before the method is checked (workspace_view cannot look up an aid
# without its kind), so another workspace's id is a 404 for every method.
EVERY_METHOD = ("GET", "POST", "PUT", "PATCH", "DELETE")


@workspace_view(MANAGE_AIDS, methods=EVERY_METHOD)
def aid_edit(request: HttpRequest, membership: Membership, kind: str, aid_id: str) -> HttpResponse:
    aid = access_writing_aid(membership, _known(kind), aid_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form_class = AID_FORMS[kind]
    form = form_class(request.POST or None, initial=form_class.initial_for(aid))
    if request.method == "POST" and form.is_valid():
        try:
            do_update_writing_aid(membership, aid, form.values())
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": form.values()["name"]})
            return _list_url(membership, kind)
    return render(request, "aids/edit.html", _context(membership, kind, aid=aid, form=form))


@workspace_view(MANAGE_AIDS, methods=EVERY_METHOD)
def aid_delete(
    request: HttpRequest, membership: Membership, kind: str, aid_id: str
) -> HttpResponse:
    aid = access_writing_aid(membership, _known(kind), aid_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    name = str(aid)
    try:
        do_delete_writing_aid(membership, aid)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(name)s” deleted.") % {"name": name})
    return _list_url(membership, kind)


@workspace_view(methods=("GET", "HEAD"))
def style_settings(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The style moved into the social media plan: old links lead to its tone."""
    return redirect(
        reverse("plan_tone", kwargs={"workspace": membership.workspace.slug}), permanent=True
    )
