"""Circle formation on plain data: every constraint holds, pairs never meet twice when they need not."""

import itertools
import random

import pytest

from apprenance.community.formation import (
    MAX_SIZE,
    MIN_SIZE,
    FormationError,
    Person,
    caps_for,
    circle_sizes,
    diversity_score,
    evaluate,
    form_circles,
    pair,
)

WORLDS = ["civil_society", "public_action", "economy", "science"]


def network(count, *, organisations=6, teams_per_organisation=3, seed=1):
    rand = random.Random(seed)
    return [
        Person(
            id=i,
            team=(o := rand.randrange(organisations), rand.randrange(teams_per_organisation)),
            organisation=o,
            world=WORLDS[o % 4],
            seniority=rand.choice([0, 0, 1, 1, 2, 3]),
        )
        for i in range(count)
    ]


def pairs_of(circles):
    return {pair(a, b) for circle in circles for a, b in itertools.combinations(circle, 2)}


def where(formation):
    return {pk: index for index, circle in enumerate(formation.circles) for pk in circle}


@pytest.mark.parametrize(("count", "size"), [(4, 4), (5, 6), (23, 6), (60, 6), (61, 6), (100, 4), (97, 8), (1000, 5)])
def test_everyone_is_placed_once_in_circles_of_the_size_asked_or_one_off(count, size):
    formation = form_circles(network(count), size)
    placed = [pk for circle in formation.circles for pk in circle]
    assert sorted(placed) == list(range(count))
    sizes = {len(circle) for circle in formation.circles}
    assert min(sizes) >= max(MIN_SIZE, size - 1)
    assert max(sizes) <= min(MAX_SIZE, size + 1)


@pytest.mark.parametrize(("count", "size"), [(3, 6), (0, 6), (10, 3), (10, 9)])
def test_impossible_sizes_are_refused(count, size):
    with pytest.raises(FormationError):
        form_circles(network(count), size)


def test_circle_sizes_split_evenly():
    assert circle_sizes(60, 6) == [6] * 10
    assert circle_sizes(61, 6) == [7] + [6] * 9
    assert circle_sizes(9, 4) == [5, 4]
    assert sum(circle_sizes(100_000, 6)) == 100_000


def test_diversity_score_is_one_for_a_circle_of_all_differences_and_lower_otherwise():
    people = [Person(i, i, i, WORLDS[i % 4], i % 4) for i in range(8)]
    caps = caps_for(people)
    assert diversity_score(people[:4], caps) == pytest.approx(1.0)
    same_team = [Person(i, "t", 0, WORLDS[0], 0) for i in range(4)]
    assert diversity_score(same_team, caps) == pytest.approx(0.25 * 1 / 4 + 0.30 * 1 / 4 + 0.25 * 1 / 4 + 0.20 * 1 / 4)
    assert 0 < diversity_score(people[:2] + same_team[:2], caps) < 1


def test_people_kept_apart_never_share_a_circle_and_people_kept_together_always_do():
    people = network(120)
    apart = [(0, 1), (2, 3), (0, 5), (10, 11)]
    together = [(20, 21), (21, 22), (30, 31)]
    formation = form_circles(people, 6, apart=apart, together=together)
    circle_of = where(formation)
    assert all(circle_of[a] != circle_of[b] for a, b in apart)
    assert circle_of[20] == circle_of[21] == circle_of[22]
    assert circle_of[30] == circle_of[31]


def test_people_in_the_same_team_are_kept_apart_when_asked_even_if_that_costs_diversity():
    # Everybody in two teams: keeping 0 and 1 apart is always possible.
    people = [Person(i, i % 2, 0, WORLDS[0], 0) for i in range(8)]
    formation = form_circles(people, 4, apart=[(0, 1), (0, 2)])
    circle_of = where(formation)
    assert circle_of[0] != circle_of[1]
    assert circle_of[0] != circle_of[2]


def test_excluded_people_are_left_out():
    formation = form_circles(network(40), 5, excluded={3, 7, 11})
    placed = {pk for circle in formation.circles for pk in circle}
    assert placed == set(range(40)) - {3, 7, 11}


@pytest.mark.parametrize(
    ("constraints", "code"),
    [
        ({"together": [(0, 1)], "apart": [(0, 1)]}, "contradiction"),
        ({"together": [(0, 1)], "excluded": {1}}, "excluded_together"),
        ({"together": [(i, i + 1) for i in range(5)]}, "group_too_large"),
        ({"apart": [(0, 999)]}, "outside"),
        ({"apart": [(0, j) for j in range(1, 8)]}, "apart_impossible"),
    ],
)
def test_contradictory_constraints_are_refused_with_a_reason(constraints, code):
    with pytest.raises(FormationError) as raised:
        form_circles(network(8), 4, **constraints)
    assert raised.value.code == code


def test_a_second_formation_never_regroups_people_who_already_met():
    people = network(300)
    first = form_circles(people, 6, seed=1)
    second = form_circles(people, 6, previous_pairs=pairs_of(first.circles), seed=1)
    assert second.repeated_pairs == 0
    assert not pairs_of(first.circles) & pairs_of(second.circles)
    third = form_circles(people, 6, previous_pairs=pairs_of(first.circles) | pairs_of(second.circles), seed=1)
    assert third.repeated_pairs == 0
    assert not (pairs_of(first.circles) | pairs_of(second.circles)) & pairs_of(third.circles)


def test_a_repeat_is_kept_only_when_no_formation_avoids_it():
    # Sixteen people in four circles of four: a second round can take one person from each first circle.
    people = [Person(i, i, i, WORLDS[i % 4], i % 4) for i in range(16)]
    first = form_circles(people, 4)
    assert form_circles(people, 4, previous_pairs=pairs_of(first.circles), seed=1).repeated_pairs == 0
    # Eight people in two circles of four: any second round regroups two pairs per circle, no more.
    people = people[:8]
    first = form_circles(people, 4)
    second = form_circles(people, 4, previous_pairs=pairs_of(first.circles), seed=1)
    assert second.repeated_pairs == 4
    assert sorted(pk for circle in second.circles for pk in circle) == list(range(8))


def test_formation_is_diverse_across_teams_organisations_and_worlds():
    people = network(240, organisations=8, teams_per_organisation=4)
    formation = form_circles(people, 6)
    assert formation.mean_score > 0.9
    by_id = {p.id: p for p in people}
    for circle in formation.circles:
        assert len({by_id[pk].world for pk in circle}) >= 3


def test_the_same_seed_gives_the_same_circles():
    people = network(200)
    assert form_circles(people, 6, seed=4).circles == form_circles(people, 6, seed=4).circles


def test_evaluate_scores_circles_as_formation_does():
    people = network(60)
    formation = form_circles(people, 6)
    assert evaluate(people, formation.circles).scores == formation.scores
