"""Circles in the HTTP API: the same visibility, rules and services as the pages (community.access,
community.services). Forming circles stays on the pages, where the animator reviews the proposal."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply

from apprenance.community import services
from apprenance.community.access import can_manage_circle
from apprenance.community.forms import PostForm
from apprenance.community.models import Circle, CircleMembership, CirclePost, CircleStatus
from apprenance.core.markdown import render_markdown

router = Router(tags=["cercles"])
THREAD_PAGE_SIZE = 20


class CircleFilters(Schema):
    status: str = ""
    page: int = 1


class PersonOut(Schema):
    id: int
    name: str


class CircleItem(Schema):
    id: int
    name: str
    organisation: str | None
    animator: PersonOut | None
    starts_on: str
    ends_on: str | None
    status: str
    diversity: float
    member_count: int
    url: str


class CirclePage(Schema):
    count: int
    page: int
    pages: int
    items: list[CircleItem]


class CircleDetail(CircleItem):
    purpose: str
    purpose_html: str
    members: list[PersonOut]
    can_write: bool
    can_close: bool


class ReplyOut(Schema):
    id: int
    author: PersonOut
    body: str
    body_html: str
    created_at: str


class PostOut(ReplyOut):
    replies: list[ReplyOut]


class PostPage(Schema):
    count: int
    page: int
    pages: int
    items: list[PostOut]


class PostIn(Schema):
    body: str
    parent: int | None = None


class Error(Schema):
    detail: str
    code: str = ""


def _person(member) -> dict | None:
    return {"id": member.pk, "name": member.full_name} if member is not None else None


def _item(circle: Circle) -> dict:
    return {
        "id": circle.pk,
        "name": circle.name,
        "organisation": circle.organisation.slug if circle.organisation_id else None,
        "animator": _person(circle.animator),
        "starts_on": circle.starts_on.isoformat(),
        "ends_on": circle.ends_on.isoformat() if circle.ends_on else None,
        "status": circle.status,
        "diversity": round(circle.diversity, 3),
        "member_count": circle.member_count,
        "url": settings.SITE_URL + circle.get_absolute_url(),
    }


def _post(post: CirclePost) -> dict:
    return {
        "id": post.pk,
        "author": _person(post.author),
        "body": post.body,
        "body_html": render_markdown(post.body),
        "created_at": post.created_at.isoformat(),
    }


def _circles(member):
    return Circle.objects.visible_to(member).with_member_count().select_related("animator", "organisation")


def _visible(member, pk: int) -> Circle | None:
    return _circles(member).filter(pk=pk).first()


def _not_found():
    return Reply(404, {"detail": _("Ce cercle n’existe pas ou ne vous est pas ouvert."), "code": "not_found"})


@router.get("/circles/", response={200: CirclePage, 422: Error})
def circle_list(request, filters: Query[CircleFilters]):
    """The circles the member may enter (theirs; their organisation's for its animators), newest first."""
    if filters.status and filters.status not in CircleStatus.values:
        return Reply(422, {"detail": _("« status » vaut « active » ou « closed »."), "code": "status"})
    queryset = _circles(request.auth)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    page = Paginator(queryset, settings.PAGE_SIZE).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [_item(circle) for circle in page.object_list],
    }


@router.get("/circles/{circle_id}", response={200: CircleDetail, 404: Error})
def circle_detail(request, circle_id: int):
    circle = _visible(request.auth, circle_id)
    if circle is None:
        return _not_found()
    memberships = CircleMembership.objects.filter(circle=circle).select_related("member").order_by("member__last_name")
    return {
        **_item(circle),
        "purpose": circle.purpose,
        "purpose_html": render_markdown(circle.purpose),
        "members": [_person(m.member) for m in memberships],
        "can_write": circle.status == CircleStatus.ACTIVE,
        "can_close": circle.status == CircleStatus.ACTIVE and can_manage_circle(request.auth, circle),
    }


@router.get("/circles/{circle_id}/posts", response={200: PostPage, 404: Error})
def circle_posts(request, circle_id: int, page: int = 1):
    """The thread, newest first, each message with its replies (oldest first)."""
    circle = _visible(request.auth, circle_id)
    if circle is None:
        return _not_found()
    posts = (
        CirclePost.objects.filter(circle=circle, parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=CirclePost.objects.select_related("author")))
        .order_by("-created_at", "-pk")
    )
    found = Paginator(posts, THREAD_PAGE_SIZE).get_page(page)
    return {
        "count": found.paginator.count,
        "page": found.number,
        "pages": found.paginator.num_pages,
        "items": [{**_post(post), "replies": [_post(reply) for reply in post.replies.all()]} for post in found],
    }


@router.post("/circles/{circle_id}/posts", response={201: ReplyOut, 404: Error, 409: Error, 422: Error})
def circle_write(request, circle_id: int, payload: PostIn):
    """A message in the thread, or a reply to one (``parent``); the circle's people hear of it."""
    circle = _visible(request.auth, circle_id)
    if circle is None:
        return _not_found()
    if circle.status != CircleStatus.ACTIVE:
        return Reply(409, {"detail": _("Ce cercle est terminé : on n’écrit plus dans son fil."), "code": "closed"})
    form = PostForm({"body": payload.body})
    if not form.is_valid():
        return Reply(422, {"detail": " ".join(form.errors["body"]), "code": "body"})
    parent = None
    if payload.parent is not None:
        parent = CirclePost.objects.filter(circle=circle, pk=payload.parent).first()
        if parent is None:
            return Reply(422, {"detail": _("Ce message n’est pas dans le fil du cercle."), "code": "parent"})
    post = services.post_to_circle(request.auth, circle, form.cleaned_data["body"], parent)
    return Reply(201, _post(post))
