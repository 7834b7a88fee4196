"""The questions API: same validation, visibility and routing as the pages."""

import pytest

from apprenance.questions.models import Question
from tests.people.factories import MemberFactory
from tests.questions.factories import ask, write_on

pytestmark = pytest.mark.django_db


def post(client, url, payload):
    return client.post(url, payload, content_type="application/json")


def test_asking_returns_201_with_the_ranked_experts(people, signed_in):
    write_on(people.outsider, "entretien", tags=["entretien annuel"])
    write_on(people.colleague, "entretien", count=1)
    response = post(
        signed_in(people.owner),
        "/api/v1/questions/",
        {
            "title": "Comment préparer l’entretien annuel d’un agent ?",
            "body": "Il est **démotivé** depuis six mois.",
            "visibility": "network",
            "tags": ["entretien annuel"],
            "skills": ["Conduite d’entretien"],
        },
    )
    assert response.status_code == 201
    body = response.json()
    question = Question.objects.get()
    assert body["id"] == question.pk
    assert (body["body"], body["tags"], body["skills"]) == (
        "Il est **démotivé** depuis six mois.",
        ["entretien annuel"],
        ["Conduite d’entretien"],
    )
    emails = [item["member"]["email"] for item in body["experts"]]
    assert emails[:2] == [people.outsider.email, people.colleague.email]
    scores = [item["score"] for item in body["experts"]]
    assert scores == sorted(scores, reverse=True)
    assert "a partagé 3 pratiques sur « entretien annuel »" in body["experts"][0]["reasons"]


def test_the_experts_endpoint_lists_members_by_score_for_the_asker_only(people, signed_in):
    write_on(people.outsider, "entretien")
    question = ask(people.owner)
    body = signed_in(people.owner).get(f"/api/v1/questions/{question.pk}/experts").json()
    first = body["items"][0]
    assert first["member"] == {
        "id": people.outsider.pk,
        "name": people.outsider.full_name,
        "email": people.outsider.email,
        "team": "Agence centre",
        "organisation": "banque-arnelle",
    }
    assert isinstance(first["score"], float)
    assert first["reasons"]
    denied = signed_in(people.colleague).get(f"/api/v1/questions/{question.pk}/experts")
    assert denied.status_code == 403
    assert "voient les personnes sollicitées" in denied.json()["detail"]


def test_bad_input_gets_422_naming_the_field_and_writes_nothing(people, signed_in):
    client = signed_in(people.owner)
    response = post(client, "/api/v1/questions/", {"title": "Quoi ?", "body": "x", "visibility": "partout"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"title", "visibility"}
    assert "dix caractères" in errors["title"][0]
    assert post(client, "/api/v1/questions/", {"body": "Sans titre"}).json()["errors"].keys() == {"title"}
    tags = [f"mot {number}" for number in range(11)]
    too_many = post(client, "/api/v1/questions/", {"title": "Une question bien posée ?", "tags": tags})
    assert too_many.json()["errors"].keys() == {"tags"}
    assert not Question.objects.exists()


def test_organisation_only_questions_stay_inside_their_organisation(people, signed_in):
    question = ask(people.owner, visibility="organisation")
    outsider = signed_in(people.outsider)
    assert outsider.get(f"/api/v1/questions/{question.pk}").status_code == 404
    assert outsider.get(f"/api/v1/questions/{question.pk}/experts").status_code == 404
    assert outsider.get(f"/api/v1/questions/{question.pk}/answers").status_code == 404
    assert post(outsider, f"/api/v1/questions/{question.pk}/answers", {"body": "Moi !"}).status_code == 404
    assert outsider.get("/api/v1/questions/").json()["count"] == 0
    assert signed_in(people.colleague).get(f"/api/v1/questions/{question.pk}").json()["title"] == question.title


def test_an_organisation_only_question_asked_through_the_api_routes_inside_the_organisation(people, signed_in):
    write_on(people.outsider, "entretien")
    write_on(people.colleague, "entretien", count=1)
    body = post(
        signed_in(people.owner),
        "/api/v1/questions/",
        {"title": "Comment préparer l’entretien annuel d’un agent ?", "body": "", "visibility": "organisation"},
    ).json()
    emails = [item["member"]["email"] for item in body["experts"]]
    assert people.colleague.email in emails
    assert people.outsider.email not in emails


def test_answers_are_listed_and_created_through_the_api(people, signed_in):
    question = ask(people.owner)
    client = signed_in(people.outsider)
    response = post(client, f"/api/v1/questions/{question.pk}/answers", {"body": "  "})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"body"}
    response = post(client, f"/api/v1/questions/{question.pk}/answers", {"body": "Une grille envoyée avant."})
    assert response.status_code == 201
    assert response.json()["author"] == people.outsider.email
    items = signed_in(people.owner).get(f"/api/v1/questions/{question.pk}/answers").json()["items"]
    assert [(item["body"], item["accepted"]) for item in items] == [("Une grille envoyée avant.", False)]
    detail = signed_in(people.owner).get(f"/api/v1/questions/{question.pk}").json()
    assert (detail["answers"], detail["status"]) == (1, "answered")


def test_members_without_an_organisation_cannot_ask(people, signed_in):
    loner = MemberFactory(organisation=None)
    response = post(signed_in(loner), "/api/v1/questions/", {"title": "Comment faire sans organisation ?"})
    assert response.status_code == 403
