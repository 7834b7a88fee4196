"""Ranking practices for a query, as every document is ranked (apprenance.core.ranking)."""

from apprenance.core import ranking
from apprenance.core.generations import cached, current
from apprenance.practices.models import PRACTICES_GENERATION, Practice

INDEX = "practice"
PRACTICES = ranking.Documents(INDEX, lambda: Practice.objects.all())


def indexed_total(generation: int) -> int:
    """How many practices are indexed (cached until practices change)."""
    return cached("practice-total", generation, lambda: Practice.objects.count())


def rank(
    text: str, queryset, *, filtered: bool, generation: int | None = None, adapted: bool = True
) -> ranking.Ranking:
    """The ids of ``queryset`` (already limited to what the member may see) matching ``text``, best first.

    ``filtered`` says the queryset is narrowed by filters, so the engine searches only among it;
    ``generation`` is the practices' data generation, when the caller has read it already;
    ``adapted``: see apprenance.core.ranking.rank.
    """
    if generation is None:
        generation = current(PRACTICES_GENERATION)
    total = indexed_total(generation)
    return ranking.rank(
        PRACTICES, text, queryset, filtered=filtered, generation=generation, total=total, adapted=adapted
    )
