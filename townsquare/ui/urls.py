from django.urls import path

from townsquare.ui.views import account, accounts, shell, workspace_settings

urlpatterns = [
    path("", shell.home, name="home"),
    path("language/", account.set_language, name="set_language"),
    path("me/", account.profile, name="profile"),
    path("me/tokens/", account.api_tokens, name="api_tokens"),
    path("me/tokens/<int:token_id>/revoke/", account.api_token_revoke, name="api_token_revoke"),
    path("invite/<str:token>/", account.invitation_accept, name="invitation_accept"),
    path("workspaces/new/", workspace_settings.workspace_create, name="workspace_create"),
    path("w/<slug:workspace>/", shell.dashboard, name="workspace_dashboard"),
    *[
        path(f"w/<slug:workspace>/{key}/", shell.section_view(key), name=f"workspace_{key}")
        for key in shell.COMING
    ],
    path(
        "w/<slug:workspace>/settings/",
        workspace_settings.workspace_settings,
        name="workspace_settings",
    ),
    path(
        "w/<slug:workspace>/settings/members/", workspace_settings.members, name="workspace_members"
    ),
    path(
        "w/<slug:workspace>/settings/members/<int:member_id>/role/",
        workspace_settings.member_role,
        name="workspace_member_role",
    ),
    path(
        "w/<slug:workspace>/settings/members/<int:member_id>/remove/",
        workspace_settings.member_remove,
        name="workspace_member_remove",
    ),
    path(
        "w/<slug:workspace>/settings/invitations/<int:invitation_id>/revoke/",
        workspace_settings.invitation_revoke,
        name="workspace_invitation_revoke",
    ),
    path(
        "w/<slug:workspace>/settings/invitations/<int:invitation_id>/resend/",
        workspace_settings.invitation_resend,
        name="workspace_invitation_resend",
    ),
    path("w/<slug:workspace>/settings/accounts/", accounts.accounts, name="workspace_accounts"),
    path(
        "w/<slug:workspace>/settings/accounts/<int:account_id>/remove/",
        accounts.account_remove,
        name="workspace_account_remove",
    ),
    path(
        "w/<slug:workspace>/settings/audit/", workspace_settings.audit_log, name="workspace_audit"
    ),
]
