"""Circles in the API: the pages' visibility and rules, as JSON."""

import pytest

from apprenance.community.models import CirclePost
from apprenance.notifications.models import Notification
from tests.community.factories import circle

pytestmark = pytest.mark.django_db


@pytest.fixture
def local(people):
    return circle(people.animator, [people.owner, people.colleague], organisation=people.organisation)


def test_members_list_and_read_their_circle(local, people, signed_in):
    client = signed_in(people.owner)
    body = client.get("/api/v1/circles/").json()
    assert [item["name"] for item in body["items"]] == ["Cercle des nouveaux managers"]
    assert body["items"][0]["member_count"] == 2
    detail = client.get(f"/api/v1/circles/{local.pk}").json()
    assert sorted(person["name"] for person in detail["members"]) == sorted(
        [people.owner.full_name, people.colleague.full_name]
    )
    assert (detail["can_write"], detail["can_close"]) == (True, False)
    assert signed_in(people.animator).get(f"/api/v1/circles/{local.pk}").json()["can_close"] is True


def test_outsiders_get_a_404_and_an_empty_list(local, people, signed_in):
    client = signed_in(people.outsider)
    assert client.get("/api/v1/circles/").json()["count"] == 0
    assert client.get(f"/api/v1/circles/{local.pk}").status_code == 404
    assert client.get(f"/api/v1/circles/{local.pk}/posts").status_code == 404
    response = client.post(f"/api/v1/circles/{local.pk}/posts", {"body": "Coucou"}, content_type="application/json")
    assert response.status_code == 404
    assert not CirclePost.objects.exists()


def test_writing_and_replying_in_the_thread(local, people, signed_in):
    client = signed_in(people.owner)
    created = client.post(
        f"/api/v1/circles/{local.pk}/posts", {"body": "Bonjour **à tous**"}, content_type="application/json"
    )
    assert created.status_code == 201
    assert "<strong>à tous</strong>" in created.json()["body_html"]
    reply = signed_in(people.colleague).post(
        f"/api/v1/circles/{local.pk}/posts",
        {"body": "Bienvenue !", "parent": created.json()["id"]},
        content_type="application/json",
    )
    assert reply.status_code == 201
    thread = client.get(f"/api/v1/circles/{local.pk}/posts").json()
    assert [post["body"] for post in thread["items"]] == ["Bonjour **à tous**"]
    assert [r["body"] for r in thread["items"][0]["replies"]] == ["Bienvenue !"]
    assert Notification.objects.filter(recipient=people.colleague, kind="circle.posted").exists()


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"body": "   "}, 422, "body"),
        ({"body": "x" * 5001}, 422, "body"),
        ({"body": "Oui", "parent": 999}, 422, "parent"),
    ],
)
def test_bad_messages_are_refused_and_write_nothing(local, people, signed_in, payload, status, code):
    response = signed_in(people.owner).post(
        f"/api/v1/circles/{local.pk}/posts", payload, content_type="application/json"
    )
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert not CirclePost.objects.exists()


def test_a_closed_circle_takes_no_message_and_filters_by_status(local, people, signed_in):
    local.status = "closed"
    local.save(update_fields=["status"])
    client = signed_in(people.owner)
    response = client.post(f"/api/v1/circles/{local.pk}/posts", {"body": "Encore ?"}, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (409, "closed")
    assert client.get("/api/v1/circles/", {"status": "active"}).json()["count"] == 0
    assert client.get("/api/v1/circles/", {"status": "closed"}).json()["count"] == 1
    assert client.get("/api/v1/circles/", {"status": "ouvert"}).status_code == 422
