from datetime import timedelta

from django.core.management.base import BaseCommand

from apprenance.core.delivery import stale_claims


class Command(BaseCommand):
    help = (
        "List deliveries claimed but never recorded as sent: the worker stopped between the two, "
        "so whether the message left is unknown. Exits 1 when there are some (for monitoring)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=15, help="only claims older than this")

    def handle(self, *args, minutes, **options):
        claims = stale_claims(timedelta(minutes=minutes)).order_by("claimed_at")
        for claim in claims:
            self.stdout.write(f"{claim.claimed_at:%Y-%m-%d %H:%M} {claim.claimed_by} {claim.key}")
        if claims.exists():
            raise SystemExit(1)
        self.stdout.write("no stale deliveries")
