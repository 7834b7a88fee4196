"""A member's questions data: all of it in their export, and forgotten on erasure except what others built on."""

import pytest
from django.urls import reverse

from apprenance.core import search
from apprenance.core.analysis import query_stems
from apprenance.core.models import Event
from apprenance.questions import finding, services
from apprenance.questions.models import (
    Answer,
    AnswerComment,
    AnswerVote,
    ExpertSettings,
    Question,
    QuestionFollow,
    Solicitation,
)
from apprenance.skills import services as skill_services
from tests.questions.factories import ask, write_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(people):
    """Everything the outsider did about questions, among others' contributions."""
    write_on(people.outsider, "entretien")
    member = people.outsider
    alone = ask(member, title="Comment répartir les astreintes du week-end ?", tags="planning")
    services.answer_question(member, alone, "Je précise : trois agents seulement.")
    answered = ask(member, title="Comment accueillir un stagiaire pendant l’été ?")
    kept_for_others = services.answer_question(people.colleague, answered, "Un parrain pour chaque stagiaire.")
    theirs = ask(people.owner)  # the outsider is solicited for it (they wrote on the topic)
    unused = services.answer_question(member, theirs, "Une grille envoyée la veille.")
    voted = services.answer_question(
        member, ask(people.owner, title="Comment rendre nos réunions courtes ?"), "Debout."
    )
    services.toggle_vote(people.colleague, voted)
    accepted_question = ask(people.owner, title="Comment tenir un planning partagé ?")
    accepted = services.answer_question(member, accepted_question, "Un tableau en ligne.")
    services.accept_answer(people.owner, accepted)
    commented = services.answer_question(member, ask(people.admin, title="Comment former un nouvel agent ?"), "Binôme.")
    services.comment_answer(people.owner, commented, "Merci !")
    services.toggle_vote(member, kept_for_others)
    services.comment_answer(member, kept_for_others, "Merci pour l’idée.")
    followed = ask(people.admin, title="Comment animer un séminaire d’équipe ?")
    services.toggle_follow(member, followed)
    services.decline(member, theirs)
    services.set_paused(member, True)
    skill_services.declare_skill(member, "Conduite d’entretien", level="expert", can_teach=True)
    return {
        "alone": alone,
        "answered": answered,
        "theirs": theirs,
        "kept_for_others": kept_for_others,
        "unused": unused,
        "voted": voted,
        "accepted": accepted,
        "commented": commented,
    }


def test_the_export_holds_every_question_answer_comment_vote_and_decline(history, people, signed_in):
    data = signed_in(people.outsider).get(reverse("people:my_data_download")).json()
    questions = {q["title"]: q for q in data["questions"]}
    assert set(questions) == {history["alone"].title, history["answered"].title}
    assert questions[history["alone"].title]["tags"] == ["planning"]
    assert questions[history["alone"].title]["status"] == "answered"
    answers = {a["body"]: a for a in data["answers"]}
    assert len(answers) == 5
    assert answers["Un tableau en ligne."]["accepted"] is True
    assert answers["Debout."]["useful_count"] == 1
    assert [c["body"] for c in data["answer_comments"]] == ["Merci pour l’idée."]
    assert [v["question"] for v in data["answer_votes"]] == [history["answered"].title]
    assert "Comment animer un séminaire d’équipe ?" in {f["question"] for f in data["questions_followed"]}
    declined = [s for s in data["solicitations"] if s["declined"]]
    assert [s["question"] for s in declined] == [history["theirs"].title]
    assert declined[0]["declined_at"]
    assert declined[0]["reasons"]
    assert data["solicitations_paused"] is True
    assert data["skills"] == [
        {
            "name": "Conduite d’entretien",
            "level": "expert",
            "can_teach": True,
            "declared_at": data["skills"][0]["declared_at"],
        }
    ]
    # Nobody else's comments or votes are in it.
    assert "Merci !" not in [c["body"] for c in data["answer_comments"]]


def test_erasure_forgets_what_concerns_only_the_member(history, people):
    member = people.outsider
    # Asking and answering follow a question; routing solicited them for the owner's questions.
    follows = QuestionFollow.objects.filter(member=member).count()
    solicitations = Solicitation.objects.filter(expert=member).count()
    assert follows == 7
    assert solicitations >= 1
    erased = services.erase_member_data(member)
    assert erased == {
        "answer_votes": 1,
        "answer_comments": 1,
        "follows": follows,
        "solicitations": solicitations,
        "answers": 2,  # the one on their own lonely question, and the one nobody used
        "questions": 1,
    }
    assert not Question.objects.filter(pk=history["alone"].pk).exists()
    assert not Answer.objects.filter(pk=history["unused"].pk).exists()
    assert not AnswerVote.objects.filter(member=member).exists()
    assert not AnswerComment.objects.filter(author=member).exists()
    assert not QuestionFollow.objects.filter(member=member).exists()
    assert not Solicitation.objects.filter(expert=member).exists()
    assert not ExpertSettings.objects.filter(member=member).exists()
    # Counts follow: the vote taken back, the question whose only answer went waits again.
    history["kept_for_others"].refresh_from_db()
    assert history["kept_for_others"].useful_count == 0
    history["theirs"].refresh_from_db()
    assert (history["theirs"].answer_count, history["theirs"].status) == (0, "open")
    # Out of the search too.
    assert history["alone"].pk not in search.matching(
        finding.QUESTION_INDEX, query_stems("astreintes"), every=True, limit=10
    )
    event = Event.objects.get(verb="question.member_data_erased")
    assert (event.actor, event.payload) == (member, erased)


def test_erasure_keeps_what_others_built_on(history, people):
    services.erase_member_data(people.outsider)
    assert Question.objects.filter(pk=history["answered"].pk).exists()  # someone else answered it
    assert Answer.objects.filter(pk=history["kept_for_others"].pk).exists()
    kept = set(Answer.objects.filter(author=people.outsider).values_list("pk", flat=True))
    assert kept == {history["voted"].pk, history["accepted"].pk, history["commented"].pk}
    assert AnswerVote.objects.filter(member=people.colleague, answer=history["voted"]).exists()
    assert AnswerComment.objects.filter(author=people.owner, body="Merci !").exists()
    accepted_question = Question.objects.get(pk=history["accepted"].question_id)
    assert accepted_question.accepted_answer_id == history["accepted"].pk


def test_erasure_twice_removes_nothing_more(history, people):
    services.erase_member_data(people.outsider)
    again = services.erase_member_data(people.outsider)
    assert set(again.values()) == {0}


def test_a_practice_the_member_capitalised_survives_the_erasure_of_their_question(people):
    question = ask(people.outsider, title="Comment répartir les astreintes du week-end ?")
    answer = services.answer_question(people.outsider, question, "Un tableau partagé, tournant chaque mois.")
    services.accept_answer(people.outsider, answer)
    practice = services.turn_into_practice(people.outsider, Answer.objects.get(pk=answer.pk))
    services.erase_member_data(people.outsider)
    assert not Question.objects.exists()
    practice.refresh_from_db()
    assert practice.status == "published"
    assert f"/questions/{question.pk}/" not in practice.context
