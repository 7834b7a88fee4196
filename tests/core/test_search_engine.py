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

    with django_assert_max_num_queries(2):  # one per word on PostgreSQL
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
    monkeypatch.setattr(semantic, "_model", lambda: model)
    semantic._query_vector.cache_clear()
    yield model
    semantic._query_vector.cache_clear()


def test_queries_and_passages_are_encoded_on_one_thread_beside_the_caller(model):

    pending = semantic.query_vector_later("une requête jamais vue")
    passage = semantic.passage_vector("Un texte de pratique.")

    assert pending.result().shape == (semantic.DIMENSIONS,)
    assert passage.shape == (semantic.DIMENSIONS,)
    assert model.threads and all(name.startswith("meaning") for name in model.threads)
    assert threading.current_thread().name not in model.threads


def test_an_empty_query_has_no_meaning():
    assert semantic.query_vector_later("   ").result() is None
