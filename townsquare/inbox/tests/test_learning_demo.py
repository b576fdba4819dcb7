"""The demo shows triage learning: a German correction and the model trained from it."""

import pytest

from townsquare.demo.accounts import seed_accounts
from townsquare.demo.inbox import seed_inbox
from townsquare.demo.inbox_learning import seed_inbox_learning
from townsquare.demo.people import seed_people
from townsquare.inbox.learning import model_for
from townsquare.inbox.models import TriageCorrection, TriageModelVersion

pytestmark = pytest.mark.django_db


def test_the_german_demo_workspace_uses_a_model_learnt_from_its_correction_twice_is_once():
    _user, workspaces = seed_people("demo-pass-123456")
    seed_accounts(workspaces)
    seed_inbox(workspaces)
    seed_inbox_learning(workspaces)
    seed_inbox_learning(workspaces)
    german = next(w for w in workspaces if w.language == "de")
    assert TriageCorrection.objects.filter(workspace=german, new_value="neutral").count() == 1
    version = TriageModelVersion.objects.get(workspace=german)
    assert version.active and version.examples == 1
    assert model_for(german.pk).version == version.version
    others = [w for w in workspaces if w.language != "de"]
    assert not TriageModelVersion.objects.filter(workspace__in=others).exists()
