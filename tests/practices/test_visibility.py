"""Drafts stay with their author; organisation-only practices never leave their organisation."""

import pytest

from apprenance.people.network import export_network
from apprenance.practices import exports
from apprenance.practices.models import Toolkit
from tests.practices.factories import practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(people):
    return practice(people.owner, title="Notre tableau de veille interne", visibility="organisation")


@pytest.fixture
def draft(people):
    return practice(people.owner, title="Brouillon sur la veille", publish=False)


def test_a_draft_is_seen_by_its_author_only(draft, people, signed_in):
    assert signed_in(people.owner).get(draft.get_absolute_url()).status_code == 200
    for other in (people.colleague, people.admin, people.network_admin, people.outsider):
        client = signed_in(other)
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(f"/api/v1/practices/{draft.pk}").status_code == 404
        assert "Brouillon sur la veille" not in client.get("/pratiques/", {"q": "veille"}).content.decode()
        assert client.get("/api/v1/practices/", {"q": "veille"}).json()["count"] == 0


def test_an_organisation_only_practice_never_leaks(secret, people, signed_in):
    colleague = signed_in(people.colleague)
    assert colleague.get(secret.get_absolute_url()).status_code == 200
    assert colleague.get("/api/v1/practices/", {"q": "veille"}).json()["count"] == 1
    for outsider in (people.outsider, people.network_admin):
        client = signed_in(outsider)
        assert client.get(secret.get_absolute_url()).status_code == 404
        assert client.get(f"/api/v1/practices/{secret.pk}").status_code == 404
        for params in ({"q": "veille"}, {"q": "tableau interne"}, {}):
            body = client.get("/api/v1/practices/", params).json()
            assert all(item["id"] != secret.pk for item in body["items"])
            assert "tableau de veille" not in client.get("/pratiques/", params).content.decode()


def test_toolkit_pages_and_exports_leave_out_what_the_reader_may_not_see(secret, people, signed_in):
    from apprenance.practices import services

    toolkit = Toolkit.objects.create(slug="mallette", title="La mallette")
    section = toolkit.sections.create(title="Veille", position=1)
    services.retain_in_toolkit(people.animator, secret, section, "Très utile")
    assert "tableau de veille" in signed_in(people.colleague).get("/mallette/mallette/").content.decode()
    client = signed_in(people.outsider)
    assert "tableau de veille" not in client.get("/mallette/mallette/").content.decode()
    assert "tableau de veille" not in client.get("/mallette/mallette/export.md").content.decode()
    sections = exports.visible_sections(toolkit, people.outsider)
    assert "tableau de veille" not in exports.toolkit_markdown(toolkit, sections)


def test_the_network_export_carries_every_practice_for_the_admin_tool(secret, draft):
    refs = {record["title"] for record in export_network()["practices"]}
    assert refs == {secret.title, draft.title}


def test_only_the_author_or_an_admin_of_its_organisation_edits(secret, people, signed_in):
    url = f"/pratiques/{secret.pk}/modifier/"
    assert signed_in(people.colleague).get(url).status_code == 403
    assert signed_in(people.admin).get(url).status_code == 200
    assert signed_in(people.owner).get(url).status_code == 200
    assert signed_in(people.outsider).get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(secret, client):
    for url in ("/pratiques/", secret.get_absolute_url(), "/mallette/", "/pratiques/nouvelle/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/connexion/" in response["Location"]
    assert client.get("/api/v1/practices/").status_code == 401
