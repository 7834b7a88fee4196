"""Live sessions in the HTTP API: the same visibility, rules and services as the pages."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply

from apprenance.community import sessions
from apprenance.community.access import can_manage_session, get_session_for
from apprenance.community.models import LiveSession, Registration, RegistrationStatus
from apprenance.community.views import session_error_message

router = Router(tags=["temps synchrones"])


class SessionFilters(Schema):
    when: str = "upcoming"
    page: int = 1


class SessionItem(Schema):
    id: int
    uid: str
    title: str
    status: str
    starts_at: str
    ends_at: str
    time_zone: str
    online: bool
    location: str
    organisation: str | None
    coach: str | None
    capacity: int
    seats_left: int
    waiting: int
    my_registration: str | None
    url: str
    ics_url: str


class SessionPage(Schema):
    count: int
    page: int
    pages: int
    items: list[SessionItem]


class SessionDetail(SessionItem):
    description: str
    online_url: str | None
    sequence: int


class RegistrationOut(Schema):
    session: int
    status: str
    position: int | None


class Error(Schema):
    detail: str
    code: str = ""


def _item(session: LiveSession) -> dict:
    return {
        "id": session.pk,
        "uid": str(session.uid),
        "title": session.title,
        "status": session.status,
        "starts_at": session.starts_at.astimezone(session.zone).isoformat(),
        "ends_at": session.ends_at.astimezone(session.zone).isoformat(),
        "time_zone": session.time_zone,
        "online": session.is_online,
        "location": "" if session.is_online else session.location,
        "organisation": session.organisation.slug if session.organisation_id else None,
        "coach": session.coach.full_name if session.coach_id else None,
        "capacity": session.capacity,
        "seats_left": max(session.capacity - session.confirmed_count, 0),
        "waiting": session.waiting_count,
        "my_registration": session.my_status,
        "url": settings.SITE_URL + session.get_absolute_url(),
        "ics_url": settings.SITE_URL + session.get_absolute_url() + "agenda.ics",
    }


def _sessions(member):
    return (
        LiveSession.objects.visible_to(member)
        .with_seats()
        .with_registration_of(member)
        .select_related("coach", "organisation")
    )


def _detail(member, pk: int) -> dict:
    session = _sessions(member).get(pk=pk)
    # The link to join is for those with a seat, the coach and the session's managers, as on the page.
    seated = (
        session.my_status == RegistrationStatus.CONFIRMED
        or session.coach_id == member.pk
        or can_manage_session(member, session)
    )
    return {
        **_item(session),
        "description": session.description,
        "online_url": session.online_url if session.is_online and seated else None,
        "sequence": session.sequence,
    }


def _visible(request, pk: int) -> LiveSession | None:
    try:
        return get_session_for(request.auth, pk)
    except Http404:
        return None


def _not_found():
    return Reply(404, {"detail": _("Ce temps synchrone n’existe pas ou ne vous est pas ouvert."), "code": "not_found"})


@router.get("/sessions/", response={200: SessionPage, 422: Error})
def session_list(request, filters: Query[SessionFilters]):
    if filters.when not in ("upcoming", "past"):
        return Reply(422, {"detail": _("« when » vaut « upcoming » ou « past »."), "code": "when"})
    queryset = _sessions(request.auth)
    queryset = queryset.past() if filters.when == "past" else queryset.upcoming()
    page = Paginator(queryset, settings.PAGE_SIZE).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [_item(session) for session in page.object_list],
    }


@router.get("/sessions/{session_id}", response={200: SessionDetail, 404: Error})
def session_detail(request, session_id: int):
    if _visible(request, session_id) is None:
        return _not_found()
    return _detail(request.auth, session_id)


@router.post("/sessions/{session_id}/registrations", response={201: RegistrationOut, 404: Error, 409: Error})
def session_register(request, session_id: int):
    session = _visible(request, session_id)
    if session is None:
        return _not_found()
    try:
        registration = sessions.register(request.auth, session)
    except sessions.SessionError as error:
        return Reply(409, {"detail": session_error_message(error.code), "code": error.code})
    return Reply(201, _registration(registration))


@router.delete("/sessions/{session_id}/registrations/me", response={200: RegistrationOut, 404: Error, 409: Error})
def session_unregister(request, session_id: int):
    session = _visible(request, session_id)
    if session is None:
        return _not_found()
    try:
        registration = sessions.cancel_registration(request.auth, session)
    except sessions.SessionError as error:
        status = 404 if error.code == "not_registered" else 409
        return Reply(status, {"detail": session_error_message(error.code), "code": error.code})
    return _registration(registration)


def _registration(registration: Registration) -> dict:
    return {"session": registration.session_id, "status": registration.status, "position": registration.position}
