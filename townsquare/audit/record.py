"""Write audit events. Called from actions.py functions, inside their transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from townsquare.audit.models import AuditEvent


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """JSON-safe values of the given fields, for the before/after columns."""
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(instance, name)
        if isinstance(value, models.Model):
            value = value.pk
        elif not isinstance(value, str | int | float | bool | type(None)):
            value = str(value)
        values[name] = value
    return values


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    workspace: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=(getattr(actor, "email", "") if is_user else "system")[:254],
        workspace=workspace,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk or ""),
        target_label=str(target)[:254],
        before=before,
        after=after,
    )
