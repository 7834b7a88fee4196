"""The live sessions' pages: lists, the session page, planning, registering, who sees what."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from apprenance.community import sessions
from apprenance.community.models import LiveSession, Registration
from apprenance.core.models import Event
from apprenance.notifications.models import Notification
from tests.community.factories import live_session
from tests.people.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def local(people):
    """A session for the first organisation only."""
    return live_session(people.animator, organisation=people.organisation, title="Accueil des habitants", capacity=1)


def plan(**changes) -> dict:
    data = {
        "title": "Manager Boost : déléguer",
        "description": "On apporte **un cas**.",
        "organisation": "",
        "coach_email": "",
        "online_url": "https://visio.example.org/boost",
        "place_name": "",
        "address": "",
        "starts_at": "2027-03-28T09:00",
        "ends_at": "2027-03-28T11:00",
        "time_zone": "Europe/Paris",
        "capacity": "8",
    }
    return {**data, **changes}


def test_an_organisation_session_is_invisible_to_another_organisation(local, people, signed_in):
    for reader in (people.owner, people.colleague, people.admin, people.network_admin):
        client = signed_in(reader)
        assert "Accueil des habitants" in client.get("/temps-synchrones/").content.decode()
        assert client.get(local.get_absolute_url()).status_code == 200
    for outsider in (people.outsider, people.other_admin):
        client = signed_in(outsider)
        assert "Accueil des habitants" not in client.get("/temps-synchrones/").content.decode()
        assert client.get(local.get_absolute_url()).status_code == 404
        assert client.get(f"/temps-synchrones/{local.pk}/agenda.ics").status_code == 404
        assert client.post(f"/temps-synchrones/{local.pk}/inscription/").status_code == 404
        assert client.post(f"/temps-synchrones/{local.pk}/desinscription/").status_code == 404
    assert not Registration.objects.exists()


def test_registering_from_the_page_then_the_waiting_list_then_cancelling(local, people, signed_in):
    client = signed_in(people.owner)
    page = client.get(local.get_absolute_url()).content.decode()
    assert "1 place restante sur 1" in page
    assert "Le lien de connexion est donné aux personnes inscrites." in page
    response = client.post(f"/temps-synchrones/{local.pk}/inscription/", follow=True)
    body = response.content.decode()
    assert "Vous êtes inscrit·e. À bientôt !" in body
    assert "https://visio.example.org/manager-boost" in body
    other = signed_in(people.colleague)
    assert "Rejoindre la liste d’attente" in other.get(local.get_absolute_url()).content.decode()
    waiting = other.post(f"/temps-synchrones/{local.pk}/inscription/", follow=True).content.decode()
    assert "vous êtes n° 1 sur la liste d’attente" in waiting
    client = signed_in(people.owner)
    confirm = client.get(f"/temps-synchrones/{local.pk}/desinscription/").content.decode()
    assert "Votre place ira à la première personne de la liste d’attente." in confirm
    assert Registration.objects.get(member=people.owner).status == "confirmed"  # a GET changes nothing
    client.post(f"/temps-synchrones/{local.pk}/desinscription/")
    assert Registration.objects.get(member=people.colleague).status == "confirmed"
    assert Notification.objects.filter(kind="session.promoted", recipient=people.colleague).exists()


def test_registering_with_htmx_returns_the_registration_block(local, people, signed_in):
    response = signed_in(people.owner).post(f"/temps-synchrones/{local.pk}/inscription/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="inscription"')
    assert "Vous êtes inscrit·e. À bientôt !" in body
    assert "Me désinscrire" in body


def test_registering_twice_explains_and_changes_nothing(local, people, signed_in):
    client = signed_in(people.owner)
    client.post(f"/temps-synchrones/{local.pk}/inscription/")
    again = client.post(f"/temps-synchrones/{local.pk}/inscription/", follow=True).content.decode()
    assert "Vous êtes déjà inscrit·e à ce temps synchrone." in again
    assert Registration.objects.count() == 1
    assert Event.objects.filter(verb="session.registered").count() == 1


def test_an_animator_plans_a_session_and_members_cannot(people, signed_in):
    assert signed_in(people.owner).get("/temps-synchrones/programmer/").status_code == 403
    assert signed_in(people.owner).post("/temps-synchrones/programmer/", plan()).status_code == 403
    client = signed_in(people.animator)
    assert "Programmer un temps synchrone" in client.get("/temps-synchrones/").content.decode()
    response = client.post("/temps-synchrones/programmer/", plan(coach_email=people.colleague.email.upper()))
    session = LiveSession.objects.get()
    assert response.url == session.get_absolute_url()
    assert session.coach == people.colleague
    assert session.created_by == people.animator
    assert session.starts_at == datetime(2027, 3, 28, 7, tzinfo=UTC)  # 09:00 in Paris, summer time that day
    assert session.organisation is None
    assert Event.objects.filter(verb="session.created", object_id=session.pk).exists()
    page = signed_in(people.colleague).get(session.get_absolute_url()).content.decode()
    assert "<strong>un cas</strong>" in page


def test_bad_input_explains_each_problem_and_saves_nothing(people, signed_in):
    client = signed_in(people.animator)
    cases = [
        (plan(title="   "), "Ce champ est obligatoire."),
        (plan(online_url="", address=""), "Indiquez un lien de connexion ou l’adresse du lieu."),
        (plan(address="1 place du Marché"), "un lien de connexion ou un lieu avec son adresse, pas les deux"),
        (plan(time_zone="Europe/Vernay"), "Fuseau horaire inconnu"),
        (plan(time_zone="../../etc/passwd"), "Fuseau horaire inconnu"),
        (plan(ends_at="2027-03-28T08:00"), "La fin doit venir après le début."),
        (plan(starts_at="demain"), "Indiquez une date et une heure"),
        (plan(starts_at="2027-03-28T02:30"), "Cette heure n’existe pas ce jour-là (changement d’heure)."),
        (plan(capacity="0"), "supérieure ou égale à 1"),
        (plan(coach_email="personne@example.org"), "Personne de visible ne répond à cette adresse."),
        (plan(online_url="javascript:alert(1)"), "Saisissez une URL valide."),
        (plan(organisation=str(people.other_organisation.pk)), "Sélectionnez un choix valide."),
    ]
    for data, message in cases:
        response = client.post(
            "/temps-synchrones/programmer/", {**data, "coach_email": data["coach_email"] or people.animator.email}
        )
        assert response.status_code == 200, message
        assert message in response.content.decode(), message
    assert not LiveSession.objects.exists()


def test_a_session_in_a_place_keeps_its_address(people, signed_in):
    client = signed_in(people.animator)
    data = plan(online_url="", place_name="Tiers-lieu La Fabrique", address="3 quai du Rhône\n38200 Vienne")
    client.post(
        "/temps-synchrones/programmer/",
        {**data, "coach_email": people.animator.email, "organisation": people.organisation.pk},
    )
    session = LiveSession.objects.get()
    assert (session.online_url, session.place_name, session.organisation) == (
        "",
        "Tiers-lieu La Fabrique",
        people.organisation,
    )
    page = signed_in(people.owner).get(session.get_absolute_url()).content.decode()
    assert "3 quai du Rhône<br>38200 Vienne" in page


def test_editing_the_time_bumps_the_sequence_and_notifies(local, people, signed_in):
    sessions.register(people.owner, local)
    client = signed_in(people.animator)
    form = client.get(f"/temps-synchrones/{local.pk}/modifier/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["organisation"] = people.organisation.pk
    data["starts_at"] = (local.starts_at + timedelta(days=1)).astimezone(local.zone).strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = (local.ends_at + timedelta(days=1)).astimezone(local.zone).strftime("%Y-%m-%dT%H:%M")
    data = {key: "" if value is None else value for key, value in data.items()}
    response = client.post(f"/temps-synchrones/{local.pk}/modifier/", data)
    assert response.status_code == 302
    local.refresh_from_db()
    assert local.sequence == 1
    assert Notification.objects.filter(kind="session.changed", recipient=people.owner).exists()
    fewer = client.post(f"/temps-synchrones/{local.pk}/modifier/", {**data, "capacity": 0})
    assert "supérieure ou égale à 1" in fewer.content.decode()


def test_only_managers_edit_or_cancel_and_cancelling_asks_first(local, people, signed_in):
    for member in (people.owner, people.outsider, people.other_admin):
        client = signed_in(member)
        assert client.get(f"/temps-synchrones/{local.pk}/modifier/").status_code in (403, 404)
        assert client.post(f"/temps-synchrones/{local.pk}/annuler/").status_code in (403, 404)
    client = signed_in(people.admin)
    page = client.get(f"/temps-synchrones/{local.pk}/annuler/").content.decode()
    assert "Annuler « Accueil des habitants » ?" in page
    local.refresh_from_db()
    assert local.status == "scheduled"
    client.post(f"/temps-synchrones/{local.pk}/annuler/")
    local.refresh_from_db()
    assert (local.status, local.sequence) == ("cancelled", 1)
    assert "Ce temps synchrone est annulé." in signed_in(people.owner).get(local.get_absolute_url()).content.decode()


def test_upcoming_and_past_lists_are_paginated_in_a_bounded_number_of_queries(
    people, signed_in, django_assert_max_num_queries
):
    for number in range(30):
        session = live_session(
            people.animator, title=f"Manager Boost {number}", starts_at=timezone.now() + timedelta(days=number + 1)
        )
        sessions.register(people.owner, session)
        sessions.register(people.colleague, session)
    old = live_session(people.animator, title="Retour d’expérience", starts_at=timezone.now() + timedelta(hours=1))
    LiveSession.objects.filter(pk=old.pk).update(
        starts_at=timezone.now() - timedelta(days=3), ends_at=timezone.now() - timedelta(days=3, hours=-2)
    )
    client = signed_in(people.owner)
    with django_assert_max_num_queries(8):
        page = client.get("/temps-synchrones/")
    body = page.content.decode()
    assert body.count('<li class="card">') == 24
    assert "Manager Boost 0<" in body
    assert "2 inscrit·es sur 10 places" in body
    assert "Vous êtes inscrit·e" in body
    assert "Page 1 sur 2" in body
    assert "Retour d’expérience" not in body
    with django_assert_max_num_queries(8):
        past = client.get("/temps-synchrones/?quand=passes").content.decode()
    assert "Retour d’expérience" in past
    assert "Manager Boost" not in past
    with django_assert_max_num_queries(10):
        mine = client.get("/temps-synchrones/mon-agenda/").content.decode()
    assert mine.count('<li class="card">') == 24


def test_the_session_page_runs_a_bounded_number_of_queries(local, people, signed_in, django_assert_max_num_queries):
    crowd = [MemberFactory(organisation=people.organisation) for _ in range(20)]
    for member in crowd:
        sessions.register(member, local)
    client = signed_in(people.animator)
    with django_assert_max_num_queries(12):
        body = client.get(local.get_absolute_url()).content.decode()
    assert "en attente (n° 19)" in body


def test_the_main_navigation_leads_to_sessions(people, signed_in):
    body = signed_in(people.owner).get("/").content.decode()
    assert 'href="/temps-synchrones/">Temps synchrones</a>' in body
