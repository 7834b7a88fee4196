"""Soliciting experts in the background, each once (see services.notify_experts)."""

from django_tasks import task

from apprenance.questions.services import notify_experts


@task()
def solicit_experts(question_id: int) -> int:
    """Notify the next available experts of a question's ranking; how many were notified."""
    return len(notify_experts(question_id))
