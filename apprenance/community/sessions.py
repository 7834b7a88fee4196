"""Writes about live sessions (« temps synchrones »): planning, registration and its waiting list,
attendance, feedback, reminders. Each function that writes owns its transaction and its side effects
(activity log, notifications); the pages and the API call the same functions."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Avg, Count, Max
from django.utils import timezone

from apprenance.community.models import (
    CalendarToken,
    LiveSession,
    Registration,
    RegistrationStatus,
    SessionFeedback,
    SessionStatus,
)
from apprenance.core import delivery
from apprenance.core.activity import record
from apprenance.notifications.services import notify

# Changing one of these changes the event in people's calendars: SEQUENCE goes up and registrants hear of it.
CALENDAR_FIELDS = ("starts_at", "ends_at", "time_zone", "online_url", "place_name", "address")
SESSION_FIELDS = ("title", "description", "organisation", "coach", "capacity", *CALENDAR_FIELDS)
REMINDER_AHEAD = timedelta(hours=24)


class SessionError(ValueError):
    """A registration, attendance or feedback refused by the session's rules; ``code`` says which
    (the views and the API word it for people)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Results:
    """What attendees thought of a session."""

    count: int
    mean: float | None
    comments: list[SessionFeedback]


def create_session(animator, data: dict) -> LiveSession:
    """Plan a session from a validated form's data (``SESSION_FIELDS``)."""
    with transaction.atomic():
        session = LiveSession.objects.create(created_by=animator, **{name: data[name] for name in SESSION_FIELDS})
        record(animator, "session.created", session)
    return session


def update_session(actor, session: LiveSession, data: dict) -> LiveSession:
    """Change a session; a new time or place bumps its SEQUENCE and every registrant hears of it, and a
    larger capacity takes people off the waiting list."""
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().get(pk=session.pk)
        moved = [name for name in CALENDAR_FIELDS if getattr(session, name) != data[name]]
        for name in SESSION_FIELDS:
            setattr(session, name, data[name])
        if moved:
            session.sequence += 1
        session.updated_at = timezone.now()
        session.save()
        record(actor, "session.updated", session, changed=moved)
        if moved:
            for registration in _registrants(session):
                notify(registration.member, "session.changed", session, actor)
        _fill_seats(session)
    return session


def cancel_session(actor, session: LiveSession) -> LiveSession:
    """Cancel a session: calendars receive STATUS:CANCELLED with a higher SEQUENCE, registrants are told."""
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().get(pk=session.pk)
        if session.is_cancelled:
            return session
        session.status = SessionStatus.CANCELLED
        session.sequence += 1
        session.updated_at = timezone.now()
        session.save(update_fields=["status", "sequence", "updated_at"])
        record(actor, "session.cancelled", session)
        for registration in _registrants(session):
            notify(registration.member, "session.cancelled", session, actor)
    return session


def register(member, session: LiveSession) -> Registration:
    """A seat if one is left, otherwise a place at the end of the waiting list. The session's row is
    locked while seats are counted, so two people never take the last seat together."""
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().get(pk=session.pk)
        if session.is_cancelled:
            raise SessionError("cancelled")
        if session.starts_at <= timezone.now():
            raise SessionError("started")
        if member.pk == session.coach_id:
            raise SessionError("coach")
        registration = Registration.objects.filter(session=session, member=member).first()
        if registration is not None and registration.status != RegistrationStatus.CANCELLED:
            raise SessionError("already")
        taken = Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED).count()
        if taken < session.capacity:
            status, position = RegistrationStatus.CONFIRMED, None
        else:
            last = Registration.objects.filter(session=session, status=RegistrationStatus.WAITING).aggregate(
                last=Max("position")
            )["last"]
            status, position = RegistrationStatus.WAITING, (last or 0) + 1
        if registration is None:
            registration = Registration.objects.create(session=session, member=member, status=status, position=position)
        else:
            registration.status, registration.position, registration.attended = status, position, None
            registration.created_at = timezone.now()
            registration.save(update_fields=["status", "position", "attended", "created_at"])
        record(member, "session.registered", session, waiting=status == RegistrationStatus.WAITING)
    return registration


def cancel_registration(member, session: LiveSession) -> Registration:
    """Give up one's seat (or one's place on the waiting list); the first person waiting takes the seat
    and is told."""
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().get(pk=session.pk)
        registration = (
            Registration.objects.filter(session=session, member=member)
            .exclude(status=RegistrationStatus.CANCELLED)
            .first()
        )
        if registration is None:
            raise SessionError("not_registered")
        if session.is_over:
            raise SessionError("over")
        registration.status, registration.position = RegistrationStatus.CANCELLED, None
        registration.save(update_fields=["status", "position"])
        record(member, "session.unregistered", session)
        _fill_seats(session)
    return registration


def _fill_seats(session: LiveSession) -> list[Registration]:
    """Confirm people from the head of the waiting list while seats are free (inside the caller's lock)."""
    if session.is_cancelled or session.starts_at <= timezone.now():
        return []
    taken = Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED).count()
    free = session.capacity - taken
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.filter(session=session, status=RegistrationStatus.WAITING)
        .select_related("member")
        .order_by("position", "pk")[:free]
    )
    for registration in promoted:
        registration.status, registration.position = RegistrationStatus.CONFIRMED, None
        registration.save(update_fields=["status", "position"])
        record(registration.member, "session.promoted", session)
        notify(registration.member, "session.promoted", session)
    return promoted


def mark_attendance(coach, session: LiveSession, present: set[int]) -> int:
    """The coach says who came: confirmed registrants whose ids are in ``present`` attended, the others
    did not. Returns how many attended."""
    if session.is_cancelled:
        raise SessionError("cancelled")
    if session.starts_at > timezone.now():
        raise SessionError("not_started")
    with transaction.atomic():
        registrations = list(
            Registration.objects.select_for_update().filter(session=session, status=RegistrationStatus.CONFIRMED)
        )
        for registration in registrations:
            attended = registration.member_id in present
            if registration.attended != attended:
                registration.attended = attended
                registration.save(update_fields=["attended"])
                if attended:
                    record(registration.member, "session.attended", session)
        record(coach, "session.attendance_marked", session, present=sorted(present))
    return sum(registration.attended for registration in registrations)


def leave_feedback(member, session: LiveSession, rating: int, comment: str) -> SessionFeedback:
    """An attendee's rating (1 to 5) and comment once the session is over; giving it again replaces it."""
    registration = Registration.objects.filter(session=session, member=member, attended=True).first()
    if registration is None:
        raise SessionError("not_attended")
    if not session.is_over:
        raise SessionError("not_over")
    with transaction.atomic():
        feedback, _ = SessionFeedback.objects.update_or_create(
            registration=registration, defaults={"rating": rating, "comment": comment}
        )
        record(member, "session.feedback", session, rating=rating)
    return feedback


def results(session: LiveSession) -> Results:
    """The mean rating, how many gave one, and the comments, newest first."""
    feedback = SessionFeedback.objects.filter(registration__session=session)
    summary = feedback.aggregate(count=Count("pk"), mean=Avg("rating"))
    comments = list(feedback.exclude(comment="").select_related("registration__member").order_by("-created_at"))
    return Results(count=summary["count"], mean=summary["mean"], comments=comments)


def send_reminders(now: datetime | None = None) -> int:
    """Remind every confirmed registrant of a session starting within the next day. Each reminder is
    claimed under a unique delivery key in the same transaction as its notification, so a retried or
    restarted job reminds nobody twice and a crash before the commit leaves the reminder to the next run."""
    now = now or timezone.now()
    due = (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__gt=now,
            session__starts_at__lte=now + REMINDER_AHEAD,
        )
        .select_related("session", "member")
        .order_by("pk")
    )
    sent = 0
    for registration in due:
        session = registration.session
        key = f"session-reminder:{registration.pk}:{session.starts_at.timestamp():.0f}"
        with transaction.atomic():
            if not delivery.claim(key):
                continue
            starts = session.starts_at.astimezone(session.zone).strftime("%d/%m/%Y %H:%M")
            notify(registration.member, "session.reminder", session, starts=starts)
            delivery.mark_sent(key)
        sent += 1
    return sent


def calendar_token(member) -> CalendarToken:
    """The member's feed secret, made the first time it is asked for."""
    token, _ = CalendarToken.objects.get_or_create(member=member, defaults={"token": CalendarToken.new_token()})
    return token


def regenerate_calendar_token(member) -> CalendarToken:
    """A new feed secret: calendars subscribed with the old URL get nothing more."""
    with transaction.atomic():
        token, _ = CalendarToken.objects.update_or_create(
            member=member, defaults={"token": CalendarToken.new_token(), "created_at": timezone.now()}
        )
        record(member, "calendar.token_regenerated")
    return token


def _registrants(session: LiveSession):
    """Confirmed and waiting registrations, with their members."""
    return (
        Registration.objects.filter(
            session=session, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]
        )
        .select_related("member")
        .order_by("pk")
    )
