"""Publishing, editing, commenting, reacting, adopting and curating: what members see and hear."""

import pytest

from apprenance.core.models import Event
from apprenance.notifications.models import Notification
from apprenance.practices.models import Adoption, Practice, Revision, Stage, Toolkit
from tests.practices.factories import practice

pytestmark = pytest.mark.django_db


FORM = {
    "title": "Un café d’accueil pour chaque arrivée",
    "kind": "ritual",
    "context": "Les arrivants restaient seuls.",
    "what_we_did": "Un café le premier matin avec l’équipe.",
    "results": "Ils osent poser des questions.",
    "visibility": "network",
    "tags": "accueil, onboarding",
    "skills": "Accueillir un nouvel arrivant",
}


def test_publishing_from_the_form_records_the_event_and_shows_the_page(people, signed_in):
    client = signed_in(people.owner)
    response = client.post("/pratiques/nouvelle/", {**FORM, "team": people.team.pk, "publish": "1"}, follow=True)
    created = Practice.objects.get()
    assert created.status == "published"
    assert created.team == people.team
    assert sorted(created.tags.values_list("name", flat=True)) == ["accueil", "onboarding"]
    assert "Un café d’accueil pour chaque arrivée" in response.content.decode()
    assert Event.objects.filter(verb="practice.published", object_id=created.pk).exists()


def test_a_draft_is_saved_without_publishing(people, signed_in):
    signed_in(people.owner).post("/pratiques/nouvelle/", {**FORM, "draft": "1"})
    assert Practice.objects.get().status == "draft"
    assert not Event.objects.filter(verb="practice.published").exists()


def test_bad_input_gets_clear_messages_and_writes_nothing(people, signed_in):
    client = signed_in(people.owner)
    response = client.post("/pratiques/nouvelle/", {**FORM, "title": "ab", "context": "", "team": people.other_team.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "au moins cinq caractères" in html
    assert "Ce champ est obligatoire" in html
    assert "Sélectionnez un choix valide" in html
    tags = ", ".join(f"mot{n}" for n in range(12))
    assert "Pas plus de dix" in client.post("/pratiques/nouvelle/", {**FORM, "tags": tags}).content.decode()
    assert not Practice.objects.exists()


def test_an_edit_keeps_who_changed_what_and_when(people, signed_in):
    created = practice(people.owner, title="Premier titre de pratique")
    client = signed_in(people.admin)
    form = {**FORM, "title": "Un titre plus clair", "team": "", "visibility": "network"}
    client.post(f"/pratiques/{created.pk}/modifier/", form)
    revision = Revision.objects.get()
    assert revision.editor == people.admin
    assert "title" in revision.changed
    assert revision.previous["title"] == "Premier titre de pratique"
    history = client.get(f"/pratiques/{created.pk}/historique/").content.decode()
    assert people.admin.full_name in history
    assert "titre" in history


def test_comments_thread_one_level_and_notify_followers(people, signed_in):
    created = practice(people.owner)
    signed_in(people.colleague).post(f"/pratiques/{created.pk}/commenter/", {"body": "Vous le faites debout ?"})
    top = created.comments.get()
    assert Notification.objects.filter(recipient=people.owner, kind="practice.commented").count() == 1
    signed_in(people.outsider).post(f"/pratiques/{created.pk}/commenter/", {"body": "Oui !", "parent": top.pk})
    reply = created.comments.exclude(pk=top.pk).get()
    signed_in(people.owner).post(f"/pratiques/{created.pk}/commenter/", {"body": "Debout.", "parent": reply.pk})
    assert created.comments.filter(parent=top).count() == 2  # a reply to a reply joins the thread
    assert Notification.objects.filter(recipient=people.colleague, kind="practice.commented").exists()
    created.refresh_from_db()
    assert created.comment_count == 3


def test_an_empty_comment_is_refused_with_a_message(people, signed_in):
    created = practice(people.owner)
    response = signed_in(people.colleague).post(f"/pratiques/{created.pk}/commenter/", {"body": "  "}, follow=True)
    assert "Le commentaire est vide" in response.content.decode()
    assert not created.comments.exists()


def test_reactions_are_one_each_per_member_and_toggle(people, signed_in):
    created = practice(people.owner)
    client = signed_in(people.colleague)
    client.post(f"/pratiques/{created.pk}/reagir/useful/")
    client.post(f"/pratiques/{created.pk}/reagir/thanks/")
    created.refresh_from_db()
    assert (created.useful_count, created.thanks_count) == (1, 1)
    client.post(f"/pratiques/{created.pk}/reagir/useful/")
    created.refresh_from_db()
    assert created.useful_count == 0
    signed_in(people.owner).post(f"/pratiques/{created.pk}/reagir/useful/")
    created.refresh_from_db()
    assert created.useful_count == 0  # nobody applauds their own practice


def test_adopting_records_the_team_outcome_and_spread_and_tells_the_author(people, signed_in):
    created = practice(people.owner)
    client = signed_in(people.outsider)
    data = {"team": people.other_team.pk, "outcome": "partly", "note": "Chez nous, le jeudi."}
    client.post(f"/pratiques/{created.pk}/essayer/", data)
    adoption = Adoption.objects.get()
    assert (adoption.team, adoption.organisation, adoption.outcome) == (
        people.other_team,
        people.other_organisation,
        "partly",
    )
    created.refresh_from_db()
    assert created.adoption_count == 1
    assert created.stage == Stage.TRIED
    assert Notification.objects.filter(recipient=people.owner, kind="practice.adopted").exists()
    assert Event.objects.filter(verb="practice.adopted", team=people.other_team).exists()
    page = signed_in(people.colleague).get(created.get_absolute_url()).content.decode()
    for shown in ("Banque d’Arnelle", "Agence centre", "Chez nous, le jeudi."):
        assert shown in page


def test_adopting_twice_updates_the_outcome(people, signed_in):
    created = practice(people.owner)
    client = signed_in(people.outsider)
    client.post(f"/pratiques/{created.pk}/essayer/", {"team": people.other_team.pk, "outcome": "partly"})
    client.post(f"/pratiques/{created.pk}/essayer/", {"team": people.other_team.pk, "outcome": "worked"})
    assert Adoption.objects.get().outcome == "worked"
    created.refresh_from_db()
    assert created.adoption_count == 1


def test_one_cannot_adopt_with_another_organisations_team_or_ones_own_practice(people, signed_in):
    created = practice(people.owner)
    response = signed_in(people.outsider).post(
        f"/pratiques/{created.pk}/essayer/", {"team": people.team.pk, "outcome": "worked"}
    )
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert signed_in(people.owner).get(f"/pratiques/{created.pk}/essayer/").status_code == 403
    assert not Adoption.objects.exists()


def test_animators_retain_and_retire_with_a_reason_members_cannot(people, signed_in):
    created = practice(people.owner)
    toolkit = Toolkit.objects.create(slug="mallette", title="La mallette")
    section = toolkit.sections.create(title="Réunions", position=1)
    assert signed_in(people.colleague).get(f"/pratiques/{created.pk}/mallette/").status_code == 403
    client = signed_in(people.animator)
    client.post(f"/pratiques/{created.pk}/mallette/", {"section": section.pk, "note": "À essayer dès lundi."})
    created.refresh_from_db()
    assert created.stage == Stage.RETAINED
    assert "À essayer dès lundi." in client.get("/mallette/mallette/").content.decode()
    response = client.post(f"/pratiques/{created.pk}/decision/", {"stage": "retired", "reason": ""})
    assert "Dites en quelques mots" in response.content.decode()
    client.post(f"/pratiques/{created.pk}/decision/", {"stage": "retired", "reason": "Remplacée par une autre."})
    created.refresh_from_db()
    assert created.stage == Stage.RETIRED
    assert "Remplacée par une autre." in client.get(created.get_absolute_url()).content.decode()
    assert Event.objects.filter(verb="practice.retired").exists()


def test_archiving_asks_for_confirmation_then_hides_it_from_lists(people, signed_in):
    created = practice(people.owner, title="Une pratique à archiver")
    client = signed_in(people.owner)
    assert "Archiver « Une pratique à archiver » ?" in client.get(f"/pratiques/{created.pk}/archiver/").content.decode()
    client.post(f"/pratiques/{created.pk}/archiver/")
    created.refresh_from_db()
    assert created.status == "archived"
    assert "Une pratique à archiver" not in signed_in(people.colleague).get("/pratiques/").content.decode()
    assert signed_in(people.colleague).get(created.get_absolute_url()).status_code == 200


def test_deleting_says_what_goes_with_the_practice_then_removes_it_everywhere(people, signed_in):
    from apprenance.practices import services

    created = practice(people.owner, title="Le tableau des humeurs du lundi")
    services.add_comment(people.colleague, created, "On l’a repris chez nous.")
    services.adopt_practice(people.outsider, created, team=people.other_team, outcome="worked", note="Bien reçu.")
    toolkit = Toolkit.objects.create(slug="mallette", title="La mallette du manager")
    services.retain_in_toolkit(people.animator, created, toolkit.sections.create(title="Rituels"), "")

    page = " ".join(signed_in(people.owner).get(f"/pratiques/{created.pk}/supprimer/").content.decode().split())
    for said in (
        "Supprimer « Le tableau des humeurs du lundi » ?",
        "son commentaire",
        "l’essai qu’une équipe en a fait et son retour",
        "sa place dans la mallette « La mallette du manager »",
        "archivez-la plutôt",
    ):
        assert said in page
    assert signed_in(people.colleague).get(f"/pratiques/{created.pk}/supprimer/").status_code == 403
    assert signed_in(people.colleague).post(f"/pratiques/{created.pk}/supprimer/").status_code == 403
    assert Practice.objects.filter(pk=created.pk).exists()

    client = signed_in(people.owner)
    response = client.post(f"/pratiques/{created.pk}/supprimer/", follow=True)

    assert response.redirect_chain[-1][0] == "/pratiques/"
    assert "La pratique « Le tableau des humeurs du lundi » est supprimée." in response.content.decode()
    assert not Practice.objects.filter(pk=created.pk).exists()
    assert not Adoption.objects.exists()
    assert client.get("/api/v1/practices/", {"q": "humeurs"}).json()["count"] == 0
    assert Event.objects.filter(verb="practice.deleted").exists()
    assert client.get(created.get_absolute_url()).status_code == 404


def test_a_draft_nobody_else_saw_is_deleted_without_talk_of_archiving(people, signed_in):
    draft = practice(people.owner, title="Un brouillon abandonné", publish=False)
    page = signed_in(people.owner).get(f"/pratiques/{draft.pk}/supprimer/").content.decode()
    assert "archivez-la plutôt" not in page
    assert "La suppression est définitive" in page


def test_the_list_page_runs_a_bounded_number_of_queries(people, signed_in, django_assert_max_num_queries):
    for number in range(25):
        practice(people.owner, title=f"Pratique numéro {number}")
    client = signed_in(people.colleague)
    with django_assert_max_num_queries(12):
        assert client.get("/pratiques/").status_code == 200
    # A search: up to two looks per tier of candidates on PostgreSQL (the newest, then the index).
    with django_assert_max_num_queries(20):
        assert client.get("/pratiques/", {"q": "pratique"}).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(Practice.objects.first().get_absolute_url()).status_code == 200


def test_the_toolkit_exports_to_markdown(people, signed_in):
    from apprenance.practices import services

    created = practice(people.owner, title="Le point du lundi")
    toolkit = Toolkit.objects.create(slug="mallette", title="La mallette du manager")
    services.retain_in_toolkit(people.animator, created, toolkit.sections.create(title="Rituels"), "Simple.")
    response = signed_in(people.colleague).get("/mallette/mallette/export.md")
    text = response.content.decode()
    assert response["Content-Disposition"] == 'attachment; filename="mallette.md"'
    assert text.startswith("# La mallette du manager")
    for shown in ("## Rituels", "### Le point du lundi", "> Simple."):
        assert shown in text


def test_the_toolkit_exports_to_a_readable_pdf(people, signed_in):
    import io

    from pypdf import PdfReader

    from apprenance.practices import services

    first = practice(people.owner, title="Le point du lundi", context="L’équipe « éclatée » se croisait.")
    second = practice(people.colleague, title="Un parrain pour les arrivées")
    toolkit = Toolkit.objects.create(slug="mallette", title="La mallette du manager", description="Nos essentiels.")
    rituals, onboarding = (
        toolkit.sections.create(title="Rituels", position=1),
        toolkit.sections.create(title="Accueillir", position=2),
    )
    services.retain_in_toolkit(people.animator, first, rituals, "Simple et efficace.")
    services.retain_in_toolkit(people.animator, second, onboarding, "")
    response = signed_in(people.outsider).get("/mallette/mallette/export.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    pages = [page.extract_text() for page in reader.pages]
    assert "La mallette du manager" in pages[0]
    assert "Sommaire" in pages[1]
    assert "Le point du lundi" in pages[1]
    assert "Un parrain pour les arrivées" in pages[1]
    body = "\n".join(pages[2:])
    assert "L’équipe « éclatée » se croisait." in body
    assert "Simple et efficace." in body
    assert [item.title for item in reader.outline if not isinstance(item, list)] == ["Rituels", "Accueillir"]


def test_personal_data_export_holds_what_the_member_wrote_and_tried(people, signed_in):
    created = practice(people.owner, title="Le point du lundi")
    client = signed_in(people.outsider)
    client.post(f"/pratiques/{created.pk}/commenter/", {"body": "Bravo"})
    client.post(f"/pratiques/{created.pk}/essayer/", {"team": people.other_team.pk, "outcome": "worked"})
    data = client.get("/profil/mes-donnees/apprenance-mes-donnees.json").json()
    assert data["comments"][0]["body"] == "Bravo"
    assert data["adoptions"][0]["practice"] == "Le point du lundi"
    own = signed_in(people.owner).get("/profil/mes-donnees/apprenance-mes-donnees.json").json()
    assert own["practices"][0]["title"] == "Le point du lundi"
