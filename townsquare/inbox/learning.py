"""Which triage model a workspace uses: the shipped default, or the version it trained on
its own corrections and made active. Loaded once per process and version (a model is a few
hundred kilobytes and takes a moment to read)."""

from __future__ import annotations

import threading

from townsquare.inbox.models import TriageModelVersion
from townsquare.inbox.triage import TriageModel
from townsquare.inbox.triage.default import default_model

_lock = threading.Lock()
_loaded: dict[str, TriageModel] = {}
# A handful of workspaces' models at most are in use by one process at a time.
_KEEP = 16


def active_version(workspace_id: int) -> TriageModelVersion | None:
    return (
        TriageModelVersion.objects.filter(workspace_id=workspace_id, active=True)
        .only("pk", "version")
        .first()
    )


def model_for(workspace_id: int) -> TriageModel | None:
    """The workspace's active model, or None for the shipped default."""
    active = active_version(workspace_id)
    if active is None:
        return None
    with _lock:
        found = _loaded.get(active.version)
    if found is not None:
        return found
    blob = TriageModelVersion.objects.values_list("blob", flat=True).get(pk=active.pk)
    model = TriageModel.from_bytes(bytes(blob))
    with _lock:
        if len(_loaded) >= _KEEP:
            _loaded.pop(next(iter(_loaded)))
        _loaded[active.version] = model
    return model


def base_model() -> TriageModel:
    return default_model()
