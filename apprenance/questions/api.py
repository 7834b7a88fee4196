"""Questions in the HTTP API: the same visibility rules, forms, search and services as the pages."""

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from apprenance.questions import finding, services
from apprenance.questions.access import can_see_experts
from apprenance.questions.forms import AnswerForm, QuestionFilterForm, QuestionForm
from apprenance.questions.models import Answer, Question, Solicitation
from apprenance.questions.routing import reason_text

router = Router(tags=["questions"])

# The API names the question's details "body"; the form, "details".
FIELD_NAMES = {"details": "body"}


class QuestionFilters(Schema):
    q: str = ""
    state: str = ""
    page: int = 1


class QuestionItem(Schema):
    id: int
    title: str
    status: str
    answers: int
    accepted_answer: int | None
    author: str
    organisation: str
    team: str | None
    visibility: str
    url: str
    created_at: str


class QuestionPage(Schema):
    count: int
    page: int
    pages: int
    items: list[QuestionItem]


class QuestionDetail(QuestionItem):
    body: str
    tags: list[str]
    skills: list[str]


class ExpertMember(Schema):
    id: int
    name: str
    email: str
    team: str | None
    organisation: str | None


class Expert(Schema):
    member: ExpertMember
    score: float
    reasons: list[str]


class Experts(Schema):
    items: list[Expert]


class QuestionCreated(QuestionDetail):
    experts: list[Expert]


class QuestionIn(Schema):
    title: str | None = None
    body: str | None = None
    visibility: str | None = None
    tags: list[str] | None = None
    skills: list[str] | None = None


class AnswerOut(Schema):
    id: int
    author: str
    body: str
    useful: int
    accepted: bool
    created_at: str


class AnswerList(Schema):
    items: list[AnswerOut]


class AnswerIn(Schema):
    body: str | None = None


class FormErrors(Schema):
    detail: str
    errors: dict[str, list[str]]


class Error(Schema):
    detail: str


def _item(question: Question) -> dict:
    return {
        "id": question.pk,
        "title": question.title,
        "status": question.status,
        "answers": question.answer_count,
        "accepted_answer": question.accepted_answer_id,
        "author": question.author.email,
        "organisation": question.organisation.slug,
        "team": question.team.name if question.team_id else None,
        "visibility": question.visibility,
        "url": settings.SITE_URL + question.get_absolute_url(),
        "created_at": question.created_at.isoformat(),
    }


def _detail(question: Question) -> dict:
    return {
        **_item(question),
        "body": question.details,
        "tags": [tag.name for tag in question.tags.all()],
        "skills": [skill.name for skill in question.skills.all()],
    }


def _experts(question: Question) -> list[dict]:
    solicitations = (
        Solicitation.objects.filter(question=question)
        .select_related("expert__organisation")
        .prefetch_related("expert__teams")
        .order_by("rank")
    )
    return [
        {
            "member": {
                "id": s.expert.pk,
                "name": s.expert.full_name,
                "email": s.expert.email,
                "team": next((team.name for team in sorted(s.expert.teams.all(), key=lambda t: t.name)), None),
                "organisation": s.expert.organisation.slug if s.expert.organisation_id else None,
            },
            "score": s.score,
            "reasons": [reason_text(reason) for reason in s.reasons],
        }
        for s in solicitations
    ]


def _answer(answer: Answer) -> dict:
    return {
        "id": answer.pk,
        "author": answer.author.email,
        "body": answer.body,
        "useful": answer.useful_count,
        "accepted": answer.is_accepted,
        "created_at": answer.created_at.isoformat(),
    }


def _visible(request, question_id: int) -> Question:
    queryset = Question.objects.visible_to(request.auth).select_related("author", "organisation", "team")
    return get_object_or_404(queryset, pk=question_id)


def _form_errors(form) -> Status:
    errors = {
        FIELD_NAMES.get(field, field): [str(message) for message in messages] for field, messages in form.errors.items()
    }
    return Status(422, {"detail": _("Certains champs ne sont pas valides."), "errors": errors})


@router.get("/questions/", response=QuestionPage)
def question_list(request, filters: Query[QuestionFilters]):
    params = QueryDict(mutable=True)
    for key in ("q", "state"):
        if getattr(filters, key):
            params[key] = getattr(filters, key)
    form = QuestionFilterForm(params or None)
    results = finding.find(request.auth, form, filters.page, settings.PAGE_SIZE)
    page = results.page
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [_item(question) for question in page.object_list],
    }


@router.get("/questions/{question_id}", response={200: QuestionDetail, 404: Error})
def question_detail(request, question_id: int):
    return _detail(_visible(request, question_id))


@router.post("/questions/", response={201: QuestionCreated, 403: Error, 422: FormErrors})
def question_create(request, payload: QuestionIn):
    if request.auth.organisation_id is None:
        return Status(403, {"detail": _("Seuls les membres d’une organisation posent des questions.")})
    given = payload.dict()
    data = QueryDict(mutable=True)
    data.update(
        {
            "title": given["title"] or "",
            "details": given["body"] or "",
            "visibility": given["visibility"] or "network",
            "tags": ", ".join(given["tags"] or []),
            "skills": ", ".join(given["skills"] or []),
        }
    )
    form = QuestionForm(data)
    if not form.is_valid():
        return _form_errors(form)
    question = services.ask_question(request.auth, form.question_data())
    question = _visible(request, question.pk)
    return Status(201, {**_detail(question), "experts": _experts(question)})


@router.get("/questions/{question_id}/experts", response={200: Experts, 403: Error, 404: Error})
def question_experts(request, question_id: int):
    question = _visible(request, question_id)
    if not can_see_experts(request.auth, question):
        denied = _("Seuls l’auteur de la question et les animateurs voient les personnes sollicitées.")
        return Status(403, {"detail": denied})
    return {"items": _experts(question)}


@router.get("/questions/{question_id}/answers", response={200: AnswerList, 404: Error})
def answer_list(request, question_id: int):
    question = _visible(request, question_id)
    answers = question.answers.select_related("author").order_by("-is_accepted", "-useful_count", "created_at", "pk")
    return {"items": [_answer(answer) for answer in answers]}


@router.post("/questions/{question_id}/answers", response={201: AnswerOut, 404: Error, 422: FormErrors})
def answer_create(request, question_id: int, payload: AnswerIn):
    question = _visible(request, question_id)
    form = AnswerForm({"body": payload.body or ""})
    if not form.is_valid():
        return _form_errors(form)
    answer = services.answer_question(request.auth, question, form.cleaned_data["body"])
    return Status(201, _answer(Answer.objects.select_related("author").get(pk=answer.pk)))
