"""A NUL character (0x00) is refused with a clear message before it reaches the database.

PostgreSQL's text cannot hold one: without the guard, a query parameter the API reads directly
(the directory's « q », found by fuzzing the API) failed there with a 500.
"""

import pytest

from apprenance.practices.models import Practice
from apprenance.questions.models import Question

pytestmark = pytest.mark.django_db

REASON = "La requête contient un caractère nul (0x00)"


def test_the_api_refuses_a_nul_in_a_query_parameter_with_json(people, signed_in):
    response = signed_in(people.owner).get("/api/v1/members", {"q": "b\x00"})
    assert response.status_code == 400
    assert REASON in response.json()["detail"]


def test_a_page_refuses_a_nul_in_its_address_with_a_readable_page(people, signed_in):
    response = signed_in(people.owner).get("/membres/", {"q": "Cla\x00ire"})
    assert response.status_code == 400
    assert REASON in response.content.decode()
    assert "Rien n’a été enregistré." in response.content.decode()


def test_a_json_body_holding_a_nul_changes_nothing(people, signed_in):
    response = signed_in(people.owner).post(
        "/api/v1/questions/",
        '{"title": "Comment accueillir\\u0000 un stagiaire ?", "body": "", "visibility": "network"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Question.objects.exists()


def test_a_form_holding_a_nul_changes_nothing(people, signed_in):
    from urllib.parse import urlencode

    fields = {"title": "Le point\x00 du lundi", "kind": "ritual", "context": "a", "what_we_did": "b", "results": "c"}
    client = signed_in(people.owner)
    encoded = client.post("/pratiques/nouvelle/", urlencode(fields), content_type="application/x-www-form-urlencoded")
    assert encoded.status_code == 400
    # Sent as multipart (with files), the form itself refuses it, field by field.
    multipart = client.post("/pratiques/nouvelle/", fields)
    assert multipart.status_code == 200
    assert "Le caractère nul n’est pas autorisé." in multipart.content.decode()
    assert not Practice.objects.exists()


def test_ordinary_requests_pass(people, signed_in):
    client = signed_in(people.owner)
    assert client.get("/membres/", {"q": "Claire 100 %"}).status_code == 200
    assert client.get("/api/v1/members", {"q": "Claire"}).status_code == 200
