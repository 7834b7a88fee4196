"""The demo network's circles (demo/circles.json), live sessions (demo/sessions.json), campaigns
(demo/campaigns.json) and team challenges (demo/challenges.json), loaded after its people by
``load_demo``.

Idempotent: a circle is keyed by its name, a membership by its member, a message by its author and
text; a session by its title, a registration by its member; a campaign by its name, a prompt by its
rank, a recipient by their member, an answer by its author and text; a challenge by its title.
Nobody is notified: this is history, not news. Circles, sessions and campaigns write nothing to the
activity log; the challenges, whose points come from it, first write the demo's history into it
(``record_demo_history``): one event per published practice, answer, adoption and attendance of the
demo's people, at the time it happened, as the services would have logged it.
"""

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apprenance.community import campaigns, formation, services
from apprenance.community.models import (
    Campaign,
    CampaignStatus,
    Circle,
    CircleMembership,
    CirclePost,
    LiveSession,
    Prompt,
    PromptAnswer,
    PromptRecipient,
    Registration,
    RegistrationStatus,
    SessionFeedback,
    TeamChallenge,
)
from apprenance.core.models import Event
from apprenance.people.models import Member, Membership, Organisation
from apprenance.practices.models import Adoption, Practice, Status
from apprenance.questions.models import Answer

DEMO_CIRCLES = Path(settings.BASE_DIR) / "demo" / "circles.json"
DEMO_SESSIONS = Path(settings.BASE_DIR) / "demo" / "sessions.json"
DEMO_CHALLENGES = Path(settings.BASE_DIR) / "demo" / "challenges.json"
DEMO_NETWORK = Path(settings.BASE_DIR) / "demo" / "network.json"
DEMO_CAMPAIGNS = Path(settings.BASE_DIR) / "demo" / "campaigns.json"


def load_demo_circles(path: Path = DEMO_CIRCLES) -> int:
    """Create the circles the demo file describes, when their people exist; returns how many were new."""
    records = json.loads(path.read_text(encoding="utf-8"))["circles"]
    emails = {email for r in records for email in [r["animator"], *r["members"], *_authors(r["posts"])]}
    members = {member.email: member for member in Member.objects.filter(email__in=emails)}
    if len(members) != len(emails):
        return 0  # not the demo network
    everyone = services.people_for(Member.objects.active().filter(organisation__isnull=False))
    created = 0
    with transaction.atomic():
        for record in records:
            organisation = Organisation.objects.get(slug=record["organisation"]) if record["organisation"] else None
            ids = [members[email].pk for email in record["members"]]
            circle, new = Circle.objects.get_or_create(
                name=record["name"],
                organisation=organisation,
                defaults={
                    "purpose": record["purpose"],
                    "animator": members[record["animator"]],
                    "starts_on": date.fromisoformat(record["starts_on"]),
                    "ends_on": date.fromisoformat(record["ends_on"]),
                    "status": record["status"],
                    "diversity": formation.evaluate(everyone, [ids]).scores[0],
                },
            )
            created += new
            for pk in ids:
                CircleMembership.objects.get_or_create(circle=circle, member_id=pk)
            for post in record["posts"]:
                parent = _post(circle, members, post, None)
                for reply in post["replies"]:
                    _post(circle, members, reply, parent)
    return created


def _authors(posts: list[dict]) -> list[str]:
    return [email for post in posts for email in [post["author"], *(r["author"] for r in post.get("replies", []))]]


def _post(circle, members, record, parent) -> CirclePost:
    post, _ = CirclePost.objects.get_or_create(
        circle=circle,
        author=members[record["author"]],
        body=record["body"],
        defaults={"parent": parent, "created_at": datetime.fromisoformat(record["created_at"])},
    )
    return post


def load_demo_sessions(path: Path = DEMO_SESSIONS, today: date | None = None) -> int:
    """Create the live sessions the demo file describes, dated from ``today``, when their people exist;
    returns how many were new. A session is keyed by its title, a registration by its member; seats
    beyond the capacity go to the waiting list, in the file's order."""
    records = json.loads(path.read_text(encoding="utf-8"))["sessions"]
    emails = {email for r in records for email in [r["coach"], *(g["member"] for g in r["registrations"])]}
    members = {member.email: member for member in Member.objects.filter(email__in=emails)}
    if len(members) != len(emails):
        return 0  # not the demo network
    today = today or timezone.localdate()
    created = 0
    with transaction.atomic():
        for record in records:
            zone = ZoneInfo(record["time_zone"])
            day = today + timedelta(days=record["day"])
            organisation = Organisation.objects.get(slug=record["organisation"]) if record["organisation"] else None
            session, new = LiveSession.objects.get_or_create(
                title=record["title"],
                organisation=organisation,
                defaults={
                    "coach": members[record["coach"]],
                    "created_by": members[record["coach"]],
                    "description": record["description"],
                    "online_url": record.get("online_url", ""),
                    "place_name": record.get("place_name", ""),
                    "address": record.get("address", ""),
                    "starts_at": datetime.combine(day, time.fromisoformat(record["starts"]), tzinfo=zone),
                    "ends_at": datetime.combine(day, time.fromisoformat(record["ends"]), tzinfo=zone),
                    "time_zone": record["time_zone"],
                    "capacity": record["capacity"],
                },
            )
            created += new
            for rank, entry in enumerate(record["registrations"]):
                _registration(session, members[entry["member"]], rank, entry)
    return created


def _registration(session: LiveSession, member, rank: int, entry: dict) -> Registration:
    seated = rank < session.capacity
    registration, _ = Registration.objects.get_or_create(
        session=session,
        member=member,
        defaults={
            "status": RegistrationStatus.CONFIRMED if seated else RegistrationStatus.WAITING,
            "position": None if seated else rank - session.capacity + 1,
            "attended": entry.get("attended"),
            "created_at": session.created_at + timedelta(minutes=rank),
        },
    )
    if "rating" in entry:
        SessionFeedback.objects.get_or_create(
            registration=registration, defaults={"rating": entry["rating"], "comment": entry["comment"]}
        )
    return registration


def load_demo_challenges(path: Path = DEMO_CHALLENGES, today: date | None = None) -> int:
    """Write the demo's history into the activity log, then create the challenges the demo file
    describes, when their people exist; returns how many challenges were new. Their days count from
    the demo's latest answer, so that the leaderboards have the demo's activity to show whatever day
    the demo is loaded."""
    records = json.loads(path.read_text(encoding="utf-8"))["challenges"]
    emails = {record["created_by"] for record in records}
    members = {member.email: member for member in Member.objects.filter(email__in=emails)}
    if len(members) != len(emails):
        return 0  # not the demo network
    people = Member.objects.filter(email__in=_demo_emails())
    latest = Answer.objects.filter(author__in=people).order_by("-created_at").values_list("created_at", flat=True)
    if not latest:
        return 0
    anchor = timezone.localdate(latest[0])
    today = today or timezone.localdate()
    created = 0
    with transaction.atomic():
        record_demo_history(people)
        for record in records:
            starts = anchor + timedelta(days=record["starts"])
            if "ends_after_today" in record:
                ends = max(today, anchor) + timedelta(days=record["ends_after_today"])
            else:
                ends = anchor + timedelta(days=record["ends"])
            organisation = Organisation.objects.get(slug=record["organisation"]) if record["organisation"] else None
            _challenge, new = TeamChallenge.objects.get_or_create(
                title=record["title"],
                organisation=organisation,
                defaults={
                    "description": record["description"],
                    "metric": record["metric"],
                    "starts_on": starts,
                    "ends_on": ends,
                    "created_by": members[record["created_by"]],
                },
            )
            created += new
    return created


def _demo_emails() -> list[str]:
    return [member["email"] for member in json.loads(DEMO_NETWORK.read_text(encoding="utf-8"))["members"]]


def record_demo_history(people) -> int:
    """One event per published practice, answer, adoption and attendance of these people that the log
    lacks, dated when it happened and carrying the organisation and team the services would have given
    it (apprenance.community.challenges reads these); returns how many were written."""
    logged = set(
        Event.objects.filter(
            verb__in=["practice.published", "question.answered", "practice.adopted", "session.attended"]
        ).values_list("verb", "object_id", "actor_id")
    )
    answered = set(Event.objects.filter(verb="question.answered").values_list("payload__answer", flat=True))
    first_team = {}
    for member_id, team_id in (
        Membership.objects.filter(member__in=people).order_by("team__name").values_list("member_id", "team_id")
    ):
        first_team.setdefault(member_id, team_id)
    events = []

    def add(actor_id, verb, target, created_at, *, organisation_id, team_id, **payload):
        events.append(
            Event(
                actor_id=actor_id,
                verb=verb,
                object_type=target._meta.label_lower,
                object_id=target.pk,
                organisation_id=organisation_id,
                team_id=team_id,
                created_at=created_at,
                payload=payload,
            )
        )

    for practice in Practice.objects.filter(author__in=people, status=Status.PUBLISHED, published_at__isnull=False):
        if ("practice.published", practice.pk, practice.author_id) not in logged:
            add(
                practice.author_id,
                "practice.published",
                practice,
                practice.published_at,
                organisation_id=practice.organisation_id,
                team_id=practice.team_id,
            )
    for answer in Answer.objects.filter(author__in=people).select_related("question"):
        if answer.pk not in answered:
            add(
                answer.author_id,
                "question.answered",
                answer.question,
                answer.created_at,
                organisation_id=answer.question.organisation_id,
                team_id=first_team.get(answer.author_id),
                answer=answer.pk,
            )
    for adoption in Adoption.objects.filter(member__in=people).select_related("practice"):
        if ("practice.adopted", adoption.practice_id, adoption.member_id) not in logged:
            add(
                adoption.member_id,
                "practice.adopted",
                adoption.practice,
                adoption.created_at,
                organisation_id=adoption.practice.organisation_id,
                team_id=adoption.team_id,
                outcome=adoption.outcome,
                updated=False,
            )
    for registration in Registration.objects.filter(member__in=people, attended=True).select_related(
        "session", "member"
    ):
        session = registration.session
        if ("session.attended", session.pk, registration.member_id) not in logged:
            add(
                registration.member_id,
                "session.attended",
                session,
                session.ends_at,
                organisation_id=session.organisation_id or registration.member.organisation_id,
                team_id=None,
            )
    Event.objects.bulk_create(events)
    return len(events)


def load_demo_campaigns(path: Path = DEMO_CAMPAIGNS, now: datetime | None = None) -> int:
    """Create the running campaigns the demo file describes, when their people exist; returns how
    many were new. Prompts marked sent went out on consecutive weekly slots, the last one at least
    three days before ``now`` (so that its answers and reminders are past), to the audience of
    today; the others take the next slots to come."""
    records = json.loads(path.read_text(encoding="utf-8"))["campaigns"]
    emails = {
        email for r in records for email in [r["animator"], *(a["author"] for p in r["prompts"] for a in p["answers"])]
    }
    members = {member.email: member for member in Member.objects.filter(email__in=emails)}
    if len(members) != len(emails):
        return 0  # not the demo network
    now = now or timezone.now()
    created = 0
    with transaction.atomic():
        for record in records:
            campaign, new = _campaign(record, members, now)
            created += new
            sent = [entry for entry in record["prompts"] if entry["sent"]]
            first = datetime.combine(campaign.starts_on, time(0), tzinfo=campaign.zone) - timedelta(seconds=1)
            slots = campaigns.weekly_slots(campaign, len(sent), first)
            for position, entry in enumerate(record["prompts"], start=1):
                _prompt(campaign, position, entry, slots[position - 1] if entry["sent"] else None, members, now)
            if new:
                campaigns.reschedule(campaign, now)
    return created


def _campaign(record: dict, members: dict, now: datetime) -> tuple[Campaign, bool]:
    zone = ZoneInfo(record["time_zone"])
    send_time = time.fromisoformat(record["send_time"])
    horizon = (now - timedelta(days=3)).astimezone(zone)
    last = horizon.date() - timedelta(days=(horizon.weekday() - record["weekday"]) % 7)
    if datetime.combine(last, send_time, tzinfo=zone) > horizon:
        last -= timedelta(weeks=1)
    starts_on = last - timedelta(weeks=sum(entry["sent"] for entry in record["prompts"]) - 1)
    return Campaign.objects.get_or_create(
        name=record["name"],
        organisation=Organisation.objects.get(slug=record["organisation"]) if record["organisation"] else None,
        defaults={
            "description": record["description"],
            "animator": members[record["animator"]],
            "audience": record["audience"],
            "weekday": record["weekday"],
            "send_time": send_time,
            "time_zone": record["time_zone"],
            "starts_on": starts_on,
            "reminder_days": record["reminder_days"],
            "status": CampaignStatus.RUNNING,
            "created_at": datetime.combine(starts_on - timedelta(days=7), time(10), tzinfo=zone),
            "launched_at": datetime.combine(starts_on - timedelta(days=3), time(10), tzinfo=zone),
        },
    )


def _prompt(campaign: Campaign, position: int, entry: dict, sent_at, members: dict, now: datetime) -> Prompt:
    """A prompt; one already sent comes with its recipients (today's audience), its answers, and
    reminders for those who did not answer."""
    history = {}
    if sent_at is not None:
        history = {
            "send_at": sent_at,
            "sent_at": sent_at,
            "delivered_at": sent_at,
            "remind_at": campaigns.reminder_time(campaign, sent_at),
        }
    prompt, _ = Prompt.objects.get_or_create(
        campaign=campaign,
        position=position,
        defaults={
            "theme": entry["theme"],
            "question": entry["question"],
            "resource_url": entry["resource_url"],
            **history,
        },
    )
    if not prompt.is_sent:
        return prompt
    answered = set()
    for answer in entry["answers"]:
        author = members[answer["author"]]
        answered.add(author.pk)
        PromptAnswer.objects.get_or_create(
            prompt=prompt,
            author=author,
            body=answer["body"],
            defaults={"created_at": prompt.sent_at + timedelta(hours=answer["after_hours"])},
        )
    reminded = prompt.remind_at if prompt.remind_at and prompt.remind_at <= now else None
    for member_id in campaigns.audience(campaign).values_list("pk", flat=True):
        PromptRecipient.objects.get_or_create(
            prompt=prompt,
            member_id=member_id,
            defaults={"sent_at": prompt.sent_at, "reminded_at": None if member_id in answered else reminded},
        )
    return prompt
