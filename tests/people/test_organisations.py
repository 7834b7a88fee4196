import pytest
from django.urls import reverse

from apprenance.people.models import ProfileVisibility
from tests.people.factories import MemberFactory, OrganisationFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_organisation_list_counts_members_and_teams(people, signed_in):
    response = signed_in(people.owner).get(reverse("people:organisations"))
    assert "Mairie de Vernay" in response.text
    assert "Banque d’Arnelle" in response.text
    assert "4 membres" in response.text


def test_organisation_page_lists_teams_and_visible_people(people, signed_in):
    people.admin.profile_visibility = ProfileVisibility.ORGANISATION
    people.admin.save()
    response = signed_in(people.outsider).get(reverse("people:organisation", args=["mairie-vernay"]))
    assert "État civil" in response.text
    assert people.owner.full_name in response.text
    assert people.admin.full_name not in response.text


def test_organisation_page_offers_management_only_to_its_admins(people, signed_in):
    url = reverse("people:organisation", args=["mairie-vernay"])
    manage = reverse("people:manage", args=["mairie-vernay"])
    assert manage in signed_in(people.admin).get(url).text
    assert manage not in signed_in(people.owner).get(url).text
    assert manage not in signed_in(people.other_admin).get(url).text


def test_unknown_organisation_and_team_are_404(people, signed_in):
    client = signed_in(people.owner)
    assert client.get("/organisations/nulle-part/").status_code == 404
    assert client.get(f"/organisations/banque-arnelle/equipes/{people.team.pk}/").status_code == 404


def test_team_page_lists_its_members_and_sub_teams(people, signed_in):
    child = TeamFactory(organisation=people.organisation, name="Accueil des mariages", parent=people.team)
    response = signed_in(people.outsider).get(reverse("people:team", args=["mairie-vernay", people.team.pk]))
    assert people.owner.full_name in response.text
    assert people.admin.full_name not in response.text
    assert child.name in response.text


def test_organisation_page_runs_a_bounded_number_of_queries(people, signed_in, django_assert_max_num_queries):
    for index in range(40):
        team = TeamFactory(organisation=people.organisation, name=f"Service {index}")
        MemberFactory(organisation=people.organisation, teams=[team])
    client = signed_in(people.outsider)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("people:organisation", args=["mairie-vernay"]))
    assert response.status_code == 200


def test_organisation_list_runs_a_bounded_number_of_queries(people, signed_in, django_assert_max_num_queries):
    for _ in range(20):
        OrganisationFactory()
    client = signed_in(people.owner)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("people:organisations"))
    assert response.context["page"].paginator.count == 22


def test_team_page_runs_a_bounded_number_of_queries(people, signed_in, django_assert_max_num_queries):
    for _ in range(30):
        MemberFactory(organisation=people.organisation, teams=[people.team])
    client = signed_in(people.owner)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("people:team", args=["mairie-vernay", people.team.pk]))
    assert response.context["page"].paginator.count == 32


def test_organisation_list_counts_only_active_members_and_is_paginated(people, signed_in, settings):
    MemberFactory(organisation=people.organisation, is_active=False)
    TeamFactory(organisation=people.organisation, name="Urbanisme")
    response = signed_in(people.owner).get(reverse("people:organisations"))
    assert "4 membres · 2 équipes" in " ".join(response.text.split())
    settings.PAGE_SIZE = 1
    second = signed_in(people.owner).get(reverse("people:organisations"), {"page": 2})
    assert "Mairie de Vernay" in second.text
    assert "Banque d’Arnelle" not in second.text
