from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from apprenance.community import campaigns
from apprenance.community.models import Campaign, Circle, CircleMembership, LiveSession, TeamChallenge


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


THEMES = [
    ("Le dernier feedback qui vous a aidé", "Qui vous l’a donné, et qu’est-ce qui l’a rendu **utile** ?"),
    ("Dire ce qui va bien", "À qui avez-vous dit merci de façon précise cette semaine ?"),
    ("Préparer un retour difficile", "Quelle phrase d’ouverture marche pour vous ?"),
]


def campaign(animator, *, audience="organisation", organisation=None, teams=(), circles=(), prompts=2, **fields):
    """A campaign in preparation, every Monday at 9:00 in Paris, with ``prompts`` themes."""
    made = Campaign.objects.create(
        name=fields.pop("name", "Le feedback au quotidien"),
        animator=animator,
        audience=audience,
        organisation=organisation,
        weekday=fields.pop("weekday", 0),
        send_time=fields.pop("send_time", time(9)),
        time_zone=fields.pop("time_zone", "Europe/Paris"),
        starts_on=fields.pop("starts_on", date(2026, 10, 19)),
        **fields,
    )
    made.teams.set(teams)
    made.circles.set(circles)
    for number in range(prompts):
        theme, question = THEMES[number % len(THEMES)]
        campaigns.add_prompt(animator, made, {"theme": theme, "question": question, "resource_url": ""})
    return made


def launched(made, *, now=None):
    """The campaign launched as if on ``now`` (by default the Saturday before its start)."""
    now = now or datetime.combine(made.starts_on - timedelta(days=2), time(12), tzinfo=UTC)
    return campaigns.launch_campaign(made.animator, made, now=now)
