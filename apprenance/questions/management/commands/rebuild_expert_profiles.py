import time

from django.core.management.base import BaseCommand

from apprenance.questions.profiles import refresh_profiles


class Command(BaseCommand):
    help = "Rebuild every member's expert profile (the routing of questions reads them), in batches."

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = refresh_profiles()
        self.stdout.write(f"{count} profiles rebuilt in {time.perf_counter() - started:.1f} s")
