"""Reports by e-mail: when they leave and which period they cover, who gets them (members
only, each in their language), what happens when sending fails, and who may set them up."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from townsquare.analytics.models import ReportSchedule
from townsquare.analytics.report_jobs import send_due_reports
from townsquare.analytics.report_schedule_actions import (
    do_create_report_schedule,
    do_delete_report_schedule,
    do_send_report_now,
)
from townsquare.analytics.report_timing import next_send, period_before
from townsquare.analytics.tests.dashboard_fixtures import make_history
from townsquare.audit.models import AuditEvent
from townsquare.lib.errors import ActionError
from townsquare.workspaces.models import Membership

BERLIN = ZoneInfo("Europe/Berlin")


def test_weekly_reports_leave_on_monday_at_eight_local_time_for_the_week_before():
    after = datetime(2026, 3, 25, 12, 0, tzinfo=UTC)  # a Wednesday
    moment = next_send("weekly", after, BERLIN)
    assert moment == datetime(2026, 3, 30, 6, 0, tzinfo=UTC)  # 08:00 summer time (from 29 March)
    assert period_before("weekly", date(2026, 3, 30)) == (date(2026, 3, 23), date(2026, 3, 29))


def test_monthly_reports_leave_on_the_first_for_the_month_before():
    moment = next_send("monthly", datetime(2026, 2, 1, 7, 0, tzinfo=UTC), BERLIN)
    assert moment == datetime(2026, 3, 1, 7, 0, tzinfo=UTC)  # 1 Feb 08:00 CET already passed
    assert period_before("monthly", date(2026, 3, 1)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert period_before("monthly", date(2026, 1, 1)) == (date(2025, 12, 1), date(2025, 12, 31))


@pytest.fixture
def history(workspace_a, alice):
    return make_history(workspace_a, alice)


@pytest.fixture
def schedule(membership, bob, history):
    return do_create_report_schedule(membership, "weekly", [membership.user_id, bob.pk])


def test_a_due_report_goes_to_each_recipient_in_their_language(schedule, alice, bob, settings):
    settings.SITE_URL = "https://townsquare.example"
    alice.language, bob.language = "de", "en"
    alice.save()
    bob.save()
    ReportSchedule.objects.filter(pk=schedule.pk).update(
        next_send_at=datetime.now(UTC) - timedelta(minutes=1)
    )

    assert send_due_reports() == 1

    assert len(mail.outbox) == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    german, english = by_recipient[alice.email], by_recipient[bob.email]
    assert "Statistikbericht" in german.subject and "Analytics report" in english.subject
    assert "https://townsquare.example/w/" in english.body
    name, pdf, kind = english.attachments[0]
    assert kind == "application/pdf" and pdf.startswith(b"%PDF-") and name.endswith(".pdf")
    schedule.refresh_from_db()
    assert schedule.last_sent_at is not None and schedule.last_error == ""
    assert schedule.next_send_at > datetime.now(UTC) + timedelta(days=1)
    assert send_due_reports() == 0  # not twice


def test_a_failed_send_is_told_in_words_tried_again_and_then_skipped(schedule, monkeypatch):
    from townsquare.analytics import report_jobs

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server refused the connection")

    monkeypatch.setattr(report_jobs, "deliver", broken)
    now = datetime.now(UTC)
    for attempt in range(3):
        ReportSchedule.objects.filter(pk=schedule.pk).update(
            next_send_at=now - timedelta(seconds=1)
        )
        send_due_reports(now)
        schedule.refresh_from_db()
        assert "mail server refused the connection" in schedule.last_error
        if attempt < 2:
            assert schedule.failures == attempt + 1
            assert schedule.next_send_at == now + timedelta(hours=1)
    assert schedule.failures == 0  # gave up on this period; the next one follows on schedule
    assert "three tries" in schedule.last_error or "drei" in schedule.last_error
    assert schedule.next_send_at > now + timedelta(days=1)
    assert len(mail.outbox) == 0


def test_reports_go_to_members_only_and_a_former_member_gets_none(
    membership, bob, carol, workspace_a, history
):
    with pytest.raises(ActionError, match="members"):
        do_create_report_schedule(membership, "weekly", [carol.pk])
    with pytest.raises(ActionError):
        do_create_report_schedule(membership, "daily", [bob.pk])
    with pytest.raises(ActionError):
        do_create_report_schedule(membership, "weekly", [])
    schedule = do_create_report_schedule(membership, "monthly", [bob.pk])
    Membership.objects.filter(user=bob, workspace=workspace_a).delete()
    with pytest.raises(ActionError, match="member"):
        do_send_report_now(membership, schedule.pk)
    assert len(mail.outbox) == 0


def test_send_now_sends_the_last_period_and_not_again_within_minutes(membership, schedule):
    assert do_send_report_now(membership, schedule.pk) == 2
    assert len(mail.outbox) == 2
    with pytest.raises(ActionError, match="ten minutes"):
        do_send_report_now(membership, schedule.pk)
    assert AuditEvent.objects.filter(action="analytics.report_send_now").count() == 1


def test_editors_may_not_set_up_reports_and_other_workspaces_are_not_found(
    membership, schedule, bob, carol, workspace_a, workspace_b
):
    editor = Membership.objects.get(user=bob, workspace=workspace_a)
    with pytest.raises(PermissionDenied):
        do_create_report_schedule(editor, "weekly", [bob.pk])
    with pytest.raises(PermissionDenied):
        do_delete_report_schedule(editor, schedule.pk)
    stranger = Membership.objects.get(user=carol, workspace=workspace_b)
    from django.http import Http404

    with pytest.raises((Http404, PermissionDenied)):
        do_delete_report_schedule(stranger, schedule.pk)
    do_delete_report_schedule(membership, schedule.pk)
    assert not ReportSchedule.objects.exists()


def test_the_reports_page_schedules_and_lists_reports(client, alice, bob, workspace_a, history):
    client.force_login(alice)
    url = reverse("analytics_reports", kwargs={"workspace": workspace_a.slug})

    response = client.post(url, {"frequency": "monthly", "recipients": [str(bob.pk)]})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Monthly, on the 1st, for the past month" in page
    assert "Bob" in page
    assert client.post(url, {"frequency": "monthly", "recipients": ["999999"]}).status_code == 400


def test_a_viewer_sees_the_page_but_cannot_schedule(client, bob, workspace_a, history):
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role="viewer")
    client.force_login(bob)
    url = reverse("analytics_reports", kwargs={"workspace": workspace_a.slug})
    assert client.get(url).status_code == 200
    assert client.post(url, {"frequency": "weekly", "recipients": [str(bob.pk)]}).status_code == 400
    assert not ReportSchedule.objects.exists()
