"""A learned correction of e5's query vectors toward how managers' practices are written.

Members search in everyday words (« salariés jamais au courant ») for practices written in their
authors' (« lettre interne », « communication descendante »). multilingual-e5-small, small and
general, often ranks those far apart. A linear map added to each query's vector, ``q + qW``, learnt
on pairs of everyday searches and the practices that answer them, moves the query toward the
practices' way of saying it. Documents are left alone: stored vectors stay valid, and a map
learnt again changes no row.

``W`` is trained by ``train`` (contrastive: each search closer to its practice than to the others,
``W`` kept small) from apprenance/core/data/adapter_training.json with the command
``train_query_adapter``, and stored beside this module. Without the file, queries are read as e5
gives them.
"""

import functools
from pathlib import Path

import numpy as np

ADAPTER_PATH = Path(__file__).with_name("data") / "query_adapter.npy"


@functools.cache
def _matrix(path: Path = ADAPTER_PATH) -> np.ndarray | None:
    if not path.exists():
        return None
    return np.load(path).astype(np.float32)


def adapt(vector: np.ndarray, matrix: np.ndarray | None = None) -> np.ndarray:
    """The query ``vector`` moved by the map (unit length); unchanged without one."""
    matrix = _matrix() if matrix is None else matrix
    if matrix is None:
        return vector
    moved = vector + vector @ matrix
    return (moved / np.linalg.norm(moved)).astype(np.float32)


def loss_and_gradient(
    matrix: np.ndarray, queries: np.ndarray, answers: np.ndarray, documents: np.ndarray, temperature: float
) -> tuple[float, np.ndarray]:
    """InfoNCE of the adapted ``queries`` against ``documents`` (``answers[i]``: query i's
    document), and its gradient with respect to ``matrix``."""
    moved = queries + queries @ matrix
    norms = np.linalg.norm(moved, axis=1, keepdims=True)
    adapted = moved / norms
    logits = adapted @ documents.T / temperature
    logits -= logits.max(axis=1, keepdims=True)
    probabilities = np.exp(logits)
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    rows = np.arange(len(queries))
    loss = float(-np.log(probabilities[rows, answers] + 1e-12).mean())
    probabilities[rows, answers] -= 1.0
    toward_adapted = probabilities @ documents / (temperature * len(queries))
    # Through the normalisation: only the part of the gradient across the adapted vector counts.
    toward_moved = (toward_adapted - (toward_adapted * adapted).sum(axis=1, keepdims=True) * adapted) / norms
    return loss, queries.T @ toward_moved


def train(
    queries: np.ndarray,
    answers: np.ndarray,
    documents: np.ndarray,
    *,
    temperature: float = 0.05,
    weight_decay: float = 0.1,
    steps: int = 300,
    learning_rate: float = 0.002,
) -> np.ndarray:
    """The map ``W`` bringing each of ``queries`` (unit e5 query vectors) closest to its
    document among ``documents`` (unit passage vectors), by Adam from zero, ``W`` kept small by
    ``weight_decay``: with a few hundred pairs, a large map would learn them by heart."""
    dimensions = queries.shape[1]
    # The direction all documents share (e5's similarities between unrelated texts sit near 0.8
    # because of it) is left as it is: the map moves a query only across it, so similarities keep
    # the scale every threshold of the search and the routing was set on.
    shared = documents.mean(axis=0)
    shared /= np.linalg.norm(shared)
    across = np.eye(dimensions) - np.outer(shared, shared)
    matrix = np.zeros((dimensions, dimensions), dtype=np.float64)
    first, second = np.zeros_like(matrix), np.zeros_like(matrix)
    beta1, beta2 = 0.9, 0.999
    for step in range(1, steps + 1):
        _loss, gradient = loss_and_gradient(matrix, queries, answers, documents, temperature)
        gradient = gradient @ across + weight_decay * matrix
        first = beta1 * first + (1 - beta1) * gradient
        second = beta2 * second + (1 - beta2) * gradient**2
        corrected_first = first / (1 - beta1**step)
        corrected_second = second / (1 - beta2**step)
        matrix -= learning_rate * corrected_first / (np.sqrt(corrected_second) + 1e-8)
        matrix = matrix @ across
    return matrix.astype(np.float32)
