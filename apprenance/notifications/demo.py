"""The demo network's notifications: what its members would have been told of its history.

A network imported from a file arrives without notifications (an import records the past, it
does not replay it), so every demo account would open on an empty centre. The demo replays the
main ones instead, dated when each thing happened: nothing is e-mailed, and what is older than
a week reads as already read.
"""

from datetime import timedelta

from django.utils import timezone

from apprenance.notifications.kinds import Frequency
from apprenance.notifications.models import Notification
from apprenance.notifications.services import unsaved_notification
from apprenance.practices.models import Adoption, Comment, Reaction, ToolkitItem
from apprenance.questions.models import Answer, AnswerVote

ALREADY_READ = timedelta(days=7)
# Votes, reactions and toolkit choices carry no date in the network file: they are dated a few
# hours to a few days after what they are about, rather than all at the moment of the import.
IMPORTED_JUST_NOW = timedelta(minutes=30)


def replay_demo_notifications() -> int:
    """Record the notifications the demo's answers, votes, comments, reactions, trials and
    toolkit choices would have sent; returns how many."""
    now = timezone.now()
    lines = []

    def after(about, pk, when):
        if now - when > IMPORTED_JUST_NOW or about is None:
            return when
        return min(now - IMPORTED_JUST_NOW, about + timedelta(hours=2 + (pk * 37) % 70))

    def tell(recipient, kind, target, actor, when, **data):
        if actor is None or recipient.pk == actor.pk:
            return  # nobody is told of their own action
        read_at = when if now - when > ALREADY_READ else None
        lines.append(
            unsaved_notification(
                recipient,
                kind,
                target,
                actor,
                data=data,
                created_at=when,
                read_at=read_at,
                email_frequency=Frequency.OFF,
            )
        )

    for answer in Answer.objects.select_related("author", "question__author"):
        tell(answer.question.author, "question.answered", answer.question, answer.author, answer.created_at)
        if answer.is_accepted:
            tell(answer.author, "question.answer_accepted", answer.question, answer.question.author, answer.created_at)
    for vote in AnswerVote.objects.select_related("member", "answer__author", "answer__question"):
        when = after(vote.answer.created_at, vote.pk, vote.created_at)
        tell(vote.answer.author, "question.answer_useful", vote.answer.question, vote.member, when)
    for comment in Comment.objects.select_related("author", "practice__author"):
        tell(comment.practice.author, "practice.commented", comment.practice, comment.author, comment.created_at)
    for reaction in Reaction.objects.select_related("member", "practice__author"):
        when = after(reaction.practice.published_at, reaction.pk, reaction.created_at)
        tell(reaction.practice.author, f"practice.{reaction.kind}", reaction.practice, reaction.member, when)
    for adoption in Adoption.objects.select_related("member", "practice__author"):
        tell(
            adoption.practice.author,
            "practice.adopted",
            adoption.practice,
            adoption.member,
            adoption.created_at,
            outcome=str(adoption.get_outcome_display()),
        )
    for item in ToolkitItem.objects.select_related("practice__author", "section__toolkit__curator"):
        when = after(item.practice.published_at, item.pk, item.section.toolkit.created_at)
        tell(item.practice.author, "practice.retained", item.practice, item.section.toolkit.curator, when)
    Notification.objects.bulk_create(lines, batch_size=1000)
    return len(lines)
