"""Writes about questions. Each function owns its transaction and its side effects: the activity
log, the notifications, the search indexes and the stored meanings, the experts' solicitations
and profiles."""

import re
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Exists, F, Min, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apprenance.core import search
from apprenance.core.activity import record
from apprenance.core.generations import bump
from apprenance.core.models import Tag
from apprenance.notifications.services import notify
from apprenance.people.models import Member, Organisation
from apprenance.practices import services as practice_services
from apprenance.practices.models import Kind, Practice
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


def route_question(member, question: Question) -> list[Solicitation] | None:
    """Rank and solicit the experts of a question nobody was asked about yet (one imported with the
    network's history, say); None when some were already, so that nobody is solicited twice."""
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.solicitations.exists():
            return None
        solicitations = store_solicitations(question, routing.rank_experts(question))
        record(member, "question.routed", question, experts=len(solicitations))
        transaction.on_commit(lambda: _enqueue_solicitations(question.pk))
    return solicitations


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


def edit_question(member, question: Question, data: dict) -> Question:
    """The asker (or a moderator) rewrites a question; ``data`` is a QuestionForm's cleaned data.

    The experts solicited stay as they were: they were asked about the question as it stood, and
    asking others anew at each correction would flood them.
    """
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        changed = [name for name in ("title", "details", "visibility") if getattr(question, name) != data[name]]
        for name in changed:
            setattr(question, name, data[name])
        old_tags = sorted(question.tags.values_list("name", flat=True))
        old_skills = sorted(question.skills.values_list("name", flat=True))
        tags, skills = Tag.objects.named(data.get("tags", [])), Skill.objects.named(data.get("skills", []))
        question.tags.set(tags)
        question.skills.set(skills)
        if sorted(tag.name for tag in tags) != old_tags:
            changed.append("tags")
        if sorted(skill.name for skill in skills) != old_skills:
            changed.append("skills")
        if not changed:
            return question
        question.updated_at = timezone.now()
        question.save(update_fields=[name for name in changed if name not in ("tags", "skills")] + ["updated_at"])
        finding.refresh_question(question, tags, skills)
        if "title" in changed:  # answers are indexed and understood under their question's title
            for answer in question.answers.all():
                answer.question = question
                finding.refresh_answer(answer)
        if "title" in changed or "visibility" in changed:
            # Experts' profiles read useful answers under their question's title, network ones only.
            profiles.refresh_profiles(set(question.answers.values_list("author_id", flat=True)))
        record(member, "question.edited", question, fields=changed, by_author=member.pk == question.author_id)
        notify(question.author, "moderation.edited", question, actor=member)
        bump(QUESTIONS_GENERATION)
    return question


def edit_answer(member, answer: Answer, body: str) -> Answer:
    """The answerer (or a moderator) rewrites an answer; a practice it became keeps its own text."""
    with transaction.atomic():
        if answer.body == body:
            return answer
        answer.body, answer.updated_at = body, timezone.now()
        answer.save(update_fields=["body", "updated_at"])
        finding.refresh_answer(answer)
        profiles.refresh_profiles([answer.author_id])
        record(
            member, "question.answer_edited", answer.question, answer=answer.pk, by_author=member.pk == answer.author_id
        )
        notify(answer.author, "moderation.edited", answer, actor=member)
        bump(QUESTIONS_GENERATION)
    return answer


def delete_question(member, question: Question) -> None:
    """Delete a question with its answers, their comments and votes, its follows and solicitations.

    The practices its answers became stay: they are their authors' now (see _forget_question).
    """
    with transaction.atomic():
        record(
            member,
            "question.deleted",
            question,
            answers=question.answers.count(),
            by_author=member.pk == question.author_id,
        )
        notify(question.author, "moderation.deleted", question, actor=member, linked=False)
        answerers = Member.objects.filter(pk__in=question.answers.values("author_id")).exclude(pk=question.author_id)
        for answerer in answerers:
            notify(answerer, "question.deleted", question, actor=member, linked=False)
        _forget_question(member, question)
        bump(QUESTIONS_GENERATION)


def delete_answer(member, answer: Answer) -> None:
    """Delete an answer with its comments and votes; its question's counts and state follow.

    A retained answer leaves its question without one. A practice it became stays.
    """
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=answer.question_id)
        record(
            member,
            "question.answer_deleted",
            question,
            answer=answer.pk,
            accepted=answer.is_accepted,
            by_author=member.pk == answer.author_id,
        )
        notify(answer.author, "moderation.deleted", answer, actor=member, linked=False)
        _forget_answers([answer.pk])
        _recount(question.pk)
        bump(QUESTIONS_GENERATION)


def erase_member_data(member) -> dict[str, int]:
    """Forget what a member did about questions, when they ask for their data to be erased (RGPD,
    article 17); returns how many of each were removed.

    What concerns only them goes: their « utile » votes, their comments, the questions they
    follow, their solicitations and « pas pour moi », their availability, the questions nobody
    else answered and the answers nobody built on. What others built on stays for them: a
    question others answered; an answer retained, found useful, commented on by others or turned
    into a practice. Authors are protected (``on_delete=PROTECT``): what stays keeps pointing to
    the account, which the account's erasure anonymises rather than deletes.
    """
    with transaction.atomic():
        votes = AnswerVote.objects.filter(member=member)
        voted = list(votes.values_list("answer_id", flat=True))
        Answer.objects.filter(pk__in=voted).update(useful_count=F("useful_count") - 1)
        erased = {"answer_votes": votes.delete()[0]}
        erased["answer_comments"] = AnswerComment.objects.filter(author=member).delete()[0]
        erased["follows"] = QuestionFollow.objects.filter(member=member).delete()[0]
        erased["solicitations"] = Solicitation.objects.filter(expert=member).delete()[0]
        ExpertSettings.objects.filter(member=member).delete()

        unused = Answer.objects.filter(author=member, is_accepted=False, practice__isnull=True).exclude(
            Exists(AnswerVote.objects.filter(answer=OuterRef("pk")))
        )
        unused = unused.exclude(Exists(AnswerComment.objects.filter(answer=OuterRef("pk"))))
        answers = dict(unused.values_list("pk", "question_id"))
        _forget_answers(list(answers))
        for question_id in set(answers.values()):
            _recount(question_id)
        erased["answers"] = len(answers)

        answered_by_others = Answer.objects.filter(question=OuterRef("pk")).exclude(author=member)
        alone = Question.objects.filter(author=member).exclude(Exists(answered_by_others))
        erased["questions"] = 0
        for question in alone:
            _forget_question(member, question)
            erased["questions"] += 1

        record(member, "question.member_data_erased", member, **erased)
        bump(QUESTIONS_GENERATION)
    return erased


def _forget_question(member, question: Question) -> None:
    """Delete a question and what hangs on it, take it out of the search, and turn the links to it
    in the practices its answers became into plain text (their pages must not lead to a 404)."""
    link = re.compile(r"\[([^\]]*)\]\(" + re.escape(question.get_absolute_url()) + r"\)")
    practices = list(Practice.objects.filter(source_answer__question=question))
    _forget_answers(list(question.answers.values_list("pk", flat=True)))
    pk = question.pk
    question.delete()
    search.index(finding.QUESTION_INDEX, pk, "", "")
    for practice in practices:
        unlinked = link.sub(r"\1", practice.context)
        if unlinked != practice.context:
            practice_services.update_practice(member, practice, {"context": unlinked}, tell_author=False)


def _forget_answers(answer_ids: list[int]) -> None:
    """Delete answers (their votes and comments go with them) and take them out of the search.

    The engine has no removal: an entry with no words matches nothing, and ranking keeps only
    rows that still exist anyway.
    """
    authors = set(Answer.objects.filter(pk__in=answer_ids).values_list("author_id", flat=True))
    Answer.objects.filter(pk__in=answer_ids).delete()
    search.index_many(finding.ANSWER_INDEX, [(pk, "", "") for pk in answer_ids], replace=True)
    profiles.refresh_profiles(authors)  # what routing knows of them no longer holds these answers


def _recount(question_id: int) -> None:
    """A question's answer count, state and first answer time, from the answers it still has."""
    left = Answer.objects.filter(question_id=question_id).aggregate(count=Count("pk"), first=Min("created_at"))
    Question.objects.filter(pk=question_id).update(
        answer_count=left["count"],
        status=Status.ANSWERED if left["count"] else Status.OPEN,
        first_answer_at=left["first"],
    )
