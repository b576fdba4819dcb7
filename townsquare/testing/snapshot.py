"""The whole database as data, to prove that a refused request changed nothing.

Every row of every table (many-to-many tables included) is read; a few columns that
change on any request by design (a session's expiry, when a token was last used) are left
out, each with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps

# (app label, model name) -> columns left out, and why.
VOLATILE: dict[tuple[str, str], tuple[set[str], str]] = {
    ("sessions", "session"): ({"session_data", "expire_date"}, "rewritten on a request"),
    ("api", "apitoken"): ({"last_used_at"}, "touched once a minute on use"),
    ("accounts", "user"): ({"last_login"}, "set by signing in"),
}


@dataclass(frozen=True)
class Snapshot:
    rows: dict[tuple[str, Any], dict[str, Any]]

    def changes(self, later: Snapshot, *, workspace_id: int | None = None) -> list[str]:
        """What differs, in words (empty: nothing changed); with `workspace_id`, only
        the rows that are that workspace or belong to it."""
        found = []
        for key in sorted(self.rows.keys() | later.rows.keys(), key=repr):
            before, after = self.rows.get(key), later.rows.get(key)
            if before == after:
                continue
            if workspace_id is not None and not (
                _of_workspace(key, before, workspace_id) or _of_workspace(key, after, workspace_id)
            ):
                continue
            what = "added" if before is None else "removed" if after is None else "changed"
            found.append(f"{key[0]} #{key[1]} {what}: {before} -> {after}")
        return found


def _of_workspace(key: tuple[str, Any], row: dict[str, Any] | None, workspace_id: int) -> bool:
    if row is None:
        return False
    if key[0] == "workspaces.workspace":
        return key[1] == workspace_id
    return row.get("workspace_id") == workspace_id


def take() -> Snapshot:
    rows: dict[tuple[str, Any], dict[str, Any]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        left_out = VOLATILE.get((meta.app_label, meta.model_name), (set(), ""))[0]
        columns = [f.attname for f in meta.concrete_fields if f.attname not in left_out]
        label = f"{meta.app_label}.{meta.model_name}"
        for values in model._base_manager.values(*columns):
            rows[(label, values[meta.pk.attname])] = values
    return Snapshot(rows)
