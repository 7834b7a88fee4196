"""Live sessions in the HTTP API: the same visibility, rules and services as the pages."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply

from apprenance.community import challenges, sessions
from apprenance.community.access import (
    can_manage_challenge,
    can_manage_session,
    can_run_challenges,
    get_challenge_for,
    get_session_for,
)
from apprenance.community.challenge_forms import ChallengeForm
from apprenance.community.challenge_views import LEADERBOARD_PAGE_SIZE
from apprenance.community.challenges import CHALLENGE_FIELDS
from apprenance.community.models import ChallengeStatus, LiveSession, Registration, RegistrationStatus, TeamChallenge
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


# Team challenges: the same visibility, form, services and leaderboard as the pages.

CHALLENGE_TAGS = ["défis d’équipes"]


class ChallengeFilters(Schema):
    when: str = "running"
    page: int = 1


class ChallengeItem(Schema):
    id: int
    title: str
    metric: str
    status: str
    starts_on: str
    ends_on: str
    organisation: str | None
    url: str


class ChallengePage(Schema):
    count: int
    page: int
    pages: int
    items: list[ChallengeItem]


class TeamOut(Schema):
    id: int
    name: str
    organisation: str


class StandingOut(Schema):
    rank: int
    tied: bool
    team: TeamOut
    points: int
    actions: int
    contributors: int
    mine: bool


class ChallengeDetail(ChallengeItem):
    description: str
    can_manage: bool
    my_teams: list[StandingOut]


class LeaderboardFilters(Schema):
    page: int = 1


class LeaderboardPage(Schema):
    challenge: int
    count: int
    page: int
    pages: int
    items: list[StandingOut]


class ChallengeIn(Schema):
    """Fields left out keep their value. ``organisation`` is a slug, empty for the whole network;
    ``starts_on`` and ``ends_on`` are dates (YYYY-MM-DD), both days included."""

    title: str | None = None
    description: str | None = None
    metric: str | None = None
    organisation: str | None = None
    starts_on: str | None = None
    ends_on: str | None = None


class FormErrors(Schema):
    detail: str
    errors: dict[str, list[str]]


def _challenge_item(challenge: TeamChallenge) -> dict:
    return {
        "id": challenge.pk,
        "title": challenge.title,
        "metric": challenge.metric,
        "status": challenge.status,
        "starts_on": challenge.starts_on.isoformat(),
        "ends_on": challenge.ends_on.isoformat(),
        "organisation": challenge.organisation.slug if challenge.organisation_id else None,
        "url": settings.SITE_URL + challenge.get_absolute_url(),
    }


def _standing(standing: challenges.Standing, my_team_ids: set[int]) -> dict:
    return {
        "rank": standing.rank,
        "tied": standing.tied,
        "team": {
            "id": standing.team.pk,
            "name": standing.team.name,
            "organisation": standing.team.organisation.slug,
        },
        "points": standing.points,
        "actions": standing.actions,
        "contributors": standing.contributors,
        "mine": standing.team.pk in my_team_ids,
    }


def _challenge_detail(member, challenge: TeamChallenge) -> dict:
    my_team_ids = set(member.teams.values_list("pk", flat=True))
    board = challenges.leaderboard(challenge)
    return {
        **_challenge_item(challenge),
        "description": challenge.description,
        "can_manage": can_manage_challenge(member, challenge),
        "my_teams": [_standing(s, my_team_ids) for s in board.standings if s.team.pk in my_team_ids],
    }


def _visible_challenge(request, pk: int) -> TeamChallenge | None:
    try:
        return get_challenge_for(request.auth, pk)
    except Http404:
        return None


def _challenge_not_found():
    return Reply(404, {"detail": _("Ce défi n’existe pas ou ne vous est pas ouvert."), "code": "not_found"})


def _not_a_manager():
    return Reply(
        403,
        {
            "detail": _(
                "Seuls les animateurs et administrateurs de l’organisation du défi, ou ceux du réseau, le modifient."
            ),
            "code": "forbidden",
        },
    )


def _challenge_form(member, payload: ChallengeIn, challenge: TeamChallenge | None) -> ChallengeForm:
    """The payload as the page's form would post it; fields left out keep their current value. The
    organisation is named by its slug, an empty one meaning the whole network."""
    data = {}
    if challenge is not None:
        data = {name: getattr(challenge, name) for name in CHALLENGE_FIELDS}
        data["organisation"] = challenge.organisation.slug if challenge.organisation_id else ""
    data.update({key: value for key, value in payload.dict(exclude_unset=True).items() if value is not None})
    return ChallengeForm(data, runner=member, challenge=challenge)


def _challenge_form_errors(form) -> tuple[int, dict]:
    errors = {field: [str(message) for message in messages] for field, messages in form.errors.items()}
    return Reply(422, {"detail": _("Certains champs ne sont pas valides."), "errors": errors})


@router.get("/team-challenges/", response={200: ChallengePage, 422: Error}, tags=CHALLENGE_TAGS)
def challenge_list(request, filters: Query[ChallengeFilters]):
    if filters.when not in ChallengeStatus.values:
        return Reply(422, {"detail": _("« when » vaut « running », « upcoming » ou « finished »."), "code": "when"})
    visible = TeamChallenge.objects.visible_to(request.auth).select_related("organisation")
    page = Paginator(visible.in_status(filters.when), settings.PAGE_SIZE).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [_challenge_item(challenge) for challenge in page.object_list],
    }


@router.get("/team-challenges/{challenge_id}", response={200: ChallengeDetail, 404: Error}, tags=CHALLENGE_TAGS)
def challenge_detail(request, challenge_id: int):
    challenge = _visible_challenge(request, challenge_id)
    if challenge is None:
        return _challenge_not_found()
    return _challenge_detail(request.auth, challenge)


@router.get(
    "/team-challenges/{challenge_id}/leaderboard", response={200: LeaderboardPage, 404: Error}, tags=CHALLENGE_TAGS
)
def challenge_leaderboard(request, challenge_id: int, filters: Query[LeaderboardFilters]):
    challenge = _visible_challenge(request, challenge_id)
    if challenge is None:
        return _challenge_not_found()
    my_team_ids = set(request.auth.teams.values_list("pk", flat=True))
    board = challenges.leaderboard(challenge)
    page = Paginator(board.standings, LEADERBOARD_PAGE_SIZE).get_page(filters.page)
    return {
        "challenge": challenge.pk,
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [_standing(standing, my_team_ids) for standing in page.object_list],
    }


@router.post("/team-challenges/", response={201: ChallengeDetail, 403: Error, 422: FormErrors}, tags=CHALLENGE_TAGS)
def challenge_create(request, payload: ChallengeIn):
    if not can_run_challenges(request.auth):
        return Reply(
            403,
            {"detail": _("Seuls les animateurs et les administrateurs ouvrent des défis."), "code": "forbidden"},
        )
    form = _challenge_form(request.auth, payload, None)
    if not form.is_valid():
        return _challenge_form_errors(form)
    challenge = challenges.create_challenge(request.auth, form.challenge_data())
    return Reply(201, _challenge_detail(request.auth, get_challenge_for(request.auth, challenge.pk)))


@router.patch(
    "/team-challenges/{challenge_id}",
    response={200: ChallengeDetail, 403: Error, 404: Error, 422: FormErrors},
    tags=CHALLENGE_TAGS,
)
def challenge_update(request, challenge_id: int, payload: ChallengeIn):
    challenge = _visible_challenge(request, challenge_id)
    if challenge is None:
        return _challenge_not_found()
    if not can_manage_challenge(request.auth, challenge):
        return _not_a_manager()
    form = _challenge_form(request.auth, payload, challenge)
    if not form.is_valid():
        return _challenge_form_errors(form)
    challenges.update_challenge(request.auth, challenge, form.challenge_data())
    return _challenge_detail(request.auth, get_challenge_for(request.auth, challenge_id))


@router.delete("/team-challenges/{challenge_id}", response={204: None, 403: Error, 404: Error}, tags=CHALLENGE_TAGS)
def challenge_delete(request, challenge_id: int):
    challenge = _visible_challenge(request, challenge_id)
    if challenge is None:
        return _challenge_not_found()
    if not can_manage_challenge(request.auth, challenge):
        return _not_a_manager()
    challenges.delete_challenge(request.auth, challenge)
    return Reply(204, None)
