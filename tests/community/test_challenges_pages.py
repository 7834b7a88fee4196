"""The team challenges' pages: the lists, the leaderboard, opening, editing and deleting, who may do what."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apprenance.community.models import TeamChallenge
from apprenance.core.models import Event
from apprenance.questions import services as question_services
from tests.community.factories import team_challenge
from tests.people.factories import MemberFactory, TeamFactory
from tests.questions.factories import ask

pytestmark = pytest.mark.django_db


def day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def plan(**changes) -> dict:
    data = {
        "title": "Défi de l’entraide",
        "description": "Répondez aux **autres équipes**.",
        "metric": "answers_given",
        "organisation": "",
        "starts_on": day(0),
        "ends_on": day(27),
    }
    return {**data, **changes}


@pytest.fixture
def local(people):
    """A running challenge between the first organisation's teams."""
    return team_challenge(people.animator, organisation=people.organisation, title="Défi de la mairie")


def test_the_main_navigation_leads_to_team_challenges(people, signed_in):
    assert 'href="/defis-d-equipes/"' in signed_in(people.owner).get("/").content.decode()


def test_the_list_shows_running_upcoming_and_finished_challenges_in_their_tabs(people, signed_in):
    client = signed_in(people.owner)
    assert "Aucun défi en cours pour l’instant." in client.get("/defis-d-equipes/").content.decode()
    team_challenge(people.animator, title="Défi d’automne")
    team_challenge(people.animator, title="Défi d’hiver", days=(3, 30))
    team_challenge(people.animator, title="Défi d’été", days=(-60, -1))
    tabs = {
        "": "Défi d’automne",
        "?quand=en-cours": "Défi d’automne",
        "?quand=a-venir": "Défi d’hiver",
        "?quand=termines": "Défi d’été",
    }
    for query, shown in tabs.items():
        body = client.get(f"/defis-d-equipes/{query}").content.decode()
        for title in tabs.values():
            assert (title in body) == (title == shown), (query, title)
    assert "Ouvrir un défi" not in body
    assert "Ouvrir un défi" in signed_in(people.animator).get("/defis-d-equipes/").content.decode()


def test_an_organisation_challenge_is_invisible_to_another_organisation(local, people, signed_in):
    for reader in (people.owner, people.admin, people.network_admin):
        client = signed_in(reader)
        assert "Défi de la mairie" in client.get("/defis-d-equipes/").content.decode()
        assert client.get(local.get_absolute_url()).status_code == 200
    for outsider in (people.outsider, people.other_admin):
        client = signed_in(outsider)
        assert "Défi de la mairie" not in client.get("/defis-d-equipes/").content.decode()
        assert client.get(local.get_absolute_url()).status_code == 404
        assert client.get(f"/defis-d-equipes/{local.pk}/modifier/").status_code == 404
        assert client.post(f"/defis-d-equipes/{local.pk}/supprimer/").status_code == 404
    assert TeamChallenge.objects.filter(pk=local.pk).exists()


def test_the_leaderboard_ranks_every_team_and_highlights_the_viewers(local, people, signed_in):
    greeters = TeamFactory(organisation=people.organisation, name="Accueil")
    TeamFactory(organisation=people.organisation, name="Archives")
    question = ask(MemberFactory(organisation=people.organisation, teams=[greeters]))
    question_services.answer_question(people.colleague, question, "Une grille partagée.")
    question_services.answer_question(people.colleague, question, "Et un rappel la veille.")
    question_services.answer_question(people.owner, question, "Je demande à l’agent ses envies.")
    local.description = "Un défi <script>alert(1)</script> **amical**."
    local.save()
    body = signed_in(people.owner).get(local.get_absolute_url()).content.decode()
    assert "<strong>amical</strong>" in body
    assert "<script>alert" not in body
    rows = body.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]
    assert 'class="mine"' in rows[0]
    assert "État civil" in rows[0]
    assert ">10<" in rows[0]  # 4 + 2 for the colleague, 4 for the owner
    assert "Accueil" in rows[1]
    assert "ex æquo" in rows[1]
    assert "Archives" in rows[2]
    assert "<td>2 <span" in rows[2]
    assert "Votre équipe : État civil" in body
    assert "10 points, rang 1 sur 3." in body
    assert people.colleague.full_name in body
    assert people.owner.full_name in body
    outsider_view = signed_in(people.admin).get(local.get_absolute_url()).content.decode()
    assert 'class="mine"' not in outsider_view
    assert "Votre équipe :" not in outsider_view


def test_an_upcoming_challenge_says_when_it_starts(people, signed_in):
    upcoming = team_challenge(people.animator, organisation=people.organisation, days=(5, 20))
    body = signed_in(people.owner).get(upcoming.get_absolute_url()).content.decode()
    assert "toutes les équipes partent de zéro" in body
    assert "À venir" in body


def test_only_animators_and_admins_open_challenges_and_only_for_their_organisation(people, signed_in):
    member = signed_in(people.owner)
    assert member.get("/defis-d-equipes/ouvrir/").status_code == 403
    assert member.post("/defis-d-equipes/ouvrir/", plan(organisation=people.organisation.slug)).status_code == 403
    client = signed_in(people.animator)
    form = client.get("/defis-d-equipes/ouvrir/").content.decode()
    assert "Mairie de Vernay" in form
    assert "Banque d’Arnelle" not in form
    assert "Toutes les équipes du réseau" not in form
    refused = client.post("/defis-d-equipes/ouvrir/", plan()).content.decode()
    assert "seuls les administrateurs du réseau ouvrent un défi à tout le réseau" in refused
    elsewhere = client.post("/defis-d-equipes/ouvrir/", plan(organisation=people.other_organisation.slug))
    assert "Sélectionnez un choix valide" in elsewhere.content.decode()
    assert not TeamChallenge.objects.exists()
    response = client.post("/defis-d-equipes/ouvrir/", plan(organisation=people.organisation.slug))
    challenge = TeamChallenge.objects.get()
    assert response.url == challenge.get_absolute_url()
    assert (challenge.organisation, challenge.created_by, challenge.metric) == (
        people.organisation,
        people.animator,
        "answers_given",
    )
    assert Event.objects.filter(verb="challenge.created", object_id=challenge.pk).exists()
    signed_in(people.network_admin).post("/defis-d-equipes/ouvrir/", plan(title="Défi du territoire"))
    assert TeamChallenge.objects.get(title="Défi du territoire").organisation is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "   "}, "Ce champ est obligatoire."),
        ({"metric": "likes"}, "Sélectionnez un choix valide."),
        ({"starts_on": "demain"}, "Saisissez une date valide."),
        ({"starts_on": day(10), "ends_on": day(9)}, "La fin doit venir le jour du début ou après."),
        ({"starts_on": day(-30), "ends_on": day(-1)}, "Cette date est passée"),
        ({"ends_on": day(400)}, "Un défi dure au plus un an"),
        ({"organisation": "nulle-part"}, "Sélectionnez un choix valide."),
    ],
)
def test_bad_input_explains_the_problem_and_saves_nothing(changes, message, people, signed_in):
    response = signed_in(people.network_admin).post("/defis-d-equipes/ouvrir/", plan(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TeamChallenge.objects.exists()


def test_a_challenge_not_started_yet_can_change_everything(people, signed_in):
    upcoming = team_challenge(people.animator, organisation=people.organisation, days=(5, 20))
    client = signed_in(people.animator)
    response = client.post(
        f"/defis-d-equipes/{upcoming.pk}/modifier/",
        plan(title="Défi des adoptions", metric="adoptions", organisation=people.organisation.slug, starts_on=day(2)),
    )
    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert (upcoming.title, upcoming.metric, upcoming.starts_on.isoformat()) == (
        "Défi des adoptions",
        "adoptions",
        day(2),
    )
    assert Event.objects.get(verb="challenge.updated").payload["changed"] == [
        "title",
        "description",
        "metric",
        "starts_on",
        "ends_on",
    ]


def test_once_started_its_metric_scope_and_start_no_longer_change(local, people, signed_in):
    client = signed_in(people.animator)
    form = client.get(f"/defis-d-equipes/{local.pk}/modifier/").content.decode()
    assert form.count("disabled") >= 3
    assert "Le défi a commencé : cette donnée ne change plus." in form
    # What the page sends (locked fields are not sent): the title and the end change.
    sent = {"title": "Défi de la mairie, prolongé", "description": "", "ends_on": day(40)}
    assert client.post(f"/defis-d-equipes/{local.pk}/modifier/", sent).status_code == 302
    local.refresh_from_db()
    assert (local.title, local.ends_on.isoformat(), local.metric) == (
        "Défi de la mairie, prolongé",
        day(40),
        "answers_given",
    )
    forged = client.post(f"/defis-d-equipes/{local.pk}/modifier/", {**sent, "title": "Autre", "metric": "adoptions"})
    assert "Le défi a commencé : cette donnée ne change plus." in forged.content.decode()
    local.refresh_from_db()
    assert (local.title, local.metric) == ("Défi de la mairie, prolongé", "answers_given")


def test_a_finished_challenge_keeps_its_period(people, signed_in):
    finished = team_challenge(people.animator, organisation=people.organisation, days=(-40, -10))
    client = signed_in(people.animator)
    forged = client.post(f"/defis-d-equipes/{finished.pk}/modifier/", {"title": "Bilan", "ends_on": day(5)})
    assert "Le défi a commencé : cette donnée ne change plus." in forged.content.decode()
    assert client.post(f"/defis-d-equipes/{finished.pk}/modifier/", {"title": "Bilan"}).status_code == 302
    finished.refresh_from_db()
    assert (finished.title, finished.ends_on.isoformat()) == ("Bilan", day(-10))


def test_who_may_edit_and_delete_a_challenge(local, people, signed_in):
    network = team_challenge(people.network_admin, title="Défi du territoire")
    for member in (people.owner, people.colleague):
        client = signed_in(member)
        assert client.get(f"/defis-d-equipes/{local.pk}/modifier/").status_code == 403
        assert client.post(f"/defis-d-equipes/{local.pk}/supprimer/").status_code == 403
        assert f"/defis-d-equipes/{local.pk}/modifier/" not in client.get(local.get_absolute_url()).content.decode()
    for animator in (people.animator, people.admin):
        client = signed_in(animator)
        assert client.get(f"/defis-d-equipes/{local.pk}/modifier/").status_code == 200
        assert f"/defis-d-equipes/{local.pk}/supprimer/" in client.get(local.get_absolute_url()).content.decode()
        assert client.get(f"/defis-d-equipes/{network.pk}/modifier/").status_code == 403
        assert client.post(f"/defis-d-equipes/{network.pk}/supprimer/").status_code == 403
    client = signed_in(people.network_admin)
    assert client.get(f"/defis-d-equipes/{local.pk}/modifier/").status_code == 200
    assert client.get(f"/defis-d-equipes/{network.pk}/supprimer/").status_code == 200
    assert TeamChallenge.objects.count() == 2


def test_deleting_asks_for_confirmation_first(local, people, signed_in):
    client = signed_in(people.admin)
    confirm = client.get(f"/defis-d-equipes/{local.pk}/supprimer/").content.decode()
    assert "Supprimer « Défi de la mairie » ?" in confirm
    assert "L’activité des équipes, elle, reste dans le journal." in confirm
    assert TeamChallenge.objects.filter(pk=local.pk).exists()
    response = client.post(f"/defis-d-equipes/{local.pk}/supprimer/", follow=True)
    assert "Le défi « Défi de la mairie » est supprimé." in response.content.decode()
    assert not TeamChallenge.objects.exists()
    assert Event.objects.filter(verb="challenge.deleted", object_id=local.pk).exists()


def test_the_list_is_paginated_and_runs_a_bounded_number_of_queries(people, signed_in, django_assert_max_num_queries):
    for number in range(30):
        team_challenge(people.animator, organisation=people.organisation, title=f"Défi {number}")
    client = signed_in(people.owner)
    with django_assert_max_num_queries(8):
        page = client.get("/defis-d-equipes/")
    body = page.content.decode()
    assert body.count('class="card"') == 24
    assert "Page 1 sur 2" in body


def test_the_challenge_page_runs_a_bounded_number_of_queries(people, signed_in, django_assert_max_num_queries):
    challenge = team_challenge(people.network_admin)
    question = ask(people.owner)
    for number in range(60):
        member = MemberFactory(
            organisation=people.other_organisation, teams=[TeamFactory(organisation=people.other_organisation)]
        )
        question_services.answer_question(member, question, f"Réponse {number}")
    client = signed_in(people.outsider)
    with django_assert_max_num_queries(12):
        page = client.get(challenge.get_absolute_url())
    body = page.content.decode()
    assert body.split("<tbody>")[1].count("<tr") == 50
    assert "Page 1 sur 2" in body
    second = client.get(challenge.get_absolute_url(), {"page": 2}).content.decode()
    assert second.split("<tbody>")[1].count("<tr") == 12  # 62 teams in all
