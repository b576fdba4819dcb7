"""Notifications read in the reader's language down to the details: network names in their
German forms, and due times written as the rest of Townsquare writes them."""

from __future__ import annotations

from django.utils import translation

from townsquare.notifications.kinds import body_of, title_of

REMINDER = {
    "account": "Morgenrot GmbH",
    "network": "linkedin_page",
    "due": "2026-12-07 00:07",
    "time_zone": "Europe/Berlin",
    "parts": ["Heute ab 15 Uhr: Kirschkuchen."],
}


def test_a_reminder_names_the_network_in_german_for_a_german_reader():
    with translation.override("de"):
        title = title_of("publication_reminder", REMINDER, "Time to post on LinkedIn (page)")
    assert title == "Jetzt von Hand auf LinkedIn (Seite) Morgenrot GmbH posten"
    with translation.override("en"):
        title = title_of("publication_reminder", REMINDER, "")
    assert title == "Time to post on LinkedIn (page) Morgenrot GmbH by hand"


def test_the_due_time_is_written_as_everywhere_else_with_its_zone():
    with translation.override("de"):
        body = body_of("publication_reminder", REMINDER, "", links=False)
    assert body.startswith("Fällig 07.12.2026, 00:07 (Europe/Berlin).")
    with translation.override("en"):
        body = body_of("publication_reminder", REMINDER, "", links=False)
    assert body.startswith("Due 7 Dec 2026, 00:07 (Europe/Berlin).")
