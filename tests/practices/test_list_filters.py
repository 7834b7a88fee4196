"""The practices page's filters: an organisation offers its teams, a team narrows the list."""

import pytest

from tests.people.factories import TeamFactory
from tests.practices.factories import practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_teams(people):
    archives = TeamFactory(organisation=people.organisation, name="Archives")
    people.colleague.teams.add(archives)
    practice(people.owner, title="Le registre tenu à deux", team=people.team, visibility="network")
    practice(people.colleague, title="Le tri du vendredi", team=archives, visibility="network")
    return archives


def test_choosing_an_organisation_offers_its_teams(people, signed_in, two_teams):
    page = signed_in(people.outsider).get("/pratiques/", {"organisation": "mairie-vernay"}).content.decode()
    assert '<select id="id_team" name="team"' in page
    assert ">Archives</option>" in page
    assert ">État civil</option>" in page
    assert ">Agence centre</option>" not in page  # another organisation's team


def test_without_an_organisation_no_team_is_offered(people, signed_in, two_teams):
    page = signed_in(people.outsider).get("/pratiques/").content.decode()
    assert '<select id="id_team" name="team"' not in page


def test_a_team_narrows_the_list(people, signed_in, two_teams):
    client = signed_in(people.outsider)
    page = client.get("/pratiques/", {"organisation": "mairie-vernay", "team": two_teams.pk}).content.decode()
    assert "Le tri du vendredi" in page
    assert "Le registre tenu à deux" not in page
    assert f'<option value="{two_teams.pk}" selected>Archives</option>' in page


def test_a_team_of_another_organisation_is_dropped_not_an_error(people, signed_in, two_teams):
    page = (
        signed_in(people.outsider)
        .get("/pratiques/", {"organisation": "mairie-vernay", "team": people.other_team.pk})
        .content.decode()
    )
    assert "Le tri du vendredi" in page
    assert "Le registre tenu à deux" in page
    assert "ne sont pas valides" not in page


def test_an_unknown_organisation_is_reported_and_ignored(people, signed_in, two_teams):
    page = signed_in(people.outsider).get("/pratiques/", {"organisation": "nulle-part"}).content.decode()
    assert "Certains filtres ne sont pas valides" in page
    assert "Le tri du vendredi" in page


def test_choosing_an_organisation_with_htmx_redraws_the_filters(people, signed_in, two_teams):
    client = signed_in(people.outsider)
    headers = {"HX-Request": "true", "HX-Trigger-Name": "organisation"}
    page = client.get("/pratiques/", {"organisation": "mairie-vernay"}, headers=headers).content.decode()
    assert '<select id="id_team" name="team"' in page
    other = client.get("/pratiques/", {"q": "tri"}, headers={"HX-Request": "true"}).content.decode()
    assert "<form" not in other
    assert "<mark>tri</mark> du vendredi" in other


def test_a_list_seen_by_one_organisation_is_not_shown_to_another(people, signed_in):
    practice(people.owner, title="Le planning des astreintes", visibility="organisation")
    assert "des astreintes" in signed_in(people.colleague).get("/pratiques/", {"q": "planning"}).content.decode()
    assert "des astreintes" not in signed_in(people.outsider).get("/pratiques/", {"q": "planning"}).content.decode()


def test_a_new_comment_shows_in_the_list_at_once(people, signed_in):
    from apprenance.practices.services import add_comment

    created = practice(people.owner, title="Le planning des astreintes")
    client = signed_in(people.colleague)
    assert "0 commentaire" in client.get("/pratiques/", {"q": "planning"}).content.decode()
    add_comment(people.colleague, created, "Merci, on essaie.")
    assert "1 commentaire" in client.get("/pratiques/", {"q": "planning"}).content.decode()
