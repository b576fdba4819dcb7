"""Teaching the triage a workspace's own judgement: a new model version trained on the
shipped examples plus the manager's corrections (each counted three times, so that a few
corrections move the decision), made active at once; any earlier version, or the shipped
model, can be made active again."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from townsquare.audit.record import record
from townsquare.inbox.models import TriageCorrection, TriageModelVersion
from townsquare.inbox.triage import TriageModel, predict_labels, train
from townsquare.inbox.triage.default import default_model, load_examples
from townsquare.lib.errors import ActionError
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

CORRECTION_WEIGHT = 3
TASKS = ("category", "sentiment", "spam")


def _corrections(membership: Membership) -> dict[str, list[tuple[str, str]]]:
    """The latest correction per message and task, with its text (anonymised ones skipped)."""
    latest: dict[tuple[int, str], tuple[str, str]] = {}
    rows = TriageCorrection.objects.filter(workspace=membership.workspace).order_by(
        "created_at", "id"
    )
    for row in rows.values_list("message_id", "task", "text", "new_value"):
        message_id, task, text, value = row
        if task in TASKS and text.strip():
            latest[(message_id, task)] = (text, value)
    by_task: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for (_message_id, task), example in latest.items():
        by_task[task].append(example)
    return by_task


def _fits(model: TriageModel, examples: list[tuple[str, str]], task: str) -> int:
    predicted = predict_labels(model, [text for text, _ in examples], task)
    wanted = [label for _text, label in examples]
    return sum(
        1 for (label, _confidence), want in zip(predicted, wanted, strict=True) if label == want
    )


def do_train_from_corrections(membership: Membership) -> TriageModelVersion:
    require(membership, Perm.TRIAGE_INBOX)
    corrections = _corrections(membership)
    if not corrections:
        raise ActionError(
            _("There are no corrections to learn from yet. Correct a label on a message first."),
            code="no_corrections",
        )
    shipped = default_model()
    examples = load_examples()
    model = shipped
    metrics: dict[str, dict[str, int]] = {}
    for task, own in sorted(corrections.items()):
        model = train(
            [*examples[task], *own * CORRECTION_WEIGHT], base=model, task=task, stack_on_base=False
        )
        # How many of the workspace's corrections each model now gets right: the shipped one
        # got none of them right, or they would not have been corrected.
        metrics[task] = {"corrections": len(own), "fitted": _fits(model, own, task)}
    total = sum(len(own) for own in corrections.values())
    with transaction.atomic():
        existing = TriageModelVersion.objects.filter(
            workspace=membership.workspace, version=model.version
        ).first()
        TriageModelVersion.objects.filter(workspace=membership.workspace, active=True).update(
            active=False
        )
        if existing is not None:  # the same corrections again: the same model
            existing.active = True
            existing.save(update_fields=["active"])
            saved = existing
        else:
            saved = TriageModelVersion.objects.create(
                workspace=membership.workspace,
                version=model.version,
                blob=model.to_bytes(),
                active=True,
                examples=total,
                metrics=metrics,
                created_by=membership.user,
            )
        record(
            actor=membership.user,
            action="inbox.triage_train",
            target=saved,
            workspace=membership.workspace,
            after={"version": saved.version, "corrections": total},
        )
    return saved


def do_activate_model(membership: Membership, version: TriageModelVersion | None) -> None:
    """Make `version` the workspace's triage model; None goes back to the shipped model."""
    require(membership, Perm.TRIAGE_INBOX)
    if version is not None and version.workspace_id != membership.workspace_id:
        raise ActionError(_("Choose a model of this workspace."), code="unknown_model")
    with transaction.atomic():
        TriageModelVersion.objects.filter(workspace=membership.workspace, active=True).update(
            active=False
        )
        if version is not None:
            TriageModelVersion.objects.filter(pk=version.pk).update(active=True)
        record(
            actor=membership.user,
            action="inbox.triage_activate",
            target=version or membership.workspace,
            workspace=membership.workspace,
            after={"version": version.version if version else "shipped"},
        )
