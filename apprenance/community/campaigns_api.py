"""Campaigns, their prompts and answers in the HTTP API: the same visibility, forms and services as the pages."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply

from apprenance.community import campaigns
from apprenance.community.access import can_answer, can_manage_campaign, get_campaign_for, get_prompt_for
from apprenance.community.campaigns_views import campaign_error_message
from apprenance.community.forms import AnswerForm
from apprenance.community.models import Campaign, CampaignStatus, Prompt, PromptAnswer

router = Router(tags=["campagnes"])


class PageFilter(Schema):
    page: int = 1


class CampaignItem(Schema):
    id: int
    name: str
    status: str
    audience: str
    organisation: str | None
    animator: str | None
    weekday: int
    send_time: str
    time_zone: str
    starts_on: str
    reminder_days: int
    prompts_sent: int
    next_send_at: str | None
    url: str


class CampaignPage(Schema):
    count: int
    page: int
    pages: int
    items: list[CampaignItem]


class CampaignDetail(CampaignItem):
    description: str
    teams: list[str]
    circles: list[str]


class PromptItem(Schema):
    id: int
    campaign: int
    position: int
    theme: str
    send_at: str | None
    sent_at: str | None
    answers: int
    answered_by_me: bool
    url: str


class PromptPage(Schema):
    count: int
    page: int
    pages: int
    items: list[PromptItem]


class PromptDetail(PromptItem):
    question: str
    resource_url: str | None


class AnswerOut(Schema):
    id: int
    prompt: int
    author: str
    body: str
    created_at: str


class AnswerPage(Schema):
    count: int
    page: int
    pages: int
    items: list[AnswerOut]


class AnswerIn(Schema):
    body: str | None = None


class ParticipationItem(Schema):
    prompt: int
    theme: str
    sent_at: str
    recipients: int
    answered: int
    share: float | None
    reminded: int
    answers: int


class ParticipationPage(Schema):
    count: int
    page: int
    pages: int
    items: list[ParticipationItem]


class Error(Schema):
    detail: str
    code: str = ""


class FormErrors(Schema):
    detail: str
    errors: dict[str, list[str]]


def _local(campaign: Campaign, moment) -> str | None:
    return moment.astimezone(campaign.zone).isoformat() if moment else None


def _campaign(campaign: Campaign) -> dict:
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "status": campaign.status,
        "audience": campaign.audience,
        "organisation": campaign.organisation.slug if campaign.organisation_id else None,
        "animator": campaign.animator.full_name if campaign.animator_id else None,
        "weekday": campaign.weekday,
        "send_time": campaign.send_time.strftime("%H:%M"),
        "time_zone": campaign.time_zone,
        "starts_on": campaign.starts_on.isoformat(),
        "reminder_days": campaign.reminder_days,
        "prompts_sent": campaign.sent_count,
        "next_send_at": _local(campaign, campaign.next_send_at) if campaign.status == CampaignStatus.RUNNING else None,
        "url": settings.SITE_URL + campaign.get_absolute_url(),
    }


def _prompt(campaign: Campaign, prompt: Prompt) -> dict:
    return {
        "id": prompt.pk,
        "campaign": campaign.pk,
        "position": prompt.position,
        "theme": prompt.theme,
        "send_at": _local(campaign, prompt.send_at),
        "sent_at": _local(campaign, prompt.sent_at),
        "answers": prompt.answer_count,
        "answered_by_me": prompt.answered_by_me,
        "url": settings.SITE_URL + prompt.get_absolute_url(),
    }


def _answer(answer: PromptAnswer) -> dict:
    return {
        "id": answer.pk,
        "prompt": answer.prompt_id,
        "author": answer.author.full_name or answer.author.email,
        "body": answer.body,
        "created_at": answer.created_at.isoformat(),
    }


def _paged(queryset, number: int, item) -> dict:
    page = Paginator(queryset, settings.PAGE_SIZE).get_page(number)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [item(row) for row in page.object_list],
    }


def _campaigns(member):
    return Campaign.objects.visible_to(member).with_progress().select_related("animator", "organisation")


def _visible_campaign(request, campaign_id: int) -> Campaign | None:
    try:
        return get_campaign_for(request.auth, campaign_id)
    except Http404:
        return None


def _visible_prompt(request, campaign_id: int, prompt_id: int) -> Prompt | None:
    """The prompt, with its campaign, if the member may see both; the API answers 404 otherwise."""
    campaign = _visible_campaign(request, campaign_id)
    if campaign is None:
        return None
    try:
        return get_prompt_for(request.auth, campaign, prompt_id)
    except Http404:
        return None


def _not_found():
    detail = _("Cette campagne ou ce thème n’existe pas ou ne vous est pas ouvert.")
    return Reply(404, {"detail": detail, "code": "not_found"})


def _prompts(member, campaign: Campaign):
    prompts = Prompt.objects.filter(campaign=campaign).with_participation().with_answer_of(member)
    return prompts if can_manage_campaign(member, campaign) else prompts.sent()


@router.get("/campaigns/", response=CampaignPage)
def campaign_list(request, filters: Query[PageFilter]):
    return _paged(_campaigns(request.auth), filters.page, _campaign)


@router.get("/campaigns/{campaign_id}", response={200: CampaignDetail, 404: Error})
def campaign_detail(request, campaign_id: int):
    campaign = _visible_campaign(request, campaign_id)
    if campaign is None:
        return _not_found()
    campaign = _campaigns(request.auth).get(pk=campaign_id)
    return {
        **_campaign(campaign),
        "description": campaign.description,
        "teams": [team.name for team in campaign.teams.order_by("name")],
        "circles": [circle.name for circle in campaign.circles.order_by("name")],
    }


@router.get("/campaigns/{campaign_id}/prompts", response={200: PromptPage, 404: Error})
def prompt_list(request, campaign_id: int, filters: Query[PageFilter]):
    campaign = _visible_campaign(request, campaign_id)
    if campaign is None:
        return _not_found()
    prompts = _prompts(request.auth, campaign).order_by("position", "pk")
    return _paged(prompts, filters.page, lambda prompt: _prompt(campaign, prompt))


@router.get("/campaigns/{campaign_id}/prompts/{prompt_id}", response={200: PromptDetail, 404: Error})
def prompt_detail(request, campaign_id: int, prompt_id: int):
    prompt = _visible_prompt(request, campaign_id, prompt_id)
    if prompt is None:
        return _not_found()
    campaign = prompt.campaign
    prompt = _prompts(request.auth, campaign).get(pk=prompt.pk)
    return {**_prompt(campaign, prompt), "question": prompt.question, "resource_url": prompt.resource_url or None}


@router.get("/campaigns/{campaign_id}/prompts/{prompt_id}/answers", response={200: AnswerPage, 404: Error})
def answer_list(request, campaign_id: int, prompt_id: int, filters: Query[PageFilter]):
    prompt = _visible_prompt(request, campaign_id, prompt_id)
    if prompt is None:
        return _not_found()
    answers = PromptAnswer.objects.filter(prompt=prompt).select_related("author").order_by("-created_at", "-pk")
    return _paged(answers, filters.page, _answer)


@router.post(
    "/campaigns/{campaign_id}/prompts/{prompt_id}/answers",
    response={201: AnswerOut, 403: Error, 404: Error, 409: Error, 422: FormErrors},
)
def answer_create(request, campaign_id: int, prompt_id: int, payload: AnswerIn):
    prompt = _visible_prompt(request, campaign_id, prompt_id)
    if prompt is None:
        return _not_found()
    campaign = prompt.campaign
    if not can_answer(request.auth, campaign):
        code = "finished" if campaign.is_finished else "not_audience"
        return Reply(403, {"detail": campaign_error_message(code), "code": code})
    form = AnswerForm({"body": payload.body or ""})
    if not form.is_valid():
        errors = {field: [str(message) for message in messages] for field, messages in form.errors.items()}
        return Reply(422, {"detail": _("Certains champs ne sont pas valides."), "errors": errors})
    try:
        answer = campaigns.answer_prompt(request.auth, prompt, form.cleaned_data["body"])
    except campaigns.CampaignError as error:
        return Reply(409, {"detail": campaign_error_message(error.code), "code": error.code})
    return Reply(201, _answer(PromptAnswer.objects.select_related("author").get(pk=answer.pk)))


@router.get("/campaigns/{campaign_id}/participation", response={200: ParticipationPage, 403: Error, 404: Error})
def participation(request, campaign_id: int, filters: Query[PageFilter]):
    campaign = _visible_campaign(request, campaign_id)
    if campaign is None:
        return _not_found()
    if not can_manage_campaign(request.auth, campaign):
        denied = _(
            "Seuls l’animateur·rice de la campagne et les responsables de son organisation voient la participation."
        )
        return Reply(403, {"detail": denied, "code": "forbidden"})
    prompts = Prompt.objects.filter(campaign=campaign).sent().with_participation().order_by("position", "pk")
    page = Paginator(prompts, settings.PAGE_SIZE)
    current = page.get_page(filters.page)
    return {
        "count": page.count,
        "page": current.number,
        "pages": page.num_pages,
        "items": [
            {
                "prompt": row.prompt.pk,
                "theme": row.prompt.theme,
                "sent_at": _local(campaign, row.prompt.sent_at),
                "recipients": row.recipients,
                "answered": row.answered,
                "share": row.share,
                "reminded": row.reminded,
                "answers": row.answers,
            }
            for row in campaigns.participation(current.object_list)
        ],
    }
