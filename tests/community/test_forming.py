"""« Former des cercles » : propose, swap two people, confirm; bad input writes nothing."""

import itertools
import re

import pytest

from apprenance.community import services
from apprenance.community.models import Circle, CircleMembership
from apprenance.community.views import PROPOSAL_KEY
from apprenance.core.models import Event
from apprenance.notifications.models import Notification
from tests.community.factories import circle
from tests.people.factories import MemberFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(people):
    """Twenty-four more people in four teams of the two organisations."""
    teams = [
        people.team,
        TeamFactory(organisation=people.organisation, name="Urbanisme"),
        people.other_team,
        TeamFactory(organisation=people.other_organisation, name="Crédit"),
    ]
    return [MemberFactory(organisation=team.organisation, teams=[team]) for team in teams for _ in range(6)]


def propose(client, **data):
    return client.post("/cercles/former/", {"size": 6, **data})


def proposal_of(client) -> services.Proposal:
    return services.Proposal.from_dict(client.session[PROPOSAL_KEY])


def test_only_animators_and_admins_form_circles(people, signed_in):
    for member in (people.owner, people.outsider):
        client = signed_in(member)
        assert client.get("/cercles/former/").status_code == 403
        assert propose(client).status_code == 403
        assert client.get("/cercles/former/proposition/").status_code == 403
        assert client.post("/cercles/former/confirmer/", {"name": "X", "starts_on": "2026-10-01"}).status_code == 403
    for member in (people.animator, people.admin, people.network_admin):
        assert signed_in(member).get("/cercles/former/").status_code == 200


def test_a_proposal_shows_each_circles_score_and_the_mean_and_writes_nothing(crowd, people, signed_in):
    client = signed_in(people.animator)
    response = propose(client)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    proposal = proposal_of(client)
    assert sum(len(c) for c in proposal.circles) == len(crowd) + 7  # everyone active and visible, personas included
    assert len(re.findall(r"Diversité : \d,\d\d sur 1", page)) == len(proposal.circles)
    assert f"diversité moyenne {proposal.mean_score:.2f}".replace(".", ",") in page
    assert proposal.organisation_id is None  # people from both organisations: a circle of the network
    assert not Circle.objects.exists()
    assert not Event.objects.filter(verb__startswith="circle.").exists()


def test_the_population_can_be_narrowed_to_organisations_teams_and_roles(crowd, people, signed_in):
    client = signed_in(people.animator)
    propose(client, organisations=[people.organisation.pk])
    proposal = proposal_of(client)
    assert proposal.organisation_id == people.organisation.pk
    assert len(proposal.member_ids) == 12 + 4  # two teams of six, and the four personas of the organisation
    urbanisme = crowd[6].teams.get()
    propose(client, teams=[people.team.pk, urbanisme.pk], roles=["member"])
    assert set(proposal_of(client).member_ids) == {m.pk for m in crowd[:12]} | {people.owner.pk, people.colleague.pk}


def test_constraints_are_respected(crowd, people, signed_in):
    client = signed_in(people.animator)
    a, b, c, d, e = crowd[0], crowd[1], crowd[2], crowd[3], crowd[4]
    propose(
        client,
        apart=f"{a.email}, {b.email}",
        together=f"{c.email}, {d.email}\n",
        excluded=f"{e.email}\n{people.owner.email}",
    )
    proposal = proposal_of(client)
    circle_of = {pk: index for index, members in enumerate(proposal.circles) for pk in members}
    assert circle_of[a.pk] != circle_of[b.pk]
    assert circle_of[c.pk] == circle_of[d.pk]
    assert e.pk not in circle_of
    assert people.owner.pk not in circle_of


def test_people_who_already_met_are_not_regrouped(crowd, people):
    # Five circles are formed among 31 people: the five who met can each go to a different one.
    earlier = circle(people.animator, crowd[:5], organisation=people.organisation)
    proposal = services.propose_circles(people.animator, {}, 6, {})
    met = {m.member_id for m in CircleMembership.objects.filter(circle=earlier)}
    assert proposal.repeated_pairs == 0
    for members in proposal.circles:
        assert len(met & set(members)) <= 1


def test_swap_then_confirm_creates_the_circles_notifies_members_and_records_events(crowd, people, signed_in):
    client = signed_in(people.animator)
    propose(client)
    before = proposal_of(client)
    first, second = before.circles[0][0], before.circles[1][0]
    response = client.post("/cercles/former/proposition/", {"first": first, "second": second})
    assert response.status_code == 302
    swapped = proposal_of(client)
    assert second in swapped.circles[0]
    assert first in swapped.circles[1]
    assert len(swapped.scores) == len(before.scores)
    assert not Circle.objects.exists()

    assert "Former les cercles" in client.get("/cercles/former/confirmer/").content.decode()
    response = client.post(
        "/cercles/former/confirmer/",
        {"name": "Cercle de l’automne", "purpose": "Partager nos pratiques d’accueil.", "starts_on": "2026-10-01"},
    )
    assert response.status_code == 302
    circles = list(Circle.objects.order_by("pk"))
    assert [c.name for c in circles] == [f"Cercle de l’automne {n}" for n in range(1, len(swapped.circles) + 1)]
    for made, members, score in zip(circles, swapped.circles, swapped.scores, strict=True):
        assert set(made.memberships.values_list("member_id", flat=True)) == set(members)
        assert made.animator == people.animator
        assert made.diversity == score
    assert Event.objects.filter(verb="circle.formed", actor=people.animator).count() == len(circles)
    notified = sorted(Notification.objects.filter(kind="circle.joined").values_list("recipient_id", flat=True))
    assert notified == sorted(pk for pk in swapped.member_ids if pk != people.animator.pk)
    assert PROPOSAL_KEY not in client.session
    listing = client.get("/cercles/").content.decode()
    assert "Cercle de l’automne 1" in listing
    member = crowd[0]
    assert "Cercle de l’automne" in signed_in(member).get("/notifications/").content.decode()


def test_swapping_over_htmx_answers_the_proposal_section(crowd, people, signed_in):
    client = signed_in(people.animator)
    propose(client)
    proposal = proposal_of(client)
    response = client.post(
        "/cercles/former/proposition/",
        {"first": proposal.circles[0][0], "second": proposal.circles[1][0]},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="proposition">')
    assert "<html" not in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"size": 3}, "supérieure ou égale à 4"),
        ({"size": 9}, "inférieure ou égale à 8"),
        ({"apart": "inconnu@exemple.fr, personne@exemple.fr"}, "Personne de visible ne répond à"),
        ({"apart": "une-seule@exemple.fr"}, "Ligne 1 : il faut deux adresses différentes"),
        ({"roles": ["network_admin"]}, "pas assez de personnes"),
    ],
)
def test_bad_input_shows_an_error_and_writes_nothing(data, message, crowd, people, signed_in):
    client = signed_in(people.animator)
    response = client.post("/cercles/former/", {"size": 6, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert PROPOSAL_KEY not in client.session
    assert not Circle.objects.exists()


def test_contradictory_constraints_are_explained(crowd, people, signed_in):
    client = signed_in(people.animator)
    pair = f"{crowd[0].email}, {crowd[1].email}"
    response = propose(client, apart=pair, together=pair)
    assert "à la fois à séparer et à réunir" in response.content.decode()
    assert PROPOSAL_KEY not in client.session


def test_bad_swaps_and_bad_dates_change_nothing(crowd, people, signed_in):
    client = signed_in(people.animator)
    propose(client)
    before = proposal_of(client)
    same_circle = client.post(
        "/cercles/former/proposition/", {"first": before.circles[0][0], "second": before.circles[0][1]}
    )
    assert "Choisissez deux personnes de cercles différents." in same_circle.content.decode()
    stranger = client.post("/cercles/former/proposition/", {"first": before.circles[0][0], "second": 999_999})
    assert "Sélectionnez un choix valide" in stranger.content.decode()
    assert proposal_of(client) == before
    response = client.post(
        "/cercles/former/confirmer/", {"name": "Cercle", "starts_on": "2026-10-01", "ends_on": "2026-09-01"}
    )
    assert "La fin doit venir après le début." in response.content.decode()
    response = client.post("/cercles/former/confirmer/", {"name": "  ", "starts_on": "2026-10-01"})
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not Circle.objects.exists()
    assert not Notification.objects.filter(kind="circle.joined").exists()


def test_a_member_who_left_before_confirmation_stops_the_confirmation(crowd, people, signed_in):
    client = signed_in(people.animator)
    propose(client)
    crowd[0].is_active = False
    crowd[0].save(update_fields=["is_active"])
    response = client.post("/cercles/former/confirmer/", {"name": "Cercle", "starts_on": "2026-10-01"}, follow=True)
    assert "ne sont plus actives" in response.content.decode()
    assert not Circle.objects.exists()
    assert not Event.objects.filter(verb="circle.formed").exists()


def test_without_a_proposal_the_review_pages_lead_back_to_the_form(people, signed_in):
    client = signed_in(people.animator)
    for url in ("/cercles/former/proposition/", "/cercles/former/confirmer/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == "/cercles/former/"


def test_pairs_of_previous_circles_are_read_from_memberships(crowd, people):
    circle(people.animator, crowd[:3])
    members = services.population(people.animator)
    pairs = services.previous_pairs(members)
    assert pairs == {frozenset(p) for p in itertools.combinations([m.pk for m in crowd[:3]], 2)}


def test_the_proposal_is_paginated_and_runs_a_bounded_number_of_queries(
    crowd, people, signed_in, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("apprenance.community.views.PROPOSAL_PAGE_SIZE", 2)
    client = signed_in(people.animator)
    propose(client)
    with django_assert_max_num_queries(10):
        page = client.get("/cercles/former/proposition/").content.decode()
    assert "Cercle 2</h2>" in page
    assert "Cercle 3</h2>" not in page
    assert "Page 1 sur 3" in page
    proposal = proposal_of(client)
    response = client.post(
        "/cercles/former/proposition/?page=3", {"first": proposal.circles[4][0], "second": proposal.circles[0][0]}
    )
    assert response["Location"] == "/cercles/former/proposition/?page=3"
    assert "Cercle 5</h2>" in client.get(response["Location"]).content.decode()
