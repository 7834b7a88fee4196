"""Writes about circles, and the proposals an animator reviews before circles are formed. Each
function that writes owns its transaction and its side effects (activity log, notifications)."""

from dataclasses import asdict, dataclass
from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from apprenance.community import formation
from apprenance.community.models import Circle, CircleMembership, CirclePost, CircleStatus
from apprenance.core.activity import record
from apprenance.notifications.services import notify
from apprenance.people.models import Member, Membership

# Seniority bands, in years since the member joined: under 2, 2 to 5, 5 to 10, 10 and more.
SENIORITY_YEARS = (2, 5, 10)


class ProposalError(ValueError):
    """The proposal cannot be changed or confirmed as asked (``str`` says why, for developers: the
    views word it for the animator)."""


@dataclass
class Proposal:
    """Circles proposed to an animator, not saved yet: member ids per circle and their scores."""

    size: int
    circles: list[list[int]]
    scores: list[float]
    repeated_pairs: int
    organisation_id: int | None  # the circles' organisation, or None for circles across the network

    @property
    def mean_score(self) -> float:
        return sum(self.scores) / len(self.scores) if self.scores else 0.0

    @property
    def member_ids(self) -> list[int]:
        return [pk for circle in self.circles for pk in circle]

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Proposal":
        return cls(**data)


def seniority_band(joined: date, today: date) -> int:
    years = (today - joined).days / 365.25
    return sum(years >= limit for limit in SENIORITY_YEARS)


def population(animator, *, organisations=(), teams=(), roles=()) -> QuerySet:
    """Active members the animator can see, in the chosen organisations, teams and roles (all when
    none is chosen)."""
    members = Member.objects.active().visible_to(animator).filter(organisation__isnull=False)
    if organisations:
        members = members.filter(organisation__in=organisations)
    if teams:
        members = members.filter(Exists(Membership.objects.filter(member=OuterRef("pk"), team__in=teams)))
    if roles:
        members = members.filter(role__in=roles)
    return members


def people_for(members: QuerySet) -> list[formation.Person]:
    """What formation needs of each member: first team (by name), organisation, world, seniority."""
    first_team: dict[int, int] = {}
    for member_id, team_id in (
        Membership.objects.filter(member__in=members.values("pk"))
        .order_by("team__name")
        .values_list("member_id", "team_id")
    ):
        first_team.setdefault(member_id, team_id)
    today = timezone.localdate()
    return [
        formation.Person(
            id=pk,
            team=first_team.get(pk),
            organisation=organisation_id,
            world=world,
            seniority=seniority_band(timezone.localdate(joined), today),
        )
        for pk, organisation_id, world, joined in members.order_by("pk").values_list(
            "pk", "organisation_id", "organisation__world", "date_joined"
        )
    ]


def previous_pairs(members: QuerySet) -> set[frozenset]:
    """Pairs of these members who already shared a circle."""
    circles: dict[int, list[int]] = {}
    for circle_id, member_id in CircleMembership.objects.filter(member__in=members.values("pk")).values_list(
        "circle_id", "member_id"
    ):
        circles.setdefault(circle_id, []).append(member_id)
    return {formation.pair(a, b) for ids in circles.values() for k, a in enumerate(ids) for b in ids[k + 1 :]}


def propose_circles(animator, population_filters: dict, size: int, constraints: dict) -> Proposal:
    """Circles of about ``size`` people among the population, as diverse as possible, avoiding pairs
    who already met; ``constraints`` holds ``apart`` and ``together`` (pairs of member ids) and
    ``excluded`` (member ids). Raises ``formation.FormationError`` when it cannot be done."""
    members = population(animator, **population_filters)
    people = people_for(members)
    excluded = set(constraints.get("excluded", ()))
    result = formation.form_circles(
        people,
        size,
        apart=constraints.get("apart", ()),
        together=constraints.get("together", ()),
        excluded=excluded,
        previous_pairs=previous_pairs(members),
    )
    organisations = {person.organisation for person in people if person.id not in excluded}
    return Proposal(
        size=size,
        circles=result.circles,
        scores=result.scores,
        repeated_pairs=result.repeated_pairs,
        organisation_id=organisations.pop() if len(organisations) == 1 else None,
    )


def swap_members(proposal: Proposal, first: int, second: int) -> Proposal:
    """The proposal with two people of different circles swapped, scored again."""
    where = {pk: index for index, circle in enumerate(proposal.circles) for pk in circle}
    if first not in where or second not in where:
        raise ProposalError("unknown member")
    if where[first] == where[second]:
        raise ProposalError("same circle")
    circles = [list(circle) for circle in proposal.circles]
    for circle in circles:
        for position, pk in enumerate(circle):
            circle[position] = {first: second, second: first}.get(pk, pk)
    members = Member.objects.filter(pk__in=proposal.member_ids)
    scored = formation.evaluate(people_for(members), circles, previous_pairs(members))
    return Proposal(
        size=proposal.size,
        circles=scored.circles,
        scores=scored.scores,
        repeated_pairs=scored.repeated_pairs,
        organisation_id=proposal.organisation_id,
    )


def confirm_circles(
    animator, proposal: Proposal, *, name: str, purpose: str, starts_on: date, ends_on: date | None
) -> list[Circle]:
    """Create the proposed circles and their memberships; every member hears of their circle."""
    with transaction.atomic():
        members = Member.objects.active().in_bulk(proposal.member_ids)
        if len(members) != len(set(proposal.member_ids)):
            raise ProposalError("members changed")
        circles = []
        for number, (ids, score) in enumerate(zip(proposal.circles, proposal.scores, strict=True), start=1):
            circle = Circle.objects.create(
                organisation_id=proposal.organisation_id,
                name=f"{name} {number}" if len(proposal.circles) > 1 else name,
                purpose=purpose,
                animator=animator,
                starts_on=starts_on,
                ends_on=ends_on,
                diversity=score,
            )
            CircleMembership.objects.bulk_create([CircleMembership(circle=circle, member_id=pk) for pk in ids])
            record(animator, "circle.formed", circle, members=ids, diversity=score)
            for pk in ids:
                notify(members[pk], "circle.joined", circle, animator)
            circles.append(circle)
    return circles


def post_to_circle(member, circle: Circle, body: str, parent: CirclePost | None = None) -> CirclePost:
    """A message in the circle's thread, or a reply to a top-level one; the circle's other members
    and its animator hear of it."""
    if parent is not None and parent.parent_id is not None:
        parent = parent.parent  # threads stay one level deep
    with transaction.atomic():
        post = CirclePost.objects.create(circle=circle, author=member, body=body, parent=parent)
        record(member, "circle.posted", circle, post=post.pk, reply=parent is not None)
        readers = Member.objects.active().filter(circle_memberships__circle=circle)
        recipients = {reader.pk: reader for reader in readers}
        if circle.animator is not None and circle.animator.is_active:
            recipients.setdefault(circle.animator_id, circle.animator)
        for reader in recipients.values():
            notify(reader, "circle.posted", circle, member)
    return post


def close_circle(actor, circle: Circle, today: date | None = None) -> Circle:
    """End a circle: its thread stays readable by its people but takes no new messages, and its end
    date becomes today if it was later or unset (its members may then meet in new circles' pairs)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        circle = Circle.objects.select_for_update().get(pk=circle.pk)
        if circle.status == CircleStatus.CLOSED:
            return circle
        circle.status = CircleStatus.CLOSED
        if circle.ends_on is None or circle.ends_on > today:
            circle.ends_on = max(today, circle.starts_on)
        circle.save(update_fields=["status", "ends_on"])
        record(actor, "circle.closed", circle)
    return circle


def close_finished_circles(today: date | None = None) -> int:
    """Close the circles whose end date has passed; how many were closed."""
    today = today or timezone.localdate()
    finished = Circle.objects.filter(status=CircleStatus.ACTIVE, ends_on__lt=today).order_by("pk")
    return sum(1 for circle in finished if close_circle(None, circle, today).status == CircleStatus.CLOSED)
