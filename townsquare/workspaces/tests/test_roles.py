from pathlib import Path

from townsquare.workspaces.roles import (
    Perm,
    Role,
    can_assign,
    can_change_member,
    has_perm,
    permission_table_markdown,
)

DOCS = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"


def test_owner_can_do_everything_and_viewer_only_looks():
    assert all(has_perm(Role.OWNER, p) for p in Perm)
    assert {p for p in Perm if has_perm(Role.VIEWER, p)} == {Perm.VIEW, Perm.VIEW_ANALYTICS}


def test_only_owners_delete_a_workspace():
    assert [r for r in Role if has_perm(r, Perm.DELETE_WORKSPACE)] == [Role.OWNER]


def test_contributors_write_drafts_but_cannot_schedule_or_approve():
    assert has_perm(Role.CONTRIBUTOR, Perm.WRITE_DRAFTS)
    assert not has_perm(Role.CONTRIBUTOR, Perm.SCHEDULE_POSTS)
    assert not has_perm(Role.CONTRIBUTOR, Perm.APPROVE_POSTS)


def test_a_manager_cannot_hand_out_or_touch_ownership():
    assert can_assign(Role.MANAGER, Role.EDITOR)
    assert not can_assign(Role.MANAGER, Role.OWNER)
    assert not can_change_member(Role.MANAGER, Role.OWNER)
    assert can_change_member(Role.OWNER, Role.OWNER)
    assert not can_assign(Role.EDITOR, Role.VIEWER)


def test_the_permission_document_matches_the_table():
    text = DOCS.read_text(encoding="utf-8")
    assert permission_table_markdown() in text, "regenerate docs/permissions.md from roles.py"
