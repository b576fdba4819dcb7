from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from townsquare.lib.errors import ActionError
from townsquare.ui.audit_entries import audit_entries
from townsquare.ui.forms import InviteForm, RoleForm, WorkspaceForm
from townsquare.ui.permission_labels import PERM_LABELS_I18N
from townsquare.workspaces import actions
from townsquare.workspaces.access import (
    access_audit_events,
    access_invitation,
    access_invitations,
    access_member,
    access_members,
)
from townsquare.workspaces.models import Invitation, Membership
from townsquare.workspaces.roles import ROLE_ORDER, Perm, has_perm
from townsquare.workspaces.views import workspace_view


def permission_rows() -> list[tuple[str, list[bool]]]:
    return [(PERM_LABELS_I18N[p], [has_perm(r, p) for r in ROLE_ORDER]) for p in Perm]


@login_required
def workspace_create(request: HttpRequest) -> HttpResponse:
    form = WorkspaceForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            workspace = actions.do_create_workspace(request.user, **form.cleaned_data)
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Workspace %(name)s created.") % {"name": workspace.name})
            return redirect("workspace_dashboard", workspace=workspace.slug)
    return render(request, "ui/workspace_create.html", {"form": form})


@workspace_view()
def workspace_settings(request: HttpRequest, membership: Membership) -> HttpResponse:
    w = membership.workspace
    can_edit = has_perm(membership.role, Perm.EDIT_WORKSPACE)
    initial = {
        "name": w.name,
        "time_zone": w.time_zone,
        "language": w.language,
        "description": w.description,
    }
    form = WorkspaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_workspace(membership, **form.cleaned_data)
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("workspace_settings", workspace=w.slug)
    return render(
        request,
        "ui/workspace_settings.html",
        {
            "membership": membership,
            "workspace": w,
            "form": form,
            "can_edit": can_edit,
            "settings_tab": "workspace",
        },
    )


@workspace_view()
def members(request: HttpRequest, membership: Membership) -> HttpResponse:
    workspace = membership.workspace.slug
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = actions.do_invite(membership, **form.cleaned_data)
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            email = form.cleaned_data["email"]
            if Invitation.objects.get(pk=invitation.pk).email_status == "failed":
                messages.error(
                    request,
                    _(
                        "The invitation for %(email)s is saved, but the e-mail could not be "
                        "sent. Send it again from the list below."
                    )
                    % {"email": email},
                )
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": email})
            return redirect("workspace_members", workspace=workspace)
    can_invite = has_perm(membership.role, Perm.INVITE_MEMBERS)
    return render(
        request,
        "ui/members.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "form": form,
            "members": access_members(membership),
            "invitations": [i for i in access_invitations(membership) if i.is_open]
            if can_invite
            else [],
            "can_invite": can_invite,
            "can_manage": has_perm(membership.role, Perm.MANAGE_MEMBERS),
            "role_form": RoleForm(),
            "settings_tab": "members",
            "permission_rows": permission_rows(),
        },
    )


@workspace_view(methods=("POST",), lookups={"member_id": access_member})
def member_role(
    request: HttpRequest, membership: Membership, member_id: Membership
) -> HttpResponse:
    workspace = membership.workspace.slug
    member = member_id
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            actions.do_change_role(membership, member, form.cleaned_data["role"])
            messages.success(request, _("Role changed."))
        except ActionError as error:
            messages.error(request, error.message)
    return redirect("workspace_members", workspace=workspace)


@workspace_view(methods=("POST",), lookups={"member_id": access_member})
def member_remove(
    request: HttpRequest, membership: Membership, member_id: Membership
) -> HttpResponse:
    workspace = membership.workspace.slug
    member = member_id
    try:
        actions.do_remove_member(membership, member)
    except ActionError as error:
        messages.error(request, error.message)
        return redirect("workspace_members", workspace=workspace)
    if member.pk == membership.pk:
        return redirect("home")
    messages.success(request, _("Member removed."))
    return redirect("workspace_members", workspace=workspace)


@workspace_view(methods=("POST",), lookups={"invitation_id": access_invitation})
def invitation_revoke(
    request: HttpRequest, membership: Membership, invitation_id: Invitation
) -> HttpResponse:
    workspace = membership.workspace.slug
    invitation = invitation_id
    actions.do_revoke_invitation(membership, invitation)
    messages.success(request, _("Invitation withdrawn."))
    return redirect("workspace_members", workspace=workspace)


@workspace_view(methods=("POST",), lookups={"invitation_id": access_invitation})
def invitation_resend(
    request: HttpRequest, membership: Membership, invitation_id: Invitation
) -> HttpResponse:
    try:
        invitation = actions.do_resend_invitation(membership, invitation_id)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        refreshed = Invitation.objects.get(pk=invitation.pk)
        if refreshed.email_status == "failed":
            messages.error(request, _("The e-mail could not be sent this time either."))
        else:
            messages.success(
                request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
            )
    return redirect("workspace_members", workspace=membership.workspace.slug)


# A page of the audit log fits a few screens; older entries are on the following pages.
AUDIT_PER_PAGE = 50


@workspace_view(Perm.VIEW_AUDIT)
def audit_log(request: HttpRequest, membership: Membership) -> HttpResponse:
    page = Paginator(access_audit_events(membership), AUDIT_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "ui/audit.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "entries": audit_entries(page.object_list, membership.workspace),
            "page": page,
            "settings_tab": "audit",
        },
    )
