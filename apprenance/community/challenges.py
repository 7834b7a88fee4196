"""Team challenges (« défis d’équipes »): the leaderboard computed from the activity log, and the writes
that open, change and delete a challenge.

Points are never stored nor typed in: every leaderboard is computed from ``core.Event`` rows, so what
a team has is what its members did. The rules, in order:

1. **What counts.** Each metric counts one verb of the log on one kind of object, the action's
   *thread*, and names whose content the thread is (for rule 4):

   - practices shared: ``practice.published`` on the practice; the thread is the practice itself
     (publishing is one's own content by nature: rule 4 does not apply);
   - answers given: ``question.answered``, whose target is the question (the answer is in the
     payload); the thread is the question, its content the question's team and author;
   - adoptions: ``practice.adopted`` on the practice; the thread is the practice, its content the
     practice's team and author;
   - session attendance: ``session.attended`` on the live session; the thread is the session (no team
     owns a session: rule 4 does not apply).

2. **The period.** Events from ``starts_on`` 00:00 to the end of ``ends_on`` (the next day 00:00
   excluded), in the platform's time zone (``TIME_ZONE``).

3. **Diminishing returns.** Among the counted events of one actor on one thread in the period, in
   time order, the first is worth 4 points, the second 2, the third 1 and the next ones nothing
   (``POINTS_BY_REPEAT``): the halving series 1, ½, ¼ in whole points (readable, and ties stay
   exact), cut after the third so that piling up on one thread never pays, while a first action on
   another thread is worth 4 again. Actions before the period do not count as repeats.

4. **No points for reacting to one's own team.** An answer or an adoption earns nothing when the
   question or practice belongs to the team credited with the action, or was written by the actor.
   It still counts as a repeat for rule 3. A thread deleted since then has no owner left to compare.

5. **The team credited** is the one the log stored with the event (``Event.team``: the practice's team
   for a publication, the adopting team for an adoption, the answerer's first team for an answer),
   else — attendance is logged without a team — the actor's first team by name today, the same choice
   the services make when they log a team. Events without an actor (erased people) or without any
   team give nothing.

6. **The scope.** A challenge of an organisation ranks that organisation's teams, and an event counts
   when its credited team is one of them, wherever the thread lives (answering another organisation's
   question is exactly the exchange the game rewards). A network challenge ranks every team.

Every team of the scope is on the leaderboard, zero points included. Teams with the same points
share a rank (standard competition ranking: 1, 2, 2, 4), listed by name.

The events of a leaderboard come in one query (the thread's team and author and the fallback team
are subqueries of it), ordered so that one pass over them ranks each actor's repeats on each thread.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import models, transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from apprenance.community.models import ChallengeMetric, LiveSession, TeamChallenge
from apprenance.core.activity import record
from apprenance.core.models import Event
from apprenance.people.models import Member, Membership, Team
from apprenance.practices.models import Practice
from apprenance.questions.models import Question

# Points of the 1st, 2nd and 3rd counted action of one actor on one thread; later ones give nothing.
POINTS_BY_REPEAT = (4, 2, 1)
CHALLENGE_FIELDS = ("title", "description", "metric", "organisation", "starts_on", "ends_on")


@dataclass(frozen=True)
class Metric:
    """Which events of the log a metric counts (rule 1)."""

    verb: str
    thread: type[models.Model]
    # The model whose team and author own the thread's content, when reacting to one's own team
    # earns nothing (rule 4); None when the rule does not apply.
    content: type[models.Model] | None

    @property
    def object_type(self) -> str:
        return self.thread._meta.label_lower


METRICS = {
    ChallengeMetric.PRACTICES_SHARED: Metric("practice.published", Practice, None),
    ChallengeMetric.ANSWERS_GIVEN: Metric("question.answered", Question, Question),
    ChallengeMetric.ADOPTIONS: Metric("practice.adopted", Practice, Practice),
    ChallengeMetric.SESSION_ATTENDANCE: Metric("session.attended", LiveSession, None),
}


@dataclass
class Contribution:
    """What one member brought to one team: the actions that earned points, and the points."""

    member_id: int
    actions: int = 0
    points: int = 0


@dataclass
class Standing:
    """A team's line of the leaderboard."""

    team: Team
    points: int = 0
    actions: int = 0
    contributors: int = 0
    rank: int = 0
    tied: bool = False


@dataclass
class Leaderboard:
    standings: list[Standing]
    # Per team id, its members' contributions, best first.
    contributions: dict[int, list[Contribution]] = field(default_factory=dict)

    def standing_of(self, team_id: int) -> Standing | None:
        return next((standing for standing in self.standings if standing.team.pk == team_id), None)


def period_bounds(challenge: TeamChallenge) -> tuple[datetime, datetime]:
    """The challenge's first instant and the first instant after it, in the platform's time zone."""
    zone = timezone.get_default_timezone()
    start = datetime.combine(challenge.starts_on, time.min, tzinfo=zone)
    end = datetime.combine(challenge.ends_on + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def scope_teams(challenge: TeamChallenge) -> models.QuerySet:
    """The teams that compete: the organisation's, or the whole network's."""
    teams = Team.objects.select_related("organisation")
    if challenge.organisation_id is not None:
        teams = teams.filter(organisation_id=challenge.organisation_id)
    return teams


def scored_events(challenge: TeamChallenge) -> models.QuerySet:
    """The events the challenge counts, as (actor, thread, credited team, content team, content author)
    rows ordered by actor, thread and time: what ``leaderboard`` reads in one pass."""
    metric = METRICS[challenge.metric]
    start, end = period_bounds(challenge)
    first_team = Membership.objects.filter(member_id=OuterRef("actor_id")).order_by("team__name", "team_id")
    events = Event.objects.filter(
        verb=metric.verb,
        object_type=metric.object_type,
        created_at__gte=start,
        created_at__lt=end,
        actor__isnull=False,
        object_id__isnull=False,
    ).annotate(
        credited=Coalesce(
            F("team_id"), Subquery(first_team.values("team_id")[:1]), output_field=models.BigIntegerField()
        )
    )
    if challenge.organisation_id is not None:
        events = events.filter(credited__in=Team.objects.filter(organisation_id=challenge.organisation_id).values("pk"))
    else:
        events = events.filter(credited__isnull=False)
    if metric.content is not None:
        content = metric.content.objects.filter(pk=OuterRef("object_id"))
        events = events.annotate(
            content_team=Subquery(content.values("team_id")[:1]),
            content_author=Subquery(content.values("author_id")[:1]),
        )
    else:
        events = events.annotate(
            content_team=models.Value(None, output_field=models.BigIntegerField()),
            content_author=models.Value(None, output_field=models.BigIntegerField()),
        )
    return events.order_by("actor_id", "object_id", "created_at", "pk").values_list(
        "actor_id", "object_id", "credited", "content_team", "content_author"
    )


def leaderboard(challenge: TeamChallenge) -> Leaderboard:
    """Every team of the scope with its points, actions that earned points and contributors, ranked."""
    per_member: dict[int, dict[int, Contribution]] = defaultdict(dict)
    thread, repeat = None, 0
    for actor_id, object_id, credited, content_team, content_author in scored_events(challenge).iterator(
        chunk_size=2000
    ):
        repeat = repeat + 1 if (actor_id, object_id) == thread else 1
        thread = (actor_id, object_id)
        own = credited == content_team or actor_id == content_author
        points = 0 if own or repeat > len(POINTS_BY_REPEAT) else POINTS_BY_REPEAT[repeat - 1]
        if points:
            contribution = per_member[credited].setdefault(actor_id, Contribution(actor_id))
            contribution.actions += 1
            contribution.points += points
    standings = []
    for team in scope_teams(challenge):
        members = per_member.get(team.pk, {}).values()
        standings.append(
            Standing(
                team=team,
                points=sum(c.points for c in members),
                actions=sum(c.actions for c in members),
                contributors=len(members),
            )
        )
    _rank(standings)
    contributions = {
        team_id: sorted(members.values(), key=lambda c: (-c.points, -c.actions, c.member_id))
        for team_id, members in per_member.items()
    }
    return Leaderboard(standings=standings, contributions=contributions)


def _rank(standings: list[Standing]) -> None:
    """Sort best first and give equal points the same rank (1, 2, 2, 4), names breaking ties in the list."""
    standings.sort(key=lambda s: (-s.points, s.team.name.casefold(), s.team.organisation.name.casefold(), s.team.pk))
    ties: dict[int, int] = defaultdict(int)
    for standing in standings:
        ties[standing.points] += 1
    for position, standing in enumerate(standings, start=1):
        previous = standings[position - 2] if position > 1 else None
        standing.rank = previous.rank if previous is not None and previous.points == standing.points else position
        standing.tied = ties[standing.points] > 1


def team_contributions(board: Leaderboard, team_id: int) -> list[tuple[Member, Contribution]]:
    """The members who earned points for the team, with their contribution, best first (one query)."""
    contributions = board.contributions.get(team_id, [])
    members = Member.objects.in_bulk([c.member_id for c in contributions])
    return [(members[c.member_id], c) for c in contributions if c.member_id in members]


def create_challenge(animator, data: dict) -> TeamChallenge:
    """Open a challenge from a validated form's data (``CHALLENGE_FIELDS``)."""
    with transaction.atomic():
        challenge = TeamChallenge.objects.create(created_by=animator, **{name: data[name] for name in CHALLENGE_FIELDS})
        record(animator, "challenge.created", challenge, metric=challenge.metric)
    return challenge


def update_challenge(actor, challenge: TeamChallenge, data: dict) -> TeamChallenge:
    """Change a challenge; its leaderboard follows, being computed from the log."""
    with transaction.atomic():
        challenge = TeamChallenge.objects.select_for_update().get(pk=challenge.pk)
        changed = [name for name in CHALLENGE_FIELDS if getattr(challenge, name) != data[name]]
        for name in changed:
            setattr(challenge, name, data[name])
        if changed:
            challenge.updated_at = timezone.now()
            challenge.save(update_fields=[*changed, "updated_at"])
            record(actor, "challenge.updated", challenge, changed=changed)
    return challenge


def delete_challenge(actor, challenge: TeamChallenge) -> None:
    """Delete a challenge; the activity it counted stays in the log."""
    with transaction.atomic():
        record(actor, "challenge.deleted", challenge, title=challenge.title)
        challenge.delete()
