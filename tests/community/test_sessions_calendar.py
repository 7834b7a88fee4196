"""Live sessions as iCalendar, parsed back with the icalendar library."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.conf import settings
from django.utils import timezone

from apprenance.community import sessions
from apprenance.community.models import LiveSession
from tests.community.factories import live_session

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def parse(response) -> icalendar.Calendar:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def around(people, change: date) -> tuple[LiveSession, LiveSession]:
    """Two sessions at 09:00 in Paris: the day before a change to winter time (summer time, UTC+2) and
    on the day itself, whose morning is already in winter time (UTC+1)."""
    before = live_session(
        people.animator,
        title="Avant le changement d’heure",
        starts_at=datetime.combine(change - timedelta(days=1), time(9), tzinfo=PARIS),
        place_name="Maison des associations",
        address="12 rue des Tanneurs\n38200 Vienne",
    )
    after = live_session(
        people.animator,
        title="Après le changement d’heure",
        starts_at=datetime.combine(change, time(9), tzinfo=PARIS),
        description="Un temps **entre pairs**.",
    )
    return before, after


def next_change_to_winter_time() -> date:
    """The last Sunday of October still to come, so that people can register."""
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        last_day = date(year, 10, 31)
        change = last_day - timedelta(days=(last_day.weekday() + 1) % 7)
        if change > today + timedelta(days=1):
            return change
    raise AssertionError("a change to winter time comes every year")


@pytest.fixture
def around_dst(people):
    """Around the change of 25 October 2026 (over by now: the per-session files have no time window)."""
    return around(people, date(2026, 10, 25))


@pytest.fixture
def upcoming_dst(people):
    """Around the next change to winter time, in the future."""
    return around(people, next_change_to_winter_time())


def test_a_session_file_carries_every_rfc_5545_property(around_dst, people, signed_in):
    before, after = around_dst
    calendar = parse(signed_in(people.owner).get(f"/temps-synchrones/{after.pk}/agenda.ics"))
    assert str(calendar["version"]) == "2.0"
    assert "Apprenance" in str(calendar["prodid"])
    assert str(calendar["method"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"{after.uid}@apprenance"
    assert event["dtstamp"].dt.tzinfo is not None
    assert event["dtstart"].params["TZID"] == "Europe/Paris"
    assert event["dtstart"].dt == datetime(2026, 10, 25, 8, tzinfo=UTC)
    assert event["dtend"].dt == datetime(2026, 10, 25, 10, tzinfo=UTC)
    assert event["dtstart"].dt.utcoffset() == timedelta(hours=1)
    assert int(event["sequence"]) == 0
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["summary"]) == "Après le changement d’heure"
    assert "Un temps **entre pairs**." in str(event["description"])
    assert str(event["location"]) == "https://visio.example.org/manager-boost"
    assert str(event["url"]) == f"{settings.SITE_URL}/temps-synchrones/{after.pk}/"
    assert "mailto:" in str(event["organizer"])
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/Paris"
    offsets = {
        str(part["tzname"]): part["tzoffsetto"].td for part in zone.walk() if part.name in ("STANDARD", "DAYLIGHT")
    }
    assert offsets == {"CET": timedelta(hours=1), "CEST": timedelta(hours=2)}

    place = events(parse(signed_in(people.owner).get(f"/temps-synchrones/{before.pk}/agenda.ics")))
    event = place["Avant le changement d’heure"]
    assert event["dtstart"].dt == datetime(2026, 10, 24, 7, tzinfo=UTC)
    assert event["dtstart"].dt.utcoffset() == timedelta(hours=2)
    assert str(event["location"]) == "Maison des associations, 12 rue des Tanneurs, 38200 Vienne"


def test_a_session_planned_in_another_zone_keeps_its_zone(people, signed_in):
    martinique = live_session(
        people.animator, starts_at=datetime(2026, 12, 10, 18, tzinfo=ZoneInfo("America/Martinique"))
    )
    LiveSession.objects.filter(pk=martinique.pk).update(time_zone="America/Martinique")
    calendar = parse(signed_in(people.owner).get(f"/temps-synchrones/{martinique.pk}/agenda.ics"))
    (event,) = calendar.walk("VEVENT")
    assert event["dtstart"].params["TZID"] == "America/Martinique"
    assert event["dtstart"].dt == datetime(2026, 12, 10, 22, tzinfo=UTC)
    assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["America/Martinique"]


def test_a_cancelled_session_carries_the_cancellation_and_a_higher_sequence(upcoming_dst, people, signed_in):
    _, after = upcoming_dst
    sessions.register(people.owner, after)
    client = signed_in(people.owner)
    first = next(iter(parse(client.get(f"/temps-synchrones/{after.pk}/agenda.ics")).walk("VEVENT")))
    sessions.cancel_session(people.animator, after)
    calendar = parse(client.get(f"/temps-synchrones/{after.pk}/agenda.ics"))
    assert str(calendar["method"]) == "CANCEL"
    (cancelled,) = calendar.walk("VEVENT")
    assert str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["uid"]) == str(first["uid"])
    assert int(cancelled["sequence"]) > int(first["sequence"])
    feed_url = client.get("/temps-synchrones/mon-agenda/").context["feed_url"]
    feed = events(parse(client.get(feed_url.removeprefix(settings.SITE_URL))))
    assert str(feed["Après le changement d’heure"]["status"]) == "CANCELLED"
    assert int(feed["Après le changement d’heure"]["sequence"]) == 1


def test_the_personal_feed_holds_my_seats_the_sessions_i_coach_and_cancels_those_i_left(
    upcoming_dst, people, signed_in, client
):
    before, after = upcoming_dst
    waiting = live_session(people.colleague, title="Complet", capacity=1)
    sessions.register(people.admin, waiting)
    sessions.register(people.owner, waiting)  # on the waiting list: not in the calendar
    sessions.register(people.owner, after)
    sessions.register(people.owner, before)
    sessions.cancel_registration(people.owner, before)
    page = signed_in(people.owner).get("/temps-synchrones/mon-agenda/")
    url = page.context["feed_url"]
    assert url in page.content.decode()
    client.logout()  # calendar apps poll without signing in
    calendar = parse(client.get(url.removeprefix(settings.SITE_URL)))
    assert str(calendar["method"]) == "PUBLISH"
    mine = events(calendar)
    assert set(mine) == {"Après le changement d’heure", "Avant le changement d’heure"}
    # The session I left reads as cancelled for me, newer than the copy my calendar took.
    assert (str(mine["Avant le changement d’heure"]["status"]), mine["Avant le changement d’heure"]["sequence"]) == (
        "CANCELLED",
        before.sequence + 1,
    )
    assert str(mine["Après le changement d’heure"]["status"]) == "CONFIRMED"
    assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    coach_url = signed_in(people.animator).get("/temps-synchrones/mon-agenda/").context["feed_url"]
    coach_feed = events(parse(client.get(coach_url.removeprefix(settings.SITE_URL))))
    assert set(coach_feed) == {"Avant le changement d’heure", "Après le changement d’heure"}
    offsets = {title: event["dtstart"].dt.utcoffset() for title, event in coach_feed.items()}
    assert offsets == {
        "Avant le changement d’heure": timedelta(hours=2),
        "Après le changement d’heure": timedelta(hours=1),
    }


def test_a_wrong_or_old_token_gets_a_404(people, signed_in, client):
    sessions.register(people.owner, live_session(people.animator))
    url = (
        signed_in(people.owner).get("/temps-synchrones/mon-agenda/").context["feed_url"].removeprefix(settings.SITE_URL)
    )
    signed_in(people.owner).post("/temps-synchrones/mon-agenda/")
    new_url = signed_in(people.owner).get("/temps-synchrones/mon-agenda/").context["feed_url"]
    assert new_url.removeprefix(settings.SITE_URL) != url
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get(new_url.removeprefix(settings.SITE_URL)).status_code == 200
    token = new_url.rsplit("/", 1)[1].removesuffix(".ics")
    assert client.get(f"/agenda/{people.owner.pk}/{token[:-1]}x.ics").status_code == 404
    assert client.get(f"/agenda/{people.colleague.pk}/{token}.ics").status_code == 404


def test_an_organisation_session_leaves_the_feed_of_someone_who_left_the_organisation(people, signed_in, client):
    local = live_session(people.animator, organisation=people.organisation, title="Entre nous")
    sessions.register(people.colleague, local)
    url = signed_in(people.colleague).get("/temps-synchrones/mon-agenda/").context["feed_url"]
    assert "Entre nous" in events(parse(client.get(url.removeprefix(settings.SITE_URL))))
    people.colleague.organisation = people.other_organisation
    people.colleague.save(update_fields=["organisation"])
    assert events(parse(client.get(url.removeprefix(settings.SITE_URL)))) == {}
