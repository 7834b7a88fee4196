import pytest
from django.urls import reverse

from apprenance.core.models import Event
from apprenance.people.models import Team
from tests.people.factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["owner", "animator", "other_admin", "outsider"])
def test_only_admins_of_the_organisation_reach_management(people, signed_in, persona):
    client = signed_in(getattr(people, persona))
    for url in (
        reverse("people:manage", args=["mairie-vernay"]),
        reverse("people:invite", args=["mairie-vernay"]),
        reverse("people:manage_organisation", args=["mairie-vernay"]),
        reverse("people:team_create", args=["mairie-vernay"]),
        reverse("people:team_edit", args=["mairie-vernay", people.team.pk]),
        reverse("people:team_delete", args=["mairie-vernay", people.team.pk]),
        reverse("people:manage_member", args=["mairie-vernay", people.owner.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("people:team_delete", args=["mairie-vernay", people.team.pk])).status_code == 403
    assert Team.objects.filter(pk=people.team.pk).exists()


@pytest.mark.parametrize("persona", ["admin", "network_admin"])
def test_admins_and_network_admins_see_the_members_table(people, signed_in, persona):
    response = signed_in(getattr(people, persona)).get(reverse("people:manage", args=["mairie-vernay"]))
    assert response.status_code == 200
    assert people.owner.email in response.text
    assert people.outsider.email not in response.text


def test_admin_of_a_cannot_edit_a_member_of_b_through_its_own_url(people, signed_in):
    client = signed_in(people.admin)
    url = reverse("people:manage_member", args=["mairie-vernay", people.outsider.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"role": "member", "is_active": "on"}).status_code == 404


def test_admin_changes_role_teams_and_deactivates(people, signed_in):
    new_team = TeamFactory(organisation=people.organisation, name="Urbanisme")
    response = signed_in(people.admin).post(
        reverse("people:manage_member", args=["mairie-vernay", people.owner.pk]),
        {"role": "animator", "teams": [new_team.pk]},
    )
    assert response.status_code == 302
    people.owner.refresh_from_db()
    assert people.owner.role == "animator"
    assert not people.owner.is_active
    assert list(people.owner.teams.all()) == [new_team]
    event = Event.objects.get(verb="member.membership_updated")
    assert event.actor == people.admin
    assert event.payload["role"] == ["member", "animator"]


def test_admin_cannot_use_a_team_of_another_organisation(people, signed_in):
    response = signed_in(people.admin).post(
        reverse("people:manage_member", args=["mairie-vernay", people.owner.pk]),
        {"role": "member", "teams": [people.other_team.pk], "is_active": "on"},
    )
    assert response.status_code == 200
    assert "teams" in response.context["form"].errors
    assert list(people.owner.teams.all()) == [people.team]


def test_admin_cannot_demote_or_deactivate_themselves(people, signed_in):
    response = signed_in(people.admin).post(
        reverse("people:manage_member", args=["mairie-vernay", people.admin.pk]), {"role": "member"}
    )
    assert response.status_code == 200
    assert "Vous ne pouvez pas modifier votre propre rôle." in response.text
    people.admin.refresh_from_db()
    assert people.admin.role == "org_admin"
    assert people.admin.is_active


def test_organisation_admin_cannot_appoint_a_network_admin(people, signed_in):
    response = signed_in(people.admin).post(
        reverse("people:manage_member", args=["mairie-vernay", people.owner.pk]),
        {"role": "network_admin", "is_active": "on"},
    )
    assert response.status_code == 200
    people.owner.refresh_from_db()
    assert people.owner.role == "member"


def test_network_admin_manages_any_organisation(people, signed_in):
    response = signed_in(people.network_admin).post(
        reverse("people:manage_member", args=["mairie-vernay", people.owner.pk]),
        {"role": "org_admin", "is_active": "on", "teams": [people.team.pk]},
    )
    assert response.status_code == 302
    people.owner.refresh_from_db()
    assert people.owner.role == "org_admin"


def test_admin_creates_a_sub_team(people, signed_in):
    response = signed_in(people.admin).post(
        reverse("people:team_create", args=["mairie-vernay"]),
        {"name": " Cérémonies ", "parent": people.team.pk, "description": "Mariages et PACS"},
    )
    assert response.status_code == 302
    team = Team.objects.get(name="Cérémonies")
    assert team.organisation == people.organisation
    assert team.parent == people.team


def test_team_names_are_unique_per_organisation_whatever_the_case(people, signed_in):
    response = signed_in(people.admin).post(
        reverse("people:team_create", args=["mairie-vernay"]), {"name": "état CIVIL"}
    )
    assert response.status_code == 200
    assert "Une équipe porte déjà ce nom" in response.text
    assert Team.objects.filter(organisation=people.organisation).count() == 1


def test_a_team_cannot_become_its_own_descendant(people, signed_in):
    child = TeamFactory(organisation=people.organisation, name="Mariages", parent=people.team)
    response = signed_in(people.admin).post(
        reverse("people:team_edit", args=["mairie-vernay", people.team.pk]), {"name": "État civil", "parent": child.pk}
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    people.team.refresh_from_db()
    assert people.team.parent is None


def test_deleting_a_team_asks_first_then_keeps_members_and_lifts_sub_teams(people, signed_in):
    child = TeamFactory(organisation=people.organisation, name="Mariages", parent=people.team)
    client = signed_in(people.admin)
    url = reverse("people:team_delete", args=["mairie-vernay", people.team.pk])
    confirm = client.get(url)
    assert "Supprimer l’équipe « État civil » ?" in confirm.text
    assert Team.objects.filter(pk=people.team.pk).exists()
    assert client.post(url).status_code == 302
    assert not Team.objects.filter(pk=people.team.pk).exists()
    child.refresh_from_db()
    assert child.parent is None
    people.owner.refresh_from_db()
    assert people.owner.organisation == people.organisation


def test_admin_edits_the_organisation_record(people, signed_in):
    response = signed_in(people.admin).post(
        reverse("people:manage_organisation", args=["mairie-vernay"]),
        {"name": "Mairie de Vernay-sur-Arnelle", "world": "public_action", "territory": "Val d’Arnelle"},
    )
    assert response.status_code == 302
    people.organisation.refresh_from_db()
    assert people.organisation.name == "Mairie de Vernay-sur-Arnelle"


def test_bad_world_on_the_organisation_record_changes_nothing(people, signed_in):
    response = signed_in(people.admin).post(
        reverse("people:manage_organisation", args=["mairie-vernay"]), {"name": "X", "world": "mars"}
    )
    assert response.status_code == 200
    people.organisation.refresh_from_db()
    assert people.organisation.name == "Mairie de Vernay"


def test_management_page_runs_a_bounded_number_of_queries(people, signed_in, django_assert_max_num_queries):
    for index in range(30):
        TeamFactory(organisation=people.organisation, name=f"Pôle {index}")
    client = signed_in(people.admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("people:manage", args=["mairie-vernay"]))
    assert response.status_code == 200


def test_django_admin_is_for_superusers_only(people, signed_in):
    people.admin.is_staff = True
    people.admin.save()
    assert signed_in(people.admin).get("/django-admin/").status_code == 302


def test_pages_with_file_fields_send_them(people, signed_in):
    client = signed_in(people.admin)
    for url in (reverse("people:invite", args=["mairie-vernay"]), reverse("people:profile_edit")):
        assert 'enctype="multipart/form-data"' in client.get(url).text, url
    team_page = client.get(reverse("people:team_create", args=["mairie-vernay"]))
    assert "enctype" not in team_page.text
    assert "← Gestion de l’organisation" in team_page.text
