"""Ranking documents for a query: the words typed first, then words of the same meaning.

Members search in everyday French, not in the author's words. Each word of the query is looked
for as typed (its stem) and through its synonyms (apprenance.core.thesaurus). A document's
score adds, for each query word, how well the document answers it (1 for the word itself, less
for a synonym, more in the title), weighted by how rare the word is; and how close the query's
meaning is to the document's (apprenance.core.semantic), whose vector was stored when the
document was written.

Candidates are the engine's newest matches (every word in the title, every word, any word or
synonym), plus, on a network small enough to scan (``DENSE_SCAN_LIMIT``), the documents closest
in meaning. Practices and questions are ranked alike (``rank``), each with its own index and rows.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.db.models import QuerySet
from django.utils import timezone

from apprenance.core import search, semantic, thesaurus
from apprenance.core.analysis import query_stems, stem, without_asking, words

CANDIDATES_PER_TIER = 100
SYNONYMS_PER_WORD = 20
# A synonym counts for this share of the word itself.
SYNONYM_WEIGHT = 0.45
TITLE_BONUS = 0.5
WEIGHTS = {"exact": 5.0, "exact_title": 3.0, "words": 0.5, "meaning": 60.0}
# Below this many documents, those closest in meaning are looked for among all of them.
DENSE_SCAN_LIMIT = 50_000
DENSE_CANDIDATES = 40
# Below it, closeness is noise: a query of FTS operators alone (« NEAR(OR AND NOT) ») came within
# 0.81 of a practice once queries were moved by the adapter.
DENSE_FLOOR = 0.81
# A copy of the meanings brought up to date from the rows changed since it was read (see
# ``Documents.changed_since``) reads them again this much earlier, lest a write committed late be
# missed, and all of them again after FULL_RELOAD (rows deleted meanwhile leave it then).
COMMIT_MARGIN = timedelta(minutes=10)
FULL_RELOAD = timedelta(hours=1)
# Meaning is compared around this typical similarity between unrelated French texts (e5's
# similarities are high and close together: what matters is the gap above it).
SEMANTIC_BASELINE = 0.8


@dataclass(frozen=True)
class Documents:
    """A family of searchable rows: its full-text index, its rows with a stored meaning, and how
    close in meaning to the best a document must be to join the candidates (short texts need a
    narrow ``dense_gap``: beyond it, closeness is noise). ``changed_since(moment)``, for rows
    that stamp their writes, gives those written since: a change then costs reading them alone."""

    index: str
    rows: Callable[[], QuerySet]
    dense_gap: float = 1.0
    changed_since: Callable[[datetime], QuerySet] | None = None


@dataclass
class Ranking:
    stems: list[str]
    ids: list[int] = field(default_factory=list)


@functools.lru_cache(maxsize=4096)
def word_synonyms(word: str) -> tuple[str, ...]:
    """Stems of the first synonyms of a folded word (the thesaurus lists its closest senses first)."""
    own = stem(word)
    found = dict.fromkeys(stem(synonym) for synonym in thesaurus.synonyms(word) if len(synonym) > 2)
    found.pop(own, None)
    return tuple(found)[:SYNONYMS_PER_WORD]


def expand(text: str) -> dict[str, dict[str, float]]:
    """For each stem of the query: its synonyms' stems and how much each counts (the stem itself, 1)."""
    expansions: dict[str, dict[str, float]] = {}
    for word in words(text):
        own = expansions.setdefault(stem(word), {stem(word): 1.0})
        for synonym_stem in word_synonyms(word):
            own.setdefault(synonym_stem, SYNONYM_WEIGHT)
    return expansions


def lexical_candidates(index: str, text: str, *, within=None, limit: int = CANDIDATES_PER_TIER) -> list[int]:
    """The engine's newest matches by tiers: every word in the title, every word anywhere, then
    any word or synonym. Documents matching more words are found even among common words."""
    stems = query_stems(text)
    if not stems:
        return []
    every_stem = list(dict.fromkeys(s for alternatives in expand(text).values() for s in alternatives))
    in_title, everywhere = search.matching_every(index, stems, limit=limit, within=within)
    any_word = search.matching(index, every_stem, every=False, limit=limit, within=within)
    return list(dict.fromkeys([*in_title, *everywhere, *any_word]))


def words_answered(plan, title: set[str], body: set[str]) -> tuple[float, bool, bool]:
    """How a document's stems answer the query's words, ``plan`` being (stem, weight, synonyms) per
    word: the weighted sum of each word's best match (the word itself before its synonyms, the
    title before the body), whether every word is there, and whether every word is in the title."""
    answered, everywhere, in_title = 0.0, True, True
    for query_stem, weight, synonyms in plan:
        if query_stem in title:
            best = 1 + TITLE_BONUS
        elif query_stem in body:
            best, in_title = 1.0, False
        else:
            everywhere = in_title = False
            if not synonyms.isdisjoint(title):
                best = SYNONYM_WEIGHT * (1 + TITLE_BONUS)
            elif not synonyms.isdisjoint(body):
                best = SYNONYM_WEIGHT
            else:
                continue
        answered += weight * best
    return answered, everywhere, in_title


@dataclass(frozen=True)
class WordMatch:
    score: float  # between 0 and 1: how well the document answers the words (title words count more)
    everywhere: bool  # every word typed is in the document
    in_title: bool  # every word typed is in its title


NO_MATCH = WordMatch(0.0, False, False)


def word_matches(index: str, text: str, doc_ids: list[int], total: int) -> dict[int, WordMatch]:
    """How each document answers the words of ``text`` (as typed or through synonyms), rare words weighing more."""
    expansions = expand(text)
    if not expansions or not doc_ids:
        return {}
    stems_of = search.document_stems(index, doc_ids)
    idf = search.inverse_document_frequencies(index, list(expansions), total)
    best_possible = (sum(idf.values()) or 1.0) * (1 + TITLE_BONUS)
    plan = [
        (query_stem, idf.get(query_stem, 0.0), frozenset(alternatives) - {query_stem})
        for query_stem, alternatives in expansions.items()
    ]
    matches = {}
    for doc_id in doc_ids:
        answered, everywhere, in_title = words_answered(plan, *stems_of.get(doc_id, (set(), set())))
        matches[doc_id] = WordMatch(answered / best_possible, everywhere, in_title)
    return matches


@dataclass
class MeaningMatrix:
    ids: np.ndarray
    vectors: np.ndarray
    read_at: datetime | None = None  # when the rows were read (all, or those changed)
    loaded_at: datetime | None = None  # when all of them were


_matrices: dict[tuple[Documents, int], MeaningMatrix | None] = {}


def meaning_matrix(documents: Documents, generation: int, total: int | None = None) -> MeaningMatrix | None:
    """Every stored meaning of the documents (``total`` of them, counted when not given), kept in
    this process until the data changes; None on a network too large to scan."""
    key = (documents, generation)
    if key not in _matrices:
        previous = None
        for stale in [known for known in _matrices if known[0] == documents]:
            previous = _matrices.pop(stale)
        now = timezone.now()
        if documents.changed_since and previous and previous.loaded_at and now - previous.loaded_at < FULL_RELOAD:
            _matrices[key] = _brought_up_to_date(previous, documents, now)
            return _matrices[key]
        rows = documents.rows()
        if (total if total is not None else rows.count()) > DENSE_SCAN_LIMIT:
            _matrices[key] = None
        else:
            found = list(rows.exclude(embedding=b"").values_list("pk", "embedding"))
            _matrices[key] = MeaningMatrix(
                ids=np.array([pk for pk, _blob in found], dtype=np.int64),
                vectors=semantic.decode_many([bytes(blob) for _pk, blob in found]),
                read_at=now,
                loaded_at=now,
            )
    return _matrices[key]


def _brought_up_to_date(matrix: MeaningMatrix, documents: Documents, now: datetime) -> MeaningMatrix:
    """``matrix`` with the rows written since it was read (in place: readers meanwhile see either meaning)."""
    changed = list(documents.changed_since(matrix.read_at - COMMIT_MARGIN).values_list("pk", "embedding"))
    position = {int(pk): index for index, pk in enumerate(matrix.ids)}
    added = [(pk, bytes(blob)) for pk, blob in changed if pk not in position]
    for pk, blob in changed:
        if pk in position:
            matrix.vectors[position[pk]] = semantic.decode_many([bytes(blob)])[0]
    if added:
        matrix = MeaningMatrix(
            ids=np.concatenate([matrix.ids, np.array([pk for pk, _blob in added], dtype=np.int64)]),
            vectors=np.concatenate([matrix.vectors, semantic.decode_many([blob for _pk, blob in added])]),
            loaded_at=matrix.loaded_at,
        )
    matrix.read_at = now
    return matrix


def closest_in_meaning(
    documents: Documents,
    query_vector,
    queryset,
    generation: int,
    *,
    floor: float = DENSE_FLOOR,
    total: int | None = None,
    limit: int = DENSE_CANDIDATES,
) -> list[int]:
    """Ids of ``queryset`` at least ``floor`` close in meaning to the query and within the
    documents' gap of the closest of all, the closest first, when the network is small enough to scan."""
    matrix = meaning_matrix(documents, generation, total)
    if query_vector is None or matrix is None or not len(matrix.ids):
        return []
    similarities = matrix.vectors @ query_vector
    order = np.argsort(-similarities)[: limit * 3]
    floor = max(floor, float(similarities[order[0]]) - documents.dense_gap)
    best = [int(matrix.ids[i]) for i in order if similarities[i] >= floor]
    visible = set(queryset.filter(pk__in=best).values_list("pk", flat=True))
    return [pk for pk in best if pk in visible][:limit]


def rank(
    documents: Documents, text: str, queryset, *, filtered: bool, generation: int, total: int, adapted: bool = True
) -> Ranking:
    """The ids of ``queryset`` (already limited to what the member may see) matching ``text``, best first.

    ``filtered`` says the queryset is narrowed by filters, so the engine searches only among it;
    ``generation`` is the documents' data generation and ``total`` how many are indexed;
    ``adapted``, the query's meaning is moved toward the practices' wording (apprenance.core.adapter).
    """
    text = without_asking(text)
    stems = query_stems(text)
    ranking = Ranking(stems=stems)
    if not stems:
        return ranking
    pending_meaning = semantic.query_vector_later(text, adapted=adapted)
    within = queryset.values("pk").query.sql_with_params() if filtered else None
    found = lexical_candidates(documents.index, text, within=within)

    # On a network small enough to scan, the documents closest in meaning join the candidates;
    # on a larger one the candidates are read while the query's meaning is still being encoded.
    dense = []
    if meaning_matrix(documents, generation, total) is not None:
        dense = closest_in_meaning(documents, pending_meaning.result(), queryset, generation, total=total)

    candidates = list(dict.fromkeys([*found, *dense]))
    if not candidates:
        return ranking
    rows = list(queryset.filter(pk__in=candidates).values_list("pk", "embedding"))
    ids = [pk for pk, _blob in rows]
    matches = word_matches(documents.index, text, ids, total)
    query_vector = pending_meaning.result()
    if query_vector is not None:
        meanings = semantic.decode_many([bytes(blob) for _pk, blob in rows]) @ query_vector
    else:
        meanings = np.full(len(rows), SEMANTIC_BASELINE)

    scored = []
    for pk, meaning in zip(ids, meanings, strict=True):
        match = matches.get(pk, NO_MATCH)
        score = (
            WEIGHTS["exact"] * match.everywhere
            + WEIGHTS["exact_title"] * match.in_title
            + WEIGHTS["words"] * match.score * (1 + TITLE_BONUS)
            + WEIGHTS["meaning"] * (float(meaning) - SEMANTIC_BASELINE)
        )
        scored.append((score, pk))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    ranking.ids = [pk for _score, pk in scored]
    return ranking
