import pytest
from playwright.sync_api import expect

from tests.browser.test_people_journey import sign_in
from tests.practices.factories import practice
from tests.questions.factories import ask

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_search_from_the_header_and_filter_by_type_with_the_keyboard(people, page, assert_accessible):
    practice(people.outsider, title="La réunion d’équipe debout en quinze minutes", team=people.other_team)
    ask(people.outsider, title="Comment rendre nos réunions de service plus courtes ?")
    sign_in(page, people.owner.email)
    header_search = page.get_by_role("search", name="Recherche dans le réseau")
    header_search.get_by_label("Rechercher parmi les pratiques et les questions").fill("réunion")
    header_search.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rechercher dans le réseau")
    results = page.locator("#results")
    the_practice = results.get_by_role("heading", name="Pratique La réunion d’équipe debout en quinze minutes")
    the_question = results.get_by_role("heading", name="Question Comment rendre nos réunions de service plus courtes ?")
    expect(the_practice).to_be_visible()
    expect(the_question).to_be_visible()
    assert_accessible(page)
    # The type filter is a radio group: arrow keys move within it and htmx redraws the results.
    page.get_by_role("radio", name="Tout").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="Pratiques")).to_be_checked()
    expect(the_question).to_have_count(0)
    expect(the_practice).to_be_visible()
    expect(page).to_have_url("/recherche/?q=r%C3%A9union&type=pratiques", ignore_case=True)
    assert_accessible(page)


def test_declare_a_skill_then_remove_it_after_confirming(people, page, assert_accessible):
    sign_in(page, people.owner.email)
    page.locator(".user-menu summary").click()
    page.get_by_role("link", name="Mes compétences").click()
    expect(page.get_by_text("Vous n’avez encore déclaré aucune compétence.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Compétence (obligatoire)").fill("Conduite d’entretien")
    page.get_by_label("Expert·e").check()
    page.get_by_label("Je peux la transmettre").check()
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_text("« Conduite d’entretien » est ajoutée à vos compétences.")).to_be_visible()
    expect(page.get_by_role("heading", name="Conduite d’entretien")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Retirer « Conduite d’entretien »").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retirer « Conduite d’entretien » de vos compétences ?")
    assert_accessible(page)
    page.get_by_role("button", name="Retirer").click()
    expect(page.get_by_text("« Conduite d’entretien » est retirée de vos compétences.")).to_be_visible()
    expect(page.get_by_text("Vous n’avez encore déclaré aucune compétence.")).to_be_visible()


def test_the_asker_edits_then_deletes_a_question_after_confirming(people, page, assert_accessible):
    question = ask(people.owner, title="Comment répartir les astreintes du week-end ?")
    sign_in(page, people.owner.email)
    page.goto(question.get_absolute_url())
    page.get_by_role("link", name="Modifier", exact=True).click()
    assert_accessible(page)
    rewritten = "Comment répartir équitablement les astreintes du week-end ?"
    page.get_by_label("Votre question").fill(rewritten)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(rewritten)
    page.get_by_role("link", name="Supprimer", exact=True).click()
    expect(page.get_by_text("Elle n’a encore reçu aucune réponse.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Supprimer définitivement").click()
    expect(page.get_by_text("La question et ses réponses sont supprimées.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questions du réseau")
