"""The community sections of the ``apprenance-network`` file: circles (members and thread), live
sessions (registrations, attendance and feedback) and campaigns (prompts, who received each, answers),
docs/import-format.md. Called by
apprenance.people.network, which validates the whole file before anything is written and wraps the
import in one transaction.

Keys, for idempotence: a circle by (organisation, name, start date); a membership by its member; a
message by its author and text; a session by its ``uid`` (or, without one, by its organisation,
title and start); a registration by its member; a campaign by (organisation, name), a prompt by its
rank, a recipient by their member, an answer by its author and text. An import adds what is missing and updates what
changed, it never removes: members left out of a circle stay in it. Nobody is notified: this is
the network's history. A prompt given as sent is never sent again nor reminded; a running campaign's
other prompts take the next weekly slots.
"""

import uuid
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from apprenance.community import campaigns, formation, services
from apprenance.community.models import (
    AudienceKind,
    Campaign,
    CampaignStatus,
    Circle,
    CircleMembership,
    CirclePost,
    CircleStatus,
    LiveSession,
    Prompt,
    PromptAnswer,
    PromptRecipient,
    Registration,
    RegistrationStatus,
    SessionFeedback,
    SessionStatus,
)
from apprenance.people.models import Member, Organisation, Team
from apprenance.practices.network import _check_created_at, _count, _created_at, _list

SECTIONS = ("circles", "live_sessions", "campaigns")
# What a calendar must be told of again (RFC 5545 SEQUENCE) when an import changes it.
CALENDAR_FIELDS = ("starts_at", "ends_at", "time_zone", "online_url", "place_name", "address", "status")


def validate(problems, data, teams_by_slug) -> None:
    """Add every problem of the community sections to ``problems`` (paths included).
    ``teams_by_slug`` holds every organisation the database and the file know."""
    from apprenance.people.network import _objects

    for section in SECTIONS:
        if section in data and not isinstance(data[section], list):
            problems.add(section, "must be a list")
    if not any(isinstance(data.get(section), list) for section in SECTIONS):
        return
    context = _Context(problems, data, teams_by_slug)
    seen = set()
    for path, record_ in _objects(problems, _list(data, "circles"), "circles"):
        key = _validate_circle(context, record_, path)
        if key in seen:
            problems.add(path, "the same circle (organisation, name, starts_on) appears twice in the file")
        seen.add(key)
    seen = set()
    for path, record_ in _objects(problems, _list(data, "live_sessions"), "live_sessions"):
        key = _validate_session(context, record_, path)
        if key is not None and key in seen:
            problems.add(path, "the same session appears twice in the file")
        seen.add(key)
    circles = {
        (org, name) for org, name, _starts in Circle.objects.values_list("organisation__slug", "name", "starts_on")
    }
    for record_ in _list(data, "circles"):
        if isinstance(record_, dict) and isinstance(record_.get("name"), str):
            organisation = record_.get("organisation")
            circles.add(
                (organisation.strip() if isinstance(organisation, str) else None, " ".join(record_["name"].split()))
            )
    seen = set()
    for path, record_ in _objects(problems, _list(data, "campaigns"), "campaigns"):
        key = _validate_campaign(context, record_, path, teams_by_slug, circles)
        if key in seen:
            problems.add(path, "the same campaign (organisation, name) appears twice in the file")
        seen.add(key)


class _Context:
    """Who and what the database and the file know, for cross-references."""

    def __init__(self, problems, data, teams_by_slug):
        from apprenance.people.network import _choice, _objects, _text

        self.problems, self.text, self.choice, self.objects = problems, _text, _choice, _objects
        self.organisations = set(teams_by_slug)
        self.members = set(Member.objects.filter(organisation__isnull=False).values_list("email", flat=True))
        for member in _list(data, "members"):
            if isinstance(member, dict) and isinstance(member.get("email"), str):
                self.members.add(member["email"].strip().lower())

    def member(self, record_, key, path, *, required) -> str | None:
        email = self.text(self.problems, record_, key, path, 254, required=required)
        if email and email.lower() not in self.members:
            self.problems.add(f"{path}.{key}", f"no member with e-mail {email!r}")
            return None
        return email.lower() if email else None

    def organisation(self, record_, path) -> str | None:
        value = record_.get("organisation")
        if value is None:
            return None
        if not isinstance(value, str) or value.strip() not in self.organisations:
            self.problems.add(f"{path}.organisation", f"no organisation with slug {value!r}")
            return None
        return value.strip()

    def day(self, record_, key, path, *, required) -> date | None:
        value = record_.get(key)
        if value is None:
            if required:
                self.problems.add(f"{path}.{key}", "is required")
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            self.problems.add(f"{path}.{key}", "must be a date (YYYY-MM-DD)")
            return None

    def link(self, value: str, path: str) -> None:
        try:
            URLValidator(schemes=["https", "http"])(value)
        except ValidationError:
            self.problems.add(path, "must be an http(s) address")

    def instant(self, record_, key, path) -> datetime | None:
        value = record_.get(key)
        try:
            parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            self.problems.add(f"{path}.{key}", "must be an ISO 8601 date and time with its offset")
            return None
        return parsed


def _validate_circle(context, record_, path):
    problems = context.problems
    name = context.text(problems, record_, "name", path, 160, required=True)
    context.text(problems, record_, "purpose", path, None, required=False)
    organisation = context.organisation(record_, path)
    context.member(record_, "animator", path, required=False)
    starts_on = context.day(record_, "starts_on", path, required=True)
    ends_on = context.day(record_, "ends_on", path, required=False)
    if starts_on and ends_on and ends_on < starts_on:
        problems.add(f"{path}.ends_on", "must not be before starts_on")
    context.choice(problems, record_, "status", path, CircleStatus.values)
    members = record_.get("members", [])
    if not isinstance(members, list) or not all(isinstance(email, str) for email in members):
        problems.add(f"{path}.members", "must be a list of e-mails")
        members = []
    emails = set()
    for index, email in enumerate(members):
        email = email.strip().lower()
        if email not in context.members:
            problems.add(f"{path}.members[{index}]", f"no member with e-mail {email!r}")
        elif email in emails:
            problems.add(f"{path}.members[{index}]", f"{email!r} appears twice in the circle")
        emails.add(email)
    animator = (record_.get("animator") or "").strip().lower() if isinstance(record_.get("animator"), str) else ""
    if name and starts_on:
        # An import never removes anyone, so members already in the circle may write in it too.
        scope = {"circle__organisation__slug": organisation} if organisation else {"circle__organisation__isnull": True}
        emails |= set(
            CircleMembership.objects.filter(
                circle__name=" ".join(name.split()), circle__starts_on=starts_on, **scope
            ).values_list("member__email", flat=True)
        )
    posts = record_.get("posts", [])
    if not isinstance(posts, list):
        problems.add(f"{path}.posts", "must be a list")
        posts = []
    for post_path, post in context.objects(problems, posts, f"{path}.posts"):
        _validate_post(context, post, post_path, emails | {animator})
        replies = post.get("replies", [])
        if not isinstance(replies, list):
            problems.add(f"{post_path}.replies", "must be a list")
            continue
        for reply_path, reply in context.objects(problems, replies, f"{post_path}.replies"):
            _validate_post(context, reply, reply_path, emails | {animator})
            if "replies" in reply:
                problems.add(f"{reply_path}.replies", "a reply has no replies (threads are one level deep)")
    return (organisation, name, starts_on)


def _validate_post(context, post, path, allowed):
    author = context.member(post, "author", path, required=True)
    if author and author not in allowed:
        context.problems.add(f"{path}.author", "only the circle's members and its animator write in its thread")
    context.text(context.problems, post, "body", path, 10_000, required=True)
    _check_created_at(context.problems, post, path)


def _validate_session(context, record_, path):
    problems = context.problems
    uid = record_.get("uid")
    if uid is not None:
        try:
            uid = uuid.UUID(uid)
        except (AttributeError, TypeError, ValueError):
            problems.add(f"{path}.uid", "must be a UUID")
            uid = None
    title = context.text(problems, record_, "title", path, 160, required=True)
    context.text(problems, record_, "description", path, None, required=False)
    organisation = context.organisation(record_, path)
    coach = context.member(record_, "coach", path, required=False)
    online_url = context.text(problems, record_, "online_url", path, 500, required=False)
    context.text(problems, record_, "place_name", path, 160, required=False)
    address = context.text(problems, record_, "address", path, None, required=False)
    if bool(online_url) == bool(address):
        problems.add(path, "give either online_url or address (a place), not both and not neither")
    if online_url:
        context.link(online_url, f"{path}.online_url")
    starts_at, ends_at = context.instant(record_, "starts_at", path), context.instant(record_, "ends_at", path)
    if starts_at and ends_at and ends_at <= starts_at:
        problems.add(f"{path}.ends_at", "must be after starts_at")
    zone = record_.get("time_zone", "Europe/Paris")
    if not isinstance(zone, str) or not _zone_exists(zone):
        problems.add(f"{path}.time_zone", f"must be an IANA time zone such as Europe/Paris (got {zone!r})")
    capacity = record_.get("capacity")
    if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 1:
        problems.add(f"{path}.capacity", "must be a whole number of seats, at least 1")
        capacity = None
    context.choice(problems, record_, "status", path, SessionStatus.values)
    registrations = record_.get("registrations", [])
    if not isinstance(registrations, list):
        problems.add(f"{path}.registrations", "must be a list")
        registrations = []
    seen, confirmed = set(), 0
    for entry_path, entry in context.objects(problems, registrations, f"{path}.registrations"):
        email = context.member(entry, "member", entry_path, required=True)
        if email and email == coach:
            problems.add(f"{entry_path}.member", "the coach does not register for their own session")
        if email in seen:
            problems.add(f"{entry_path}.member", f"{email!r} is registered twice")
        seen.add(email)
        status = context.choice(problems, entry, "status", entry_path, RegistrationStatus.values)
        confirmed += (status or RegistrationStatus.CONFIRMED) == RegistrationStatus.CONFIRMED
        if entry.get("attended") not in (None, True, False):
            problems.add(f"{entry_path}.attended", "must be true, false or null")
        _check_created_at(problems, entry, entry_path)
        feedback = entry.get("feedback")
        if feedback is not None:
            _validate_feedback(context, feedback, f"{entry_path}.feedback")
    if capacity is not None and confirmed > capacity:
        problems.add(f"{path}.registrations", f"{confirmed} confirmed registrations for {capacity} seats")
    return uid or (organisation, title, starts_at)


def _validate_feedback(context, feedback, path):
    if not isinstance(feedback, dict):
        context.problems.add(path, "must be an object")
        return
    rating = feedback.get("rating")
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        context.problems.add(f"{path}.rating", "must be a whole number from 1 to 5")
    context.text(context.problems, feedback, "comment", path, 5_000, required=False)


def _validate_campaign(context, record_, path, teams_by_slug, circles):
    problems = context.problems
    name = context.text(problems, record_, "name", path, 160, required=True)
    context.text(problems, record_, "description", path, None, required=False)
    organisation = context.organisation(record_, path)
    context.member(record_, "animator", path, required=False)
    audience = context.choice(problems, record_, "audience", path, AudienceKind.values)
    if "audience" not in record_:
        problems.add(f"{path}.audience", "is required")
    if audience == AudienceKind.NETWORK and organisation:
        problems.add(f"{path}.organisation", "a campaign for the whole network belongs to no organisation")
    if audience in (AudienceKind.ORGANISATION, AudienceKind.TEAMS) and not record_.get("organisation"):
        problems.add(f"{path}.organisation", f"is required for the audience {audience!r}")
    teams = record_.get("teams", [])
    if not isinstance(teams, list) or not all(isinstance(team, str) for team in teams):
        problems.add(f"{path}.teams", "must be a list of team names")
        teams = []
    if audience == AudienceKind.TEAMS and not teams:
        problems.add(f"{path}.teams", "name at least one team of the organisation")
    for index, team in enumerate(teams):
        if organisation and team.strip() not in teams_by_slug.get(organisation, set()):
            problems.add(f"{path}.teams[{index}]", f"no team {team!r} in organisation {organisation!r}")
    named = record_.get("circles", [])
    if not isinstance(named, list) or not all(isinstance(circle, str) for circle in named):
        problems.add(f"{path}.circles", "must be a list of circle names")
        named = []
    if audience == AudienceKind.CIRCLES and not named:
        problems.add(f"{path}.circles", "name at least one circle")
    for index, circle in enumerate(named):
        name_ = " ".join(circle.split())
        if not any(name == name_ and (organisation is None or org == organisation) for org, name in circles):
            problems.add(f"{path}.circles[{index}]", f"no circle named {circle!r} in the campaign's organisation")
    weekday = record_.get("weekday", 0)
    if not isinstance(weekday, int) or isinstance(weekday, bool) or not 0 <= weekday <= 6:
        problems.add(f"{path}.weekday", "must be 0 (Monday) to 6 (Sunday)")
    try:
        time.fromisoformat(record_.get("send_time", "09:00"))
    except (TypeError, ValueError):
        problems.add(f"{path}.send_time", "must be a time of day (HH:MM)")
    zone = record_.get("time_zone", "Europe/Paris")
    if not isinstance(zone, str) or not _zone_exists(zone):
        problems.add(f"{path}.time_zone", f"must be an IANA time zone such as Europe/Paris (got {zone!r})")
    context.day(record_, "starts_on", path, required=True)
    reminder = record_.get("reminder_days", 2)
    if not isinstance(reminder, int) or isinstance(reminder, bool) or not 0 <= reminder <= 6:
        problems.add(f"{path}.reminder_days", "must be 0 (no reminder) to 6 days")
    context.choice(problems, record_, "status", path, CampaignStatus.values)
    prompts = record_.get("prompts", [])
    if not isinstance(prompts, list):
        problems.add(f"{path}.prompts", "must be a list")
        prompts = []
    positions = set()
    for index, (prompt_path, prompt) in enumerate(context.objects(problems, prompts, f"{path}.prompts"), start=1):
        position = prompt.get("position", index)
        if not isinstance(position, int) or isinstance(position, bool) or position < 1:
            problems.add(f"{prompt_path}.position", "must be a whole number from 1")
        elif position in positions:
            problems.add(f"{prompt_path}.position", f"{position} is given twice in the campaign")
        positions.add(position)
        _validate_prompt(context, prompt, prompt_path)
    return (organisation, name)


def _validate_prompt(context, prompt, path):
    problems = context.problems
    context.text(problems, prompt, "theme", path, 160, required=True)
    context.text(problems, prompt, "question", path, 10_000, required=True)
    url = context.text(problems, prompt, "resource_url", path, 500, required=False)
    if url:
        context.link(url, f"{path}.resource_url")
    sent = prompt.get("sent_at") is not None and context.instant(prompt, "sent_at", path) is not None
    recipients = prompt.get("recipients", [])
    if not isinstance(recipients, list) or not all(isinstance(email, str) for email in recipients):
        problems.add(f"{path}.recipients", "must be a list of e-mails")
        recipients = []
    if recipients and not sent:
        problems.add(f"{path}.recipients", "only a prompt already sent (sent_at) has recipients")
    for index, email in enumerate(recipients):
        if email.strip().lower() not in context.members:
            problems.add(f"{path}.recipients[{index}]", f"no member with e-mail {email!r}")
    answers = prompt.get("answers", [])
    if not isinstance(answers, list):
        problems.add(f"{path}.answers", "must be a list")
        answers = []
    if answers and not sent:
        problems.add(f"{path}.answers", "only a prompt already sent (sent_at) has answers")
    for answer_path, answer in context.objects(problems, answers, f"{path}.answers"):
        context.member(answer, "author", answer_path, required=True)
        context.text(problems, answer, "body", answer_path, 10_000, required=True)
        _check_created_at(problems, answer, answer_path)


def import_sections(data, report) -> None:
    """Write the community sections of a file already validated (inside the caller's transaction)."""
    if not any(_list(data, section) for section in SECTIONS):
        return
    members = {m.email: m for m in Member.objects.filter(organisation__isnull=False)}
    organisations = {o.slug: o for o in Organisation.objects.all()}
    formed = [_import_circle(r, members, organisations, report) for r in _list(data, "circles")]
    new = [circle for circle in formed if circle is not None]
    if new:
        # A circle's diversity is measured against the whole population, as when circles are formed.
        everyone = services.people_for(Member.objects.active().filter(organisation__isnull=False))
        for circle in new:
            ids = list(circle.memberships.values_list("member_id", flat=True))
            score = formation.evaluate(everyone, [ids]).scores[0] if ids else 0
            Circle.objects.filter(pk=circle.pk).update(diversity=score)
    for record_ in _list(data, "live_sessions"):
        _import_session(record_, members, organisations, report)
    for record_ in _list(data, "campaigns"):
        _import_campaign(record_, members, organisations, report)


def _email(value) -> str:
    return value.strip().lower()


def _import_circle(record_, members, organisations, report) -> Circle | None:
    """Create or update one circle; returns it when its members changed (its diversity is then stale)."""
    organisation = organisations[record_["organisation"].strip()] if record_.get("organisation") else None
    starts_on = date.fromisoformat(record_["starts_on"])
    values = {
        "purpose": (record_.get("purpose") or "").strip(),
        "animator": members[_email(record_["animator"])] if record_.get("animator") else None,
        "ends_on": date.fromisoformat(record_["ends_on"]) if record_.get("ends_on") else None,
        "status": record_.get("status") or CircleStatus.ACTIVE,
    }
    name = " ".join(record_["name"].split())
    circle = Circle.objects.filter(organisation=organisation, name=name, starts_on=starts_on).first()
    if circle is None:
        circle = Circle.objects.create(organisation=organisation, name=name, starts_on=starts_on, **values)
        _count(report, "circles", True)
    elif any(getattr(circle, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(circle, key, value)
        circle.save()
        _count(report, "circles", False)
    present = set(circle.memberships.values_list("member__email", flat=True))
    joining = [members[_email(email)] for email in record_.get("members", []) if _email(email) not in present]
    CircleMembership.objects.bulk_create([CircleMembership(circle=circle, member=member) for member in joining])
    if joining:
        _count(report, "circle_members", True)
    for post in record_.get("posts", []):
        parent = _import_post(circle, post, None, members, report)
        for reply in post.get("replies", []):
            _import_post(circle, reply, parent, members, report)
    return circle if joining else None


def _import_post(circle, record_, parent, members, report) -> CirclePost:
    author, body = members[_email(record_["author"])], record_["body"].strip()
    post = CirclePost.objects.filter(circle=circle, author=author, body=body).first()
    if post is None:
        post = CirclePost.objects.create(
            circle=circle, author=author, body=body, parent=parent, created_at=_created_at(record_) or timezone.now()
        )
        _count(report, "circle_posts", True)
    return post


def _import_session(record_, members, organisations, report) -> None:
    organisation = organisations[record_["organisation"].strip()] if record_.get("organisation") else None
    coach = members[_email(record_["coach"])] if record_.get("coach") else None
    values = {
        "title": " ".join(record_["title"].split()),
        "description": (record_.get("description") or "").strip(),
        "organisation": organisation,
        "coach": coach,
        "online_url": (record_.get("online_url") or "").strip(),
        "place_name": (record_.get("place_name") or "").strip(),
        "address": (record_.get("address") or "").strip(),
        "starts_at": datetime.fromisoformat(record_["starts_at"]),
        "ends_at": datetime.fromisoformat(record_["ends_at"]),
        "time_zone": record_.get("time_zone", "Europe/Paris"),
        "capacity": record_["capacity"],
        "status": record_.get("status") or SessionStatus.SCHEDULED,
    }
    if record_.get("uid"):
        session = LiveSession.objects.filter(uid=uuid.UUID(record_["uid"])).first()
    else:
        session = LiveSession.objects.filter(
            organisation=organisation, title=values["title"], starts_at=values["starts_at"]
        ).first()
    if session is None:
        extra = {"uid": uuid.UUID(record_["uid"])} if record_.get("uid") else {}
        session = LiveSession.objects.create(created_by=coach, **extra, **values)
        _count(report, "live_sessions", True)
    else:
        changed = [key for key, value in values.items() if getattr(session, key) != value]
        if changed:
            for key in changed:
                setattr(session, key, values[key])
            # Calendars replace their copy only when told that it is newer.
            session.sequence += any(key in CALENDAR_FIELDS for key in changed)
            session.updated_at = timezone.now()
            session.save()
            _count(report, "live_sessions", False)
    _import_registrations(session, record_.get("registrations", []), members, report)


def _import_registrations(session, entries, members, report) -> None:
    existing = {r.member.email: r for r in session.registrations.select_related("member")}
    waiting = 0
    for entry in entries:
        status = entry.get("status") or RegistrationStatus.CONFIRMED
        waiting += status == RegistrationStatus.WAITING
        values = {
            "status": status,
            "position": waiting if status == RegistrationStatus.WAITING else None,
            "attended": entry.get("attended"),
        }
        registration = existing.get(_email(entry["member"]))
        if registration is None:
            registration = Registration.objects.create(
                session=session,
                member=members[_email(entry["member"])],
                created_at=_created_at(entry) or timezone.now(),
                **values,
            )
            _count(report, "registrations", True)
        elif any(getattr(registration, key) != value for key, value in values.items()):
            Registration.objects.filter(pk=registration.pk).update(**values)
            _count(report, "registrations", False)
        feedback = entry.get("feedback")
        if feedback is not None:
            _feedback, created = SessionFeedback.objects.update_or_create(
                registration=registration,
                defaults={"rating": feedback["rating"], "comment": (feedback.get("comment") or "").strip()},
            )
            if created:
                _count(report, "session_feedback", True)


def _import_campaign(record_, members, organisations, report) -> None:
    organisation = organisations[record_["organisation"].strip()] if record_.get("organisation") else None
    values = {
        "description": (record_.get("description") or "").strip(),
        "animator": members[_email(record_["animator"])] if record_.get("animator") else None,
        "audience": record_["audience"],
        "weekday": record_.get("weekday", 0),
        "send_time": time.fromisoformat(record_.get("send_time", "09:00")),
        "time_zone": record_.get("time_zone", "Europe/Paris"),
        "starts_on": date.fromisoformat(record_["starts_on"]),
        "reminder_days": record_.get("reminder_days", 2),
        "status": record_.get("status") or CampaignStatus.DRAFT,
    }
    name = " ".join(record_["name"].split())
    campaign = Campaign.objects.filter(organisation=organisation, name=name).first()
    if campaign is None:
        campaign = Campaign.objects.create(organisation=organisation, name=name, **values)
        _count(report, "campaigns", True)
    elif any(getattr(campaign, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(campaign, key, value)
        campaign.save()
        _count(report, "campaigns", False)
    teams = Team.objects.filter(organisation=organisation, name__in=[t.strip() for t in record_.get("teams", [])])
    circle_names = [" ".join(c.split()) for c in record_.get("circles", [])]
    # A campaign of no organisation may speak to circles of several organisations.
    circles = Circle.objects.filter(name__in=circle_names, **({"organisation": organisation} if organisation else {}))
    if set(campaign.teams.all()) != set(teams) or set(campaign.circles.all()) != set(circles):
        campaign.teams.set(teams)
        campaign.circles.set(circles)
    existing = {prompt.position: prompt for prompt in campaign.prompts.all()}
    history = []
    for index, entry in enumerate(record_.get("prompts", []), start=1):
        position = entry.get("position", index)
        if _import_prompt(campaign, existing.get(position), position, entry, members, report):
            history.append(position)
    campaigns.reschedule(campaign)
    # Prompts the file says went out were reminded then, or never: nobody is reminded of history.
    Prompt.objects.filter(campaign=campaign, position__in=history).update(remind_at=None)


def _import_prompt(campaign, prompt, position, entry, members, report) -> bool:
    """Create or update one prompt; True when the file marks it sent for the first time."""
    sent_at = datetime.fromisoformat(entry["sent_at"]) if entry.get("sent_at") else None
    values = {
        "theme": entry["theme"].strip(),
        "question": entry["question"].strip(),
        "resource_url": (entry.get("resource_url") or "").strip(),
    }
    if prompt is None:
        prompt = Prompt.objects.create(campaign=campaign, position=position, **values)
        _count(report, "campaign_prompts", True)
    elif any(getattr(prompt, key) != value for key, value in values.items()):
        Prompt.objects.filter(pk=prompt.pk).update(**values)
        _count(report, "campaign_prompts", False)
    became_history = sent_at is not None and prompt.sent_at is None
    if became_history:
        # History: it went out then, to these people; the job never sends it again.
        Prompt.objects.filter(pk=prompt.pk).update(sent_at=sent_at, send_at=sent_at, delivered_at=sent_at)
        prompt.sent_at = sent_at
    received = set(prompt.recipients.values_list("member__email", flat=True))
    new = {_email(email) for email in entry.get("recipients", [])} - received
    PromptRecipient.objects.bulk_create(
        [PromptRecipient(prompt=prompt, member=members[email], sent_at=prompt.sent_at) for email in sorted(new)]
    )
    for answer in entry.get("answers", []):
        author, body = members[_email(answer["author"])], answer["body"].strip()
        if not PromptAnswer.objects.filter(prompt=prompt, author=author, body=body).exists():
            PromptAnswer.objects.create(
                prompt=prompt, author=author, body=body, created_at=_created_at(answer) or timezone.now()
            )
            _count(report, "campaign_answers", True)
    return became_history


def export_sections() -> dict:
    """The community sections, sorted so that two exports compare equal."""
    circles = (
        Circle.objects.select_related("organisation", "animator")
        .prefetch_related("memberships__member", "posts__author")
        .order_by("organisation__slug", "starts_on", "name", "pk")
    )
    sessions = (
        LiveSession.objects.select_related("organisation", "coach")
        .prefetch_related("registrations__member", "registrations__feedback")
        .order_by("starts_at", "uid")
    )
    campaign_rows = (
        Campaign.objects.select_related("organisation", "animator")
        .prefetch_related("teams", "circles", "prompts__recipients__member", "prompts__answers__author")
        .order_by("organisation__slug", "name", "pk")
    )
    return {
        "circles": [_circle_record(circle) for circle in circles],
        "live_sessions": [_session_record(session) for session in sessions],
        "campaigns": [_campaign_record(campaign) for campaign in campaign_rows],
    }


def _campaign_record(campaign: Campaign) -> dict:
    return {
        "name": campaign.name,
        "description": campaign.description,
        "organisation": campaign.organisation.slug if campaign.organisation else None,
        "animator": campaign.animator.email if campaign.animator else None,
        "audience": campaign.audience,
        "teams": sorted(team.name for team in campaign.teams.all()),
        "circles": sorted(circle.name for circle in campaign.circles.all()),
        "weekday": campaign.weekday,
        "send_time": campaign.send_time.strftime("%H:%M"),
        "time_zone": campaign.time_zone,
        "starts_on": campaign.starts_on.isoformat(),
        "reminder_days": campaign.reminder_days,
        "status": campaign.status,
        "prompts": [
            {
                "position": prompt.position,
                "theme": prompt.theme,
                "question": prompt.question,
                "resource_url": prompt.resource_url,
                "sent_at": prompt.sent_at.isoformat() if prompt.sent_at else None,
                "recipients": sorted(r.member.email for r in prompt.recipients.all()),
                "answers": [
                    {"author": a.author.email, "body": a.body, "created_at": a.created_at.isoformat()}
                    for a in sorted(prompt.answers.all(), key=lambda a: (a.created_at, a.pk))
                ],
            }
            for prompt in sorted(campaign.prompts.all(), key=lambda p: (p.position, p.pk))
        ],
    }


def _circle_record(circle: Circle) -> dict:
    posts = sorted(circle.posts.all(), key=lambda post: (post.created_at, post.pk))
    replies: dict[int, list] = {}
    for post in posts:
        if post.parent_id:
            replies.setdefault(post.parent_id, []).append(_post_record(post))
    return {
        "name": circle.name,
        "purpose": circle.purpose,
        "organisation": circle.organisation.slug if circle.organisation else None,
        "animator": circle.animator.email if circle.animator else None,
        "starts_on": circle.starts_on.isoformat(),
        "ends_on": circle.ends_on.isoformat() if circle.ends_on else None,
        "status": circle.status,
        "members": sorted(m.member.email for m in circle.memberships.all()),
        "posts": [
            {**_post_record(post), "replies": replies.get(post.pk, [])} for post in posts if post.parent_id is None
        ],
    }


def _post_record(post: CirclePost) -> dict:
    return {"author": post.author.email, "body": post.body, "created_at": post.created_at.isoformat()}


def _session_record(session: LiveSession) -> dict:
    registrations = sorted(
        session.registrations.all(),
        key=lambda r: (r.status != RegistrationStatus.CONFIRMED, r.position or 0, r.created_at, r.pk),
    )
    return {
        "uid": str(session.uid),
        "title": session.title,
        "description": session.description,
        "organisation": session.organisation.slug if session.organisation else None,
        "coach": session.coach.email if session.coach else None,
        "online_url": session.online_url,
        "place_name": session.place_name,
        "address": session.address,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "time_zone": session.time_zone,
        "capacity": session.capacity,
        "status": session.status,
        "registrations": [_registration_record(r) for r in registrations],
    }


def _registration_record(registration: Registration) -> dict:
    record_ = {
        "member": registration.member.email,
        "status": registration.status,
        "attended": registration.attended,
        "created_at": registration.created_at.isoformat(),
    }
    feedback = getattr(registration, "feedback", None)
    if feedback is not None:
        record_["feedback"] = {"rating": feedback.rating, "comment": feedback.comment}
    return record_


def _zone_exists(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
