"""Learn the query adapter (apprenance.core.adapter) again from its training pairs.

    .venv/bin/python manage.py train_query_adapter          # writes apprenance/core/data/query_adapter.npy

The pairs (apprenance/core/data/adapter_training.json) are practices on topics that neither
judged set of bench/search_quality covers, each with four things a member looking for it types,
in other words than its own. A fifth of the practices is held out first, to report how the map
ranks searches it never saw; the map kept is then learnt on all of them.
"""

import json
from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from apprenance.core import adapter, semantic
from apprenance.core.analysis import without_asking

TRAINING_PATH = Path(adapter.__file__).with_name("data") / "adapter_training.json"
BODY_FIELDS = ("context", "what_we_did", "results", "difficulties")
HELD_OUT_SHARE = 0.2
SEED = 1


def practice_text(practice: dict) -> str:
    """A practice as the search stores its meaning: « title. body » (apprenance.practices.services)."""
    body = [practice[name] for name in BODY_FIELDS if practice.get(name)]
    body.extend([*practice.get("tags", []), *practice.get("skills", [])])
    return f"{practice['title']}. " + "\n".join(body)


def restricted(practice_indices: list[int], queries, answers, documents):
    """The searches, answers (renumbered) and documents of these practices alone."""
    renumbered = {index: new for new, index in enumerate(practice_indices)}
    rows = [row for row, answer in enumerate(answers) if answer in renumbered]
    return queries[rows], np.array([renumbered[answers[row]] for row in rows]), documents[practice_indices]


def mean_reciprocal_rank(matrix, queries, answers, documents) -> float:
    adapted = np.array([adapter.adapt(query, matrix) for query in queries])
    similarities = adapted @ documents.T
    right = similarities[np.arange(len(queries)), answers]
    return float(np.mean(1 / (1 + (similarities > right[:, None]).sum(axis=1))))


class Command(BaseCommand):
    help = "Learn the map that moves search queries toward the practices' wording."

    def add_arguments(self, parser):
        parser.add_argument("--training", type=Path, default=TRAINING_PATH)
        parser.add_argument("--output", type=Path, default=adapter.ADAPTER_PATH)

    def handle(self, *args, training: Path, output: Path, **options):
        try:
            data = json.loads(training.read_text(encoding="utf-8"))
            practices, pairs = data["practices"], data["pairs"]
            position = {practice["ref"]: index for index, practice in enumerate(practices)}
            answers = np.array([position[pair["ref"]] for pair in pairs])
            texts = [semantic.query_text(without_asking(pair["text"])) for pair in pairs]
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise CommandError(f"{training}: not a training file ({error})") from error
        if not pairs:
            raise CommandError(f"{training}: not a training file (no pairs)")
        model = semantic.model()
        documents = np.asarray(model.passage([" ".join(practice_text(p).split()) for p in practices]), np.float32)
        queries = np.asarray(model.query(texts), np.float32)

        held_out = np.random.default_rng(SEED).permutation(len(practices))[: int(len(practices) * HELD_OUT_SHARE)]
        kept = sorted(set(range(len(practices))) - set(held_out))
        matrix = adapter.train(*restricted(kept, queries, answers, documents))
        checking = restricted(sorted(held_out), queries, answers, documents)
        before = mean_reciprocal_rank(np.zeros_like(matrix), *checking)
        after = mean_reciprocal_rank(matrix, *checking)
        self.stdout.write(
            f"held-out searches ({len(checking[0])} on {len(held_out)} practices): MRR {before:.3f} as e5 reads them, "
            f"{after:.3f} moved"
        )

        matrix = adapter.train(queries, answers, documents)
        output.parent.mkdir(parents=True, exist_ok=True)
        np.save(output, matrix.astype(np.float16))
        self.stdout.write(f"{len(pairs)} pairs on {len(practices)} practices: map written to {output}")
