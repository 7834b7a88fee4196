"""Practices in the HTTP API: the same search, visibility rules, forms and services as the pages."""

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply

from apprenance.core.generations import current
from apprenance.core.highlight import plain_text
from apprenance.people.models import PEOPLE_GENERATION
from apprenance.people.views import organisation_options
from apprenance.practices import listing, services
from apprenance.practices.access import can_edit
from apprenance.practices.forms import PracticeFilterForm, PracticeForm
from apprenance.practices.models import Practice, Status

router = Router(tags=["pratiques"])


class PracticeFilters(Schema):
    q: str = ""
    organisation: str = ""
    team: int | None = None
    tag: str = ""
    skill: str = ""
    kind: str = ""
    sort: str = ""
    page: int = 1


class PracticeItem(Schema):
    id: int
    title: str
    kind: str
    team: str | None
    organisation: str
    adoptions: int
    url: str
    snippet: str


class PracticePage(Schema):
    count: int
    page: int
    pages: int
    items: list[PracticeItem]


class PracticeDetail(PracticeItem):
    status: str
    visibility: str
    stage: str
    author: str
    context: str
    what_we_did: str
    results: str
    difficulties: str
    victories: str
    tags: list[str]
    skills: list[str]
    created_at: str
    published_at: str | None


class PracticeIn(Schema):
    title: str | None = None
    kind: str | None = None
    context: str | None = None
    what_we_did: str | None = None
    results: str | None = None
    difficulties: str | None = None
    victories: str | None = None
    team: int | None = None
    visibility: str | None = None
    tags: list[str] | None = None
    skills: list[str] | None = None
    publish: bool = True


class FormErrors(Schema):
    detail: str
    errors: dict[str, list[str]]


class Error(Schema):
    detail: str


def _item(practice: Practice, snippet: str | None = None) -> dict:
    return {
        "id": practice.pk,
        "title": practice.title,
        "kind": practice.kind,
        "team": practice.team.name if practice.team_id else None,
        "organisation": practice.organisation.slug,
        "adoptions": practice.adoption_count,
        "url": settings.SITE_URL + practice.get_absolute_url(),
        "snippet": snippet if snippet is not None else plain_text(practice.context)[:240],
    }


def _detail(practice: Practice) -> dict:
    return {
        **_item(practice),
        "status": practice.status,
        "visibility": practice.visibility,
        "stage": practice.stage,
        "author": practice.author.email,
        "context": practice.context,
        "what_we_did": practice.what_we_did,
        "results": practice.results,
        "difficulties": practice.difficulties,
        "victories": practice.victories,
        "tags": [tag.name for tag in practice.tags.all()],
        "skills": [skill.name for skill in practice.skills.all()],
        "created_at": practice.created_at.isoformat(),
        "published_at": practice.published_at.isoformat() if practice.published_at else None,
    }


def _visible(request, practice_id: int) -> Practice:
    queryset = Practice.objects.visible_to(request.auth).select_related("author", "organisation", "team")
    return get_object_or_404(queryset, pk=practice_id)


def _form_errors(form) -> tuple[int, dict]:
    errors = {field: [str(message) for message in messages] for field, messages in form.errors.items()}
    return Reply(422, {"detail": _("Certains champs ne sont pas valides."), "errors": errors})


def _form_data(payload: PracticeIn, practice: Practice | None) -> QueryDict:
    """The payload as the page's form would post it; fields left out keep their current value."""
    current = {}
    if practice is not None:
        current = {name: getattr(practice, name) for name in PracticeForm.Meta.fields if name != "team"}
        current["team"] = practice.team_id
        current["tags"] = [tag.name for tag in practice.tags.all()]
        current["skills"] = [skill.name for skill in practice.skills.all()]
    given = payload.dict(exclude_unset=True)
    values = {**current, **{key: value for key, value in given.items() if key != "publish"}}
    data = QueryDict(mutable=True)
    for key, value in values.items():
        if key in ("tags", "skills"):
            data[key] = ", ".join(value or [])
        elif value is not None:
            data[key] = str(value)
    return data


@router.get("/practices/", response={200: PracticePage, 422: FormErrors})
def practice_list(request, filters: Query[PracticeFilters]):
    params = QueryDict(mutable=True)
    for key, value in filters.dict().items():
        if value not in ("", None) and key != "page":
            params[key] = str(value)
    form = PracticeFilterForm(params or None, organisation_options=organisation_options(current(PEOPLE_GENERATION)))
    if params and not form.is_valid():
        return _form_errors(form)  # the pages drop a bad filter and say so; a client is told which
    results = listing.find(request.auth, form, filters.page, settings.PRACTICES_PAGE_SIZE)
    page = results.page
    items = [_item(p, plain_text(str(getattr(p, "snippet", ""))) if results.query else None) for p in page]
    return {"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages, "items": items}


@router.get("/practices/{practice_id}", response={200: PracticeDetail, 404: Error})
def practice_detail(request, practice_id: int):
    return _detail(_visible(request, practice_id))


@router.post("/practices/", response={201: PracticeDetail, 403: Error, 422: FormErrors})
def practice_create(request, payload: PracticeIn):
    if request.auth.organisation_id is None:
        return Reply(403, {"detail": _("Seuls les membres d’une organisation partagent des pratiques.")})
    form = PracticeForm(_form_data(payload, None), author=request.auth)
    if not form.is_valid():
        return _form_errors(form)
    practice = services.create_practice(request.auth, form.practice_data(), publish=payload.publish)
    return Reply(201, _detail(_visible(request, practice.pk)))


@router.patch("/practices/{practice_id}", response={200: PracticeDetail, 403: Error, 404: Error, 422: FormErrors})
def practice_update(request, practice_id: int, payload: PracticeIn):
    practice = _visible(request, practice_id)
    if not can_edit(request.auth, practice):
        return Reply(403, {"detail": _("Seuls l’auteur et les administrateurs de son organisation la modifient.")})
    form = PracticeForm(_form_data(payload, practice), instance=practice, author=practice.author)
    if not form.is_valid():
        return _form_errors(form)
    publish = "publish" in payload.dict(exclude_unset=True) and payload.publish and practice.status == Status.DRAFT
    services.update_practice(request.auth, practice, form.practice_data(), publish=publish)
    return _detail(_visible(request, practice_id))
