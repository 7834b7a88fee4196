import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from apprenance.people.models import Member, Organisation, Role
from apprenance.people.network import import_network

DEMO_FILE = Path(settings.BASE_DIR) / "demo" / "network.json"
DEMO_PASSWORD = "apprenance-demo"  # noqa: S105 -- printed at start-up on purpose


class Command(BaseCommand):
    help = "Load the demo network into an empty database, then print the demo accounts."

    def handle(self, *args, **options):
        if Organisation.objects.exists():
            self.stdout.write("The database already holds a network: demo data not loaded.")
        else:
            data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
            with transaction.atomic():
                import_network(data)
                emails = [member["email"] for member in data["members"]]
                Member.objects.filter(email__in=emails).update(password=make_password(DEMO_PASSWORD))
            self.stdout.write(self.style.SUCCESS(f"Demo network loaded from {DEMO_FILE.name}."))
        self.print_accounts()

    def print_accounts(self):
        demo_emails = {m["email"] for m in json.loads(DEMO_FILE.read_text(encoding="utf-8"))["members"]}
        accounts = []
        for role in (Role.NETWORK_ADMIN, Role.ORG_ADMIN, Role.ANIMATOR, Role.MEMBER):
            members = Member.objects.filter(role=role, email__in=demo_emails, is_active=True).select_related(
                "organisation"
            )
            accounts.extend(members.order_by("organisation__name", "last_name")[: 2 if role != Role.MEMBER else 3])
        if not accounts:
            return
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        for member in accounts:
            self.stdout.write(f"  {member.email:<48} {member.get_role_display():<40} {member.organisation.name}")
        self.stdout.write("")
