"""Roles and what each may do. Pure: no Django, so the table is testable and documentable.

docs/permissions.md is generated from this table (a test keeps it in step).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    EDITOR = "editor"
    CONTRIBUTOR = "contributor"
    VIEWER = "viewer"


# Highest first; a role may only hand out roles at or below its own rank.
ROLE_ORDER: tuple[Role, ...] = (
    Role.OWNER,
    Role.MANAGER,
    Role.EDITOR,
    Role.CONTRIBUTOR,
    Role.VIEWER,
)


class Perm(StrEnum):
    VIEW = "workspace.view"
    EDIT_WORKSPACE = "workspace.edit"
    DELETE_WORKSPACE = "workspace.delete"
    INVITE_MEMBERS = "members.invite"
    MANAGE_MEMBERS = "members.manage"
    VIEW_AUDIT = "audit.view"
    EDIT_PLAN = "plan.edit"
    CONNECT_ACCOUNTS = "accounts.connect"
    WRITE_DRAFTS = "posts.draft"
    EDIT_ANY_POST = "posts.edit_any"
    APPROVE_POSTS = "posts.approve"
    SCHEDULE_POSTS = "posts.schedule"
    REPLY_INBOX = "inbox.reply"
    TRIAGE_INBOX = "inbox.triage"
    VIEW_ANALYTICS = "analytics.view"


PERM_LABELS: dict[Perm, str] = {
    Perm.VIEW: "See the workspace, its calendar, posts, inbox and reports",
    Perm.EDIT_WORKSPACE: "Change workspace settings (name, time zone, style)",
    Perm.DELETE_WORKSPACE: "Delete the workspace",
    Perm.INVITE_MEMBERS: "Invite people",
    Perm.MANAGE_MEMBERS: "Change roles and remove members",
    Perm.VIEW_AUDIT: "Read the audit log",
    Perm.EDIT_PLAN: "Edit the social media plan and campaigns",
    Perm.CONNECT_ACCOUNTS: "Connect and disconnect social accounts",
    Perm.WRITE_DRAFTS: "Write drafts and submit them for review",
    Perm.EDIT_ANY_POST: "Edit anyone's posts",
    Perm.APPROVE_POSTS: "Approve posts in review",
    Perm.SCHEDULE_POSTS: "Schedule and publish posts",
    Perm.REPLY_INBOX: "Reply to users from the inbox",
    Perm.TRIAGE_INBOX: "Assign, categorise and forward inbox messages",
    Perm.VIEW_ANALYTICS: "See analytics and export reports",
}

_ALL = frozenset(Perm)
_EDITOR = frozenset(
    {
        Perm.VIEW,
        Perm.WRITE_DRAFTS,
        Perm.EDIT_ANY_POST,
        Perm.SCHEDULE_POSTS,
        Perm.REPLY_INBOX,
        Perm.TRIAGE_INBOX,
        Perm.VIEW_ANALYTICS,
    }
)

PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.OWNER: _ALL,
    Role.MANAGER: _ALL - {Perm.DELETE_WORKSPACE},
    Role.EDITOR: _EDITOR,
    Role.CONTRIBUTOR: frozenset({Perm.VIEW, Perm.WRITE_DRAFTS, Perm.VIEW_ANALYTICS}),
    Role.VIEWER: frozenset({Perm.VIEW, Perm.VIEW_ANALYTICS}),
}


def has_perm(role: Role | str, perm: Perm) -> bool:
    return perm in PERMISSIONS[Role(role)]


def rank(role: Role | str) -> int:
    """0 is the highest rank."""
    return ROLE_ORDER.index(Role(role))


def can_assign(actor_role: Role | str, target_role: Role | str) -> bool:
    """Whether someone with actor_role may give target_role to somebody."""
    if not has_perm(actor_role, Perm.MANAGE_MEMBERS) and not has_perm(
        actor_role, Perm.INVITE_MEMBERS
    ):
        return False
    return rank(actor_role) <= rank(target_role)


def can_change_member(actor_role: Role | str, member_role: Role | str) -> bool:
    """Managers may change or remove anyone below owner; owners anyone."""
    return has_perm(actor_role, Perm.MANAGE_MEMBERS) and rank(actor_role) <= rank(member_role)


def permission_table_markdown() -> str:
    header = "| permission | " + " | ".join(r.value for r in ROLE_ORDER) + " |"
    rule = "|---|" + "---|" * len(ROLE_ORDER)
    rows = [
        f"| {PERM_LABELS[p]} (`{p.value}`) | "
        + " | ".join("yes" if has_perm(r, p) else "-" for r in ROLE_ORDER)
        + " |"
        for p in Perm
    ]
    return "\n".join([header, rule, *rows]) + "\n"
