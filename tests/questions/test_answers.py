"""Answering, voting, accepting, commenting, following, and turning an answer into a practice."""

import pytest
from django.urls import reverse

from apprenance.core.models import Event
from apprenance.notifications.models import Notification
from apprenance.practices.models import Practice
from apprenance.questions import services
from apprenance.questions.models import AnswerVote, Question
from tests.questions.factories import ask

pytestmark = pytest.mark.django_db

ANSWER = "Je bloque une demi-journée par agent et **j’envoie la grille** une semaine avant."


def test_answering_notifies_the_followers_and_records_the_first_answer_time(people, signed_in):
    question = ask(people.owner)
    response = signed_in(people.outsider).post(f"/questions/{question.pk}/repondre/", {"body": ANSWER})
    question.refresh_from_db()
    answer = question.answers.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#reponse-{answer.pk}")
    assert (question.answer_count, question.status) == (1, "answered")
    assert question.first_answer_at == answer.created_at
    assert Notification.objects.filter(recipient=people.owner, kind="question.answered", actor=people.outsider).exists()
    assert Event.objects.filter(verb="question.answered", actor=people.outsider, object_id=question.pk).exists()
    page = signed_in(people.colleague).get(question.get_absolute_url()).content.decode()
    assert "<strong>j’envoie la grille</strong>" in page


def test_an_empty_answer_is_refused_with_a_message(people, signed_in):
    question = ask(people.owner)
    response = signed_in(people.outsider).post(f"/questions/{question.pk}/repondre/", {"body": "   "}, follow=True)
    assert "La réponse est vide" in response.content.decode()
    assert not question.answers.exists()


def test_a_vote_counts_once_per_member_and_never_on_ones_own_answer(people, signed_in):
    question = ask(people.owner)
    answer = services.answer_question(people.outsider, question, ANSWER)
    url = f"/questions/{question.pk}/reponses/{answer.pk}/utile/"
    client = signed_in(people.colleague)
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert 'aria-pressed="true"' in response.content.decode()
    assert '<span class="count">1</span>' in response.content.decode()
    client.post(url)  # a second click takes it back
    answer.refresh_from_db()
    assert answer.useful_count == 0
    assert not AnswerVote.objects.exists()
    assert signed_in(people.outsider).post(url).status_code == 403
    with pytest.raises(services.NotAllowedError):
        services.toggle_vote(people.outsider, answer)


def test_only_the_asker_accepts_an_answer(people, signed_in):
    question = ask(people.owner)
    first = services.answer_question(people.outsider, question, ANSWER)
    second = services.answer_question(people.colleague, question, "Je fais l’entretien en deux temps.")
    assert signed_in(people.colleague).post(f"/questions/{question.pk}/reponses/{first.pk}/retenir/").status_code == 403
    signed_in(people.owner).post(f"/questions/{question.pk}/reponses/{first.pk}/retenir/")
    signed_in(people.owner).post(f"/questions/{question.pk}/reponses/{second.pk}/retenir/")
    question.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert question.accepted_answer == second
    assert (first.is_accepted, second.is_accepted) == (False, True)
    assert Notification.objects.filter(recipient=people.colleague, kind="question.answer_accepted").exists()


def test_a_comment_on_an_answer_reaches_its_author(people, signed_in):
    question = ask(people.owner)
    answer = services.answer_question(people.outsider, question, ANSWER)
    signed_in(people.owner).post(f"/questions/{question.pk}/reponses/{answer.pk}/commenter/", {"body": "Merci !"})
    assert answer.comments.get().body == "Merci !"
    assert Notification.objects.filter(recipient=people.outsider, kind="question.answer_commented").exists()


def test_following_a_question_brings_its_answers(people, signed_in):
    question = ask(people.owner)
    signed_in(people.colleague).post(f"/questions/{question.pk}/suivre/")
    services.answer_question(people.outsider, question, ANSWER)
    assert Notification.objects.filter(recipient=people.colleague, kind="question.answered").exists()
    signed_in(people.colleague).post(f"/questions/{question.pk}/suivre/")
    services.answer_question(people.other_admin, question, "Une autre idée.")
    assert Notification.objects.filter(recipient=people.colleague, kind="question.answered").count() == 1


def test_an_accepted_answer_becomes_a_practice_crediting_its_author_and_linking_back(people, signed_in):
    details = "Un agent démotivé, un entretien qui s’annonce tendu."
    question = ask(people.owner, details=details, tags="entretien annuel")
    answer = services.answer_question(people.outsider, question, ANSWER)
    url = f"/questions/{question.pk}/reponses/{answer.pk}/pratique/"
    assert signed_in(people.owner).post(url).status_code == 403  # not accepted yet
    services.accept_answer(people.owner, answer)
    assert signed_in(people.colleague).post(url).status_code == 403  # neither asker nor animator
    response = signed_in(people.owner).post(url)
    practice = Practice.objects.get()
    assert response["Location"] == practice.get_absolute_url()
    assert practice.author == people.outsider
    assert practice.organisation == people.other_organisation
    assert practice.status == "published"
    assert practice.title == question.title
    assert practice.what_we_did == ANSWER
    assert f"](/questions/{question.pk}/)" in practice.context
    assert "Un agent démotivé" in practice.context
    assert [tag.name for tag in practice.tags.all()] == ["entretien annuel"]
    answer.refresh_from_db()
    assert answer.practice == practice
    page = signed_in(people.colleague).get(practice.get_absolute_url()).content.decode()
    assert f'href="/questions/{question.pk}/"' in page
    assert Notification.objects.filter(recipient=people.outsider, kind="question.answer_capitalised").exists()
    # A second click leads to the practice rather than making another one.
    assert signed_in(people.owner).post(url)["Location"] == practice.get_absolute_url()
    assert Practice.objects.count() == 1
    with pytest.raises(services.NotAllowedError):
        services.turn_into_practice(people.owner, answer)


def test_an_animator_of_the_organisation_capitalises_too(people, signed_in):
    question = ask(people.owner)
    answer = services.answer_question(people.colleague, question, ANSWER)
    services.accept_answer(people.owner, answer)
    signed_in(people.animator).post(f"/questions/{question.pk}/reponses/{answer.pk}/pratique/")
    assert Practice.objects.get().author == people.colleague


def test_an_organisation_only_question_is_unreachable_from_elsewhere(people, signed_in):
    question = ask(people.owner, visibility="organisation")
    client = signed_in(people.outsider)
    assert client.get(question.get_absolute_url()).status_code == 404
    assert client.post(f"/questions/{question.pk}/repondre/", {"body": ANSWER}).status_code == 404
    assert not question.answers.exists()
    assert Question.objects.visible_to(people.outsider).count() == 0
    assert Question.objects.visible_to(people.colleague).get() == question
    assert set(question.audience()) == set(type(people.owner).objects.filter(organisation=people.organisation))


def test_a_member_finds_their_questions_and_answers_in_their_personal_data(people, signed_in):
    question = ask(people.owner, details="Le contexte.")
    answer = services.answer_question(people.outsider, question, ANSWER)
    services.toggle_vote(people.owner, answer)
    services.set_paused(people.outsider, True)
    mine = signed_in(people.owner).get(reverse("people:my_data_download")).json()
    assert [q["title"] for q in mine["questions"]] == [question.title]
    assert [vote["question"] for vote in mine["answer_votes"]] == [question.title]
    theirs = signed_in(people.outsider).get(reverse("people:my_data_download")).json()
    assert [(a["question"], a["body"]) for a in theirs["answers"]] == [(question.title, ANSWER)]
    assert theirs["solicitations_paused"] is True


def test_the_question_page_runs_a_bounded_number_of_queries(people, signed_in, django_assert_max_num_queries):
    question = ask(people.owner)
    for number in range(8):
        answer = services.answer_question(people.outsider, question, f"Réponse numéro {number}.")
        services.comment_answer(people.colleague, answer, "Merci pour l’idée.")
        services.toggle_vote(people.colleague, answer)
    client = signed_in(people.owner)
    client.get(question.get_absolute_url())
    with django_assert_max_num_queries(22):
        page = client.get(question.get_absolute_url()).content.decode()
    assert page.count('class="card answer') == 8
    assert page.count("Merci pour l’idée.") == 8
