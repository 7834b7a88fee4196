import pytest
from django.utils import timezone

from apprenance.api.models import ApiToken
from apprenance.people.models import ProfileVisibility
from tests.people.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_api_refuses_anonymous_requests_in_json(client, people):
    response = client.get("/api/v1/members")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_members_endpoint_follows_directory_visibility(people, signed_in):
    people.outsider.profile_visibility = ProfileVisibility.ORGANISATION
    people.outsider.save()
    body = signed_in(people.owner).get("/api/v1/members").json()
    emails = {item["email"] for item in body["items"]}
    assert people.colleague.email in emails
    assert people.outsider.email not in emails
    assert body["count"] == len(emails)


def test_members_endpoint_searches_and_filters(people, signed_in):
    client = signed_in(people.owner)
    body = client.get("/api/v1/members", {"organisation": "banque-arnelle"}).json()
    assert {item["organisation"] for item in body["items"]} == {"banque-arnelle"}
    body = client.get("/api/v1/members", {"q": people.colleague.last_name}).json()
    assert people.colleague.email in {item["email"] for item in body["items"]}


def test_hidden_member_is_404_through_the_api(people, signed_in):
    people.owner.profile_visibility = ProfileVisibility.ORGANISATION
    people.owner.save()
    assert signed_in(people.outsider).get(f"/api/v1/members/{people.owner.pk}").status_code == 404


def test_bad_parameters_get_a_422_naming_the_field(people, signed_in):
    response = signed_in(people.owner).get("/api/v1/members", {"page": "abc"})
    assert response.status_code == 422
    assert "page" in str(response.json())


def test_bearer_token_authenticates_integrations(people, client):
    _token, key = ApiToken.issue(people.admin, "annuaire RH")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert response.json()["email"] == people.admin.email
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer faux"}).status_code == 401


def test_writes_with_a_token_need_no_csrf_but_writes_from_a_session_do(people):
    from django.test import Client

    from apprenance.questions.models import Question

    body = {"title": "Comment accueillir un stagiaire ?", "body": "", "visibility": "network"}
    browser = Client(enforce_csrf_checks=True)  # as a real browser or integration is treated
    _token, key = ApiToken.issue(people.owner, "intranet")

    created = browser.post(
        "/api/v1/questions/", body, content_type="application/json", headers={"Authorization": f"Bearer {key}"}
    )
    assert created.status_code == 201, created.content
    assert browser.post("/api/v1/questions/", body, content_type="application/json").status_code == 401

    browser.force_login(people.owner, backend="django.contrib.auth.backends.ModelBackend")
    refused = browser.post("/api/v1/questions/", body, content_type="application/json")
    assert refused.status_code == 403
    assert Question.objects.count() == 1
    browser.get("/questions/")  # the page sets the CSRF cookie a browser sends back in its header
    csrf = browser.cookies["csrftoken"].value
    sent = browser.post("/api/v1/questions/", body, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert sent.status_code == 201
    assert Question.objects.count() == 2


def test_revoked_token_is_refused(people, client):
    token, key = ApiToken.issue(people.admin, "x")
    token.revoked_at = timezone.now()
    token.save()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_token_of_a_deactivated_member_is_refused(people, client):
    _token, key = ApiToken.issue(people.admin, "x")
    people.admin.is_active = False
    people.admin.save()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_organisation_endpoints(people, signed_in):
    client = signed_in(people.owner)
    listing = client.get("/api/v1/organisations").json()
    assert {o["slug"] for o in listing} == {"mairie-vernay", "banque-arnelle"}
    detail = client.get("/api/v1/organisations/mairie-vernay").json()
    assert [team["name"] for team in detail["teams"]] == ["État civil"]
    assert client.get("/api/v1/organisations/inconnue").status_code == 404


def test_openapi_schema_is_published(people, signed_in):
    schema = signed_in(people.owner).get("/api/v1/openapi.json").json()
    assert "/api/v1/members" in schema["paths"]


def test_members_endpoint_runs_a_bounded_number_of_queries(people, signed_in, django_assert_max_num_queries):
    for _ in range(30):
        MemberFactory(organisation=people.organisation, teams=[people.team])
    client = signed_in(people.owner)
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/members").json()
    assert len(body["items"]) == 24
