import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_people_journey import sign_in
from tests.questions.factories import write_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_ask_see_suggestions_answer_from_an_expert_accept_and_turn_into_a_practice(
    people, page, browser, live_server, assert_accessible
):
    write_on(people.outsider, "entretien", tags=["entretien annuel"])
    sign_in(page, people.owner.email)
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Questions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questions du réseau")
    assert_accessible(page)
    page.get_by_role("link", name="Poser une question").click()
    page.get_by_label("Votre question").press_sequentially("Comment préparer l’entretien annuel d’un agent ?")
    suggestions = page.get_by_role("region", name="Ceci répond peut-être déjà à votre question")
    expect(suggestions).to_contain_text("Préparer l’entretien annuel avec une grille partagée")
    assert_accessible(page)
    page.get_by_label("Précisions").fill("Il est démotivé depuis six mois.")
    page.get_by_role("button", name="Poser la question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Comment préparer l’entretien annuel d’un agent ?")
    expect(page.get_by_text(people.outsider.full_name)).to_be_visible()
    expect(page.get_by_text("a partagé 3 pratiques sur « entretien annuel »")).to_be_visible()
    assert_accessible(page)
    question_url = page.url

    expert = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    expert.set_default_timeout(15_000)
    sign_in(expert, people.outsider.email)
    expert.goto(question_url)
    expert.get_by_label("Votre réponse").fill("J’envoie la grille une semaine avant et je commence par ses envies.")
    expert.get_by_role("button", name="Répondre").click()
    expect(expert.get_by_text("Merci, votre réponse est publiée.")).to_be_visible()
    assert_accessible(expert)
    expert.context.close()

    page.goto(question_url)
    page.get_by_role("button", name="Retenir cette réponse").click()
    expect(page.get_by_text("Réponse retenue : son auteur en est prévenu.")).to_be_visible()
    page.get_by_role("link", name="En faire une pratique").click()
    assert_accessible(page)
    page.get_by_role("button", name="Publier la pratique").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Comment préparer l’entretien annuel d’un agent ?")
    expect(page.get_by_role("link", name=people.outsider.full_name)).to_be_visible()
    back = page.get_by_role("link", name="Comment préparer l’entretien annuel d’un agent ?")
    expect(back).to_have_attribute("href", re.compile(r"/questions/\d+/$"))
    assert_accessible(page)
