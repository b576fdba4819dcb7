"""Key rotation for every secret Townsquare stores encrypted.

FIELD_ENCRYPTION_KEYS is a list: the first key encrypts, every key decrypts. To retire a key,
an operator puts a new key in front, restarts, runs `townsquare rotate-keys` (which rewrites
every stored secret with the first key) and then removes the old key. The command reads
every secret before it writes any: if one cannot be opened with the configured keys, nothing
is changed and the rows are named, so that removing a key can never strand a secret.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import transaction

from townsquare.lib.crypto import KeyRing, SecretsUnavailable

# Every encrypted column, as (app_label.ModelName, field name). A new encrypted field is added
# here; tests check that every field named here exists.
ENCRYPTED_FIELDS: list[tuple[str, str]] = [
    ("networks.SocialAccount", "credentials_encrypted"),
    ("networks.MastodonApp", "client_secret_encrypted"),
    ("inbox.Department", "webhook_secret_encrypted"),
]

BATCH_SIZE = 500


@dataclass
class RotationReport:
    rotated: int = 0
    already_current: int = 0
    unreadable: list[str] = field(default_factory=list)


def _rows(model_label: str, field_name: str):  # type: ignore[no-untyped-def]
    model = apps.get_model(model_label)
    return model, model.objects.exclude(**{field_name: ""}).order_by("pk")


def check_keys() -> RotationReport:
    """How many secrets the first key already opens, how many need rotating, which fail."""
    ring = KeyRing(settings.FIELD_ENCRYPTION_KEYS)
    primary = KeyRing(settings.FIELD_ENCRYPTION_KEYS[:1])
    report = RotationReport()
    for model_label, field_name in ENCRYPTED_FIELDS:
        _, rows = _rows(model_label, field_name)
        for pk, token in rows.values_list("pk", field_name).iterator():
            try:
                primary.decrypt(token)
                report.already_current += 1
                continue
            except SecretsUnavailable:
                pass
            try:
                ring.decrypt(token)
                report.rotated += 1  # would be rotated
            except SecretsUnavailable:
                report.unreadable.append(f"{model_label} #{pk} ({field_name})")
    return report


def rotate_keys() -> RotationReport:
    """Re-encrypt every stored secret with the first key, all or nothing."""
    ring = KeyRing(settings.FIELD_ENCRYPTION_KEYS)
    report = RotationReport()
    with transaction.atomic():
        plan: list[tuple[type, str, int, str]] = []
        for model_label, field_name in ENCRYPTED_FIELDS:
            model, rows = _rows(model_label, field_name)
            for pk, token in rows.select_for_update().values_list("pk", field_name).iterator():
                try:
                    plan.append((model, field_name, pk, ring.rotate(token)))
                except SecretsUnavailable:
                    report.unreadable.append(f"{model_label} #{pk} ({field_name})")
        if report.unreadable:
            # Writing the others would leave a mixed state that a removed key could strand.
            transaction.set_rollback(True)
            return report
        for model, field_name, pk, token in plan:
            model.objects.filter(pk=pk).update(**{field_name: token})
            report.rotated += 1
    return report
