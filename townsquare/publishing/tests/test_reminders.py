"""Posting by hand: a post due on a network without a connector is not handed to the publish
task; it waits for a person, who is reminded once, with everything needed to post it."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from townsquare.content.actions import PostInput, do_save_post
from townsquare.networks import registry
from townsquare.networks.models import SocialAccount
from townsquare.notifications.models import Notification
from townsquare.publishing import jobs
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.claim import claim_due
from townsquare.publishing.models import Publication, PublishingSettings
from townsquare.publishing.reminders import (
    KIND,
    claim_due_reminders,
    seconds_until_next_reminder,
    send_due_reminders,
)
from townsquare.workspaces.models import Membership

THREAD = "Erster Teil des Threads über unsere Röstung.\n---\nZweiter Teil: jetzt probieren!"


@pytest.fixture(autouse=True)
def db_tasks(settings):
    settings.TASKS_BACKEND = "db"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def x_account(workspace_a):
    return SocialAccount.objects.create(workspace=workspace_a, network="x", handle="@AlphaKaffee")


def bob_membership(workspace_a, bob):
    return Membership.objects.get(workspace=workspace_a, user=bob)


def due_post(membership, account, text="Heute frisch geröstet: Äthiopien Yirgacheffe."):
    post = do_save_post(membership, PostInput(text=text, language="de"), [account.pk])
    do_schedule_post(membership, post, None)
    return post


@pytest.mark.django_db
def test_a_due_post_to_a_network_without_a_connector_is_not_claimed_for_publishing(
    membership, x_account
):
    due_post(membership, x_account)
    assert claim_due() == []
    jobs.enqueue_due()
    assert not DBTaskResult.objects.exists()
    assert Publication.objects.get().status == "scheduled"


@pytest.mark.django_db
def test_a_due_post_to_a_network_without_a_connector_waits_for_a_person(
    django_capture_on_commit_callbacks, membership, x_account, alice
):
    due_post(membership, x_account)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() is None  # nothing else is due
    pub = Publication.objects.get()
    assert pub.status == "by_hand"
    assert pub.reminded_at is not None and pub.reminded_user == alice
    assert pub.get_status_display() == "Waiting to be posted by hand"
    assert Notification.objects.filter(kind=KIND, recipient=alice).count() == 1
    # Nothing was handed to the publish task; the webhook is the only task (none set here).
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_a_network_becomes_automatic_the_day_its_connector_lands(
    membership, workspace_a, monkeypatch
):
    # Discord: not registered, and not one whose accounts wait for a login (CONNECT_FIRST).
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="discord", handle="#alpha-kaffee"
    )
    due_post(membership, account)
    monkeypatch.setitem(
        registry.PUBLISHERS,
        "discord",
        "townsquare.networks.testnet.connector.TestNetPublisher",
    )
    assert account.publishes_automatically
    assert claim_due_reminders() == []
    assert [pub_id for pub_id, _token in claim_due()] == [Publication.objects.get().pk]


@pytest.mark.django_db
def test_an_x_account_added_by_hand_is_reminded_until_it_is_connected(membership, x_account):
    from townsquare.networks.credentials import store_credentials

    due_post(membership, x_account)
    assert not x_account.publishes_automatically  # X has a connector, this account no login
    assert claim_due() == []
    store_credentials(x_account, {"access_token": "at", "refresh_token": "rt"})
    assert x_account.publishes_automatically
    assert claim_due_reminders() == []
    assert [pub_id for pub_id, _token in claim_due()] == [Publication.objects.get().pk]


@pytest.mark.django_db
def test_a_reminder_is_claimed_once_by_two_schedulers_one_after_the_other(membership, x_account):
    due_post(membership, x_account)
    first = claim_due_reminders()
    second = claim_due_reminders()
    assert len(first) == 1 and second == []


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_remind_each_person_exactly_once(workspace_a, alice, bob, x_account):
    """Scheduler A has claimed and told but not committed when scheduler B runs its pass.
    PostgreSQL: B's whole pass runs before A commits and must skip A's rows. SQLite: B's
    claim waits for A's write lock and must then find the rows taken."""
    from townsquare.publishing.reminders import remind

    editor = bob_membership(workspace_a, bob)
    for n in range(3):
        due_post(editor, x_account, text=f"Beitrag Nummer {n} für heute.")
    postgres = connection.vendor == "postgresql"
    a_claimed, b_starting, b_done = threading.Event(), threading.Event(), threading.Event()
    results: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def scheduler_a() -> None:
        try:
            with transaction.atomic():
                results["a"] = claim_due_reminders()
                for pub_id in results["a"]:
                    remind(pub_id)
                a_claimed.set()
                assert b_starting.wait(10)
                if postgres:
                    # A claim that waited for A's row locks instead of skipping them would
                    # not be done here; after 10 s A commits anyway and the count tells.
                    b_done.wait(10)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
            a_claimed.set()
        finally:
            connection.close()

    def scheduler_b() -> None:
        try:
            assert a_claimed.wait(10)
            b_starting.set()
            send_due_reminders()
            b_done.set()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler_a), threading.Thread(target=scheduler_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert len(results["a"]) == 3
    told = Notification.objects.filter(kind=KIND)
    assert told.count() == 3 and set(told.values_list("recipient", flat=True)) == {bob.pk}
    assert sorted(told.values_list("data__publication", flat=True)) == sorted(results["a"])
    assert set(Publication.objects.values_list("status", flat=True)) == {"by_hand"}


@pytest.mark.django_db
def test_the_reminder_carries_every_part_the_media_and_the_links_by_email_and_webhook(
    django_capture_on_commit_callbacks, workspace_a, bob, x_account, settings
):
    settings.SITE_URL = "https://townsquare.example"
    PublishingSettings.objects.create(
        workspace=workspace_a, webhook_url="https://hooks.example/townsquare"
    )
    bob.language = "en"  # the workspace speaks German; bob reads English
    bob.save()
    editor = bob_membership(workspace_a, bob)
    post = do_save_post(editor, PostInput(text="Hallo", language="de"), [x_account.pk])
    variant = post.variants.get()
    variant.parts = THREAD.split("\n---\n")
    variant.save()
    do_schedule_post(editor, post, None)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders()
    pub = Publication.objects.get()
    note = Notification.objects.get(kind=KIND)
    assert note.recipient == bob  # the author may publish: only they are reminded
    assert note.url == f"/w/{workspace_a.slug}/publications/{pub.pk}/reminder/"
    assert note.data["parts"] == [
        "Erster Teil des Threads über unsere Röstung.",
        "Zweiter Teil: jetzt probieren!",
    ]
    assert (
        note.data["post_url"] == f"https://townsquare.example/w/{workspace_a.slug}/posts/{post.pk}/"
    )
    (email,) = mail.outbox
    assert email.to == ["bob@example.com"]
    assert "Time to post on X @AlphaKaffee by hand" in email.subject
    assert "Text (post 1 of 2):\nErster Teil des Threads" in email.body
    assert "Text (post 2 of 2):\nZweiter Teil: jetzt probieren!" in email.body
    assert f"https://townsquare.example/w/{workspace_a.slug}/posts/{post.pk}/" in email.body
    assert f"https://townsquare.example{note.url}" in email.body
    (hook,) = DBTaskResult.objects.filter(task_path__endswith="deliver_webhook")
    _url, payload = hook.args_kwargs["args"]  # the address travels encrypted
    assert payload["event"] == KIND and payload["parts"] == note.data["parts"]
    assert payload["reminder_url"] == f"https://townsquare.example{note.url}"
    # Sent once: another pass finds nothing more to tell.
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders()
    assert Notification.objects.filter(kind=KIND).count() == 1 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_reminder_email_speaks_the_readers_language(
    django_capture_on_commit_callbacks, workspace_a, bob, x_account
):
    bob.language = "de"
    bob.save()
    due_post(bob_membership(workspace_a, bob), x_account)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders()
    (email,) = mail.outbox
    assert "Jetzt von Hand auf X @AlphaKaffee posten" in email.subject
    assert "Text:\nHeute frisch geröstet" in email.body
    assert "Townsquare kann in diesem Netzwerk nicht selbst posten" in email.body


@pytest.mark.django_db
def test_the_media_of_the_post_are_listed_as_links_for_members(
    django_capture_on_commit_callbacks, membership, x_account, workspace_a, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from townsquare.content.models import PostMedia
    from townsquare.media.models import MediaAsset

    settings.MEDIA_ROOT = tmp_path
    post = due_post(membership, x_account)
    asset = MediaAsset(
        workspace=workspace_a,
        kind="image",
        mime_type="image/png",
        original_name="roestung.png",
        alt_text="Frisch geröstete Bohnen",
        size_bytes=4,
        sha256="0" * 64,
    )
    asset.file.save("roestung.png", ContentFile(b"\x89PNG"), save=False)
    asset.save()
    PostMedia.objects.create(post=post, asset=asset)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders()
    media = Notification.objects.get(kind=KIND).data["media"]
    assert media == [
        {
            "name": "roestung.png",
            "alt_text": "Frisch geröstete Bohnen",
            "url": f"{settings.SITE_URL}/w/{workspace_a.slug}/media/{asset.pk}/file/",
        }
    ]
    assert f"/media/{asset.pk}/file/" in mail.outbox[0].body


@pytest.mark.django_db
def test_without_an_author_who_may_publish_the_owners_and_managers_are_reminded(
    workspace_a, alice, bob, carol, x_account
):
    editor = bob_membership(workspace_a, bob)
    post = due_post(editor, x_account)
    Membership.objects.create(workspace=workspace_a, user=carol, role="manager")
    # The author was made a contributor, who may not publish.
    editor.role = "contributor"
    editor.save()
    send_due_reminders()
    told = Notification.objects.filter(kind=KIND)
    assert sorted(told.values_list("recipient__email", flat=True)) == [
        "alice@example.com",
        "carol@example.com",
    ]
    assert Publication.objects.get(post=post).reminded_user is None


@pytest.mark.django_db
def test_an_author_who_left_the_workspace_is_not_reminded(workspace_a, alice, bob, x_account):
    due_post(bob_membership(workspace_a, bob), x_account)
    Membership.objects.filter(workspace=workspace_a, user=bob).delete()
    send_due_reminders()
    assert list(Notification.objects.values_list("recipient", flat=True)) == [alice.pk]


@pytest.mark.django_db
def test_the_job_sleeps_until_the_next_reminder_is_due(membership, x_account):
    due_post(membership, x_account)
    later = timezone.now() + timedelta(minutes=30)
    Publication.objects.update(due_at=later, run_at=later)
    assert 29 * 60 < seconds_until_next_reminder() <= 30 * 60
    assert 29 * 60 < send_due_reminders() <= 30 * 60
    assert Publication.objects.get().status == "scheduled"


@pytest.mark.django_db
def test_a_reminder_that_cannot_be_written_leaves_the_post_waiting_and_the_others_go_out(
    membership, x_account, monkeypatch
):
    from townsquare.publishing import reminders

    due_post(membership, x_account, text="Der erste Beitrag.")
    due_post(membership, x_account, text="Der zweite Beitrag.")
    first = Publication.objects.order_by("pk").first().pk
    real = reminders.remind

    def broken(pub_id: int) -> None:
        if pub_id == first:
            raise RuntimeError("the template is broken")
        real(pub_id)

    monkeypatch.setattr(reminders, "remind", broken)
    send_due_reminders()
    assert set(Publication.objects.values_list("status", flat=True)) == {"by_hand"}
    assert Notification.objects.filter(kind=KIND).count() == 1


@pytest.mark.django_db(transaction=True)
def test_with_celery_the_reminder_webhook_goes_out_when_the_claim_commits(
    membership, x_account, workspace_a, settings, monkeypatch
):
    from townsquare.runtime.celery_app import run_task

    settings.TASKS_BACKEND = "celery"
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.TASKS = {
        "default": {
            "BACKEND": "townsquare.runtime.celery_backend.CeleryBackend",
            "QUEUES": ["default"],
        }
    }
    published: list[dict] = []
    monkeypatch.setattr(run_task, "apply_async", lambda **kw: published.append(kw))
    PublishingSettings.objects.create(workspace=workspace_a, webhook_url="https://hooks.example/")
    due_post(membership, x_account)
    send_due_reminders()
    assert [kw["args"][0] for kw in published] == ["townsquare.notifications.tasks.deliver_webhook"]
    assert published[0]["args"][1][1]["event"] == KIND
    assert Publication.objects.get().status == "by_hand"


@pytest.mark.django_db
def test_a_post_to_be_posted_by_hand_is_not_flagged_as_failing_for_want_of_a_login(
    membership, x_account, workspace_a
):
    from townsquare.publishing.connection_warnings import at_risk, notify_accounts_at_risk
    from townsquare.publishing.schedule import utc_to_local

    post = do_save_post(membership, PostInput(text="Bald fällig.", language="de"), [x_account.pk])
    in_two_hours = utc_to_local(timezone.now() + timedelta(hours=2), workspace_a.time_zone)
    do_schedule_post(membership, post, in_two_hours)
    assert at_risk(Publication.objects.all()) == []
    assert notify_accounts_at_risk() == 0


def test_a_post_waiting_to_be_posted_by_hand_is_published_cancelled_or_scheduled_again():
    from townsquare.publishing.schedule import EDITABLE, Status, can_move

    assert can_move(Status.SCHEDULED, Status.BY_HAND)
    assert {s for s in Status if can_move(Status.BY_HAND, s)} == {
        Status.PUBLISHED,
        Status.CANCELLED,
        Status.SCHEDULED,
    }
    assert Status.BY_HAND in EDITABLE and not can_move(Status.BY_HAND, Status.PUBLISHING)
