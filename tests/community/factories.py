from datetime import date, timedelta

from django.utils import timezone

from apprenance.community.models import Circle, CircleMembership, LiveSession, TeamChallenge


def circle(animator, members, *, organisation=None, name="Cercle des nouveaux managers", **fields):
    """A circle with these members, as if formed earlier."""
    made = Circle.objects.create(
        organisation=organisation,
        name=name,
        animator=animator,
        starts_on=fields.pop("starts_on", date(2026, 9, 1)),
        **fields,
    )
    CircleMembership.objects.bulk_create([CircleMembership(circle=made, member=member) for member in members])
    return made


def live_session(coach, *, organisation=None, starts_at=None, hours=2, capacity=10, **fields):
    """A live session planned by its coach, online unless an address is given, tomorrow by default."""
    starts_at = starts_at or timezone.now() + timedelta(days=2)
    if "address" not in fields:
        fields.setdefault("online_url", "https://visio.example.org/manager-boost")
    return LiveSession.objects.create(
        title=fields.pop("title", "Manager Boost"),
        coach=coach,
        created_by=fields.pop("created_by", coach),
        organisation=organisation,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        capacity=capacity,
        **fields,
    )


def team_challenge(created_by, *, organisation=None, metric="answers_given", days=(-7, 21), **fields):
    """A team challenge, running by default: ``days`` are its first and last days counted from today."""
    today = timezone.localdate()
    return TeamChallenge.objects.create(
        title=fields.pop("title", "Défi de l’entraide"),
        organisation=organisation,
        metric=metric,
        starts_on=fields.pop("starts_on", today + timedelta(days=days[0])),
        ends_on=fields.pop("ends_on", today + timedelta(days=days[1])),
        created_by=created_by,
        **fields,
    )
