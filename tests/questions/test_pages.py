"""The questions pages: list, search and filters, asking with suggestions, experts and measures."""

import pytest
from django.utils import timezone

from apprenance.questions import services
from apprenance.questions.models import Question, Solicitation
from tests.questions.factories import ask, write_on

pytestmark = pytest.mark.django_db


def test_questions_are_in_the_main_navigation(people, signed_in):
    page = signed_in(people.colleague).get("/questions/").content.decode()
    assert '<a href="/questions/" aria-current="page">Questions</a>' in page


def test_the_list_filters_answered_unanswered_and_accepted(people, signed_in):
    waiting = ask(people.owner, title="Comment animer une réunion de service trop longue ?")
    answered = ask(people.owner, title="Comment accueillir un stagiaire pendant l’été ?")
    accepted = ask(people.owner, title="Comment répartir les astreintes du week-end ?")
    services.answer_question(people.outsider, answered, "Un parrain pour chaque stagiaire.")
    services.accept_answer(people.owner, services.answer_question(people.outsider, accepted, "Un tableau partagé."))
    client = signed_in(people.colleague)

    def titles(**params):
        return [item["title"] for item in client.get("/api/v1/questions/", params).json()["items"]]

    assert titles(state="unanswered") == [waiting.title]
    assert titles(state="answered") == [accepted.title, answered.title]
    assert titles(state="accepted") == [accepted.title]
    page = client.get("/questions/", {"state": "accepted"}).content.decode()
    assert accepted.title in page
    assert waiting.title not in page
    assert "Réponse retenue" in page


def test_search_finds_questions_whatever_the_inflection_and_marks_the_words(people, signed_in):
    ask(people.owner, title="Comment rendre nos réunions plus courtes ?")
    ask(people.owner, title="Comment accueillir un stagiaire pendant l’été ?")
    page = signed_in(people.colleague).get("/questions/", {"q": "reunion"}).content.decode()
    assert "<mark>réunions</mark>" in page
    assert "stagiaire" not in page
    empty = signed_in(people.colleague).get("/questions/", {"q": "le la les ?"}).content.decode()
    assert "ne contient aucun mot à chercher" in empty


def test_search_and_lists_hide_organisation_only_questions_from_other_organisations(people, signed_in):
    ask(people.owner, title="Comment gérer les congés de l’état civil ?", visibility="organisation")
    client = signed_in(people.outsider)
    assert "congés" not in client.get("/questions/").content.decode()
    assert "congés" not in client.get("/questions/", {"q": "conges"}).content.decode()
    assert client.get("/api/v1/questions/", {"q": "conges"}).json()["count"] == 0
    assert signed_in(people.colleague).get("/api/v1/questions/", {"q": "conges"}).json()["count"] == 1


def test_the_list_runs_a_bounded_number_of_queries(people, signed_in, django_assert_max_num_queries):
    for number in range(12):
        question = ask(people.owner, title=f"Comment organiser la réunion numéro {number} ?")
        services.answer_question(people.outsider, question, "Debout, en quinze minutes.")
    client = signed_in(people.animator)
    client.get("/questions/")  # sessions, caches and translations warmed up
    with django_assert_max_num_queries(12):
        response = client.get("/questions/")
    assert response.content.decode().count('class="card result"') == 12
    # A search adds the engine's queries (on PostgreSQL, one per word to count how rare it is).
    with django_assert_max_num_queries(20):
        response = client.get("/questions/", {"q": "réunion"})
    assert response.content.decode().count('class="card result"') == 12


def test_while_typing_the_title_existing_practices_and_answered_questions_are_suggested(people, signed_in):
    write_on(people.outsider, "entretien", count=1)
    write_on(people.outsider, "accueil")
    earlier = ask(people.colleague, title="Comment mener un entretien annuel avec un agent démotivé ?")
    services.answer_question(people.outsider, earlier, "Je commence par ses envies de formation.")
    ask(people.colleague, title="Comment préparer un entretien annuel sans réponse encore ?")
    client = signed_in(people.owner)
    form = client.get("/questions/poser/").content.decode()
    assert 'hx-get="/questions/suggestions/"' in form
    assert 'hx-trigger="input changed delay:500ms"' in form
    partial = client.get("/questions/suggestions/", {"title": "Comment fais-tu pour l’entretien annuel ?"})
    html = partial.content.decode()
    assert "<html" not in html
    assert "Préparer l’entretien annuel avec une grille partagée" in html
    assert earlier.title in html
    assert "sans réponse encore" not in html  # only questions that already have answers
    assert "Ceci répond peut-être déjà" in html
    nothing = client.get("/questions/suggestions/", {"title": "Comment fais-tu ?"}).content.decode()
    assert "Ceci répond peut-être déjà" not in nothing


def test_asking_from_the_page_shows_the_asker_the_experts_and_why(people, signed_in):
    write_on(people.outsider, "entretien", tags=["entretien annuel"])
    client = signed_in(people.owner)
    response = client.post(
        "/questions/poser/",
        {"title": "Comment préparer l’entretien annuel d’un agent ?", "details": "", "visibility": "network"},
    )
    question = Question.objects.get()
    assert response["Location"] == question.get_absolute_url()
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Personnes sollicitées" in page
    assert people.outsider.full_name in page
    assert "a partagé 3 pratiques sur « entretien annuel »" in page
    # Others do not see whom the routing suggested.
    assert "Personnes sollicitées" not in signed_in(people.colleague).get(question.get_absolute_url()).content.decode()


def test_the_ask_form_explains_what_is_wrong(people, signed_in):
    response = signed_in(people.owner).post("/questions/poser/", {"title": "Quoi ?", "visibility": "partout"})
    html = response.content.decode()
    assert "Posez votre question en au moins dix caractères." in html
    assert "Sélectionnez un choix valide" in html
    assert not Question.objects.exists()


def test_a_solicited_expert_can_say_pas_pour_moi(people, signed_in):
    write_on(people.outsider, "entretien")
    question = ask(people.owner)
    Solicitation.objects.filter(question=question, expert=people.outsider).update(notified_at=timezone.now())
    client = signed_in(people.outsider)
    assert "Pas pour moi" in client.get(question.get_absolute_url()).content.decode()
    client.post(f"/questions/{question.pk}/pas-pour-moi/")
    assert Solicitation.objects.get(question=question, expert=people.outsider).declined_at is not None
    assert "Pas pour moi" not in client.get(question.get_absolute_url()).content.decode()
    assert "a décliné" in signed_in(people.owner).get(question.get_absolute_url()).content.decode()


def test_a_member_pauses_and_resumes_solicitations(people, signed_in):
    client = signed_in(people.outsider)
    client.post("/questions/disponibilite/", {"paused": "on"})
    assert people.outsider.expert_settings.paused
    assert "checked" in client.get("/questions/disponibilite/").content.decode()
    client.post("/questions/disponibilite/", {})
    people.outsider.expert_settings.refresh_from_db()
    assert not people.outsider.expert_settings.paused


def test_animators_see_the_answer_times_per_organisation(people, signed_in):
    quick = ask(people.owner, title="Comment accueillir un stagiaire pendant l’été ?")
    slow = ask(people.owner, title="Comment répartir les astreintes du week-end ?")
    ask(people.owner, title="Comment animer une réunion de service trop longue ?")
    services.answer_question(people.outsider, quick, "Un parrain.")
    services.answer_question(people.outsider, slow, "Un tableau.")
    Question.objects.filter(pk=quick.pk).update(first_answer_at=quick.created_at + timezone.timedelta(hours=3))
    Question.objects.filter(pk=slow.pk).update(first_answer_at=slow.created_at + timezone.timedelta(hours=73))
    page = signed_in(people.animator).get("/questions/").content.decode()
    assert "Réactivité de la communauté" in page
    row = page[page.index('<th scope="row">Mairie de Vernay</th>') :].split("</tr>")[0]
    assert [cell.split("<")[0] for cell in row.split("<td>")[1:]] == ["3", "2", "33 %", "38,0 h"]
    assert "Réactivité de la communauté" not in signed_in(people.colleague).get("/questions/").content.decode()
