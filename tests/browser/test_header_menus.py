"""The header's menus behave like menus: Escape, a click elsewhere and another menu close them."""

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
