"""A task that does nothing, to measure the worker's own cost per task."""

from django_tasks import task


@task()
def noop(index: int) -> int:
    return index
