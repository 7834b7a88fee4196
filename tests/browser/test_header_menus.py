"""The header's menus behave like menus (Escape, a click elsewhere, another menu close them) and lead on."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_people_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_escape_outside_clicks_and_other_menus_close_the_header_menus(people, page):
    sign_in(page, people.owner.email)
    navigation = page.get_by_role("navigation", name="Navigation principale")
    community = navigation.locator("details").filter(has_text="Communauté")
    network = navigation.locator("details").filter(has_text="Réseau")
    member_menu = page.locator("details.user-menu")

    community.locator("summary").click()
    expect(community).to_have_attribute("open", "")
    page.keyboard.press("Escape")
    expect(community).not_to_have_attribute("open", "")
    expect(community.locator("summary")).to_be_focused()

    # Opening one menu closes the other.
    community.locator("summary").click()
    network.locator("summary").click()
    expect(network).to_have_attribute("open", "")
    expect(community).not_to_have_attribute("open", "")

    # A click on the page closes it.
    page.get_by_role("heading", level=1).click()
    expect(network).not_to_have_attribute("open", "")

    # From the keyboard: Tab out of the member's menu closes it, and its links still work.
    member_menu.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(member_menu).to_have_attribute("open", "")
    page.get_by_role("searchbox").focus()
    expect(member_menu).not_to_have_attribute("open", "")
    member_menu.locator("summary").click()
    member_menu.get_by_role("link", name="Mes compétences").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("compétences")
    expect(page.locator("details.user-menu")).not_to_have_attribute("open", "")


def test_a_member_reaches_the_erasure_page_from_the_menu_and_can_step_back(people, page, assert_accessible):
    sign_in(page, people.colleague.email)
    page.locator("details.user-menu summary").click()
    page.get_by_role("link", name="Mes données").click()
    page.get_by_role("link", name="Effacer mon compte…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Effacer mon compte")
    assert_accessible(page)
    page.get_by_label("Votre mot de passe").fill("pas le bon")
    page.get_by_role("button", name="Effacer mon compte définitivement").click()
    expect(page.get_by_text("Ce mot de passe n’est pas le bon.")).to_be_visible()
    page.get_by_role("link", name="Annuler").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données")
