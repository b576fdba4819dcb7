"""Holiday settings and holiday names in the reader's language (German and English)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from townsquare.calendars.country_names import COUNTRY_NAMES, localized_countries
from townsquare.calendars.holiday_names import countries, holidays_between
from townsquare.calendars.models import CalendarSettings

pytestmark = pytest.mark.django_db


def _settings_page(client, workspace, language):
    url = reverse("calendar_settings", kwargs={"workspace": workspace.slug})
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_the_settings_name_the_countries_in_german_for_a_german_reader(alice_client, workspace_a):
    page = _settings_page(alice_client, workspace_a, "de")
    assert ">Deutschland (DE)</option>" in page and ">Österreich (AT)</option>" in page
    assert ">Vereinigtes Königreich (GB)</option>" in page
    assert "Germany (DE)" not in page and "DRCongo" not in page
    # In the order of the German names, umlauts where they belong.
    assert page.index("Oman (OM)") < page.index("Österreich (AT)") < page.index("Pakistan (PK)")


def test_the_settings_name_the_countries_in_english_for_an_english_reader(
    alice_client, workspace_a
):
    page = _settings_page(alice_client, workspace_a, "en")
    assert ">Germany (DE)</option>" in page and ">Austria (AT)</option>" in page
    assert ">Democratic Republic of the Congo (CD)</option>" in page


def test_every_country_offered_has_a_name_and_a_german_one():
    assert set(COUNTRY_NAMES) == set(countries())
    with translation.override("de"):
        german = localized_countries()
    with translation.override("en"):
        english = localized_countries()
    assert german["DE"] == "Deutschland" and english["DE"] == "Germany"
    same = {code for code in german if german[code] == english[code]}
    # Names alike in both languages (Kenia differs, Kenya's neighbour Uganda does not).
    assert "UG" in same and "KE" not in same and "CH" not in same


def test_holiday_names_come_in_german_where_the_package_has_them():
    first, last = date(2026, 1, 1), date(2026, 1, 6)
    german = holidays_between("DE", "BY", first, last, "de")
    english = holidays_between("DE", "BY", first, last, "en")
    assert german[date(2026, 1, 1)] == ["Neujahr"]
    assert german[date(2026, 1, 6)] == ["Heilige Drei Könige"]
    assert english[date(2026, 1, 1)] == ["New Year's Day"]
    assert english[date(2026, 1, 6)] == ["Epiphany"]


def test_the_month_shows_holidays_in_german(alice_client, workspace_a):
    CalendarSettings.objects.create(workspace=workspace_a, country="AT", show_holidays=True)
    url = reverse("workspace_calendar", kwargs={"workspace": workspace_a.slug})
    page = alice_client.get(url, {"day": "2026-12-15"}, HTTP_ACCEPT_LANGUAGE="de")
    html = page.content.decode()
    assert "Christtag" in html or "Weihnachten" in html
    assert "Christmas Day" not in html
