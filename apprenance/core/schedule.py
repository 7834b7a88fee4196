"""Periodic jobs: when each is due, in local time, and how the worker enqueues each run once.

A schedule names its slots in the network's time zone (Europe/Paris by default): "every day
at 08:00" means 08:00 on the wall clock in winter and in summer. On the spring-forward day a
slot that does not exist (02:30) runs at the first instant after the gap; on the fall-back
day a slot that happens twice runs at its first occurrence. Each (job, slot) is recorded
with a unique key, so two workers, or a worker restarted after a crash, never enqueue the
same run twice.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction

from apprenance.core.models import ScheduledRun

UNITS = ("minute", "hour", "day", "week")
# Runs are kept this long, then pruned: only a job's latest slot (a week old at most) guards against
# running twice, and a job every minute writes 1,440 rows a day.
RUNS_KEPT = timedelta(days=30)


@dataclass(frozen=True)
class Every:
    """A schedule in wall-clock time.

    ``Every("day", at=time(8))``, ``Every("week", at=time(9), weekday=0)`` (Mondays),
    ``Every("hour", at=time(0, 15))`` (a quarter past), ``Every("minute")``.
    """

    unit: str
    at: time = time(0)
    weekday: int = 0
    # A run more than this late (the worker was down) is recorded as missed instead of run.
    grace: timedelta = timedelta(hours=1)

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"unit must be one of {UNITS}")
        if not 0 <= self.weekday <= 6:
            raise ValueError("weekday goes from 0 (Monday) to 6 (Sunday)")

    def latest_slot(self, now: datetime, zone: ZoneInfo) -> datetime:
        """The most recent slot at or before ``now`` (aware, in UTC)."""
        if self.unit == "minute":
            return now.astimezone(UTC).replace(second=0, microsecond=0)
        if self.unit == "hour":
            slot = now.astimezone(UTC).replace(minute=self.at.minute, second=0, microsecond=0)
            return slot if slot <= now else slot - timedelta(hours=1)
        local_day = now.astimezone(zone).date()
        for days_back in range(8):
            day = local_day - timedelta(days=days_back)
            if self.unit == "week" and day.weekday() != self.weekday:
                continue
            slot = wall_clock(day, self.at, zone)
            if slot <= now:
                return slot
        raise AssertionError("a daily or weekly slot always exists within eight days")


def wall_clock(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The instant the wall clock shows ``at`` on ``day``; a time skipped by DST maps past the gap."""
    # fold=0 reads an ambiguous time as its first occurrence, and a nonexistent one with the
    # offset before the gap, which lands just after the gap once converted to UTC.
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    schedule: Every
    task: Callable  # a django_tasks Task


PERIODIC_JOBS: dict[str, PeriodicJob] = {}


def periodic(name: str, schedule: Every):
    """Register a task to run on a schedule: ``@periodic("sessions.clear", Every("day", at=time(3, 30)))``."""

    def register(task):
        PERIODIC_JOBS[name] = PeriodicJob(name, schedule, task)
        return task

    return register


def enqueue_due_jobs(now: datetime | None = None) -> list[str]:
    """Enqueue every job whose latest slot has not run yet; return the names enqueued."""
    now = now or datetime.now(UTC)
    zone = ZoneInfo(settings.TIME_ZONE)
    enqueued = []
    for job in PERIODIC_JOBS.values():
        slot = job.schedule.latest_slot(now, zone)
        missed = now - slot > job.schedule.grace
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, slot=slot, missed=missed)
                if not missed:
                    result = job.task.enqueue(slot=slot.isoformat())
                    run.task_id = str(result.id)
                    run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another worker, or this one before a restart, already took this slot
        if not missed:
            enqueued.append(job.name)
    return enqueued


def prune_runs(now: datetime | None = None) -> int:
    """Forget the runs older than ``RUNS_KEPT``; how many were deleted."""
    now = now or datetime.now(UTC)
    deleted, _ = ScheduledRun.objects.filter(slot__lt=now - RUNS_KEPT).delete()
    return deleted
