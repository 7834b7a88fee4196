"""The only code that decides who may read, change or delete a question or an answer, accept
answers or see the experts."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from apprenance.practices.access import can_curate
from apprenance.questions.models import Answer, Question


def get_question_for(request, pk: int, write: bool = False) -> Question:
    """A question the member may read (404 otherwise, as if it did not exist), or change (403)."""
    queryset = Question.objects.visible_to(request.user).select_related("author", "organisation", "team")
    question = get_object_or_404(queryset, pk=pk)
    if write and not can_change_question(request.user, question):
        raise PermissionDenied
    return question


def get_answer_for(request, question: Question, pk: int, write: bool = False) -> Answer:
    """An answer to a question the member may read (404 otherwise), or change (403)."""
    queryset = Answer.objects.select_related("author", "question__author", "practice")
    answer = get_object_or_404(queryset, question=question, pk=pk)
    if write and not can_change_answer(request.user, answer):
        raise PermissionDenied
    return answer


def moderates(member, organisation_id: int | None) -> bool:
    """Animators and admins look after what is written in their organisation; network admins, everywhere."""
    return can_curate(member) and (member.is_network_admin or member.organisation_id == organisation_id)


def can_change_question(member, question: Question) -> bool:
    """The asker edits or deletes their question, and so do those who moderate its organisation."""
    return question.author_id == member.pk or moderates(member, question.organisation_id)


def can_change_answer(member, answer: Answer) -> bool:
    """The answerer edits or deletes their answer; so do those who moderate the question's organisation
    (where the thread lives) or the answerer's (who wrote it)."""
    return (
        answer.author_id == member.pk
        or moderates(member, answer.question.organisation_id)
        or moderates(member, answer.author.organisation_id)
    )


def can_accept(member, question: Question) -> bool:
    """Only the asker retains an answer."""
    return question.author_id == member.pk


def can_see_experts(member, question: Question) -> bool:
    """The asker, and the animators of the question's organisation, see whom the routing suggested."""
    return question.author_id == member.pk or moderates(member, question.organisation_id)


def can_turn_into_practice(member, question: Question) -> bool:
    """The asker or an animator of the question's organisation capitalises the accepted answer."""
    return can_see_experts(member, question)


def can_see_measures(member) -> bool:
    return can_curate(member)
