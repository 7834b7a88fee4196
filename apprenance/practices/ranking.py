"""Ranking practices for a query: the words typed first, then words of the same meaning.

Members search in everyday French, not in the author's words. Each word of the query is looked
for as typed (its stem) and through its synonyms (apprenance.core.thesaurus). A practice's
score adds, for each query word, how well the practice answers it (1 for the word itself, less
for a synonym, more in the title), weighted by how rare the word is; and how close the query's
meaning is to the practice's (apprenance.core.semantic), whose vector was stored when the
practice was written.

Candidates are the engine's newest matches (every word in the title, every word, any word or
synonym), plus, on a network small enough to scan (``DENSE_SCAN_LIMIT``), the practices closest
in meaning.
"""

import functools
from dataclasses import dataclass, field

import numpy as np

from apprenance.core import search, semantic, thesaurus
from apprenance.core.analysis import query_stems, stem, words
from apprenance.core.generations import cached, current
from apprenance.practices.models import PRACTICES_GENERATION, Practice

INDEX = "practice"
CANDIDATES_PER_TIER = 100
SYNONYMS_PER_WORD = 20
# A synonym counts for this share of the word itself.
SYNONYM_WEIGHT = 0.45
TITLE_BONUS = 0.5
WEIGHTS = {"exact": 5.0, "exact_title": 3.0, "words": 0.5, "meaning": 60.0}
# Below this many practices, those closest in meaning are looked for among all of them.
DENSE_SCAN_LIMIT = 50_000
DENSE_CANDIDATES = 40
DENSE_FLOOR = 0.8
# Meaning is compared around this typical similarity between unrelated French texts (e5's
# similarities are high and close together: what matters is the gap above it).
SEMANTIC_BASELINE = 0.8


@dataclass
class Ranking:
    stems: list[str]
    ids: list[int] = field(default_factory=list)


def indexed_total(generation: int) -> int:
    """How many practices are indexed (cached until practices change)."""
    return cached("practice-total", generation, lambda: Practice.objects.count())


@functools.lru_cache(maxsize=4096)
def word_synonyms(word: str) -> tuple[str, ...]:
    """Stems of the first synonyms of a folded word (the thesaurus lists its closest senses first)."""
    own = stem(word)
    found = dict.fromkeys(stem(synonym) for synonym in thesaurus.synonyms(word) if len(synonym) > 2)
    found.pop(own, None)
    return tuple(found)[:SYNONYMS_PER_WORD]


@dataclass(frozen=True)
class MeaningMatrix:
    ids: np.ndarray
    vectors: np.ndarray


_meaning_matrix: dict[str, MeaningMatrix] = {}


def meaning_matrix(generation: int) -> MeaningMatrix | None:
    """Every practice's stored meaning, kept in this process until practices change; None on a large network."""
    key = f"{generation}"
    if key not in _meaning_matrix:
        _meaning_matrix.clear()
        if indexed_total(generation) > DENSE_SCAN_LIMIT:
            return None
        rows = list(Practice.objects.exclude(embedding=b"").values_list("pk", "embedding"))
        _meaning_matrix[key] = MeaningMatrix(
            ids=np.array([pk for pk, _blob in rows], dtype=np.int64),
            vectors=semantic.decode_many([bytes(blob) for _pk, blob in rows]),
        )
    return _meaning_matrix[key]


def closest_in_meaning(query_vector, queryset, generation: int) -> dict[int, float]:
    """The practices of ``queryset`` closest in meaning to the query, on a network small enough to scan."""
    matrix = meaning_matrix(generation)
    if matrix is None or not len(matrix.ids):
        return {}
    similarities = matrix.vectors @ query_vector
    best = np.argsort(-similarities)[: DENSE_CANDIDATES * 3]
    close = {int(matrix.ids[i]): float(similarities[i]) for i in best if similarities[i] >= DENSE_FLOOR}
    visible = queryset.filter(pk__in=list(close)).values_list("pk", flat=True)
    return dict(sorted(((pk, close[pk]) for pk in visible), key=lambda item: -item[1])[:DENSE_CANDIDATES])


def expand(text: str) -> dict[str, dict[str, float]]:
    """For each stem of the query: its synonyms' stems and how much each counts (the stem itself, 1)."""
    expansions: dict[str, dict[str, float]] = {}
    for word in words(text):
        own = expansions.setdefault(stem(word), {stem(word): 1.0})
        for synonym_stem in word_synonyms(word):
            own.setdefault(synonym_stem, SYNONYM_WEIGHT)
    return expansions


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


def rank(text: str, queryset, *, filtered: bool, generation: int | None = None) -> Ranking:
    """The ids of ``queryset`` (already limited to what the member may see) matching ``text``, best first.

    ``filtered`` says the queryset is narrowed by filters, so the engine searches only among it;
    ``generation`` is the practices' data generation, when the caller has read it already.
    """
    stems = query_stems(text)
    ranking = Ranking(stems=stems)
    if not stems:
        return ranking
    pending_meaning = semantic.query_vector_later(text)
    expansions = expand(text)
    every_stem = list(dict.fromkeys(s for alternatives in expansions.values() for s in alternatives))
    within = queryset.values("pk").query.sql_with_params() if filtered else None
    # Candidates by tiers, each the newest matches: every word in the title, every word anywhere,
    # then any word or synonym. Practices matching more words are found even among common words.
    found: dict[int, None] = {}
    for every, title_only, words_searched in ((True, True, stems), (True, False, stems), (False, False, every_stem)):
        for doc_id in search.matching(
            INDEX, words_searched, every=every, title_only=title_only, limit=CANDIDATES_PER_TIER, within=within
        ):
            found.setdefault(doc_id)
    if generation is None:
        generation = current(PRACTICES_GENERATION)
    total = indexed_total(generation)

    # On a network small enough to scan, the practices closest in meaning join the candidates;
    # on a larger one the candidates are read while the query's meaning is still being encoded.
    dense = {}
    if meaning_matrix(generation) is not None and (query_vector := pending_meaning.result()) is not None:
        dense = closest_in_meaning(query_vector, queryset, generation)

    candidates = set(found) | set(dense)
    if not candidates:
        return ranking
    rows = list(queryset.filter(pk__in=list(candidates)).values_list("pk", "embedding"))
    ids = [pk for pk, _blob in rows]
    stems_of = search.document_stems(INDEX, ids)
    idf = search.inverse_document_frequencies(INDEX, stems, total)
    idf_total = sum(idf.values()) or 1.0
    query_vector = pending_meaning.result()
    if query_vector is not None:
        meanings = semantic.decode_many([bytes(blob) for _pk, blob in rows]) @ query_vector
    else:
        meanings = np.full(len(rows), SEMANTIC_BASELINE)

    plan = [
        (query_stem, idf.get(query_stem, 0.0), frozenset(alternatives) - {query_stem})
        for query_stem, alternatives in expansions.items()
    ]
    scored = []
    for pk, meaning in zip(ids, meanings, strict=True):
        answered, everywhere, in_title = words_answered(plan, *stems_of.get(pk, (set(), set())))
        score = (
            WEIGHTS["exact"] * everywhere
            + WEIGHTS["exact_title"] * in_title
            + WEIGHTS["words"] * answered / idf_total
            + WEIGHTS["meaning"] * (float(meaning) - SEMANTIC_BASELINE)
        )
        scored.append((score, pk))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    ranking.ids = [pk for _score, pk in scored]
    return ranking
