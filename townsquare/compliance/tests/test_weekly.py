from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from townsquare.compliance.jobs import weekly_plan_check
from townsquare.compliance.models import PlanCheck
from townsquare.compliance.tests import factories as f
from townsquare.compliance.weekly import is_due, send_check, send_due_checks
from townsquare.notifications.models import Notification
from townsquare.runtime.scheduler import registered_jobs
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 12, 7)
# Monday 7 December 2026, 09:00 in Berlin.
MONDAY_MORNING = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


@pytest.fixture
def managed(workspace_a, alice, bob, carol):
    """alice (owner, German) and carol (manager, English) hear it; bob (editor) does not."""
    alice.language = "de"
    alice.save()
    carol.language = "en"
    carol.save()
    Membership.objects.create(workspace=workspace_a, user=carol, role="manager")
    f.plan(workspace_a, {"linkedin_page": 3, "mastodon": 1})
    li = f.account(workspace_a, "linkedin_page")
    f.publication(li, datetime(2026, 12, 1, 9, tzinfo=UTC), "published")  # last week
    f.publication(li, datetime(2026, 12, 8, 9, tzinfo=UTC))  # this week
    return workspace_a


def test_check_goes_once_in_each_persons_language(
    managed, alice, bob, carol, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        check = send_check(managed, MONDAY_MORNING)
    assert check is not None and check.week_start == MONDAY and check.recipients == 2
    notes = {n.recipient: n for n in Notification.objects.filter(kind="plan_check")}
    assert set(notes) == {alice, carol}
    assert notes[alice].title == "Plan-Check für KW 50: 2 Lücken in der letzten Woche"
    assert "1 von 3 Beiträgen auf LinkedIn (Seite): Lücke" in notes[alice].body
    assert "2 Beiträge fehlen auf LinkedIn (Seite)" in notes[alice].body
    assert "1 Beitrag fehlt auf Mastodon" in notes[alice].body
    assert notes[carol].title == "Plan check for week 50: 2 gaps last week"
    assert "1 of 3 posts on LinkedIn (page): Gap" in notes[carol].body
    assert "1 post missing on Mastodon" in notes[carol].body
    assert notes[alice].url == f"/w/{managed.slug}/plan/compliance/"
    assert sorted(m.to[0] for m in mail.outbox) == [alice.email, carol.email]
    german = next(m for m in mail.outbox if m.to == [alice.email])
    assert "Plan-Check" in german.subject and "Lücke" in german.body
    # Again the same week: nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_check(managed, MONDAY_MORNING + timedelta(hours=3)) is None
    assert Notification.objects.filter(kind="plan_check").count() == 2
    assert len(mail.outbox) == 2
    assert PlanCheck.objects.count() == 1


def test_due_only_on_monday_morning_in_the_workspace_zone(managed, workspace_b):
    assert not is_due(managed, datetime(2026, 12, 7, 6, 30, tzinfo=UTC))  # 07:30 Berlin
    assert is_due(managed, datetime(2026, 12, 7, 7, 0, tzinfo=UTC))  # 08:00 Berlin
    assert not is_due(managed, datetime(2026, 12, 8, 8, 0, tzinfo=UTC))  # Tuesday
    assert not is_due(managed, datetime(2026, 12, 6, 23, 30, tzinfo=UTC))  # Monday 00:30 Berlin
    # London is an hour behind: 08:00 there is 08:00 UTC in winter.
    assert not is_due(workspace_b, datetime(2026, 12, 7, 7, 30, tzinfo=UTC))
    assert is_due(workspace_b, datetime(2026, 12, 7, 8, 0, tzinfo=UTC))


def test_job_sends_due_checks_once(managed, workspace_b):
    f.plan(workspace_b, {})  # a plan without cadence: no check
    assert send_due_checks(datetime(2026, 12, 7, 5, 0, tzinfo=UTC)) == 0
    assert send_due_checks(MONDAY_MORNING) == 1
    assert send_due_checks(MONDAY_MORNING + timedelta(minutes=10)) == 0
    assert send_due_checks(MONDAY_MORNING + timedelta(days=7)) == 1
    assert list(PlanCheck.objects.values_list("week_start", flat=True)) == [
        MONDAY + timedelta(days=7),
        MONDAY,
    ]
    assert not PlanCheck.objects.filter(workspace=workspace_b).exists()
    assert weekly_plan_check in registered_jobs()


def test_command_prints_and_sends(managed, alice):
    out = StringIO()
    call_command("plan", "check", "--workspace", managed.slug, "--language", "en", stdout=out)
    text = out.getvalue()
    assert text.startswith("Plan check for week")
    assert "Last week" in text and "This week" in text
    assert not Notification.objects.exists()
    sent = StringIO()
    call_command("plan", "check", "--workspace", managed.slug, "--send", stdout=sent)
    assert "Sent to 2 people (the owners and managers)" in sent.getvalue()
    assert "KW" in sent.getvalue()  # the workspace's language: German
    again = StringIO()
    call_command("plan", "check", "--workspace", managed.slug, "--send", stdout=again)
    assert "sent already" in again.getvalue()
    assert Notification.objects.filter(kind="plan_check").count() == 2


def test_command_unknown_workspace(db):
    with pytest.raises(CommandError, match="no workspace"):
        call_command("plan", "check", "--workspace", "nirgendwo")
    with pytest.raises(CommandError):
        call_command("plan", "check", "--workspace", "a\x00b")
