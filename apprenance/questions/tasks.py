"""Soliciting experts in the background, each once (see services.notify_experts), and rebuilding
the experts' profiles every night."""

from datetime import time

from django_tasks import task

from apprenance.core.schedule import Every, periodic
from apprenance.questions import profiles
from apprenance.questions.services import notify_experts


@task()
def solicit_experts(question_id: int) -> int:
    """Notify the next available experts of a question's ranking; how many were notified."""
    return len(notify_experts(question_id))


@periodic("questions.rebuild_expert_profiles", Every("day", at=time(3, 15)))
@task()
def rebuild_expert_profiles(slot: str) -> int:
    """The services refresh a profile on every write they make; this catches the rest (skills
    declared outside them, rows deleted by hand), and costs a minute or two on a large network."""
    return profiles.refresh_profiles()
