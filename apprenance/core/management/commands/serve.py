import os
import shutil
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name) or str(default)
    if not raw.isdigit() or int(raw) < 1:
        raise CommandError(f"{name}={raw!r} must be a positive whole number")
    return int(raw)


def default_workers() -> int:
    """One process per core."""
    return env_int("WEB_CONCURRENCY", os.cpu_count() or 2)


def default_threads() -> int:
    """One request at a time per process: pages are CPU-bound and threads only fight over the
    GIL (measured: more threads, lower throughput and a worse p99). Raise it where requests
    wait on slow services."""
    return env_int("WEB_THREADS", 1)


class Command(BaseCommand):
    help = "Serve Apprenance with granian, the production HTTP server (what `make run` and the benchmarks start)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=env_int("PORT", 8000))
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument("--threads", type=int, default=default_threads())

    def handle(self, *args, host, port, workers, threads, **options):
        granian = shutil.which("granian", path=str(Path(sys.executable).parent)) or shutil.which("granian")
        if granian is None:
            raise CommandError("granian is not installed: run `make install`")
        argv = [
            granian,
            "--interface=wsgi",
            f"--host={host}",
            f"--port={port}",
            f"--workers={workers}",
            f"--blocking-threads={threads}",
            "--no-ws",
            "--respawn-failed-workers",
            "--log-level=warning",
            "apprenance.wsgi:application",
        ]
        sys.stdout.flush()
        os.execv(granian, argv)  # noqa: S606 -- replaces this process, so signals reach the server directly
