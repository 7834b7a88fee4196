"""The questions sections of the network file: all-or-nothing, idempotent, exported back as is."""

import copy

import pytest

from apprenance.people.models import Member
from apprenance.people.network import NetworkFileError, export_network, import_network
from apprenance.questions.models import Answer, AnswerVote, Question
from apprenance.questions.routing import rank_experts

pytestmark = pytest.mark.django_db

NETWORK = {
    "format": "apprenance-network",
    "version": 1,
    "organisations": [
        {"slug": "mairie", "name": "Mairie", "world": "public_action", "teams": [{"name": "Accueil"}]},
        {"slug": "banque", "name": "Banque", "world": "economy", "teams": [{"name": "Agence"}]},
    ],
    "members": [
        {"email": "ana@mairie.example", "first_name": "Ana", "last_name": "A", "organisation": "mairie"},
        {"email": "bo@banque.example", "first_name": "Bo", "last_name": "B", "organisation": "banque"},
        {"email": "cy@banque.example", "first_name": "Cy", "last_name": "C", "organisation": "banque"},
    ],
    "questions": [
        {
            "ref": "q1",
            "title": "Comment accueillir un stagiaire pendant l’été ?",
            "body": "Nous en recevons trois en juillet.",
            "author": "ana@mairie.example",
            "visibility": "network",
            "tags": ["accueil"],
            "skills": ["Accueillir un nouvel arrivant"],
            "created_at": "2026-03-02T09:00:00+01:00",
        },
        {"ref": "q2", "title": "Comment répartir les astreintes du week-end ?", "author": "cy@banque.example"},
    ],
    "answers": [
        {
            "ref": "a1",
            "question": "q1",
            "author": "bo@banque.example",
            "body": "Un parrain pour chaque stagiaire et un café d’accueil le premier matin.",
            "accepted": True,
            "created_at": "2026-03-02T15:00:00+01:00",
        },
        {"ref": "a2", "question": "q1", "author": "cy@banque.example", "body": "Un livret d’accueil."},
    ],
    "answer_votes": [{"answer": "a1", "member": "cy@banque.example"}],
}


def test_import_creates_everything_and_a_second_import_changes_nothing():
    import_network(copy.deepcopy(NETWORK))
    question = Question.objects.get(ref="q1")
    accepted = Answer.objects.get(ref="a1")
    assert (question.answer_count, question.status, question.accepted_answer) == (2, "answered", accepted)
    assert question.first_answer_at.isoformat() == "2026-03-02T14:00:00+00:00"
    assert (accepted.is_accepted, accepted.useful_count) == (True, 1)
    assert [tag.name for tag in question.tags.all()] == ["accueil"]
    assert Question.objects.get(ref="q2").visibility == "network"
    assert not question.solicitations.exists()  # the network's history: nobody is solicited
    report = import_network(copy.deepcopy(NETWORK))
    assert not report.changed
    assert (Question.objects.count(), Answer.objects.count(), AnswerVote.objects.count()) == (2, 2, 1)


def test_imported_questions_are_searchable_and_their_answerers_become_experts(signed_in):
    import_network(copy.deepcopy(NETWORK))
    ana = Member.objects.get(email="ana@mairie.example")
    body = signed_in(ana).get("/api/v1/questions/", {"q": "stagiaires"}).json()
    assert [item["title"] for item in body["items"]] == ["Comment accueillir un stagiaire pendant l’été ?"]
    later = Question.objects.create(
        title="Comment accueillir des stagiaires en été ?", author=ana, organisation=ana.organisation
    )
    assert [s.member.email for s in rank_experts(later)][:1] == ["bo@banque.example"]


def test_the_export_imports_back_unchanged():
    import_network(copy.deepcopy(NETWORK))
    exported = export_network()
    assert [answer["accepted"] for answer in exported["answers"]] == [True, False]
    assert not import_network(copy.deepcopy(exported)).changed
    assert export_network() == exported


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["questions"][0].update(author="nobody@example.org"), "questions[0].author: no member"),
        (lambda d: d["questions"][0].pop("ref"), "questions[0].ref: is required"),
        (lambda d: d["questions"][0].update(title="Quoi ?"), "questions[0].title: must be at least 10"),
        (lambda d: d["questions"][0].update(visibility="partout"), "questions[0].visibility: must be one of"),
        (lambda d: d["questions"][1].update(ref="q1"), "questions[1].ref: 'q1' appears twice"),
        (lambda d: d["answers"][0].update(question="q9"), "answers[0].question: no question with ref 'q9'"),
        (lambda d: d["answers"][1].update(accepted=True), "answers[1].accepted: another answer"),
        (lambda d: d["answers"][0].update(accepted="oui"), "answers[0].accepted: must be true or false"),
        (lambda d: d["answer_votes"][0].update(member="bo@banque.example"), "answer_votes[0].member: members do"),
        (lambda d: d["answer_votes"][0].update(answer="a9"), "answer_votes[0].answer: no answer with ref 'a9'"),
        (lambda d: d.update(answers="x"), "answers: must be a list"),
    ],
)
def test_a_bad_record_is_reported_with_its_path_and_nothing_is_written(change, message):
    data = copy.deepcopy(NETWORK)
    change(data)
    with pytest.raises(NetworkFileError) as raised:
        import_network(data)
    assert any(problem.startswith(message) for problem in raised.value.problems), raised.value.problems
    assert not Question.objects.exists()
