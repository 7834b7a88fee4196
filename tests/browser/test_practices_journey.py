import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_people_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_publish_find_by_another_inflection_and_adopt_from_another_team(
    people, page, browser, live_server, assert_accessible
):
    sign_in(page, people.owner.email)
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Pratiques").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pratiques du réseau")
    assert_accessible(page)
    page.get_by_role("link", name="Partager une pratique").click()
    page.get_by_label("Titre").fill("Des réunions d’équipe debout le lundi")
    page.get_by_label("Type").select_option(label="Rituel")
    page.get_by_label("Contexte, problème").fill("Nos réunions duraient deux heures.")
    page.get_by_label("Ce que nous avons fait").fill("Quinze minutes debout, chacun donne sa priorité.")
    page.get_by_label("Résultats").fill("Tout le monde repart avec un cap clair.")
    page.get_by_label("Équipe").select_option(label="État civil")
    page.get_by_label("Mots-clés").fill("réunion, rituel")
    assert_accessible(page)
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Des réunions d’équipe debout le lundi")
    expect(page.get_by_text("Votre pratique est publiée.")).to_be_visible()
    assert_accessible(page)

    other = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    other.set_default_timeout(15_000)
    sign_in(other, people.outsider.email)
    other.goto("/pratiques/")
    other.get_by_label("Rechercher une pratique").fill("reunion equipe")
    result = other.get_by_role("link", name=re.compile("Des réunions d’équipe debout"))
    expect(result).to_be_visible()
    expect(other.locator("mark").first).to_be_visible()
    assert_accessible(other)
    result.click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Des réunions d’équipe debout le lundi")
    other.get_by_role("link", name="Je l’ai essayée").click()
    assert_accessible(other)
    other.get_by_label("Avec quelle équipe ?").select_option(label="Agence centre")
    other.get_by_label("En partie").check()
    other.get_by_label("Comment ça s’est passé").fill("Chez nous, le mardi.")
    other.get_by_role("button", name="Enregistrer mon essai").click()
    expect(other.get_by_text("Votre essai est enregistré")).to_be_visible()
    essaimage = other.get_by_role("region", name="Essaimage")
    expect(essaimage).to_contain_text("Banque d’Arnelle")
    expect(essaimage).to_contain_text("Agence centre")
    expect(essaimage).to_contain_text("Chez nous, le mardi.")
    assert_accessible(other)
    other.get_by_role("button", name=re.compile("^Utile")).click()
    expect(other.get_by_role("button", name=re.compile("^Utile"))).to_have_attribute("aria-pressed", "true")
    other.goto("/mallette/")
    assert_accessible(other)
    other.context.close()
