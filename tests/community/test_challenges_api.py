"""Team challenges in the API: the same visibility, form and leaderboard as the pages, 4xx JSON naming
the problem."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from apprenance.community.models import TeamChallenge
from apprenance.questions import services as question_services
from tests.community.factories import team_challenge
from tests.questions.factories import ask

pytestmark = pytest.mark.django_db


def day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


@pytest.fixture
def local(people):
    return team_challenge(people.animator, organisation=people.organisation, title="Défi de la mairie")


def send(client, method: str, url: str, payload: dict):
    return getattr(client, method)(url, json.dumps(payload), content_type="application/json")


def test_the_list_the_detail_and_the_leaderboard_carry_the_documented_fields(local, people, signed_in):
    question = ask(people.outsider)
    question_services.answer_question(people.owner, question, "Une grille partagée.")
    team_challenge(people.network_admin, title="Défi passé", days=(-30, -2))
    client = signed_in(people.owner)
    body = client.get("/api/v1/team-challenges/").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item == {
        "id": local.pk,
        "title": "Défi de la mairie",
        "metric": "answers_given",
        "status": "running",
        "starts_on": local.starts_on.isoformat(),
        "ends_on": local.ends_on.isoformat(),
        "organisation": "mairie-vernay",
        "url": item["url"],
    }
    assert item["url"].endswith(f"/defis-d-equipes/{local.pk}/")
    assert [i["title"] for i in client.get("/api/v1/team-challenges/", {"when": "finished"}).json()["items"]] == [
        "Défi passé"
    ]
    detail = client.get(f"/api/v1/team-challenges/{local.pk}").json()
    assert detail["can_manage"] is False
    assert detail["my_teams"] == [
        {
            "rank": 1,
            "tied": False,
            "team": {"id": people.team.pk, "name": "État civil", "organisation": "mairie-vernay"},
            "points": 4,
            "actions": 1,
            "contributors": 1,
            "mine": True,
        }
    ]
    board = client.get(f"/api/v1/team-challenges/{local.pk}/leaderboard").json()
    assert (board["challenge"], board["count"], board["pages"]) == (local.pk, 1, 1)
    assert board["items"][0]["points"] == 4


def test_another_organisation_sees_nothing_and_changes_nothing(local, people, signed_in):
    client = signed_in(people.other_admin)
    assert client.get("/api/v1/team-challenges/").json()["count"] == 0
    for response in (
        client.get(f"/api/v1/team-challenges/{local.pk}"),
        client.get(f"/api/v1/team-challenges/{local.pk}/leaderboard"),
        send(client, "patch", f"/api/v1/team-challenges/{local.pk}", {"title": "À nous"}),
        client.delete(f"/api/v1/team-challenges/{local.pk}"),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    local.refresh_from_db()
    assert local.title == "Défi de la mairie"


def test_opening_a_challenge_through_the_api_uses_the_forms_rules(people, signed_in):
    payload = {
        "title": "Défi des adoptions",
        "metric": "adoptions",
        "organisation": "mairie-vernay",
        "starts_on": day(1),
        "ends_on": day(30),
    }
    member = send(signed_in(people.owner), "post", "/api/v1/team-challenges/", payload)
    assert member.status_code == 403
    assert member.json()["code"] == "forbidden"
    client = signed_in(people.animator)
    network = send(client, "post", "/api/v1/team-challenges/", {**payload, "organisation": ""})
    assert network.status_code == 422
    assert "seuls les administrateurs du réseau" in network.json()["errors"]["organisation"][0]
    bad = send(client, "post", "/api/v1/team-challenges/", {**payload, "ends_on": day(0), "metric": "likes"})
    assert bad.status_code == 422
    assert bad.json()["errors"] == {
        "metric": ["Sélectionnez un choix valide. likes n’en fait pas partie."],
        "ends_on": ["La fin doit venir le jour du début ou après."],
    }
    assert not TeamChallenge.objects.exists()
    created = send(client, "post", "/api/v1/team-challenges/", payload)
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["organisation"], body["can_manage"]) == ("upcoming", "mairie-vernay", True)
    assert TeamChallenge.objects.get().created_by == people.animator


def test_changing_a_running_challenge_through_the_api(local, people, signed_in):
    assert (
        send(signed_in(people.owner), "patch", f"/api/v1/team-challenges/{local.pk}", {"title": "X"}).status_code == 403
    )
    client = signed_in(people.admin)
    locked = send(client, "patch", f"/api/v1/team-challenges/{local.pk}", {"metric": "adoptions", "title": "Nouveau"})
    assert locked.status_code == 422
    assert locked.json()["errors"] == {"metric": ["Le défi a commencé : cette donnée ne change plus."]}
    renamed = send(
        client, "patch", f"/api/v1/team-challenges/{local.pk}", {"title": "Défi prolongé", "ends_on": day(60)}
    )
    assert renamed.status_code == 200
    assert (renamed.json()["title"], renamed.json()["ends_on"], renamed.json()["metric"]) == (
        "Défi prolongé",
        day(60),
        "answers_given",
    )


def test_deleting_through_the_api(local, people, signed_in):
    network = team_challenge(people.network_admin, title="Défi du territoire")
    client = signed_in(people.animator)
    assert client.delete(f"/api/v1/team-challenges/{network.pk}").status_code == 403
    assert client.delete(f"/api/v1/team-challenges/{local.pk}").status_code == 204
    assert client.delete(f"/api/v1/team-challenges/{local.pk}").status_code == 404
    assert list(TeamChallenge.objects.values_list("title", flat=True)) == ["Défi du territoire"]


def test_refusals_name_the_problem(people, signed_in, client):
    bad = signed_in(people.owner).get("/api/v1/team-challenges/", {"when": "hier"})
    assert bad.status_code == 422
    assert bad.json()["code"] == "when"
    client.logout()
    assert client.get("/api/v1/team-challenges/").status_code == 401
    assert client.post("/api/v1/team-challenges/", "{}", content_type="application/json").status_code == 401
