"""The shell in a real browser: sign in, switch language, create and switch workspaces, and
use it all with the keyboard and a screen reader."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def sidenav(page):
    return page.get_by_role("navigation", name=re.compile("^Workspace$"))


def test_a_manager_signs_in_switches_language_and_creates_and_switches_workspaces(
    page, sign_in, alice, workspace_a, tmp_path
):
    sign_in(page, "alice@example.com", "alice-pass-123")

    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha Kaffee")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(sidenav(page).get_by_role("link", name="Inbox")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.log.assert_clean()  # stylesheet and scripts loaded, nothing blocked by the CSP
    page.screenshot(path=tmp_path / "dashboard-en.png", full_page=True)

    page.get_by_role("button", name="DE", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha Kaffee")
    expect(sidenav(page).get_by_role("link", name="Posteingang")).to_be_visible()
    expect(sidenav(page).get_by_role("link", name="Kalender")).to_be_visible()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    expect(page.get_by_role("button", name="DE", exact=True)).to_be_disabled()
    page.screenshot(path=tmp_path / "dashboard-de.png", full_page=True)

    page.reload()
    expect(sidenav(page).get_by_role("link", name="Posteingang")).to_be_visible()
    alice.refresh_from_db()
    assert alice.language == "de"

    page.get_by_role("link", name="Neuer Workspace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Neuer Workspace")
    page.get_by_label("Name").fill("Gamma Garten")
    page.get_by_label("Zeitzone").select_option("Europe/Vienna")
    page.get_by_label("Hauptsprache").select_option("de")
    page.get_by_label("Beschreibung").fill("Gartenbedarf aus Wien")
    page.get_by_role("button", name="Workspace erstellen").click()

    expect(page).to_have_url(re.compile(r"/w/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Gamma Garten")
    expect(page.get_by_role("status")).to_contain_text("Gamma Garten")
    expect(page.get_by_text("Europe/Vienna")).to_be_visible()
    gamma_url = page.url

    switcher = page.get_by_role("combobox", name="Workspace", exact=True)
    expect(switcher.locator("option")).to_have_text(["Alpha Kaffee", "Gamma Garten"])
    expect(switcher.locator("option:checked")).to_have_text("Gamma Garten")

    page.wait_for_load_state()
    switcher.select_option(label="Alpha Kaffee")
    expect(page).to_have_url(re.compile(rf"/w/{workspace_a.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha Kaffee")
    expect(switcher.locator("option:checked")).to_have_text("Alpha Kaffee")

    page.wait_for_load_state()  # the switcher's script runs once the page has loaded
    switcher.select_option(label="Gamma Garten")
    expect(page).to_have_url(gamma_url)

    page.get_by_role("button", name="EN", exact=True).click()
    expect(sidenav(page).get_by_role("link", name="Inbox")).to_be_visible()
    alice.refresh_from_db()
    assert alice.language == "en"

    page.log.assert_clean()


def test_the_shell_works_with_the_keyboard_and_every_control_has_a_label(
    page, sign_in, unlabelled_controls, alice, workspace_a
):
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to content")
    expect(skip).to_have_attribute("href", "#main")
    expect(skip).to_be_in_viewport()
    assert not unlabelled_controls(page), unlabelled_controls(page)

    sign_in(page, "alice@example.com", "alice-pass-123")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha Kaffee")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_attribute("id", "main")
    assert not unlabelled_controls(page), unlabelled_controls(page)

    page.goto("/workspaces/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("New workspace")
    assert not unlabelled_controls(page), unlabelled_controls(page)

    page.goto(f"/w/{workspace_a.slug}/settings/members/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    expect(page.get_by_role("cell", name="bob@example.com")).to_be_visible()
    assert not unlabelled_controls(page), unlabelled_controls(page)

    page.log.assert_clean()
