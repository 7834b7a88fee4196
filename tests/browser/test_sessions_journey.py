import re

import pytest
from playwright.sync_api import expect

from apprenance.community.models import LiveSession, Registration
from tests.browser.test_people_journey import open_area, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_an_animator_plans_a_session_a_member_registers_and_finds_the_calendar_link(
    people, page, browser, live_server, assert_accessible
):
    sign_in(page, people.animator.email)
    open_area(page, "Communauté", "Temps synchrones")
    expect(page.get_by_role("heading", level=1)).to_have_text("Temps synchrones")
    assert_accessible(page)
    page.get_by_role("link", name="Programmer un temps synchrone").click()
    page.get_by_label("Titre").fill("Manager Boost : déléguer")
    page.get_by_label("Lien de connexion").fill("https://visio.example.org/boost")
    page.get_by_label("Adresse", exact=True).fill("4 place de la Halle")
    page.get_by_label("Début").fill("2030-03-12T12:30")
    page.get_by_label("Fin").fill("2030-03-12T14:00")
    page.get_by_label("Nombre de places").fill("1")
    page.get_by_role("button", name="Programmer").click()
    expect(page.get_by_text("pas les deux")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Adresse", exact=True).fill("")
    page.get_by_role("button", name="Programmer").click()
    expect(page.get_by_text("Le temps synchrone est programmé.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Manager Boost : déléguer")
    assert_accessible(page)

    member = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    member.set_default_timeout(15_000)
    sign_in(member, people.owner.email)
    member.goto("/temps-synchrones/")
    member.get_by_role("link", name="Manager Boost : déléguer").click()
    expect(member.get_by_text("1 place restante sur 1")).to_be_visible()
    assert_accessible(member)
    member.get_by_role("button", name="M’inscrire").click()
    expect(member.get_by_text("Vous êtes inscrit·e. À bientôt !")).to_be_visible()
    expect(member.get_by_role("link", name="Me désinscrire")).to_be_visible()
    assert_accessible(member)
    session = LiveSession.objects.get()
    assert Registration.objects.get(session=session).member_id == people.owner.pk
    open_area(member, "Communauté", "Temps synchrones")
    # Exact: on the session page, « Ajouter à mon agenda (.ics) » would match too.
    expect(member).to_have_url(re.compile(r"/temps-synchrones/$"))
    member.get_by_role("link", name="Mon agenda", exact=True).click()
    expect(member.get_by_label("Lien de votre agenda personnel")).to_have_value(
        re.compile(rf"/agenda/{people.owner.pk}/.+\.ics$")
    )
    assert_accessible(member)
    member.context.close()
