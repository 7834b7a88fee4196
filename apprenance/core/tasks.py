"""Background tasks of the core app. Apps declare theirs in their own ``tasks.py``."""

from datetime import time
from importlib import import_module

from django.conf import settings
from django_tasks import task

from apprenance.core import statistics
from apprenance.core.schedule import Every, periodic, prune_runs


@periodic("core.clear_expired_sessions", Every("day", at=time(3, 30)))
@task()
def clear_expired_sessions(slot: str) -> None:
    """Sessions expire after two weeks; their rows would otherwise stay forever."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


@periodic("core.refresh_statistics", Every("day", at=time(3, 45)))
@task()
def refresh_statistics(slot: str) -> None:
    """The day's writes change what the query planner should know about each table."""
    statistics.refresh()


@periodic("core.prune_scheduled_runs", Every("day", at=time(3, 50)))
@task()
def prune_scheduled_runs(slot: str) -> int:
    """Periodic jobs record each run; a month of them is enough to see what ran."""
    return prune_runs()
