"""Live sessions in the API: the same visibility and rules as the pages, 4xx JSON naming the problem."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apprenance.community import sessions
from apprenance.community.models import Registration
from tests.community.factories import live_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def local(people):
    return live_session(people.animator, organisation=people.organisation, title="Accueil des habitants", capacity=1)


def test_the_list_and_the_detail_carry_the_documented_fields(local, people, signed_in):
    network = live_session(people.animator, title="Manager Boost", address="1 place du Marché", place_name="Mairie")
    client = signed_in(people.owner)
    body = client.get("/api/v1/sessions/").json()
    assert body["count"] == 2
    items = {item["title"]: item for item in body["items"]}
    assert items["Manager Boost"]["location"] == "Mairie, 1 place du Marché"
    assert items["Accueil des habitants"]["organisation"] == "mairie-vernay"
    assert items["Accueil des habitants"]["seats_left"] == 1
    assert items["Accueil des habitants"]["starts_at"].endswith(("+01:00", "+02:00"))
    detail = client.get(f"/api/v1/sessions/{local.pk}").json()
    assert detail["online_url"] is None  # given once registered
    assert detail["ics_url"].endswith(f"/temps-synchrones/{local.pk}/agenda.ics")
    assert client.get(f"/api/v1/sessions/{network.pk}").json()["online"] is False


def test_registering_and_cancelling_through_the_api(local, people, signed_in):
    owner = signed_in(people.owner)
    response = owner.post(f"/api/v1/sessions/{local.pk}/registrations")
    assert response.status_code == 201
    assert response.json() == {"session": local.pk, "status": "confirmed", "position": None}
    detail = owner.get(f"/api/v1/sessions/{local.pk}").json()
    assert detail["my_registration"] == "confirmed"
    assert detail["online_url"] == "https://visio.example.org/manager-boost"
    again = owner.post(f"/api/v1/sessions/{local.pk}/registrations")
    assert again.status_code == 409
    assert again.json()["code"] == "already"
    colleague = signed_in(people.colleague)
    waiting = colleague.post(f"/api/v1/sessions/{local.pk}/registrations").json()
    assert (waiting["status"], waiting["position"]) == ("waiting", 1)
    owner = signed_in(people.owner)
    assert owner.delete(f"/api/v1/sessions/{local.pk}/registrations/me").json()["status"] == "cancelled"
    assert Registration.objects.get(member=people.colleague).status == "confirmed"
    missing = owner.delete(f"/api/v1/sessions/{local.pk}/registrations/me")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_registered"


def test_another_organisation_sees_nothing_and_changes_nothing(local, people, signed_in):
    client = signed_in(people.outsider)
    assert client.get("/api/v1/sessions/").json()["count"] == 0
    for response in (
        client.get(f"/api/v1/sessions/{local.pk}"),
        client.post(f"/api/v1/sessions/{local.pk}/registrations"),
        client.delete(f"/api/v1/sessions/{local.pk}/registrations/me"),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert not Registration.objects.exists()


def test_refusals_name_the_problem(local, people, signed_in):
    started = live_session(people.animator, starts_at=timezone.now() - timedelta(minutes=1))
    client = signed_in(people.owner)
    response = client.post(f"/api/v1/sessions/{started.pk}/registrations")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Ce temps synchrone a déjà commencé : les inscriptions sont closes.",
        "code": "started",
    }
    sessions.cancel_session(people.animator, local)
    assert client.post(f"/api/v1/sessions/{local.pk}/registrations").json()["code"] == "cancelled"
    bad = client.get("/api/v1/sessions/", {"when": "hier"})
    assert bad.status_code == 422
    assert bad.json()["code"] == "when"
    assert client.get("/api/v1/sessions/", {"when": "past"}).json()["count"] == 0
    assert not Registration.objects.exists()


def test_the_api_needs_a_signed_in_member(local, client):
    assert client.get("/api/v1/sessions/").status_code == 401
    assert client.post(f"/api/v1/sessions/{local.pk}/registrations").status_code == 401
