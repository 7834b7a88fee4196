"""The HTTP API under /api/v1/. It reads through the same QuerySet methods as the pages."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Schema

from apprenance.api.auth import SessionAuth, TokenAuth
from apprenance.api.schemas import (
    ErrorOut,
    MemberDetailOut,
    MemberPage,
    OrganisationDetailOut,
    OrganisationOut,
)
from apprenance.community.api import router as community_router
from apprenance.community.campaigns_api import router as campaigns_router
from apprenance.community.circles_api import router as circles_router
from apprenance.people.models import Member, Organisation
from apprenance.practices.api import router as practices_router
from apprenance.questions.api import router as questions_router

api = NinjaAPI(
    title="Apprenance API",
    version="1",
    description=(
        "Organisations, équipes, membres et pratiques du réseau. Authentification : session ou jeton « Bearer »."
    ),
    # A token first: a request bearing one is an integration's, even if it also sends a cookie.
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)
api.add_router("", practices_router)
api.add_router("", questions_router)
api.add_router("", community_router)
api.add_router("", campaigns_router)
api.add_router("", circles_router)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _organisation(organisation: Organisation) -> dict:
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "world": organisation.world,
        "kind": organisation.kind,
        "territory": organisation.territory,
        "url": _absolute(organisation.get_absolute_url()),
        "description": organisation.description,
        "teams": [{"id": t.pk, "name": t.name, "parent_id": t.parent_id} for t in organisation.teams.all()],
    }


def _member(member: Member, detail: bool = False) -> dict:
    card = {
        "id": member.pk,
        "name": member.full_name,
        "first_name": member.first_name,
        "last_name": member.last_name,
        "email": member.email,
        "job_title": member.job_title,
        "organisation": member.organisation.slug,
        "teams": [team.name for team in member.teams.all()],
        "role": member.role,
        "url": _absolute(member.get_absolute_url()),
    }
    if detail:
        card.update(bio=member.bio, languages=member.languages)
    return card


class MemberFilters(Schema):
    q: str = ""
    organisation: str = ""
    team: int | None = None
    page: int = 1


@api.get("/me", response=MemberDetailOut, tags=["membres"])
def me(request):
    return _member(Member.objects.select_related("organisation").get(pk=request.auth.pk), detail=True)


@api.get("/organisations", response=list[OrganisationOut], tags=["organisations"])
def organisations(request):
    return [_organisation(o) for o in Organisation.objects.prefetch_related("teams").order_by("name")]


@api.get("/organisations/{slug}", response={200: OrganisationDetailOut, 404: ErrorOut}, tags=["organisations"])
def organisation(request, slug: str):
    return _organisation(get_object_or_404(Organisation.objects.prefetch_related("teams"), slug=slug))


@api.get("/members", response=MemberPage, tags=["membres"])
def members(request, filters: Query[MemberFilters]):
    queryset = Member.objects.active().filter(organisation__isnull=False).visible_to(request.auth)
    if filters.q:
        queryset = queryset.search(filters.q)
    if filters.organisation:
        queryset = queryset.filter(organisation__slug=filters.organisation)
    if filters.team:
        queryset = queryset.filter(memberships__team_id=filters.team)
    paginator = Paginator(queryset.for_directory(), settings.PAGE_SIZE)
    page = paginator.get_page(filters.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "items": [_member(m) for m in page.object_list],
    }


@api.get("/members/{member_id}", response={200: MemberDetailOut, 404: ErrorOut}, tags=["membres"])
def member(request, member_id: int):
    queryset = Member.objects.active().visible_to(request.auth).filter(organisation__isnull=False)
    return _member(get_object_or_404(queryset.select_related("organisation"), pk=member_id), detail=True)
