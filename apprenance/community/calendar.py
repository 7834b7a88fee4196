"""Live sessions as iCalendar (RFC 5545), written with the ``icalendar`` library: one file per session
and a personal feed per member that calendar apps poll."""

from datetime import timedelta

import icalendar
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from apprenance.community.models import LiveSession, Registration, RegistrationStatus, SessionStatus

PRODID = "-//Apprenance//Temps synchrones//FR"
# How far back a personal feed goes: older sessions stay in calendars that already have them.
FEED_HISTORY = timedelta(days=180)


def session_calendar(session: LiveSession) -> bytes:
    """The session alone: METHOD:REQUEST while it is planned, METHOD:CANCEL once it is cancelled, so
    that opening the file adds, updates or removes the event."""
    method = "CANCEL" if session.is_cancelled else "REQUEST"
    return _calendar([_event(session)], method, name=session.title)


def member_feed(member) -> bytes:
    """The sessions a member registered for (seat confirmed) or coaches, cancelled ones included so
    that calendars drop them; only sessions the member may still see. A session the member left is
    carried as cancelled too, one SEQUENCE above the session's, so that calendars which copied it
    replace their copy instead of keeping a meeting the member no longer attends."""
    mine = Registration.objects.filter(member=member)
    registered = mine.filter(status=RegistrationStatus.CONFIRMED).values("session_id")
    left = set(mine.filter(status=RegistrationStatus.CANCELLED).values_list("session_id", flat=True))
    sessions = (
        LiveSession.objects.visible_to(member)
        .filter(
            Q(pk__in=registered) | Q(coach_id=member.pk) | Q(pk__in=left), ends_at__gte=timezone.now() - FEED_HISTORY
        )
        .select_related("coach")
        .order_by("starts_at", "pk")
    )
    events = [_event(session, left=session.pk in left and session.coach_id != member.pk) for session in sessions]
    return _calendar(events, "PUBLISH", name="Apprenance — mes temps synchrones")


def _calendar(events: list[icalendar.Event], method: str, *, name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(session: LiveSession, *, left: bool = False) -> icalendar.Event:
    """The session as an event; ``left``: as seen by someone who gave up their seat (cancelled for them)."""
    zone = session.zone
    page = settings.SITE_URL + session.get_absolute_url()
    event = icalendar.Event()
    event.add("uid", f"{session.uid}@apprenance")
    event.add("dtstamp", timezone.now())
    event.add("last-modified", session.updated_at)
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("sequence", session.sequence + left)
    event.add("status", "CANCELLED" if left or session.status == SessionStatus.CANCELLED else "CONFIRMED")
    event.add("summary", session.title)
    # Markdown reads well as it is: calendars show DESCRIPTION as plain text.
    description = session.description.strip()
    if session.is_online:
        description = f"{description}\n\n{session.online_url}".strip()
    event.add("description", f"{description}\n\n{page}".strip())
    if session.is_online:
        event.add("location", session.online_url)
    else:
        event.add("location", session.location)
    # The link back to the session page; RFC 5545 allows one URL per event.
    event.add("url", page, parameters={"value": "URI"})
    if session.coach is not None:
        event.add("organizer", f"mailto:{session.coach.email}", parameters={"cn": session.coach.full_name})
    return event
