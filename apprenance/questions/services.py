"""Writes about questions. Each function owns its transaction and its side effects: the activity
log, the notifications, the search indexes and the stored meanings, the experts' solicitations
and profiles."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apprenance.core.activity import record
from apprenance.core.generations import bump
from apprenance.core.models import Tag
from apprenance.notifications.services import notify
from apprenance.people.models import Organisation
from apprenance.practices import services as practice_services
from apprenance.practices.models import Kind
from apprenance.questions import finding, profiles, routing
from apprenance.questions.models import (
    QUESTIONS_GENERATION,
    Answer,
    AnswerComment,
    AnswerVote,
    ExpertSettings,
    Question,
    QuestionFollow,
    Solicitation,
    Status,
)
from apprenance.skills.models import Skill


class NotAllowedError(Exception):
    """The write is not allowed in the question's current state; ``reason`` says why, in French."""


def ask_question(author, data: dict) -> Question:
    """Publish a question, rank the experts for it, and solicit the best available ones.

    ``data`` is a QuestionForm's cleaned data (title, details, visibility, tags, skills).
    """
    now = timezone.now()
    with transaction.atomic():
        question = Question.objects.create(
            author=author,
            organisation_id=author.organisation_id,
            team=author.teams.order_by("name").first(),
            title=data["title"],
            details=data.get("details", ""),
            visibility=data["visibility"],
            created_at=now,
            updated_at=now,
        )
        tags, skills = Tag.objects.named(data.get("tags", [])), Skill.objects.named(data.get("skills", []))
        question.tags.set(tags)
        question.skills.set(skills)
        finding.refresh_question(question, tags, skills)
        QuestionFollow.objects.create(question=question, member=author)
        record(author, "question.asked", question, team=question.team)
        store_solicitations(question, routing.rank_experts(question))
        bump(QUESTIONS_GENERATION)
        transaction.on_commit(lambda: _enqueue_solicitations(question.pk))
    return question


def _enqueue_solicitations(question_id: int) -> None:
    from apprenance.questions.tasks import solicit_experts

    solicit_experts.enqueue(question_id=question_id)


def store_solicitations(question: Question, suggestions: list[routing.Suggestion]) -> list[Solicitation]:
    """Keep the ranking as it was computed: the asker sees it, the notifications follow it."""
    return Solicitation.objects.bulk_create(
        Solicitation(question=question, expert=s.member, rank=rank, score=s.score, reasons=s.reasons)
        for rank, s in enumerate(suggestions, start=1)
    )


def week_start(now: datetime) -> datetime:
    """Monday 00:00 of this week, in the platform's time zone."""
    local = timezone.localtime(now)
    return (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)


def notify_experts(question_id: int) -> list[int]:
    """Notify the top k available experts of the ranking; return the ids of those notified now.

    k is the asking organisation's ``experts_per_question``. Experts already notified their
    organisation's ``solicitations_per_week`` times this week are skipped, and the next of the
    ranking is asked instead. Each solicitation is claimed (``notified_at``) in the transaction
    that records its notification, so a retried or concurrent run notifies nobody twice.
    """
    notified = []
    with transaction.atomic():
        question = (
            Question.objects.select_for_update().select_related("author", "organisation").filter(pk=question_id).first()
        )
        if question is None:  # deleted before the task ran
            return notified
        wanted = question.organisation.experts_per_question
        already = question.solicitations.filter(notified_at__isnull=False).count()
        since = week_start(timezone.now())
        pending = (
            question.solicitations.filter(notified_at__isnull=True, declined_at__isnull=True)
            .select_related("expert__organisation", "expert__expert_settings")
            .order_by("rank")
        )
        caps: dict[int, int] = {}
        for solicitation in pending:
            if already + len(notified) >= wanted:
                break
            expert = solicitation.expert
            if not expert.is_active or _paused(expert):
                continue
            organisation = expert.organisation or Organisation(solicitations_per_week=0)
            cap = caps.setdefault(organisation.pk or 0, organisation.solicitations_per_week)
            this_week = Solicitation.objects.filter(expert=expert, notified_at__gte=since).count()
            if this_week >= cap:
                continue
            if Solicitation.objects.filter(pk=solicitation.pk, notified_at__isnull=True).update(
                notified_at=timezone.now()
            ):
                notify(expert, "question.solicited", question, question.author)
                record(None, "question.expert_solicited", question, expert=expert.pk, rank=solicitation.rank)
                notified.append(expert.pk)
    return notified


def _paused(member) -> bool:
    try:
        return member.expert_settings.paused
    except ExpertSettings.DoesNotExist:
        return False


def set_paused(member, paused: bool) -> None:
    """A member stops (or resumes) being solicited for questions."""
    with transaction.atomic():
        ExpertSettings.objects.update_or_create(
            member=member, defaults={"paused": paused, "updated_at": timezone.now()}
        )
        record(member, "question.solicitations_paused" if paused else "question.solicitations_resumed", member)


def decline(member, question: Question) -> bool:
    """« Pas pour moi » : the member was solicited and passes; later rankings remember it."""
    with transaction.atomic():
        declined = Solicitation.objects.filter(question=question, expert=member, declined_at__isnull=True).update(
            declined_at=timezone.now()
        )
        if declined:
            record(member, "question.declined", question)
    return bool(declined)


def answer_question(author, question: Question, body: str) -> Answer:
    """An answer; the question's followers hear of it, and the answerer follows the question."""
    now = timezone.now()
    with transaction.atomic():
        answer = Answer.objects.create(question=question, author=author, body=body, created_at=now, updated_at=now)
        answer.question = question
        finding.refresh_answer(answer)
        Question.objects.filter(pk=question.pk).update(
            answer_count=F("answer_count") + 1, status=Status.ANSWERED, updated_at=now
        )
        Question.objects.filter(pk=question.pk, first_answer_at__isnull=True).update(first_answer_at=now)
        QuestionFollow.objects.get_or_create(question=question, member=author)
        record(author, "question.answered", question, team=_team_of(author), answer=answer.pk)
        for follow in QuestionFollow.objects.filter(question=question).exclude(member=author).select_related("member"):
            notify(follow.member, "question.answered", question, author)
        bump(QUESTIONS_GENERATION)
    return answer


def toggle_vote(member, answer: Answer) -> bool:
    """Add the member's « utile » to an answer or take it back; returns whether it is now on."""
    if answer.author_id == member.pk:
        raise NotAllowedError("own answer")
    with transaction.atomic():
        deleted, _kept = AnswerVote.objects.filter(answer=answer, member=member).delete()
        if deleted:
            Answer.objects.filter(pk=answer.pk).update(useful_count=F("useful_count") - 1)
            profiles.refresh_profiles([answer.author_id])
            bump(QUESTIONS_GENERATION)
            return False
        AnswerVote.objects.create(answer=answer, member=member)
        Answer.objects.filter(pk=answer.pk).update(useful_count=F("useful_count") + 1)
        profiles.refresh_profiles([answer.author_id])
        record(member, "question.answer_voted", answer.question, team=_team_of(member), answer=answer.pk)
        notify(answer.author, "question.answer_useful", answer.question, member)
        bump(QUESTIONS_GENERATION)
    return True


def accept_answer(member, answer: Answer) -> None:
    """The asker retains an answer (another one replaces it); its author hears of it."""
    question = answer.question
    with transaction.atomic():
        replaced = Answer.objects.filter(question=question, is_accepted=True).exclude(pk=answer.pk)
        authors = {answer.author_id, *replaced.values_list("author_id", flat=True)}
        replaced.update(is_accepted=False)
        Answer.objects.filter(pk=answer.pk).update(is_accepted=True)
        profiles.refresh_profiles(authors)
        Question.objects.filter(pk=question.pk).update(accepted_answer=answer, updated_at=timezone.now())
        record(member, "question.answer_accepted", question, answer=answer.pk, answerer=answer.author_id)
        notify(answer.author, "question.answer_accepted", question, member)
        bump(QUESTIONS_GENERATION)


def comment_answer(author, answer: Answer, body: str) -> AnswerComment:
    with transaction.atomic():
        comment = AnswerComment.objects.create(answer=answer, author=author, body=body)
        record(author, "question.answer_commented", answer.question, answer=answer.pk)
        notify(answer.author, "question.answer_commented", answer.question, author)
    return comment


def toggle_follow(member, question: Question) -> bool:
    with transaction.atomic():
        deleted, _kept = QuestionFollow.objects.filter(question=question, member=member).delete()
        if deleted:
            return False
        QuestionFollow.objects.create(question=question, member=member)
    return True


def turn_into_practice(member, answer: Answer):
    """Capitalise: the accepted answer becomes a practice, with the question as its context.

    The answerer is the practice's author; the practice links back to the question.
    """
    question = answer.question
    if not answer.is_accepted:
        raise NotAllowedError("not accepted")
    if answer.practice_id is not None:
        raise NotAllowedError("already a practice")
    author = answer.author
    link = reverse("questions:detail", args=[question.pk])
    context = _("Issue de la question « [%(title)s](%(link)s) » posée par %(asker)s.") % {
        "title": question.title,
        "link": link,
        "asker": question.author.full_name,
    }
    if question.details:
        context += f"\n\n{question.details}"
    with transaction.atomic():
        practice = practice_services.create_practice(
            author,
            {
                "title": question.title,
                "kind": Kind.PRACTICE,
                "context": context,
                "what_we_did": answer.body,
                "results": "",
                "difficulties": "",
                "victories": "",
                "team": author.teams.order_by("name").first(),
                "visibility": question.visibility,
                "tags": list(question.tags.values_list("name", flat=True)),
                "skills": list(question.skills.values_list("name", flat=True)),
            },
            publish=True,
        )
        Answer.objects.filter(pk=answer.pk).update(practice=practice)
        record(member, "question.answer_capitalised", question, answer=answer.pk, practice=practice.pk)
        notify(author, "question.answer_capitalised", practice, member)
        bump(QUESTIONS_GENERATION)
    return practice


def _team_of(member):
    """The member's first team, for the activity log's cross-team measures."""
    return member.teams.order_by("name").first()
