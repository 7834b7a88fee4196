import signal
import time

from django.core.management.base import BaseCommand
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from apprenance.core.delivery import WORKER_ID
from apprenance.core.schedule import enqueue_due_jobs


class Command(BaseCommand):
    help = (
        "Enqueue periodic jobs when they fall due and run the tasks of the database queue "
        "(what `make run` starts). With TASKS_QUEUE=redis, `rqworker` processes run the tasks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds to wait when there is nothing to do")
        parser.add_argument("--once", action="store_true", help="enqueue due jobs, run every ready task, then exit")

    def handle(self, *args, interval, once, **options):
        self.running = True
        if not once:
            signal.signal(signal.SIGINT, self.stop)
            signal.signal(signal.SIGTERM, self.stop)
        runs_tasks = isinstance(task_backends["default"], DatabaseBackend)
        while self.running:
            enqueue_due_jobs()
            if runs_tasks:
                # django-tasks-db's worker in batch mode runs every ready task, then returns; several
                # workers may run side by side, each task being claimed by one of them only.
                Worker(
                    queue_names=["*"],
                    excluded_queue_names=[],
                    interval=0,
                    batch=True,
                    backend_name="default",
                    startup_delay=False,
                    max_tasks=None,
                    worker_id=WORKER_ID,
                ).run()
            if once:
                return
            time.sleep(interval)

    def stop(self, signum, frame):
        """Finish the task under way, then leave."""
        self.running = False
