"""The community sections of the network file: circles and live sessions, all-or-nothing,
idempotent, exported back as is."""

import copy
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from apprenance.community import campaigns
from apprenance.community.models import (
    Campaign,
    Circle,
    CirclePost,
    LiveSession,
    Prompt,
    PromptAnswer,
    PromptRecipient,
    Registration,
    RegistrationStatus,
    SessionFeedback,
)
from apprenance.notifications.models import Notification
from apprenance.people.models import Member
from apprenance.people.network import NetworkFileError, export_network, import_network

pytestmark = pytest.mark.django_db

UID = "0b7c4a52-2f0e-4f44-9d61-8a3f0f1a6c11"
NETWORK = {
    "format": "apprenance-network",
    "version": 1,
    "organisations": [
        {"slug": "mairie", "name": "Mairie", "world": "public_action", "teams": [{"name": "Accueil"}]},
        {"slug": "banque", "name": "Banque", "world": "economy", "teams": [{"name": "Agence"}]},
    ],
    "members": [
        {"email": "ana@mairie.example", "first_name": "Ana", "last_name": "A", "organisation": "mairie"},
        {"email": "bo@banque.example", "first_name": "Bo", "last_name": "B", "organisation": "banque"},
        {"email": "cy@banque.example", "first_name": "Cy", "last_name": "C", "organisation": "banque"},
        {"email": "di@mairie.example", "first_name": "Di", "last_name": "D", "organisation": "mairie"},
        {"email": "eva@mairie.example", "first_name": "Eva", "last_name": "E", "organisation": "mairie"},
    ],
    "circles": [
        {
            "name": "Cercle des nouveaux managers",
            "purpose": "Partager nos premiers mois de management.",
            "organisation": None,
            "animator": "eva@mairie.example",
            "starts_on": "2026-09-01",
            "ends_on": "2026-12-15",
            "status": "active",
            "members": ["ana@mairie.example", "bo@banque.example", "cy@banque.example", "di@mairie.example"],
            "posts": [
                {
                    "author": "ana@mairie.example",
                    "body": "Comment avez-vous mené votre premier entretien annuel ?",
                    "created_at": "2026-09-03T09:00:00+02:00",
                    "replies": [
                        {
                            "author": "bo@banque.example",
                            "body": "Avec une grille envoyée une semaine avant.",
                            "created_at": "2026-09-03T11:00:00+02:00",
                        }
                    ],
                }
            ],
        }
    ],
    "live_sessions": [
        {
            "uid": UID,
            "title": "Manager Boost : donner du feedback",
            "description": "Une heure et demie entre managers.",
            "organisation": None,
            "coach": "eva@mairie.example",
            "online_url": "https://visio.example.org/boost",
            "starts_at": "2026-10-06T12:30:00+02:00",
            "ends_at": "2026-10-06T14:00:00+02:00",
            "time_zone": "Europe/Paris",
            "capacity": 2,
            "registrations": [
                {"member": "ana@mairie.example", "attended": True, "feedback": {"rating": 5, "comment": "Concret."}},
                {"member": "bo@banque.example", "attended": False},
                {"member": "cy@banque.example", "status": "waiting"},
            ],
        },
        {
            "title": "Atelier accueil des saisonniers",
            "organisation": "mairie",
            "coach": "di@mairie.example",
            "place_name": "Salle du conseil",
            "address": "1 place de la Mairie\n41000 Blois",
            "starts_at": "2026-11-10T09:00:00+01:00",
            "ends_at": "2026-11-10T11:00:00+01:00",
            "capacity": 10,
            "status": "cancelled",
        },
    ],
}


def test_import_creates_circles_and_sessions_and_a_second_import_changes_nothing():
    import_network(copy.deepcopy(NETWORK))
    circle = Circle.objects.get()
    assert sorted(circle.memberships.values_list("member__email", flat=True)) == sorted(
        NETWORK["circles"][0]["members"]
    )
    assert circle.animator.email == "eva@mairie.example"
    assert 0 < circle.diversity <= 1  # measured against the population, as when circles are formed
    reply = CirclePost.objects.get(parent__isnull=False)
    assert (reply.author.email, reply.parent.author.email) == ("bo@banque.example", "ana@mairie.example")
    session = LiveSession.objects.get(uid=UID)
    statuses = dict(session.registrations.values_list("member__email", "status"))
    assert statuses == {
        "ana@mairie.example": RegistrationStatus.CONFIRMED,
        "bo@banque.example": RegistrationStatus.CONFIRMED,
        "cy@banque.example": RegistrationStatus.WAITING,
    }
    assert Registration.objects.get(member__email="cy@banque.example").position == 1
    assert SessionFeedback.objects.get().rating == 5
    assert LiveSession.objects.get(organisation__slug="mairie").is_cancelled
    report = import_network(copy.deepcopy(NETWORK))
    assert not report.changed
    assert (Circle.objects.count(), CirclePost.objects.count(), Registration.objects.count()) == (1, 2, 3)


def test_the_export_imports_back_unchanged():
    import_network(copy.deepcopy(NETWORK))
    exported = export_network()
    assert [s["status"] for s in exported["live_sessions"]] == ["scheduled", "cancelled"]
    assert exported["circles"][0]["posts"][0]["replies"][0]["author"] == "bo@banque.example"
    assert not import_network(copy.deepcopy(exported)).changed
    assert export_network() == exported


def test_a_moved_session_tells_calendars_it_is_newer(client):
    import_network(copy.deepcopy(NETWORK))
    data = copy.deepcopy(NETWORK)
    data["live_sessions"][0].update(starts_at="2026-10-06T13:00:00+02:00")
    assert import_network(data).updated["live_sessions"] == 1
    session = LiveSession.objects.get(uid=UID)
    assert session.sequence == 1
    client.force_login(Member.objects.get(email="ana@mairie.example"))
    event = icalendar.Calendar.from_ical(client.get(reverse("community:session_ics", args=[session.pk])).content).walk(
        "VEVENT"
    )[0]
    assert (str(event["UID"]).startswith(UID), int(event["SEQUENCE"])) == (True, 1)


def test_members_left_out_of_a_circle_stay_in_it():
    import_network(copy.deepcopy(NETWORK))
    data = copy.deepcopy(NETWORK)
    data["circles"][0]["members"] = ["ana@mairie.example"]
    import_network(data)
    assert Circle.objects.get().memberships.count() == 4


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["circles"][0].update(organisation="nulle-part"), "circles[0].organisation: no organisation"),
        (lambda d: d["circles"][0].update(starts_on="1er septembre"), "circles[0].starts_on: must be a date"),
        (lambda d: d["circles"][0].update(ends_on="2026-08-01"), "circles[0].ends_on: must not be before"),
        (lambda d: d["circles"][0]["members"].append("nobody@example.org"), "circles[0].members[4]: no member"),
        (lambda d: d["circles"][0]["members"].append("ana@mairie.example"), "circles[0].members[4]: 'ana@"),
        (lambda d: d["circles"][0].update(status="ouvert"), "circles[0].status: must be one of"),
        (
            lambda d: d["circles"][0]["posts"][0]["replies"][0].update(author="nobody@example.org"),
            "circles[0].posts[0].replies[0].author: no member",
        ),
        (lambda d: d["circles"].append(copy.deepcopy(d["circles"][0])), "circles[1]: the same circle"),
        (lambda d: d["live_sessions"][0].update(uid="pas-un-uuid"), "live_sessions[0].uid: must be a UUID"),
        (lambda d: d["live_sessions"][0].update(address="Quelque part"), "live_sessions[0]: give either"),
        (lambda d: d["live_sessions"][0].update(online_url="ftp://x"), "live_sessions[0].online_url: must be"),
        (lambda d: d["live_sessions"][0].update(ends_at="2026-10-06T12:00:00+02:00"), "live_sessions[0].ends_at"),
        (lambda d: d["live_sessions"][0].update(starts_at="2026-10-06T12:30"), "live_sessions[0].starts_at"),
        (lambda d: d["live_sessions"][0].update(time_zone="Paris"), "live_sessions[0].time_zone: must be an IANA"),
        (lambda d: d["live_sessions"][0].update(capacity=0), "live_sessions[0].capacity: must be a whole"),
        (lambda d: d["live_sessions"][0].update(capacity=1), "live_sessions[0].registrations: 2 confirmed"),
        (
            lambda d: d["live_sessions"][0]["registrations"][0].update(member="eva@mairie.example"),
            "live_sessions[0].registrations[0].member: the coach",
        ),
        (
            lambda d: d["live_sessions"][0]["registrations"][0]["feedback"].update(rating=6),
            "live_sessions[0].registrations[0].feedback.rating",
        ),
        (lambda d: d.update(live_sessions={}), "live_sessions: must be a list"),
    ],
)
def test_a_bad_record_is_reported_with_its_path_and_nothing_is_written(change, message):
    data = copy.deepcopy(NETWORK)
    change(data)
    with pytest.raises(NetworkFileError) as raised:
        import_network(data)
    assert any(problem.startswith(message) for problem in raised.value.problems), raised.value.problems
    assert not Member.objects.exists()
    assert not Circle.objects.exists()
    assert not LiveSession.objects.exists()


def test_only_the_circles_people_write_in_its_thread():
    data = copy.deepcopy(NETWORK)
    data["members"].append(
        {"email": "zoe@banque.example", "first_name": "Zoé", "last_name": "Z", "organisation": "banque"}
    )
    data["circles"][0]["posts"][0]["author"] = "zoe@banque.example"
    with pytest.raises(NetworkFileError) as raised:
        import_network(data)
    assert "circles[0].posts[0].author: only the circle's members and its animator write in its thread" in (
        raised.value.problems
    )


CAMPAIGN = {
    "name": "Le feedback au quotidien",
    "description": "Quatre semaines pour faire du feedback un réflexe.",
    "organisation": None,
    "animator": "eva@mairie.example",
    "audience": "circles",
    "circles": ["Cercle des nouveaux managers"],
    "weekday": 0,
    "send_time": "09:00",
    "time_zone": "Europe/Paris",
    "starts_on": "2026-11-02",
    "reminder_days": 2,
    "status": "running",
    "prompts": [
        {
            "position": 1,
            "theme": "Le dernier feedback qui vous a aidé",
            "question": "Racontez-le en quelques lignes.",
            "sent_at": "2026-11-02T09:00:00+01:00",
            "recipients": ["ana@mairie.example", "bo@banque.example"],
            "answers": [
                {
                    "author": "ana@mairie.example",
                    "body": "Un collègue m’a montré mon tic de langage.",
                    "created_at": "2026-11-02T10:00:00+01:00",
                }
            ],
        },
        {"position": 3, "theme": "Dire ce qui va bien", "question": "Qu’avez-vous salué cette semaine ?"},
    ],
}


def with_campaign(**changes):
    data = copy.deepcopy(NETWORK)
    data["campaigns"] = [{**copy.deepcopy(CAMPAIGN), **changes}]
    return data


def test_a_campaign_imports_as_history_and_its_next_prompts_take_the_next_slots(mailoutbox):
    import_network(with_campaign())
    campaign = Campaign.objects.get()
    assert [c.name for c in campaign.circles.all()] == ["Cercle des nouveaux managers"]
    sent, waiting = campaign.prompts.order_by("position")
    assert (sent.position, waiting.position) == (1, 3)
    assert sent.delivered_at == sent.sent_at == datetime(2026, 11, 2, 8, tzinfo=UTC)
    assert sorted(sent.recipients.values_list("member__email", flat=True)) == [
        "ana@mairie.example",
        "bo@banque.example",
    ]
    assert sent.remind_at is None or sent.remind_at < timezone.now()
    assert waiting.sent_at is None
    assert waiting.send_at > timezone.now()  # the next Monday 09:00 in Paris
    assert waiting.send_at.astimezone(ZoneInfo("Europe/Paris")).strftime("%A %H:%M") == "Monday 09:00"
    # The job sends no history again, and nobody was notified by the import.
    assert campaigns.send_due_prompts() == 0
    assert campaigns.send_due_reminders(now=datetime(2026, 11, 4, 8, 30, tzinfo=UTC)) == 0
    assert not Notification.objects.exists()
    assert not import_network(with_campaign()).changed
    assert (Prompt.objects.count(), PromptRecipient.objects.count(), PromptAnswer.objects.count()) == (2, 2, 1)


def test_an_exported_campaign_imports_back_unchanged():
    import_network(with_campaign())
    exported = export_network()
    assert exported["campaigns"][0]["prompts"][1]["position"] == 3
    assert not import_network(copy.deepcopy(exported)).changed
    assert export_network() == exported


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"audience": "partout"}, "campaigns[0].audience: must be one of"),
        ({"audience": "network", "organisation": "mairie"}, "campaigns[0].organisation: a campaign for the whole"),
        ({"audience": "teams", "organisation": "mairie", "teams": []}, "campaigns[0].teams: name at least one"),
        ({"audience": "teams", "organisation": "mairie", "teams": ["Compta"]}, "campaigns[0].teams[0]: no team"),
        ({"circles": ["Cercle inconnu"]}, "campaigns[0].circles[0]: no circle named"),
        ({"weekday": 7}, "campaigns[0].weekday: must be 0"),
        ({"send_time": "9 h"}, "campaigns[0].send_time: must be a time"),
        ({"time_zone": "Paris"}, "campaigns[0].time_zone: must be an IANA"),
        ({"reminder_days": 9}, "campaigns[0].reminder_days: must be 0"),
        ({"starts_on": None}, "campaigns[0].starts_on: is required"),
    ],
)
def test_a_bad_campaign_is_reported_with_its_path_and_nothing_is_written(changes, message):
    with pytest.raises(NetworkFileError) as raised:
        import_network(with_campaign(**changes))
    assert any(problem.startswith(message) for problem in raised.value.problems), raised.value.problems
    assert not Campaign.objects.exists()
    assert not Circle.objects.exists()


def test_a_bad_prompt_is_reported_with_its_path():
    data = with_campaign()
    prompts = data["campaigns"][0]["prompts"]
    prompts[1].update(position=1, recipients=["ana@mairie.example"], resource_url="ftp://x")
    prompts[0]["answers"][0]["author"] = "nobody@example.org"
    with pytest.raises(NetworkFileError) as raised:
        import_network(data)
    problems = raised.value.problems
    assert "campaigns[0].prompts[1].position: 1 is given twice in the campaign" in problems
    assert "campaigns[0].prompts[1].recipients: only a prompt already sent (sent_at) has recipients" in problems
    assert "campaigns[0].prompts[1].resource_url: must be an http(s) address" in problems
    assert any(p.startswith("campaigns[0].prompts[0].answers[0].author: no member") for p in problems)
    assert not Campaign.objects.exists()
