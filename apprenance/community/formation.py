"""Forming peer circles: pure data in, circles out (no ORM here, so the bench and tests run it bare).

The score of a circle is its diversity, in [0, 1]::

    score = 0.25 · teams/cap_t + 0.30 · organisations/cap_o + 0.25 · worlds/cap_w + 0.20 · seniority bands/cap_s

where each numerator counts the *distinct* values among the circle's members and each ``cap`` is
the most that circle could hold: ``min(circle size, distinct values in the whole population)``.
A circle of six people from six teams of six organisations, across every world present and every
seniority band present, scores 1. A formation's objective is the sum of its circles' scores,
minus ``REPEAT_PENALTY`` for each pair of people who already met in an earlier circle (heavier
than anything diversity can win, so a repeat is only kept when no swap removes it).

Hard constraints: everybody not excluded is placed; circles hold ``size`` or ``size ± 1`` people
(always 4 to 8); people kept together share a circle; people kept apart never do.

The algorithm is a deal, then local search by swaps. People are sorted by world, organisation,
team and seniority (the blocks in an order drawn from the seed) and dealt round-robin, which
already spreads every attribute. Then swaps of two people between circles are tried: first for
those in a conflict (a repeated pair, a pair to keep apart), then for people whose team,
organisation, world or band is duplicated in a circle below the best score, with partners drawn
from those who hold a world or band the circle lacks. A swap's effect is computed from counters
kept per circle, so a try costs a few dictionary look-ups whatever the population; the number of
tries is proportional to the population. Small populations (up to ``SWEEP_LIMIT``) are searched
harder: every pair is tried until no swap improves, then a few random swaps kick the formation out
of its local optimum and the search starts again from the best one found (iterated local search).
People kept together are placed first and never moved.
"""

import gc
import heapq
import math
import random
from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass, field

MIN_SIZE, MAX_SIZE = 4, 8
WEIGHTS = (0.25, 0.30, 0.25, 0.20)  # teams, organisations, worlds, seniority bands
ATTRIBUTES = ("team", "organisation", "world", "seniority")
REPEAT_PENALTY = 10.0
APART_PENALTY = 1000.0  # only while repairing: a formation that keeps one is refused
EPSILON = 1e-9
SWAP_TRIES = 8  # partners tried for one person
TRIES_PER_PERSON = 3  # the search's budget, in swaps evaluated per person…
MIN_TRIES = 300_000  # … and never fewer…
SMALL_TRIES = 600_000  # … or this many for small instances (up to SWEEP_LIMIT people), searched thoroughly
MAX_STALLED_KICKS = 300  # kicks in a row that find nothing better end the search
FEW_VALUES = 8  # attributes with this many values or fewer get partners drawn by missing value
SWEEP_LIMIT = 150  # up to this many people, the search tries every pair


@dataclass(frozen=True)
class Person:
    """Who can be placed in a circle. ``team`` is None for someone without a team: they count as a
    team of their own."""

    id: Hashable
    team: Hashable
    organisation: Hashable
    world: Hashable
    seniority: int


@dataclass
class Formation:
    circles: list[list[Hashable]]  # person ids, per circle
    scores: list[float]  # diversity of each circle, in [0, 1]
    repeated_pairs: int = 0  # pairs placed together again although they met before
    caps: tuple[int, ...] = field(default=(), repr=False)

    @property
    def mean_score(self) -> float:
        return sum(self.scores) / len(self.scores) if self.scores else 0.0

    @property
    def objective(self) -> float:
        return sum(self.scores) - REPEAT_PENALTY * self.repeated_pairs


class FormationError(ValueError):
    """The request cannot be met (too few people, contradictory constraints…): ``code`` names the
    reason for the interface, the message details it for developers."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def pair(a: Hashable, b: Hashable) -> frozenset:
    return frozenset((a, b))


def circle_sizes(count: int, size: int) -> list[int]:
    """Split ``count`` people into circles of ``size`` or ``size ± 1`` (never outside 4 to 8)."""
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise FormationError("size", f"circle size must be between {MIN_SIZE} and {MAX_SIZE}")
    low, high = max(MIN_SIZE, size - 1), min(MAX_SIZE, size + 1)
    best = max(1, round(count / size))
    for circles in sorted(range(1, count // low + 2), key=lambda m: (abs(m - best), m)):
        if circles * low <= count <= circles * high:
            base, extra = divmod(count, circles)
            return [base + 1] * extra + [base] * (circles - extra)
    raise FormationError("too_few", f"{count} people cannot make circles of {low} to {high}")


def caps_for(people: Iterable[Person]) -> tuple[int, ...]:
    """Distinct values of each attribute in the population (what a circle can hold at most)."""
    values = [set(), set(), set(), set()]
    for person in people:
        for index, value in enumerate(key_of(person)):
            values[index].add(value)
    return tuple(len(v) for v in values)


def diversity_score(members: Collection[Person], caps: tuple[int, ...]) -> float:
    """One circle's score (see the module's docstring), from its members and the population's caps."""
    if not members:
        return 0.0
    keys = [key_of(person) for person in members]
    return sum(
        weight * len({key[index] for key in keys}) / min(len(members), caps[index])
        for index, weight in enumerate(WEIGHTS)
    )


def key_of(person: Person) -> tuple:
    """The values that count for diversity, in the order of ``ATTRIBUTES``."""
    team = person.team if person.team is not None else ("alone", person.id)
    return (team, person.organisation, person.world, person.seniority)


def _groups_together(ids: set, together: Iterable[tuple]) -> list[list]:
    """Union-find over the pairs to keep together: the groups of two or more."""
    parent = {}

    def find(x):
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for a, b in together:
        for x in (a, b):
            if x not in ids:
                raise FormationError("outside", f"{x!r} is kept together with someone but is not in the population")
            parent.setdefault(x, x)
        parent[find(a)] = find(b)
    groups: dict = {}
    for x in parent:
        groups.setdefault(find(x), []).append(x)
    return [sorted(g, key=str) for g in groups.values() if len(g) > 1]


def form_circles(
    people: Iterable[Person],
    size: int,
    *,
    apart: Iterable[tuple] = (),
    together: Iterable[tuple] = (),
    excluded: Collection = (),
    previous_pairs: Collection[frozenset] = frozenset(),
    seed: int = 0,
    effort: float = 1.0,
) -> Formation:
    """Circles of about ``size`` people, as diverse as possible (see the module's docstring).

    ``apart`` and ``together`` are pairs of ids; ``previous_pairs`` holds ``pair(a, b)`` for people
    who already shared a circle. ``effort`` scales the number of swaps tried.
    """
    excluded = set(excluded)
    population = [p for p in people if p.id not in excluded]
    ids = {p.id for p in population}
    if len(ids) != len(population):
        raise FormationError("duplicate", "the same person appears twice")
    together = [(a, b) for a, b in together if a != b]
    apart = [(a, b) for a, b in apart if a != b]
    for a, b in apart:
        if a not in ids or b not in ids:
            if a in excluded or b in excluded:
                continue
            raise FormationError("outside", f"{a!r} or {b!r} is kept apart but is not in the population")
    for a, b in together:
        if a in excluded or b in excluded:
            raise FormationError("excluded_together", "someone kept together with another person is excluded")
    sizes = circle_sizes(len(population), size)
    groups = _groups_together(ids, together)
    group_of = {x: index for index, group in enumerate(groups) for x in group}
    for a, b in apart:
        if a in group_of and group_of.get(a) == group_of.get(b):
            raise FormationError("contradiction", f"{a!r} and {b!r} are kept both together and apart")
    if any(len(group) > max(sizes) for group in groups):
        raise FormationError("group_too_large", "a group kept together is larger than a circle")
    # The search allocates many small objects and frees few: the cyclic garbage collector would
    # walk the whole heap again and again for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _Search(population, sizes, groups, apart, previous_pairs, seed, effort).run()
    finally:
        if collecting:
            gc.enable()


def _moved_into(known: set, circle_of: list, leaving: int, joining: int, replaced: int) -> int:
    """How many more of ``known`` a person shares a circle with after moving from ``leaving`` to
    ``joining`` in place of ``replaced``."""
    change = 0
    for x in known:
        circle = circle_of[x]
        if circle == joining:
            change += x != replaced
        elif circle == leaving:
            change -= 1
    return change


def _neighbours(count: int, pairs: Iterable[tuple[int, int]]) -> list:
    """For each person, the set of those paired with them (an empty tuple when there are none)."""
    sets: dict[int, set] = {}
    for a, b in pairs:
        sets.setdefault(a, set()).add(b)
        sets.setdefault(b, set()).add(a)
    empty = ()
    return [sets.get(i, empty) for i in range(count)]


class _Search:
    def __init__(self, population, sizes, groups, apart, previous_pairs, seed, effort):
        self.random = random.Random(seed)  # noqa: S311 -- reproducible search, no secret
        self.people = population
        self.sizes = sizes
        self.effort = effort
        index = {person.id: i for i, person in enumerate(population)}
        # Each person's attributes coded as small ints, and per circle a counter per attribute.
        tables: list[dict] = [{} for _ in ATTRIBUTES]
        team_table, organisation_table, world_table, seniority_table = tables
        self.codes = [
            (
                team_table.setdefault(team, len(team_table)),
                organisation_table.setdefault(organisation, len(organisation_table)),
                world_table.setdefault(world, len(world_table)),
                seniority_table.setdefault(seniority, len(seniority_table)),
            )
            for team, organisation, world, seniority in map(key_of, population)
        ]
        self.caps = tuple(len(table) for table in tables)
        # coef[c][a]: what one more distinct value of attribute a is worth in circle c.
        self.coef = [tuple(w / min(s, cap) for w, cap in zip(WEIGHTS, self.caps, strict=True)) for s in sizes]
        # For attributes with few values (worlds, seniority bands), who holds each value.
        self.few_values = []
        for k, table in enumerate(tables):
            if len(table) <= FEW_VALUES:
                holders: dict[int, list[int]] = {}
                for i, codes in enumerate(self.codes):
                    holders.setdefault(codes[k], []).append(i)
                self.few_values.append((k, holders))
        self.fixed = [False] * len(population)
        self.groups = [[index[x] for x in group] for group in groups]
        for group in self.groups:
            for i in group:
                self.fixed[i] = True
        # Most people have nobody to avoid: they share one empty tuple, which keeps the hot loop in cache.
        self.apart = _neighbours(len(population), ((index[a], index[b]) for a, b in apart if a in index and b in index))
        self.met = _neighbours(
            len(population),
            (
                (index[a], index[b])
                for a, b in (tuple(met) for met in previous_pairs if len(met) == 2)
                if a in index and b in index
            ),
        )

    # --- The first formation -----------------------------------------------------------------

    def deal(self) -> None:
        """Groups first (largest first, into the emptiest circles), then everyone else round-robin in
        (world, organisation, team, seniority) order, which spreads each of them."""
        room = list(self.sizes)
        circle_of = [-1] * len(self.people)
        emptiest = [(-size, c) for c, size in enumerate(room)]
        heapq.heapify(emptiest)
        for group in sorted(self.groups, key=len, reverse=True):
            _, c = heapq.heappop(emptiest)
            for i in group:
                circle_of[i] = c
            room[c] -= len(group)
            heapq.heappush(emptiest, (-room[c], c))
        slots = [c for k in range(max(self.sizes)) for c in range(len(room)) if k < room[c]]
        # Blocks of worlds, organisations and teams come in an order drawn from the seed: people close
        # in that order still land in different circles, but who meets whom changes with the seed, so
        # that an earlier formation of the same population is not simply dealt again.
        ranks = []
        for k in range(3):
            order = list(range(self.caps[k]))
            self.random.shuffle(order)
            ranks.append(order)
        team_rank, organisation_rank, world_rank = ranks
        codes = self.codes
        free = sorted(
            (i for i in range(len(self.people)) if not self.fixed[i]),
            key=lambda i: (
                world_rank[codes[i][2]],
                organisation_rank[codes[i][1]],
                team_rank[codes[i][0]],
                codes[i][3],
            ),
        )
        for i, c in zip(free, slots, strict=True):
            circle_of[i] = c
        self.load(circle_of)

    def load(self, circle_of: list[int]) -> None:
        """Take this assignment as the current one and count everything from scratch."""
        codes = self.codes
        self.circle_of = circle_of
        self.members = [[] for _ in self.sizes]
        self.counts = [tuple({} for _ in ATTRIBUTES) for _ in self.sizes]
        for i, c in enumerate(circle_of):
            self.members[c].append(i)
            for counter, value in zip(self.counts[c], codes[i], strict=True):
                counter[value] = counter.get(value, 0) + 1
        self.scores = [self.circle_score(c) for c in range(len(self.sizes))]
        # How many people each person met before, or must avoid, sit in their circle.
        self.trouble = [
            sum(1 for x in met if circle_of[x] == circle_of[i]) + sum(1 for x in apart if circle_of[x] == circle_of[i])
            for i, (met, apart) in enumerate(zip(self.met, self.apart, strict=True))
        ]
        self.value = sum(self.scores) - REPEAT_PENALTY * self.count_pairs(self.met)
        self.value -= APART_PENALTY * self.count_pairs(self.apart)

    def count_pairs(self, neighbours: list) -> int:
        """How many of these pairs share a circle now."""
        circle_of = self.circle_of
        return sum(1 for i, known in enumerate(neighbours) for x in known if circle_of[x] == circle_of[i]) // 2

    def circle_score(self, c: int) -> float:
        return sum(coef * len(counter) for coef, counter in zip(self.coef[c], self.counts[c], strict=True))

    # --- Swaps ------------------------------------------------------------------------------

    def delta(self, i: int, j: int, floor: float = -math.inf) -> float:
        """What swapping i and j (in different circles) adds to the objective; the hot loop, unrolled.

        When diversity alone gains no more than ``floor`` and neither person shares a circle with
        someone they met or must avoid, the pairs can only make it worse: that gain is returned as it is.
        """
        circle_of = self.circle_of
        a_circle, b_circle = circle_of[i], circle_of[j]
        codes_i, codes_j = self.codes[i], self.codes[j]
        counts_a, counts_b = self.counts[a_circle], self.counts[b_circle]
        coef_a, coef_b = self.coef[a_circle], self.coef[b_circle]
        gain = 0.0
        for k in (0, 1, 2, 3):
            vi, vj = codes_i[k], codes_j[k]
            if vi != vj:
                in_a, in_b = counts_a[k], counts_b[k]
                gain += coef_a[k] * ((vj not in in_a) - (in_a[vi] == 1)) + coef_b[k] * (
                    (vi not in in_b) - (in_b[vj] == 1)
                )
        if gain <= floor and not self.trouble[i] and not self.trouble[j]:
            return gain
        met_i, met_j = self.met[i], self.met[j]
        if met_i or met_j:
            gain -= REPEAT_PENALTY * (
                _moved_into(met_i, circle_of, a_circle, b_circle, j)
                + _moved_into(met_j, circle_of, b_circle, a_circle, i)
            )
        apart_i, apart_j = self.apart[i], self.apart[j]
        if apart_i or apart_j:
            gain -= APART_PENALTY * (
                _moved_into(apart_i, circle_of, a_circle, b_circle, j)
                + _moved_into(apart_j, circle_of, b_circle, a_circle, i)
            )
        return gain

    def swap(self, i: int, j: int, gain: float) -> None:
        self.value += gain
        circle_of, trouble = self.circle_of, self.trouble
        a_circle, b_circle = circle_of[i], circle_of[j]
        for person, leaving, joining in ((i, a_circle, b_circle), (j, b_circle, a_circle)):
            for known in (self.met[person], self.apart[person]):
                for x in known:
                    if x in (i, j):
                        continue
                    if circle_of[x] == leaving:
                        trouble[x] -= 1
                        trouble[person] -= 1
                    elif circle_of[x] == joining:
                        trouble[x] += 1
                        trouble[person] += 1
        for circle, leaving, coming in ((a_circle, i, j), (b_circle, j, i)):
            for counter, old, new in zip(self.counts[circle], self.codes[leaving], self.codes[coming], strict=True):
                if old == new:
                    continue
                if counter[old] == 1:
                    del counter[old]
                else:
                    counter[old] -= 1
                counter[new] = counter.get(new, 0) + 1
            members = self.members[circle]
            members[members.index(leaving)] = coming
            self.scores[circle] = self.circle_score(circle)
        circle_of[i], circle_of[j] = b_circle, a_circle

    def in_conflict(self, i: int) -> bool:
        return self.trouble[i] > 0

    def best_swap(self, i: int, tries: int, pools: list[list[int]] = ()) -> int:
        """Try ``tries`` partners for i, every other one drawn from ``pools`` (people holding a value i's
        circle lacks) when there are some, the others from anyone; make the best improving swap, if any
        (and return the partner, or -1)."""
        rand, circle_of, fixed, n = self.random.randrange, self.circle_of, self.fixed, len(self.people)
        home = circle_of[i]
        best, best_gain = -1, EPSILON
        for attempt in range(tries):
            if pools and attempt % 2 == 0:
                pool = pools[rand(len(pools))]
                j = pool[rand(len(pool))]
            else:
                j = rand(n)
            if fixed[j] or circle_of[j] == home:
                continue
            gain = self.delta(i, j, best_gain)
            if gain > best_gain:
                best, best_gain = j, gain
        if best >= 0:
            self.swap(i, best, best_gain)
        return best

    def repair(self) -> None:
        """Move people out of circles where they meet someone again, or someone to keep apart."""
        stuck = [i for i in range(len(self.people)) if not self.fixed[i] and self.in_conflict(i)]
        for _ in range(int(20 * self.effort) + 1):
            if not stuck:
                return
            self.random.shuffle(stuck)
            for i in stuck:
                if self.in_conflict(i):
                    self.best_swap(i, 40)
            stuck = [i for i in stuck if self.in_conflict(i)]

    def climb(self, budget: int) -> int:
        """Swaps for people whose attribute is duplicated in a circle below the best score, pass after
        pass until a pass moves nobody; after the first pass, only the circles that changed in the
        previous one are revisited when the budget would not allow a full pass. Returns the budget left."""
        members, codes, counts, fixed = self.members, self.codes, self.counts, self.fixed
        visit = range(len(self.sizes))
        while budget > 0:
            weak = [c for c in visit if self.scores[c] < 1 - EPSILON]
            self.random.shuffle(weak)
            touched: set[int] = set()
            for c in weak:
                circle_counts = counts[c]
                for i in [
                    i
                    for i in members[c]
                    if not fixed[i] and any(counter[v] > 1 for counter, v in zip(circle_counts, codes[i], strict=True))
                ]:
                    if self.circle_of[i] != c:
                        continue
                    # Worlds and seniority bands are few: look among those who hold one the circle lacks.
                    pools = [
                        pool
                        for k, holders in self.few_values
                        if circle_counts[k][codes[i][k]] > 1
                        for value, pool in holders.items()
                        if value not in circle_counts[k]
                    ]
                    budget -= SWAP_TRIES
                    if self.best_swap(i, SWAP_TRIES, pools) >= 0:
                        touched.update((c, self.circle_of[i]))
                if budget <= 0:
                    break
            if not touched:
                break
            visit = range(len(self.sizes)) if budget > SWAP_TRIES * len(self.people) else sorted(touched)
        return budget

    def sweep(self, budget: int) -> int:
        """For small populations: try every pair, making each improving swap, until none is left (a
        true local optimum for swaps). Returns the budget left."""
        movable = [i for i in range(len(self.people)) if not self.fixed[i]]
        circle_of = self.circle_of
        improved = True
        while improved and budget > 0:
            improved = False
            for i in movable:
                for j in movable:
                    if circle_of[i] != circle_of[j]:
                        gain = self.delta(i, j, EPSILON)
                        if gain > EPSILON:
                            self.swap(i, j, gain)
                            improved = True
            budget -= len(movable) ** 2
        return budget

    def kick(self) -> None:
        """A few random swaps, good or bad, to leave a local optimum (never breaking a pair kept apart)."""
        movable = [i for i in range(len(self.people)) if not self.fixed[i]]
        for _ in range(max(2, len(movable) // 20)):
            i, j = self.random.sample(movable, 2)
            if self.circle_of[i] != self.circle_of[j]:
                gain = self.delta(i, j)
                if gain > -APART_PENALTY / 2:
                    self.swap(i, j, gain)

    def improve(self) -> None:
        """Climb, then kick and climb again from the best formation seen while the budget lasts."""
        small = len(self.people) <= SWEEP_LIMIT
        budget = int(self.effort * (SMALL_TRIES if small else max(TRIES_PER_PERSON * len(self.people), MIN_TRIES)))
        climb = self.sweep if small else self.climb
        budget = climb(budget)
        best_value, best = self.value, list(self.circle_of)
        perfect = len(self.sizes) - EPSILON  # every circle scores 1 and nobody meets again
        stalled = 0
        while budget > SWAP_TRIES * len(self.people) and best_value < perfect and stalled < MAX_STALLED_KICKS:
            self.kick()
            self.repair()
            budget = climb(budget - SWAP_TRIES * len(self.people))
            stalled = 0 if self.value > best_value + EPSILON else stalled + 1
            if self.value > best_value - EPSILON:
                best_value, best = self.value, list(self.circle_of)
            else:
                self.load(list(best))

    def run(self) -> Formation:
        self.deal()
        self.repair()
        self.improve()
        self.repair()
        if self.count_pairs(self.apart):
            raise FormationError("apart_impossible", "no formation keeps apart every pair asked")
        ids = [person.id for person in self.people]
        return Formation(
            circles=[[ids[i] for i in sorted(members)] for members in self.members],
            scores=[round(score, 6) for score in self.scores],
            repeated_pairs=self.count_pairs(self.met),
            caps=self.caps,
        )


def evaluate(people: Iterable[Person], circles: list[list], previous_pairs: Collection[frozenset] = ()) -> Formation:
    """Score circles as they are (after an animator's swap, say), against the whole population."""
    by_id = {person.id: person for person in people}
    caps = caps_for(by_id.values())
    scores, repeated = [], 0
    for circle in circles:
        members = [by_id[x] for x in circle]
        scores.append(round(diversity_score(members, caps), 6))
        repeated += sum(1 for k, a in enumerate(circle) for b in circle[k + 1 :] if pair(a, b) in previous_pairs)
    return Formation(circles=[list(circle) for circle in circles], scores=scores, repeated_pairs=repeated, caps=caps)
