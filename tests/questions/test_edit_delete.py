"""Editing and deleting questions and answers: who may, what goes with them, what stays."""

import pytest
from django.utils import timezone

from apprenance.core import search
from apprenance.core.analysis import query_stems
from apprenance.core.models import Event
from apprenance.practices.models import Practice
from apprenance.questions import finding, services
from apprenance.questions.models import (
    Answer,
    AnswerComment,
    AnswerVote,
    Question,
    QuestionFollow,
    Solicitation,
)
from tests.questions.factories import ask, write_on

pytestmark = pytest.mark.django_db

ANSWER = "J’envoie la grille une semaine avant et je commence par ses envies."


def edit_data(question, **changes):
    data = {"title": question.title, "details": question.details, "visibility": question.visibility}
    data.update({"tags": "", "skills": ""}, **changes)
    return data


def found(index, text):
    return search.matching(index, query_stems(text), every=True, limit=10)


@pytest.fixture
def thread(people):
    """A question by the owner, answered from another organisation, voted on, commented, followed."""
    write_on(people.outsider, "entretien")
    question = ask(people.owner, details="Un agent démotivé.")
    answer = services.answer_question(people.outsider, question, ANSWER)
    services.toggle_vote(people.colleague, answer)
    services.comment_answer(people.owner, answer, "Merci !")
    services.toggle_follow(people.colleague, question)
    return question, answer


# --- Editing ---------------------------------------------------------------------------


def test_the_asker_edits_their_question_and_the_search_follows(thread, people, signed_in):
    question, answer = thread
    solicited = set(Solicitation.objects.filter(question=question).values_list("expert_id", flat=True))
    client = signed_in(people.owner)
    url = f"/questions/{question.pk}/modifier/"
    form = client.get(url).content.decode()
    assert question.title in form
    assert "Un agent démotivé." in form
    new_title = "Comment préparer l’entretien professionnel d’une apprentie ?"
    response = client.post(url, edit_data(question, title=new_title, tags="apprentissage"))
    assert response["Location"] == question.get_absolute_url()
    question.refresh_from_db()
    assert question.title == new_title
    assert [tag.name for tag in question.tags.all()] == ["apprentissage"]
    assert question.pk in found(finding.QUESTION_INDEX, "apprentie")
    assert question.pk not in found(finding.QUESTION_INDEX, "annuel agent")
    assert answer.pk in found(finding.ANSWER_INDEX, "apprentie")  # answers are read under the question's title
    event = Event.objects.get(verb="question.edited")
    assert (event.actor, event.payload["fields"]) == (people.owner, ["title", "tags"])
    # The experts asked before are not asked again.
    assert set(Solicitation.objects.filter(question=question).values_list("expert_id", flat=True)) == solicited
    assert "Modifications enregistrées." in client.get(question.get_absolute_url()).content.decode()


def test_a_bad_edit_is_explained_and_changes_nothing(thread, people, signed_in):
    question, _answer = thread
    response = signed_in(people.owner).post(f"/questions/{question.pk}/modifier/", edit_data(question, title="Quoi ?"))
    assert "Posez votre question en au moins dix caractères." in response.content.decode()
    question.refresh_from_db()
    assert question.title == "Comment fais-tu pour préparer l’entretien annuel d’un agent ?"
    assert not Event.objects.filter(verb="question.edited").exists()


def test_a_question_answered_from_elsewhere_stays_open_to_the_network(thread, people, signed_in):
    question, _answer = thread
    client = signed_in(people.owner)
    html = client.post(f"/questions/{question.pk}/modifier/", edit_data(question, visibility="organisation"))
    assert "Des membres d’autres organisations y ont déjà répondu" in html.content.decode()
    question.refresh_from_db()
    assert question.visibility == "network"
    # Answered only from inside, it can be narrowed.
    inside = ask(people.owner, title="Comment partager le planning des congés d’été ?")
    services.answer_question(people.colleague, inside, "Un tableau partagé.")
    client.post(f"/questions/{inside.pk}/modifier/", edit_data(inside, visibility="organisation"))
    inside.refresh_from_db()
    assert inside.visibility == "organisation"


def test_the_answerer_edits_their_answer(thread, people, signed_in):
    question, answer = thread
    client = signed_in(people.outsider)
    url = f"/questions/{question.pk}/reponses/{answer.pk}/modifier/"
    assert ANSWER in client.get(url).content.decode()
    response = client.post(url, {"body": "J’envoie la grille **dix jours** avant."})
    assert response["Location"] == answer.get_absolute_url()
    answer.refresh_from_db()
    assert answer.body == "J’envoie la grille **dix jours** avant."
    assert answer.pk in found(finding.ANSWER_INDEX, "dix jours")
    page = client.get(question.get_absolute_url()).content.decode()
    assert "<strong>dix jours</strong>" in page
    assert "· modifiée" in page
    assert Event.objects.filter(verb="question.answer_edited", actor=people.outsider).exists()
    # An empty answer is refused and changes nothing.
    assert "La réponse est vide." in client.post(url, {"body": "  "}).content.decode()
    answer.refresh_from_db()
    assert answer.body == "J’envoie la grille **dix jours** avant."


# --- Who may ---------------------------------------------------------------------------


def test_who_may_change_a_question(thread, people, signed_in):
    question, _answer = thread
    edit, delete = f"/questions/{question.pk}/modifier/", f"/questions/{question.pk}/supprimer/"
    for member in (people.colleague, people.outsider, people.other_admin):  # not the asker, not its moderators
        client = signed_in(member)
        assert client.get(edit).status_code == 403
        assert client.post(edit, edit_data(question, title="Une toute autre question ?")).status_code == 403
        assert client.post(delete).status_code == 403
        assert f'href="/questions/{question.pk}/modifier/"' not in client.get(question.get_absolute_url()).text
    for member in (people.owner, people.animator, people.admin, people.network_admin):
        client = signed_in(member)
        assert client.get(edit).status_code == 200
        assert f'href="/questions/{question.pk}/supprimer/"' in client.get(question.get_absolute_url()).text
    question.refresh_from_db()
    assert question.title == "Comment fais-tu pour préparer l’entretien annuel d’un agent ?"
    # A question one cannot read is not found at all.
    private = ask(people.owner, title="Comment gérer les congés de l’état civil ?", visibility="organisation")
    assert signed_in(people.other_admin).get(f"/questions/{private.pk}/modifier/").status_code == 404
    assert signed_in(people.other_admin).post(f"/questions/{private.pk}/supprimer/").status_code == 404
    assert Question.objects.filter(pk=private.pk).exists()


def test_who_may_change_an_answer(thread, people, signed_in):
    question, answer = thread
    edit = f"/questions/{question.pk}/reponses/{answer.pk}/modifier/"
    delete = f"/questions/{question.pk}/reponses/{answer.pk}/supprimer/"
    for member in (people.owner, people.colleague):  # the asker does not rewrite others' answers
        client = signed_in(member)
        assert client.get(edit).status_code == 403
        assert client.post(edit, {"body": "Autre chose."}).status_code == 403
        assert client.post(delete).status_code == 403
    # The answerer, the moderators of the question's organisation and of the answerer's.
    for member in (people.outsider, people.animator, people.other_admin, people.network_admin):
        assert signed_in(member).get(edit).status_code == 200
        assert signed_in(member).get(delete).status_code == 200
    answer.refresh_from_db()
    assert answer.body == ANSWER
    assert signed_in(people.outsider).post(f"/questions/{question.pk}/reponses/999999/supprimer/").status_code == 404


# --- Deleting --------------------------------------------------------------------------


def test_deleting_a_question_asks_first_then_takes_everything_hanging_on_it(thread, people, signed_in):
    question, answer = thread
    client = signed_in(people.owner)
    url = f"/questions/{question.pk}/supprimer/"
    confirm = client.get(url).content.decode()
    assert "Supprimer la question « Comment fais-tu pour préparer l’entretien annuel d’un agent ? » ?" in confirm
    assert "Sa réponse sera supprimée avec elle." in confirm
    assert "Le commentaire qui l’accompagne aussi." in confirm
    assert Question.objects.filter(pk=question.pk).exists()
    response = client.post(url)
    assert response["Location"] == "/questions/"
    assert not Question.objects.filter(pk=question.pk).exists()
    assert not Answer.objects.exists()
    assert not AnswerVote.objects.exists()
    assert not AnswerComment.objects.exists()
    assert not QuestionFollow.objects.exists()
    assert not Solicitation.objects.exists()
    event = Event.objects.get(verb="question.deleted")
    assert (event.actor, event.object_id, event.payload["answers"]) == (people.owner, question.pk, 1)
    assert question.pk not in found(finding.QUESTION_INDEX, "entretien annuel")
    assert answer.pk not in found(finding.ANSWER_INDEX, "grille")
    assert question.title not in client.get("/recherche/", {"q": "entretien annuel"}).content.decode()
    assert client.get(question.get_absolute_url()).status_code == 404


def test_an_animator_deletes_a_question_of_their_organisation(thread, people, signed_in):
    question, _answer = thread
    signed_in(people.animator).post(f"/questions/{question.pk}/supprimer/")
    assert not Question.objects.exists()
    assert Event.objects.get(verb="question.deleted").payload["by_author"] is False


def test_a_practice_made_from_an_answer_outlives_its_question(thread, people, signed_in):
    question, answer = thread
    services.accept_answer(people.owner, answer)
    practice = services.turn_into_practice(people.owner, Answer.objects.get(pk=answer.pk))
    assert f"](/questions/{question.pk}/)" in practice.context
    confirm = signed_in(people.owner).get(f"/questions/{question.pk}/supprimer/").content.decode()
    assert "Les pratiques tirées de ses réponses restent publiées" in confirm
    assert practice.title in confirm
    signed_in(people.owner).post(f"/questions/{question.pk}/supprimer/")
    practice.refresh_from_db()
    assert practice.status == "published"
    assert practice.author == people.outsider
    # The link back to the deleted question is now plain text: the practice leads to no missing page.
    assert f"/questions/{question.pk}/" not in practice.context
    assert f"« {question.title} »" in practice.context
    page = signed_in(people.colleague).get(practice.get_absolute_url())
    assert page.status_code == 200
    assert f'href="/questions/{question.pk}/"' not in page.content.decode()
    assert practice.revisions.get().editor == people.owner


def test_deleting_the_retained_answer_leaves_the_question_consistent(people, signed_in):
    question = ask(people.owner)
    first = services.answer_question(people.outsider, question, ANSWER)
    second = services.answer_question(people.colleague, question, "Je fais l’entretien en deux temps.")
    Answer.objects.filter(pk=second.pk).update(created_at=first.created_at + timezone.timedelta(hours=5))
    services.accept_answer(people.owner, first)
    practice = services.turn_into_practice(people.owner, Answer.objects.get(pk=first.pk))
    services.toggle_vote(people.colleague, first)
    services.comment_answer(people.owner, first, "Merci !")
    client = signed_in(people.outsider)
    url = f"/questions/{question.pk}/reponses/{first.pk}/supprimer/"
    confirm = client.get(url).content.decode()
    assert "C’est la réponse retenue : la question n’en aura plus." in confirm
    assert f"La pratique « {practice.title} » qui en est issue reste publiée." in confirm
    assert client.post(url)["Location"] == question.get_absolute_url()
    question.refresh_from_db()
    assert question.accepted_answer is None
    assert (question.answer_count, question.status) == (1, "answered")
    assert question.first_answer_at == first.created_at + timezone.timedelta(hours=5)  # now the second answer
    assert not AnswerVote.objects.exists()
    assert not AnswerComment.objects.exists()
    assert Practice.objects.filter(pk=practice.pk, status="published").exists()
    assert signed_in(people.colleague).get(practice.get_absolute_url()).status_code == 200
    event = Event.objects.get(verb="question.answer_deleted")
    assert (event.actor, event.payload["accepted"]) == (people.outsider, True)
    assert "Réponse retenue" not in client.get(question.get_absolute_url()).content.decode()
    # The last answer gone, the question waits for one again.
    services.delete_answer(people.colleague, Answer.objects.get(pk=second.pk))
    question.refresh_from_db()
    assert (question.answer_count, question.status, question.first_answer_at) == (0, "open", None)
