"""The demo network's circles (demo/circles.json) and live sessions (demo/sessions.json), loaded
after its people by ``load_demo``.

Idempotent: a circle is keyed by its name, a membership by its member, a message by its author and
text; a session by its title, a registration by its member. Nobody is notified and nothing enters
the activity log: this is history, not news.
"""

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apprenance.community import formation, services
from apprenance.community.models import (
    Circle,
    CircleMembership,
    CirclePost,
    LiveSession,
    Registration,
    RegistrationStatus,
    SessionFeedback,
)
from apprenance.people.models import Member, Organisation

DEMO_CIRCLES = Path(settings.BASE_DIR) / "demo" / "circles.json"
DEMO_SESSIONS = Path(settings.BASE_DIR) / "demo" / "sessions.json"


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
