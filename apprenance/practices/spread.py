"""A practice's spread (essaimage): the distinct teams and organisations that tried it, and how it went."""

from collections import Counter
from dataclasses import dataclass, field

from apprenance.practices.models import Adoption, Outcome


@dataclass
class TeamSpread:
    name: str
    outcomes: Counter = field(default_factory=Counter)
    notes: list = field(default_factory=list)  # adoptions, newest first


@dataclass
class OrganisationSpread:
    name: str
    slug: str
    is_origin: bool
    teams: dict[int, TeamSpread] = field(default_factory=dict)


@dataclass
class Spread:
    organisations: list[OrganisationSpread]
    outcomes: Counter

    @property
    def team_count(self) -> int:
        return sum(len(organisation.teams) for organisation in self.organisations)

    @property
    def organisation_count(self) -> int:
        return len(self.organisations)

    @property
    def outcome_lines(self) -> list[tuple[str, str, int]]:
        """(outcome, label, count) in the order of the outcomes, for the summary."""
        return [(value, label, self.outcomes[value]) for value, label in Outcome.choices if self.outcomes[value]]


def spread_of(practice) -> Spread:
    """Adoptions grouped as a tree: organisation (the author's first), then team."""
    adoptions = Adoption.objects.filter(practice=practice).select_related("team", "organisation", "member")
    organisations: dict[int, OrganisationSpread] = {}
    outcomes: Counter = Counter()
    for adoption in adoptions:
        organisation = organisations.setdefault(
            adoption.organisation_id,
            OrganisationSpread(
                name=adoption.organisation.name,
                slug=adoption.organisation.slug,
                is_origin=adoption.organisation_id == practice.organisation_id,
            ),
        )
        team = organisation.teams.setdefault(adoption.team_id, TeamSpread(name=adoption.team.name))
        team.outcomes[adoption.outcome] += 1
        team.notes.append(adoption)
        outcomes[adoption.outcome] += 1
    ordered = sorted(organisations.values(), key=lambda o: (not o.is_origin, o.name))
    return Spread(organisations=ordered, outcomes=outcomes)
