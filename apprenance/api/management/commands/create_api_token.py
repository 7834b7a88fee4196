from django.core.management.base import BaseCommand, CommandError

from apprenance.api.models import ApiToken
from apprenance.people.models import Member


class Command(BaseCommand):
    help = "Issue an API token for a member and print it once."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="intégration")

    def handle(self, *args, email, name, **options):
        member = Member.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if member is None:
            raise CommandError(f"no active member with e-mail {email!r}")
        _token, key = ApiToken.issue(member, name)
        self.stdout.write(key)
