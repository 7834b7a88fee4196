"""The exact optimum of circle formation on small instances, with OR-Tools' CP-SAT solver.

It maximises the same objective as ``apprenance.community.formation`` (the sum of the circles'
diversity, minus the penalty for each pair that meets again) under the same hard constraints, so
that the heuristic can be measured against it. OR-Tools is a development dependency: only the
bench and the tests import this module.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from math import lcm

from ortools.sat.python import cp_model

from apprenance.community.formation import (
    REPEAT_PENALTY,
    WEIGHTS,
    Formation,
    Person,
    caps_for,
    circle_sizes,
    evaluate,
    key_of,
)

# Weights as whole percentages, and each 1/cap (cap ≤ 8) as a multiple of 1/840: the objective is
# an exact integer.
PERCENT = [round(weight * 100) for weight in WEIGHTS]
SCALE = lcm(*range(1, 9))


@dataclass
class ExactResult:
    formation: Formation
    optimal: bool  # proved optimal, not only the best found in the time allowed
    bound: float  # the solver's upper bound on the objective (sum of scores minus penalties)


def exact_circles(
    people: Iterable[Person],
    size: int,
    *,
    apart: Iterable[tuple] = (),
    together: Iterable[tuple] = (),
    excluded: Collection = (),
    previous_pairs: Collection[frozenset] = frozenset(),
    time_limit: float = 60.0,
    workers: int = 2,
) -> ExactResult:
    """Circles maximising the formation objective; ``optimal`` says whether it was proved in time."""
    population = [p for p in people if p.id not in set(excluded)]
    sizes = circle_sizes(len(population), size)
    caps = caps_for(population)
    index = {person.id: i for i, person in enumerate(population)}
    circles = range(len(sizes))
    model = cp_model.CpModel()
    x = {(i, c): model.new_bool_var(f"x{i}_{c}") for i in range(len(population)) for c in circles}
    for i in range(len(population)):
        model.add_exactly_one(x[i, c] for c in circles)
    for c in circles:
        model.add(sum(x[i, c] for i in range(len(population))) == sizes[c])
    if len(set(sizes)) == 1:
        # Circles of one size are interchangeable: person i sits in one of the first i + 1 circles.
        for i in range(min(len(population), len(sizes))):
            for c in range(i + 1, len(sizes)):
                model.add(x[i, c] == 0)
    for a, b in together:
        for c in circles:
            model.add(x[index[a], c] == x[index[b], c])
    for a, b in apart:
        if a in index and b in index:
            for c in circles:
                model.add_bool_or([x[index[a], c].Not(), x[index[b], c].Not()])
    objective = []
    keys = [key_of(person) for person in population]
    for attribute, percent in enumerate(PERCENT):
        holders: dict = {}
        for i, key in enumerate(keys):
            holders.setdefault(key[attribute], []).append(i)
        presence: dict = {}
        for c in circles:
            weight = percent * SCALE // min(sizes[c], caps[attribute])
            for value, members in holders.items():
                present = presence[value, c] = model.new_bool_var(f"y{attribute}_{value}_{c}")
                model.add(present <= sum(x[i, c] for i in members))
                objective.append(weight * present)
            # Redundant, for a tight bound: no circle holds more distinct values than it has seats…
            model.add(sum(presence[value, c] for value in holders) <= min(sizes[c], caps[attribute]))
        # … and a value held by k people is present in k circles at most.
        for value, members in holders.items():
            model.add(sum(presence[value, c] for c in circles) <= min(len(members), len(sizes)))
    penalty = round(REPEAT_PENALTY * 100 * SCALE)
    for met in previous_pairs:
        a, b = tuple(met)
        if a in index and b in index:
            for c in circles:
                together_again = model.new_bool_var(f"z{a}_{b}_{c}")
                model.add_bool_or([x[index[a], c].Not(), x[index[b], c].Not(), together_again])
                objective.append(-penalty * together_again)
    model.maximize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise ValueError("the solver found no formation in the time allowed")
    assignment = [[p.id for i, p in enumerate(population) if solver.value(x[i, c])] for c in circles]
    formation = evaluate(population, assignment, previous_pairs)
    return ExactResult(
        formation=formation,
        optimal=status == cp_model.OPTIMAL,
        bound=solver.best_objective_bound / (100 * SCALE),
    )
