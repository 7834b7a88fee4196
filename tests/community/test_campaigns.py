"""Campaigns: the weekly schedule across daylight saving, sending each prompt exactly once (even
through a crash), reminders, the audience at send time, the campaign's course."""

import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from apprenance.community import campaigns
from apprenance.community.models import Prompt, PromptAnswer, PromptRecipient
from apprenance.community.tasks import send_campaign_prompts
from apprenance.core import delivery
from apprenance.core.models import Delivery, Event
from apprenance.core.schedule import PERIODIC_JOBS, enqueue_due_jobs
from apprenance.notifications.kinds import KINDS
from apprenance.notifications.models import Notification
from tests.community.factories import campaign, circle, launched
from tests.people.factories import MemberFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def sentence(notification) -> str:
    return KINDS[notification.kind].sentence(
        actor="Apprenance", others=0, target=notification.target_label, data=notification.data, language="fr"
    )


def received(kind="campaign.prompt") -> list[int]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


@pytest.fixture
def local(people):
    """A campaign to the whole first organisation, animated by its animator, three Mondays from 19 October 2026."""
    return campaign(people.animator, organisation=people.organisation, prompts=3)


def audience_ids(people) -> list[int]:
    """The first organisation's members but its animator, who runs the campaign."""
    return sorted([people.owner.pk, people.colleague.pk, people.admin.pk])


@pytest.mark.parametrize(
    ("starts_on", "first_utc_hour", "later_utc_hour"),
    [
        (date(2026, 10, 19), 7, 8),  # the clocks go back on 25 October: 9:00 is 07:00 UTC, then 08:00 UTC
        (date(2027, 3, 22), 8, 7),  # the clocks go forward on 28 March: 9:00 is 08:00 UTC, then 07:00 UTC
    ],
)
def test_prompts_go_out_at_nine_on_the_wall_clock_across_a_change_of_hour(
    people, starts_on, first_utc_hour, later_utc_hour
):
    made = campaign(people.animator, organisation=people.organisation, prompts=2, starts_on=starts_on)
    launched(made)
    first, second = Prompt.objects.filter(campaign=made).order_by("position")
    assert [p.send_at.astimezone(PARIS).strftime("%A %H:%M") for p in (first, second)] == ["Monday 09:00"] * 2
    assert (first.send_at.hour, second.send_at.hour) == (first_utc_hour, later_utc_hour)
    second_day = starts_on + timedelta(days=7)

    # The first prompt goes at its slot; the second one not an hour early, at the old offset…
    assert campaigns.send_due_prompts(now=first.send_at - timedelta(minutes=1)) == 0
    assert campaigns.send_due_prompts(now=first.send_at) == 3
    same_offset = datetime.combine(second_day, time(first_utc_hour), tzinfo=UTC)
    before = min(same_offset, second.send_at) - timedelta(minutes=1)
    assert campaigns.send_due_prompts(now=before) == 0
    if same_offset < second.send_at:
        assert campaigns.send_due_prompts(now=same_offset) == 0
    # …but at 9:00 on the wall clock of the new season.
    assert campaigns.send_due_prompts(now=second.send_at) == 3
    second.refresh_from_db()
    assert second.sent_at.astimezone(PARIS).strftime("%H:%M") == "09:00"
    assert Notification.objects.filter(kind="campaign.prompt").count() == 6


def test_a_reminder_keeps_the_send_time_across_a_change_of_hour(people):
    made = campaign(people.animator, organisation=people.organisation, prompts=1, weekday=4, reminder_days=3)
    made.starts_on = date(2026, 10, 23)  # a Friday, in summer time; reminded on Monday 26, in winter time
    made.save(update_fields=["starts_on"])
    launched(made)
    prompt = Prompt.objects.get(campaign=made)
    assert prompt.send_at == utc(2026, 10, 23, 7)
    assert prompt.remind_at == utc(2026, 10, 26, 8)
    campaigns.send_due_prompts(now=prompt.send_at)
    assert campaigns.send_due_reminders(now=utc(2026, 10, 26, 7, 59)) == 0
    assert campaigns.send_due_reminders(now=utc(2026, 10, 26, 8)) == 3


def test_a_crash_part_way_through_the_audience_then_a_rerun_notifies_everyone_exactly_once(local, people, monkeypatch):
    late = MemberFactory(organisation=people.organisation)
    launched(local)
    prompt = Prompt.objects.filter(campaign=local).order_by("position").first()
    real_notify = campaigns.notify
    calls = []

    def crash_on_third(recipient, *args, **kwargs):
        calls.append(recipient.pk)
        if len(calls) == 3:
            raise ConnectionError("the worker was killed")
        return real_notify(recipient, *args, **kwargs)

    monkeypatch.setattr(campaigns, "notify", crash_on_third)
    with pytest.raises(ConnectionError):
        campaigns.send_due_prompts(now=prompt.send_at)
    # Two people have it; the third one's transaction rolled back with nothing written.
    assert len(received()) == 2
    assert PromptRecipient.objects.filter(prompt=prompt).count() == 2
    assert not Delivery.objects.filter(status="claimed").exists()
    prompt.refresh_from_db()
    assert prompt.sent_at is not None
    assert prompt.delivered_at is None

    # The worker restarts, later: the interrupted prompt is finished first, nobody gets it twice.
    monkeypatch.setattr(campaigns, "notify", real_notify)
    assert campaigns.send_due_prompts(now=prompt.send_at + timedelta(minutes=3)) == 2
    assert campaigns.send_due_prompts(now=prompt.send_at + timedelta(minutes=4)) == 0
    assert received() == sorted([*audience_ids(people), late.pk])
    assert Delivery.objects.filter(key__startswith=f"campaign-prompt:{prompt.pk}:", status="sent").count() == 4
    prompt.refresh_from_db()
    assert prompt.delivered_at is not None
    assert Event.objects.filter(verb="campaign.prompt_sent", object_id=prompt.pk).get().payload == {"recipients": 4}


def test_a_crash_after_notifying_but_before_the_commit_sends_nothing_twice(local, people, monkeypatch):
    launched(local)
    prompt = Prompt.objects.filter(campaign=local).order_by("position").first()
    real_mark_sent = delivery.mark_sent
    seen = []

    def killed_before_commit(key):
        seen.append(key)
        if len(seen) == 2:
            raise SystemExit("the worker was killed")
        real_mark_sent(key)

    monkeypatch.setattr(delivery, "mark_sent", killed_before_commit)
    with pytest.raises(SystemExit):
        campaigns.send_due_prompts(now=prompt.send_at)
    assert len(received()) == 1  # the second notification went with its rolled back transaction
    monkeypatch.setattr(delivery, "mark_sent", real_mark_sent)
    campaigns.send_due_prompts(now=prompt.send_at)
    assert received() == audience_ids(people)


def test_a_second_worker_sending_at_the_same_time_skips_the_people_already_claimed(local, people):
    launched(local)
    prompt = Prompt.objects.filter(campaign=local).order_by("position").first()
    assert delivery.claim(f"campaign-prompt:{prompt.pk}:{people.owner.pk}")  # another worker is on it
    assert campaigns.send_due_prompts(now=prompt.send_at) == 2
    assert people.owner.pk not in received()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite's test database lives in one connection")
def test_two_workers_sending_at_once_notify_everyone_exactly_once(people):
    crowd = [MemberFactory(organisation=people.organisation) for _ in range(30)]
    made = launched(campaign(people.animator, organisation=people.organisation, prompts=1))
    prompt = Prompt.objects.get(campaign=made)
    barrier = threading.Barrier(2)

    def worker():
        barrier.wait()
        try:
            campaigns.send_due_prompts(now=prompt.send_at)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert received() == sorted([*audience_ids(people), *(member.pk for member in crowd)])
    assert Event.objects.filter(verb="campaign.prompt_sent").count() == 1


def test_the_audience_is_read_when_each_prompt_goes_out(people):
    newcomer = MemberFactory(organisation=people.organisation)
    made = campaign(people.animator, audience="teams", organisation=people.organisation, teams=[people.team])
    launched(made)
    first, second = Prompt.objects.filter(campaign=made).order_by("position")
    campaigns.send_due_prompts(now=first.send_at)
    assert received() == sorted([people.owner.pk, people.colleague.pk])
    newcomer.teams.add(people.team)
    people.colleague.teams.remove(people.team)
    people.owner.is_active = False
    people.owner.save(update_fields=["is_active"])
    campaigns.send_due_prompts(now=second.send_at)
    second_recipients = sorted(PromptRecipient.objects.filter(prompt=second).values_list("member", flat=True))
    assert second_recipients == [newcomer.pk]


def test_a_campaign_to_circles_goes_to_their_members(people):
    ring = circle(people.network_admin, [people.owner, people.outsider], name="Cercle du territoire")
    made = campaign(people.network_admin, audience="circles", circles=[ring], prompts=1)
    launched(made)
    prompt = Prompt.objects.get(campaign=made)
    campaigns.send_due_prompts(now=prompt.send_at)
    assert received() == sorted([people.owner.pk, people.outsider.pk])
    notification = Notification.objects.filter(kind="campaign.prompt").first()
    assert sentence(notification) == (
        "Campagne « Le feedback au quotidien » : le thème de la semaine est « Le dernier feedback qui vous a aidé »"
    )
    assert notification.target_url == prompt.get_absolute_url()


def test_the_periodic_job_runs_every_minute_and_sends_what_is_due(local, people):
    assert "community.campaign_prompts" in enqueue_due_jobs(utc(2026, 10, 19, 7, 0, 30))
    assert PERIODIC_JOBS["community.campaign_prompts"].schedule.unit == "minute"
    launched(local)  # its slots are long past: the job sends the due ones, in order
    assert send_campaign_prompts.call(slot="2026-12-03T08:00:00+00:00") > 0
    assert received() == sorted(audience_ids(people) * 3)
    assert send_campaign_prompts.call(slot="2026-12-03T08:01:00+00:00") == 0


def test_reminders_go_once_to_recipients_who_have_not_answered(local, people, monkeypatch):
    launched(local)
    prompt = Prompt.objects.filter(campaign=local).order_by("position").first()
    campaigns.send_due_prompts(now=prompt.send_at)
    prompt.refresh_from_db()
    assert prompt.remind_at == prompt.send_at + timedelta(days=2)
    campaigns.answer_prompt(people.owner, prompt, "Ma cheffe, juste après un mariage.")
    assert campaigns.send_due_reminders(now=prompt.remind_at - timedelta(minutes=1)) == 0

    real_notify = campaigns.notify

    def crash_once(recipient, *args, **kwargs):
        monkeypatch.setattr(campaigns, "notify", real_notify)
        raise ConnectionError("the mail server is down")

    monkeypatch.setattr(campaigns, "notify", crash_once)
    with pytest.raises(ConnectionError):
        campaigns.send_due_reminders(now=prompt.remind_at)
    assert campaigns.send_due_reminders(now=prompt.remind_at) == 2
    assert campaigns.send_due_reminders(now=prompt.remind_at + timedelta(hours=1)) == 0
    assert received("campaign.reminder") == sorted([people.colleague.pk, people.admin.pk])
    reminder = Notification.objects.filter(kind="campaign.reminder").first()
    assert sentence(reminder).startswith("Rappel : votre avis est attendu sur « Le dernier feedback qui vous a aidé »")
    assert PromptRecipient.objects.filter(prompt=prompt, reminded_at__isnull=False).count() == 2


def test_no_reminder_while_paused_nor_without_a_delay_nor_long_after_its_time(local, people):
    launched(local)
    prompt = Prompt.objects.filter(campaign=local).order_by("position").first()
    campaigns.send_due_prompts(now=prompt.send_at)
    prompt.refresh_from_db()
    campaigns.pause_campaign(people.animator, local)
    assert campaigns.send_due_reminders(now=prompt.remind_at + timedelta(hours=1)) == 0
    campaigns.resume_campaign(people.animator, local, now=prompt.remind_at + timedelta(hours=1))
    # Resumed two days after the reminder time: too late to remind anyone of last week's theme.
    assert campaigns.send_due_reminders(now=prompt.remind_at + timedelta(days=2)) == 0
    local.refresh_from_db()
    data = {name: getattr(local, name) for name in campaigns.CAMPAIGN_FIELDS}
    campaigns.update_campaign(people.animator, local, {**data, "reminder_days": 0, "teams": [], "circles": []})
    prompt.refresh_from_db()
    assert prompt.remind_at is None
    assert campaigns.send_due_reminders(now=prompt.send_at + timedelta(days=2, hours=1)) == 0
    assert not Notification.objects.filter(kind="campaign.reminder").exists()


def test_a_paused_campaign_sends_nothing_and_resumes_at_the_next_slots_without_a_burst(local, people):
    launched(local)
    first, second, third = Prompt.objects.filter(campaign=local).order_by("position")
    campaigns.send_due_prompts(now=first.send_at)
    campaigns.pause_campaign(people.animator, local)
    assert campaigns.send_due_prompts(now=third.send_at + timedelta(days=1)) == 0
    # Resumed on Wednesday 4 November: the two prompts left go on the next Mondays, one a week.
    campaigns.resume_campaign(people.animator, local, now=utc(2026, 11, 4, 10))
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.send_at, third.send_at) == (utc(2026, 11, 9, 8), utc(2026, 11, 16, 8))
    assert campaigns.send_due_prompts(now=utc(2026, 11, 9, 8)) == 3
    assert Prompt.objects.filter(campaign=local, sent_at__isnull=False).count() == 2


def test_a_prompt_added_while_running_takes_the_next_slot_and_a_deleted_one_frees_its_slot(local, people):
    launched(local)
    first, second, third = Prompt.objects.filter(campaign=local).order_by("position")
    campaigns.send_due_prompts(now=first.send_at)
    fourth = campaigns.add_prompt(
        people.animator,
        local,
        {"theme": "Demander du feedback", "question": "Quand l’avez-vous fait ?", "resource_url": ""},
        now=first.send_at + timedelta(hours=2),
    )
    assert fourth.send_at == third.send_at + timedelta(weeks=1)
    campaigns.delete_prompt(people.animator, second, now=first.send_at + timedelta(hours=3))
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (third.send_at, fourth.send_at) == (utc(2026, 10, 26, 8), utc(2026, 11, 2, 8))
    assert Event.objects.filter(verb="campaign.prompt_deleted").count() == 1


def test_a_prompt_that_went_out_can_no_longer_be_changed_or_deleted(local, people):
    launched(local)
    first = Prompt.objects.filter(campaign=local).order_by("position").first()
    campaigns.send_due_prompts(now=first.send_at)
    for change in (
        lambda: campaigns.update_prompt(
            people.animator, first, {"theme": "Autre", "question": "?", "resource_url": ""}
        ),
        lambda: campaigns.delete_prompt(people.animator, first),
    ):
        with pytest.raises(campaigns.CampaignError) as error:
            change()
        assert error.value.code == "sent"
    first.refresh_from_db()
    assert first.theme == "Le dernier feedback qui vous a aidé"


def test_launching_needs_a_prompt_and_happens_once(people):
    empty = campaign(people.animator, organisation=people.organisation, prompts=0)
    with pytest.raises(campaigns.CampaignError) as error:
        campaigns.launch_campaign(people.animator, empty)
    assert error.value.code == "no_prompt"
    empty.refresh_from_db()
    assert empty.status == "draft"
    made = launched(campaign(people.animator, organisation=people.organisation))
    with pytest.raises(campaigns.CampaignError) as error:
        campaigns.launch_campaign(people.animator, made)
    assert error.value.code == "launched"
    assert Event.objects.filter(verb="campaign.launched").count() == 1


def test_a_finished_campaign_sends_no_more_prompts_and_takes_no_answer(local, people):
    launched(local)
    first, second, _third = Prompt.objects.filter(campaign=local).order_by("position")
    campaigns.send_due_prompts(now=first.send_at)
    campaigns.finish_campaign(people.animator, local)
    assert campaigns.send_due_prompts(now=second.send_at) == 0
    with pytest.raises(campaigns.CampaignError) as error:
        campaigns.answer_prompt(people.owner, first, "Trop tard ?")
    assert error.value.code == "finished"
    assert not PromptAnswer.objects.exists()
    with pytest.raises(campaigns.CampaignError):
        campaigns.finish_campaign(people.animator, local)


def test_participation_counts_recipients_who_answered_and_those_reminded(local, people):
    launched(local)
    first = Prompt.objects.filter(campaign=local).order_by("position").first()
    campaigns.send_due_prompts(now=first.send_at)
    campaigns.answer_prompt(people.owner, first, "Une première réponse")
    campaigns.answer_prompt(people.owner, first, "Et une précision")
    campaigns.answer_prompt(people.animator, first, "Merci à vous !")  # not a recipient
    campaigns.send_due_reminders(now=first.remind_at)
    (row,) = campaigns.participation(Prompt.objects.filter(pk=first.pk).with_participation())
    assert (row.recipients, row.answered, row.reminded, row.answers) == (3, 1, 2, 3)
    assert row.share == pytest.approx(1 / 3)
    answered = Notification.objects.filter(kind="campaign.answered")
    assert list(answered.values_list("recipient", flat=True)) == [people.animator.pk] * 2
