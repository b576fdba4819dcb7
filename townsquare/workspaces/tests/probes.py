from townsquare.testing.tenancy import not_tenant_scoped, probe_kwarg
from townsquare.workspaces.models import Membership


@probe_kwarg("workspace")
def foreign_workspace(world):
    return world.foreign.slug


@probe_kwarg("member_id")
def foreign_member(world):
    return Membership.objects.get(workspace=world.foreign, user=world.foreign_owner).pk


@probe_kwarg("invitation_id")
def foreign_invitation(world):
    from townsquare.workspaces.actions import do_invite

    owner = Membership.objects.get(workspace=world.foreign, user=world.foreign_owner)
    invitation, _token = do_invite(owner, email="someone@probe.example", role="viewer")
    return invitation.pk


not_tenant_scoped("invitation_accept", "holding the emailed invitation token is what grants access")
