import re

import pytest
from playwright.sync_api import expect

from apprenance.community import campaigns
from apprenance.community.models import Campaign, Prompt, PromptAnswer
from tests.browser.test_people_journey import open_area, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_an_animator_runs_a_campaign_and_a_member_answers_its_prompt(
    people, page, browser, live_server, assert_accessible
):
    sign_in(page, people.animator.email)
    open_area(page, "Communauté", "Campagnes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Campagnes")
    expect(page.get_by_text("Aucune campagne pour l’instant.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Nouvelle campagne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle campagne")
    page.get_by_label("Nom de la campagne").fill("Le feedback au quotidien")
    page.get_by_role("radio", name="Des équipes").check()
    page.get_by_role("button", name="Créer la campagne").click()
    expect(page.get_by_text("Choisissez au moins une équipe.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Équipes", exact=True).select_option(label="État civil")
    page.get_by_role("button", name="Créer la campagne").click()
    expect(page.get_by_text("La campagne est créée.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le feedback au quotidien")
    assert_accessible(page)

    page.get_by_role("link", name="Ajouter un thème").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter un thème")
    page.get_by_role("textbox", name="Thème").fill("Dire ce qui va bien")
    page.get_by_label("Question à discuter").fill("À qui avez-vous dit **merci** de façon précise cette semaine ?")
    assert_accessible(page)
    page.get_by_role("button", name="Ajouter le thème").click()
    expect(page.get_by_text("Le thème est ajouté.")).to_be_visible()
    expect(page.get_by_text("si vous lancez la campagne maintenant")).to_be_visible()
    page.get_by_role("button", name="Lancer la campagne").click()
    expect(page.get_by_text("La campagne est lancée")).to_be_visible()
    expect(page.get_by_text("Envoi prévu le")).to_be_visible()
    assert_accessible(page)

    # Monday 9:00 comes: the periodic job sends the prompt to the team.
    prompt = Prompt.objects.get()
    assert campaigns.send_due_prompts(now=prompt.send_at) == 2

    member = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    member.set_default_timeout(15_000)
    sign_in(member, people.owner.email)
    member.get_by_role("link", name=re.compile("Notifications")).click()
    member.get_by_role("link", name=re.compile("le thème de la semaine est « Dire ce qui va bien »")).click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Dire ce qui va bien")
    expect(member.get_by_text("Personne n’a encore répondu.")).to_be_visible()
    assert_accessible(member)
    member.get_by_role("button", name="Publier ma réponse").click()
    expect(member.get_by_text("Votre réponse n’est pas publiée : corrigez-la ci-dessous.")).to_be_visible()
    assert not PromptAnswer.objects.exists()
    assert_accessible(member)
    member.get_by_label("Votre réponse").fill("À Romain, qui a repris la permanence du samedi : **merci** !")
    member.get_by_role("button", name="Publier ma réponse").click()
    expect(member.get_by_text("Votre réponse est publiée. Merci !")).to_be_visible()
    expect(member.get_by_role("article")).to_contain_text("qui a repris la permanence du samedi")
    expect(member.get_by_role("heading", name="1 réponse", exact=True)).to_be_visible()
    assert_accessible(member)
    open_area(member, "Communauté", "Campagnes")
    expect(member.get_by_text("1 thème envoyé sur 1")).to_be_visible()
    assert_accessible(member)
    member.context.close()

    assert PromptAnswer.objects.get().author_id == people.owner.pk
    page.goto(Campaign.objects.get().get_absolute_url())
    page.get_by_role("link", name="Participation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Participation")
    row = page.get_by_role("row", name=re.compile("Dire ce qui va bien"))
    expect(row.get_by_role("cell").nth(2)).to_have_text("1")  # of the two recipients, one answered
    expect(row.get_by_role("cell").nth(3)).to_have_text("50 %")
    assert_accessible(page)
