import pytest
from django.urls import reverse

from apprenance.people.models import ProfileVisibility
from tests.people.factories import MemberFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_directory_requires_sign_in(client):
    response = client.get(reverse("people:directory"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:login"))


def test_directory_lists_people_of_every_organisation(people, signed_in):
    response = signed_in(people.owner).get(reverse("people:directory"))
    assert response.status_code == 200
    assert people.colleague.full_name in response.text
    assert people.outsider.full_name in response.text


def test_hidden_profile_is_left_out_for_other_organisations(people, signed_in):
    people.outsider.profile_visibility = ProfileVisibility.ORGANISATION
    people.outsider.save()
    response = signed_in(people.owner).get(reverse("people:directory"))
    assert people.outsider.full_name not in response.text


def test_hidden_profile_stays_visible_inside_its_organisation(people, signed_in):
    people.colleague.profile_visibility = ProfileVisibility.ORGANISATION
    people.colleague.save()
    response = signed_in(people.owner).get(reverse("people:directory"))
    assert people.colleague.full_name in response.text


def test_search_by_name_ignores_case_and_matches_each_word(people, signed_in):
    people.owner.first_name, people.owner.last_name = "Élodie", "Marchand"
    people.owner.save()
    response = signed_in(people.colleague).get(reverse("people:directory"), {"q": "marchand élo"})
    assert "Élodie Marchand" in response.text
    assert people.outsider.full_name not in response.text


def test_filters_by_organisation_team_and_world(people, signed_in):
    client = signed_in(people.owner)
    by_org = client.get(reverse("people:directory"), {"organisation": "banque-arnelle"})
    assert people.outsider.full_name in by_org.text
    assert people.colleague.full_name not in by_org.text

    by_team = client.get(reverse("people:directory"), {"organisation": "mairie-vernay", "team": people.team.pk})
    assert people.colleague.full_name in by_team.text
    assert people.admin.full_name not in by_team.text

    by_world = client.get(reverse("people:directory"), {"world": "economy"})
    assert people.outsider.full_name in by_world.text
    assert people.colleague.full_name not in by_world.text


def test_unknown_filter_values_are_ignored_with_a_message(people, signed_in):
    response = signed_in(people.owner).get(
        reverse("people:directory"), {"organisation": "nope", "world": "economy", "page": "abc"}
    )
    assert response.status_code == 200
    assert "ont été ignorés" in response.text
    assert people.outsider.full_name in response.text  # the valid world filter still applies
    assert people.colleague.full_name not in response.text


def test_a_team_of_another_organisation_is_dropped_silently(people, signed_in):
    response = signed_in(people.owner).get(
        reverse("people:directory"), {"organisation": "banque-arnelle", "team": people.team.pk}
    )
    assert "ont été ignorés" not in response.text
    assert people.outsider.full_name in response.text


def test_empty_result_says_so(people, signed_in):
    response = signed_in(people.owner).get(reverse("people:directory"), {"q": "zzzzzz"})
    assert "Personne ne correspond à ces critères" in response.text


def test_htmx_request_gets_only_the_results(people, signed_in):
    response = signed_in(people.owner).get(reverse("people:directory"), {"q": "a"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="results"' in response.text
    assert "<html" not in response.text


def test_directory_is_paginated(people, signed_in, settings):
    settings.PAGE_SIZE = 5
    response = signed_in(people.owner).get(reverse("people:directory"), {"page": 2})
    assert response.context["page"].number == 2
    assert len(response.context["page"].object_list) == 2  # 7 people, 5 per page


def test_directory_runs_a_bounded_number_of_queries(people, signed_in, django_assert_max_num_queries):
    for index in range(30):
        team = TeamFactory(organisation=people.organisation, name=f"Équipe {index}")
        MemberFactory(organisation=people.organisation, teams=[team, people.team])
    client = signed_in(people.owner)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("people:directory"))
    assert response.status_code == 200


def test_choosing_an_organisation_offers_its_teams_without_reloading(people, signed_in):
    response = signed_in(people.owner).get(
        reverse("people:directory"), {"organisation": "mairie-vernay"}, headers={"HX-Request": "true"}
    )
    assert 'id="team-filter" hx-swap-oob="true"' in response.text
    assert f'<option value="{people.team.pk}">État civil</option>' in response.text
    assert "Agence centre" not in response.text


def test_cached_list_shows_a_profile_change_at_once(people, signed_in):
    client = signed_in(people.owner)
    assert "Chargée de mission" in client.get(reverse("people:directory")).text
    signed_in(people.colleague).post(
        reverse("people:profile_edit"),
        {"first_name": "Zélie", "last_name": "Nouveau", "job_title": "Médiatrice", "profile_visibility": "network"},
    )
    client = signed_in(people.owner)
    response = client.get(reverse("people:directory"))
    assert "Zélie Nouveau" in response.text
    assert "Médiatrice" in response.text


def test_a_warm_directory_page_reads_no_member_rows(people, signed_in, django_assert_max_num_queries):
    client = signed_in(people.owner)
    client.get(reverse("people:directory"))
    with django_assert_max_num_queries(5):  # session, member, generation, organisations for the filter
        response = client.get(reverse("people:directory"))
    assert people.colleague.full_name in response.text


def test_a_boosted_navigation_gets_the_whole_page_with_one_team_filter(people, signed_in):
    response = signed_in(people.owner).get(
        reverse("people:directory"),
        {"organisation": "mairie-vernay"},
        headers={"HX-Request": "true", "HX-Boosted": "true"},
    )
    assert "<html" in response.text
    assert response.text.count('id="team-filter"') == 1
