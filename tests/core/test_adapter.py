"""The query adapter: how it is learnt, what it keeps, where it is used, and the map shipped."""

import io
import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from apprenance.core import adapter, semantic
from apprenance.core.management.commands.train_query_adapter import TRAINING_PATH
from apprenance.practices import ranking as practice_ranking
from apprenance.practices.models import Practice
from apprenance.questions import routing
from tests.questions.factories import ask

DIMENSIONS = 8


def unit(rows):
    return rows / np.linalg.norm(rows, axis=-1, keepdims=True)


@pytest.fixture
def problem():
    """Documents sharing one direction (as e5's do), and queries each written nearer another
    document than its own: a map must learn to move them."""
    rng = np.random.default_rng(3)
    shared = unit(rng.normal(size=DIMENSIONS))
    documents = unit(2 * shared + rng.normal(size=(6, DIMENSIONS)) * 0.5)
    answers = np.repeat(np.arange(6), 4)
    misled = documents[(answers + 1) % 6]
    queries = unit(0.7 * misled + 0.3 * documents[answers] + rng.normal(size=(24, DIMENSIONS)) * 0.05)
    return queries, answers, documents


def first_right(matrix, queries, answers, documents):
    adapted = np.array([adapter.adapt(query, matrix) for query in queries])
    return float(np.mean(np.argmax(adapted @ documents.T, axis=1) == answers))


def test_the_gradient_matches_the_loss(problem):
    queries, answers, documents = problem
    matrix = np.random.default_rng(0).normal(size=(DIMENSIONS, DIMENSIONS)) * 0.1
    loss, gradient = adapter.loss_and_gradient(matrix, queries, answers, documents, 0.1)
    step = 1e-6
    for row, column in [(0, 0), (2, 5), (7, 3)]:
        moved = matrix.copy()
        moved[row, column] += step
        numeric = (adapter.loss_and_gradient(moved, queries, answers, documents, 0.1)[0] - loss) / step
        assert numeric == pytest.approx(gradient[row, column], abs=1e-4)


def test_training_moves_queries_to_their_documents(problem):
    queries, answers, documents = problem
    assert first_right(np.zeros((DIMENSIONS, DIMENSIONS)), queries, answers, documents) < 0.5

    matrix = adapter.train(
        queries, answers, documents, temperature=0.05, weight_decay=0.0, steps=400, learning_rate=0.02
    )

    assert first_right(matrix, queries, answers, documents) >= 0.9


def test_the_direction_documents_share_is_left_as_it_is(problem):
    # Similarities keep the scale the search's and the routing's thresholds were set on.
    queries, answers, documents = problem
    matrix = adapter.train(queries, answers, documents, steps=50)
    shared = unit(documents.mean(axis=0))
    assert np.abs(matrix @ shared).max() < 1e-5
    assert np.abs(queries @ matrix @ shared).max() < 1e-5


def test_without_a_map_a_query_is_read_as_e5_gives_it(problem):
    query = problem[0][0]
    assert np.allclose(adapter.adapt(query, np.zeros((DIMENSIONS, DIMENSIONS))), query)


def test_the_shipped_map_moves_searches_but_keeps_their_scale():
    matrix = adapter._matrix()
    assert matrix is not None
    assert matrix.shape == (semantic.DIMENSIONS, semantic.DIMENSIONS)
    assert np.isfinite(matrix).all()
    moved = semantic._query_vector("salariés jamais au courant", True)
    plain = semantic._query_vector("salariés jamais au courant", False)
    assert np.linalg.norm(moved) == pytest.approx(1.0, abs=1e-5)
    assert 0.8 < float(moved @ plain) < 0.999  # moved, not elsewhere


def test_the_command_learns_a_map_from_a_training_file(tmp_path):
    data = json.loads(TRAINING_PATH.read_text(encoding="utf-8"))
    kept = data["practices"][:10]
    refs = {practice["ref"] for practice in kept}
    small = {"practices": kept, "pairs": [pair for pair in data["pairs"] if pair["ref"] in refs]}
    training = tmp_path / "training.json"
    training.write_text(json.dumps(small), encoding="utf-8")
    output = tmp_path / "map.npy"

    call_command("train_query_adapter", training=training, output=output, stdout=(out := io.StringIO()))

    assert np.load(output).shape == (semantic.DIMENSIONS, semantic.DIMENSIONS)
    assert "40 pairs on 10 practices" in out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        '{"practices": [{"ref": "a"}], "pairs": [{"ref": "b"}]}',
        '{"practices": [{"ref": "a"}], "pairs": [{"ref": "a"}]}',
        '{"practices": [], "pairs": ["a"]}',
        '{"practices": [], "pairs": []}',
        "[1, 2",
        "{}",
    ],
)
def test_the_command_refuses_a_file_that_is_not_a_training_file(tmp_path, content):
    training = tmp_path / "training.json"
    training.write_text(content, encoding="utf-8")
    output = tmp_path / "map.npy"
    with pytest.raises(CommandError, match="not a training file"):
        call_command("train_query_adapter", training=training, output=output)
    assert not output.exists()


def test_the_training_practices_are_not_the_judged_sets():
    from bench.search_quality.run import SETS

    training = json.loads(TRAINING_PATH.read_text(encoding="utf-8"))
    titles = {practice["title"] for practice in training["practices"]}
    for path in SETS.values():
        judged = json.loads(path.read_text(encoding="utf-8"))
        assert titles.isdisjoint(practice["title"] for practice in judged["practices"])
    assert len(training["pairs"]) == 4 * len(training["practices"])


@pytest.mark.django_db
def test_searches_are_moved_and_questions_routed_as_e5_reads_them(people, monkeypatch):
    asked = []
    original = semantic.query_vector_later

    def recording(text, *, adapted=True):
        asked.append(adapted)
        return original(text, adapted=adapted)

    monkeypatch.setattr(semantic, "query_vector_later", recording)
    practice_ranking.rank("réunion d’équipe", Practice.objects.all(), filtered=False)
    assert asked == [True]

    asked.clear()
    routing.rank_experts(ask(people.owner))
    assert asked
    assert not any(asked)
