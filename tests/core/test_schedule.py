from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from apprenance.core import schedule
from apprenance.core.models import ScheduledRun
from apprenance.core.schedule import Every, PeriodicJob, enqueue_due_jobs
from apprenance.core.tasks import clear_expired_sessions

PARIS = ZoneInfo("Europe/Paris")


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 3, 28, 12), utc(2026, 3, 28, 7)),  # Saturday, winter time: 08:00 = 07:00 UTC
        (utc(2026, 3, 29, 12), utc(2026, 3, 29, 6)),  # Sunday, the clocks went forward: 08:00 = 06:00 UTC
        (utc(2026, 3, 29, 5), utc(2026, 3, 28, 7)),  # before 08:00 local, the latest slot is yesterday's
        (utc(2026, 10, 25, 12), utc(2026, 10, 25, 7)),  # the clocks went back: 08:00 = 07:00 UTC
        (utc(2026, 10, 24, 12), utc(2026, 10, 24, 6)),  # the day before, summer time
    ],
)
def test_a_daily_slot_stays_at_the_same_wall_clock_time_across_daylight_saving(now, expected):
    assert Every("day", at=time(8)).latest_slot(now, PARIS) == expected


def test_a_slot_skipped_by_the_clocks_going_forward_runs_right_after_the_gap():
    slot = Every("day", at=time(2, 30)).latest_slot(utc(2026, 3, 29, 12), PARIS)
    assert slot == utc(2026, 3, 29, 1, 30)
    assert slot.astimezone(PARIS).strftime("%H:%M") == "03:30"


def test_a_slot_that_happens_twice_when_the_clocks_go_back_runs_at_its_first_occurrence():
    slot = Every("day", at=time(2, 30)).latest_slot(utc(2026, 10, 25, 12), PARIS)
    assert slot == utc(2026, 10, 25, 0, 30)  # 02:30 summer time, before the clocks go back


def test_weekly_hourly_and_minutely_slots():
    monday_nine = Every("week", at=time(9), weekday=0)
    assert monday_nine.latest_slot(utc(2026, 11, 25, 12), PARIS) == utc(2026, 11, 23, 8)
    assert Every("hour", at=time(0, 15)).latest_slot(utc(2026, 11, 25, 12, 10), PARIS) == utc(2026, 11, 25, 11, 15)
    assert Every("minute").latest_slot(utc(2026, 11, 25, 12, 10, 42), PARIS) == utc(2026, 11, 25, 12, 10)


def test_a_schedule_with_an_unknown_unit_or_weekday_is_refused():
    with pytest.raises(ValueError, match="unit"):
        Every("fortnight")
    with pytest.raises(ValueError, match="weekday"):
        Every("week", weekday=7)


@pytest.fixture
def digest_job(monkeypatch):
    monkeypatch.setattr(
        schedule,
        "PERIODIC_JOBS",
        {"digest": PeriodicJob("digest", Every("day", at=time(8)), clear_expired_sessions)},
    )


@pytest.mark.django_db
def test_a_due_job_is_enqueued_once_however_often_workers_look(digest_job):
    now = utc(2026, 11, 25, 7, 5)  # 08:05 in Paris
    assert enqueue_due_jobs(now) == ["digest"]
    assert enqueue_due_jobs(now) == []
    assert enqueue_due_jobs(now + timedelta(minutes=20)) == []  # same slot, later look
    assert ScheduledRun.objects.get().slot == utc(2026, 11, 25, 7)
    assert enqueue_due_jobs(utc(2026, 11, 26, 7, 1)) == ["digest"]  # next day's slot


@pytest.mark.django_db
def test_a_slot_long_past_is_recorded_as_missed_rather_than_run(digest_job):
    assert enqueue_due_jobs(utc(2026, 11, 25, 15)) == []  # the worker was down from 08:00 to 16:00
    run = ScheduledRun.objects.get()
    assert run.missed
    assert run.task_id == ""


# Committed data, as in production: the worker closes connections left inside a transaction.
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_enqueued_tasks():
    expired = SessionStore()
    expired.set_expiry(-60)
    expired.save()
    clear_expired_sessions.enqueue(slot=timezone.now().isoformat())
    call_command("worker", "--once")
    assert not Session.objects.filter(session_key=expired.session_key).exists()


@pytest.mark.django_db
def test_runs_older_than_a_month_are_pruned_and_the_latest_slot_still_guards(digest_job):
    now = utc(2026, 11, 25, 7, 5)
    for days in (0, 29, 31, 60):
        ScheduledRun.objects.create(job="old", slot=now - timedelta(days=days))
    assert enqueue_due_jobs(now) == ["digest"]
    assert schedule.prune_runs(now) == 2
    assert sorted((now - run.slot).days for run in ScheduledRun.objects.filter(job="old")) == [0, 29]
    assert enqueue_due_jobs(now) == []  # today's slot is kept: it never runs twice
