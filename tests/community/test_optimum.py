"""The heuristic against the exact optimum (OR-Tools CP-SAT) on small instances."""

import itertools

import pytest

from apprenance.community.formation import form_circles, pair
from bench.circles import earlier_pairs, mean_score_bound, network

exact_circles = pytest.importorskip("bench.circles_exact", reason="OR-Tools is a development dependency").exact_circles


@pytest.mark.parametrize("seed", [0, 1])
def test_the_heuristic_is_within_five_percent_of_the_optimum(seed):
    people = network(36, seed=seed)
    met = earlier_pairs(people, share=1.0, rounds=2, seed=seed)
    exact = exact_circles(people, 6, apart=[(0, 1)], together=[(2, 3)], previous_pairs=met, time_limit=30)
    assert exact.optimal
    heuristic = form_circles(people, 6, apart=[(0, 1)], together=[(2, 3)], previous_pairs=met, seed=seed)
    assert heuristic.repeated_pairs == exact.formation.repeated_pairs
    assert heuristic.objective >= exact.formation.objective - 0.05 * sum(exact.formation.scores)
    assert heuristic.objective <= exact.formation.objective + 1e-9


def test_when_a_formation_without_repeats_exists_it_is_found():
    # 36 people on a 6 × 6 grid who met by rows, then by columns: the diagonals of a Latin square
    # (cells with the same (row + column) mod 6) meet nobody again.
    people = network(36, seed=7)
    rows = [[6 * r + c for c in range(6)] for r in range(6)]
    columns = [[6 * r + c for r in range(6)] for c in range(6)]
    met = {pair(a, b) for group in rows + columns for a, b in itertools.combinations(group, 2)}
    formation = form_circles(people, 6, previous_pairs=met)
    assert formation.repeated_pairs == 0
    assert not met & {pair(a, b) for circle in formation.circles for a, b in itertools.combinations(circle, 2)}


def test_the_bound_on_the_mean_score_holds():
    people = network(2000, seed=3)
    formation = form_circles(people, 6)
    assert formation.mean_score <= mean_score_bound(people, [len(c) for c in formation.circles]) + 1e-9
