import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def sign_in(page, email, password="mot-de-passe-solide"):
    page.goto("/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")


def open_area(page, heading, area):
    """Reach an area gathered under a heading of the main navigation, as a member would: by opening it."""
    navigation = page.get_by_role("navigation", name="Navigation principale")
    navigation.get_by_text(heading, exact=True).click()
    navigation.get_by_role("link", name=area).click()


def test_member_signs_in_browses_the_directory_and_switches_language(people, page, assert_accessible):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/connexion/"))
    assert_accessible(page)

    sign_in(page, people.owner.email)
    assert_accessible(page)

    open_area(page, "Réseau", "Annuaire")
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire du réseau")
    expect(page.get_by_role("link", name=people.outsider.full_name)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Rechercher par nom").fill(people.colleague.last_name)
    expect(page.get_by_role("link", name=people.outsider.full_name)).to_have_count(0)
    expect(page.get_by_role("link", name=people.colleague.full_name)).to_be_visible()

    page.get_by_role("link", name=people.colleague.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(people.colleague.full_name)
    assert_accessible(page)

    page.get_by_role("link", name="Mairie de Vernay").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mairie de Vernay")
    assert_accessible(page)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    navigation = page.get_by_role("navigation", name="Main navigation")
    expect(navigation.get_by_role("link", name="Practices")).to_be_visible()
    expect(navigation.get_by_text("Network", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_admin_pages_are_accessible(people, page, assert_accessible):
    sign_in(page, people.admin.email)
    page.goto("/organisations/mairie-vernay/gestion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gérer l’organisation")
    assert_accessible(page)
    page.get_by_role("link", name="Inviter des personnes").click()
    page.get_by_role("button", name="Envoyer les invitations").click()
    expect(page.get_by_text("Indiquez au moins une adresse")).to_be_visible()
    assert_accessible(page)
    page.goto("/profil/")
    assert_accessible(page)
    page.goto("/profil/mes-donnees/")
    assert_accessible(page)
    page.goto("/notifications/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    assert_accessible(page)
    page.get_by_role("link", name="Préférences").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Préférences de notification")
    assert_accessible(page)
    page.goto("/profil/jetons/")
    page.get_by_label("Nom du jeton").fill("Tableau de bord RH")
    page.get_by_role("button", name="Créer un jeton").click()
    expect(page.get_by_label("Jeton", exact=True)).to_have_value(re.compile(r"^apr_"))
    assert_accessible(page)
