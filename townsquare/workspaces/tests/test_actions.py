import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from townsquare.audit.models import AuditEvent
from townsquare.lib.errors import ActionError
from townsquare.workspaces import actions
from townsquare.workspaces.models import Invitation, Membership

pytestmark = pytest.mark.django_db


def _membership(user, workspace):
    return Membership.objects.get(user=user, workspace=workspace)


def test_creating_a_workspace_makes_the_creator_its_owner_and_is_audited(alice):
    workspace = actions.do_create_workspace(alice, name="  Morgenrot  ", time_zone="Europe/Berlin")
    assert workspace.name == "Morgenrot"
    assert _membership(alice, workspace).role == "owner"
    event = AuditEvent.objects.get(action="workspace.create")
    assert event.actor == alice and event.workspace == workspace
    assert event.after["name"] == "Morgenrot"


def test_a_workspace_with_an_unknown_time_zone_is_refused_and_nothing_is_saved(alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.do_create_workspace(alice, name="X", time_zone="Mars/Olympus")
    assert not Membership.objects.exists()
    assert not AuditEvent.objects.exists()


def test_updating_settings_records_before_and_after(membership):
    actions.do_update_workspace(membership, name="Alpha Rösterei", time_zone="Europe/Vienna")
    event = AuditEvent.objects.get(action="workspace.update")
    assert event.before["name"] == "Alpha Kaffee"
    assert event.after["name"] == "Alpha Rösterei"
    assert event.after["time_zone"] == "Europe/Vienna"


def test_an_editor_cannot_change_workspace_settings(bob, workspace_a):
    with pytest.raises(PermissionDenied):
        actions.do_update_workspace(_membership(bob, workspace_a), name="Hijacked")


def test_an_invitation_is_emailed_stores_only_a_hash_and_can_be_accepted_once(
    membership, carol, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = actions.do_invite(membership, email="Carol@Example.com", role="viewer")
    assert invitation.email == "carol@example.com"
    assert token not in invitation.token_hash
    assert len(mail.outbox) == 1 and token in mail.outbox[0].body
    joined = actions.do_accept_invitation(carol, token)
    assert joined.role == "viewer" and joined.workspace == membership.workspace
    with pytest.raises(ActionError):
        actions.do_accept_invitation(carol, token)


def test_a_withdrawn_invitation_cannot_be_accepted(membership, carol):
    invitation, token = actions.do_invite(membership, email="carol@example.com", role="editor")
    actions.do_revoke_invitation(membership, invitation)
    with pytest.raises(ActionError):
        actions.do_accept_invitation(carol, token)
    assert not Membership.objects.filter(user=carol, workspace=membership.workspace).exists()


def test_a_manager_cannot_invite_an_owner(membership, carol):
    manager = Membership.objects.create(workspace=membership.workspace, user=carol, role="manager")
    with pytest.raises(ActionError) as raised:
        actions.do_invite(manager, email="x@example.com", role="owner")
    assert raised.value.status == 403
    assert not Invitation.objects.exists()


def test_the_last_owner_can_neither_leave_nor_be_demoted(membership):
    with pytest.raises(ActionError) as raised:
        actions.do_change_role(membership, membership, "editor")
    assert raised.value.code == "last_owner"
    with pytest.raises(ActionError):
        actions.do_remove_member(membership, membership)


def test_an_owner_changes_a_role_and_removes_a_member_with_audit(membership, bob, workspace_a):
    bobs = _membership(bob, workspace_a)
    actions.do_change_role(membership, bobs, "viewer")
    assert _membership(bob, workspace_a).role == "viewer"
    actions.do_remove_member(membership, bobs)
    assert not Membership.objects.filter(user=bob, workspace=workspace_a).exists()
    assert list(
        AuditEvent.objects.filter(workspace=workspace_a).values_list("action", flat=True)[:2]
    ) == ["member.remove", "member.role"]


def test_adding_a_workspace_to_someone_elses_organisation_is_refused(alice, workspace_b):
    with pytest.raises(ActionError):
        actions.do_create_workspace(alice, name="Intruder", organisation=workspace_b.organisation)
