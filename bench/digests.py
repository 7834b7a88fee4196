"""Benchmark the background side: building the daily digests, and the worker's throughput.

    python -m bench.digests                       # 50,000 members, 1,000,000 pending notifications
    python -m bench.digests --members 2000 --notifications 40000   # a quick check

Everything lives in var/bench-digests/ (its own SQLite file). The network is the generated one of
bench.run, imported through the product's import; notifications are inserted in bulk. Building
the digests (grouping, wording, rendering both parts of every e-mail) is timed in a fresh
process, whose peak memory is read from the kernel. Results are written as JSON.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var" / "bench-digests"
TARGET_SECONDS = 60
SEED = 20261123


def setup_django():
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["APPRENANCE_VAR_DIR"] = str(VAR_DIR)
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def prepare(members: int, notifications: int) -> dict:
    """A fresh database with the network and the pending notifications."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from apprenance.notifications.kinds import Frequency
    from apprenance.notifications.models import Notification
    from apprenance.people.models import Member, Organisation
    from apprenance.people.network import import_network
    from bench import generate

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    import_network(generate.generate_network(members=members))
    imported = time.perf_counter() - started

    rng = random.Random(SEED)
    member_ids = list(Member.objects.values_list("pk", flat=True))
    organisations = list(Organisation.objects.values_list("pk", "name", "slug"))
    started = time.perf_counter()
    now = datetime.now(UTC).isoformat(sep=" ")
    # Plain SQL: building a million model instances would measure the ORM, not the digests.
    columns = (
        "recipient_id, kind, actor_id, target_type, target_id, target_label, target_url, data, created_at, "
        "email_frequency"
    )
    sql = f"INSERT INTO {Notification._meta.db_table} ({columns}) VALUES ({', '.join(['%s'] * 10)})"  # noqa: S608
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, notifications, 50_000):
            rows = []
            for index in range(start, min(start + 50_000, notifications)):
                organisation_id, name, slug = rng.choice(organisations)
                recipient = member_ids[index % len(member_ids)]
                actor = rng.choice(member_ids)
                target = f"/organisations/{slug}/"
                rows.append(
                    (
                        recipient,
                        "member.joined",
                        actor,
                        "people.organisation",
                        organisation_id,
                        name,
                        target,
                        "{}",
                        now,
                        Frequency.DAILY,
                    )
                )
            cursor.executemany(sql, rows)
        cursor.execute("ANALYZE")
    return {"import_seconds": round(imported, 1), "insert_seconds": round(time.perf_counter() - started, 1)}


def build_all() -> None:
    """Run in a child process: build every daily digest, print the figures as JSON."""
    setup_django()
    from apprenance.notifications.digests import build_digests
    from apprenance.notifications.kinds import Frequency

    started = time.perf_counter()
    digests = lines = 0
    for digest in build_digests(Frequency.DAILY):
        digests += 1
        lines += len(digest.notification_ids)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "digests": digests,
                "notifications": lines,
                "seconds": round(seconds, 1),
                "peak_mib": round(peak_kib / 1024),
            }
        )
    )


def worker_throughput(tasks: int) -> dict:
    from django.core.management import call_command

    from bench.tasks import noop

    for index in range(tasks):
        noop.enqueue(index=index)
    started = time.perf_counter()
    call_command("worker", "--once")
    seconds = time.perf_counter() - started
    return {"tasks": tasks, "seconds": round(seconds, 2), "tasks_per_second": round(tasks / seconds, 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--notifications", type=int, default=1_000_000)
    parser.add_argument("--worker-tasks", type=int, default=2_000)
    parser.add_argument("--output", type=Path, default=VAR_DIR / "results.json")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_only:
        build_all()
        return 0

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (VAR_DIR / f"apprenance.sqlite3{suffix}").unlink(missing_ok=True)
    setup_django()
    results = {"parameters": {"members": args.members, "notifications": args.notifications}}
    results["prepare"] = prepare(args.members, args.notifications)
    child = subprocess.run(
        [sys.executable, "-m", "bench.digests", "--build-only"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    results["daily_digests"] = json.loads(child.stdout.strip().splitlines()[-1])
    results["daily_digests"]["pass"] = results["daily_digests"]["seconds"] < TARGET_SECONDS
    results["worker"] = worker_throughput(args.worker_tasks)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0 if results["daily_digests"]["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
