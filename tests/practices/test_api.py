"""The practices API: same search, visibility and validation as the pages."""

import pytest

from apprenance.practices.models import Practice
from tests.practices.factories import practice

pytestmark = pytest.mark.django_db


def test_list_items_carry_the_documented_fields(people, signed_in):
    created = practice(people.owner, title="Le point du lundi matin")
    signed_in(people.outsider).post(
        f"/pratiques/{created.pk}/essayer/", {"team": people.other_team.pk, "outcome": "worked"}
    )
    body = signed_in(people.colleague).get("/api/v1/practices/", {"q": "lundi"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert set(item) == {"id", "title", "kind", "team", "organisation", "adoptions", "url", "snippet"}
    assert (item["id"], item["team"], item["organisation"], item["adoptions"]) == (
        created.pk,
        "État civil",
        "mairie-vernay",
        1,
    )
    assert item["url"].endswith(f"/pratiques/{created.pk}/")


def test_filters_by_team_and_tag(people, signed_in):
    practice(people.owner, title="Une pratique avec mot-clé", tags=["accueil"])
    practice(people.outsider, title="Une pratique d’ailleurs", team=people.other_team)
    client = signed_in(people.colleague)
    body = client.get("/api/v1/practices/", {"team": people.other_team.pk}).json()
    assert [item["title"] for item in body["items"]] == ["Une pratique d’ailleurs"]
    body = client.get("/api/v1/practices/", {"tag": "accueil", "q": "pratique"}).json()
    assert [item["title"] for item in body["items"]] == ["Une pratique avec mot-clé"]


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"team": 2**70}, "team"),  # larger than any id: it would overflow the database's integers
        ({"team": 0}, "team"),
        ({"organisation": "nulle-part"}, "organisation"),
        ({"kind": "poeme"}, "kind"),
        ({"q": "réunion " * 30}, "q"),
    ],
)
def test_a_bad_filter_gets_a_422_naming_it(people, signed_in, filters, field):
    practice(people.owner, title="Le point du lundi")
    response = signed_in(people.colleague).get("/api/v1/practices/", filters)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


def test_the_list_page_drops_a_team_too_large_to_exist_and_says_so(people, signed_in):
    practice(people.owner, title="Le point du lundi")
    response = signed_in(people.colleague).get("/pratiques/", {"team": 2**70})
    assert response.status_code == 200
    assert "Le point du lundi" in response.content.decode()
    assert "Équipe : Cette équipe n’existe pas." in response.content.decode()


def test_create_validates_like_the_form_and_names_the_field(people, signed_in):
    client = signed_in(people.owner)
    response = client.post(
        "/api/v1/practices/",
        {"title": "ab", "context": "x", "what_we_did": "y", "results": "z", "kind": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"title", "kind"} <= set(errors)
    assert not Practice.objects.exists()
    response = client.post(
        "/api/v1/practices/",
        {"title": "Un vrai titre", "context": "x", "what_we_did": "y", "results": "z", "team": people.other_team.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "team" in response.json()["errors"]


def test_create_then_update_through_the_api(people, signed_in):
    client = signed_in(people.owner)
    payload = {
        "title": "Une revue de projet sans reproche",
        "kind": "experience_report",
        "context": "Un chantier en retard.",
        "what_we_did": "Une revue centrée sur les faits.",
        "results": "Des actions claires.",
        "tags": ["retex"],
        "visibility": "organisation",
    }
    response = client.post("/api/v1/practices/", payload, content_type="application/json")
    assert response.status_code == 201
    created = response.json()
    assert (created["status"], created["visibility"], created["tags"]) == ("published", "organisation", ["retex"])
    response = client.patch(
        f"/api/v1/practices/{created['id']}", {"title": "Une revue sans reproche"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Une revue sans reproche"
    assert response.json()["context"] == "Un chantier en retard."  # fields left out keep their value
    denied = signed_in(people.colleague).patch(
        f"/api/v1/practices/{created['id']}", {"title": "Pas à moi"}, content_type="application/json"
    )
    assert denied.status_code == 403
