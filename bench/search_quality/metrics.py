"""Ranking metrics for the search-quality bench: pure functions, no Django.

Judgements are graded: 3 = exactly what the query wants, 2 = clearly useful, 1 = related,
absent = not relevant.
"""

import math
from collections.abc import Iterable, Mapping, Sequence

# A result "answers" the query for MRR only from grade 2 up: a merely related practice at rank 1
# does not send the member away satisfied, so it must not count as a hit.
MRR_MIN_GRADE = 2


def _gain(grade: int) -> float:
    return 2.0**grade - 1.0


def _dcg(grades: Iterable[int]) -> float:
    return sum(_gain(grade) / math.log2(position + 2) for position, grade in enumerate(grades))


def ndcg_at_k(ranked_refs: Sequence[str], relevant: Mapping[str, int], k: int = 5) -> float:
    """nDCG@k with gain 2^grade − 1 and a log2(rank + 1) discount, normalised by the ideal ranking.

    The ideal ranking is built from all graded judgements, so a result list that misses a
    grade-3 practice is penalised even if everything it shows is relevant. A ref repeated in
    the ranking earns its gain only once (a search returning duplicates must not score above 1).
    Returns 0.0 when there is nothing relevant to find.
    """
    if k <= 0:
        raise ValueError("k must be positive")
    seen: set[str] = set()
    grades = []
    for ref in ranked_refs[:k]:
        grades.append(0 if ref in seen else relevant.get(ref, 0))
        seen.add(ref)
    ideal = _dcg(sorted((grade for grade in relevant.values() if grade > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return _dcg(grades) / ideal


def reciprocal_rank(
    ranked_refs: Sequence[str], relevant: Mapping[str, int], k: int = 10, min_grade: int = MRR_MIN_GRADE
) -> float:
    """1 / rank of the first result graded at least ``min_grade`` (2 by default) within the top k, else 0."""
    if k <= 0:
        raise ValueError("k must be positive")
    for position, ref in enumerate(ranked_refs[:k], start=1):
        if relevant.get(ref, 0) >= min_grade:
            return 1.0 / position
    return 0.0


def _means(results: Sequence[Mapping]) -> dict:
    count = len(results)
    if not count:
        return {"ndcg@5": 0.0, "mrr@10": 0.0, "count": 0}
    return {
        "ndcg@5": sum(result["ndcg@5"] for result in results) / count,
        "mrr@10": sum(result["rr"] for result in results) / count,
        "count": count,
    }


def summarise(results: Sequence[Mapping]) -> dict:
    """Overall and per-type means of per-query results (dicts with ``type``, ``ndcg@5`` and ``rr``).

    Returns ``{"ndcg@5", "mrr@10", "count", "by_type": {type: {"ndcg@5", "mrr@10", "count"}}}``,
    types sorted by name so that two runs print and compare the same way.
    """
    by_type: dict[str, list[Mapping]] = {}
    for result in results:
        by_type.setdefault(result["type"], []).append(result)
    return {**_means(results), "by_type": {name: _means(by_type[name]) for name in sorted(by_type)}}
