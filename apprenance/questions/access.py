"""The only code that decides who may read a question, accept its answers or see its experts."""

from django.shortcuts import get_object_or_404

from apprenance.practices.access import can_curate
from apprenance.questions.models import Answer, Question


def get_question_for(request, pk: int) -> Question:
    """A question the member may read (404 otherwise, as if it did not exist)."""
    queryset = Question.objects.visible_to(request.user).select_related("author", "organisation", "team")
    return get_object_or_404(queryset, pk=pk)


def get_answer_for(request, question: Question, pk: int) -> Answer:
    return get_object_or_404(Answer.objects.select_related("author", "question__author"), question=question, pk=pk)


def can_accept(member, question: Question) -> bool:
    """Only the asker retains an answer."""
    return question.author_id == member.pk


def can_see_experts(member, question: Question) -> bool:
    """The asker, and the animators of the question's organisation, see whom the routing suggested."""
    return question.author_id == member.pk or (
        can_curate(member) and (member.is_network_admin or member.organisation_id == question.organisation_id)
    )


def can_turn_into_practice(member, question: Question) -> bool:
    """The asker or an animator of the question's organisation capitalises the accepted answer."""
    return can_see_experts(member, question)


def can_see_measures(member) -> bool:
    return can_curate(member)
