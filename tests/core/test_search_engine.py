"""The search engine's own costs: what it keeps between searches, and where it encodes meaning."""

import threading

import numpy as np
import pytest
from django.core.cache import cache

from apprenance.core import search, semantic
from tests.practices.factories import practice


@pytest.mark.django_db
def test_document_frequencies_are_counted_once_then_kept(
    people, django_assert_num_queries, django_assert_max_num_queries
):
    practice(people.owner, title="Le rituel du lundi", context="Un rituel d’équipe.")
    practice(people.owner, title="Le café du jeudi", context="Un moment d’équipe.")

    with django_assert_max_num_queries(3):  # on PostgreSQL: its statistics, then one per word
        first = search.inverse_document_frequencies("practice", ["rituel", "equip"], total=2)
    with django_assert_num_queries(0):
        again = search.inverse_document_frequencies("practice", ["rituel", "equip"], total=2)

    assert first == again
    # The word of one practice tells more than the word of both.
    assert first["rituel"] > first["equip"]


@pytest.mark.django_db
def test_a_word_no_practice_holds_weighs_the_most(people):
    practice(people.owner, title="Le rituel du lundi", context="Un rituel d’équipe.")

    weights = search.inverse_document_frequencies("practice", ["rituel", "zebr"], total=1)

    assert weights["zebr"] > weights["rituel"] > 0


@pytest.mark.django_db
@pytest.mark.parametrize("window", [1, 2, 50])
def test_the_newest_matches_are_found_whether_recent_or_old(people, monkeypatch, window):
    monkeypatch.setattr(search, "RECENT_WINDOW", window)  # PostgreSQL's first look, among the newest
    old = practice(people.owner, title="Le rituel du lundi", context="Un rituel d’équipe.")
    both = practice(people.owner, title="Le rituel du jeudi", context="Un café d’équipe.")
    practice(people.owner, title="Le café du vendredi", context="Un moment ensemble.")

    assert search.matching("practice", ["rituel"], every=True, limit=5) == [both.pk, old.pk]
    assert search.matching("practice", ["rituel"], every=True, limit=1) == [both.pk]
    assert search.matching("practice", ["rituel", "caf"], every=True, limit=5) == [both.pk]
    assert search.matching("practice", ["equip"], every=True, title_only=True, limit=5) == []


@pytest.mark.django_db
def test_postgresql_keeps_to_the_newest_when_a_word_is_everywhere(people, monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's look among the newest documents")
    old = practice(people.owner, title="Le rituel du lundi", context="Un rituel d’équipe.")
    new = practice(people.owner, title="Le rituel du jeudi", context="Un café d’équipe.")
    monkeypatch.setattr(search, "RECENT_WINDOW", 1)
    monkeypatch.setattr(search, "_common_lexemes", lambda name: ({}, 1_000_000))

    # One match among the newest document of a million: too many in all to fetch them.
    assert search.matching("practice", ["rituel"], every=True, limit=5) == [new.pk]
    monkeypatch.setattr(search, "_common_lexemes", lambda name: ({}, 2))
    assert search.matching("practice", ["rituel"], every=True, limit=5) == [new.pk, old.pk]


@pytest.mark.django_db
def test_postgresql_reads_the_gin_index_and_leaves_the_planner_as_it_was(people, monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner")
    kept = practice(people.owner, title="Le rituel du lundi", context="Un rituel d’équipe.")
    practice(people.owner, title="Le café du jeudi", context="Un café d’équipe.")
    monkeypatch.setattr(search, "RECENT_WINDOW", 1)  # the newest holds no ritual: the index is read

    assert search.matching("practice", ["rituel", "equip"], every=True, limit=5) == [kept.pk]
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)


@pytest.mark.django_db
def test_an_index_made_before_the_title_table_gets_one_filled_from_it(people):
    from django.db import connection

    kept = practice(people.owner, title="Le rituel du lundi", context="Un moment d’équipe.")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TABLE search_practice_title")
        else:
            cursor.execute("ALTER TABLE search_practice DROP COLUMN title_vector")

    search.ensure_index("practice")

    assert search.matching("practice", ["rituel"], every=True, title_only=True, limit=5) == [kept.pk]
    assert search.matching("practice", ["equip"], every=True, title_only=True, limit=5) == []


@pytest.mark.django_db
def test_postgresql_takes_common_words_frequencies_from_its_statistics(people, django_assert_num_queries):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner statistics")
    for day in ("lundi", "mardi", "jeudi"):
        practice(people.owner, title=f"Le rituel du {day}", context="Un moment d’équipe.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_practice")

    with django_assert_num_queries(2):  # the statistics, then a count for the rare word only
        frequencies = search.document_frequencies("practice", ["equip", "zebr"])

    assert frequencies == {"equip": 3, "zebr": 0}


@pytest.mark.django_db
def test_sqlite_keeps_common_words_counts_from_the_last_statistics(people, monkeypatch, django_assert_num_queries):
    from django.db import connection

    from apprenance.core import statistics

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's table of common words")
    monkeypatch.setattr(search, "COMMON_TERM_DOCS", 2)
    practice(people.owner, title="Le rituel du lundi", context="Un moment d’équipe.")
    practice(people.owner, title="Le café du jeudi", context="Un moment d’équipe.")
    statistics.refresh()

    with django_assert_num_queries(1):  # the common word's count is read, not counted
        assert search.document_frequencies("practice", ["equip", "moment"]) == {"equip": 2, "moment": 2}
    with django_assert_num_queries(2):  # a rare word is counted in the index
        assert search.document_frequencies("practice", ["equip", "rituel"]) == {"equip": 2, "rituel": 1}


def test_the_local_cache_holds_more_than_djangos_default_of_300_entries():
    cache.set_many({f"entry-{n}": n for n in range(1_000)})

    assert len(cache.get_many([f"entry-{n}" for n in range(1_000)])) == 1_000


class RecordingModel:
    """Stands in for the encoder: records the thread that entered it."""

    def __init__(self):
        self.threads = set()

    def query(self, text):
        self.threads.add(threading.current_thread().name)
        return np.ones(semantic.DIMENSIONS) / np.sqrt(semantic.DIMENSIONS)

    def passage(self, texts):
        self.threads.add(threading.current_thread().name)
        return [np.ones(semantic.DIMENSIONS) / np.sqrt(semantic.DIMENSIONS) for _ in texts]


@pytest.fixture
def model(monkeypatch):
    model = RecordingModel()
    monkeypatch.setattr(semantic, "model", lambda: model)
    semantic._query_vector.cache_clear()
    yield model
    semantic._query_vector.cache_clear()


def test_queries_and_passages_are_encoded_on_one_thread_beside_the_caller(model):

    pending = semantic.query_vector_later("une requête jamais vue")
    passage = semantic.passage_vector("Un texte de pratique.")

    assert pending.result().shape == (semantic.DIMENSIONS,)
    assert passage.shape == (semantic.DIMENSIONS,)
    assert model.threads
    assert all(name.startswith("meaning") for name in model.threads)
    assert threading.current_thread().name not in model.threads


def test_an_empty_query_has_no_meaning():
    assert semantic.query_vector_later("   ").result() is None


def unit_vector(seed: int) -> np.ndarray:
    # Shaped like e5's: small components (under about 0.15), unit length.
    vector = np.random.default_rng(seed).normal(size=semantic.DIMENSIONS).astype(np.float32)
    return vector / np.linalg.norm(vector)


def test_a_stored_meaning_keeps_the_small_gaps_between_similarities():
    query, close, closer = unit_vector(1), unit_vector(2), unit_vector(3)
    closer = (closer + 0.002 * query) / np.linalg.norm(closer + 0.002 * query)

    stored = semantic.decode_many([semantic.encode(close), semantic.encode(closer)])

    assert len(semantic.encode(close)) == semantic.STORED_SIZE
    assert np.abs(stored[0] - close).max() < 0.001  # 1/127 per component lost a tenth of that
    assert (stored @ query).argmax() == 1
    assert abs(float(stored[1] @ query) - float(closer @ query)) < 0.0005


def test_meanings_stored_before_their_scale_was_kept_still_read_and_missing_ones_are_zero():
    vector = unit_vector(4)
    old_layout = np.clip(np.rint(vector * 127), -127, 127).astype(np.int8).tobytes()

    stored = semantic.decode_many([old_layout, b"", semantic.encode(None)])

    assert np.abs(stored[0] - vector).max() < 0.005
    assert not stored[1].any()
    assert not stored[2].any()


@pytest.mark.django_db
def test_a_counted_index_finds_the_documents_holding_a_word_most_often():
    search.count_terms(
        "expert",
        [
            (1, "Le rituel du lundi\nLe café du jeudi"),
            (2, "Le rituel du lundi\nUn rituel de fin de semaine\nLe rituel du café"),
            (3, "La réunion d’équipe, un rituel"),
            (4, "Le café du jeudi"),
        ],
    )

    assert search.most_frequent("expert", ["rituel"], limit=2) == {2: {"rituel": 3}, 3: {"rituel": 1}}
    assert search.most_frequent("expert", ["rituel", "caf"], limit=1) == {2: {"rituel": 3}, 4: {"caf": 1}}
    assert search.term_counts("expert", [1, 2, 4], ["rituel", "equip", "caf"]) == {
        1: {"rituel": 1, "caf": 1},
        2: {"rituel": 3, "caf": 1},
        4: {"caf": 1},
    }


@pytest.mark.django_db
def test_indexing_a_counted_document_again_replaces_it_and_uncounting_removes_it():
    search.count_terms("expert", [(1, "Le rituel du lundi"), (2, "Le rituel du jeudi")])

    search.count_terms("expert", [(1, "Le café du lundi")])
    assert search.term_counts("expert", [1, 2], ["rituel", "caf"]) == {1: {"caf": 1}, 2: {"rituel": 1}}

    search.uncount("expert", [2, 99])
    assert search.most_frequent("expert", ["rituel", "caf"], limit=10) == {1: {"caf": 1}}


@pytest.mark.django_db
def test_a_removed_document_is_found_no_more(people):
    kept = practice(people.owner, title="Le rituel du lundi", context="Un moment d’équipe.")
    gone = practice(people.owner, title="Le rituel du jeudi", context="Un café d’équipe.")

    search.remove("practice", [gone.pk, 99])

    assert search.matching("practice", ["rituel"], every=True, limit=10) == [kept.pk]
    assert search.matching("practice", ["rituel"], every=True, title_only=True, limit=10) == [kept.pk]
    assert search.document_stems("practice", [gone.pk]) == {}


@pytest.mark.django_db
def test_a_counted_index_takes_common_words_frequencies_from_the_statistics(monkeypatch, django_assert_num_queries):
    from django.db import connection

    from apprenance.core import statistics

    monkeypatch.setattr(search, "COMMON_TERM_DOCS", 2)
    search.count_terms(
        "expert", [(1, "Le rituel du lundi, en équipe"), (2, "La réunion d’équipe"), (3, "Le café d’équipe")]
    )
    statistics.refresh()  # SQLite's table of common words, PostgreSQL's ANALYZE

    with django_assert_num_queries(1):  # the statistics (or their table) only: the word is common
        assert search.counted_frequencies("expert", ["equip"]) == {"equip": 3}
    # Then the rare words are counted (PostgreSQL keeps its statistics a while: read once).
    with django_assert_num_queries(2 if connection.vendor == "sqlite" else 1):
        assert search.counted_frequencies("expert", ["equip", "rituel", "zebr"]) == {"equip": 3, "rituel": 1, "zebr": 0}
    weights = search.inverse_document_frequencies("expert", ["rituel", "equip"], total=3, counted=True)
    assert weights["rituel"] > weights["equip"]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("Éviter l’épuisement de mon équipe ?", "éviter l'épuisement de mon équipe"),
        ("Comment fonctionne le RGPD ?", "comment fonctionne le RGPD"),  # acronyms keep their case
        ("« Le point du lundi »", "le point du lundi"),
        ("  e-mails   du soir… ", "e-mails du soir"),
    ],
)
def test_a_query_is_encoded_in_the_case_and_punctuation_its_meaning_is_best_read_in(typed, read):
    assert semantic.query_text(typed) == read


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Comment fais-tu pour motiver ton équipe ?", "motiver ton équipe ?"),
        ("comment éviter l’épuisement", "éviter l’épuisement"),
        ("Des idées pour : le point du lundi", "le point du lundi"),
        ("Quelles pratiques pour accueillir ?", "accueillir ?"),
        ("Commentaires des usagers", "Commentaires des usagers"),
        ("Comment ?", "Comment ?"),  # nothing else to search for: left as typed
        ("Nos réunions s’éternisent, que faire ?", "Nos réunions s’éternisent"),
        ("Accueil des stagiaires : des idées ?", "Accueil des stagiaires"),
        ("Que faire ?", "Que faire ?"),
    ],
)
def test_a_search_typed_as_a_question_is_read_without_its_asking_words(typed, kept):
    from apprenance.core.analysis import without_asking

    assert without_asking(typed) == kept
