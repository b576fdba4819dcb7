"""Translatable labels for the permission table (roles.py stays free of Django)."""

from django.utils.translation import gettext_lazy as _

from townsquare.workspaces.roles import Perm

PERM_LABELS_I18N = {
    Perm.VIEW: _("See the workspace, its calendar, posts, inbox and reports"),
    Perm.EDIT_WORKSPACE: _("Change workspace settings (name, time zone, style)"),
    Perm.DELETE_WORKSPACE: _("Delete the workspace"),
    Perm.INVITE_MEMBERS: _("Invite people"),
    Perm.MANAGE_MEMBERS: _("Change roles and remove members"),
    Perm.VIEW_AUDIT: _("Read the audit log"),
    Perm.EDIT_PLAN: _("Edit the social media plan and campaigns"),
    Perm.CONNECT_ACCOUNTS: _("Connect and disconnect social accounts"),
    Perm.WRITE_DRAFTS: _("Write drafts and submit them for review"),
    Perm.EDIT_ANY_POST: _("Edit anyone's posts"),
    Perm.APPROVE_POSTS: _("Approve posts in review"),
    Perm.SCHEDULE_POSTS: _("Schedule and publish posts"),
    Perm.REPLY_INBOX: _("Reply to users from the inbox"),
    Perm.TRIAGE_INBOX: _("Assign, categorise and forward inbox messages"),
    Perm.VIEW_ANALYTICS: _("See analytics and export reports"),
}
