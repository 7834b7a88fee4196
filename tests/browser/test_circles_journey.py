import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_people_journey import open_area, sign_in
from tests.people.factories import MemberFactory, TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_an_animator_forms_circles_swaps_two_people_confirms_and_a_member_posts(
    people, page, browser, live_server, assert_accessible
):
    urbanisme = TeamFactory(organisation=people.organisation, name="Urbanisme")
    for team in (people.team, urbanisme, people.other_team):
        for _ in range(4):
            MemberFactory(organisation=team.organisation, teams=[team])

    sign_in(page, people.animator.email)
    open_area(page, "Communauté", "Cercles")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cercles")
    assert_accessible(page)
    page.get_by_role("link", name="Former des cercles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Former des cercles")
    assert_accessible(page)
    page.get_by_label("Taille des cercles").fill("3")
    page.get_by_role("button", name="Proposer des cercles").click()
    expect(page.get_by_text("supérieure ou égale à 4")).to_be_visible()
    page.get_by_label("Taille des cercles").fill("6")
    page.get_by_label("Personnes à laisser de côté").fill(people.admin.email)
    page.get_by_role("button", name="Proposer des cercles").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cercles proposés")
    expect(page.get_by_role("heading", name="Cercle 1")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Diversité : \d,\d\d sur 1")).first).to_be_visible()
    assert_accessible(page)
    first_circle = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Cercle 1"))
    moved = first_circle.get_by_role("listitem").first.inner_text().split(" — ")[0]
    page.get_by_label("Première personne").select_option(label=moved)
    second_circle = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Cercle 2"))
    other = second_circle.get_by_role("listitem").first.inner_text().split(" — ")[0]
    page.get_by_label("Seconde personne").select_option(label=other)
    page.get_by_role("button", name="Échanger").click()
    expect(page.get_by_text("Les deux personnes ont changé de cercle.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Cercle 2"))).to_contain_text(moved)
    assert_accessible(page)

    page.get_by_role("link", name="Confirmer ces cercles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer les cercles")
    page.get_by_label("Nom des cercles").fill("Cercle de l’automne")
    page.get_by_label("Raison d’être").fill("Partager ce qui marche à l’accueil.")
    assert_accessible(page)
    page.get_by_role("button", name="Former les cercles").click()
    expect(page.get_by_text("cercles sont formés")).to_be_visible()
    expect(page.get_by_role("link", name="Cercle de l’automne 1")).to_be_visible()
    assert_accessible(page)

    member = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    member.set_default_timeout(15_000)
    sign_in(member, people.owner.email)
    member.goto("/cercles/")
    member.get_by_role("link", name=re.compile("Cercle de l’automne")).click()
    expect(member.get_by_role("heading", level=2, name="Le fil du cercle")).to_be_visible()
    member.get_by_label("Votre message").fill("Bonjour à toutes et à tous, **ravie** d’être là !")
    member.get_by_role("button", name="Publier").click()
    expect(member.get_by_text("Message publié.")).to_be_visible()
    expect(member.locator("strong", has_text="ravie")).to_be_visible()
    assert_accessible(member)
    member.context.close()
