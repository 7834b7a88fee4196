"""How fast the community answers: time to first answer and share answered within 48 hours,
per organisation, over the questions of a recent period (shown to animators)."""

import statistics
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from apprenance.core.generations import cached, current
from apprenance.questions.models import QUESTIONS_GENERATION, Question

PERIOD = timedelta(days=90)
QUICK = timedelta(hours=48)


@dataclass(frozen=True)
class AnswerTimes:
    organisation: str
    asked: int
    answered: int
    answered_quickly: int
    median_hours: float | None

    @property
    def quick_share(self) -> int:
        """Percentage of the questions answered within 48 hours."""
        return round(100 * self.answered_quickly / self.asked) if self.asked else 0


def answer_times() -> list[AnswerTimes]:
    """One line per organisation that asked questions in the period, the busiest first (kept until questions change)."""
    return cached("question-measures", current(QUESTIONS_GENERATION), _compute, timeout=600)


def _compute() -> list[AnswerTimes]:
    since = timezone.now() - PERIOD
    rows = Question.objects.filter(created_at__gte=since).values_list(
        "organisation__name", "created_at", "first_answer_at"
    )
    delays: dict[str, list[timedelta | None]] = {}
    for organisation, created_at, first_answer_at in rows:
        delays.setdefault(organisation, []).append(first_answer_at - created_at if first_answer_at else None)
    lines = []
    for organisation, found in delays.items():
        answered = [delay for delay in found if delay is not None]
        median = statistics.median(answered).total_seconds() / 3600 if answered else None
        lines.append(
            AnswerTimes(
                organisation=organisation,
                asked=len(found),
                answered=len(answered),
                answered_quickly=sum(1 for delay in answered if delay <= QUICK),
                median_hours=round(median, 1) if median is not None else None,
            )
        )
    lines.sort(key=lambda line: (-line.asked, line.organisation))
    return lines
