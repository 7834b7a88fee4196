"""Campaigns of themed prompts (« campagnes de thèmes »): preparing them, their weekly schedule, sending
each prompt to the audience exactly once, answers, reminders and participation.

Each function that writes owns its transaction and its side effects (activity log, notifications); the
pages, the API and the periodic job call the same functions.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone

from apprenance.community.models import (
    AudienceKind,
    Campaign,
    CampaignStatus,
    CircleMembership,
    Prompt,
    PromptAnswer,
    PromptRecipient,
)
from apprenance.core import delivery
from apprenance.core.activity import record
from apprenance.core.schedule import wall_clock
from apprenance.notifications.services import notify
from apprenance.people.models import Member, Membership

CAMPAIGN_FIELDS = (
    "name",
    "description",
    "organisation",
    "audience",
    "weekday",
    "send_time",
    "time_zone",
    "starts_on",
    "reminder_days",
)
PROMPT_FIELDS = ("theme", "question", "resource_url")
# A reminder this late (the campaign was paused, the worker was down) would come out of context: dropped.
REMINDER_WINDOW = timedelta(days=1)


class CampaignError(ValueError):
    """An action refused by the campaign's course; ``code`` says which (the views and the API word it)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Participation:
    """How the audience took up a prompt."""

    prompt: Prompt
    recipients: int
    answered: int
    reminded: int
    answers: int

    @property
    def share(self) -> float | None:
        """The share of recipients who answered, in [0, 1]; None before anyone received it."""
        return self.answered / self.recipients if self.recipients else None


# --- The schedule -------------------------------------------------------------------------------


def weekly_slots(campaign: Campaign, count: int, after: datetime) -> list[datetime]:
    """The campaign's next ``count`` weekly slots strictly after ``after`` and not before its start
    date: the wall-clock send time on its weekday, in its time zone, whatever the daylight saving."""
    zone = campaign.zone
    day = max(campaign.starts_on, after.astimezone(zone).date())
    day += timedelta(days=(campaign.weekday - day.weekday()) % 7)
    slots: list[datetime] = []
    while len(slots) < count:
        slot = wall_clock(day, campaign.send_time, zone)
        if slot > after:
            slots.append(slot)
        day += timedelta(days=7)
    return slots


def reminder_time(campaign: Campaign, send_at: datetime) -> datetime | None:
    """The reminder comes ``reminder_days`` after the prompt, at the same wall-clock time; None without."""
    if not campaign.reminder_days:
        return None
    local_day: date = send_at.astimezone(campaign.zone).date()
    return wall_clock(local_day + timedelta(days=campaign.reminder_days), campaign.send_time, campaign.zone)


def planned_slots(campaign: Campaign, now: datetime | None = None) -> dict[int, datetime]:
    """When each prompt still to schedule would go if the campaign ran from now, by prompt id: the
    weekly slots after the last prompt sent or due (a due prompt keeps its slot: the job is about to
    send it)."""
    now = now or timezone.now()
    prompts = list(campaign.prompts.order_by("position", "pk"))
    running = campaign.status == CampaignStatus.RUNNING
    fixed = [p for p in prompts if p.is_sent or (running and p.send_at is not None and p.send_at <= now)]
    waiting = [p for p in prompts if p not in fixed]
    after = max([now, *(prompt.send_at for prompt in fixed)])
    return {prompt.pk: slot for prompt, slot in zip(waiting, weekly_slots(campaign, len(waiting), after), strict=True)}


def reschedule(campaign: Campaign, now: datetime | None = None) -> None:
    """Give the prompts not sent yet the weekly slots after the last one sent (and after now), in
    order, and every prompt its reminder time (inside the caller's transaction)."""
    prompts = list(Prompt.objects.filter(campaign=campaign).order_by("position", "pk"))
    running = campaign.status == CampaignStatus.RUNNING
    slots = planned_slots(campaign, now) if running else {}
    for prompt in prompts:
        if not prompt.is_sent and (prompt.pk in slots or not running):
            prompt.send_at = slots.get(prompt.pk)
        prompt.remind_at = reminder_time(campaign, prompt.send_at) if prompt.send_at else None
    Prompt.objects.bulk_update(prompts, ["send_at", "remind_at"])


# --- Preparing a campaign -----------------------------------------------------------------------


def create_campaign(animator, data: dict) -> Campaign:
    """A campaign in preparation from a validated form's data (``CAMPAIGN_FIELDS``, ``teams``, ``circles``)."""
    with transaction.atomic():
        campaign = Campaign.objects.create(animator=animator, **{name: data[name] for name in CAMPAIGN_FIELDS})
        campaign.teams.set(data["teams"])
        campaign.circles.set(data["circles"])
        record(animator, "campaign.created", campaign, audience=campaign.audience)
    return campaign


def update_campaign(actor, campaign: Campaign, data: dict, now: datetime | None = None) -> Campaign:
    """Change a campaign not over yet; a new schedule moves the prompts not sent yet. The audience is
    read when each prompt goes out, so a new audience receives the next prompts."""
    with transaction.atomic():
        campaign = _locked(campaign)
        if campaign.is_finished:
            raise CampaignError("finished")
        changed = [name for name in CAMPAIGN_FIELDS if getattr(campaign, name) != data[name]]
        for name in CAMPAIGN_FIELDS:
            setattr(campaign, name, data[name])
        campaign.save(update_fields=list(CAMPAIGN_FIELDS))
        campaign.teams.set(data["teams"])
        campaign.circles.set(data["circles"])
        reschedule(campaign, now)
        record(actor, "campaign.updated", campaign, changed=changed)
    return campaign


def delete_campaign(actor, campaign: Campaign) -> None:
    """Only a campaign still in preparation is deleted: once launched, its threads belong to its audience."""
    with transaction.atomic():
        campaign = _locked(campaign)
        if not campaign.is_draft:
            raise CampaignError("launched")
        record(actor, "campaign.deleted", campaign, name=campaign.name)
        campaign.delete()


def add_prompt(actor, campaign: Campaign, data: dict, now: datetime | None = None) -> Prompt:
    """A new prompt at the end of the campaign; once launched, it takes the next free slot."""
    with transaction.atomic():
        campaign = _locked(campaign)
        if campaign.is_finished:
            raise CampaignError("finished")
        last = Prompt.objects.filter(campaign=campaign).aggregate(last=Max("position"))["last"]
        prompt = Prompt.objects.create(
            campaign=campaign, position=(last or 0) + 1, **{name: data[name] for name in PROMPT_FIELDS}
        )
        reschedule(campaign, now)
        record(actor, "campaign.prompt_added", prompt, organisation=campaign.organisation)
    prompt.refresh_from_db()
    return prompt


def update_prompt(actor, prompt: Prompt, data: dict) -> Prompt:
    """Change a prompt that has not gone out yet: what the audience received stays as they read it."""
    with transaction.atomic():
        campaign = _locked(prompt.campaign)
        prompt = _unsent(campaign, prompt)
        for name in PROMPT_FIELDS:
            setattr(prompt, name, data[name])
        prompt.save(update_fields=list(PROMPT_FIELDS))
        record(actor, "campaign.prompt_updated", prompt, organisation=campaign.organisation)
    return prompt


def delete_prompt(actor, prompt: Prompt, now: datetime | None = None) -> None:
    """Delete a prompt that has not gone out yet; the following ones move up a slot."""
    with transaction.atomic():
        campaign = _locked(prompt.campaign)
        prompt = _unsent(campaign, prompt)
        record(actor, "campaign.prompt_deleted", prompt, organisation=campaign.organisation, theme=prompt.theme)
        prompt.delete()
        reschedule(campaign, now)


# --- The campaign's course ----------------------------------------------------------------------


def launch_campaign(actor, campaign: Campaign, now: datetime | None = None) -> Campaign:
    """Start sending: each prompt gets its weekly slot, the first one at the next slot to come
    (after ``now``, and not before the start date)."""
    with transaction.atomic():
        campaign = _locked(campaign)
        if not campaign.is_draft:
            raise CampaignError("launched")
        if not Prompt.objects.filter(campaign=campaign).exists():
            raise CampaignError("no_prompt")
        now = now or timezone.now()
        return _set_status(actor, campaign, CampaignStatus.RUNNING, "campaign.launched", now, launched_at=now)


def pause_campaign(actor, campaign: Campaign) -> Campaign:
    """Stop sending new prompts (a prompt already going out still reaches everyone)."""
    with transaction.atomic():
        campaign = _locked(campaign)
        if campaign.status != CampaignStatus.RUNNING:
            raise CampaignError("not_running")
        return _set_status(actor, campaign, CampaignStatus.PAUSED, "campaign.paused", None)


def resume_campaign(actor, campaign: Campaign, now: datetime | None = None) -> Campaign:
    """Send again: the prompts left take the next slots to come, none is sent late in a burst."""
    with transaction.atomic():
        campaign = _locked(campaign)
        if campaign.status != CampaignStatus.PAUSED:
            raise CampaignError("not_paused")
        return _set_status(actor, campaign, CampaignStatus.RUNNING, "campaign.resumed", now)


def finish_campaign(actor, campaign: Campaign) -> Campaign:
    """End the campaign: the prompts left are never sent, the threads stay readable and take no answer."""
    with transaction.atomic():
        campaign = _locked(campaign)
        if campaign.status not in (CampaignStatus.RUNNING, CampaignStatus.PAUSED):
            raise CampaignError("not_running")
        return _set_status(
            actor, campaign, CampaignStatus.FINISHED, "campaign.finished", None, finished_at=timezone.now()
        )


def _set_status(actor, campaign: Campaign, status: str, verb: str, now: datetime | None, **fields) -> Campaign:
    campaign.status = status
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.save(update_fields=["status", *fields])
    reschedule(campaign, now)
    record(actor, verb, campaign)
    return campaign


def _locked(campaign: Campaign) -> Campaign:
    """The campaign's row, locked until the end of the transaction: status changes never cross."""
    return (
        Campaign.objects.select_for_update(of=("self",)).select_related("organisation", "animator").get(pk=campaign.pk)
    )


def _unsent(campaign: Campaign, prompt: Prompt) -> Prompt:
    """The prompt's row, locked; refused once its sending has begun, when it is gone, or when the
    campaign is over."""
    if campaign.is_finished:
        raise CampaignError("finished")
    locked = Prompt.objects.select_for_update().filter(pk=prompt.pk).first()
    if locked is None:
        raise CampaignError("gone")
    if locked.is_sent:
        raise CampaignError("sent")
    locked.campaign = campaign
    return locked


# --- Answers ------------------------------------------------------------------------------------


def answer_prompt(member, prompt: Prompt, body: str) -> PromptAnswer:
    """A message in the prompt's thread; the campaign's animator hears of it. Who may answer is
    decided by ``access.can_answer``; here only the campaign's course is checked."""
    campaign = prompt.campaign
    with transaction.atomic():
        if not Prompt.objects.filter(pk=prompt.pk, sent_at__isnull=False).exists():
            raise CampaignError("not_sent")
        if Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.FINISHED).exists():
            raise CampaignError("finished")
        answer = PromptAnswer.objects.create(prompt=prompt, author=member, body=body)
        record(member, "campaign.answered", prompt, organisation=campaign.organisation, answer=answer.pk)
        animator = campaign.animator
        if animator is not None and animator.is_active:
            notify(animator, "campaign.answered", prompt, member, campaign=campaign.name)
    return answer


# --- Sending ------------------------------------------------------------------------------------


def audience(campaign: Campaign) -> QuerySet:
    """The active members the campaign speaks to, as they are now; its animator aside."""
    members = Member.objects.active().filter(organisation__isnull=False)
    if campaign.audience == AudienceKind.ORGANISATION:
        members = members.filter(organisation_id=campaign.organisation_id)
    elif campaign.audience == AudienceKind.TEAMS:
        members = members.filter(Exists(Membership.objects.filter(member=OuterRef("pk"), team__campaigns=campaign.pk)))
    elif campaign.audience == AudienceKind.CIRCLES:
        members = members.filter(
            Exists(CircleMembership.objects.filter(member=OuterRef("pk"), circle__campaigns=campaign.pk))
        )
    return members.exclude(pk=campaign.animator_id).order_by("pk")


def send_due_prompts(now: datetime | None = None) -> int:
    """Send every prompt whose slot has come to its campaign's audience, as resolved now; returns
    how many people received one.

    Sending a prompt begins with a conditional UPDATE that fixes it (an animator editing it at that
    moment either wins and moves it, or finds it sent). Then each recipient is one transaction that
    claims their delivery key, records them and notifies them: a crash or an error before the commit
    leaves that person, and everyone after, to the next run; nobody committed is sent it again. The
    prompt is marked delivered once nobody is left, so an interrupted prompt is finished first, even
    if the campaign was paused in between."""
    now = now or timezone.now()
    due = Prompt.objects.filter(sent_at__isnull=True, send_at__lte=now)
    for prompt_id in (
        due.filter(campaign__status=CampaignStatus.RUNNING).order_by("send_at", "pk").values_list("pk", flat=True)
    ):
        # Only the prompt's own columns in the condition: the database re-checks them after a lock wait.
        due.filter(pk=prompt_id).update(sent_at=now)
    sent = 0
    started = (
        Prompt.objects.filter(sent_at__isnull=False, delivered_at__isnull=True)
        .select_related("campaign__animator", "campaign__organisation")
        .order_by("send_at", "pk")
    )
    for prompt in started:
        sent += _deliver(prompt)
    return sent


def _deliver(prompt: Prompt) -> int:
    campaign = prompt.campaign
    waiting = audience(campaign).exclude(Exists(PromptRecipient.objects.filter(prompt=prompt, member=OuterRef("pk"))))
    sent = 0
    for member in waiting:
        key = f"campaign-prompt:{prompt.pk}:{member.pk}"
        with transaction.atomic():
            if not delivery.claim(key):
                continue
            PromptRecipient.objects.create(prompt=prompt, member=member)
            notify(member, "campaign.prompt", prompt, campaign.animator, campaign=campaign.name)
            delivery.mark_sent(key)
        sent += 1
    with transaction.atomic():
        if Prompt.objects.filter(pk=prompt.pk, delivered_at__isnull=True).update(delivered_at=timezone.now()):
            recipients = PromptRecipient.objects.filter(prompt=prompt).count()
            record(None, "campaign.prompt_sent", prompt, organisation=campaign.organisation, recipients=recipients)
    return sent


def send_due_reminders(now: datetime | None = None) -> int:
    """Remind, once, each recipient who has not answered a prompt of a running campaign when its
    reminder time has come (within ``REMINDER_WINDOW``); the same claim-record-notify transaction as
    sending keeps it exactly once."""
    now = now or timezone.now()
    answered = PromptAnswer.objects.filter(prompt=OuterRef("prompt"), author=OuterRef("member"))
    due = (
        PromptRecipient.objects.filter(
            reminded_at__isnull=True,
            member__is_active=True,
            prompt__remind_at__lte=now,
            prompt__remind_at__gt=now - REMINDER_WINDOW,
            prompt__campaign__status=CampaignStatus.RUNNING,
        )
        .exclude(Exists(answered))
        .select_related("member", "prompt__campaign__organisation")
        .order_by("prompt_id", "pk")
    )
    reminded = 0
    for recipient in due:
        prompt, campaign = recipient.prompt, recipient.prompt.campaign
        key = f"campaign-reminder:{prompt.pk}:{recipient.member_id}"
        with transaction.atomic():
            # They may have answered since the list was read.
            answered_since = PromptAnswer.objects.filter(prompt=prompt, author_id=recipient.member_id).exists()
            if answered_since or not delivery.claim(key):
                continue
            PromptRecipient.objects.filter(pk=recipient.pk).update(reminded_at=timezone.now())
            notify(recipient.member, "campaign.reminder", prompt, campaign=campaign.name)
            record(None, "campaign.reminded", prompt, organisation=campaign.organisation, member=recipient.member_id)
            delivery.mark_sent(key)
        reminded += 1
    return reminded


# --- Participation ------------------------------------------------------------------------------


def participation(prompts) -> list[Participation]:
    """Recipients, those who answered, those reminded and the answers, for prompts read through
    ``Prompt.objects.with_participation()``."""
    return [
        Participation(
            prompt=prompt,
            recipients=prompt.recipient_count,
            answered=prompt.answered_count,
            reminded=prompt.reminded_count,
            answers=prompt.answer_count,
        )
        for prompt in prompts
    ]
