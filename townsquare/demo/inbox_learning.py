"""Demo triage learning: in the German workspace a manager has corrected one label (the
private message about acid in coffee reads as neutral, not positive) and trained the
workspace's own model from it, so Inbox settings > Triage shows a version in use beside the
shipped model. Idempotent: the same correction trains the same model version."""

from __future__ import annotations

from collections.abc import Sequence

from townsquare.demo.inbox import network_id
from townsquare.inbox.learning_actions import do_train_from_corrections
from townsquare.inbox.models import Message, TriageCorrection, TriageModelVersion
from townsquare.inbox.triage_actions import do_correct_label
from townsquare.workspaces.models import Membership, Workspace

CORRECTIONS = {"de": [("privat-saeure", "sentiment", "neutral")]}


def seed_inbox_learning(workspaces: Sequence[Workspace]) -> None:
    for workspace in workspaces:
        wanted = CORRECTIONS.get(workspace.language, [])
        owner = (
            Membership.objects.filter(workspace=workspace, role="owner")
            .select_related("user", "workspace")
            .order_by("pk")
            .first()
        )
        if owner is None or not wanted:
            continue
        for key, task, value in wanted:
            message = Message.objects.filter(
                workspace=workspace, network_message_id=network_id(workspace, key)
            ).first()
            if message is None or getattr(message, task) == value:
                continue
            if not TriageCorrection.objects.filter(message=message, task=task).exists():
                do_correct_label(owner, message, task, value)
        if (
            TriageCorrection.objects.filter(workspace=workspace).exists()
            and not TriageModelVersion.objects.filter(workspace=workspace).exists()
        ):
            do_train_from_corrections(owner)
